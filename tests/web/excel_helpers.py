"""Helpers of the Excel tests: a new application through the page, a workbook filled in as an
applicant would, its upload and the preview's token."""

import io
import re
import zipfile

import openpyxl

from assessor.applications import services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def new_application(client, round_) -> int:
    response = client.post("/applications/new", data={"round": round_.id})
    return int(response.headers["Location"].rstrip("/").split("/")[-2])


def draft_of(dbs, user, application_id):
    dbs.expire_all()
    return services.current_revision(dbs, services.get_visible(dbs, user, application_id))


def rows_by_code(sheet) -> dict[str, int]:
    return {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)
            if sheet.cell(r, 1).value}


def upload(client, application_id, content: bytes, name="自评价.xlsx"):
    return client.post(f"/applications/{application_id}/import",
                       data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def token_of(page: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_with(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def fill_factory(content: bytes) -> bytes:
    """The downloaded template, filled in as an applicant would."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    energy = book["能源消费"]
    rows = rows_by_code(energy)
    energy.cell(rows["natural_gas"], 3, 10)
    energy.cell(rows["natural_gas"], 4, "万Nm3")
    energy.cell(rows["diesel"], 3, "1,250.5")  # a thousands separator is fine
    electricity = book["电力"]
    rows = rows_by_code(electricity)
    for field, quantity, unit in (("grid_purchase", 20000, "MWh"),
                                  ("green_power_trading", 12000, "MWh"),
                                  ("direct_green_supply", 600, "万kWh"),
                                  ("onsite_renewable_self_used", 6000, "MWh")):
        electricity.cell(rows[field], 3, quantity)
        electricity.cell(rows[field], 4, unit)
    book["绿证"].append(["GEC202300000001", 8000])
    book["绿证"].append([202300990001, None])  # typed as a number, count left blank (= 1)
    book["过程排放"].append(["熟料煅烧", 1200, "tCO2"])
    book["产品"].append(["cement_clinker_energy", None, 50, "万t", 49000, "tce"])
    book["碳抵消"].append(["CCER", "CCER-GZ-000001", 300, 300, "tCO2e"])
    declarations = book["声明"]
    rows = rows_by_code(declarations)
    for key, answer in (("compliance_3y", "是"), ("green_factory_title", "国家级绿色工厂"),
                        ("no_obsolete_equipment", "是"), ("zero_carbon_plan", "否")):
        declarations.cell(rows[key], 3, answer)
    reported = book["填报指标"]
    reported.cell(rows_by_code(reported)["meter_auto_collection_rate"], 3, 95)
    return saved(book)



FILLED = {
    "subject": "factory",
    "reporting_year": 2023,
    "organisation": {"name": "贵州测试电子有限公司", "region": "贵阳市"},
    "energy": {"natural_gas": {"quantity": 10.0, "unit": "万Nm3"},
               "diesel": {"quantity": 1250.5, "unit": "t"}},
    "electricity": {
        "grid_purchase": {"quantity": 20000.0, "unit": "MWh"},
        "green_power_trading": {"quantity": 12000.0, "unit": "MWh"},
        "direct_green_supply": {"quantity": 600.0, "unit": "万kWh"},
        "onsite_renewable_self_used": {"quantity": 6000.0, "unit": "MWh"},
        "green_certificates": [{"serial": "GEC202300000001", "count": 8000},
                               {"serial": "202300990001", "count": 1}],
    },
    "process_emissions": [{"source": "熟料煅烧", "quantity": 1200.0, "unit": "tCO2"}],
    "production": [{"benchmark": "cement_clinker_energy",
                    "output": {"quantity": 50.0, "unit": "万t"},
                    "energy": {"quantity": 49000.0, "unit": "tce"}}],
    "offsets": [{"instrument": "ccer", "serial": "CCER-GZ-000001", "count": 300,
                 "quantity": 300.0, "unit": "tCO2e"}],
    "declarations": {"compliance_3y": True, "green_factory_title": "national",
                     "no_obsolete_equipment": True, "zero_carbon_plan": False},
    "reported": {"meter_auto_collection_rate": {"quantity": 95.0, "unit": "%"}},
}



def expected_filled(dbs, people) -> dict:
    from assessor.accounts.models import Organisation

    organisation = dbs.get(Organisation, people["applicant"].organisation_id)
    return {**FILLED, "organisation": {**FILLED["organisation"], "uscc": organisation.uscc}}

