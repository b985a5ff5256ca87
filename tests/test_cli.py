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


def test_parse_output_grows_with_the_input_not_with_its_square(tmp_path):
    # Issue 16: one sentence repeating a target (or numbers inheriting one long indicator) made
    # every target hold all of it: 4,000 repetitions gave a 707 MB dataset from 176 KB.
    sizes = {}
    for kind, unit in (("sentence", "力争产值突破2200亿元增长百分之5"), ("inherited", "，增长5%")):
        for n in (1000, 2000):
            body = unit * n if kind == "sentence" else "规上工业" * n + "产值2200亿元" + unit * n
            path = tmp_path / f"{kind}-{n}.txt"
            path.write_text(f"关于印发某某行动计划的通知\n\n一、主要目标\n{body}。\n", encoding="utf-8")
            out = tmp_path / f"out-{kind}-{n}"
            assert run("parse", path, "--out", out, "--quiet").returncode == 0
            sizes[kind, n] = sum(p.stat().st_size for p in out.iterdir())
            assert sizes[kind, n] < 150 * path.stat().st_size  # a quantity and a target every 15 bytes: ~110x
        assert sizes[kind, 2000] < 2.2 * sizes[kind, 1000], kind


def test_parse_holds_each_document_to_the_time_and_memory_limits(tmp_path, monkeypatch, capsys):
    import time

    from policyparse.cli import main
    from policyparse.run import Parser

    parse = Parser.parse

    def unbounded(self, path, **limits):
        if "slow" in str(path):
            time.sleep(3600)
        if "hog" in str(path):
            return bytearray(2048 * 1024 * 1024)
        if "c-code" in str(path):  # C code that runs out of memory says so in its own way
            held = bytearray((256 - 16) * 1024 * 1024) if "near" in str(path) else b""
            raise SystemError(f"error return without exception set ({len(held)})")
        return parse(self, path, **limits)

    monkeypatch.setattr(Parser, "parse", unbounded)
    # A small cap and a time limit of 2 s: filling a gigabyte near a 1,024 MB cap took past a
    # 1 s limit on a loaded machine, and the test then read the time limit, not the memory one.
    names = ("slow.txt", "hog.txt", "c-code-near-the-cap.txt", "c-code.txt")
    for name in names:
        (tmp_path / name).write_bytes(SEED.read_bytes())
    out = tmp_path / "out"

    status = main(["parse", *(str(tmp_path / name) for name in names), "--out", str(out), "--quiet",
                   "--max-seconds", "2", "--max-memory", "256"])

    assert status == 1
    assert capsys.readouterr().err.splitlines() == [
        f"policyparse: error: {tmp_path / 'slow.txt'}: gave up after 2 s (the time limit per document, see "
        "--max-seconds)",
        f"policyparse: error: {tmp_path / 'hog.txt'}: used more than 256 MB of memory (see --max-memory)",
        f"policyparse: error: {tmp_path / 'c-code-near-the-cap.txt'}: used more than 256 MB of memory (see "
        "--max-memory)",
        f"policyparse: error: {tmp_path / 'c-code.txt'}: internal error while parsing (SystemError: error return "
        "without exception set (0)); please report it"]
    assert not out.exists()
    assert main(["parse", str(SEED), "--out", str(out), "--quiet"]) == 0  # the limits end with their document


def test_a_file_name_that_is_not_utf8_costs_its_own_document_only(tmp_path):
    # Issue 16: such a name made batch print a traceback and write no table, on every rerun,
    # and parse write no combined CSV for any file.
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    bad = os.path.join(os.fsencode(folder), b"plan-\xff\xfe.txt")
    with open(bad, "wb") as f:
        f.write(SEED.read_bytes())
    (folder / "good.txt").write_bytes(SEED.read_bytes())
    line = f"policyparse: error: {folder}/plan-\\xff\\xfe.txt: the file name (or a folder's) is not valid UTF-8; rename it"
    parsed = subprocess.run([sys.executable, str(ROOT / "run_pipeline.py"), "parse", bad, folder / "good.txt", "--out",
                             tmp_path / "parsed", "--quiet"], capture_output=True, text=True)
    assert (parsed.returncode, parsed.stderr.splitlines()) == (1, [line])
    assert len((tmp_path / "parsed" / "documents.csv").read_text(encoding="utf-8-sig").splitlines()) == 2
    for _ in range(2):
        batched = run("batch", folder, "--out", tmp_path / "batched")
        assert (batched.returncode, batched.stderr.splitlines()) == (1, [line])
        assert (tmp_path / "batched" / "errors.csv").read_text(encoding="utf-8-sig").splitlines()[1:] == [
            f"{folder}/plan-\\xff\\xfe.txt,input,the file name (or a folder's) is not valid UTF-8; rename it"]
        assert len((tmp_path / "batched" / "documents.csv").read_text(encoding="utf-8-sig").splitlines()) == 2


def test_an_output_that_cannot_be_written_is_one_line_for_every_command(tmp_path, monkeypatch, capsys):
    # Issue 16: diff and history showed a traceback for an --out that is a file (FileExistsError)
    # or on a read-only disk (OSError 30); parse blamed each input.
    import errno

    from policyparse import emit
    from policyparse.cli import main

    variant = ROOT / "tests" / "diff" / "yueqing-2024-variant.txt"
    datasets = tmp_path / "datasets"
    assert main(["parse", str(SEED), "--out", str(datasets), "--quiet"]) == 0
    commands = {"parse": [str(SEED)], "report": [str(datasets)], "diff": [str(SEED), str(variant)],
                "history": [str(datasets)], "batch": [str(SEED)]}
    a_file = tmp_path / "a-file"
    a_file.write_text("keep me", encoding="utf-8")
    capsys.readouterr()
    for command, inputs in commands.items():
        assert main([command, *inputs, "--out", str(a_file), "--quiet"]) == 2, command
        assert capsys.readouterr().err == (f"policyparse: error: {a_file}: is a file, not a folder (--out names the "
                                           "folder to write into)\n"), command
    assert a_file.read_text(encoding="utf-8") == "keep me"

    def read_only(path):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(emit, "atomic_path", read_only)
    for command, inputs in commands.items():
        if command == "batch":  # its workers write, in processes of their own
            continue
        out = tmp_path / f"read-only-{command}"
        assert main([command, *inputs, "--out", str(out), "--quiet"]) == 1, command
        assert capsys.readouterr().err == f"policyparse: error: {out}: cannot write there (Read-only file system)\n"


def test_a_dataset_json_that_is_not_one_is_one_line_for_report(tmp_path):
    # Issue 16: `report` on a dataset whose targets was a string (TypeError) or 100,000 nested
    # lists (RecursionError) showed a traceback; on a missing file, a raw errno.
    assert run("parse", SEED, "--out", tmp_path / "ok", "--quiet").returncode == 0
    text = (tmp_path / "ok" / f"{SEED.stem}.json").read_text(encoding="utf-8")
    record = json.loads(text)
    record["targets"] = "T0001"
    (tmp_path / "string.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    record["targets"] = "NESTED"
    (tmp_path / "nested.json").write_text(json.dumps(record, ensure_ascii=False).replace(
        '"NESTED"', "[" * 100_000 + "]" * 100_000), encoding="utf-8")
    for name, reason in (("string.json", "targets: expected a list, got text"), ("nested.json", "nested too deeply"),
                         ("missing.json", None)):
        result = run("report", tmp_path / name, "--out", tmp_path / "report")
        expected = "no such file" if reason is None else f"not a dataset written by `policyparse parse` ({reason})"
        assert (result.returncode, result.stderr) == (1, f"policyparse: error: {tmp_path / name}: {expected}\n"), name


def test_a_memory_limit_too_small_for_anything_is_named_as_the_memory_limit(tmp_path):
    # Issue 16: `--max-memory 1` said "internal error ... can't start new thread; please report it".
    for command in ("parse", "batch"):
        result = run(command, SEED, "--out", tmp_path / command, "--max-memory", "1", "--quiet")
        assert (result.returncode, result.stderr) == (
            1, f"policyparse: error: {SEED}: used more than 1 MB of memory (see --max-memory)\n"), command


def test_parse_writes_nothing_outside_out_and_reads_no_cache_another_user_could_plant(tmp_path):
    # Issue 16: every parse wrote jieba's 9 MB cache to $TMPDIR/jieba.cache and read it back,
    # so a cache planted there changed the output (161 targets instead of 162).
    import marshal
    import os

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    planted = marshal.dumps(({}, 1))  # a prefix table that knows no word: every character its own
    (tmp / "jieba.cache").write_bytes(planted)
    env = {**os.environ, "TMPDIR": str(tmp)}
    result = subprocess.run([sys.executable, str(ROOT / "run_pipeline.py"), "parse", str(SEED), "--out",
                             str(tmp_path / "out"), "--quiet"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "out" / f"{SEED.stem}.json").read_text(encoding="utf-8"))
    assert len(data["targets"]) == 162
    assert [p.name for p in tmp.iterdir()] == ["jieba.cache"] and (tmp / "jieba.cache").read_bytes() == planted


def test_every_option_and_argument_says_what_it_is_and_quiet_is_also_q(tmp_path):
    # Issue 16: several --help entries were empty, and -q was refused.
    import argparse

    from policyparse.cli import build_parser

    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices
    for name, command in commands.items():
        for action in command._actions:
            assert action.help, f"{name} {action.option_strings or action.dest}"
            if "--quiet" in action.option_strings:
                assert "-q" in action.option_strings, name
    result = run("parse", SEED, "--out", tmp_path, "-q")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_a_folder_given_to_parse_says_which_commands_take_folders(tmp_path):
    result = run("parse", ROOT / "corpus", "--out", tmp_path)
    assert (result.returncode, result.stderr) == (1, f"policyparse: error: {ROOT / 'corpus'}: a folder, not a file "
                                                     "(`batch` takes folders of documents, `report` and `history` "
                                                     "folders of dataset JSONs)\n")
