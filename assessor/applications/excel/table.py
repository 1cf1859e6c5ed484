"""A sheet as read: its data rows in a frame, and where each column stood (for problems that
name a cell)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass
class _Table:
    """A sheet's data rows, and the letter and header of each column found in its header row."""

    sheet: str
    frame: pd.DataFrame  # columns: keys; index: Excel row numbers; non-blank rows only
    letters: dict[str, str]
    headers: dict[str, str]
