"""Edits to a reference table's CSV text that leave every other byte as it was.

A reference file is kept exactly as the department wrote it (its export must give back the same
bytes), so a change appends or replaces whole records and never rewrites the rest: the header,
the column order, the line ending and the quoting style are the file's own. Pure: csv only.
"""

from __future__ import annotations

import csv
import io

BOM = "\ufeff"


class TableError(ValueError):
    """The change does not fit the table (an unknown column, a missing record)."""


def rows(text: str) -> list[dict[str, str]]:
    """The records of a CSV text as the file has them (values as written, unstripped)."""
    return list(csv.DictReader(io.StringIO(text.removeprefix(BOM), newline="")))


def header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")), [])


def _line_ending(text: str) -> str:
    return "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" else "\n"


def _quoting(text: str) -> int:
    """QUOTE_ALL if the header quotes every name, as such files quote every field."""
    first = text.removeprefix(BOM).split("\n", 1)[0].rstrip("\r")
    names = header(text)
    if names and first == ",".join(f'"{n}"' for n in names):
        return csv.QUOTE_ALL
    return csv.QUOTE_MINIMAL


def _formatted(text: str, values: dict[str, str]) -> str:
    """One record in the file's own style, columns in the header's order."""
    names = header(text)
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise TableError(f"columns not in the table: {', '.join(unknown)}")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=_line_ending(text), quoting=_quoting(text)).writerow(
        [values.get(name, "") for name in names])
    return buffer.getvalue()


def _records(text: str) -> list[tuple[str, list[str]]]:
    """The text cut into records: (the record's exact text, its fields), header first. A quoted
    field may hold line breaks, so the csv module says where each record ends."""
    lines = list(io.StringIO(text, newline=""))  # line breaks kept as they are
    taken = 0

    def feed():
        nonlocal taken
        while taken < len(lines):
            taken += 1
            yield lines[taken - 1]

    reader = csv.reader(feed())
    out = []
    start = 0
    for fields in reader:
        out.append(("".join(lines[start:taken]), fields))
        start = taken
    if start < len(lines):  # trailing blank lines the reader skipped
        out.append(("".join(lines[start:]), []))
    return out


def append_rows(text: str, new_rows: list[dict[str, str]]) -> str:
    """`text` with `new_rows` added at the end, each in the file's format."""
    if not new_rows:
        return text
    ending = _line_ending(text)
    if text and not text.endswith(("\n", "\r")):
        text += ending  # the last record had no line break: it gets one, or it would merge
    return text + "".join(_formatted(text, row) for row in new_rows)


def replace_row(text: str, key_column: str, key: str, values: dict[str, str]) -> str:
    """`text` with the record whose `key_column` is `key` replaced by `values` (in place)."""
    records = _records(text)
    names = [n.removeprefix(BOM) for n in records[0][1]] if records else []
    if key_column not in names:
        raise TableError(f"no column {key_column}")
    position = names.index(key_column)
    for index, (raw, fields) in enumerate(records[1:], start=1):
        if len(fields) > position and fields[position] == key:
            line = _formatted(text, values)
            if not raw.endswith(("\n", "\r")):  # the last record keeps having no line break
                line = line.rstrip("\r\n")
            return "".join(r for r, _f in records[:index]) + line + "".join(
                r for r, _f in records[index + 1:])
    raise TableError(f"no record with {key_column} = {key}")
