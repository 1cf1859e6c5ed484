"""The round workbook: every score, the aggregates, the decisions; nothing naming the applicant
in a blind round."""

import io

import pandas as pd
import pytest

from assessor.accounts import services as accounts
from assessor.accounts.models import Organisation
from assessor.applications import services as applications
from assessor.applications.lifecycle import transition
from assessor.review import services
from assessor.review.export import round_workbook
from tests.conftest import factory_submission
from tests.fixtures import (  # its fixtures come through tests/review/conftest
    PASSWORD,
    SIGNED,
    TODAY,
)

ENGINE = {"F-S1": 20.0, "F-S2": 15.0, "F-S3": 5.0, "F-S5": 10.0}  # factory_submission()
BASE = {**ENGINE, "F-E1": 7.0, "F-E2": 8.0, "F-E3": 4.0, "F-E4": 7.0, "F-E5": 3.0}
# the first application: three experts who disagree on F-S1 and F-E1
FIRST = [{"F-S1": 20.0, "F-E1": 4.0, "F-E2": 8.0},
         {"F-S1": 15.0, "F-E1": 7.0, "F-E2": 8.0},
         {"F-S1": 10.0, "F-E1": 10.0, "F-E2": 10.0}]
EXPERT_NAMES = ["expert", "欧阳评审", "司马核查"]


def in_review(dbs, engine, people, round_, applicant, city_officer):
    application = applications.create(dbs, applicant, round_, TODAY)
    assert applications.save_draft(dbs, engine, applicant, application, factory_submission(), 0,
                                   TODAY) == []
    for action, actor in (("submit", applicant), ("recommend", city_officer),
                          ("accept", people["province_officer"])):
        transition(dbs, engine, application, action, actor, reason="理由", today=TODAY,
                   commitment=SIGNED if action == "submit" else None)
    return application


def review(dbs, engine, officer, application, expert, scores, note=""):
    assignment = services.assign(dbs, officer, application, expert, TODAY)
    services.declare_no_conflict(dbs, expert, assignment)
    comments = {k: f"{note}与系统计算分不同：证明材料不足" for k, v in scores.items()
                if k in ENGINE and v != ENGINE[k]}
    services.save_review(dbs, engine, expert, assignment, scores=scores, comments=comments,
                         opinion=f"{note}总体情况良好。", recommendation="approve", inspection=None,
                         submit=True)


@pytest.fixture
def reviewed(dbs, engine, people, factory_round):
    """Two applications in review, three experts, every review submitted."""
    experts = [people["expert"]] + [
        accounts.create_staff(dbs, email=f"e{n}@x.cn", name=name, role="expert", city=None,
                              password=PASSWORD) for n, name in enumerate(EXPERT_NAMES[1:], 2)]
    first = in_review(dbs, engine, people, factory_round, people["applicant"],
                      people["city_officer"])
    second = in_review(dbs, engine, people, factory_round, people["other_applicant"],
                       people["other_city_officer"])
    return factory_round, experts, first, second


def submit_all(dbs, engine, people, experts, first, second, note=""):
    officer = people["province_officer"]
    for expert, changes in zip(experts, FIRST, strict=True):
        review(dbs, engine, officer, first, expert, {**BASE, **changes}, note)
        review(dbs, engine, officer, second, expert, dict(BASE), note)


def workbook(dbs, engine, round_) -> dict[str, pd.DataFrame]:
    return pd.read_excel(io.BytesIO(round_workbook(dbs, engine, round_)), sheet_name=None)


def test_every_score_and_the_aggregates(dbs, engine, people, reviewed):
    round_, experts, first, second = reviewed
    submit_all(dbs, engine, people, experts, first, second)
    services.decide(dbs, engine, people["province_officer"], first, "approve", "同意认定", TODAY)
    sheets = workbook(dbs, engine, round_)
    assert list(sheets) == ["评审明细", "汇总", "决定", "说明"]

    details = sheets["评审明细"]
    scored = details[details["指标编号"] != "总体意见"]
    for application, per_expert in ((first, [{**BASE, **c} for c in FIRST]),
                                     (second, [BASE] * 3)):
        for name, scores in zip(EXPERT_NAMES, per_expert, strict=True):
            rows = scored[(scored["申报编号"] == application.id) & (scored["专家"] == name)]
            assert dict(zip(rows["指标编号"], rows["专家评分"], strict=True)) == scores
    assert set(details["申报单位"]) == {"贵州测试电子有限公司", "贵州遵义测试有限公司"}
    opinions = details[details["指标编号"] == "总体意见"]
    assert len(opinions) == 6 and set(opinions["评审建议"]) == {"建议通过"}
    changed = scored[(scored["申报编号"] == first.id) & (scored["指标编号"] == "F-S1")]
    assert changed["说明"].fillna("").str.contains("证明材料不足").sum() == 2

    totals = sheets["汇总"].set_index(["申报编号", "指标编号"])
    s1, e1, e2 = (totals.loc[(first.id, i)] for i in ("F-S1", "F-E1", "F-E2"))
    assert (s1["评审人数"], s1["汇总分"], s1["中位数"], s1["极差"]) == (3, 15, 15, 10)
    assert s1["标准差"] == pytest.approx(5) and s1["系统计算分"] == 20 and s1["分歧"] == "是"
    assert (e1["平均值"], e1["中位数"], e1["最低分"], e1["最高分"], e1["极差"]) == (7, 7, 4, 10, 6)
    assert e1["分歧"] == "是"  # range 6 > 0.3 × 10
    assert e2["平均值"] == pytest.approx(26 / 3) and e2["中位数"] == 8 and e2["分歧"] == "否"
    assert set(totals.loc[second.id]["分歧"]) == {"否"}
    total = totals.loc[(first.id, "合计")]
    assert total["按专家评分的等级"] in ("零碳工厂", "近零碳工厂") and total["按专家评分的总分"] > 0

    decisions = sheets["决定"].set_index("申报编号")
    assert decisions.loc[first.id, "决定"] == "已通过"
    assert decisions.loc[first.id, "决定理由"] == "同意认定"
    assert decisions.loc[first.id, "决定依据的汇总方法"] == "平均值"
    assert decisions.loc[second.id, "状态"] == "专家评审中"
    assert pd.isna(decisions.loc[second.id, "决定"])
    notes = dict(zip(sheets["说明"]["项目"], sheets["说明"]["内容"], strict=True))
    assert notes["汇总方法"] == "平均值" and notes["盲评"] == "否"


def test_blind_round_names_nobody(dbs, engine, people, reviewed):
    round_, experts, first, second = reviewed
    round_.blind, round_.aggregation = True, "median"
    dbs.add(round_)
    dbs.commit()
    # free text that names the applicant is redacted, not copied
    submit_all(dbs, engine, people, experts, first, second, note="贵州测试电子有限公司（张三）")
    services.decide(dbs, engine, people["province_officer"], first, "reject",
                    "贵州测试电子有限公司的绿电凭证不足", TODAY)
    sheets = workbook(dbs, engine, round_)

    cells = [str(v) for df in sheets.values() for v in [*df.columns, *df.to_numpy().ravel()]]
    organisations = [dbs.get(Organisation, a.organisation_id)
                     for a in (first, second)]
    forbidden = [*EXPERT_NAMES, *(o.name for o in organisations),
                 *(o.uscc for o in organisations), *(o.contact_name for o in organisations),
                 *(o.contact_phone for o in organisations), "贵州示例电子有限公司"]
    for text in forbidden:
        assert not [c for c in cells if text in c], text
    assert {"申报单位 A01", "申报单位 A02"} <= set(cells)
    assert {"专家 E01", "专家 E02", "专家 E03"} <= set(cells)
    assert any("（盲评隐藏）" in c for c in cells)

    details = sheets["评审明细"]
    first_rows = details[details["申报编号"] == first.id]
    assert set(first_rows["申报单位"]) == {"申报单位 A01"}
    # the same expert keeps the same pseudonym on both applications
    by_expert = details.groupby("专家")["申报编号"].nunique()
    assert set(by_expert.index) == {"专家 E01", "专家 E02", "专家 E03"} and set(by_expert) == {2}
    s1 = sheets["汇总"].set_index(["申报编号", "指标编号"]).loc[(first.id, "F-S1")]
    assert (s1["汇总分"], s1["平均值"]) == (15, 15)
    e2 = sheets["汇总"].set_index(["申报编号", "指标编号"]).loc[(first.id, "F-E2")]
    assert e2["汇总分"] == 8 and e2["平均值"] == pytest.approx(26 / 3)  # median, not mean
    decisions = sheets["决定"].set_index("申报编号")
    assert decisions.loc[first.id, "决定依据的汇总方法"] == "中位数"
    assert decisions.loc[first.id, "决定理由"].startswith("（盲评隐藏）")
    assert dict(zip(sheets["说明"]["项目"], sheets["说明"]["内容"], strict=True))["盲评"] == "是"


def test_an_empty_round_still_exports(dbs, engine, factory_round):
    sheets = workbook(dbs, engine, factory_round)
    assert sheets["评审明细"].empty and sheets["汇总"].empty and sheets["决定"].empty
    assert "生成时间" in set(sheets["说明"]["项目"])
