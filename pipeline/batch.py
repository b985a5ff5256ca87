"""Batch: an archive of plan documents into one dataset, in parallel, resumable and incremental.

    plan(inputs, out)  expand folders, globs and @lists; skip documents the store already has
                       (same file, same bytes, same parser); name the inputs that cannot be run
    run(plan)          parse the rest, each document its own task (a local process pool or an
                       existing dask.distributed cluster); store each result as it arrives; export

A worker process on this machine writes its own document (`<doc_id>.json` through emit, then
its rows through the store, in one transaction) and hands back only its entry: the writing
is spread over the workers, so the batch process is never the bottleneck (SQLite takes one
writer at a time; a document's transaction is a few milliseconds). A dask worker, perhaps on
another machine, hands the whole result back and this process writes it. A failure is one
row of errors.csv and never stops the batch; a worker that dies takes no other document with
it. After a run, DIR holds exactly the dataset of this run's inputs, the same as a clean run
would write."""
from __future__ import annotations

import functools
import glob
import hashlib
import multiprocessing
import multiprocessing.connection
import os
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import policyparse
from policyparse import emit, extractors, rules
from policyparse.documents import Failure, parse_one, planned_ids, within_limits
from policyparse.errors import BatchError, InputError, PolicyParseError, internal_error
from policyparse.ingest import BACKENDS, check_name
from policyparse.limits import DEFAULT_LIMITS, DEFAULT_MAX_BYTES, Limits, at_memory_cap, time_limit_message
from policyparse.model import SCHEMA_VERSION
from policyparse.run import Parser, default_parser, doc_id_for
from policyparse.store import DB_NAME, Entry, Parsed, Store, table_parts

WORKER_DIED = "the worker process died while parsing this document (a crash, or killed for using too much memory)"


@dataclass(frozen=True)
class Stored:
    """A document a local worker has written itself: what it hands back."""

    entry: Entry


Outcome = Parsed | Stored | Failure
Task = Callable[[str, Limits], Outcome]


@dataclass
class Plan:
    out: Path
    jobs: list[str]  # files to parse
    up_to_date: list[str]  # doc_ids the store has, unchanged
    failures: list[Failure] = field(default_factory=list)  # inputs that cannot be run
    rules_dir: str | None = None  # the rule set to parse with (None: the bundled rules)
    skipped: list[str] = field(default_factory=list)  # files in walked folders of a type no backend reads

    @property
    def total(self) -> int:
        return len(self.jobs) + len(self.up_to_date) + len(self.failures)


@dataclass
class Summary:
    parsed: int
    up_to_date: int
    failures: list[Failure]
    store: Path


def plan(inputs: Iterable[str], out: str | Path, max_bytes: int = DEFAULT_MAX_BYTES,
         rules_dir: str | None = None) -> Plan:
    """What a batch over `inputs` into `out` has to do, parsing with the rules of `rules_dir`
    (the bundled ones by default). Raises RuleError for a broken rule file and BatchError for
    a store that cannot be opened, before any work."""
    parser_for(rules_dir)  # the rules are read and checked before any work
    out = Path(out)
    refuse_parse_output(out)
    skipped: list[str] = []
    files, failures = expand(inputs, out, skipped)
    with Store(out) as store:
        entries = store.entries()
    files, repeated = planned_ids(files)
    failures += repeated
    todo = Plan(out, [], [], failures, rules_dir, skipped)
    for path in files:
        doc_id = doc_id_for(path)
        entry = entries.get(doc_id)
        sha256 = file_sha256(path, max_bytes)
        if (entry and sha256 is not None and entry == Entry(doc_id, path, sha256, parser_id(rules_dir))
                and (out / f"{doc_id}.json").is_file()):
            todo.up_to_date.append(doc_id)
        else:
            todo.jobs.append(path)
    return todo


def refuse_parse_output(out: Path) -> None:
    """Raise BatchError when `out` holds what `parse` wrote there (dataset JSONs or a workbook
    without a store): a batch makes its folder hold exactly its own inputs' datasets, and would
    delete them."""
    if (out / DB_NAME).exists():
        return
    written = [p for p in (out / "dataset.xlsx", *sorted(out.glob("*.json")))
               if p.suffix == ".xlsx" and p.is_file() or p.suffix == ".json" and emit.dataset_in(p) is not None]
    if written:
        raise BatchError(f"{out}: holds what `parse` wrote (such as {written[0].name}), which a batch would delete; "
                         "choose another --out, or move them away")


@contextmanager
def exclusive(out: str | Path) -> Iterator[None]:
    """Hold the output folder for one batch at a time: a second batch on it (which would remove
    the first's unfinished files and replace its tables under it) raises BatchError."""
    import fcntl

    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        held = os.open(out, os.O_RDONLY)
    except OSError as exc:
        raise BatchError(f"{out}: cannot make the output folder ({exc.strerror or exc})") from None
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(held)
        raise BatchError(f"{out}: another batch is writing this folder; wait for it to end, or choose another --out") \
            from None
    try:
        yield
    finally:
        os.close(held)


def run(todo: Plan, workers: int | None = None, executor: str = "local", scheduler: str | None = None,
        limits: Limits = DEFAULT_LIMITS, on_outcome: Callable[[Outcome], None] | None = None) -> Summary:
    """Parse the plan's jobs, store each document as it arrives, drop documents that are no
    longer inputs, and export the tables. Raises BatchError when the executor cannot start,
    OSError when the tables cannot be written."""
    if executor == "dask" and not scheduler:
        raise BatchError("--executor dask needs --scheduler ADDRESS")
    if not todo.jobs:
        outcomes: Iterable[Outcome] = ()
    elif executor == "dask" and scheduler is not None:
        outcomes = run_dask(todo.jobs, functools.partial(parse_task, rules_dir=todo.rules_dir), scheduler, limits)
    else:
        outcomes = run_local(todo.jobs, functools.partial(store_task, out=str(todo.out), rules_dir=todo.rules_dir),
                             worker_count(workers), limits)
    failures = list(todo.failures)
    kept = set(todo.up_to_date)
    out = todo.out
    with Store(out) as store:
        for outcome in outcomes:
            if isinstance(outcome, Parsed):
                outcome = _keep(out, store, outcome)
            if isinstance(outcome, Failure):
                failures.append(outcome)
            else:
                kept.add(outcome.entry.doc_id)
            if on_outcome:
                on_outcome(outcome)
        # A worker stopped while it wrote (its pool broken by another's crash, or this process
        # killed) may have left a temporary file.
        emit.remove_leftovers(out)
        # The dataset is this run's documents: drop what earlier runs stored for other files.
        stale = (set(store.entries()) | {p.stem for p in out.glob("*.json")}) - kept
        for doc_id in sorted(stale):
            emit.remove_dataset(out, doc_id)
        store.remove(stale)
        store.set_errors((f.file, f.stage, f.message) for f in failures)
        store.export(out, worker_count(workers))
    return Summary(len(kept) - len(todo.up_to_date), len(todo.up_to_date), failures, store.path)


def store_task(path: str, limits: Limits, out: str, rules_dir: str | None = None) -> Outcome:
    """Parse one document and write it into `out` (its JSON, then its rows): the task of a local
    worker. Never raises."""
    outcome = parse_task(path, limits, rules_dir)
    if isinstance(outcome, Parsed):
        try:
            store = _worker_store(out)
        except BatchError as exc:
            return Failure(path, "emit", str(exc))
        outcome = _keep(Path(out), store, outcome)
    return Stored(outcome.entry) if isinstance(outcome, Parsed) else outcome


@functools.cache
def _worker_store(out: str) -> Store:
    """The worker process's own connection to the store, open until the process ends."""
    return Store(Path(out), create=False)


def _keep(out: Path, store: Store, parsed: Parsed) -> Outcome:
    # The JSON first: a run killed between the two has no store entry, so the document is parsed again.
    try:
        emit.write_dataset(out, parsed.entry.doc_id, parsed.dataset)
        store.put(parsed)
    except (OSError, sqlite3.Error) as exc:
        reason = getattr(exc, "strerror", None) or exc
        return Failure(parsed.entry.source, "emit", f"cannot write to {out} ({reason})")
    return parsed


def parse_task(path: str, limits: Limits, rules_dir: str | None = None) -> Outcome:
    """One document, start to end, within its limits: the task every executor runs. Never raises.
    A pool worker stuck in C code past the time limit is ended (the pool replaces it)."""
    return within_limits(path, limits, lambda: _parsed(path, limits, rules_dir),
                         kill_stuck=multiprocessing.parent_process() is not None)


def _parsed(path: str, limits: Limits, rules_dir: str | None) -> Parsed | Failure:
    doc = parse_one(path, parser_for(rules_dir), limits)
    if isinstance(doc, Failure):
        return doc
    try:
        data = emit.to_dict(doc)
        dataset = emit.document_json(data)
        rows = emit.table_rows(data)
        entry = Entry(doc.doc_id, doc.source, doc.sha256, parser_id(rules_dir))
        return Parsed(entry, dataset, doc.text, rows, table_parts(rows))
    except MemoryError:  # the memory limit: within_limits says so
        raise
    except Exception as exc:
        if at_memory_cap():
            raise MemoryError from exc
        if isinstance(exc, PolicyParseError):
            return Failure(exc.path, "emit", exc.reason)
        return Failure(path, "emit", internal_error(exc))


def run_local(paths: Iterable[str], task: Task, workers: int, limits: Limits) -> Iterator[Outcome]:
    """Each document a task in a pool of worker processes; outcomes as they finish."""
    queue = deque(paths)
    context = multiprocessing.get_context("spawn")
    while queue:
        suspects: list[str] = []
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker) as pool:
            running: dict = {}  # future → path
            while (queue or running) and not suspects:
                while queue and len(running) < 2 * workers:
                    path = queue.popleft()
                    running[pool.submit(task, path, limits)] = path
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    path = running.pop(future)
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        suspects.append(path)
                        continue
                    except Exception as exc:
                        outcome = Failure(path, "worker",
                                          f"the worker could not hand back its result ({_one_line(exc)})")
                    yield outcome
            suspects += running.values()
        # A worker died and the pool with it. Which of the documents then in the pool killed it
        # is unknown: each runs again alone, so only the one that kills its worker is lost.
        for path in suspects:
            yield _alone(task, path, limits, context)


def _start_worker() -> None:
    """Pool initializer. End this worker as soon as the batch process ends, even by kill -9, so
    that no orphan goes on writing into DIR (what it was writing is rolled back, or left as a
    temporary file that the next run removes). And make pyarrow's first array before any
    document's memory cap: it imports numpy and pandas and reserves its allocator's arenas
    (about 1 GB of address space), and numpy's OpenBLAS aborts the process, not raise, when an
    allocation fails."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
    import pyarrow

    pyarrow.array([0])


def _alone(task: Task, path: str, limits: Limits, context) -> Outcome:
    with ProcessPoolExecutor(1, mp_context=context, initializer=_start_worker) as pool:
        try:
            pool.submit(os.getpid).result()
        except BrokenProcessPool:  # not the document: no worker can start here
            raise BatchError("worker processes die before parsing anything (see the messages above)") from None
        started = time.monotonic()
        try:
            return pool.submit(task, path, limits).result()
        except BrokenProcessPool:
            if time.monotonic() - started > limits.seconds:  # the watchdog ended it
                return Failure(path, "limit", time_limit_message(limits) + "; its worker was killed")
            return Failure(path, "worker", WORKER_DIED)


def run_dask(paths: Iterable[str], task: Task, scheduler: str, limits: Limits) -> Iterator[Outcome]:
    """Each document a task on an existing dask.distributed cluster. The workers need policyparse
    installed and must see the input files at the same paths; results come back here."""
    from distributed import Client, KilledWorker, as_completed

    try:
        client = Client(scheduler, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise BatchError(f"cannot connect to the dask scheduler at {scheduler} ({_one_line(exc)})") from None
    with client:
        queue = iter(paths)
        window = 2 * max(1, sum(client.nthreads().values()))
        owners = {}
        finished = as_completed(loop=client.loop)

        def submit() -> None:
            path = next(queue, None)
            if path is not None:
                future = client.submit(task, path, limits, pure=False)
                owners[future.key] = path
                finished.add(future)

        for _ in range(window):
            submit()
        for future in finished:
            path = owners.pop(future.key)
            try:
                outcome = future.result()
            except KilledWorker:  # the document killed every worker that tried it
                outcome = Failure(path, "worker", WORKER_DIED)
            except Exception as exc:  # e.g. workers without policyparse, or with another version
                outcome = Failure(path, "worker", f"the dask task failed ({type(exc).__name__}: {_one_line(exc)})")
            future.release()
            submit()
            yield outcome


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


# What a batch (or parse) writes in its output folder besides a `<doc_id>.json` per document.
WRITTEN = frozenset({*(f"{name}{suffix}" for name in emit.TABLE_COLUMNS for suffix in (".csv", ".parquet")),
                     "errors.csv", "dataset.xlsx", *(DB_NAME + suffix for suffix in ("", "-wal", "-shm", "-journal"))})


def expand(inputs: Iterable[str], out: Path, skipped: list[str] | None = None) -> tuple[list[str], list[Failure]]:
    """The files named by `inputs`: files as given, folders walked recursively, glob patterns
    (** recursive), and @LIST files that name one input per line (blank lines and # comments
    skipped). A file or folder that a walk or pattern meets as a link out of the folder it
    walks (a pattern: the folder it starts from) is refused; named as an input, a file may be a
    link. Hidden files are left out of walks and patterns, and so is the output folder: a walk
    or pattern that meets it from outside leaves all of it out, one that starts inside it
    (`batch D --out D`) the files a batch writes there. A file a batch writes (in this output
    folder or another batch's) is never an input, and a file a walk or pattern meets of a type no
    backend reads (a SOURCES.tsv beside the documents) goes to `skipped`. A file named as an input
    is an input whatever its type (one no backend reads is reported)."""
    files: dict[str, str] = {}  # absolute path -> path as given, in input order
    failures: list[Failure] = []
    out = Path(os.path.realpath(out))

    def add(path: str) -> None:
        try:
            check_name(path)  # a name no dataset can hold costs its own document, before its id is claimed
        except InputError as exc:
            failures.append(Failure(exc.path, "input", exc.reason))
            return
        files.setdefault(os.path.abspath(path), path)

    def walk(folder: str, tree: str) -> None:
        from_outside = not _within(folder, out)
        real_tree = Path(os.path.realpath(tree))
        for root, dirs, names in os.walk(folder):
            kept = []
            for name in sorted(dirs):
                path = os.path.join(root, name)
                if name.startswith(".") or (from_outside and _within(path, out)):
                    continue
                if os.path.islink(path):  # never followed: its files are walked where they are, or refused
                    if not _within(path, real_tree):
                        failures.append(_link_out(path, "folder", tree))
                    continue
                kept.append(name)
            dirs[:] = kept
            for name in sorted(names):
                path = os.path.join(root, name)
                if not name.startswith(".") and not written_by_batch(path, out):
                    found(path, tree, real_tree)

    def found(path: str, tree: str, real_tree: Path) -> None:
        """A file a walk or pattern met in `tree`: an input, unless it is a link out of the tree or
        of a type no backend reads."""
        if Path(path).suffix.lower() not in BACKENDS:
            if skipped is not None:
                skipped.append(path)
        elif _within(path, real_tree):
            add(path)
        else:
            failures.append(_link_out(path, "file", tree))

    def one(text: str) -> None:
        if os.path.isdir(text):
            walk(text, text)
        elif glob.has_magic(text) and not os.path.exists(text):
            tree = _literal_root(text)
            real_tree, from_outside = Path(os.path.realpath(tree)), not _within(tree, out)
            matches = [m for m in _matches(text, tree)
                       if not written_by_batch(m, out) and not (from_outside and _within(m, out))]
            if not matches:
                failures.append(Failure(text, "input", "no file matches this pattern"))
            for match in matches:
                walk(match, tree) if os.path.isdir(match) else found(match, tree, real_tree)
        elif written_by_batch(text, out):
            failures.append(Failure(text, "input", "is a file a batch writes in its output folder, not an input"))
        else:
            add(text)  # a missing file is reported by ingest, like any other unreadable input

    for text in inputs:
        if not text.startswith("@"):
            one(text)
            continue
        try:
            lines = Path(text[1:]).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            failures.append(Failure(text[1:], "input", f"cannot read the file list ({reason})"))
            continue
        for line in map(str.strip, lines):
            if line and not line.startswith("#"):
                one(line)
    return list(files.values()), failures


def _link_out(path: str, kind: str, tree: str) -> Failure:
    return Failure(path, "input", f"is a link to a {kind} outside {tree}; name the {kind} itself to read it")


def written_by_batch(path: str, out: Path) -> bool:
    """Whether `path` names a file a batch writes in its output folder: this one's (`out`, a
    real path) or another's (a folder holding a store)."""
    name = os.path.basename(path)
    if not (name.endswith(".json") or name in WRITTEN):
        return False
    folder = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    return folder == str(out) or os.path.exists(os.path.join(folder, DB_NAME))


def _within(path: str, folder: Path) -> bool:
    """Whether `path` is `folder` or inside it, links resolved (`folder` is a real path)."""
    real = os.path.realpath(path)
    return real == str(folder) or real.startswith(os.path.join(str(folder), ""))


def _matches(pattern: str, tree: str) -> list[str]:
    """What a glob pattern matches below `tree`, its literal root, sorted, hidden files and folders
    left out. pathlib's `**` does not follow links to folders (glob.glob's does, and two links
    looping back made it run for ever)."""
    rest = Path(pattern).relative_to(tree) if tree != "." else Path(pattern)
    return sorted(str(p) for p in Path(tree).glob(str(rest))
                  if not any(part.startswith(".") for part in p.relative_to(tree).parts))


def _literal_root(pattern: str) -> str:
    """The folder a glob pattern starts from: its parts before the first with a wildcard."""
    parts = []
    for part in Path(pattern).parts:
        if glob.has_magic(part):
            break
        parts.append(part)
    return os.path.join(*parts) if parts else "."


def file_sha256(path: str, max_bytes: int) -> str | None:
    """The sha256 of a file's bytes, as ingest records it; None for what ingest would refuse unread."""
    try:
        if not os.path.isfile(path) or os.path.getsize(path) > max_bytes:
            return None
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


@functools.cache
def parser_for(rules_dir: str | None) -> Parser:
    """The parser of a rule set, made once per process (a worker keeps it for every document)."""
    return Parser(rules_dir) if rules_dir else default_parser()


@functools.cache
def parser_id(rules_dir: str | None = None) -> str:
    """A fingerprint of the code and rules that parse: a change to any of their files (whatever
    its kind: a .py, a .tsv, names.jsonl, report.css …) parses everything again."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())

    def add(label: str, root: Path, keep: Callable[[Path], bool]) -> None:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and keep(path):
                digest.update(f"{label}/{path.relative_to(root).as_posix()}\0".encode())
                digest.update(path.read_bytes())

    for package in (policyparse, extractors):
        add(package.__name__, Path(package.__path__[0]), lambda path: True)
    add("rules.loader", rules.RULES_DIR, lambda path: path.suffix == ".py")
    add("rules", Path(rules_dir) if rules_dir else rules.RULES_DIR, lambda path: path.suffix != ".py")
    return digest.hexdigest()[:16]


def worker_count(requested: int | None = None) -> int:
    """The local worker processes: as many as asked, one per CPU by default, and never more
    than one per CPU: parsing is all CPU work, so a worker more only adds its memory (about
    100 MB; 30 workers on two CPUs took 2.8 GB more)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(requested or cpus, cpus)
