"""The command line as a user runs it: datasets written, bad files named in one line each,
the batch carried on, no tracebacks, the same bytes every run."""
import json
import subprocess
import sys

from conftest import ROOT, SEED


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "run_pipeline.py"), *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def test_parse_writes_json_and_tables_with_bom(tmp_path):
    result = run("parse", SEED, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "yueqing-2023-manufacturing-plan.json").read_text(encoding="utf-8"))
    assert data["schema_version"] and data["document"]["date"] == "2023-01-28"
    assert len(data["targets"]) == 162 and len(data["annex_rows"]) == 50
    for name in ("documents", "sections", "annex_rows", "quantities", "targets", "responsibilities", "findings",
                 "by_unit"):
        raw = (tmp_path / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
    targets = (tmp_path / "targets.csv").read_text(encoding="utf-8-sig").splitlines()
    assert targets[0].startswith("doc_id,target_id,source,section_path")
    assert (",力争规上工业产值突破2200亿元,规上工业产值,,2200,2200,2200,亿元,220000000000,220000000000,元,>=,false,"
            "level,true,") in targets[1]


def test_output_is_byte_identical_across_runs(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert run("parse", SEED, "--out", first, "--quiet").returncode == 0
    assert run("parse", SEED, "--out", second, "--quiet").returncode == 0
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_bad_inputs_each_get_one_line_and_the_batch_goes_on(tmp_path):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (bad / "latin.txt").write_bytes("Größe, naïve façade, über alles ".encode("latin-1") * 10)
    (bad / "report.xls").write_bytes(b"PK")
    out = tmp_path / "out"
    result = run("parse", bad / "empty.txt", bad / "missing.txt", bad / "junk.txt", SEED, bad / "latin.txt",
                 bad / "report.xls", "--out", out)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 5, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0] == f"policyparse: error: {bad / 'empty.txt'}: empty file"
    assert lines[1] == f"policyparse: error: {bad / 'missing.txt'}: no such file"
    assert lines[2].startswith(f"policyparse: error: {bad / 'junk.txt'}: binary data")
    assert lines[3].startswith(f"policyparse: error: {bad / 'latin.txt'}: undecodable")
    assert lines[4].startswith(f"policyparse: error: {bad / 'report.xls'}: unsupported file type")
    assert (out / "yueqing-2023-manufacturing-plan.json").exists()
    assert (out / "targets.csv").exists()


def test_a_failed_run_leaves_earlier_output_intact(tmp_path):
    assert run("parse", SEED, "--out", tmp_path, "--quiet").returncode == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    (tmp_path / "empty.txt").write_bytes(b"")
    assert run("parse", tmp_path / "empty.txt", "--out", tmp_path).returncode == 1
    (tmp_path / "empty.txt").unlink()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_golden_check_passes_on_the_seed_and_update_needs_the_flag(tmp_path):
    result = run("golden", SEED, "--golden-dir", ROOT / "tests" / "golden")
    assert run("golden", SEED).returncode == 2  # where the golden files are is never assumed
    assert result.returncode == 0 and "agrees with" in result.stdout
    missing = run("golden", SEED, "--golden-dir", tmp_path)
    assert missing.returncode == 1 and "no golden folder" in missing.stderr
    assert not any(tmp_path.iterdir())


def test_usage_error_exits_2():
    assert run("parse").returncode == 2
