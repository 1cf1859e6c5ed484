"""The criteria editor's text view: each mistake in a set's YAML shown at its line and column,
in Chinese and English."""

from pathlib import Path

import pytest

from assessor.engine.criteria_text import problems_in

CRITERIA = Path(__file__).resolve().parents[2] / "criteria"
FACTORY = (CRITERIA / "factory" / "GZ-F-2024.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reference(engine):
    return engine.reference


def _broken(old: str, new: str, text: str = FACTORY) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _at(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """The 1-based line and column of the nth `needle` in `text`."""
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _only(problems):
    assert len(problems) == 1, problems
    return problems[0]


@pytest.mark.parametrize("path", sorted(p for p in CRITERIA.glob("*/*.yaml")
                                         if p.parent.name != "cases"), ids=lambda p: p.stem)
def test_the_shipped_sets_have_no_problems(reference, path):
    assert problems_in(path.read_text(encoding="utf-8"), reference) == []


def test_a_misspelt_key_inside_an_item_is_shown_at_the_key(reference):
    text = _broken("      method: bands\n      indicator: physical_green_electricity_share",
                   "      metod: bands\n      indicator: physical_green_electricity_share")
    problems = problems_in(text, reference)
    unknown = next(p for p in problems if "metod" in p.en)
    assert (unknown.line, unknown.column) == _at(text, "metod")
    assert unknown.where == "F-S3"
    assert unknown.zh == "未知字段 metod（拼写有误？）"
    assert unknown.en == "unknown key metod (misspelt?)"
    # and the method it should have been is missing from the same mapping
    assert any(p.en == "missing field method" and p.line == unknown.line for p in problems)


def test_a_missing_points_is_shown_at_the_item(reference):
    text = _broken("    points: 5\n    source: {document: 工信部 国家级零碳工厂建设通知（2026-07）核心指标 35 %",
                   "    source: {document: 工信部 国家级零碳工厂建设通知（2026-07）核心指标 35 %")
    problem = _only(problems_in(text, reference))
    assert (problem.line, problem.column) == _at(text, "id: F-S3")
    assert problem.where == "F-S3"
    assert problem.zh.startswith("缺少字段 points") and problem.en.startswith("missing field points")


def test_a_bad_op_is_shown_at_the_value(reference):
    text = _broken('rule: {indicator: carbon_per_energy, op: "<="',
                   'rule: {indicator: carbon_per_energy, op: "=<"')
    problem = _only(problems_in(text, reference))
    assert (problem.line, problem.column) == _at(text, '"=<"')
    assert problem.where == "F-G6"
    assert "rule.op" in problem.en and "'=<'" in problem.en and "'<='" in problem.en
    assert "取值“=<”无效" in problem.zh


def test_a_key_given_twice_is_shown_at_the_second(reference):
    text = _broken("total_points: 100\n", "total_points: 100\ntotal_points: 90\n")
    problem = _only(problems_in(text, reference))
    assert (problem.line, problem.column) == _at(text, "total_points: 90")
    assert problem.zh == "键“total_points”出现了两次"
    assert "duplicate key 'total_points'" in problem.en


def test_a_tab_is_shown_where_it_is(reference):
    text = _broken("  - id: F-G4\n    kind: gate\n", "  - id: F-G4\n\tkind: gate\n")
    problem = _only(problems_in(text, reference))
    assert (problem.line, problem.column) == _at(text, "\tkind")
    assert "Tab" in problem.zh and "tab" in problem.en


def test_an_unknown_indicator_in_a_rule_is_shown_at_its_name(reference):
    text = _broken("rule: {indicator: carbon_per_energy,", "rule: {indicator: carbon_per_energi,")
    problem = _only(problems_in(text, reference))
    assert (problem.line, problem.column) == _at(text, "carbon_per_energi")
    assert problem.where == "F-G6"
    assert problem.zh == "未知的指标或输入“carbon_per_energi”"
    assert problem.en == "unknown indicator or input 'carbon_per_energi'"


def test_every_mistake_of_shape_is_listed_in_the_order_of_the_text(reference):
    text = _broken("    points: 20\n", "    points: twenty\n")
    text = _broken('op: in, value: [national, provincial]', 'op: within, value: [national, provincial]',
                   text)
    text = _broken("  - id: F-E5\n", "  - id: F-E5\n    weight: 2\n", text)
    problems = problems_in(text, reference)
    assert [(p.line, p.column, p.where) for p in problems] == [
        (*_at(text, "within"), "F-G2"), (*_at(text, "twenty"), "F-S1"),
        (*_at(text, "weight"), "F-E5")]
    assert problems[1].en == "points must be a number" and problems[1].zh == "points 应为数字"


def test_a_value_no_member_of_a_union_takes_is_said_once(reference):
    text = _broken("value: 1.8, unit: tCO2/tce}", "value: {a: 1}, unit: tCO2/tce}")
    problem = _only(problems_in(text, reference))
    assert (problem.line, problem.column) == _at(text, "{a: 1}")
    assert problem.en == "rule.value has the wrong kind of value"


def test_a_duplicate_item_id_is_shown_at_the_second(reference):
    text = _broken("- id: F-G5", "- id: F-G4")
    problem = _only(problems_in(text, reference))
    assert (problem.line, problem.column) == _at(text, "id: F-G4", nth=2)
    assert problem.en == "duplicate item id"


def test_an_unknown_name_in_a_formula_is_shown_at_the_name(reference):
    text = _broken("\nitems:\n", """
derived:
  - id: twice_products
    title: {zh: 产品数两倍, en: Twice the products}
    formula: 2 * product_cuont
    unit: dimensionless
items:
""")
    problem = _only(problems_in(text, reference))
    assert (problem.line, problem.column) == _at(text, "product_cuont")
    assert problem.where == "twice_products"


def test_an_unlisted_evidence_kind_is_shown_at_its_name(reference):
    text = _broken("evidence: [reduction_projects]", "evidence: [reduction_project]")
    problem = _only(problems_in(text, reference))
    assert (problem.line, problem.column) == _at(text, "reduction_project]")
    assert problem.where == "F-E4" and "evidence_kinds" in problem.en


def test_an_unknown_electricity_factor_is_shown_at_its_name(reference):
    text = _broken("grid_factor: guizhou", "grid_factor: guizhuo")
    problem = _only(problems_in(text, reference))
    assert (problem.line, problem.column) == _at(text, "guizhuo")
    assert problem.where == "accounting"


def test_points_that_do_not_add_up_point_at_items(reference):
    text = _broken("    points: 20\n", "    points: 25\n")
    problem = _only(problems_in(text, reference))
    assert (problem.line, problem.column) == _at(text, "items:")
    assert "105" in problem.en and "105" in problem.zh


def test_an_alias_bomb_is_refused_as_the_loader_refuses_it(reference):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 7)]
    problem = _only(problems_in("\n".join(lines) + "\n", reference))
    assert (problem.line, problem.column) == (1, 1)
    assert "200,000" in problem.en and "内容过多" in problem.zh


def test_a_key_out_of_line_is_said_plainly(reference):
    text = _broken("    kind: gate\n    category: basic\n    title: {zh: 合规经营",
                   "    kind: gate\n   category: basic\n    title: {zh: 合规经营")
    problem = _only(problems_in(text, reference))
    assert (problem.line, problem.column) == _at(text, "category: basic")
    assert problem.zh == "YAML 格式错误：缩进没有对齐"
    assert problem.en == "not valid YAML: the indentation does not line up"

    text = _broken("    kind: gate\n    category: basic\n    title: {zh: 合规经营",
                   "    kind: gate\n      category: basic\n    title: {zh: 合规经营")
    problem = _only(problems_in(text, reference))
    assert (problem.line, problem.column) == _at(text, ": basic")
    assert "键缩进过多" in problem.zh and "indented too far" in problem.en


def test_oversize_text_is_refused_before_parsing(reference):
    problem = _only(problems_in("a: " + "x" * 1_000_000, reference))
    assert problem.en == "longer than 1,000,000 characters"


def test_a_missing_top_level_key_is_at_the_start(reference):
    text = _broken("total_points: 100\n", "")
    problem = _only(problems_in(text, reference))
    assert (problem.line, problem.column, problem.where) == (*_at(text, "id: GZ-F-2024"), "")
    assert problem.zh == "缺少字段 total_points"


def test_text_that_is_not_a_mapping(reference):
    problem = _only(problems_in("- a\n- b\n", reference))
    assert (problem.line, problem.column, problem.en) == (1, 1, "a criteria set is a mapping")
