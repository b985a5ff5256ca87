"""Plans across years: the hand-made 2024 variant of the seed against the seed, a plan
against itself, reordering alone, and an indicator followed through the years."""
import csv
import dataclasses
import random
import subprocess
import sys

import pytest

from conftest import ROOT, SEED
from policyparse import parse
from policyparse.diff import diff, history, normalise_indicator
from policyparse.emit import cell

VARIANT = ROOT / "tests" / "diff" / "yueqing-2024-variant.txt"
KEY = ("change", "where_old", "where_new", "indicator")


@pytest.fixture(scope="module")
def seed():
    return parse(SEED)


@pytest.fixture(scope="module")
def variant():
    return parse(VARIANT)


def test_the_variant_gives_exactly_the_changes_a_reader_expects(seed, variant):
    with open(ROOT / "tests" / "diff" / "expected.csv", encoding="utf-8", newline="") as f:
        expected = list(csv.DictReader(f))
    found = [c for c in diff(seed, variant).changes]
    got = {tuple(cell(getattr(c, k)) for k in KEY): c for c in found}
    want = {tuple(row[k] for k in KEY): row for row in expected}
    assert sorted(got) == sorted(want)
    for key, row in want.items():
        for field in ("old", "new"):
            if row[field]:
                assert cell(getattr(got[key], field)) == row[field], (key, field)


def test_value_change_carries_the_relative_change(seed, variant):
    [change] = [c for c in diff(seed, variant).changes
                if c.change == "target_value_changed" and c.where_old == "二/（四）/10"]
    assert change.relative_change == pytest.approx(20 / 130, abs=1e-4)
    assert 0 < change.score <= 1


def test_a_plan_against_itself_has_no_changes(seed):
    result = diff(seed, seed)
    assert result.changes == []
    assert len(result.matches["targets"]) == len(seed.targets)


def test_reordering_alone_changes_nothing(seed):
    rows, targets = list(seed.annex_rows), list(seed.targets)
    random.Random(7).shuffle(rows)
    random.Random(7).shuffle(targets)
    assert diff(seed, dataclasses.replace(seed, annex_rows=tuple(rows), targets=tuple(targets))).changes == []


def test_abbreviated_and_full_indicators_compare_equal():
    assert normalise_indicator("规模以上工业产值") == normalise_indicator("规上工业产值")
    assert normalise_indicator("“浙江制造”标准") == normalise_indicator("浙江制造标准")


def test_history_follows_an_indicator_through_the_years(seed, variant):
    columns, rows = history([variant, seed])
    assert columns == ["2023", "2024"]
    [row] = [r for r in rows if r["indicator"] == "规上工业产值" and r["kind"] == "level"]
    assert (row["2023"], row["2024"]) == (220000000000, 240000000000)
    [dropped] = [r for r in rows if r["indicator"] == "独立站"]
    assert dropped["2023"] == 3 and "2024" not in dropped


def test_diff_and_history_commands_write_their_files(tmp_path):
    run = [sys.executable, str(ROOT / "run_pipeline.py")]
    parsed = subprocess.run([*run, "parse", SEED, "--out", tmp_path / "data", "--quiet"], capture_output=True)
    assert parsed.returncode == 0
    dataset = tmp_path / "data" / "yueqing-2023-manufacturing-plan.json"
    result = subprocess.run([*run, "diff", dataset, VARIANT, "--out", tmp_path / "diff"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert "4 target_value_changed" in result.stdout
    assert (tmp_path / "diff" / "diff.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "## lead_unit_changed" in (tmp_path / "diff" / "diff.md").read_text(encoding="utf-8")
    hist = subprocess.run([*run, "history", tmp_path / "data", VARIANT, "--out", tmp_path / "hist"],
                          capture_output=True, text=True)
    assert hist.returncode == 0, hist.stderr
    header = (tmp_path / "hist" / "history.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "indicator,base_unit,kind,2023,2024"
    bad = subprocess.run([*run, "diff", tmp_path / "nope.json", VARIANT, "--out", tmp_path / "x"],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and bad.stderr.count("\n") == 1


def test_diff_and_history_csv_neutralise_formula_text_but_not_negative_numbers():
    from policyparse.emit_diff import _csv

    data = _csv(["indicator", "relative_change", "units", "comparator"], [["=1+1", -0.25, ["@x", "县经信局"], "="]])
    assert data.decode("utf-8-sig").splitlines()[1] == "'=1+1,-0.25,'@x、县经信局,="
