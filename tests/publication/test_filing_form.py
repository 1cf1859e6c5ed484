"""The annual filing shares the self-assessment form: numbers typed with separators or
full-width digits, shown back with separators, and the result in brief beside the form."""

from datetime import date

from assessor.publication import filing
from tests.web.test_selfassessment_form import _value


def test_the_annual_filing_shares_the_form(app, dbs, people, published, applicant_client):
    call = filing.open_call(dbs, people["province_officer"], published, 2024, date(2025, 6, 30),
                            date(2025, 4, 1))
    app.config["TODAY"] = date(2025, 5, 1)
    item = filing.filing(dbs, people["applicant"], call)
    url = f"/filings/{call.id}"
    page = applicant_client.get(url).get_data(as_text=True)
    assert 'aria-label="填报进度"' in page and '<aside class="sa-aside">' in page
    form = {"lock_version": str(item.lock_version),
            "electricity-grid_purchase-quantity": "２，７００，０００",
            "electricity-grid_purchase-unit": "MWh"}
    assert "已保存" in applicant_client.post(url, data=form, follow_redirects=True).get_data(
        as_text=True)
    dbs.expire_all()
    dbs.refresh(item)
    assert item.data["electricity"]["grid_purchase"] == {"quantity": 2_700_000, "unit": "MWh"}
    page = applicant_client.get(url).get_data(as_text=True)
    assert _value(page, "electricity-grid_purchase-quantity") == "2,700,000"
    assert "总分" in page.split('<aside class="sa-aside">', 1)[1].split("</aside>", 1)[0]
