"""The annual filing form shares the application form's refusals (formflow and the engine):
a unit or number the engine refuses is shown beside its field and nothing is saved."""

import html
from datetime import date

from assessor.publication import filing


def test_the_filing_form_refuses_an_ambiguous_ton_and_saves_nothing(
        app, dbs, people, published, applicant_client):
    call = filing.open_call(dbs, people["province_officer"], published, 2024, date(2025, 6, 30),
                            date(2025, 4, 1))
    app.config["TODAY"] = date(2025, 5, 1)
    item = filing.filing(dbs, people["applicant"], call)
    data, version = dict(item.data or {}), item.lock_version
    for fields, message in (
            ({"energy-anthracite-quantity": "5", "energy-anthracite-unit": "ton"},
             "单位“ton”含义不明确（可能是美吨 907 kg 或英吨 1016 kg），请使用 t（吨）"),
            ({"electricity-grid_purchase-quantity": "1e400",
              "electricity-grid_purchase-unit": "MWh"}, "应为有限的数字")):
        response = applicant_client.post(f"/filings/{call.id}",
                                         data={"lock_version": str(version), **fields})
        page = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 422 and "填写的数据有误，未保存" in page
        assert message in page
        dbs.expire_all()
        dbs.refresh(item)
        assert (dict(item.data or {}), item.lock_version) == (data, version)
