"""The sector process-emission tables (process guidelines, default factors, GWP values) on a
reference version's page, grouped by guideline and said in words; their changes in the
comparison of two reference versions; a version stored before the tables existed still shows."""

from assessor.criteria import services
from assessor.criteria.models import pack
from assessor.engine.reference_diff import compare_reference
from tests.criteria.helpers import editors, version
from tests.web.test_page_walk import INTERNAL_KEY, PYTHON_VALUES, _Text

FACTORS = "process_factors.csv"
PROCESS_FILES = ("process_guidelines.csv", FACTORS, "gwp_values.csv")


def _draft(dbs, author, key="REF-2"):
    return services.new_draft(dbs, author, version(dbs, "REF-1", "reference"), key=key,
                              label="2026.1", note="熟料缺省值")


def _fresh(dbs, key="REF-2"):
    dbs.expire_all()
    return version(dbs, key, "reference")


def _part(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


def test_the_page_shows_the_process_factors_by_guideline_in_words(province_client, dbs):
    reference = version(dbs, "REF-1", "reference")
    page = province_client.get(f"/criteria/{reference.id}/reference")
    assert page.status_code == 200
    cement = _part(page.text, 'id="guideline-cets_2024_cement"', "<h3")
    assert "全国碳市场水泥熟料核算规范（2024）" in cement and "CETS—AG—02.01—V01—2024" in cement
    clinker = _part(cement, "硅酸盐水泥熟料", "</tr>")
    assert "0.535" in clinker and "tCO₂/t" in clinker and "熟料" in clinker
    assert "单一弱来源（S-weak）" in clinker and "C-CLINKERALT" in clinker
    assert "clinker_portland" not in clinker and ">clinker<" not in clinker
    assert "替代原料扣减" in _part(cement, "电石渣", "</tr>")
    balance = _part(page.text, 'id="guideline-carbon_balance"', "<h2")
    assert "此核算指南没有缺省参数" in balance and "No default carbon contents" in balance
    gwp = _part(page.text, 'id="gwp"', "</table>")
    row = _part(gwp, "全国碳市场铝冶炼核算规范（2024）", "</tr>")
    assert "CF₄" in row and "6630" in row and "IPCC AR5" in row and "单一弱来源（S-weak）" in row
    assert "SF₆" in gwp and "23\u202f900" in gwp and "二手来源（S）" in gwp

    province_client.post("/language", data={"locale": "en", "next": "/"})
    english = province_client.get(f"/criteria/{reference.id}/reference").text
    assert "National carbon market cement specification (2024)" in english
    clinker = _part(english, "Portland cement clinker", "</tr>")
    assert "Clinker" in clinker and "Single weak source (S-weak)" in clinker
    assert "Global warming potentials (GWP)" in english


def test_a_version_stored_before_the_tables_existed_says_it_has_none(sign_in, dbs, people):
    author, _checker = editors(dbs, people)
    draft = _draft(dbs, author)
    older = {n: t for n, t in draft.files.items() if n not in PROCESS_FILES}
    draft.content, draft.digest = pack(older)
    dbs.add(draft)
    dbs.commit()
    page = sign_in(author).get(f"/criteria/{draft.id}/reference")
    assert page.status_code == 200
    assert "此版本没有工业过程排放参考表" in page.text and 'href="#gwp"' not in page.text
    assert "电力二氧化碳排放因子" in page.text and "硅酸盐水泥熟料" not in page.text


def test_a_changed_process_factor_is_listed_in_words(sign_in, dbs, people):
    author, _checker = editors(dbs, people)
    base = version(dbs, "REF-1", "reference")
    draft = _draft(dbs, author)
    files = dict(draft.files)
    files[FACTORS] = files[FACTORS].replace(
        "cets_2024_cement,clinker_portland,硅酸盐水泥熟料,Portland cement clinker,clinker,0.535,",
        "cets_2024_cement,clinker_portland,硅酸盐水泥熟料,Portland cement clinker,clinker,0.5274,")
    files[FACTORS] += ("steel,lime,石灰（熔剂）,Lime (flux),flux,0.785,tCO2/t,"
                       "测试来源,U,测试用数值\n")
    services.save_files(dbs, author, draft, files, lock_version=draft.lock_version,
                        what="熟料缺省值")
    draft = _fresh(dbs)

    diff = compare_reference(base.files, draft.files)
    section = next(s for s in diff.changed_sections if s.key == FACTORS)
    assert section.title.zh == "工业过程排放缺省参数"
    changed = next(e for e in section.entries if e.key == "cets_2024_cement clinker_portland")
    assert changed.change == "changed" and changed.title.zh.startswith("硅酸盐水泥熟料")
    assert [(c.aspect.zh, c.before.zh, c.after.zh) for c in changed.changes] == [
        ("数值", "0.535 tCO2/t", "0.5274 tCO2/t")]
    added = next(e for e in section.entries if e.key == "steel lime")
    assert added.change == "added"
    summary = added.changes[0].after
    assert "核算指南：steel" in summary.zh and "用途：熔剂" in summary.zh
    assert "Role: Flux" in summary.en and "Value: 0.785 tCO2/t" in summary.en

    page = sign_in(author).get(f"/criteria/compare?old={base.id}&new={draft.id}")
    assert page.status_code == 200
    assert "工业过程排放缺省参数" in page.text and "硅酸盐水泥熟料" in page.text
    assert "0.535 tCO2/t" in page.text and "0.5274 tCO2/t" in page.text
    assert "用途：熔剂" in page.text


def test_the_process_tables_compare_by_their_natural_keys():
    old = {"gwp_values.csv": "guideline,gas,value,assessment_report,source,tag,note\n"
                             "g1,CF4,6500,IPCC SAR (AR2),s,S,\ng2,CF4,6630,IPCC AR5,s,S-weak,\n"}
    new = {"gwp_values.csv": old["gwp_values.csv"].replace("g2,CF4,6630,IPCC AR5",
                                                           "g2,CF4,7390,IPCC AR4")}
    section = compare_reference(old, new).sections[0]
    assert section.title.en == "Global warming potentials (GWP)"
    [entry] = section.entries
    assert entry.key == "g2 CF4"
    assert [(c.aspect.zh, c.before.zh, c.after.zh) for c in entry.changes] == [
        ("数值", "6630", "7390"), ("IPCC 评估报告", "IPCC AR5", "IPCC AR4")]


def _unread(html: str) -> list[str]:
    """What tests/web/test_page_walk.py finds on a page: Python values and internal keys."""
    page = _Text()
    page.feed(html.split("<main", 1)[1].split("</main>", 1)[0])  # the fixture's names aside
    return [m.group(0) for line in page.text
            for m in (PYTHON_VALUES.search(line), INTERNAL_KEY.search(line)) if m]


def test_the_reference_page_speaks_to_people(province_client, dbs):
    """The page walk reaches criteria versions, not the reference one: its check, here."""
    reference = version(dbs, "REF-1", "reference")
    for language in ("zh", "en"):
        province_client.post("/language", data={"locale": language, "next": "/"})
        page = province_client.get(f"/criteria/{reference.id}/reference")
        assert page.status_code == 200 and not _unread(page.text), language
