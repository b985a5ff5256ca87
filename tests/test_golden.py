"""Each document in corpus/ and tests/fixtures/, and its DOCX, PDF and HTML renderings, against
the golden files a person wrote by reading it (tests/golden/README.md). One test per file, so
one failure hides no other."""
from pathlib import Path

import pytest

from conftest import FIXTURES, GOLDEN, RENDERINGS, ROOT, parsed
from policyparse import golden

DOCUMENTS = sorted((ROOT / "corpus").glob("*.txt")) + sorted(FIXTURES.glob("*.txt")) + RENDERINGS


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_document_matches_its_golden_files(path: Path):
    folder = GOLDEN / path.stem
    if not folder.is_dir():
        pytest.fail(f"no golden files for {path.name}: write them by reading the document "
                    f"(tests/golden/README.md), or start from `python run_pipeline.py golden --update {path}` "
                    f"and check every row")
    problems = golden.compare(golden.read(folder), golden.project(parsed(path)))
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems)


def test_seed_has_the_structure_a_reader_counts(seed_doc):
    measures = [s for s in seed_doc.sections if s.level == 3]
    assert [s.number for s in measures] == [str(n) for n in range(1, 19)]
    assert len(seed_doc.annex_rows) == 50
    noted = {r.section_path for r in seed_doc.responsibilities if r.scope == "section"}
    assert all(s.path in noted for s in measures), "every measure has its responsibility note"


def test_compare_reports_a_changed_field_and_a_missing_row(seed_doc):
    fresh = golden.project(seed_doc)
    edited = golden.project(seed_doc)
    edited["targets"][0] = {**edited["targets"][0], "value_base": "1"}
    del edited["annex_rows"][3]
    problems = golden.compare(edited, fresh)
    assert any("value_base: expected '1', got '220000000000'" in p for p in problems)
    assert any(p.startswith("annex_rows [4]: unexpected") for p in problems)


def test_evaluate_scores_hits_misses_and_wrong_fields(seed_doc):
    from policyparse.evaluate import report, score

    parsed = golden.project(seed_doc)["targets"]
    expected = [dict(row) for row in parsed]
    expected[0]["indicator"] = "规模以上工业产值"
    expected[1]["value_base"] = "11"
    del parsed[5]
    result = score(expected, parsed)
    assert (result.golden, result.parsed, result.hits) == (162, 161, 160)
    assert result.accuracy("indicator") == 159 / 160
    assert [g["text"] for g in result.misses] == ["增长10%", expected[5]["text"]]
    assert [p["text"] for p in result.false_hits] == ["增长10%"]
    text = report(result, [("seed.txt", result)])
    assert "wrong      seed.txt: body 一 '力争规上工业产值突破2200亿元': indicator expected '规模以上工业产值'" in text


def test_evaluate_command_on_the_corpus(capsys):
    from policyparse.evaluate import main

    assert main([str(p) for p in DOCUMENTS[:1]] + ["--golden-dir", str(GOLDEN)]) == 0
    assert "ALL" in capsys.readouterr().out
