"""`make run` prints nothing a newcomer would take for an error (issue 15): its set-up commands,
run as the Makefile runs them on a fresh instance folder."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import CRITERIA

SETUP = (["db", "upgrade"], ["certificates", "setup"], ["demo", "--if-empty"])
ALARMING = ("Warning", "WARNING", "Traceback", "Error")


@pytest.fixture(scope="module")
def setup_output(tmp_path_factory) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSESSOR_", "FLASK_"))}
    env["ASSESSOR_INSTANCE_PATH"] = str(tmp_path_factory.mktemp("instance"))
    outputs = []
    for command in SETUP:
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "assessor", *command],
                              cwd=CRITERIA.parent, env=env, capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout + done.stderr)
    return outputs


def test_setup_prints_no_warning_or_error(setup_output):
    for command, output in zip(SETUP, setup_output, strict=True):
        alarming = [line for line in output.splitlines() if any(w in line for w in ALARMING)]
        assert not alarming, (command, alarming)


def test_setup_says_where_mail_goes_once_and_keeps_the_logins(setup_output):
    demo = setup_output[2]
    assert demo.count("mail is written to") == 1
    assert "演示账号 / demo logins" in demo
