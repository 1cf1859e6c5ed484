/* The self-assessment form, made a little quicker with JavaScript (it works without):
   a filter box above each product list narrows its options as one types. */
(function () {
  "use strict";
  function addFilter(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "sa-filter";
    box.placeholder = document.documentElement.lang === "en" ? "Filter products…" : "输入产品名称筛选…";
    box.setAttribute("aria-label", box.placeholder);
    box.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var words = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var seen = 0;
        var inGroup = group.label.toLowerCase().indexOf(words) >= 0;
        Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
          var show = !words || inGroup || option.text.toLowerCase().indexOf(words) >= 0 || option.selected;
          option.hidden = !show;
          if (show) { seen += 1; }
        });
        group.hidden = seen === 0;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("select.benchmark"), addFilter);
  });
}());
