"""The batch as a researcher runs it over an archive: one dataset from folders, globs and lists;
bad files in errors.csv and the batch goes on; a re-run parses only what changed; a run killed
with kill -9 and started again, a crashing worker, or a dask cluster all end with the same
dataset as one clean local run."""
import fcntl
import json
import os
import pty
import re
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import FIXTURES, ROOT, SEED
from policyparse import batch, emit, parse
from policyparse import store as store_module
from policyparse.limits import Limits
from policyparse.store import DB_NAME, Parsed

FIXTURE = FIXTURES / "qingtian-2024-digital-economy.txt"


def run(*args, env=None, **kwargs):
    return subprocess.run([sys.executable, str(ROOT / "run_pipeline.py"), *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, env=env, **kwargs)


def variants(folder: Path, count: int, source: Path = FIXTURE) -> list[Path]:
    """Copies of a plan with one number changed in each, as an archive grows."""
    folder.mkdir(parents=True, exist_ok=True)
    text = source.read_text(encoding="utf-8")
    paths = []
    for i in range(count):
        path = folder / f"plan-{i:03d}.txt"
        path.write_text(text.replace("2", str(3 + i % 7), 1), encoding="utf-8")
        paths.append(path)
    return paths


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file a batch leaves in DIR but the database, which db_dump reads."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file() and p.name != DB_NAME}


def db_dump(out: Path) -> dict[str, list[tuple]]:
    db = sqlite3.connect(out / DB_NAME)
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {name: sorted(db.execute(f"SELECT * FROM {name}").fetchall(), key=repr) for name in names}


def test_inputs_are_files_folders_globs_and_lists(tmp_path):
    archive = tmp_path / "archive"
    (archive / "2023" / "乐清").mkdir(parents=True)
    (archive / "2024").mkdir()
    (archive / ".git").mkdir()
    for name in ("2023/乐清/a.txt", "2023/b.docx", "2024/c.txt", ".git/d.txt", "2024/.DS_Store"):
        (archive / name).write_text("x", encoding="utf-8")
    out = archive / "out"  # an output folder inside the archive is not an input
    out.mkdir()
    (out / "documents.csv").write_text("x", encoding="utf-8")
    listing = tmp_path / "list.txt"
    listing.write_text(f"# plans to add\n\n{archive / '2024' / 'c.txt'}\n{tmp_path / 'missing.txt'}\n", encoding="utf-8")

    files, failures = batch.expand([str(archive), f"{tmp_path}/**/c.txt", f"@{listing}", f"{tmp_path}/*.pdf",
                                    f"@{tmp_path / 'no-list.txt'}"], out)

    assert files == [str(archive / "2023" / "b.docx"), str(archive / "2023" / "乐清" / "a.txt"),
                     str(archive / "2024" / "c.txt"), str(tmp_path / "missing.txt")]
    assert [(f.file, f.stage) for f in failures] == [(f"{tmp_path}/*.pdf", "input"),
                                                     (str(tmp_path / "no-list.txt"), "input")]
    assert failures[0].message == "no file matches this pattern"
    assert failures[1].message.startswith("cannot read the file list")


def test_batch_writes_the_tables_parse_writes_plus_parquet_and_plans_db(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "plan.docx").write_bytes(b"PK\x03\x04")  # a DOCX cut off after its first bytes
    twin = bad / "sub" / SEED.name  # the same document id as the seed: refused, named
    twin.parent.mkdir()
    twin.write_bytes(SEED.read_bytes())
    parsed, out = tmp_path / "parse", tmp_path / "batch"
    assert run("parse", SEED, FIXTURE, "--out", parsed, "--quiet").returncode == 0

    result = run("batch", SEED, FIXTURE, bad, "--out", out, "--workers", "2")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert sorted(result.stderr.splitlines()) == sorted([
        f"policyparse: error: {bad / 'empty.txt'}: empty file",
        f"policyparse: error: {bad / 'plan.docx'}: damaged DOCX file (truncated or corrupt zip)",
        f"policyparse: error: {twin}: has the same document id 'yueqing-2023-manufacturing-plan' as {SEED}; "
        "rename one of them",
    ])  # one line per failure, and no progress bar: stderr is not a terminal
    assert result.stdout.startswith(f"{out}: 5 documents: 2 parsed, 0 up to date, 3 failed")
    errors = (out / "errors.csv").read_text(encoding="utf-8-sig").splitlines()
    assert errors[0] == "file,stage,message"
    assert sorted(line.split(",")[:2] for line in errors[1:]) == [
        [str(bad / "empty.txt"), "ingest"], [str(bad / "plan.docx"), "ingest"], [str(twin), "input"]]
    for name in [*emit.TABLE_COLUMNS, *(p.name for p in parsed.glob("*.json"))]:
        file = name if name.endswith(".json") else f"{name}.csv"
        assert (out / file).read_bytes() == (parsed / file).read_bytes(), file
    db = sqlite3.connect(out / DB_NAME)
    for name in emit.TABLE_COLUMNS:
        csv_rows = (out / f"{name}.csv").read_text(encoding="utf-8-sig").count("\n") - 1
        table = pq.read_table(out / f"{name}.parquet")
        assert table.column_names == emit.table_columns(name)
        assert table.num_rows == csv_rows == db.execute(f"SELECT count(*) FROM {name}").fetchone()[0], name
    hedged = pq.read_table(out / "targets.parquet").to_pandas()["hedged"]
    assert hedged.dtype == bool and hedged.sum() == db.execute("SELECT count(*) FROM targets WHERE hedged").fetchone()[0]


def test_a_grown_archive_parses_only_new_and_changed_files_and_equals_a_clean_run(tmp_path):
    archive = tmp_path / "archive"
    first = variants(archive, 4)
    out = tmp_path / "out"
    todo = batch.plan([str(archive)], out)
    assert len(todo.jobs) == 4
    batch.run(todo, workers=2)

    first[1].write_text(first[1].read_text(encoding="utf-8").replace("年", "年度", 1), encoding="utf-8")
    first[3].unlink()  # gone from the archive: gone from the dataset
    (archive / "new").mkdir()
    new = archive / "new" / "plan-new.txt"
    new.write_bytes(SEED.read_bytes())
    todo = batch.plan([str(archive)], out)
    assert sorted(todo.jobs) == sorted([str(first[1]), str(new)])
    assert sorted(todo.up_to_date) == ["plan-000", "plan-002"]
    summary = batch.run(todo, workers=2)
    assert (summary.parsed, summary.up_to_date, summary.failures) == (2, 2, [])

    clean = tmp_path / "clean"
    batch.run(batch.plan([str(archive)], clean), workers=1)
    assert snapshot(out) == snapshot(clean)
    assert db_dump(out) == db_dump(clean)
    assert not (out / "plan-003.json").exists()


def test_a_run_killed_with_kill_9_and_restarted_ends_as_an_uninterrupted_run(tmp_path):
    archive = tmp_path / "archive"
    variants(archive, 24, source=SEED)
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    proc = subprocess.Popen([sys.executable, str(ROOT / "run_pipeline.py"), "batch", str(archive), "--out",
                             str(killed), "--workers", "1", "--quiet"], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while proc.poll() is None and len(list(killed.glob("*.json"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its worker, mid-way
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert 3 <= len(list(killed.glob("*.json"))) < 24

    restarted = run("batch", archive, "--out", killed, "--workers", "2")
    assert restarted.returncode == 0, restarted.stderr
    assert " up to date, 0 failed" in restarted.stdout and " 0 up to date" not in restarted.stdout
    assert run("batch", archive, "--out", clean, "--workers", "2").returncode == 0
    assert snapshot(killed) == snapshot(clean)
    assert db_dump(killed) == db_dump(clean)


def test_workers_end_with_the_batch_when_only_the_batch_process_is_killed(tmp_path):
    # kill -9 of the batch process alone: its workers, which write into DIR, must not go on as orphans.
    archive = tmp_path / "archive"
    variants(archive, 40, source=SEED)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, str(ROOT / "run_pipeline.py"), "batch", str(archive), "--out", str(out),
                             "--workers", "2", "--quiet"], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while proc.poll() is None and len(list(out.glob("*.json"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)  # is any process of the run still there?
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("workers outlived the batch process")
    assert run("batch", archive, "--out", out, "--workers", "2").returncode == 0
    assert not list(out.glob(".*.tmp"))


def crash_on_request(path: str, limits: Limits):
    """A task whose worker dies on one document, as a segfault or the OOM killer would."""
    if "crash" in path:
        os._exit(3)
    return batch.parse_task(path, limits)


def hang_on_request(path: str, limits: Limits):
    """The parse task, with a parser that never ends on a "hang" document: in Python code (the
    alarm stops it), or where no signal handler runs, as in a C extension (the watchdog kills
    the worker); on a "hang-hog" it asks for twice the memory limit instead."""
    if "hang" not in path:
        return batch.parse_task(path, limits)

    def hang(*args, **kwargs):
        if "in-c" in path:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        if "hog" in path:
            return bytearray(2 * limits.memory_mb * 1024 * 1024)
        time.sleep(3600)

    original, batch.parse_one = batch.parse_one, hang
    try:
        return batch.parse_task(path, limits)
    finally:
        batch.parse_one = original


def test_a_worker_that_dies_loses_only_its_own_document(tmp_path):
    good = variants(tmp_path, 3)
    crash = tmp_path / "crash.txt"
    crash.write_bytes(FIXTURE.read_bytes())
    paths = [str(good[0]), str(crash), str(good[1]), str(good[2])]

    outcomes = list(batch.run_local(paths, crash_on_request, 1, Limits()))

    assert sorted(o.entry.source for o in outcomes if isinstance(o, Parsed)) == sorted(map(str, good))
    assert [o for o in outcomes if isinstance(o, batch.Failure)] == [
        batch.Failure(str(crash), "worker", batch.WORKER_DIED)]


def test_a_document_over_its_time_limit_is_recorded_as_failed_and_the_batch_goes_on(tmp_path):
    good = variants(tmp_path, 2)
    hang, stuck = tmp_path / "hang.txt", tmp_path / "hang-in-c.txt"
    for path in (hang, stuck):
        path.write_bytes(FIXTURE.read_bytes())
    limits = Limits(seconds=3.0)
    outcomes = list(batch.run_local([str(good[0]), str(hang), str(stuck), str(good[1])], hang_on_request, 2, limits))

    assert sorted(o.entry.source for o in outcomes if isinstance(o, Parsed)) == sorted(map(str, good))
    failures = {o.file: o for o in outcomes if isinstance(o, batch.Failure)}
    assert failures[str(hang)] == batch.Failure(str(hang), "limit", batch.time_limit_message(limits))
    assert failures[str(stuck)].stage == "limit" and failures[str(stuck)].message.endswith("its worker was killed")


def test_a_document_over_the_memory_limit_is_recorded_as_failed(tmp_path):
    hog = tmp_path / "hang-hog.txt"
    hog.write_bytes(FIXTURE.read_bytes())
    limits = Limits(memory_mb=1024)
    assert list(batch.run_local([str(hog)], hang_on_request, 1, limits)) == [
        batch.Failure(str(hog), "limit", "used more than 1,024 MB of memory (see --max-memory)")]


def test_limits_are_options_and_a_refusal_names_the_option(tmp_path):
    long = tmp_path / "long.txt"
    long.write_bytes(FIXTURE.read_bytes())
    result = run("batch", long, "--out", tmp_path / "out", "--max-chars", "500", "--max-seconds", "60")
    assert result.returncode == 1
    assert "long.txt: too much text (" in result.stderr and "see --max-chars" in result.stderr
    assert "ingest" in (tmp_path / "out" / "errors.csv").read_text(encoding="utf-8-sig")
    assert run("batch", long, "--out", tmp_path / "out", "--max-seconds", "0").returncode == 2


def test_an_error_names_its_stage_and_the_file(tmp_path, monkeypatch):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert batch.parse_task(str(tmp_path / "empty.txt"), Limits()) == batch.Failure(
        str(tmp_path / "empty.txt"), "ingest", "empty file")

    def broken(*args):
        raise KeyError("heading")

    monkeypatch.setattr("policyparse.segment.read_header", broken)  # a bug deep inside the segment stage
    failure = batch.parse_task(str(FIXTURE), Limits())
    assert (failure.file, failure.stage) == (str(FIXTURE), "segment")
    assert failure.message.startswith("internal error while parsing (KeyError: 'heading')")


def test_the_same_task_runs_on_an_existing_dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    (tmp_path / "empty.txt").write_bytes(b"")
    inputs = [SEED, FIXTURE, tmp_path / "empty.txt"]
    local, remote = tmp_path / "local", tmp_path / "dask"
    assert run("batch", *inputs, "--out", local, "--workers", "2").returncode == 1
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp",
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        result = run("batch", *inputs, "--out", remote, "--executor", "dask", "--scheduler", cluster.scheduler_address)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{remote}: 3 documents: 2 parsed, 0 up to date, 1 failed")
    assert snapshot(remote) == snapshot(local)
    assert db_dump(remote) == db_dump(local)


def test_an_unreachable_scheduler_is_one_line_and_exit_2(tmp_path):
    pytest.importorskip("distributed")
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    result = run("batch", FIXTURE, "--out", tmp_path, "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9", env=env)
    assert result.returncode == 2
    assert result.stderr.startswith("policyparse: error: cannot connect to the dask scheduler at tcp://127.0.0.1:9 (")
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_progress_bar_shows_rate_eta_and_failures_on_a_terminal(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    text, _ = _on_a_terminal(["batch", str(FIXTURE), str(tmp_path / "empty.txt"), "--out", str(tmp_path / "out"),
                              "--workers", "1"])
    assert "policyparse: error: " + str(tmp_path / "empty.txt") + ": empty file" in text
    final = text.rstrip().split("\r")[-1]
    assert re.search(r"2/2 \[\d\d:\d\d<00:00, +[\d.]+(doc/s|s/doc), failed=1\]", final), final  # elapsed<left, rate


def test_the_progress_bar_counts_what_the_summary_counts(tmp_path):
    # Issue 16: the summary counted the documents up to date and the inputs refused before
    # parsing, the bar only the documents parsed (137 against 136).
    (tmp_path / "empty.txt").write_bytes(b"")
    inputs = [str(FIXTURE), str(tmp_path / "empty.txt"), f"{tmp_path}/nothing/*.txt", "--out", str(tmp_path / "out")]
    assert run("batch", *inputs).returncode == 1
    text, summary = _on_a_terminal(["batch", *inputs, "--workers", "1"])
    assert summary.startswith(f"{tmp_path / 'out'}: 3 documents: 0 parsed, 1 up to date, 2 failed")
    assert re.search(r"3/3 \[.*failed=2\]", text.rstrip().split("\r")[-1]), text


def _on_a_terminal(args: list[str]) -> tuple[str, str]:
    """What a command shows on stderr when it is a terminal, and what it prints."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    proc = subprocess.Popen([sys.executable, str(ROOT / "run_pipeline.py"), *args], cwd=ROOT, stderr=slave,
                            stdout=subprocess.PIPE, text=True)
    os.close(slave)
    screen = b""
    while chunk := _read(master):
        screen += chunk
    printed = proc.stdout.read()
    proc.wait()
    return screen.decode(), printed


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 4096)
    except OSError:  # the terminal closed with the process
        return b""


def test_a_document_is_skipped_only_with_the_same_file_parser_store_and_json(tmp_path, monkeypatch):
    out = tmp_path / "out"
    batch.run(batch.plan([str(FIXTURE)], out), workers=1)
    assert batch.plan([str(FIXTURE)], out).up_to_date == [FIXTURE.stem]
    moved = tmp_path / "moved.json"
    (out / f"{FIXTURE.stem}.json").rename(moved)
    assert batch.plan([str(FIXTURE)], out).jobs == [str(FIXTURE)]
    moved.rename(out / f"{FIXTURE.stem}.json")
    with monkeypatch.context() as patch:
        patch.setattr(batch, "parser_id", lambda rules_dir=None: "another-parser")
        assert batch.plan([str(FIXTURE)], out).jobs == [str(FIXTURE)]
    assert batch.plan([str(FIXTURE)], out).up_to_date == [FIXTURE.stem]
    monkeypatch.setattr(store_module, "SCHEMA_ID", "tables-of-another-version")
    assert batch.plan([str(FIXTURE)], out).jobs == [str(FIXTURE)]


def test_a_store_that_is_not_a_database_is_named_and_left_alone(tmp_path):
    (tmp_path / DB_NAME).write_bytes(b"not a database, but somebody's notes" * 200)
    result = run("batch", FIXTURE, "--out", tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"policyparse: error: {tmp_path / DB_NAME}: cannot open the store (")
    assert result.stderr.endswith("; move it away to start over\n") and result.stderr.count("\n") == 1
    assert (tmp_path / DB_NAME).read_bytes().startswith(b"not a database")

    theirs = tmp_path / "theirs"
    theirs.mkdir()
    sqlite3.connect(theirs / DB_NAME).executescript("CREATE TABLE notes (text); INSERT INTO notes VALUES ('keep me');")
    with pytest.raises(batch.BatchError, match="not a policyparse store"):
        batch.plan([str(FIXTURE)], theirs)
    assert sqlite3.connect(theirs / DB_NAME).execute("SELECT text FROM notes").fetchall() == [("keep me",)]


def readme_queries() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### plans.db", 1)[1].split("\n## ", 1)[0]
    return [block.split("```", 1)[0] for block in section.split("```sql\n")[1:]]


def test_the_readme_queries_answer_what_the_csv_tables_say(tmp_path):
    """Each SQL example of the README against the same question asked of the CSVs with pandas."""
    import pandas as pd

    archive = tmp_path / "archive"
    archive.mkdir()
    for path in (SEED, FIXTURE):
        (archive / path.name).write_bytes(path.read_bytes())
    later = SEED.read_text(encoding="utf-8").replace("2023", "2024").replace("2200", "2500")
    (archive / "yueqing-2024-manufacturing-plan.txt").write_text(later, encoding="utf-8")
    out = tmp_path / "out"
    assert batch.run(batch.plan([str(archive)], out), workers=2).failures == []
    db = sqlite3.connect(out / DB_NAME)
    tables = {name: pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
              for name in ("documents", "targets", "responsibilities")}
    for frame in tables.values():
        frame["order"] = range(len(frame))
    targets = tables["targets"]
    leads = tables["responsibilities"].query("role == 'lead'").rename(columns={"unit": "lead"})
    leads = leads[["doc_id", "scope", "section_path", "annex_seq", "lead"]]

    def sql(query: str) -> list[tuple]:
        return [tuple("" if v is None else str(v) for v in row) for row in db.execute(query)]

    leads_most, across_years, hedged = readme_queries()

    body = targets.query("source == 'body'").merge(leads.query("scope == 'section'").drop(columns="annex_seq"),
                                                   on=["doc_id", "section_path"])
    annex = targets.query("source == 'annex'").merge(leads.query("scope == 'annex_row'").drop(columns="section_path"),
                                                     on=["doc_id", "annex_seq"])
    counts = pd.concat([body, annex])["lead"].value_counts().rename_axis("lead").reset_index(name="targets")
    counts = counts.sort_values(["targets", "lead"], ascending=[False, True]).head(10)
    assert sql(leads_most) == [(u, str(n)) for u, n in zip(counts["lead"], counts["targets"])]
    assert len(counts) == 10

    plan_years = tables["documents"][["doc_id", "year"]].rename(columns={"year": "plan_year"})
    years = targets.query("indicator == '规上工业产值'").merge(plan_years, on="doc_id")
    years = years.sort_values(["plan_year", "doc_id", "order"])
    columns = ["plan_year", "doc_id", "target_id", "value", "unit", "value_base", "base_unit", "comparator", "kind"]
    assert sql(across_years) == list(years[columns].itertuples(index=False, name=None))
    assert set(years["plan_year"]) == {"2023", "2024"}

    expected = targets.query("hedged == 'true'").sort_values(["doc_id", "order"])
    columns = ["doc_id", "target_id", "modality", "indicator", "value", "unit", "text"]
    assert sql(hedged) == list(expected[columns].itertuples(index=False, name=None))
    assert len(expected) > 0


def test_the_dataset_json_is_written_as_json_dumps_writes_it_even_past_64_bit_numbers():
    # orjson writes the JSON; json.dumps what orjson would write otherwise: a number past 64 bits
    # (a hostile file's), a float written with an exponent (降至0.00005吨), one not finite.
    odd = {"targets": [{"value": v, "text": "排放降至"} for v in (5e-05, 1.5e-09, 2e16, float("nan"), -0.0, 0.0001)]}
    for data in (*(emit.to_dict(parse(source)) for source in (SEED, ROOT / "tests" / "bad" / "huge-number.txt")),
                 odd, *({"targets": [t]} for t in odd["targets"])):
        assert emit.dataset_json(data) == (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    huge = emit.to_dict(parse(ROOT / "tests" / "bad" / "huge-number.txt"))
    assert max(t["value_base"] for t in huge["targets"]) > 2**64


def test_a_documents_parts_export_as_its_rows_do_with_numbers_past_64_bits(tmp_path):
    # Each worker turns its rows into CSV lines and Arrow rows; a number no double holds exactly
    # goes into the Parquet file as the nearest double, as SQLite's NUMERIC column holds it.
    source = ROOT / "tests" / "bad" / "huge-number.txt"
    rows = emit.table_rows(emit.to_dict(parse(source)))
    parts = store_module.table_parts(rows)
    assert set(parts) == set(emit.TABLE_COLUMNS)
    out = tmp_path / "out"
    assert run("batch", source, "--out", out, "--workers", "1").returncode == 0
    targets = pq.read_table(out / "targets.parquet").to_pydict()
    assert targets["value_base"] == [None if r[emit.table_columns("targets").index("value_base")] is None
                                     else float(r[emit.table_columns("targets").index("value_base")])
                                     for r in rows["targets"]]
    csv_body = (out / "targets.csv").read_bytes().split(b"\n", 1)[1]
    assert csv_body == emit.csv_lines(rows["targets"]).encode("utf-8")


def test_an_edit_of_any_rule_file_parses_the_documents_again(tmp_path):
    # names.jsonl is neither .py, .tsv nor .txt: a fingerprint of those alone kept stale documents.
    import shutil

    from policyparse import rules

    rules_copy = tmp_path / "rules"
    shutil.copytree(rules.RULES_DIR, rules_copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    out = tmp_path / "out"
    assert run("batch", FIXTURE, "--out", out, "--rules", rules_copy).returncode == 0
    again = run("batch", FIXTURE, "--out", out, "--rules", rules_copy)
    assert " 0 parsed, 1 up to date" in again.stdout
    names = rules_copy / "names.jsonl"
    names.write_text(names.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    edited = run("batch", FIXTURE, "--out", out, "--rules", rules_copy)
    assert edited.returncode == 0 and " 1 parsed, 0 up to date" in edited.stdout, edited.stdout


def test_a_batch_never_reads_its_output_as_input_however_the_folders_nest(tmp_path):
    # Issue 16: run again, `batch "D/**/*" --out D/out` took D/out's tables, Parquet files, JSONs
    # and plans.db as inputs, refused the real plans as repeats of their own JSONs and emptied the
    # dataset; `batch "D/*.txt" --out D` found no file at all.
    archive = tmp_path / "D"
    variants(archive / "sub", 2)
    (archive / SEED.name).write_bytes(SEED.read_bytes())
    for inputs, out, documents in (([f"{archive}/**/*"], archive / "out", 3), ([str(archive)], archive, 3),
                                   ([f"{archive}/*.txt"], archive, 1), ([str(archive), f"{archive}/**/*"], archive, 3)):
        first = run("batch", *inputs, "--out", out)
        dataset = snapshot(out)
        again = run("batch", *inputs, "--out", out)
        assert (first.returncode, first.stderr, again.returncode, again.stderr) == (0, "", 0, ""), (inputs, out)
        assert again.stdout.startswith(f"{out}: {documents} documents: 0 parsed, {documents} up to date, 0 failed")
        assert snapshot(out) == dataset
        assert len((out / "documents.csv").read_text(encoding="utf-8-sig").splitlines()) == documents + 1
    named = run("batch", archive / "documents.csv", "--out", archive)
    assert named.returncode == 1
    assert named.stderr == (f"policyparse: error: {archive / 'documents.csv'}: is a file a batch writes in its output "
                            "folder, not an input\n")


def test_batch_and_parse_never_share_an_output_folder(tmp_path):
    # Issue 16: `batch` into the folder `parse` had written (both default to output/) deleted
    # parse's datasets and left its dataset.xlsx stale.
    parsed, batched = tmp_path / "parsed", tmp_path / "batched"
    assert run("parse", SEED, "--out", parsed, "--xlsx", "--quiet").returncode == 0
    before = snapshot(parsed)
    refused = run("batch", FIXTURE, "--out", parsed)
    assert refused.returncode == 2
    assert refused.stderr == (f"policyparse: error: {parsed}: holds what `parse` wrote (such as dataset.xlsx), which a "
                              "batch would delete; choose another --out, or move them away\n")
    assert snapshot(parsed) == before
    assert run("batch", FIXTURE, "--out", batched).returncode == 0
    before = snapshot(batched)
    refused = run("parse", SEED, "--out", batched)
    assert refused.returncode == 2
    assert refused.stderr == (f"policyparse: error: {batched}: is the output folder of a batch (it holds plans.db); "
                              "parse into another folder, or add the files to the batch's inputs\n")
    assert snapshot(batched) == before


def test_a_second_batch_on_the_same_folder_is_refused_while_the_first_runs(tmp_path):
    # Issue 16: two batches on one --out gave the right data, but the first exited 1: the second
    # had removed its unfinished files.
    out = tmp_path / "out"
    with batch.exclusive(out):  # the first batch, running
        second = run("batch", FIXTURE, "--out", out)
    assert second.returncode == 2
    assert second.stderr == (f"policyparse: error: {out}: another batch is writing this folder; wait for it to end, "
                             "or choose another --out\n")
    assert list(out.iterdir()) == []
    assert run("batch", FIXTURE, "--out", out).returncode == 0


def test_a_link_out_of_the_walked_folder_is_refused_and_a_loop_is_not_followed(tmp_path):
    # Issue 16: `ln -s /etc/shadow D/shadow.txt; batch D` put the host's file into the dataset.
    secret = tmp_path / "secret.txt"
    secret.write_bytes(FIXTURE.read_bytes())
    archive = tmp_path / "D"
    variants(archive / "sub", 1)
    (archive / "shadow.txt").symlink_to(secret)
    (archive / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    (archive / "sub" / "again.txt").symlink_to(archive / "sub" / "plan-000.txt")  # inside: an input like any other
    (archive / "sub" / "loop").symlink_to(archive, target_is_directory=True)  # followed, it never ends
    (archive / "sub" / "loop2").symlink_to(archive / "sub", target_is_directory=True)
    refused = {f"policyparse: error: {archive / 'shadow.txt'}: is a link to a file outside {archive}; name the file "
               "itself to read it",
               f"policyparse: error: {archive / 'elsewhere'}: is a link to a folder outside {archive}; name the folder "
               "itself to read it"}
    for inputs, out in (([archive], tmp_path / "walked"), ([f"{archive}/**/*.txt"], tmp_path / "matched")):
        result = run("batch", *inputs, "--out", out, timeout=120)
        assert result.returncode == 1
        assert set(result.stderr.splitlines()) <= refused and f"{archive / 'shadow.txt'}: is a link" in result.stderr
        sources = (out / "documents.csv").read_text(encoding="utf-8-sig")
        assert str(secret) not in sources and "shadow" not in sources
        assert sorted(p.name for p in out.glob("*.json")) == ["again.json", "plan-000.json"]
    named = run("batch", archive / "shadow.txt", "--out", tmp_path / "named")  # named as an input, a link is read
    assert named.returncode == 0 and (tmp_path / "named" / "shadow.json").exists()


def test_sigterm_ends_a_batch_as_ctrl_c_does_and_a_rerun_completes_it(tmp_path):
    # Issue 16: SIGTERM ended a batch with status -15, no message and a leaked-semaphore warning.
    archive = tmp_path / "archive"
    variants(archive, 40, source=SEED)
    for sig, status, said in ((signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")):
        out = tmp_path / said
        proc = subprocess.Popen([sys.executable, str(ROOT / "run_pipeline.py"), "batch", str(archive), "--out", str(out),
                                 "--workers", "2", "--quiet"], cwd=ROOT, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while proc.poll() is None and len(list(out.glob("*.json"))) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=120)
        assert (proc.returncode, stderr) == (status, f"policyparse: {said}\n")
        assert len(list(out.glob("*.json"))) < 40
    stopped, clean = tmp_path / "terminated", tmp_path / "clean"
    restarted = run("batch", archive, "--out", stopped, "--workers", "2")
    assert restarted.returncode == 0, restarted.stderr
    assert run("batch", archive, "--out", clean, "--workers", "2").returncode == 0
    assert snapshot(stopped) == snapshot(clean)
    assert db_dump(stopped) == db_dump(clean)


def test_a_batch_starts_no_more_workers_than_cpus(tmp_path, monkeypatch):
    # Issue 16: --workers had no upper bound (30 workers on two CPUs took 2.8 GB more).
    started = []

    class Pool(batch.ProcessPoolExecutor):
        def __init__(self, workers, **kwargs):
            started.append(workers)
            super().__init__(workers, **kwargs)

    monkeypatch.setattr(batch, "ProcessPoolExecutor", Pool)
    batch.run(batch.plan([str(FIXTURE)], tmp_path / "out"), workers=1000)
    assert started == [len(os.sched_getaffinity(0))]


def test_a_folder_skips_files_no_backend_reads_with_one_notice_and_ends_with_the_quality_summary(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "SOURCES.tsv").write_text("file\turl\n", encoding="utf-8")
    (folder / "list.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    result = run("batch", folder, "--out", tmp_path / "out", "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "policyparse: skipped 2 files in the folders given, of types no backend reads (.tsv 1, .xls 1)"]
    summary = result.stdout.splitlines()[-1]
    assert summary.startswith("quality: 1 documents: 1 plan; title 1, issuer 1, date 1") and "0 to check first" in summary
    assert (tmp_path / "out" / "quality.csv").read_text(encoding="utf-8-sig").splitlines()[1].startswith(
        "yueqing-2023-manufacturing-plan,plan,title、issuers、date、recipients,31,22,0,1,1,")
