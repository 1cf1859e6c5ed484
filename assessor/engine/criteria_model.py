"""The shape of a criteria set file (YAML), as pydantic models: what each key may hold."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Op = Literal["<=", "<", ">=", ">", "==", "!=", "in"]
Tag = Literal["V", "S", "S-weak", "U"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    zh: str
    en: str


class SourceRef(_Model):
    """Where a threshold or weight comes from. Anything but [V] is a provisional default."""

    document: str = Field(min_length=1)
    clause: str = ""
    tag: Tag
    note: str = ""

    @property
    def provisional(self) -> bool:
        return self.tag != "V"

    def cite(self) -> str:
        text = self.document + (f" {self.clause}" if self.clause else "") + f" [{self.tag}]"
        return text + ("（暂行默认值 provisional）" if self.provisional else "")


class Band(_Model):
    """One band of a threshold that depends on another indicator (e.g. park size)."""

    below: float | None = None  # applies while `by` < below; the last band has none
    value: float
    source: SourceRef | None = None


class Thresholds(_Model):
    by: str
    unit: str
    bands: list[Band] = Field(min_length=1)


class Condition(_Model):
    indicator: str
    op: Op
    value: float | bool | str | list[str] | None = None
    unit: str | None = None
    thresholds: Thresholds | None = None
    source: SourceRef | None = None

    @model_validator(mode="after")
    def _one_threshold(self) -> Condition:
        if (self.value is None) == (self.thresholds is None):
            raise ValueError("give exactly one of value or thresholds")
        return self


class ScoreBand(_Model):
    op: Op
    value: float | bool | str | list[str]
    points: float = Field(ge=0)
    label: Text | None = None


class Scoring(_Model):
    """Points for an indicator: by bands (first that holds) or linear between a baseline
    (no points) and a leading value (all points)."""

    method: Literal["bands", "linear"]
    indicator: str
    unit: str | None = None
    bands: list[ScoreBand] = Field(default_factory=list)
    baseline: float | None = None
    leading: float | None = None
    source: SourceRef | None = None

    @model_validator(mode="after")
    def _shape(self) -> Scoring:
        if self.method == "bands" and not self.bands:
            raise ValueError("method bands needs bands")
        if self.method == "linear" and (self.baseline is None or self.leading is None
                                        or self.baseline == self.leading):
            raise ValueError("method linear needs a baseline and a different leading value")
        return self


class Anchor(_Model):
    points: float = Field(ge=0)
    label: Text


class Item(_Model):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_\-]+$")]
    kind: Literal["gate", "scored", "expert"]
    title: Text
    category: str = ""
    source: SourceRef
    # the item applies only where every condition holds (a list is read as "and"); a missing
    # figure or unanswered declaration never makes an item not applicable
    applies_if: Condition | Annotated[list[Condition], Field(min_length=1)] | None = None
    evidence: list[str] = Field(default_factory=list)
    rule: Condition | None = None  # gate
    points: float | None = Field(default=None, gt=0)  # scored and expert: the maximum
    scoring: Scoring | None = None  # scored
    scale: list[Anchor] = Field(default_factory=list)  # expert: anchored values
    suggestion: Scoring | None = None  # expert: what the engine proposes, where it can

    @property
    def applies_conditions(self) -> list[Condition]:
        if self.applies_if is None:
            return []
        return self.applies_if if isinstance(self.applies_if, list) else [self.applies_if]

    @model_validator(mode="after")
    def _shape(self) -> Item:
        need = {"gate": ("rule",), "scored": ("points", "scoring"), "expert": ("points", "scale")}
        for name in need[self.kind]:
            if not getattr(self, name):
                raise ValueError(f"a {self.kind} item needs '{name}'")
        return self


class Declaration(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    type: Literal["boolean", "choice"]
    title: Text
    options: list[str] = Field(default_factory=list)
    option_titles: dict[str, Text] = Field(default_factory=dict)
    evidence: list[str] = Field(default_factory=list)


class Reported(_Model):
    """A figure the applicant reports directly (a park's water reuse rate, value added ...)."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: Text
    unit: str
    min: float | None = None
    max: float | None = None
    evidence: list[str] = Field(default_factory=list)


class Derived(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: Text
    formula: str
    unit: str


class Level(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: Text
    gates: Literal["all"] | list[str] = "all"
    min_total: float = 0
    conditions: list[Condition] = Field(default_factory=list)
    fallback: bool = False
    source: SourceRef | None = None


class AccountingModel(_Model):
    electricity_conversion: Literal["equivalent", "equal_value"] = "equivalent"
    grid_factor: str
    residual_factor: str
    # tCO2e per registry serial, by offset instrument: an entry's quantity must equal its
    # serial count times this (one CCER is one tCO2e); instruments left out are not checked
    tco2_per_serial: dict[Literal["ccer", "forestry_ticket", "other"], Annotated[
        float, Field(gt=0, allow_inf_nan=False)]] = Field(default_factory=lambda: {"ccer": 1.0})


class CriteriaModel(_Model):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_\-.]+$")]
    version: str
    subject: Literal["factory", "park"]
    title: Text
    status: Literal["provisional", "official", "draft"]
    notice: Text
    effective_from: str
    total_points: float = Field(gt=0)
    accounting: AccountingModel
    evidence_kinds: dict[str, Text] = Field(default_factory=dict)
    declarations: list[Declaration] = Field(default_factory=list)
    reported: list[Reported] = Field(default_factory=list)
    derived: list[Derived] = Field(default_factory=list)
    items: list[Item]
    levels: list[Level] = Field(min_length=1)
