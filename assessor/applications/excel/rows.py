"""A submission as the rows of the data sheets (the inverse of sheets.py), and the example
submission the 示例 sheet shows."""

from __future__ import annotations

from ...engine import CriteriaSet, Reference
from .activity import BLOCKS, item_cells
from .layout import (
    CERTIFICATE_KINDS,
    CERTIFICATES,
    DECLARATIONS,
    ELECTRICITY,
    ELECTRICITY_FIELDS,
    ENERGY,
    INSTRUMENTS,
    MEMBERS,
    NO,
    OFFSETS,
    PROCESS,
    PRODUCTS,
    REPORTED,
    UNITS,
    YES,
    _benchmark_title,
    _choices,
    _name,
    _option_title,
    data_sheets,
)


def _sheet_rows(criteria: CriteriaSet, reference: Reference, data: dict) -> dict[str, list[list]]:
    """The rows of every data sheet (without headers) for `data`."""
    park = criteria.subject == "park"
    rows: dict[str, list[list]] = {s: [] for s in data_sheets(criteria.subject)}
    rows[ENERGY] = _energy_rows(reference, data)
    rows[ELECTRICITY] = _electricity_rows(data)
    rows[CERTIFICATES], rows[PROCESS], rows[PRODUCTS] = _unit_rows(reference, data, park)
    rows.update(_activity_rows(reference, data, park))
    rows[OFFSETS] = _offset_rows(data)
    rows[DECLARATIONS] = _declaration_rows(criteria, data)
    rows[REPORTED] = _reported_rows(criteria, data)
    if park:
        rows[MEMBERS] = _member_rows(reference, data)
    return rows


def _energy_rows(reference: Reference, data: dict) -> list[list]:
    """One row per carrier of the reference, then any unknown carrier in the data."""
    rows = []
    energy = data.get("energy") or {}
    for carrier in reference.carriers.values():
        amount = energy.get(carrier.id) or {}
        rows.append([carrier.id, carrier.name_zh, amount.get("quantity"),
                     amount.get("unit") or UNITS[carrier.unit][0]])
    for carrier_id, amount in energy.items():  # kept so that the check can point at it
        if carrier_id not in reference.carriers:
            rows.append([carrier_id, "", amount.get("quantity"), amount.get("unit")])
    return rows


def _electricity_rows(data: dict) -> list[list]:
    electricity = data.get("electricity") or {}
    rows = []
    for name, label in ELECTRICITY_FIELDS:
        amount = electricity.get(name) or {}
        rows.append([name, label, amount.get("quantity"), amount.get("unit") or "MWh"])
    return rows


def _unit_rows(reference: Reference, data: dict,
               park: bool) -> tuple[list[list], list[list], list[list]]:
    """Certificates, process emissions and products of the applicant and (a park) its members,
    each row led by the member's name on a park's sheets."""
    certificates, process_rows, products = [], [], []
    units = [(None, data)] + [(m.get("name") or "", m) for m in data.get("members") or []]
    for owner, unit in units:
        lead = [owner] if park else []
        for listed, kind in CERTIFICATE_KINDS:
            for block in (unit.get("electricity") or {}).get(listed) or []:
                certificates.append([*lead, block.get("serial"), block.get("count"), kind])
        for process in unit.get("process_emissions") or []:
            process_rows.append([*lead, process.get("source"), process.get("quantity"),
                                 process.get("unit"), process.get("method") or None])
        for product in unit.get("production") or []:
            bid = product.get("benchmark")
            products.append([*lead, bid, _benchmark_title(reference, bid),
                             (product.get("output") or {}).get("quantity"),
                             (product.get("output") or {}).get("unit"),
                             (product.get("energy") or {}).get("quantity"),
                             (product.get("energy") or {}).get("unit")])
    return certificates, process_rows, products


def _activity_rows(reference: Reference, data: dict, park: bool) -> dict[str, list[list]]:
    """The sector activity sheets' rows: the applicant's (a park's own facilities) first, then
    each member's, led by the member's name on a park's sheets."""
    rows: dict[str, list[list]] = {block.sheet: [] for block in BLOCKS}
    units = [(None, data)] + [(m.get("name") or "", m) for m in data.get("members") or []]
    for owner, unit in units:
        lead = [owner] if park else []
        for block in BLOCKS:
            items = unit.get(block.path)
            if block.single:
                items = [items] if items else []
            for item in items or []:
                rows[block.sheet].append([*lead, *item_cells(reference, block, item)])
    return rows


def _offset_rows(data: dict) -> list[list]:
    titles = dict(INSTRUMENTS)
    return [[titles.get(offset.get("instrument"), offset.get("instrument")),
             offset.get("serial"), offset.get("count"), offset.get("quantity"),
             offset.get("unit")] for offset in data.get("offsets") or []]


def _declaration_rows(criteria: CriteriaSet, data: dict) -> list[list]:
    """Each declaration of the criteria with the answer shown as the sheet's list offers it."""
    rows = []
    answers = data.get("declarations") or {}
    for d in criteria.model.declarations:
        value = answers.get(d.id)
        if value is None:
            shown = None
        elif d.type == "boolean":
            shown = YES if value is True else NO if value is False else str(value)
        else:
            shown = _option_title(d, value) if value in d.options else str(value)
        rows.append([d.id, d.title.zh, shown, "、".join(_choices(d))])
    return rows


def _reported_rows(criteria: CriteriaSet, data: dict) -> list[list]:
    rows = []
    reported = data.get("reported") or {}
    for r in criteria.model.reported:
        low = "" if r.min is None else f"{r.min:g}"
        high = "" if r.max is None else f"{r.max:g}"
        rows.append([r.id, r.title.zh, (reported.get(r.id) or {}).get("quantity"),
                     r.unit, f"{low}–{high}" if low or high else ""])
    return rows


def _member_rows(reference: Reference, data: dict) -> list[list]:
    """A park's members: a row per energy or electricity amount, one empty row for a member
    without any."""
    rows = []
    for member in data.get("members") or []:
        name, uscc = member.get("name"), member.get("uscc") or None
        before = len(rows)
        for values in (member.get("energy") or {}, member.get("electricity") or {}):
            for item, amount in values.items():
                if not isinstance(amount, dict):  # the certificate lists: on 绿证
                    continue
                rows.append([name, uscc, _name(reference, item), amount.get("quantity"),
                             amount.get("unit")])
        if len(rows) == before:
            rows.append([name, uscc, None, None, None])
    return rows


def example_submission(criteria: CriteriaSet, reference: Reference) -> dict:
    """A filled example for the 示例 sheet: a factory, or a park with two members."""
    benchmark = ("cement_clinker_energy" if "cement_clinker_energy" in reference.benchmarks.index
                 else reference.benchmarks.index[0])
    factory = {
        "energy": {"natural_gas": {"quantity": 10, "unit": "万Nm3"},
                   "diesel": {"quantity": 12.5, "unit": "t"}},
        "electricity": {
            "grid_purchase": {"quantity": 20000, "unit": "MWh"},
            "green_power_trading": {"quantity": 12000, "unit": "MWh"},
            "direct_green_supply": {"quantity": 600, "unit": "万kWh"},
            "onsite_renewable_self_used": {"quantity": 6000, "unit": "MWh"},
            "green_certificates": [{"serial": "GEC202300000001", "count": 8000}],
            "green_power_trade_certificates": [{"serial": "GEC202300100001", "count": 12000}],
        },
        "process_emissions": [{"source": "玻璃熔窑脱硝用尿素", "quantity": 12, "unit": "tCO2",
                               "method": "尿素用量 × 0.733 tCO2/t（化工行业指南），用量见台账"}],
        "carbonates": [{"material": "limestone", "consumption": {"quantity": 1500, "unit": "t"},
                        "purity": {"quantity": 92, "unit": "%"}}],
        "clinker_lines": [{"line": "1号线", "method": "ets_2024",
                           "clinker_type": "clinker_portland",
                           "output": {"quantity": 50, "unit": "万t"}}],
        "clinker_substitutes": [{"material": "carbide_slag",
                                 "consumption": {"quantity": 8000, "unit": "t"},
                                 "factor": {"quantity": 0.41, "unit": "tCO2/t",
                                            "basis": "measured",
                                            "evidence": "2023 年第三方检测报告"}}],
        "carbon_balance": [{"process": "硅铁冶炼", "flow": "input", "material": "兰炭",
                            "quantity": {"quantity": 3000, "unit": "t"},
                            "carbon": {"quantity": 82, "unit": "%"}, "basis": "measured"}],
        "production": [{"benchmark": benchmark, "output": {"quantity": 50, "unit": "万t"},
                        "energy": {"quantity": 49000, "unit": "tce"}}],
    }
    data: dict = {"offsets": [{"instrument": "ccer", "serial": "CCER-GZ-000001", "count": 300,
                               "quantity": 300, "unit": "tCO2e"}]}
    data["declarations"] = {d.id: True if d.type == "boolean" else d.options[0]
                            for d in criteria.model.declarations}
    data["reported"] = {r.id: {"quantity": 90 if r.max is None or r.max >= 90 else r.max,
                               "unit": r.unit} for r in criteria.model.reported}
    if criteria.subject == "park":
        data["electricity"] = {"grid_purchase": {"quantity": 1500, "unit": "MWh"}}
        data["members"] = [
            {"name": "贵州示例材料有限公司", "uscc": "", **factory},
            {"name": "贵州示例电子有限公司", "uscc": "",
             "energy": {"natural_gas": {"quantity": 3, "unit": "万Nm3"}},
             "electricity": {"grid_purchase": {"quantity": 9000, "unit": "MWh"}}},
        ]
    else:
        data.update(factory)
    return data


