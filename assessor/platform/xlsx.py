"""Excel files the system writes hold data, never formulas.

openpyxl takes any string beginning with "=" for a formula and "#N/A"-like strings for errors,
so an organisation named '=HYPERLINK("http://x")' would become a live link in the list export.
`keep_text` stores every string cell as a string (t="inlineStr" on save, the text unchanged)
and marks those that a spreadsheet would read as a formula when typed ("=", "+", "-", "@", tab,
CR) with Excel's quote prefix, so that editing the cell keeps it text too. Numbers stay numbers.
Every writer calls it on its workbook just before saving (pandas: on `writer.book` inside the
`with pd.ExcelWriter(...)` block).
"""

from __future__ import annotations

import io

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def keep_text(book: Workbook) -> Workbook:
    """Every string cell of `book` stored as text; returns `book`."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str):
                    cell.data_type = "s"
                    if value.startswith(FORMULA_STARTS):
                        cell.quotePrefix = True
    return book


def workbook_bytes(book: Workbook) -> bytes:
    """`book` saved as .xlsx bytes, its text kept as text."""
    buffer = io.BytesIO()
    keep_text(book).save(buffer)
    return buffer.getvalue()
