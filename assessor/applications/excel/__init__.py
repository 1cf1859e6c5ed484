"""Self-assessment data as an Excel workbook: the template out, the filled workbook back in.

Pure: no Flask, no database. `build_template` writes the workbook for a criteria set (prefilled
with a submission when one is given); `parse_workbook` reads an uploaded workbook with pandas
into the engine's submission dict (the same shape as forms.form_to_submission makes), or into
problems that each name the sheet, the Excel row (the header is row 1) and the column, in
Chinese. The engine then checks the result and its problems are mapped back to cells too.

Conventions mirror the web form: declarations answered 是/否 or by one of the options, reported
figures in the set's unit (fixed), quantities with a unit chosen from the same lists.

layout.py describes the workbook (activity.py its sector process-activity sheets: carbonates,
clinker lines and substitutes, aluminium, steel, carbon balance, data centre, one description
per block of the schema that the template, the parser, the problems and the preview all
read); template.py (with rows.py) writes it; parse.py reads it, with cells.py reading columns,
sheets.py building the submission and problems.py placing problems at cells; preview.py
describes the changes an import makes; stash.py keeps a preview until it is confirmed.
"""

from .guard import ImportLimits

# UNITS and ELECTRICITY_FIELDS are public too: the web form's lists must equal them (a test).
from .layout import ELECTRICITY_FIELDS as ELECTRICITY_FIELDS
from .layout import FILE, data_sheets
from .layout import UNITS as UNITS
from .parse import ParseResult, parse_workbook
from .preview import change_order, describe_path, format_value, import_changes, listed_problems
from .problems import SheetProblem
from .rows import example_submission
from .template import build_template

__all__ = ["FILE", "ImportLimits", "ParseResult", "SheetProblem", "build_template", "change_order",
           "data_sheets", "describe_path", "example_submission", "format_value", "import_changes",
           "listed_problems",
           "parse_workbook"]
