import shutil
from pathlib import Path

import pytest

from assessor.engine import Engine

CRITERIA = Path(__file__).resolve().parents[1] / "criteria"


def pytest_configure(config):
    # as assessor/__init__.py does: pytest resets the warning filters around each test
    config.addinivalue_line("filterwarnings", "ignore:DSA is deprecated:UserWarning:pyhanko")


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine.load(CRITERIA)


@pytest.fixture
def criteria_copy(tmp_path) -> Path:
    """A writable copy of criteria/ for tests that break it on purpose."""
    target = tmp_path / "criteria"
    shutil.copytree(CRITERIA, target, ignore=shutil.ignore_patterns("cases"))
    (target / "cases").mkdir()
    return target


# The database-backed fixtures (app on SQLite and PostgreSQL, people, rounds) serve every folder.
pytest_plugins = ["tests.fixtures"]


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def factory_submission(**changes) -> dict:
    """A plausible electronics factory that meets every factory gate."""
    data = {
        "subject": "factory",
        "reporting_year": 2023,
        "organisation": {"name": "贵州示例电子有限公司"},
        "energy": {"natural_gas": {"quantity": 10, "unit": "万Nm3"}},
        "electricity": {
            "grid_purchase": {"quantity": 20000, "unit": "MWh"},
            "green_power_trading": {"quantity": 12000, "unit": "MWh"},
            "onsite_renewable_self_used": {"quantity": 6000, "unit": "MWh"},
            "direct_green_supply": {"quantity": 6000, "unit": "MWh"},
            "green_certificates": [{"serial": "GEC202300000001", "count": 8000}],
        },
        "offsets": [{"instrument": "ccer", "serial": "CCER-GZ-000001", "count": 300,
                     "quantity": 300, "unit": "tCO2e"}],
        "declarations": {"compliance_3y": True, "green_factory_title": "national",
                         "no_obsolete_equipment": True, "zero_carbon_plan": True},
        "expert_scores": {"F-E1": 10, "F-E2": 8, "F-E3": 4, "F-E4": 7, "F-E5": 3},
    }
    data.update(changes)
    return data
