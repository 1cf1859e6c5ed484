"""The sector process-activity sheets (碳酸盐, 熟料生产线, 熟料替代原料, 电解铝, 钢铁过程材料, 碳平衡,
数据中心): one description per block of the submission's accounting unit (engine/schema.py), from
which the template writes its columns, rows and lists, the parser reads the rows back into
exactly the schema's JSON, engine problems find their cells and the preview names the changes.

Materials are shown by their Chinese names (the version's process tables, as the engine loaded
them, else criteria/reference/process_factors.csv); the import maps a name back to its id and
accepts the id too. Enumerations are shown in Chinese.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ...engine import Reference
from .layout import (
    ALUMINIUM,
    CARBON_BALANCE,
    CARBONATES,
    CLINKER_LINES,
    CLINKER_SUBSTITUTES,
    COMPUTING,
    STEEL_MATERIALS,
    UNITS,
    Column,
)

_DEFAULT_FOLDER = Path(__file__).resolve().parents[3] / "criteria" / "reference"
FACTORS, GUIDELINES = "process_factors.csv", "process_guidelines.csv"

# the unit lists of the activity columns (a unit of the same kind as one listed is accepted too)
ACTIVITY_UNITS = {
    "t": UNITS["t"],
    "share": ["%", "fraction"],
    "tCO2/t": ["tCO2/t", "kgCO2/t"],
    "tC/t": ["tC/t", "kgC/t"],
    "min/d": ["min/d"],
    "MWh": UNITS["MWh"],
    "water": ["m3", "万m3", "L"],
    "flow": ["t", "kg", "万t", "Nm3", "万Nm3", "m3", "万m3"],
    "carbon": ["%", "tC/t", "kgC/t", "tC/万Nm3"],
}

# how the hidden 代码表 sheet titles each list (never a key: it can be unhidden)
UNIT_TITLES = {"t": "t", "share": "含量", "tCO2/t": "排放因子", "tC/t": "炭阳极净耗",
               "min/d": "阳极效应", "MWh": "MWh", "water": "用水量", "flow": "碳流数量",
               "carbon": "含碳量"}

BASES = (("calculated", "计算值", "calculated"), ("measured", "实测值", "measured"))
CLINKER_METHODS = (
    ("ets_2024", "全国碳市场方法（CETS—AG—02.01—V01—2024）",
     "National carbon market method (CETS—AG—02.01—V01—2024)"),
    ("oxides_2015", "氧化钙、氧化镁法（GB/T 32151.8-2015）",
     "CaO and MgO method (GB/T 32151.8-2015)"),
)
FLOWS = (
    ("input", "投入", "input"),
    ("product", "含碳产品", "carbon-bearing product"),
    ("residue", "炉渣、除尘灰等", "slag, dust and other residues"),
    ("offgas_exported", "外供尾气", "off-gas supplied off site"),
    ("offgas_burned", "厂内燃烧或火炬", "off-gas burned or flared on site"),
)
ALUMINIUM_GUIDELINES = ("cets_2024_aluminium", "ndrc_2013_aluminium")


@dataclass(frozen=True)
class Part:
    """One field of a block's item. kind: text, choice (fixed options), material (a row of
    process_factors.csv), carrier (an energy carrier of the reference), amount (quantity and
    unit columns) or own (an OwnValue: quantity, unit, basis and evidence columns)."""

    key: str
    kind: str
    zh: str
    en: str
    required: bool = False
    units: str = ""  # amount, own: an ACTIVITY_UNITS key
    choices: tuple = ()  # choice: (id, zh, en)
    materials: tuple[str, str] = ("", "")  # material: (guideline, role; "" = any role)
    limit: int = 200  # text: its longest
    width: int = 16


@dataclass(frozen=True)
class Block:
    sheet: str
    path: str  # the AccountingUnit field
    parts: tuple[Part, ...]
    purpose: tuple[str, str]
    single: bool = False  # one object per accounting unit (computing), not a list

    def part(self, key: str) -> Part | None:
        return next((p for p in self.parts if p.key == key), None)


def _own(key: str, zh: str, en: str, units: str) -> Part:
    return Part(key, "own", zh, en, units=units)


BLOCKS = (
    Block(CARBONATES, "carbonates", (
        Part("material", "material", "碳酸盐品种", "Carbonate", True,
             materials=("ndrc_carbonates", ""), width=24),
        Part("consumption", "amount", "消耗量", "Consumption", True, units="t"),
        Part("purity", "amount", "纯度", "Purity", units="share"),
        _own("factor", "自有排放因子", "Own emission factor", "tCO2/t"),
    ), ("碳酸盐使用：每种碳酸盐一行（石灰石、白云石、纯碱等，从下拉列表选择），填写消耗量和纯度（不填按 100%）；"
        "有计算值或实测值的排放因子时填在“自有排放因子”各列，并注明依据和证明材料。",
        "Carbonates: one row per carbonate (pick it from the list), consumption and purity "
        "(100 % when blank); a calculated or measured factor of your own goes in the own-factor "
        "columns with its basis and evidence.")),
    Block(CLINKER_LINES, "clinker_lines", (
        Part("line", "text", "生产线", "Line", True, width=20),
        Part("method", "choice", "核算方法", "Method", True, choices=CLINKER_METHODS, width=36),
        Part("clinker_type", "material", "熟料类型", "Clinker type",
             materials=("cets_2024_cement", "clinker"), width=24),
        Part("output", "amount", "熟料产量", "Clinker output", True, units="t"),
        _own("factor", "自有排放因子", "Own emission factor", "tCO2/t"),
        Part("cao", "amount", "熟料中 CaO 含量", "CaO in clinker", units="share"),
        Part("mgo", "amount", "熟料中 MgO 含量", "MgO in clinker", units="share"),
        Part("cao_non_carbonate", "amount", "非碳酸盐 CaO 含量", "Non-carbonate CaO",
             units="share"),
        Part("mgo_non_carbonate", "amount", "非碳酸盐 MgO 含量", "Non-carbonate MgO",
             units="share"),
        Part("kiln_dust", "amount", "窑头粉尘量", "Kiln-head dust", units="t"),
        Part("bypass_dust", "amount", "旁路放风粉尘量", "Bypass dust", units="t"),
        Part("raw_meal", "amount", "生料量", "Raw meal", units="t"),
        Part("raw_meal_carbon", "amount", "生料非燃料碳含量", "Non-fuel carbon in raw meal",
             units="share"),
    ), ("熟料生产线：每条生产线一行。全国碳市场方法填写熟料产量（熟料类型不填按通用硅酸盐水泥熟料，可填自有排放因子）；"
        "氧化钙、氧化镁法还要填写熟料中 CaO、MgO 及非碳酸盐 CaO、MgO 含量，"
        "窑头粉尘、旁路放风粉尘、生料量和生料非燃料碳含量。",
        "Clinker lines: one line per row. The national carbon market method needs the clinker "
        "output (clinker type: Portland when blank; an own factor may be given); the CaO and "
        "MgO method also needs the oxide contents, the dust, raw meal and its non-fuel carbon.")),
    Block(CLINKER_SUBSTITUTES, "clinker_substitutes", (
        Part("material", "material", "替代原料", "Alternative raw material", True,
             materials=("cets_2024_cement", "substitute"), width=24),
        Part("consumption", "amount", "消耗量", "Consumption", True, units="t"),
        _own("factor", "自有扣减因子", "Own deduction factor", "tCO2/t"),
    ), ("熟料替代原料：入窑的非碳酸盐替代原料（电石渣、磷渣、磷石膏等），每种一行，填写消耗量；"
        "按全国碳市场方法从熟料排放中扣减。",
        "Alternative raw materials fed to the kilns: one per row with its consumption; "
        "deducted from the national carbon market method's clinker emissions.")),
    Block(ALUMINIUM, "aluminium", (
        Part("guideline", "choice", "核算指南", "Guideline", True, width=32),
        Part("output", "amount", "原铝（铝液）产量", "Aluminium output", True, units="t"),
        _own("net_anode", "吨铝炭阳极净耗（自有值）", "Net anode use (own value)", "tC/t"),
        _own("anode_sulphur", "炭阳极含硫量（自有值）", "Anode sulphur (own value)", "share"),
        _own("anode_ash", "炭阳极灰分（自有值）", "Anode ash (own value)", "share"),
        Part("anode_effect_minutes", "amount", "阳极效应持续时间", "Anode-effect duration",
             units="min/d"),
        Part("limestone", "amount", "煅烧石灰石用量", "Calcined limestone", units="t"),
    ), ("电解铝：每个电解系列一行，选择核算指南，填写产量；"
        "炭阳极净耗、含硫量、灰分有计算值或实测值时填写（否则用指南缺省值）；"
        "阳极效应持续时间（分钟/槽日）实测时填写。",
        "Aluminium smelters: one per row, the guideline and the output; net anode use, sulphur "
        "and ash when you have your own values (otherwise the guideline's defaults); the "
        "anode-effect duration (minutes per cell-day) when measured.")),
    Block(STEEL_MATERIALS, "steel_materials", (
        Part("material", "material", "物料", "Material", True, materials=("steel", ""),
             width=28),
        Part("quantity", "amount", "用量或产量", "Quantity", True, units="t"),
        _own("factor", "自有排放因子", "Own emission factor", "tCO2/t"),
    ), ("钢铁过程排放：熔剂、电极、外购含碳原料各一行填写用量；固碳产品（生铁、粗钢、甲醇）填写产量，按其因子扣减。",
        "Iron and steel: fluxes, electrodes and purchased carbon-bearing materials with their "
        "use; carbon-fixing products with their output (deducted).")),
    Block(CARBON_BALANCE, "carbon_balance", (
        Part("process", "text", "工序", "Process", True, width=20),
        Part("flow", "choice", "碳流类型", "Flow", True, choices=FLOWS, width=18),
        Part("material", "text", "物料名称", "Material", True, width=20),
        Part("quantity", "amount", "数量", "Quantity", True, units="flow"),
        Part("carbon", "amount", "含碳量", "Carbon content", True, units="carbon"),
        Part("basis", "choice", "含碳量依据", "Carbon basis", True, choices=BASES, width=12),
        Part("carrier", "carrier", "对应能源品种", "Energy carrier", limit=40, width=18),
    ), ("碳平衡（铁合金、电石、黄磷、煤化工）：每个工序的每种碳流一行：投入、含碳产品、炉渣和除尘灰等、外供尾气、"
        "厂内燃烧或火炬；含碳量为本企业计算值或实测值（没有缺省值）。投入物料同时计入“能源消费”时，在“对应能源品种”选择该品种，避免重复计算。",
        "Carbon balance (ferroalloys, calcium carbide, yellow phosphorus, coal chemicals): one "
        "row per carbon flow of a process; the carbon content is your own (calculated or "
        "measured). When an input is also in 能源消费, pick that carrier so that it is not "
        "counted twice.")),
    Block(COMPUTING, "computing", (
        Part("it_energy", "amount", "IT 设备用电量", "IT equipment energy", True, units="MWh"),
        Part("facility_energy", "amount", "数据中心总用电量", "Facility energy", True,
             units="MWh"),
        Part("water", "amount", "用水量", "Water use", units="water"),
    ), ("数据中心：全年 IT 设备用电量、数据中心总用电量和用水量（系统计算 PUE 和 WUE），每个核算单元一行。",
        "Data centre: the year's IT equipment energy, the whole facility's energy and its water "
        "use (PUE and WUE are computed); one row per accounting unit."), single=True),
)
BLOCK_BY_SHEET = {b.sheet: b for b in BLOCKS}
BLOCK_BY_PATH = {b.path: b for b in BLOCKS}


def header(part: Part, what: str = "") -> str:
    """A column's header, Chinese first: 消耗量 / Consumption, 消耗量单位 / Consumption unit."""
    zh_suffix, en_suffix = {"": ("", ""), "unit": ("单位", " unit"),
                            "basis": ("依据", " basis"),
                            "evidence": ("证明材料", " evidence")}[what]
    return f"{part.zh}{zh_suffix} / {part.en}{en_suffix}"


def part_columns(part: Part) -> list[Column]:
    if part.kind == "amount":
        return [Column(part.key, header(part), part.width),
                Column(f"{part.key}_unit", header(part, "unit"), 12)]
    if part.kind == "own":
        return [Column(part.key, header(part), part.width),
                Column(f"{part.key}_unit", header(part, "unit"), 12),
                Column(f"{part.key}_basis", header(part, "basis"), 12),
                Column(f"{part.key}_evidence", header(part, "evidence"), 24)]
    return [Column(part.key, header(part), part.width, text=part.kind == "text")]


def block_columns(block: Block, park: bool) -> list[Column]:
    member = [Column("member", "所属企业", 24, text=True)] if park else []
    return [*member, *(c for p in block.parts for c in part_columns(p))]


def column_of(block: Block, rest: str) -> str | None:
    """The column key of a path inside an item (output.unit → output_unit, factor.basis →
    factor_basis, material → material)."""
    names = rest.split(".") if rest else []
    if not names:
        return None
    part = block.part(names[0])
    if part is None:
        return None
    if part.kind in ("amount", "own") and len(names) > 1 and names[1] != "quantity":
        return f"{part.key}_{names[1]}"
    return part.key


# -- names of the reference ----------------------------------------------------------------------

@dataclass(frozen=True)
class Material:
    id: str
    name_zh: str
    name_en: str


def _file(reference: Reference, name: str) -> str:
    """A reference file's text: the version's own, or the repository's (a version stored
    before the sector tables had none)."""
    text = (reference.files or {}).get(name) if reference is not None else None
    return text if text else (_DEFAULT_FOLDER / name).read_text(encoding="utf-8")


@lru_cache(maxsize=8)
def _factor_rows(text: str) -> tuple[dict, ...]:
    return tuple(csv.DictReader(io.StringIO(text, newline="")))


def materials(reference: Reference, part: Part) -> list[Material]:
    """The materials a material column offers, in the table's order."""
    guideline, role = part.materials
    tables = getattr(reference, "process", None)  # the engine's, as loaded for this version
    if tables is not None:
        return [Material(f.parameter, f.name_zh, f.name_en) for (g, _p), f in
                tables.factors.items() if g == guideline and (not role or f.role == role)]
    return [Material(r["parameter"], r["name_zh"], r["name_en"])
            for r in _factor_rows(_file(reference, FACTORS))
            if r["guideline"] == guideline and (not role or r["role"] == role)]


def guideline_choices(reference: Reference) -> tuple:
    tables = getattr(reference, "process", None)
    if tables is not None:
        return tuple((g, tables.guidelines[g].name_zh, tables.guidelines[g].name_en)
                     if g in tables.guidelines else (g, g, g) for g in ALUMINIUM_GUIDELINES)
    rows = {r["id"]: r for r in _factor_rows(_file(reference, GUIDELINES))}
    return tuple((g, rows[g]["name_zh"] if g in rows else g, rows[g]["name_en"] if g in rows
                  else g) for g in ALUMINIUM_GUIDELINES)


def choices(reference: Reference, part: Part) -> list[tuple[str, str, str]]:
    """(id, Chinese name, English name) of every value a column offers."""
    if part.kind == "choice":
        return list(guideline_choices(reference) if part.key == "guideline" and not part.choices
                    else part.choices)
    if part.kind == "material":
        return [(m.id, m.name_zh, m.name_en) for m in materials(reference, part)]
    if part.kind == "carrier":
        return [(c.id, c.name_zh, c.name_en) for c in reference.carriers.values()]
    return []


def basis_names() -> dict[str, str]:
    return {b: zh for b, zh, _ in BASES}


def shown(reference: Reference, part: Part, value, english: bool = False):
    """A value as the sheet (or the preview) shows it: a name for an id, the value otherwise."""
    if part.kind == "carrier" and reference is None:
        return value
    if part.kind in ("choice", "material", "carrier") and isinstance(value, str):
        for cid, zh, en in choices(reference, part):
            if cid == value:
                return en if english else zh
    return value


def lookup(reference: Reference, part: Part) -> dict[str, str]:
    """Every way a value of the column may be written (id, Chinese or English name, any case)
    → its id."""
    found: dict[str, str] = {}
    for cid, zh, en in reversed(choices(reference, part)):
        for text in (en, zh, cid):
            found[text.strip().lower()] = cid
    return found


def purpose(sheet: str) -> tuple[str, str]:
    """What a sheet is for (Chinese, English): the 说明 sheet lists it, row 1 notes it."""
    from .layout import _PURPOSE

    block = BLOCK_BY_SHEET.get(sheet)
    return block.purpose if block else _PURPOSE[sheet]


def item_cells(reference: Reference, block: Block, item: dict) -> list:
    """An item of the block as its row's cells (after the 所属企业 column): ids as names."""
    cells: list = []
    for part in block.parts:
        value = item.get(part.key) if isinstance(item, dict) else None
        if part.kind in ("amount", "own"):
            amount = value if isinstance(value, dict) else {}
            cells += [amount.get("quantity"), amount.get("unit")]
            if part.kind == "own":
                cells += [basis_names().get(amount.get("basis"), amount.get("basis")),
                          amount.get("evidence") or None]
        else:
            cells.append(shown(reference, part, value) if value != "" else None)
    return cells
