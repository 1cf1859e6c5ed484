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
    energy.cell(rows["coke"], 3, 5000)  # the unit column comes prefilled (t)
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
    book["过程排放"].append(["熟料煅烧", 1200, "tCO2", "熟料产量 × 0.52（CETS—AG—02.01—V01—2024）"])
    book["碳酸盐"].append(["石灰石（CaCO3）", 1500, "t", 92, "%", 0.43, "tCO2/t", "实测值", "检测报告"])
    book["熟料生产线"].append(["1号线", "全国碳市场方法（CETS—AG—02.01—V01—2024）", "硅酸盐水泥熟料",
                              50, "万t"])
    book["熟料替代原料"].append(["电石渣", 8000, "t"])
    book["电解铝"].append(["电解铝生产企业核算指南（2013）", 1000, "t"])
    book["钢铁过程材料"].append(["电极", 300, "t", 3.5, "tCO2/t", "计算值"])
    book["碳平衡"].append(["硅铁冶炼", "投入", "兰炭", 3000, "t", 82, "%", "实测值", "焦炭"])
    book["数据中心"].append([1000, "MWh", 1300, "MWh", 2000, "m3"])
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
               "diesel": {"quantity": 1250.5, "unit": "t"},
               "coke": {"quantity": 5000.0, "unit": "t"}},
    "electricity": {
        "grid_purchase": {"quantity": 20000.0, "unit": "MWh"},
        "green_power_trading": {"quantity": 12000.0, "unit": "MWh"},
        "direct_green_supply": {"quantity": 600.0, "unit": "万kWh"},
        "onsite_renewable_self_used": {"quantity": 6000.0, "unit": "MWh"},
        "green_certificates": [{"serial": "GEC202300000001", "count": 8000},
                               {"serial": "202300990001", "count": 1}],
    },
    "process_emissions": [{"source": "熟料煅烧", "quantity": 1200.0, "unit": "tCO2",
                           "method": "熟料产量 × 0.52（CETS—AG—02.01—V01—2024）"}],
    "carbonates": [{"material": "limestone", "consumption": {"quantity": 1500.0, "unit": "t"},
                    "purity": {"quantity": 92.0, "unit": "%"},
                    "factor": {"quantity": 0.43, "unit": "tCO2/t", "basis": "measured",
                               "evidence": "检测报告"}}],
    "clinker_lines": [{"line": "1号线", "method": "ets_2024", "clinker_type": "clinker_portland",
                       "output": {"quantity": 50.0, "unit": "万t"}}],
    "clinker_substitutes": [{"material": "carbide_slag",
                             "consumption": {"quantity": 8000.0, "unit": "t"}}],
    "aluminium": [{"guideline": "ndrc_2013_aluminium",
                   "output": {"quantity": 1000.0, "unit": "t"}}],
    "steel_materials": [{"material": "electrode", "quantity": {"quantity": 300.0, "unit": "t"},
                         "factor": {"quantity": 3.5, "unit": "tCO2/t", "basis": "calculated"}}],
    "carbon_balance": [{"process": "硅铁冶炼", "flow": "input", "material": "兰炭",
                        "quantity": {"quantity": 3000.0, "unit": "t"},
                        "carbon": {"quantity": 82.0, "unit": "%"}, "basis": "measured",
                        "carrier": "coke"}],
    "computing": {"it_energy": {"quantity": 1000.0, "unit": "MWh"},
                  "facility_energy": {"quantity": 1300.0, "unit": "MWh"},
                  "water": {"quantity": 2000.0, "unit": "m3"}},
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


# every sector block of the schema, with every optional field somewhere: the round trips
SECTOR = {
    "process_emissions": [{"source": "尿素脱硝", "quantity": 12.0, "unit": "tCO2",
                           "method": "尿素用量 × 0.733 tCO2/t（化工行业指南），用量见台账"}],
    "carbonates": [
        {"material": "limestone", "consumption": {"quantity": 1500.0, "unit": "t"},
         "purity": {"quantity": 92.0, "unit": "%"},
         "factor": {"quantity": 0.43, "unit": "tCO2/t", "basis": "measured",
                    "evidence": "检测报告 2023-017"}},
        {"material": "soda_ash", "consumption": {"quantity": 3.0, "unit": "万t"}}],
    "clinker_lines": [
        {"line": "1号线", "method": "ets_2024", "clinker_type": "clinker_white",
         "output": {"quantity": 50.0, "unit": "万t"},
         "factor": {"quantity": 0.52, "unit": "tCO2/t", "basis": "calculated"}},
        {"line": "2号线", "method": "oxides_2015", "output": {"quantity": 100000.0, "unit": "t"},
         "cao": {"quantity": 65.0, "unit": "%"}, "mgo": {"quantity": 2.0, "unit": "%"},
         "cao_non_carbonate": {"quantity": 1.0, "unit": "%"},
         "mgo_non_carbonate": {"quantity": 0.5, "unit": "%"},
         "kiln_dust": {"quantity": 100.0, "unit": "t"},
         "bypass_dust": {"quantity": 10.0, "unit": "t"},
         "raw_meal": {"quantity": 160000.0, "unit": "t"},
         "raw_meal_carbon": {"quantity": 0.002, "unit": "fraction"}}],
    "clinker_substitutes": [
        {"material": "carbide_slag", "consumption": {"quantity": 8000.0, "unit": "t"},
         "factor": {"quantity": 0.41, "unit": "tCO2/t", "basis": "measured",
                    "evidence": "第三方检测"}}],
    "aluminium": [
        {"guideline": "cets_2024_aluminium", "output": {"quantity": 20.0, "unit": "万t"},
         "net_anode": {"quantity": 0.4, "unit": "tC/t", "basis": "measured"},
         "anode_sulphur": {"quantity": 1.8, "unit": "%", "basis": "measured"},
         "anode_ash": {"quantity": 0.3, "unit": "%", "basis": "calculated", "evidence": "化验"},
         "anode_effect_minutes": {"quantity": 0.05, "unit": "min/d"}},
        {"guideline": "ndrc_2013_aluminium", "output": {"quantity": 1000.0, "unit": "t"},
         "limestone": {"quantity": 20.0, "unit": "t"}}],
    "steel_materials": [
        {"material": "electrode", "quantity": {"quantity": 300.0, "unit": "t"}},
        {"material": "crude_steel_fixed", "quantity": {"quantity": 100.0, "unit": "万t"},
         "factor": {"quantity": 0.015, "unit": "tCO2/t", "basis": "calculated"}}],
    "carbon_balance": [
        {"process": "硅铁冶炼", "flow": "input", "material": "兰炭",
         "quantity": {"quantity": 3000.0, "unit": "t"},
         "carbon": {"quantity": 82.0, "unit": "%"}, "basis": "measured", "carrier": "coke"},
        {"process": "硅铁冶炼", "flow": "product", "material": "硅铁",
         "quantity": {"quantity": 1000.0, "unit": "t"},
         "carbon": {"quantity": 0.1, "unit": "%"}, "basis": "measured"},
        {"process": "硅铁冶炼", "flow": "residue", "material": "除尘灰",
         "quantity": {"quantity": 50.0, "unit": "t"},
         "carbon": {"quantity": 0.02, "unit": "tC/t"}, "basis": "calculated"},
        {"process": "硅铁冶炼", "flow": "offgas_exported", "material": "煤气",
         "quantity": {"quantity": 500.0, "unit": "万Nm3"},
         "carbon": {"quantity": 1.5, "unit": "tC/万Nm3"}, "basis": "calculated"},
        {"process": "硅铁冶炼", "flow": "offgas_burned", "material": "火炬气",
         "quantity": {"quantity": 20.0, "unit": "万Nm3"},
         "carbon": {"quantity": 1.2, "unit": "tC/万Nm3"}, "basis": "measured"}],
    "computing": {"it_energy": {"quantity": 1000.0, "unit": "MWh"},
                  "facility_energy": {"quantity": 1300.0, "unit": "MWh"},
                  "water": {"quantity": 2000.0, "unit": "m3"}},
}
