import json

from tests.conftest import factory_submission


def test_validate_lists_sets(runner):
    result = runner.invoke(args=["criteria", "validate"])
    assert result.exit_code == 0
    assert "GZ-F-2024" in result.output and "GZ-P-2024" in result.output


def test_validate_fails_on_a_broken_set(app, criteria_copy, runner):
    path = criteria_copy / "factory" / "GZ-F-2024.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("op: \"<=\", value: 1.8",
                                                             "op: \"<=\", value: 1.8x"),
                    encoding="utf-8")
    app.config["CRITERIA_ROOT"] = str(criteria_copy)
    result = runner.invoke(args=["criteria", "validate"])
    assert result.exit_code == 1
    assert "GZ-F-2024.yaml" in result.output and "F-G6" in result.output


def test_score_explains_in_chinese_and_english(runner, tmp_path):
    path = tmp_path / "submission.json"
    path.write_text(json.dumps(factory_submission(), ensure_ascii=False), encoding="utf-8")
    zh = runner.invoke(args=["score", str(path), "--criteria", "GZ-F-2024"])
    assert zh.exit_code == 0, zh.output
    assert "综合能耗" in zh.output and "等级: 零碳工厂" in zh.output
    en = runner.invoke(args=["score", str(path), "--criteria", "GZ-F-2024", "--lang", "en"])
    assert "Level: Zero-carbon factory" in en.output
    as_json = runner.invoke(args=["score", str(path), "--criteria", "GZ-F-2024", "--json"])
    assert json.loads(as_json.output)["level"]["id"] == "zero_carbon"


def test_score_reports_problems_and_exits_non_zero(runner, tmp_path):
    data = factory_submission()
    data["energy"] = {"natural_gas": {"quantity": 1, "unit": "t"}}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(args=["score", str(path), "--criteria", "GZ-F-2024"])
    assert result.exit_code == 2
    assert "energy.natural_gas.unit" in result.output and "体积单位" in result.output
    path.write_text("{not json", encoding="utf-8")
    result = runner.invoke(args=["score", str(path), "--criteria", "GZ-F-2024"])
    assert result.exit_code == 2 and "JSON" in result.output


def test_cases_command_runs_the_worked_cases(runner):
    result = runner.invoke(args=["criteria", "test"])
    assert "passed" in result.output
    assert result.exit_code == 0, result.output


def test_committed_schema_is_current(runner):
    from tests.conftest import CRITERIA

    committed = (CRITERIA.parent / "docs" / "submission-schema.json").read_text(encoding="utf-8")
    result = runner.invoke(args=["criteria", "schema"])
    assert result.output == committed, "run: flask --app assessor criteria schema > docs/submission-schema.json"


def test_benchmark_script_runs_small(tmp_path):
    import subprocess
    import sys

    from tests.conftest import CRITERIA

    script = CRITERIA.parent / "benchmarks" / "engine_speed.py"
    out = subprocess.run([sys.executable, str(script), "--batch", "500", "--loop", "5",
                          "--repeat", "1"], capture_output=True, text=True, check=True).stdout
    report = json.loads(out)
    assert report["batch_size"] == 500 and report["speedup_batch_vs_loop"] > 0
