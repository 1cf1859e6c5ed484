"""What an uploaded workbook may cost, checked before anything parses it.

An .xlsx is a zip: a 300 KB upload can unpack to gigabytes of sheet XML, which openpyxl and
pandas would read into memory for minutes. The zip directory (infolist) states every part's
unpacked size, and zipfile never unpacks more than it states, so the sizes are checked there.
The rows of each sheet are then counted by unpacking it in small chunks (bounded by the size
limit, memory flat), stopping at the first row over the limit. The limits are settings
(EXCEL_IMPORT_MAX_UNCOMPRESSED, EXCEL_IMPORT_MAX_PART, EXCEL_IMPORT_MAX_ROWS; docs/deploy.md).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from .problems import Text, _l

MIB = 1024 * 1024
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")  # <row …>, <x:row …>; not <rowBreaks>
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    uncompressed: int = 100 * MIB  # every part of the file together, unpacked
    part: int = 50 * MIB  # any one part: a sheet, the shared strings, the styles
    rows: int = 50_000  # rows in any one sheet

    @classmethod
    def from_config(cls, config) -> ImportLimits:
        return cls(int(config.get("EXCEL_IMPORT_MAX_UNCOMPRESSED", cls.uncompressed)),
                   int(config.get("EXCEL_IMPORT_MAX_PART", cls.part)),
                   int(config.get("EXCEL_IMPORT_MAX_ROWS", cls.rows)))


def _mb(size: int) -> str:
    return f"{size / MIB:,.1f}".removesuffix(".0")


def size_problem(archive: zipfile.ZipFile, limits: ImportLimits) -> Text | None:
    """Why the workbook is too large to read, or None."""
    parts = archive.infolist()
    total = sum(i.file_size for i in parts)
    if total > limits.uncompressed:
        return _l("文件解压后共 %(size)s MB，超过上限 %(limit)s MB：请只保留模板中的工作表和数据，"
                  "删除多余的行、图片和格式后再上传", size=_mb(total), limit=_mb(limits.uncompressed))
    for info in parts:
        if info.file_size > limits.part:
            return _l("文件中的“%(part)s”解压后 %(size)s MB，超过单个部分的上限 %(limit)s MB："
                      "请删除多余的行和格式后再上传",
                      part=info.filename, size=_mb(info.file_size), limit=_mb(limits.part))
    names = _sheet_names(archive)
    sheets = [i for i in parts if i.filename.startswith("xl/worksheets/")
              and i.filename.endswith(".xml")]
    for info in sheets:
        if _rows_over(archive, info, limits.rows):
            return _l("工作表“%(sheet)s”超过 %(limit)s 行（上限）：请删除多余的行（包括只有格式的空行）后再上传",
                      sheet=names.get(info.filename, info.filename), limit=f"{limits.rows:,}")
    return None


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet part → the name the reader sees in Excel ({} when the workbook part is unusual)."""
    from xml.etree import ElementTree

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        if max(archive.getinfo(n).file_size for n in
               ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")) > MIB:
            return {}
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("p:Relationship", ns)}
    names = {}
    for sheet in workbook.iterfind("m:sheets/m:sheet", ns):
        target = targets.get(sheet.get(relation), "")
        names[target.lstrip("/") if target.startswith("/") else f"xl/{target}"] = sheet.get("name")
    return names


def _rows_over(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bool:
    """Whether the sheet has more than `limit` rows, unpacked a chunk at a time."""
    count, tail = 0, b""
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            data = tail + chunk
            cut = max(len(data) - 64, 0)  # a tag across the cut is counted with the next chunk
            count += sum(1 for match in _ROW.finditer(data) if match.start() < cut)
            if count > limit:
                return True
            tail = data[cut:]
    return count + len(_ROW.findall(tail)) > limit
