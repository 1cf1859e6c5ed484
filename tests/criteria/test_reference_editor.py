"""The reference-data editor: a criteria editor adds a data year of electricity factors and a
product's energy levels to a reference draft; the files change by exactly the rows written;
a second editor publishes it; a criteria draft switched to it scores with the new factor while
the published sets keep scoring as before."""

from pathlib import Path

import pytest

from assessor.accounts import services as accounts
from assessor.criteria import reference_edit, services
from assessor.criteria.store import set_of
from assessor.engine import Engine
from assessor.platform.engine_service import criteria_engine
from tests.conftest import factory_submission
from tests.criteria.helpers import editors, version
from tests.fixtures import PASSWORD

ELECTRICITY = "electricity_emission_factors.csv"
LEVELS = "energy_efficiency_levels.csv"
ANNOUNCEMENT = "生态环境部 国家统计局《关于发布2024年电力二氧化碳排放因子的公告》"
YEAR_2024 = {"data_year": "2024", "national_average": "0.5190", "guizhou": "0.5012",
             "announcement": ANNOUNCEMENT, "published": "2026-06-30",
             "source": "https://www.mee.gov.cn/example, 附件", "tag": "V",
             "note": "测试用数值"}


def _draft(dbs, author, key="REF-2"):
    return services.new_draft(dbs, author, version(dbs, "REF-1", "reference"), key=key,
                              label="2026.1", note="2024 年电力排放因子")


def _fresh(dbs, key="REF-2"):
    dbs.expire_all()
    return version(dbs, key, "reference")


def _location(result) -> tuple[str, int, float]:
    factor = result["electricity_factors"]["location"]
    return factor["factor"], factor["data_year"], factor["value"]


def test_a_new_year_of_factors_is_published_and_scores_only_where_chosen(sign_in, dbs, people):
    author, checker = editors(dbs, people)
    submission = factory_submission(reporting_year=2024)
    before_result = criteria_engine().score(submission, "GZ-F-2024", this_year=2025)
    assert _location(before_result) == ("guizhou", 2023, pytest.approx(0.5683))
    draft = _draft(dbs, author)
    before = draft.files
    client = sign_in(author)
    page = client.get(f"/criteria/{draft.id}/reference/electricity")
    assert page.status_code == 200 and "贵州省电力平均二氧化碳排放因子" in page.text
    saved = client.post(f"/criteria/{draft.id}/reference/electricity",
                        data={**YEAR_2024, "lock_version": draft.lock_version})
    assert saved.status_code == 302, saved.text
    after = _fresh(dbs).files
    assert {n: t for n, t in after.items() if n != ELECTRICITY} == \
        {n: t for n, t in before.items() if n != ELECTRICITY}
    assert after[ELECTRICITY] == before[ELECTRICITY] + (
        "national_average,全国电力平均二氧化碳排放因子,National average electricity CO2 "
        f"emission factor,2024,0.5190,tCO2/MWh,{ANNOUNCEMENT},2026-06-30,"
        '"https://www.mee.gov.cn/example, 附件",V,测试用数值\n'
        "guizhou,贵州省电力平均二氧化碳排放因子,Guizhou provincial average electricity CO2 "
        f"emission factor,2024,0.5012,tCO2/MWh,{ANNOUNCEMENT},2026-06-30,"
        '"https://www.mee.gov.cn/example, 附件",V,测试用数值\n')
    tables = client.get(f"/criteria/{draft.id}/reference")
    assert tables.status_code == 200 and "0.5012" in tables.text and "已核实（V）" in tables.text

    draft = _fresh(dbs)
    services.change_state(dbs, author, draft, "submit")
    services.change_state(dbs, checker, draft, "approve")
    assert _fresh(dbs).state == "published"
    assert version(dbs, "REF-1", "reference").state == "superseded"

    criteria_draft = services.new_draft(dbs, author, version(dbs, "GZ-F-2024"),
                                        key="GZ-F-2024-v2", label="2024.2")
    services.use_reference(dbs, author, criteria_draft, _fresh(dbs))
    criteria = set_of(dbs, criteria_draft)
    engine = Engine(Path("database"), criteria.reference, {criteria_draft.key: criteria})
    result = engine.score(submission, "GZ-F-2024-v2", this_year=2025)
    assert _location(result) == ("guizhou", 2024, pytest.approx(0.5012))
    assert result["electricity_factors"]["location"]["source"].startswith(
        "https://www.mee.gov.cn/example")

    after_result = criteria_engine().score(submission, "GZ-F-2024", this_year=2025)
    assert _location(after_result) == ("guizhou", 2023, pytest.approx(0.5683))
    assert after_result == before_result


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"data_year": "2023", "guizhou": "0.5683", "national_average": ""}, "data_year",
     "2023 年的贵州省电力平均二氧化碳排放因子已在表中"),
    ({"guizhou": "0,50"}, "guizhou", "不是数字"),
    ({"guizhou": "-0.5"}, "guizhou", "不能为负数"),
    ({"guizhou": "501.2"}, "guizhou", "不合常理"),
    ({"national_average": "", "guizhou": ""}, "national_average", "请至少填写一个因子的数值"),
    ({"published": "30/06/2026"}, "published", "日期格式应为"),
    ({"data_year": "24"}, "data_year", "四位数的年份"),
    ({"tag": "X"}, "tag", "不是有效的选择"),
])
def test_a_bad_year_of_factors_is_refused_at_its_field(sign_in, dbs, people, changes, field,
                                                       message):
    author, _checker = editors(dbs, people)
    draft = _draft(dbs, author)
    digest = draft.digest
    page = sign_in(author).post(f"/criteria/{draft.id}/reference/electricity", data={
        **YEAR_2024, **changes, "lock_version": draft.lock_version})
    assert page.status_code == 422
    assert f'id="{field}-error"' in page.text and message in page.text.split(
        f'id="{field}-error"', 1)[1][:300]
    assert f'value="{changes.get("guizhou", "0.5012")}"' in page.text  # typed values kept
    assert _fresh(dbs).digest == digest


def test_a_product_is_changed_in_place_and_a_new_one_added(sign_in, dbs, people):
    author, _checker = editors(dbs, people)
    draft = _draft(dbs, author)
    before = draft.files[LEVELS]
    client = sign_in(author)
    form = client.get(f"/criteria/{draft.id}/reference/levels?id=cement_clinker_energy")
    assert form.status_code == 200 and 'value="熟料单位产品综合能耗"' in form.text
    row = reference_edit.rows(before)[0]
    changed = client.post(f"/criteria/{draft.id}/reference/levels?id=cement_clinker_energy", data={
        **row, "grade_3": "116", "guizhou_relevant": "y", "lock_version": draft.lock_version})
    assert changed.status_code == 302, changed.text
    after = _fresh(dbs).files[LEVELS]
    old_lines, new_lines = before.split("\n"), after.split("\n")
    assert len(old_lines) == len(new_lines)
    assert [i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b] == [1]
    assert new_lines[1] == old_lines[1].replace(",100,107,117,100,117,", ",100,107,116,100,117,")

    draft = _fresh(dbs)
    added = client.post(f"/criteria/{draft.id}/reference/levels", data={
        "id": "glass_float_energy", "product_zh": "平板玻璃", "product_en": "Flat glass",
        "indicator_zh": "单位产品综合能耗", "indicator_en": "Comprehensive energy per unit",
        "unit": "kgce/重量箱", "grade_1": "12", "grades_tag": "U", "standard": "GB 21340",
        "lock_version": draft.lock_version})
    assert added.status_code == 422 and 'id="unit-error"' in added.text  # 重量箱: not a unit
    added = client.post(f"/criteria/{draft.id}/reference/levels", data={
        "id": "glass_float_energy", "product_zh": "平板玻璃", "product_en": "Flat glass",
        "indicator_zh": "单位产品综合能耗", "indicator_en": "Comprehensive energy per unit",
        "unit": "kgce/t", "grade_1": "12", "grade_2": "13.5", "grades_tag": "U",
        "standard": "GB 21340, 2019", "lock_version": draft.lock_version})
    assert added.status_code == 302, added.text
    assert _fresh(dbs).files[LEVELS] == after + (
        "glass_float_energy,平板玻璃,Flat glass,单位产品综合能耗,Comprehensive energy per unit,"
        'kgce/t,"GB 21340, 2019",12,13.5,,,,U,,,false,\n')
    tables = client.get(f"/criteria/{draft.id}/reference")
    assert "平板玻璃" in tables.text and "未核实（U）" in tables.text


def test_what_the_whole_reference_refuses_is_named_at_the_top_and_nothing_is_kept(
        sign_in, dbs, people):
    author, _checker = editors(dbs, people)
    draft = _draft(dbs, author)
    client = sign_in(author)
    data = {"id": "glass_energy", "product_zh": "平板玻璃X", "product_en": "Flat glass",
            "indicator_zh": "综合能耗", "indicator_en": "Energy", "unit": "kgce",
            "grade_1": "12", "grades_tag": "S", "standard": "GB 21340",
            "lock_version": draft.lock_version}
    page = client.post(f"/criteria/{draft.id}/reference/levels", data=data)
    assert page.status_code == 422
    assert "energy_efficiency_levels.csv" in page.text and "glass_energy" in page.text
    assert "单位应为“每单位产品”" in page.text and 'value="平板玻璃X"' in page.text
    out_of_order = client.post(f"/criteria/{draft.id}/reference/levels",
                               data={**data, "unit": "kgce/t", "grade_2": "11"})
    assert out_of_order.status_code == 422 and 'id="grade_2-error"' in out_of_order.text
    taken = client.post(f"/criteria/{draft.id}/reference/levels",
                        data={**data, "unit": "kgce/t", "id": "cement_energy"})
    assert taken.status_code == 422 and "已有" in taken.text.split('id="id-error"', 1)[1][:200]
    stale = client.post(f"/criteria/{draft.id}/reference/levels",
                        data={**data, "unit": "kgce/t", "lock_version": "99"})
    assert stale.status_code == 422 and "已被他人修改" in stale.text
    assert _fresh(dbs).digest == draft.digest


def test_a_non_editor_gets_no_form_and_a_refused_post(sign_in, dbs, people):
    author, _checker = editors(dbs, people)
    draft = _draft(dbs, author)
    reader = accounts.create_staff(dbs, email="reader@x.cn", name="只读", role="province_officer",
                                   password=PASSWORD)
    client = sign_in(reader)
    tables = client.get(f"/criteria/{draft.id}/reference")
    assert tables.status_code == 200 and "0.5683" in tables.text
    assert "添加一年的电力排放因子" not in tables.text and "修改</a>" not in tables.text
    assert client.get(f"/criteria/{draft.id}/reference/electricity").status_code == 302
    refused = client.post(f"/criteria/{draft.id}/reference/electricity",
                          data={**YEAR_2024, "lock_version": draft.lock_version},
                          follow_redirects=True)
    assert "只有省厅指定的评价标准编辑人员" in refused.text
    assert _fresh(dbs).digest == draft.digest
    assert sign_in(people["applicant"]).get(f"/criteria/{draft.id}/reference").status_code == 404


def test_a_published_version_is_read_only(sign_in, dbs, people):
    author, _checker = editors(dbs, people)
    published = version(dbs, "REF-1", "reference")
    client = sign_in(author)
    shown = client.get(f"/criteria/{published.id}")
    assert f"/criteria/{published.id}/reference" in shown.text
    tables = client.get(f"/criteria/{published.id}/reference")
    assert tables.status_code == 200 and "只有草稿可以修改" in tables.text
    assert "添加一年的电力排放因子" not in tables.text
    refused = client.post(f"/criteria/{published.id}/reference/electricity",
                          data={**YEAR_2024, "lock_version": published.lock_version},
                          follow_redirects=True)
    assert "只有草稿可以修改" in refused.text
    assert client.get(f"/criteria/{published.id}/reference/levels").status_code == 302
    assert _fresh(dbs, "REF-1").digest == published.digest
    factory = version(dbs, "GZ-F-2024")
    assert client.get(f"/criteria/{factory.id}/reference").status_code == 404


def test_the_tables_read_as_written():
    text = ('id,name,value,note\r\n"a","x",0.10,"two\r\nlines"\r\n'
            'b,y,20908,"say ""hi"""\r\n')
    assert reference_edit.replace_row(text, "id", "a", {"id": "a", "name": "x", "value": "0.2"}) \
        == 'id,name,value,note\r\na,x,0.2,\r\nb,y,20908,"say ""hi"""\r\n'
    assert reference_edit.append_rows(text, [{"id": "c", "note": "p, q"}]) == \
        text + 'c,,,"p, q"\r\n'
    quoted = '"id","value"\n"a","1"'
    assert reference_edit.append_rows(quoted, [{"id": "b", "value": "2"}]) == \
        '"id","value"\n"a","1"\n"b","2"\n'
    from assessor.criteria import reference_tables
    assert [reference_tables.number(t) for t in ("0.10", "20908", "3.666667", "")] == \
        ["0.10", "20\u202f908", "3.666667", "—"]
    assert reference_tables.unit("GJ/万Nm3") == "GJ/万Nm³"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pages_speak_to_people(sign_in, dbs, people, lang):
    from tests.web.test_page_walk import INTERNAL_KEY, PYTHON_VALUES, _Text
    author, _checker = editors(dbs, people)
    draft = _draft(dbs, author)
    author.locale = lang
    dbs.add(author)
    dbs.commit()
    client = sign_in(author)
    base = f"/criteria/{draft.id}/reference"
    pages = [client.get(base), client.get(f"{base}/electricity"), client.get(f"{base}/levels"),
             client.get(f"{base}/levels?id=cement_clinker_energy"),
             client.post(f"{base}/electricity", data={**YEAR_2024, "guizhou": "abc",
                                                      "lock_version": draft.lock_version}),
             client.post(f"{base}/levels", data={"id": "x_y", "unit": "kgce",
                                                 "lock_version": draft.lock_version})]
    assert [p.status_code for p in pages] == [200, 200, 200, 200, 422, 422]
    for answer in pages:
        text = _Text()
        text.feed(answer.text)
        bad = [m.group(0) for line in text.text
               for m in (PYTHON_VALUES.search(line), INTERNAL_KEY.search(line))
               if m and m.group(0) != author.name]  # the fixture names its officer by role
        assert not bad, (answer.request.path, bad[:5])
    english = pages[0].text
    if lang == "en":
        assert "Electricity CO2 emission factors" in english and "Verified (V)" in english
        assert "Guizhou provincial average electricity CO2 emission factor" in english
        assert "不是数字" not in pages[4].text and "is not a number" in pages[4].text
    else:
        assert "贵州省电力平均二氧化碳排放因子" in english and "已核实（V）" in english
        assert "20\u202f908" in english  # raw coal's heat value, grouped, digits as written


def test_every_product_saved_as_shown_leaves_the_table_as_it_was(sign_in, dbs, people):
    """The form shows a row exactly as the file has it (a tag such as “U (probable)” too), so
    saving it unchanged writes nothing."""
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__()
            self.data, self._name, self._select = {}, None, None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "input" and a.get("name") and (a.get("type") != "checkbox"
                                                     or "checked" in a):
                self.data[a["name"]] = a.get("value", "")
            elif tag == "textarea":
                self._name = a["name"]
                self.data[self._name] = ""
            elif tag == "select":
                self._select = a.get("name")
            elif tag == "option" and self._select and "selected" in a:
                self.data[self._select] = a.get("value", "")

        def handle_endtag(self, tag):
            self._name = None if tag == "textarea" else self._name
            self._select = None if tag == "select" else self._select

        def handle_data(self, data):
            if self._name:
                self.data[self._name] += data

    author, _checker = editors(dbs, people)
    draft = _draft(dbs, author)
    client = sign_in(author)
    for product in ("ammonia_pulverized_coal_energy", "cement_clinker_power", "copper_smelting_energy"):
        page = client.get(f"/criteria/{draft.id}/reference/levels?id={product}")
        fields = Fields()
        fields.feed(page.text)
        fields.data["note"] = fields.data["note"].removeprefix("\n")  # the textarea's own newline
        saved = client.post(f"/criteria/{draft.id}/reference/levels?id={product}",
                            data=fields.data)
        assert saved.status_code == 302, (product, saved.text[-2000:])
    assert _fresh(dbs).digest == draft.digest
