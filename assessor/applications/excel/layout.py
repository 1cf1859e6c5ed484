"""What the workbook looks like: its sheets and their columns, the unit lists and limits, and the
names (carriers, declarations' answers, benchmarks) the template writes and the parser reads."""

from __future__ import annotations

from dataclasses import dataclass

from ...engine import Reference
from ...engine.schema import MAX_QUANTITY

# The unit choices of the web form and the workbook (form_fields imports them from here).
UNITS = {
    "t": ["t", "kg", "万t"],
    "m3": ["m3", "万m3", "Nm3", "万Nm3"],
    "GJ": ["GJ", "MJ", "万GJ"],
    "MWh": ["MWh", "kWh", "万kWh"],
    "tCO2": ["tCO2", "tCO2e", "万tCO2"],
    "product_energy": ["tce", "kgce", "MWh", "kWh", "万kWh"],
}
ELECTRICITY_FIELDS = [
    ("grid_purchase", "电网购电总量（含绿电交易）"),
    ("green_power_trading", "其中：绿电交易电量"),
    ("direct_green_supply", "绿电直连电量"),
    ("onsite_renewable_self_used", "自发自用可再生能源电量"),
    ("onsite_renewable_exported", "可再生能源上网电量"),
    ("onsite_certificates_sold", "已出售绿证的自发电量"),
]
INSTRUMENTS = [("ccer", "CCER"), ("forestry_ticket", "林业碳票"), ("other", "其他")]
# the 绿证 sheet's 绿证类型: which list of the submission's electricity a row belongs to
CERTIFICATE_KINDS = [("green_certificates", "另购绿证"),
                     ("green_power_trade_certificates", "绿电交易绿证")]
YES, NO = "是", "否"
MAX_NUMBER = MAX_QUANTITY  # the engine's ceiling of every quantity (10¹²)
MAX_COUNT = 10_000_000

INTRO, EXAMPLE, LISTS = "说明", "示例", "代码表"
ENERGY, ELECTRICITY, CERTIFICATES, PROCESS = "能源消费", "电力", "绿证", "过程排放"
PRODUCTS, OFFSETS, DECLARATIONS, REPORTED, MEMBERS = "产品", "碳抵消", "声明", "填报指标", "园区企业"
FILE = "（文件）"
# the sector process-activity sheets (activity.py describes them); a workbook of the earlier
# template, without them, still imports
CARBONATES, CLINKER_LINES, CLINKER_SUBSTITUTES = "碳酸盐", "熟料生产线", "熟料替代原料"
ALUMINIUM, STEEL_MATERIALS, CARBON_BALANCE, COMPUTING = "电解铝", "钢铁过程材料", "碳平衡", "数据中心"
ACTIVITY_SHEETS = [CARBONATES, CLINKER_LINES, CLINKER_SUBSTITUTES, ALUMINIUM, STEEL_MATERIALS,
                   CARBON_BALANCE, COMPUTING]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int = 14
    info: bool = False  # shown for reading; optional, never parsed
    text: bool = False  # stored as text (serials, codes, USCC)
    optional: bool = False  # may be missing: workbooks of an earlier template lack it


def _columns(sheet: str, park: bool) -> list[Column]:
    if sheet in ACTIVITY_SHEETS:
        from .activity import BLOCK_BY_SHEET, block_columns

        return block_columns(BLOCK_BY_SHEET[sheet], park)
    member = [Column("member", "所属企业", 24, text=True)] if park else []
    return {
        ENERGY: [Column("carrier", "能源品种代码", 18, text=True),
                 Column("name", "能源品种名称", 20, info=True),
                 Column("quantity", "数量"), Column("unit", "单位", 10)],
        ELECTRICITY: [Column("field", "项目代码", 28, text=True),
                      Column("name", "项目名称", 28, info=True),
                      Column("quantity", "数量"), Column("unit", "单位", 10)],
        CERTIFICATES: [*member, Column("serial", "绿证起始编号", 28, text=True),
                       Column("count", "张数"), Column("kind", "绿证类型", 16, optional=True)],
        PROCESS: [*member, Column("source", "排放源", 28), Column("quantity", "排放量"),
                  Column("unit", "单位", 10),
                  Column("method", "核算方法 / Method", 48, optional=True)],
        PRODUCTS: [*member, Column("benchmark", "能效指标代码", 36, text=True),
                   Column("name", "产品及能效指标", 48, info=True),
                   Column("output", "产量"), Column("output_unit", "产量单位", 10),
                   Column("energy", "能耗"), Column("energy_unit", "能耗单位", 10)],
        OFFSETS: [Column("instrument", "类型", 12), Column("serial", "登记编号（起始）", 28, text=True),
                  Column("count", "连续编号个数"), Column("quantity", "抵消量"),
                  Column("unit", "单位", 10)],
        DECLARATIONS: [Column("declaration", "声明代码", 24, text=True),
                       Column("title", "声明内容", 60, info=True),
                       Column("answer", "回答", 24), Column("choices", "可选回答", 40, info=True)],
        REPORTED: [Column("indicator", "指标代码", 26, text=True),
                   Column("title", "指标名称", 40, info=True),
                   Column("value", "数值"), Column("unit", "单位", 10),
                   Column("range", "取值范围", 14, info=True)],
        MEMBERS: [Column("name", "企业名称", 30), Column("uscc", "统一社会信用代码", 22, text=True),
                  Column("item", "项目", 28), Column("quantity", "数量"),
                  Column("unit", "单位", 10)],
    }[sheet]


def data_sheets(subject: str) -> list[str]:
    sheets = [ENERGY, ELECTRICITY, CERTIFICATES, PROCESS, *ACTIVITY_SHEETS, PRODUCTS, OFFSETS,
              DECLARATIONS, REPORTED]
    return [*sheets, MEMBERS] if subject == "park" else sheets


_PURPOSE = {
    ENERGY: ("每种能源一行，填写实物量和单位；不用的品种数量留空。园区在此填写园区自有设施的用能。",
             "One row per energy carrier: physical quantity and unit; leave unused carriers "
             "blank."),
    ELECTRICITY: ("每个电力项目一行，单位为 MWh、kWh 或 万kWh。绿电交易电量是电网购电总量的一部分。",
                  "One row per electricity item, in MWh, kWh or 万kWh. Green-power trading is part "
                  "of the grid purchase."),
    CERTIFICATES: ("绿证：每行一个编号段，填起始编号和张数（1 张 = 1 MWh，编号连续）；“绿证类型”选“另购绿证”"
                   "（单独购买并注销）或“绿电交易绿证”（证电合一，电量已计入绿电交易），留空按另购绿证。",
                   "Green certificates: one block per row, first serial and count (1 certificate "
                   "= 1 MWh, consecutive serials); 绿证类型 is 另购绿证 (unbundled, bought and "
                   "retired) or 绿电交易绿证 (came with a green-power trade, its MWh already in "
                   "green-power trading); blank means unbundled."),
    PROCESS: ("工业生产过程排放（在别处算好的）：每个排放源一行，单位 tCO2，"
              "并在“核算方法”列写明所用指南、公式和数据来源；"
              "碳酸盐、熟料、电解铝、钢铁、碳平衡和数据中心的活动数据请填在各自的工作表，由系统计算。",
              "Process emissions worked out elsewhere: one source per row, in tCO2, with the "
              "guideline, formula and data in 核算方法 (method); the activity data of "
              "carbonates, clinker, aluminium, steel, carbon balances and data centres go on "
              "their own sheets and are computed."),
    PRODUCTS: ("主要产品能效：能效指标代码从下拉列表选择（见“代码表”），能耗按该指标分子的单位填写（kgce 或 kWh）。",
               "Products: pick the benchmark id from the list; energy in the numerator of that "
               "indicator (kgce or kWh)."),
    OFFSETS: ("碳抵消：类型（CCER、林业碳票、其他）、起始登记编号、连续编号个数、抵消量和单位。",
              "Offsets: type, first registry serial, number of consecutive serials, amount, unit."),
    DECLARATIONS: ("声明：在“回答”列填写“是”或“否”，或从下拉列表选择一个选项；留空表示未填写。",
                   "Declarations: answer 是 (yes) or 否 (no), or pick an option; blank means not "
                   "answered."),
    REPORTED: ("填报指标：在“数值”列填写数字，单位固定，请勿修改。",
               "Reported figures: a number in 数值; the unit is fixed."),
    MEMBERS: ("园区企业：每家企业每个项目一行（企业名称、统一社会信用代码、项目、数量、单位）；"
              "项目为能源品种或电力项目，可填名称或代码。只有名称、没有项目的一行表示该企业暂无数据。企业的绿证、过程排放和产品填在对应工作表，"
              "并在“所属企业”列写企业名称（园区自有设施留空）。",
              "Park members: one row per member and item (name, USCC, item, quantity, unit); the "
              "item is an energy carrier or electricity item (name or id). Members' "
              "certificates, process emissions and products go on those sheets with the "
              "member's name in 所属企业 (blank for the park's own facilities)."),
}


# -- names shared by the template, the parser and the preview ----------------------------------

def _name(reference: Reference, item: str) -> str:
    """A carrier's or electricity item's Chinese name (the id when unknown)."""
    carrier = reference.carriers.get(item)
    return carrier.name_zh if carrier else dict(ELECTRICITY_FIELDS).get(item, item)


def _benchmark_title(reference: Reference, bid) -> str:
    if bid not in reference.benchmarks.index:
        return ""
    row = reference.benchmarks.loc[bid]
    return f"{row['product_zh']}：{row['indicator_zh']}（{row['unit']}）"


def _option_title(declaration, option: str) -> str:
    title = declaration.option_titles.get(option)
    return title.zh if title else option


def _choices(declaration) -> list[str]:
    """The answers a declaration takes, as the workbook writes them."""
    if declaration.type == "boolean":
        return [YES, NO]
    return [_option_title(declaration, o) for o in declaration.options]


def _product_energy_units(reference: Reference) -> list[str]:
    extra = sorted(set(reference.benchmarks["energy_unit"]) - set(UNITS["product_energy"]))
    return UNITS["product_energy"] + extra

