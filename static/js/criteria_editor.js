/* The criteria editor's forms, a little quicker with JavaScript (they work without): the unit
   beside a value follows the indicator chosen, and an item's form shows the parts its kind
   (gate, scored, expert) and scoring method use; a level's list of gates shows only when
   not all gates are required. */
(function () {
  "use strict";
  function units(form) {
    try { return JSON.parse(form.getAttribute("data-units") || "{}"); } catch (e) { return {}; }
  }
  function followIndicator(form, map) {
    form.addEventListener("change", function (event) {
      var select = event.target;
      if (!select.name || !/indicator$/.test(select.name)) { return; }
      var row = select.closest("tr") || select.closest("fieldset");
      if (!row) { return; }
      row.querySelectorAll(".unit").forEach(function (span) {
        span.textContent = map[select.value] || "";
      });
    });
  }
  function showParts(form) {
    var kind = form.querySelector("[data-kind-switch]");
    var method = form.querySelector("select[name='method']");
    var allGates = form.querySelector("select[name='all_gates']");
    var gatesList = form.querySelector("[data-gates-list]");
    function update() {
      if (kind) {
        form.querySelectorAll("[data-kind]").forEach(function (part) {
          part.hidden = part.getAttribute("data-kind").split(" ").indexOf(kind.value) < 0;
        });
      }
      if (allGates && gatesList) { gatesList.hidden = allGates.value === "all"; }
      if (method) {
        form.querySelectorAll("[data-method]").forEach(function (part) {
          part.hidden = part.getAttribute("data-method") !== method.value;
        });
      }
    }
    if (kind) { kind.addEventListener("change", update); }
    if (method) { method.addEventListener("change", update); }
    if (allGates) { allGates.addEventListener("change", update); }
    update();
  }
  document.querySelectorAll("form.criteria-editor").forEach(function (form) {
    followIndicator(form, units(form));
    showParts(form);
  });
})();
