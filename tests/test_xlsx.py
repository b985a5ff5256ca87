"""The workbooks as Excel and WPS open them, read back with openpyxl (another library than the
one that wrote them): a sheet per table, the header frozen, filters on, numbers as numbers,
the Chinese as written, no cell a spreadsheet would run as a formula."""
import csv
import io
import json

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from conftest import FIXTURES, ROOT
from policyparse import parse, to_dict
from policyparse.diff import diff
from policyparse.emit import write_document, write_tables
from policyparse.emit_diff import DIFF_COLUMNS
from policyparse.emit_xlsx import (
    DATASET_SHEETS,
    MAX_WIDTH,
    MIN_WIDTH,
    neutralise,
    workbook,
    write_dataset_xlsx,
    write_diff_xlsx,
)


@pytest.fixture(scope="module")
def dataset_dir(tmp_path_factory, seed_doc):
    out = tmp_path_factory.mktemp("dataset")
    write_document(out, seed_doc)
    write_document(out, parse(FIXTURES / "qingtian-2024-digital-economy.txt"))
    write_tables(out)
    write_dataset_xlsx(out)
    return out


@pytest.fixture(scope="module")
def book(dataset_dir):
    return load_workbook(dataset_dir / "dataset.xlsx")


def _csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_a_sheet_per_table_with_the_csv_header_and_rows(book, dataset_dir):
    assert book.sheetnames == list(DATASET_SHEETS)
    for name in DATASET_SHEETS:
        sheet, table = book[name], _csv(dataset_dir / f"{name}.csv")
        assert [c.value for c in sheet[1]] == table[0], name
        assert sheet.max_row == len(table), name


def test_header_frozen_filters_on_and_widths_from_the_content(book):
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        last = get_column_letter(sheet.max_column)
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}", sheet.title
        widths = [sheet.column_dimensions[get_column_letter(c)].width for c in range(1, sheet.max_column + 1)]
        assert all(MIN_WIDTH <= w <= MAX_WIDTH + 1 for w in widths), sheet.title
    targets = book["targets"]
    header = [c.value for c in targets[1]]
    width = {h: targets.column_dimensions[get_column_letter(i + 1)].width for i, h in enumerate(header)}
    assert width["text"] > width["kind"]


def test_numbers_are_numeric_cells_and_text_is_as_written(book, dataset_dir, seed_doc):
    sheet = book["targets"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c for c in row))) for row in sheet.iter_rows(min_row=2)]
    mine = [r for r in rows if r["doc_id"].value == seed_doc.doc_id]
    expected = to_dict(seed_doc)["targets"]
    assert len(mine) == len(expected)
    for got, want in zip(mine, expected):
        for column in ("value", "value_base", "value_base_high", "start", "end", "year"):
            if want[column] is None:
                assert got[column].value is None
            else:
                assert got[column].data_type == "n" and got[column].value == want[column], (want["target_id"], column)
        assert got["indicator"].value == want["indicator"] and got["text"].value == want["text"]
        assert got["hedged"].data_type == "b" and got["hedged"].value is want["hedged"]
        assert got["value_base"].number_format == "#,##0" or not float(want["value_base"]).is_integer()


def test_cells_that_would_run_as_formulas_are_neutralised_in_xlsx_and_csv_but_the_json_keeps_them(tmp_path, seed_doc):
    data = to_dict(seed_doc)
    hostile = ["=HYPERLINK(\"http://x\",\"点击\")", "+1+2", "-3", "@SUM(A1)", "\t=1", "正常的文字"]
    for target, text in zip(data["targets"], hostile):
        target["indicator"] = text
    (tmp_path / "plan.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    sheet = load_workbook(write_dataset_xlsx(tmp_path))["targets"]
    column = [c.value for c in sheet[1]].index("indicator") + 1
    cells = [sheet.cell(row=r, column=column) for r in range(2, 2 + len(hostile))]
    assert [c.value for c in cells] == ["'" + t for t in hostile[:-1]] + [hostile[-1]]
    assert all(c.data_type == "s" for c in cells)
    write_tables(tmp_path)
    with open(tmp_path / "targets.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["indicator"] for r in rows[:len(hostile)]] == [c.value for c in cells]
    assert "=" in [r["comparator"] for r in rows]  # the lone comparator stays readable in the CSV
    assert json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))["targets"][0]["indicator"] == hostile[0]
    assert neutralise("－3") == "－3"  # a full-width minus starts no formula


def test_no_cell_is_a_formula_and_a_lone_comparator_stays_readable():
    data = workbook({"comparator": (["a", "b"], [["=1+1", 2], ["@x", None], [True, "-"], ["=", ">="]])})
    cells = [c for row in load_workbook(io.BytesIO(data))["comparator"].iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert [c.value for c in cells] == ["a", "b", "'=1+1", 2, "'@x", None, True, "-", "=", ">="]
    # A lone = or - runs nothing: shown as it is, marked as text so that editing it keeps it text.
    assert [c.quotePrefix for c in cells if c.value in ("-", "=")] == [True, True]


def test_the_same_tables_give_the_same_bytes(dataset_dir, tmp_path):
    first = (dataset_dir / "dataset.xlsx").read_bytes()
    for name in dataset_dir.glob("*.json"):
        (tmp_path / name.name).write_bytes(name.read_bytes())
    assert write_dataset_xlsx(tmp_path).read_bytes() == first


def test_the_diff_workbook_has_the_changes_with_values_and_relative_changes_as_numbers(tmp_path, seed_doc):
    variant = parse(ROOT / "tests" / "diff" / "yueqing-2024-variant.txt")
    changes = diff(seed_doc, variant).to_dict()["changes"]
    sheet = load_workbook(write_diff_xlsx(tmp_path, changes))["changes"]
    assert [c.value for c in sheet[1]] == DIFF_COLUMNS and sheet.max_row == len(changes) + 1
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    by_column = {name: i + 1 for i, name in enumerate(DIFF_COLUMNS)}
    for r, change in enumerate(changes, start=2):
        relative = sheet.cell(row=r, column=by_column["relative_change"])
        if change["change"] == "target_value_changed":
            new = sheet.cell(row=r, column=by_column["new"])
            assert new.data_type == "n" and new.value == change["new"]
            assert relative.value == change["relative_change"] and "%" in relative.number_format
        if change["change"] == "lead_unit_changed":
            assert sheet.cell(row=r, column=by_column["new"]).value == "、".join(change["new"])
