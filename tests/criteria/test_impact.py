"""影响评估: a criteria draft run over the submissions of the last round of its subject that has
any, showing by organisation who changes level and who passes or fails which gate."""

from datetime import date

from assessor.criteria import services
from assessor.rounds import services as rounds
from tests.criteria.helpers import editors, version
from tests.whatif.test_whatif import submitted


def _stricter_draft(dbs, author):
    """A draft of GZ-F-2024 whose F-G6 allows 0.01 tCO2/tce instead of 1.8."""
    draft = services.new_draft(dbs, author, version(dbs, "GZ-F-2024"), key="GZ-F-2024-v2",
                               label="2024.2")
    name, text = next((n, t) for n, t in draft.files.items() if n.startswith("factory/"))
    stricter = text.replace("value: 1.8, unit: tCO2/tce}", "value: 0.01, unit: tCO2/tce}", 1)
    assert stricter != text
    services.save_files(dbs, author, draft, {**draft.files, name: stricter},
                        lock_version=draft.lock_version, what="F-G6")
    return draft


def test_the_impact_of_a_draft_names_who_moves_and_on_which_gate(
        dbs, engine, people, factory_round, sign_in):
    author, _checker = editors(dbs, people)
    submitted(dbs, engine, people, factory_round)
    submitted(dbs, engine, people, factory_round, "other_applicant", offsets=[])
    # a later round of the same subject with nothing submitted is passed over
    rounds.open_round(dbs, engine, people["province_officer"], title="2025年第二批零碳工厂",
                      subject="factory", year=2023, criteria_id="GZ-F-2024",
                      opens_on=date(2025, 2, 20), closes_on=date(2025, 5, 30), publicity_days=5)
    draft = _stricter_draft(dbs, author)
    client = sign_in(author)
    assert "影响评估" in client.get(f"/criteria/{draft.id}").text
    assert "影响评估" not in client.get(f"/criteria/{version(dbs, 'GZ-F-2024').id}").text

    page = client.get(f"/criteria/{draft.id}/impact")
    assert page.status_code == 200
    text = page.text
    assert factory_round.title in text and "2025年第二批零碳工厂" not in text
    assert "共 2 份已提交的申报，其中 2 份等级变化" in text
    assert "贵州测试电子有限公司</td><td>零碳工厂</td><td>未达到" in text
    assert "贵州测试电子有限公司" in text and "贵州遵义测试有限公司" in text
    assert "F-G6：通过 → 未通过" in text
    failing = text.split("<br>变为未通过")[1].split("</li>")[0]
    assert "贵州测试电子有限公司" in failing and "贵州遵义测试有限公司" in failing
    # nothing stored changed: the round still scores with its own version
    dbs.expire_all()
    assert dbs.get(type(factory_round), factory_round.id).criteria_id == "GZ-F-2024"


def test_without_a_round_with_submissions_the_page_says_so(dbs, people, factory_round, sign_in):
    author, _checker = editors(dbs, people)
    draft = _stricter_draft(dbs, author)
    page = sign_in(author).get(f"/criteria/{draft.id}/impact")
    assert page.status_code == 200
    assert "尚无已有申报提交的零碳工厂批次" in page.text and "试算结果" not in page.text


def test_the_impact_page_is_for_province_officers(dbs, people, sign_in):
    author, _checker = editors(dbs, people)
    draft = _stricter_draft(dbs, author)
    for role in ("applicant", "city_officer", "expert"):
        assert sign_in(people[role]).get(f"/criteria/{draft.id}/impact").status_code == 404
