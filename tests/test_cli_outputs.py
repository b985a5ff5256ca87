"""The output commands as a user or a script runs them: `parse --xlsx`, `report`, `diff --xlsx
--html`, `--quiet`, and `--json-logs` (one JSON object per line on stderr)."""
import json

import pytest
from openpyxl import load_workbook
from test_cli import run

from conftest import FIXTURES, ROOT, SEED

VARIANT = ROOT / "tests" / "diff" / "yueqing-2024-variant.txt"
SMALL = FIXTURES / "excerpt-2025-work-points.txt"


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    out = tmp_path_factory.mktemp("parsed")
    result = run("parse", SEED, SMALL, "--out", out, "--xlsx")
    assert result.returncode == 0, result.stderr
    return out, result


def test_parse_xlsx_writes_one_workbook_for_the_run(parsed):
    out, result = parsed
    assert f"tables of every dataset in {out} -> {out / 'dataset.xlsx'}" in result.stdout
    book = load_workbook(out / "dataset.xlsx")
    assert book["documents"].max_row == 3


def test_report_writes_a_page_per_dataset_and_an_index(parsed, tmp_path):
    out, _ = parsed
    result = run("report", out, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "excerpt-2025-work-points.html", "index.html", "yueqing-2023-manufacturing-plan.html"]
    assert result.stdout == f"2 reports -> {tmp_path / 'index.html'}\n"
    assert result.stderr == ""  # no bar when stderr is not a terminal
    again = tmp_path / "again"
    assert run("report", out, "--out", again, "--quiet").stdout == ""
    for page in ("index.html", "yueqing-2023-manufacturing-plan.html"):
        assert (again / page).read_bytes() == (tmp_path / page).read_bytes()


def test_report_from_a_document_and_a_bad_input_names_the_bad_one(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("report", SMALL, empty, "--out", tmp_path / "r")
    assert result.returncode == 1
    assert result.stderr == f"policyparse: error: {empty}: empty file\n"
    assert (tmp_path / "r" / "excerpt-2025-work-points.html").exists()


def test_json_logs_give_one_object_per_line_for_errors_and_progress(tmp_path):
    missing = tmp_path / "missing.txt"
    result = run("parse", SMALL, missing, "--out", tmp_path, "--json-logs", "--quiet")
    assert result.returncode == 1 and result.stdout == ""
    events = [json.loads(line) for line in result.stderr.splitlines()]
    assert events == [
        {"event": "progress", "command": "parse", "done": 1, "total": 2, "file": str(SMALL)},
        {"event": "error", "file": str(missing), "reason": "no such file"},
        {"event": "progress", "command": "parse", "done": 2, "total": 2, "file": str(missing)},
    ]


def test_report_json_logs_name_an_unreadable_dataset(tmp_path):
    result = run("report", tmp_path / "nothing.json", "--out", tmp_path, "--json-logs")
    events = [json.loads(line) for line in result.stderr.splitlines()]
    assert result.returncode == 1
    assert events[0]["event"] == "error" and events[0]["file"] == str(tmp_path / "nothing.json")
    assert events[0]["reason"] == "no such file"  # as for any other input, not a raw errno
    assert events[-1] == {"event": "progress", "command": "report", "done": 1, "total": 1,
                          "file": str(tmp_path / "nothing.json")}


def test_diff_writes_the_workbook_and_the_side_by_side_page(tmp_path):
    result = run("diff", SEED, VARIANT, "--out", tmp_path, "--xlsx", "--html")
    assert result.returncode == 0, result.stderr
    changes = json.loads((tmp_path / "diff.json").read_text(encoding="utf-8"))["changes"]
    assert load_workbook(tmp_path / "diff.xlsx")["changes"].max_row == len(changes) + 1
    page = (tmp_path / "diff.html").read_text(encoding="utf-8")
    assert page.count('<tr><td class="w">') == len(changes)
    assert str(tmp_path / "diff.html") in result.stdout
