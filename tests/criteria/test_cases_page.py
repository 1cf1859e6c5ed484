"""The worked cases page: editors add, change and remove a draft's cases by hand; each failure is
shown in words; bad input saves nothing and keeps what was typed."""

import json
from pathlib import Path

import yaml

from assessor.criteria import services
from tests.criteria.helpers import editors, version

CASES = Path(__file__).resolve().parents[2] / "criteria" / "cases"
F01 = yaml.safe_load((CASES / "f01_clear_pass_zero_carbon.yaml").read_text(encoding="utf-8"))


def _draft(dbs, author, key="GZ-F-2024-v2"):
    return services.new_draft(dbs, author, version(dbs, "GZ-F-2024"), key=key, label="2024.2")


def _form(draft, **changes):
    """A case typed by a person: f01's submission pasted as JSON and values worked by hand."""
    data = {"slug": "f90_hand_typed", "name": "手工算例 / Hand-typed case",
            "submission": json.dumps(F01["submission"], ensure_ascii=False, indent=2),
            "level": "zero_carbon", "total": "82.83270694", "gate-F-G6": "passed",
            "gate-F-G8": "passed", "indicator-0": "comprehensive_energy_tce",
            "value-0": "5,147.1", "item-F-S3": "5",
            "arithmetic": "综合能耗 = 1,214.3 + 3,932.8 = 5,147.1 tce\nF-S3 = 5（37.5 % ≥ 35 %）",
            "lock_version": str(draft.lock_version)}
    data.update(changes)
    return data


def test_an_editor_adds_a_case_by_hand_and_sees_its_outcome(sign_in, dbs, people):
    author, _checker = editors(dbs, people)
    draft = _draft(dbs, author)
    client = sign_in(author)
    blank = client.get(f"/criteria/{draft.id}/cases/new")
    assert blank.status_code == 200 and "人工计算过程" in blank.text
    # nothing is offered from the engine: no level chosen, no total filled in
    assert "selected" not in blank.text.split('name="level"')[1].split("</select>")[0]
    assert 'name="total" type="text" value=""' in blank.text

    saved = client.post(f"/criteria/{draft.id}/cases/new", data=_form(draft))
    assert saved.status_code == 302 and saved.location.endswith("/cases/f90_hand_typed")
    shown = client.get(saved.location)
    assert "算例通过" in shown.text and "综合能耗 = 1,214.3" in shown.text
    dbs.expire_all()
    draft = version(dbs, "GZ-F-2024-v2")
    case = yaml.safe_load(draft.files["cases/f90_hand_typed.yaml"])
    assert case["criteria"] == "GZ-F-2024-v2" and case["submission"] == F01["submission"]
    assert case["expect"] == {"indicators": {"comprehensive_energy_tce": 5147.1},
                              "gates": {"F-G6": "passed", "F-G8": "passed"},
                              "items": {"F-S3": 5}, "total": 82.83270694, "level": "zero_carbon"}
    assert case["arithmetic"].startswith("综合能耗")

    again = client.post(f"/criteria/{draft.id}/cases/new", data=_form(draft, name="另一个"))
    assert again.status_code == 422 and "已有名为“cases/f90_hand_typed.yaml”的算例文件" in again.text

    wrong = client.post(f"/criteria/{draft.id}/cases/new", data=_form(
        draft, slug="f91_wrong_level", name="错误等级", level="near_zero_carbon",
        **{"gate-F-G6": "failed"}))
    assert wrong.status_code == 302
    page = client.get(wrong.location).text
    assert "算例未通过" in page
    assert "等级：人工判定为“近零碳工厂”，系统判定为“零碳工厂”" in page
    assert "否决项 F-G6" in page and "人工判定为“未通过”，系统判定为“通过”" in page
    listing = client.get(f"/criteria/{draft.id}/cases")
    assert listing.status_code == 200 and "错误等级" in listing.text
    assert "等级：人工判定为“近零碳工厂”" in listing.text
    with_failure = client.post(f"/criteria/{draft.id}/submit", data={})
    assert with_failure.status_code == 302
    dbs.expire_all()
    assert version(dbs, "GZ-F-2024-v2").state == "draft"  # a failing case stops submission


def test_bad_input_saves_nothing_and_keeps_what_was_typed(sign_in, dbs, people):
    author, _checker = editors(dbs, people)
    draft = _draft(dbs, author)
    before = draft.digest
    client = sign_in(author)
    url = f"/criteria/{draft.id}/cases/new"
    for changes, message, kept in (
            ({"submission": "subject: [factory\nreporting_year: 2023"}, "不是有效的 YAML 或 JSON",
             "subject: [factory"),
            ({"submission": "- subject: factory\n- subject: park"}, "应为键值对", "- subject: park"),
            ({"total": "八十多"}, "“八十多”不是数字", "八十多"),
            ({"value-0": "很多"}, "“很多”不是数字", "很多"),
            ({"indicator-0": "", "value-0": "12"}, "请选择指标", "12"),
            ({"arithmetic": ""}, "请写出人工计算过程", "手工算例"),
            ({"slug": "含 空格"}, "只能包含字母", "含 空格")):
        page = client.post(url, data=_form(draft, **changes))
        assert page.status_code == 422, changes
        assert message in page.text and kept in page.text, changes
        assert 'class="field has-error"' in page.text
    dbs.expire_all()
    assert version(dbs, "GZ-F-2024-v2").digest == before


def test_an_editor_changes_and_removes_a_case(sign_in, dbs, people):
    author, _checker = editors(dbs, people)
    draft = _draft(dbs, author)
    client = sign_in(author)
    url = f"/criteria/{draft.id}/cases/f01_clear_pass_zero_carbon"
    edit = client.get(f"{url}/edit")
    # the values shown are the ones its author typed into the file
    assert edit.status_code == 200 and 'value="82.83270694"' in edit.text
    assert "贵州某黄磷厂" in edit.text and "Natural gas CO2 factor" in edit.text
    data = {"name": F01["name"], "submission": yaml.safe_dump(F01["submission"],
                                                              allow_unicode=True),
            "level": "zero_carbon", "total": "90", "arithmetic": F01["arithmetic"],
            "lock_version": str(draft.lock_version)}
    changed = client.post(f"{url}/edit", data=data)
    assert changed.status_code == 302
    page = client.get(changed.location).text
    assert "总分：人工计算 90，系统计算 82.83" in page
    dbs.expire_all()
    draft = version(dbs, "GZ-F-2024-v2")
    case = yaml.safe_load(draft.files["cases/f01_clear_pass_zero_carbon.yaml"])
    assert case["expect"] == {"total": 90, "level": "zero_carbon"}

    stale = client.post(f"{url}/remove", data={"lock_version": draft.lock_version - 1})
    assert stale.status_code == 302
    dbs.expire_all()
    assert "cases/f01_clear_pass_zero_carbon.yaml" in version(dbs, "GZ-F-2024-v2").files
    removed = client.post(f"{url}/remove", data={"lock_version": draft.lock_version})
    assert removed.status_code == 302
    dbs.expire_all()
    assert "cases/f01_clear_pass_zero_carbon.yaml" not in version(dbs, "GZ-F-2024-v2").files
    assert client.get(url).status_code == 404


def test_a_published_version_and_a_non_editor_only_read(sign_in, dbs, people):
    author, _checker = editors(dbs, people)
    published = version(dbs, "GZ-F-2024")
    client = sign_in(author)
    page = client.get(f"/criteria/{published.id}/cases")
    assert page.status_code == 200 and "通过" in page.text and "添加算例" not in page.text
    refused = client.post(f"/criteria/{published.id}/cases/new", data=_form(published))
    assert refused.status_code == 302
    dbs.expire_all()
    assert version(dbs, "GZ-F-2024").digest == published.digest
    draft = _draft(dbs, author)
    other = sign_in(people["city_officer"])
    assert other.get(f"/criteria/{draft.id}/cases").status_code == 404
    shown = client.get(f"/criteria/{draft.id}")
    assert f"/criteria/{draft.id}/cases" in shown.text and "影响评估" in shown.text
