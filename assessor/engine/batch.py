"""A batch: many submissions laid out as columns, the form every score is computed in.

Four tables, each a dict of equal-length numpy arrays (pandas DataFrames at the edges):
- submissions: one row per submission (year, declarations, reported metrics, offsets);
- units: one row per accounting unit (a factory, or a park's members and its own facilities),
  energy in each carrier's canonical unit and electricity in MWh;
- products: one row per product with an energy-efficiency level;
- claims: one row per block of certificate or offset serials (claims.py: prefix and
  number after normalising, so that blocks compare as number ranges).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

UNIT_COLUMNS = ["grid_mwh", "green_trading_mwh", "direct_green_mwh", "onsite_used_mwh",
                "onsite_exported_mwh", "onsite_sold_mwh", "certificates_mwh", "process_tco2",
                "feedstock_tco2", "it_mwh", "facility_mwh", "water_m3"]
CLAIM_COLUMNS = ["submission", "unit", "kind", "serial", "prefix", "start", "count",
                 "quantity_tco2", "path"]


@dataclass
class Batch:
    submissions: dict[str, np.ndarray]
    units: dict[str, np.ndarray]
    products: dict[str, np.ndarray]
    claims: dict[str, np.ndarray]
    unit_names: list[str] = field(default_factory=list)
    # each submission's process emissions by source, as the trace lists them (process.py)
    process_lines: list[list[dict]] = field(default_factory=list)

    def process_lines_of(self, i: int) -> list[dict]:
        return self.process_lines[i] if i < len(self.process_lines) else []

    @property
    def size(self) -> int:
        return len(self.submissions["reporting_year"])

    def frame(self, table: str) -> pd.DataFrame:
        return pd.DataFrame(getattr(self, table))

    @classmethod
    def from_frames(cls, submissions: pd.DataFrame, units: pd.DataFrame,
                    products: pd.DataFrame | None = None,
                    claims: pd.DataFrame | None = None) -> Batch:
        """A batch from DataFrames in the canonical layout (see docs/engine.md).

        Frames must already be in canonical units: this is the fast path for many rows, and it
        trusts its caller as a database query would.
        """
        def arrays(frame: pd.DataFrame | None, columns: list[str]) -> dict[str, np.ndarray]:
            if frame is None:
                return {c: np.zeros(0, dtype=int if c in ("submission", "benchmark") else float)
                        for c in columns}
            return {c: frame[c].to_numpy() for c in frame.columns}

        unit_table = arrays(units, [])
        unit_table.setdefault("is_member", np.zeros(len(units), dtype=bool))
        return cls(arrays(submissions, []), unit_table,
                   arrays(products, ["submission", "unit", "benchmark", "output", "energy"]),
                   arrays(claims, CLAIM_COLUMNS),
                   [""] * len(units))
