"""The engine stands alone: no Flask, no database layer."""

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "assessor" / "engine"
FORBIDDEN = {"flask", "sqlmodel", "sqlalchemy", "werkzeug", "flask_login", "wtforms"}


def test_no_engine_module_imports_the_web_or_database_layers():
    for path in ENGINE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"


def test_importing_and_scoring_loads_no_flask():
    code = ("import sys, assessor.engine as e; e.Engine.load(); "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert output == "[]"
