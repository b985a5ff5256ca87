"""The quantity scorer against golden files in the real documents' format, on two documents of the
genre written for it (tests/fixtures/quantities: a measures document rich in subsidies and
conditions, a plan rich in goals) and their golden files (tests/golden/quantities), written by
reading them."""
import shutil

import pytest

from conftest import FIXTURES, GOLDEN, parsed
from policyparse import evaluate_quantities
from policyparse.cli import main
from policyparse.real_golden import read

DOCS = sorted((FIXTURES / "quantities").glob("*.txt"))
REAL_FORMAT = GOLDEN / "quantities"


def rows(doc_id: str) -> list[dict]:
    return read(REAL_FORMAT / doc_id).tables["quantities"]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_every_quantity_of_the_genre_documents_has_its_golden_role(path):
    result = evaluate_quantities.score(parsed(path), rows(path.stem))
    assert (result.matched, result.roles_right) == (result.golden, result.golden), result.wrong_roles + result.missed
    assert (result.hits, result.parsed_targets) == (result.golden_targets, result.golden_targets), (
        result.false_targets + result.missed_targets)
    assert all(result.accuracy(name) == 1.0 for name in evaluate_quantities.FIELDS), result.wrong_fields


def test_a_wrong_role_a_wrong_value_and_a_quote_not_in_the_text_are_each_reported():
    path = FIXTURES / "quantities" / "plan_demo.txt"
    golden = rows("plan_demo")
    golden[0] = {**golden[0], "role": "target", "value_base": "320"}  # a baseline read as a target of 320
    golden[3] = {**golden[3], "value_base": "1"}  # 600亿元 is no hit with another value
    golden[4] = {**golden[4], "quote": "25%"}  # not in its clause
    result = evaluate_quantities.score(parsed(path), golden)
    assert (result.golden, result.matched, result.roles_right) == (16, 15, 14)
    assert (result.golden_targets, result.parsed_targets, result.hits) == (13, 12, 10)
    assert result.precision == 10 / 12 and result.recall == 10 / 13
    assert result.wrong_roles == ["plan_demo 一 '全市人工智能核心产业规模达到320亿元' '320亿元': target expected, got "
                                  "baseline (background)"]
    assert result.missed == ["plan_demo 二 '增长20%左右' '25%' (target): not found in the text"]
    assert [line.split("'")[1] for line in result.false_targets] == ["全市人工智能核心产业规模突破600亿元", "增长20%左右"]
    assert len(result.missed_targets) == 3


def test_scores_add_up_per_folder_and_overall():
    scores = [(path.stem, evaluate_quantities.score(parsed(path), rows(path.stem))) for path in DOCS]
    text = evaluate_quantities.report(scores)
    lines = {line.split()[0]: line.split() for line in text.splitlines()[1:]}
    assert lines["[measures]"][1:3] == ["20", "20"] and lines["[plan]"][1:3] == ["16", "16"]
    assert lines["ALL"][1:7] == ["36", "36", "1.000", "14", "14", "14"]
    assert evaluate_quantities.folder_of("opc_007") == "opc" and evaluate_quantities.folder_of("govcn_041") == "govcn"


def test_evaluate_scores_real_golden_folders_beside_the_targets_of_the_others(tmp_path, capsys):
    golden_dir = tmp_path / "golden"
    shutil.copytree(REAL_FORMAT, golden_dir)
    shutil.copytree(GOLDEN / "cangnan-2023-foreign-trade", golden_dir / "cangnan-2023-foreign-trade")
    status = main(["evaluate", str(FIXTURES / "cangnan-2023-foreign-trade.txt"), *map(str, DOCS),
                   "--golden-dir", str(golden_dir)])
    out = capsys.readouterr().out
    assert status == 0
    assert "cangnan-2023-foreign-trade.txt" in out and out.index("precision") < out.index("quantities")
    assert "\nALL                  36      36  1.000      14     14    14     1.000  1.000" in out


def test_a_real_golden_folder_without_quantities_is_scored_for_its_structure_only(tmp_path, capsys):
    folder = tmp_path / "plan_demo"
    shutil.copytree(REAL_FORMAT / "plan_demo", folder)
    (folder / "quantities.csv").unlink()
    assert main(["evaluate", str(DOCS[1]), "--golden-dir", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "notes" in printed and not any(line.startswith("quantities") for line in printed.splitlines())
