"""Looking up an objection by its reference: its state and the department's reply, nothing of
the objector's; an unknown reference is a 404, and guessing is slowed by a limit on misses."""

from datetime import date
from pathlib import Path

import pytest
from flask import current_app

from assessor.platform.engine_service import criteria_engine
from assessor.publication import services

DAY = date(2025, 3, 10)  # in the publicity period of round_in_publicity


@pytest.fixture
def objection(app, dbs, round_in_publicity):
    _, first, _second = round_in_publicity
    return services.file_objection(dbs, first, name="王五", contact="13800000000",
                                   reason="该企业2024年发生环境污染事故",
                                   folder=Path(current_app.config["UPLOAD_FOLDER"]), today=DAY)


def test_an_open_objection_shows_its_state_and_nothing_of_the_objector(client, objection):
    answer = client.post("/objections/lookup", data={"reference": objection.reference})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "处理中" in page and objection.reference in page
    assert "2025-03-10" in page
    for private in ("王五", "13800000000", "环境污染事故"):
        assert private not in page


def test_a_handled_objection_shows_the_reply(client, dbs, people, objection):
    services.handle_objection(dbs, criteria_engine(), people["province_officer"], objection,
                              upheld=False, reason="经核查，该企业无环境污染事故记录", today=DAY)
    typed = " " + objection.reference.lower().replace("-", "－") + " "  # as people type it
    page = client.post("/objections/lookup", data={"reference": typed}).get_data(as_text=True)
    assert "异议不成立" in page and "经核查，该企业无环境污染事故记录" in page


def test_an_unknown_reference_is_a_404_with_a_message(client, objection):
    answer = client.post("/objections/lookup", data={"reference": "YY20250310-AAAAAA"})
    assert answer.status_code == 404 and "未查到受理编号" in answer.get_data(as_text=True)
    assert client.post("/objections/lookup", data={"reference": "' OR 1=1 --"}).status_code == 404
    empty = client.post("/objections/lookup", data={"reference": " "})
    assert empty.status_code == 422 and "请填写异议受理编号" in empty.get_data(as_text=True)


def test_misses_are_limited_but_a_real_reference_is_not(app, client, objection):
    app.config.update(OBJECTION_LOOKUP_LIMIT="3 per hour")
    for _ in range(5):  # hits do not count
        assert client.post("/objections/lookup",
                           data={"reference": objection.reference}).status_code == 200
    for n in range(3):
        assert client.post("/objections/lookup",
                           data={"reference": f"YY20250310-AAAAA{n + 2}"}).status_code == 404
    refused = client.post("/objections/lookup", data={"reference": "YY20250310-AAAAA9"})
    assert refused.status_code == 429 and "查询未果的次数过多" in refused.get_data(as_text=True)
