"""The bad-input corpus (tests/bad/expected.tsv): each file gets its one error line and exit 1,
or a partial dataset with its findings; no traceback, nothing written outside --out, and a
batch over all of them goes on to the end."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import make_bad
import pytest

from conftest import ROOT
from policyparse.cli import main
from policyparse.errors import shown
from policyparse.run import doc_id_for

BAD = ROOT / "tests" / "bad"
# What a file gives is bounded by a fixed multiple of its size: a run of numbers as dense as
# "，增长5%" repeated (a quantity and a target every 15 bytes) gives about 110 times its size.
OUTPUT_RATIO = 150


@dataclass(frozen=True)
class Case:
    file: str
    options: list[str]
    exit: int
    targets: int | None
    expect: str


def cases() -> list[Case]:
    lines = [line for line in (BAD / "expected.tsv").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [Case(r["file"], [] if r["options"] == "-" else r["options"].split(), int(r["exit"]),
                 None if r["targets"] == "-" else int(r["targets"]), r["expect"]) for r in rows]


CASES = cases()


@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad")
    for path in BAD.iterdir():
        if path.name not in ("expected.tsv", "make_bad.py") and path.is_file():
            shutil.copy(path, folder / path.name)
    make_bad.make(folder)
    return folder


def named(bad_dir: Path, case: Case) -> Path:
    """The file of a case: its name in expected.tsv is the name as the error line shows it."""
    return next(p for p in bad_dir.iterdir() if shown(p.name) == case.file)


def test_every_file_in_the_corpus_has_an_expected_outcome(bad_dir):
    assert {c.file for c in CASES} == {shown(p.name) for p in bad_dir.iterdir()}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file} {' '.join(c.options)}".strip() for c in CASES])
def test_a_bad_input_gets_its_expected_outcome(case, bad_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # a stray relative write would land here and be seen
    given = str(bad_dir / ".." / bad_dir.name / named(bad_dir, case).name)  # a path through ../ is an input like any other
    inputs_before = sorted(p.name for p in bad_dir.iterdir())

    status = main(["parse", given, "--out", "out", "--quiet", *case.options])

    err = capsys.readouterr().err
    assert status == case.exit
    assert sorted(p.name for p in bad_dir.iterdir()) == inputs_before
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    if case.exit:
        assert err.startswith(f"policyparse: error: {shown(given)}: ") and err.count("\n") == 1, err
        assert case.expect in err
        assert written in ([], ["out"])
        return
    assert err == ""
    assert all(w == "out" or w.startswith("out/") for w in written)
    data = json.loads((tmp_path / "out" / f"{doc_id_for(given)}.json").read_text(encoding="utf-8"))
    assert len(data["targets"]) == case.targets
    expected_codes = set() if case.expect == "-" else set(case.expect.split(","))
    assert expected_codes <= {f["code"] for f in data["findings"]}
    # No entity or decompression expanded the text beyond what the file holds, and no record
    # copied it over and over: what a file gives grows with it (at most OUTPUT_RATIO times).
    size = named(bad_dir, case).stat().st_size
    assert len(data["document"]["text"]) <= size
    assert sum(p.stat().st_size for p in (tmp_path / "out").iterdir()) <= OUTPUT_RATIO * size


def test_a_batch_over_the_whole_corpus_records_each_bad_file_and_keeps_the_rest(bad_dir, tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "run_pipeline.py"), "batch", str(bad_dir), "--out",
                             str(tmp_path / "out"), "--workers", "2", "--quiet"],
                            capture_output=True, text=True, cwd=tmp_path, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    default = [c for c in CASES if not c.options]
    with open(tmp_path / "out" / "errors.csv", encoding="utf-8-sig", newline="") as f:
        failed = {Path(row["file"]).name for row in csv.DictReader(f)}
    assert failed == {c.file for c in default if c.exit}
    lines = result.stderr.splitlines()
    assert len(lines) == len(failed) and all(line.startswith("policyparse: error: ") for line in lines)
    with open(tmp_path / "out" / "documents.csv", encoding="utf-8-sig", newline="") as f:
        parsed = {Path(row["source"]).name for row in csv.DictReader(f)}
    assert parsed == {c.file for c in default if not c.exit}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("doc_id", ["../../escaped", "/tmp/escaped", ".hidden", "a/b", ""])
def test_a_dataset_json_with_a_doctored_doc_id_is_not_read_and_nothing_is_written_outside_out(
        doc_id, tmp_path, monkeypatch, capsys, seed_doc):
    from policyparse.emit import to_dict

    monkeypatch.chdir(tmp_path)
    data = to_dict(seed_doc)
    data["document"]["doc_id"] = doc_id
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "plan.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    assert main(["report", "in/plan.json", "--out", "out/report", "--quiet"]) == 1
    assert capsys.readouterr().err == ("policyparse: error: in/plan.json: not a dataset written by `policyparse parse` "
                                       f"(document.doc_id: {doc_id!r} is not a document id policyparse makes)\n")
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == ["in", "in/plan.json"]
