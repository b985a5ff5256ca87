"""Excel workbooks: `DIR/dataset.xlsx` (a sheet per combined table) and `diff.xlsx` (the
diff's changes). Like the CSV writers: deterministic (XlsxWriter packs in memory with fixed
zip timestamps; the core properties get a fixed date, not the time of the run) and atomic.

A sheet has its header row frozen, a filter on every column and widths from its content
(a Han character counts two). JSON numbers are numeric cells (value_base as a number Excel
can sum, with thousands separators), booleans are Excel booleans, null is an empty cell,
text is text. A text cell that a spreadsheet could take for a formula (starting with = + - @
or a tab or carriage return, with something after it) gets a leading apostrophe: the workbook
is for opening, the JSON keeps the text as written. A lone = or - (the comparator `=`, a dash
in an empty cell) runs nothing and stays as it is, marked as text (Excel's quote prefix) so
that editing the cell does not turn it into a formula."""
from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from policyparse.chart import display_width
from policyparse.emit import FORMULA_STARTS, atomic_write, cell, frames, neutralise, read_datasets
from policyparse.emit_diff import DIFF_COLUMNS

# Sheets in reading order: the documents, what they say, who does it, what the parser noticed.
DATASET_SHEETS = ("documents", "sections", "annexes", "annex_rows", "quantities", "targets", "responsibilities",
                  "by_unit", "findings", "quality")
# Quantities Excel should show whole: 220,000,000,000 rather than 2.2E+11.
QUANTITY_COLUMNS = {"value", "value_low", "value_high", "value_base", "value_base_high", "old", "new"}
SCORE_COLUMNS = {"score", "link_score"}
FIXED_DATE = datetime(1980, 1, 1, tzinfo=UTC)  # the zip entries' date too
MIN_WIDTH, MAX_WIDTH = 6, 60


def _shown(value) -> str:
    """A cell as Excel shows it, for the column width."""
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else cell(value)


def workbook(sheets: dict[str, tuple[list[str], list[list]]]) -> bytes:
    """An .xlsx file holding each sheet: name → (header, rows)."""
    import xlsxwriter  # only the commands that write a workbook need it

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})
    book.set_properties({"created": FIXED_DATE, "author": "policyparse"})
    styles = {
        "header": book.add_format({"bold": True, "bg_color": "#E8EEF4", "bottom": 1}),
        "quantity": book.add_format({"num_format": "#,##0"}),
        "score": book.add_format({"num_format": "0.000"}),
        "percent": book.add_format({"num_format": "+0.0%;-0.0%;0.0%"}),
        "text": book.add_format({"quote_prefix": True}),
    }
    for name, (header, rows) in sheets.items():
        sheet = book.add_worksheet(name)
        for col, title in enumerate(header):
            sheet.write_string(0, col, title, styles["header"])
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                _write_cell(sheet, r, col, header[col], value, styles)
        for col, title in enumerate(header):
            widest = max([display_width(title), *(display_width(_shown(row[col])) for row in rows)])
            sheet.set_column(col, col, min(MAX_WIDTH, max(MIN_WIDTH, widest + 2)))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(rows), max(len(header) - 1, 0))
    book.close()
    return buffer.getvalue()


def _write_cell(sheet, row: int, col: int, column: str, value, styles: dict) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, (int, float)):
        style = (styles["percent"] if column == "relative_change" else styles["score"] if column in SCORE_COLUMNS
                 else styles["quantity"] if column in QUANTITY_COLUMNS and float(value).is_integer() else None)
        sheet.write_number(row, col, value, style)
    else:
        text = neutralise(_shown(value))
        sheet.write_string(row, col, text, styles["text"] if text.startswith(FORMULA_STARTS) else None)


def write_dataset_xlsx(out_dir: Path) -> Path:
    """`DIR/dataset.xlsx` from every dataset JSON in `out_dir`: the same tables as the CSVs."""
    tables = frames(read_datasets(out_dir))
    sheets = {name: (list(tables[name].columns), tables[name].values.tolist()) for name in DATASET_SHEETS}
    path = out_dir / "dataset.xlsx"
    atomic_write(path, workbook(sheets))
    return path


def write_diff_xlsx(out_dir: Path, changes: list[dict]) -> Path:
    """`diff.xlsx`: one sheet of the changes, with the columns of diff.csv."""
    path = out_dir / "diff.xlsx"
    atomic_write(path, workbook({"changes": (DIFF_COLUMNS, [[c[k] for k in DIFF_COLUMNS] for c in changes])}))
    return path
