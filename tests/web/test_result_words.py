"""The engine's result as people read it: each gate a sentence with its verdict, the gap drawn
with the ways to close it, sources behind a click for applicants and beside the item for
officers, one final result on a decided application, and versions compared by title."""

import re

from assessor.applications import readable, services
from assessor.applications.lifecycle import current_revision, transition
from assessor.applications.workflow import MOVES
from tests.conftest import factory_submission
from tests.fixtures import OPINION, SIGNED, TODAY

NOTICE = "本评价标准为暂行默认值"


def failing_submission() -> dict:
    """Coal-fired and undeclared: F-G6 (CO2 per energy) and F-G1 (compliance) fail."""
    data = factory_submission()
    data["energy"] = {"bituminous_coal": {"quantity": 40000, "unit": "t"}}
    data["declarations"] = dict(data["declarations"], compliance_3y=False)
    return data


def result_section(page: str) -> str:
    return page.split('<section class="result"')[1].split("</section>")[0]


def visible_text(html: str) -> str:
    """The words on the page: no tags, no SVG attributes."""
    return re.sub(r"<[^>]+>", " ", html)


def submitted(dbs, engine, people, factory_round, data):
    application = services.create(dbs, people["applicant"], factory_round, TODAY)
    assert services.save_draft(dbs, engine, people["applicant"], application, data, 0,
                               TODAY) == []
    transition(dbs, engine, application, "submit", people["applicant"], today=TODAY,
               commitment=SIGNED)
    return application


def test_a_failing_gate_reads_as_a_sentence_with_its_verdict(
        dbs, engine, people, factory_round, applicant_client, province_client):
    application = submitted(dbs, engine, people, factory_round, failing_submission())
    page = applicant_client.get(f"/applications/{application.id}").get_data(as_text=True)
    section = result_section(page)
    words = visible_text(section)
    assert re.search(r"单位能耗碳排放 [\d.]+ tCO2/tce，要求不高于 1.8 tCO2/tce → 未通过", words)
    assert "未声明近三年" in words and "→ 未通过" in words
    assert "已声明设有零碳工厂建设管理机构" in words  # a declaration that holds
    for raw in ("==", "None", "fraction", "dimensionless", "True", "False", "&lt;="):
        assert raw not in words, raw
    # the gap: a bar per blocking figure, with a sentence for each way to close it
    assert 'class="chart chart-gap"' in section and 'role="img"' in section
    assert re.search(r"再购买约 [\d,.]+ MWh 绿电", words)
    assert re.search(r"或取得约 [\d,.]+ tCO2 碳抵消", words)
    # the applicant opens the sources; tags are not theirs; the notice is said once
    assert '<details class="basis"><summary>依据</summary>' in section
    assert "[S-weak]" not in section and "provisional" not in section
    assert page.count(NOTICE) == 1

    officer_page = province_client.get(f"/applications/{application.id}").get_data(as_text=True)
    officer_section = result_section(officer_page)
    assert '<p class="basis">' in officer_section and "[S-weak]" in officer_section
    assert '<details class="basis">' not in officer_section
    assert officer_page.count(NOTICE) == 1


def test_a_decided_application_leads_with_the_decision_and_its_basis(
        dbs, engine, people, factory_round, applicant_client):
    application = submitted(dbs, engine, people, factory_round, failing_submission())
    transition(dbs, engine, application, "recommend", people["city_officer"], today=TODAY,
               reason=OPINION)
    transition(dbs, engine, application, "accept", people["province_officer"], today=TODAY)
    basis = {"method": "median", "reviews": 3, "total": {"value": 88.5},
             "level_with_expert_points": {"id": "zero_carbon", "total": 88.5,
                                          "title": {"zh": "零碳工厂", "en": "Zero-carbon factory"}}}
    transition(dbs, engine, application, "approve", people["province_officer"],
               reason="专家评审通过", today=TODAY, basis=basis, route=MOVES["approve"].route)
    page = applicant_client.get(f"/applications/{application.id}").get_data(as_text=True)
    words = visible_text(page)
    decision = words.index("省工业和信息化厅决定")
    label = words.index("企业自评结果（系统计算，仅供参考）")
    assert decision < label
    assert "零碳工厂" in words[decision:label] and "88.5" in words[decision:label]
    assert "3 份，按中位数汇总" in words and "专家评审通过" in words
    # the engine's level is there, labelled, never a bare headline against the decision
    assert "评价结果：未达到" not in words
    assert "系统按填报数据计算的等级" in words


def test_versions_are_compared_by_title_with_rounded_values(
        dbs, engine, people, factory_round, applicant_client):
    application = submitted(dbs, engine, people, factory_round, factory_submission())
    transition(dbs, engine, application, "city_return", people["city_officer"],
               reason="请核对购电量", today=TODAY)
    changed = factory_submission()
    changed["electricity"] = dict(changed["electricity"],
                                  grid_purchase={"quantity": 21234.5678, "unit": "MWh"})
    changed["offsets"] = []
    draft = current_revision(dbs, application)
    assert services.save_draft(dbs, engine, people["applicant"], application, changed,
                               draft.lock_version, TODAY) == []
    transition(dbs, engine, application, "submit", people["applicant"], today=TODAY,
               commitment=SIGNED)
    page = applicant_client.get(f"/applications/{application.id}").get_data(as_text=True)
    table = page.split("与上次提交相比")[1].split("</table>")[0]
    words = visible_text(table)
    assert "电力 · 电网购电总量（含绿电交易）" in words
    assert "20,000 MWh" in words and "21,235 MWh" in words
    assert "碳抵消 1 · 抵消量" in words and "300 tCO2e" in words
    assert "总分" in words and "抵消后净排放" in words
    for raw in ("electricity.", "grid_purchase", "quantity", "unit", "offsets[",
                "net_emissions_tco2"):
        assert raw not in table, raw
    assert not re.search(r"\.\d{7,}", words)  # no float noise


def test_a_revision_shows_its_data_as_a_table(dbs, engine, people, factory_round,
                                              applicant_client):
    application = submitted(dbs, engine, people, factory_round, factory_submission())
    page = applicant_client.get(f"/applications/{application.id}/revisions/1").get_data(
        as_text=True)
    data = page.split("填报数据")[1]
    words = visible_text(data)
    assert "<pre>" not in page
    assert "天然气" in words and "10 万Nm3" in words
    assert "声明 · 绿色工厂称号" in words and "国家级绿色工厂" in words
    assert "数据年度" in words and "2023" in words
    assert '"quantity"' not in page and "compliance_3y" not in data


def test_the_sentences_in_english(dbs, engine, people, factory_round, applicant_client):
    application = submitted(dbs, engine, people, factory_round, failing_submission())
    applicant_client.post("/language", data={"locale": "en", "next": "/"})
    page = applicant_client.get(f"/applications/{application.id}").get_data(as_text=True)
    words = visible_text(result_section(page))
    assert re.search(r"CO2 per unit of energy [\d.]+ tCO2/tce, required at most 1.8 tCO2/tce "
                     r"→ failed", words)
    assert "Not declared: No safety" in words
    assert re.search(r"buy about [\d,.]+ MWh more green power", words)
    assert "<summary>Basis</summary>" in page


def test_a_result_frozen_with_the_old_wording_reads_the_same(engine):
    result = engine.score(failing_submission(), "GZ-F-2024", this_year=2025)
    old = next(line for line in result["trace"] if line["id"] == "F-G3")
    old["zh"] = (f"F-G3 产品能效达到标杆水平（无标杆的达到能耗限额1级）：0 = 0 → 不适用（{old['sources'][0]}）；"
                 "本项仅在对标产品数 > 0时适用，此处不满足：对标产品数 > 0。")
    for gate in result["gates"]:  # frozen results kept no sentences: they are made when shown
        gate.pop("words", None)
    said = readable.readable(result, engine.criteria("GZ-F-2024"))
    line = next(t for t in said["trace"] if t["zh"].startswith("F-G3"))
    assert "0 = 0" not in line["zh"] and "本项不适用" in line["zh"]
    assert line["zh"].endswith("此处不满足：对标产品数 > 0。")
    assert old["sources"][0] not in line["zh"] and line["sources"][0]["tag"] == "V"
    # without its criteria set (no longer loaded) the words fall back to the result's own
    bare = readable.readable(result, None)
    assert all("None" not in g["words"]["zh"] and "==" not in g["words"]["zh"]
               for g in bare["gates"])
