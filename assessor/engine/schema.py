"""The submission: one reporting year of a factory's or a park's activity data.

This is the engine's documented input (JSON). `docs/submission-schema.json` is generated from
these models; `docs/engine.md` explains each field. Quantities always carry their unit.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from .claims import normalise_serial
from .errors import Problem, SubmissionError


def _normalised_serial(value: object) -> object:
    return normalise_serial(value) if isinstance(value, str) else value


# compared after normalising (claims.normalise_serial): full-width, spaces and case do not matter
Serial = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[0-9A-Za-z._:/\-]+$"),
                   BeforeValidator(_normalised_serial)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
UnitText = Annotated[str, Field(min_length=1, max_length=40)]


# The ceiling of every quantity, as typed and after conversion to the unit the engine works in
# (t, m3, GJ, MWh, tCO2, tce): 10^12 is above China's yearly total of each, so a larger figure
# is a wrong unit or decimal point; sums of figures below it never overflow to inf.
MAX_QUANTITY = 1e12


def _number(value: object) -> object:
    """A JSON number as such: an integer beyond the ceiling is "too large", not "not a number"
    (strict mode refuses booleans, text and integers too large for a float)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_QUANTITY:
        raise PydanticCustomError("less_than_equal", "Input should be less than or equal to "
                                  "{le}", {"le": MAX_QUANTITY})
    return value


def _declared(value: object) -> object:
    if not isinstance(value, bool | str):
        raise PydanticCustomError("declaration_type", "must be true or false, or one of the "
                                  "declaration's options (a number is neither)")
    return value


Quantity = Annotated[float, Field(ge=0, le=MAX_QUANTITY, allow_inf_nan=False),
                     BeforeValidator(_number)]  # outermost: runs first
Answer = Annotated[bool | str, BeforeValidator(_declared)]


class _Model(BaseModel):
    # strict: JSON types as documented, as the API has always read them: true is not 1, 1 is
    # not true, "5" is not 5 (a silently converted value is a changed number)
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Amount(_Model):
    """A non-negative measured quantity in a stated unit, e.g. {"quantity": 1200, "unit": "t"}.
    At most 10^12, as given and after conversion to the engine's unit (t, m3, GJ, MWh, tCO2,
    tce); the unit may not be a temperature with an offset (°C) or ambiguous (ton: use t)."""

    quantity: Quantity
    unit: UnitText


class GreenCertificates(_Model):
    """A block of green electricity certificates (绿证): `count` certificates of 1 MWh each, with
    consecutive serial numbers starting at `serial` (the trailing digits count up)."""

    serial: Serial
    count: int = Field(default=1, ge=1, le=10_000_000)


class Electricity(_Model):
    """Electricity in the reporting year, split by how its origin is claimed.

    grid_purchase is all electricity bought from the grid, green-power trades included;
    green_power_trading is the part bought through 绿电交易 (certificates bundled with it are
    not listed again); green_certificates are unbundled 绿证 bought and retired on top.
    """

    grid_purchase: Amount | None = None
    green_power_trading: Amount | None = None
    direct_green_supply: Amount | None = None
    onsite_renewable_self_used: Amount | None = None
    onsite_renewable_exported: Amount | None = None
    onsite_certificates_sold: Amount | None = None
    green_certificates: list[GreenCertificates] = Field(default_factory=list, max_length=10_000)
    # the certificates that came with the green-power trades (证电合一): listed so that each
    # serial is claimed once; their MWh are green_power_trading's, not added again
    green_power_trade_certificates: list[GreenCertificates] = Field(default_factory=list,
                                                                    max_length=10_000)


class ProcessEmission(_Model):
    """Process CO2 from a source no calculator below covers, worked out elsewhere; the engine
    adds it to scope 1. `method` (required once a quantity is given) says how it was worked
    out: the guideline, formula and data; officers and experts read it."""

    source: Name
    quantity: Quantity
    unit: UnitText
    method: Annotated[str, Field(max_length=1000)] = ""


Key = Annotated[str, Field(min_length=1, max_length=60)]


class OwnValue(_Model):
    """A plant's own value for a parameter that has a guideline default: 计算值 (calculated) or
    实测值 (measured). It replaces the default; the trace names it, its basis and `evidence`
    (the lab report or calculation it comes from)."""

    quantity: Quantity
    unit: UnitText
    basis: Literal["calculated", "measured"]
    evidence: Annotated[str, Field(max_length=300)] = ""


class Carbonate(_Model):
    """A carbonate consumed and decomposed (石灰石, 白云石, 菱镁石, 纯碱 …): consumption × factor ×
    purity. `material` is a `ndrc_carbonates` row of criteria/reference/process_factors.csv;
    `purity` is a share (% or fraction, 100 % when not given)."""

    material: Key
    consumption: Amount
    purity: Amount | None = None
    factor: OwnValue | None = None


class ClinkerLine(_Model):
    """A clinker production line. `method` ets_2024: output × the clinker type's factor (the
    national carbon market's CETS—AG—02.01—V01—2024; `factor` replaces the default with a
    calculated or measured one). oxides_2015: GB/T 32151.8-2015, (clinker + kiln-head dust +
    bypass dust) × [(CaO − non-carbonate CaO) × 44/56 + (MgO − non-carbonate MgO) × 44/40],
    plus raw meal × its non-fuel carbon × 44/12; the contents are shares of the clinker."""

    line: Name
    method: Literal["ets_2024", "oxides_2015"]
    clinker_type: Key = "clinker_portland"
    output: Amount
    factor: OwnValue | None = None
    cao: Amount | None = None
    mgo: Amount | None = None
    cao_non_carbonate: Amount | None = None
    mgo_non_carbonate: Amount | None = None
    kiln_dust: Amount | None = None
    bypass_dust: Amount | None = None
    raw_meal: Amount | None = None
    raw_meal_carbon: Amount | None = None


class ClinkerSubstitute(_Model):
    """A non-carbonate alternative raw material fed to the kilns (电石渣, 磷渣, 磷石膏, 铁合金炉渣 …):
    deducted from the ets_2024 lines' emissions at its factor (a `substitute` row of
    process_factors.csv)."""

    material: Key
    consumption: Amount
    factor: OwnValue | None = None


class AluminiumSmelter(_Model):
    """Aluminium electrolysis: anode CO2 = output × net anode use × (1 − sulphur − ash) × 44/12;
    anode-effect PFCs = output × (EF_CF4 × GWP_CF4 + EF_C2F6 × GWP_C2F6) / 1000, by the slope
    method when `anode_effect_minutes` (minutes per cell-day) is measured; calcined limestone
    (2013 guideline). Defaults and GWP values are the `guideline`'s."""

    guideline: Literal["cets_2024_aluminium", "ndrc_2013_aluminium"]
    output: Amount
    net_anode: OwnValue | None = None
    anode_sulphur: OwnValue | None = None
    anode_ash: OwnValue | None = None
    anode_effect_minutes: Amount | None = None
    limestone: Amount | None = None


class SteelMaterial(_Model):
    """A flux, electrode or purchased carbon-bearing material used in iron and steel making,
    or a product that fixes carbon (deducted): quantity × the `steel` factor of `material`."""

    material: Key
    quantity: Amount
    factor: OwnValue | None = None


class CarbonFlow(_Model):
    """One carbon flow of a carbon balance (ferroalloys, calcium carbide, yellow phosphorus,
    coal chemicals): CO2 = 44/12 × (carbon in − carbon out). `flow`: input (reductants,
    electrode paste, feedstock), product, residue (slag, dust, sludge), offgas_exported (its
    carbon leaves the plant) or offgas_burned (burned or flared on site: its carbon stays in the
    balance, so it deducts nothing). `carbon` is the plant's carbon content (%, tC/t, or tC/万Nm3
    for a gas): no default exists. `carrier`: an energy carrier of the energy section whose
    amount includes this input, so that its combustion CO2 is not counted twice."""

    process: Name
    flow: Literal["input", "product", "residue", "offgas_exported", "offgas_burned"]
    material: Name
    quantity: Amount
    carbon: Amount
    basis: Literal["calculated", "measured"]
    carrier: Annotated[str, Field(max_length=40)] = ""


class ComputingFacility(_Model):
    """A data centre's year: IT equipment energy, the whole facility's energy and its water use;
    the engine computes PUE (facility ÷ IT) and WUE (water in L ÷ IT energy in kWh)."""

    it_energy: Amount
    facility_energy: Amount
    water: Amount | None = None


class Product(_Model):
    """A product with an energy-efficiency level: `benchmark` is an id of
    criteria/reference/energy_efficiency_levels.csv; `energy` is the product's energy in that
    row's numerator (kgce, or kWh for power-consumption rows)."""

    benchmark: Annotated[str, Field(min_length=1, max_length=80)]
    output: Amount
    energy: Amount


class Offset(_Model):
    """Carbon offsets retired for this year: CCER, forestry carbon tickets (林业碳票) or other.
    `count` consecutive registry serials starting at `serial` are claimed."""

    instrument: Literal["ccer", "forestry_ticket", "other"]
    serial: Serial
    count: int = Field(default=1, ge=1, le=10_000_000)
    quantity: Annotated[float, Field(gt=0, le=MAX_QUANTITY, allow_inf_nan=False),
                        BeforeValidator(_number)]
    unit: UnitText
    registry: Annotated[str, Field(max_length=200)] = ""


class AccountingUnit(_Model):
    """What one plant (or one park member, or the park's own facilities) used and emitted."""

    energy: dict[Annotated[str, Field(max_length=40)], Amount] = Field(default_factory=dict)
    electricity: Electricity = Field(default_factory=Electricity)
    process_emissions: list[ProcessEmission] = Field(default_factory=list, max_length=200)
    carbonates: list[Carbonate] = Field(default_factory=list, max_length=200)
    clinker_lines: list[ClinkerLine] = Field(default_factory=list, max_length=50)
    clinker_substitutes: list[ClinkerSubstitute] = Field(default_factory=list, max_length=100)
    aluminium: list[AluminiumSmelter] = Field(default_factory=list, max_length=20)
    steel_materials: list[SteelMaterial] = Field(default_factory=list, max_length=100)
    carbon_balance: list[CarbonFlow] = Field(default_factory=list, max_length=500)
    computing: ComputingFacility | None = None
    production: list[Product] = Field(default_factory=list, max_length=200)


class Member(AccountingUnit):
    """A member enterprise of a park."""

    name: Name
    uscc: Annotated[str, Field(max_length=18)] = ""


class Organisation(_Model):
    name: Name
    uscc: Annotated[str, Field(max_length=18)] = ""
    region: Annotated[str, Field(max_length=40)] = ""


class Submission(AccountingUnit):
    """A whole submission. For a park, the top-level energy is the park's own facilities and
    `members` are its enterprises; the park's figures are their sum."""

    schema_version: Literal["1"] = "1"
    subject: Literal["factory", "park"]
    reporting_year: int = Field(ge=2000, le=2100, description=(
        "The data year: not after the current year (in Beijing), nor before the first year "
        "with a published grid electricity factor (criteria/reference/"
        "electricity_emission_factors.csv)"))
    organisation: Organisation | None = None
    offsets: list[Offset] = Field(default_factory=list, max_length=10_000)
    declarations: dict[Annotated[str, Field(max_length=60)], Answer] = Field(
        default_factory=dict)
    reported: dict[Annotated[str, Field(max_length=60)], Amount] = Field(default_factory=dict)
    members: list[Member] = Field(default_factory=list, max_length=2000)
    expert_scores: dict[Annotated[str, Field(max_length=40)], Annotated[float, Field(allow_inf_nan=False)]] = (
        Field(default_factory=dict))


_ZH = {
    "missing": "必填项未填写",
    "extra_forbidden": "不认识的字段（请检查拼写）",
    "float_parsing": "应为数字",
    "float_type": "应为数字（不能是文字或 true/false）",
    "int_parsing": "应为整数",
    "int_type": "应为整数（不能是小数、文字或 true/false）",
    "int_from_float": "应为整数",
    "finite_number": "应为有限的数字",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "应小于 {lt}",
    "literal_error": "取值应为以下之一：{expected}",
    "string_type": "应为文本",
    "string_too_short": "不能为空",
    "string_too_long": "过长（最多 {max_length} 个字符）",
    "string_pattern_mismatch": "格式不正确（只能包含字母、数字和 . _ : / -）",
    "too_long": "条目过多（最多 {max_length} 条）",
    "dict_type": "应为键值对象",
    "list_type": "应为列表",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "bool_parsing": "应为是或否（true/false）",
    "bool_type": "应为是或否（true/false），不能用 1/0 或文字",
    "declaration_type": "应为是或否（true/false）或所列选项之一，不能用数字（如 1/0）表示",
    "value_error": "取值无效",
}


TOO_LARGE_ZH = "数值过大（上限为 10¹²），请检查单位或小数点位置"
TOO_LARGE_EN = "too large (the ceiling is 10^12): check the unit and the decimal point"


def problems_from(error: ValidationError) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        path = ".".join(str(part) for part in detail["loc"]) or "(submission)"
        template = _ZH.get(detail["type"], "取值无效")
        if detail["type"] == "less_than_equal" and (detail.get("ctx") or {}).get("le") == \
                MAX_QUANTITY:
            problems.append(Problem(path, TOO_LARGE_ZH, TOO_LARGE_EN, refused=True))
            continue
        context = {k: (f"{v:g}" if isinstance(v, float) else
                       str(v).replace(" or ", "、") if k == "expected" else v)
                   for k, v in (detail.get("ctx") or {}).items()}
        try:
            zh = template.format(**context)
        except (KeyError, IndexError):
            zh = template
        problems.append(Problem(path, zh, detail["msg"], refused=True))
    return problems


def parse_submission(data: object) -> Submission:
    """A Submission from decoded JSON; SubmissionError lists every problem at once."""
    if not isinstance(data, dict):
        raise SubmissionError([Problem("(submission)", "提交内容应为 JSON 对象",
                                       "a submission must be a JSON object", refused=True)])
    try:
        return Submission.model_validate(data)
    except ValidationError as exc:
        raise SubmissionError(problems_from(exc)) from None


def submission_schema_text() -> str:
    """The JSON Schema of a submission, as committed in docs/submission-schema.json."""
    import json

    schema = Submission.model_json_schema()
    schema["title"] = "assessor submission (one reporting year of a factory or a park)"
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
