from flask import Flask

from assessor.platform.config import load_config


def _app(tmp_path):
    app = Flask("probe", instance_path=str(tmp_path))
    load_config(app)
    return app


def test_defaults_then_instance_file_then_environment(tmp_path, monkeypatch):
    assert _app(tmp_path).config["PAGE_SIZE"] == 20
    (tmp_path / "config.py").write_text("PAGE_SIZE = 7\n", encoding="utf-8")
    assert _app(tmp_path).config["PAGE_SIZE"] == 7
    monkeypatch.setenv("ASSESSOR_PAGE_SIZE", "9")
    assert _app(tmp_path).config["PAGE_SIZE"] == 9
    monkeypatch.setenv("ASSESSOR_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert _app(tmp_path).config["DATABASE_URL"] == "postgresql+psycopg://u@h/db"
