"""The criteria editor (条目与等级): forms that change one entry of a draft's set file and
leave the rest of the file, comments included, as written."""

import difflib
from html.parser import HTMLParser

from assessor.criteria import files as version_files
from assessor.criteria import services
from assessor.criteria.store import set_of
from assessor.engine import Engine
from tests.conftest import factory_submission
from tests.criteria.helpers import editors, version


class _Form(HTMLParser):
    """What a browser would send for the page's editor form (or its remove form)."""

    def __init__(self, remove: bool = False):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.remove, self.inside = remove, False
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = ((a.get("action") or "").endswith("/remove") if self.remove
                           else "criteria-editor" in (a.get("class") or ""))
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value", "on" if kind == "checkbox"
                                                              else ""))
        elif tag == "select" and name:
            self.select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self.select:
            if "selected" in a or not self.data[self.select]:
                if "selected" in a:
                    self.data[self.select] = []
                self.data[self.select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self.inside and self.textarea:
            self.data[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def form_of(page, remove: bool = False, **changes) -> dict:
    parser = _Form(remove)
    parser.feed(page.text)
    data = {k: v if len(v) != 1 else v[0] for k, v in parser.data.items()}
    data.pop("csrf_token", None)
    for key, value in changes.items():
        data[key.replace("__", "-")] = value
    return data


def draft_of(dbs, people, key="GZ-F-2025"):
    author, checker = editors(dbs, people)
    base = version(dbs, "GZ-F-2024")
    draft = services.new_draft(dbs, author, base, key=key, label="2025.1")
    return author, checker, base, draft


def set_text(dbs, key="GZ-F-2025") -> str:
    dbs.expire_all()
    return version_files.main_file(version(dbs, key).files)[1]


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_an_editor_changes_a_gate_threshold_and_only_that_line_changes(sign_in, dbs, people):
    author, _checker, _base, draft = draft_of(dbs, people)
    before = set_text(dbs)
    client = sign_in(author)
    overview = client.get(f"/criteria/{draft.id}/items")
    assert overview.status_code == 200
    assert f"/criteria/{draft.id}/items/F-G6" in overview.text and "门槛" in overview.text
    assert "<code>carbon_per_energy</code> ≤ 1.8 tCO2/tce" in overview.text
    page = client.get(f"/criteria/{draft.id}/items/F-G6")
    assert page.status_code == 200 and 'value="1.8"' in page.text and "tCO2/tce" in page.text
    saved = client.post(f"/criteria/{draft.id}/items/F-G6",
                        data=form_of(page, rule__value="1.6"))
    assert saved.status_code == 302, saved.text
    after = set_text(dbs)
    assert changed_lines(before, after) == [
        "-    rule: {indicator: carbon_per_energy, op: \"<=\", value: 1.8, unit: tCO2/tce}",
        "+    rule: {indicator: carbon_per_energy, op: \"<=\", value: 1.6, unit: tCO2/tce}"]
    assert "# Guizhou zero-carbon factory criteria, 2024 (provisional defaults)" in after

    # the draft now scores with 1.6: a factory at 1.7 tCO2/tce fails F-G6
    dbs.expire_all()
    draft = version(dbs, "GZ-F-2025")
    criteria = set_of(dbs, draft)
    gate = next(i for i in criteria.model.items if i.id == "F-G6")
    assert gate.rule.value == 1.6
    engine = Engine(version_files.main_file(draft.files)[0], criteria.reference,
                    {draft.key: criteria})
    gate = next(g for g in engine.score(factory_submission(), "GZ-F-2025")["gates"]
                if g["id"] == "F-G6")
    assert gate["threshold"] == 1.6


def test_a_scored_item_with_bands_is_added_and_removed(sign_in, dbs, people):
    author, _checker, _base, draft = draft_of(dbs, people)
    before = set_text(dbs)
    client = sign_in(author)
    page = client.get(f"/criteria/{draft.id}/items/new?kind=scored")
    assert page.status_code == 200
    data = form_of(page, id="F-S6", title_zh="可再生能源电力占比", title_en="Renewable power share",
                   category="energy", source__document="暂行默认值", source__tag="U",
                   points="5", method="bands", scoring_indicator="renewable_electricity_share",
                   bands__0__op=">=", bands__0__value="50", bands__0__points="5",
                   bands__1__op=">=", bands__1__value="25 %", bands__1__points="2.5",
                   adjust_total="y")
    saved = client.post(f"/criteria/{draft.id}/items/new", data=data)
    assert saved.status_code == 302, saved.text
    added = set_text(dbs)
    assert "total_points: 105" in added
    assert added.index("id: F-S5") < added.index("id: F-S6") < added.index("id: F-E1")
    assert all(line.startswith("+") for line in changed_lines(before, added)[1:])
    criteria = set_of(dbs, version(dbs, "GZ-F-2025"))
    item = next(i for i in criteria.model.items if i.id == "F-S6")
    assert [(b.value, b.points) for b in item.scoring.bands] == [(50, 5), (25, 2.5)]
    assert item.scoring.unit == "%"
    overview = client.get(f"/criteria/{draft.id}/items")
    assert "F-S6" in overview.text and "≥ 25 % → 2.5" in overview.text

    page = client.get(f"/criteria/{draft.id}/items/F-S6")
    removed = client.post(f"/criteria/{draft.id}/items/F-S6/remove",
                          data=form_of(page, remove=True))
    assert removed.status_code == 302
    assert set_text(dbs) == before


def test_bad_input_is_shown_at_the_field_and_nothing_is_saved(sign_in, dbs, people):
    author, _checker, _base, draft = draft_of(dbs, people)
    before = set_text(dbs)
    client = sign_in(author)
    page = client.get(f"/criteria/{draft.id}/items/F-G6")

    not_a_number = client.post(f"/criteria/{draft.id}/items/F-G6",
                               data=form_of(page, rule__value="一点八"))
    assert not_a_number.status_code == 422
    assert 'id="rule-value-error"' in not_a_number.text and "请填写数字" in not_a_number.text
    assert 'value="一点八"' in not_a_number.text  # what was typed is kept

    unknown = client.post(f"/criteria/{draft.id}/items/F-G6",
                          data=form_of(page, rule__indicator="carbon_per_banana"))
    assert unknown.status_code == 422
    assert 'id="rule-indicator-error"' in unknown.text and "未知的指标" in unknown.text

    new = client.get(f"/criteria/{draft.id}/items/new?kind=gate")
    duplicate = client.post(f"/criteria/{draft.id}/items/new", data=form_of(
        new, id="F-G1", title_zh="重复", title_en="Twice", source__document="x",
        rule__indicator="repeated_serials", rule__op="==", rule__value="0"))
    assert duplicate.status_code == 422
    assert 'id="id-error"' in duplicate.text and "已有编号为“F-G1”的条目" in duplicate.text

    # points that no longer add up to the total: the set's own check, at the top
    scored = client.get(f"/criteria/{draft.id}/items/F-S1")
    too_many = client.post(f"/criteria/{draft.id}/items/F-S1",
                           data={**form_of(scored, points="25"), "adjust_total": ""})
    assert too_many.status_code == 422
    assert "error-summary" in too_many.text and "与总分 100 不符" in too_many.text
    assert 'value="25"' in too_many.text
    assert set_text(dbs) == before


def test_a_non_editor_officer_reads_but_cannot_change(province_client, sign_in, dbs, people):
    _author, _checker, _base, draft = draft_of(dbs, people)
    reader = people["province_officer"]
    reader.criteria_editor = False
    dbs.add(reader)
    dbs.commit()
    before = set_text(dbs)
    client = sign_in(reader)
    overview = client.get(f"/criteria/{draft.id}/items")
    assert overview.status_code == 200 and "F-G6" in overview.text
    assert f"/criteria/{draft.id}/items/F-G6" not in overview.text and "只读" in overview.text
    refused = client.post(f"/criteria/{draft.id}/items/F-G6", data={
        "rule-indicator": "carbon_per_energy", "rule-op": "<=", "rule-value": "9",
        "lock_version": draft.lock_version})
    assert refused.status_code == 302
    assert "评价标准编辑人员" in client.get(refused.location).text
    assert set_text(dbs) == before


def test_a_published_version_is_read_only(sign_in, dbs, people):
    author, _checker = editors(dbs, people)
    published = version(dbs, "GZ-F-2024")
    client = sign_in(author)
    overview = client.get(f"/criteria/{published.id}/items")
    assert overview.status_code == 200 and "F-G6" in overview.text
    assert f"/criteria/{published.id}/items/F-G6" not in overview.text
    assert client.get(f"/criteria/{published.id}/items/F-G6").status_code == 302
    before = published.content
    refused = client.post(f"/criteria/{published.id}/header", data={
        "title_zh": "改", "title_en": "x", "version": "x", "notice_zh": "x", "notice_en": "x",
        "effective_from": "2024-01-01", "total_points": "100",
        "lock_version": published.lock_version})
    assert refused.status_code == 302
    dbs.expire_all()
    assert version(dbs, "GZ-F-2024").content == before


def test_a_stale_form_is_refused_and_keeps_what_was_typed(sign_in, dbs, people):
    author, checker, _base, draft = draft_of(dbs, people)
    first, second = sign_in(author), sign_in(checker)
    mine = first.get(f"/criteria/{draft.id}/items/F-G7")
    theirs = second.get(f"/criteria/{draft.id}/items/F-G6")
    assert second.post(f"/criteria/{draft.id}/items/F-G6",
                       data=form_of(theirs, rule__value="1.5")).status_code == 302
    after_theirs = set_text(dbs)
    stale = first.post(f"/criteria/{draft.id}/items/F-G7",
                       data=form_of(mine, rule__value="33"))
    assert stale.status_code == 409
    assert "已被他人修改" in stale.text and 'value="33"' in stale.text
    assert set_text(dbs) == after_theirs


def test_header_levels_declarations_reported_and_evidence_kinds(sign_in, dbs, people):
    author, _checker, _base, draft = draft_of(dbs, people)
    client = sign_in(author)
    before = set_text(dbs)

    header = client.get(f"/criteria/{draft.id}/header")
    assert client.post(f"/criteria/{draft.id}/header", data=form_of(
        header, effective_from="2025-01-01")).status_code == 302
    text = set_text(dbs)
    assert changed_lines(before, text) == ['-effective_from: "2024-01-01"',
                                           '+effective_from: "2025-01-01"']
    bad_date = client.post(f"/criteria/{draft.id}/header", data=form_of(
        client.get(f"/criteria/{draft.id}/header"), effective_from="2025年1月"))
    assert bad_date.status_code == 422 and 'id="effective_from-error"' in bad_date.text

    level = client.get(f"/criteria/{draft.id}/levels/near_zero_carbon")
    assert 'value="60"' in level.text
    assert client.post(f"/criteria/{draft.id}/levels/near_zero_carbon",
                       data=form_of(level, min_total="65")).status_code == 302
    lines = changed_lines(text, set_text(dbs))
    assert lines == ["-    min_total: 60", "+    min_total: 65"]
    new_level = client.get(f"/criteria/{draft.id}/levels/new")
    assert client.post(f"/criteria/{draft.id}/levels/new", data=form_of(
        new_level, id="basic", title_zh="基本达标", title_en="Basic", min_total="40",
        conditions__0__indicator="non_fossil_energy_share", conditions__0__op=">=",
        conditions__0__value="40%")).status_code == 302
    levels = set_of(dbs, version(dbs, "GZ-F-2025")).model.levels
    assert [lv.id for lv in levels][-2:] == ["basic", "not_qualified"]
    assert (levels[-2].conditions[0].value, levels[-2].conditions[0].unit) == (40, "%")
    text = set_text(dbs)

    kinds = client.get(f"/criteria/{draft.id}/evidence-kinds")
    data = form_of(kinds)
    row = sum(1 for k in data if k.endswith("-key") and data[k])
    data.update({f"kinds-{row}-key": "site_photos", f"kinds-{row}-zh": "现场照片",
                 f"kinds-{row}-en": "Site photos"})
    assert client.post(f"/criteria/{draft.id}/evidence-kinds", data=data).status_code == 302
    lines = changed_lines(text, set_text(dbs))
    assert lines == ['+  site_photos: {zh: 现场照片, en: Site photos}']

    reported = client.get(f"/criteria/{draft.id}/reported/new")
    assert client.post(f"/criteria/{draft.id}/reported/new", data=form_of(
        reported, id="water_reuse_rate", title_zh="水重复利用率", title_en="Water reuse",
        unit="%", min="0", max="100", evidence="site_photos")).status_code == 302
    declaration = client.get(f"/criteria/{draft.id}/declarations/new")
    bad = client.post(f"/criteria/{draft.id}/declarations/new", data=form_of(
        declaration, id="Bad-Id", type="boolean", title_zh="x", title_en="x"))
    assert bad.status_code == 422 and 'id="id-error"' in bad.text
    criteria = set_of(dbs, version(dbs, "GZ-F-2025"))
    assert criteria.reported_by_id["water_reuse_rate"].evidence == ["site_photos"]
    assert "site_photos" in criteria.model.evidence_kinds


def test_every_entry_saved_unchanged_leaves_every_set_file_as_it_was(sign_in, dbs, people):
    """Each form shows its entry as written: saving it unchanged changes no byte."""
    author, _checker = editors(dbs, people)
    client = sign_in(author)
    for key in ("GZ-F-2024", "GZ-P-2024", "CN-F-2026"):
        draft = services.new_draft(dbs, author, version(dbs, key), key=f"{key}-x", label="x")
        before = set_text(dbs, draft.key)
        model = set_of(dbs, draft).model
        pages = [f"{section}/{entry.id}" for section, listed in (
            ("items", model.items), ("levels", model.levels),
            ("declarations", model.declarations), ("reported", model.reported))
            for entry in listed] + ["evidence-kinds", "header"]
        for page_path in pages:
            url = f"/criteria/{draft.id}/{page_path}"
            saved = client.post(url, data=form_of(client.get(url)))
            assert saved.status_code == 302, (key, page_path, saved.text[-3000:])
            assert set_text(dbs, draft.key) == before, (key, page_path)


def test_removing_a_declaration_a_gate_uses_is_refused(sign_in, dbs, people):
    author, _checker, _base, draft = draft_of(dbs, people)
    before = set_text(dbs)
    client = sign_in(author)
    page = client.get(f"/criteria/{draft.id}/declarations/compliance_3y")
    refused = client.post(f"/criteria/{draft.id}/declarations/compliance_3y/remove",
                          data=form_of(page, remove=True))
    assert refused.status_code == 302
    shown = client.get(refused.location).text
    assert "无法保存" in shown and "compliance_3y" in shown
    assert set_text(dbs) == before


def test_the_overview_in_english(sign_in, dbs, people):
    author, _checker, _base, draft = draft_of(dbs, people)
    client = sign_in(author)
    client.post("/language", data={"locale": "en", "next": "/"})
    page = client.get(f"/criteria/{draft.id}/items")
    assert page.status_code == 200
    assert "Items and levels" in page.text and "Lawful operation" in page.text
    assert "合规经营" not in page.text


HOSTILE = ["1e309", "<script>", "x" * 1200]


def test_hostile_values_in_any_field_get_a_message_never_a_500(sign_in, dbs, people):
    """Whatever a field of an item's form holds, the answer is a saved set that still loads,
    a 422 with the message, or the request guard's 400 (an id field out of range)."""
    author, _checker, _base, draft = draft_of(dbs, people)
    client = sign_in(author)
    url = f"/criteria/{draft.id}/items/F-S3"
    fields = form_of(client.get(url))
    for name in [n for n in fields if n != "lock_version"]:
        for value in HOSTILE:
            dbs.expire_all()
            lock = version(dbs, "GZ-F-2025").lock_version
            answer = client.post(url, data={**fields, name: value, "lock_version": lock})
            assert answer.status_code in (302, 400, 422), (name, value, answer.status_code)
    dbs.expire_all()
    assert not services.problems_of(dbs, version(dbs, "GZ-F-2025"))
