"""The command line: a thin skin over the API. It parses arguments, calls `parse`,
hands results to emit, prints one line per problem, and chooses the exit status.

Exit status: 0 all inputs parsed; 1 some input failed (each named on stderr) or the output
cannot be written; 2 usage, a broken rule file, an --out that is a file or another command's
folder (batch: a store that cannot be opened, an unreachable scheduler); 130 Ctrl-C; 143 SIGTERM."""
from __future__ import annotations

import argparse
import functools
import os
import signal
import sys
from collections import Counter
from pathlib import Path

from policyparse import (
    diff,
    emit,
    emit_diff,
    emit_report,
    emit_xlsx,
    evaluate,
    evaluate_quantities,
    evaluate_structure,
    golden,
    quality,
    real_golden,
    report,
)
from policyparse.documents import Failure, documents, load_one, within_limits
from policyparse.errors import BatchError, PolicyParseError
from policyparse.limits import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_CHARS,
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_SECONDS,
    Limits,
)
from policyparse.messages import Messages
from policyparse.model import Document
from policyparse.rules import RuleError
from policyparse.run import Parser, default_parser, doc_id_for
from policyparse.store import DB_NAME

PROG = "policyparse"
_log = Messages(PROG)  # main() sets --quiet and --json-logs


def _error(path: str | None, reason: str) -> None:
    _log.error(path, reason)


def _failed(outcome: object) -> bool:
    """True, after printing its one line, for a Failure."""
    if isinstance(outcome, Failure):
        _error(outcome.file, outcome.message)
        return True
    return False


def _parser(args) -> Parser:
    """The parser of this run: the bundled rules, or those of --rules DIR."""
    return Parser(args.rules) if getattr(args, "rules", None) else default_parser()


def cmd_parse(args) -> int:
    out = Path(args.out)
    if (out / DB_NAME).exists():  # a batch would delete what parse adds, and its Parquet files would not have it
        _error(str(out), f"is the output folder of a batch (it holds {DB_NAME}); parse into another folder, or "
                         "add the files to the batch's inputs")
        return 2
    failed = 0
    written = 0
    parser = _parser(args)
    limits = _limits(args)
    # A line per document is the progress.
    for path, doc in documents(_log.progress(args.inputs, "parse", bar=False), parser, limits):
        if _failed(doc):
            failed += 1
            continue
        assert isinstance(doc, Document)
        try:
            target = within_limits(path, limits, functools.partial(emit.write_document, out, doc))
        except PolicyParseError as exc:
            target = Failure(exc.path, "emit", exc.reason)
        if _failed(target):
            failed += 1
            continue
        written += 1
        _say(args, f"{path}: {len(doc.sections)} sections, {len(doc.annex_rows)} annex rows, "
                   f"{len(doc.targets)} targets, {len(doc.responsibilities)} responsibilities, "
                   f"{len(doc.findings)} findings -> {target}")
    if written:
        emit.write_tables(out)
        if args.xlsx:
            _say(args, f"tables of every dataset in {out} -> {emit_xlsx.write_dataset_xlsx(out)}")
    return 1 if failed else 0


def _say(args, line: str) -> None:
    if not args.quiet:
        print(line)


def _expand(inputs: list[str]) -> list[str]:
    """Inputs with each folder replaced by the dataset JSONs in it."""
    paths = []
    for given in inputs:
        p = Path(given)
        paths += sorted(str(f) for f in p.glob("*.json")) if p.is_dir() else [given]
    return paths


def cmd_report(args) -> int:
    out = Path(args.out)
    paths = _expand(args.inputs)
    written: dict[str, dict] = {}
    for _path, doc in documents(_log.progress(paths, "report"), _parser(args), read=load_one):
        if _failed(doc):
            continue
        assert isinstance(doc, Document)
        emit_report.write_report(out, doc)
        written[doc.doc_id] = report.summary(doc)
    if written:
        index = emit_report.write_index(out, list(written.values()))
        _say(args, f"{len(written)} reports -> {index}")
    return 1 if len(written) < len(paths) else 0


def cmd_batch(args) -> int:
    from policyparse import batch

    out = Path(args.out)
    with batch.exclusive(out):
        return _batch_in(out, args)


def _batch_in(out: Path, args) -> int:
    """The batch, with its output folder held (batch.exclusive)."""
    from tqdm import tqdm

    from policyparse import batch

    limits = _limits(args)
    todo = batch.plan(args.inputs, out, limits.bytes, args.rules)
    if todo.skipped:
        types = Counter(Path(p).suffix.lower() or "(none)" for p in todo.skipped)
        _log.notice(f"skipped {len(todo.skipped)} file{'s' if len(todo.skipped) > 1 else ''} in the folders given, of "
                    "types no backend reads (" + ", ".join(f"{t} {n}" for t, n in sorted(types.items())) + ")",
                    skipped=dict(sorted(types.items())))
    for failure in todo.failures:
        _error(failure.file, failure.message)
    failed = len(todo.failures)
    # The bar counts what the summary counts: the documents up to date and the inputs refused
    # before parsing are done from the start.
    bar = tqdm(total=todo.total, initial=len(todo.up_to_date) + failed, unit="doc", file=sys.stderr,
               dynamic_ncols=True, postfix={"failed": failed}, disable=args.quiet or not sys.stderr.isatty())

    def report(outcome) -> None:
        nonlocal failed
        if isinstance(outcome, batch.Failure):
            failed += 1
            _log.error(outcome.file, outcome.message)
            bar.set_postfix(failed=failed, refresh=False)
        bar.update()

    try:
        summary = batch.run(todo, workers=args.workers, executor=args.executor, scheduler=args.scheduler,
                            limits=limits, on_outcome=report)
    finally:
        bar.close()
    if not args.quiet:
        errors = f", see {out / 'errors.csv'}" if summary.failures else ""
        print(f"{out}: {todo.total} documents: {summary.parsed} parsed, {summary.up_to_date} up to date, "
              f"{len(summary.failures)} failed{errors} -> {summary.store}")
        print(quality.summary(out / "quality.csv"))
    return 1 if summary.failures else 0


def cmd_golden(args) -> int:
    root = Path(args.golden_dir)
    status = 0
    for path, doc in documents(args.inputs, _parser(args)):
        if _failed(doc):
            status = 1
            continue
        assert isinstance(doc, Document)
        folder = root / doc.doc_id
        if args.update:
            golden.write(folder, doc)
            print(f"{path}: rewrote {folder}; read `git diff {folder}` row by row before committing")
            continue
        if not folder.is_dir():
            _error(path, f"no golden folder {folder} (write one by reading the document; see tests/golden/README.md)")
            status = 1
            continue
        try:
            expected = golden.read(folder)
        except (OSError, ValueError) as exc:
            _error(path, f"cannot read the golden files ({exc})")
            status = 1
            continue
        problems = golden.compare(expected, golden.project(doc))
        for problem in problems:
            print(f"{path}: {problem}")
        print(f"{path}: {'agrees with' if not problems else f'{len(problems)} differences from'} {folder}")
        status = status or (1 if problems else 0)
    return status


def cmd_evaluate(args) -> int:
    root, parser = Path(args.golden_dir), _parser(args)
    # A real document's golden folder (tests/golden/real/README.md) is scored for its structure
    # and, where its quantities were annotated, quantity by quantity.
    real = [p for p in args.inputs if real_golden.is_real_golden(root / doc_id_for(p))]
    others = [p for p in args.inputs if p not in real]
    try:
        if others:
            print(evaluate.report(*evaluate.evaluate(others, root, parser)))
        structure, quantities = [], []
        for path, doc in documents(real, parser):
            if _failed(doc):
                return 1
            assert isinstance(doc, Document)
            try:
                golden = real_golden.read(root / doc.doc_id)
            except ValueError as exc:
                raise PolicyParseError(path, f"cannot read the golden files ({exc})") from None
            structure.append((doc.doc_id, evaluate_structure.score(golden, doc)))
            if "quantities" in golden.tables:
                quantities.append((doc.doc_id, evaluate_quantities.score(doc, golden.tables["quantities"])))
        if structure:
            print(evaluate_structure.report(structure))
        if quantities:
            print(evaluate_quantities.report(quantities))
    except PolicyParseError as exc:
        _error(exc.path, exc.reason)
        return 1
    return 0


def cmd_corpus(args) -> int:
    parsed = [(path, doc) for path, doc in documents(_documents_in(args.inputs), _parser(args)) if not _failed(doc)]
    print(evaluate_structure.corpus_report(parsed))  # type: ignore[arg-type]
    return 0


def _documents_in(inputs: list[str]) -> list[str]:
    """Inputs with each folder replaced by the documents in it that a backend reads."""
    from policyparse.ingest import BACKENDS

    paths = []
    for given in inputs:
        p = Path(given)
        paths += sorted(str(f) for f in p.iterdir() if f.suffix.lower() in BACKENDS) if p.is_dir() else [given]
    return paths


def cmd_diff(args) -> int:
    parser = _parser(args)
    old, new = load_one(args.old, parser), load_one(args.new, parser)
    if _failed(old) | _failed(new):
        return 1
    assert isinstance(old, Document) and isinstance(new, Document)
    result = diff.diff(old, new, parser.rules)
    paths = emit_diff.write_diff(Path(args.out), result)
    record = result.to_dict()
    if args.xlsx:
        paths.append(emit_xlsx.write_diff_xlsx(Path(args.out), record["changes"]))
    if args.html:
        paths.append(emit_report.write_diff_html(Path(args.out), record))
    if not args.quiet:
        summary = ", ".join(f"{n} {k}" for k, n in result.counts().items()) or "no changes"
        print(f"{args.old} -> {args.new}: {summary} -> {', '.join(str(p) for p in paths[2:])}")
    return 0


def cmd_history(args) -> int:
    paths = _expand(args.inputs)
    parser = _parser(args)
    loaded = [doc for _path, doc in documents(_log.progress(paths, "history"), parser, read=load_one)
              if not _failed(doc)]
    failed = len(paths) - len(loaded)
    if loaded:
        columns, rows = diff.history(loaded, parser.rules)  # type: ignore[arg-type]
        written = emit_diff.write_history(Path(args.out), columns, rows)
        if not args.quiet:
            print(f"{len(loaded)} plans, {len(rows)} indicators -> {written[0]}")
    return 1 if failed or not loaded else 0


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return seconds


def _limits(args) -> Limits:
    return Limits(args.max_bytes, args.max_chars, args.max_pages, args.max_seconds, args.max_memory)


def _add_limits(command: argparse.ArgumentParser) -> None:
    """The per-document limits (policyparse/limits.py) as options."""
    command.add_argument("--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES,
                         help=f"refuse larger input files (default: {DEFAULT_MAX_BYTES})")
    command.add_argument("--max-chars", type=_positive, default=DEFAULT_MAX_CHARS,
                         help=f"refuse a document whose text is longer (default: {DEFAULT_MAX_CHARS})")
    command.add_argument("--max-pages", type=_positive, default=DEFAULT_MAX_PAGES,
                         help=f"refuse a PDF with more pages (default: {DEFAULT_MAX_PAGES})")
    command.add_argument("--max-seconds", type=_seconds, default=DEFAULT_MAX_SECONDS,
                         help=f"give up on a document after this wall time (default: {DEFAULT_MAX_SECONDS:g}; in "
                              "batch, a worker that does not stop is killed)")
    command.add_argument("--max-memory", type=_positive, default=DEFAULT_MAX_MEMORY_MB, metavar="MB",
                         help="give up on a document that takes more memory than this, beyond what the process "
                              f"held before it (Linux; default: {DEFAULT_MAX_MEMORY_MB})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Turn Chinese government plan notices into datasets.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="parse documents into DIR/<doc_id>.json and combined CSV tables")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="plan documents (.txt, .docx, .pdf, .html, .doc, .wps)")
    p.add_argument("--out", default="output", metavar="DIR", help="output folder (default: output)")
    _add_limits(p)
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    p.add_argument("--xlsx", action="store_true", help="also write DIR/dataset.xlsx, a sheet per table")
    p.set_defaults(func=cmd_parse)

    r = sub.add_parser("report", help="a review page per document: DIR/<doc_id>.html (text with targets "
                                      "highlighted, annex, units, findings, chart) and DIR/index.html")
    r.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="plan documents, dataset JSONs written by parse, or folders of them")
    r.add_argument("--out", default="output/report", metavar="DIR", help="output folder (default: output/report)")
    r.add_argument("-q", "--quiet", action="store_true", help="print only errors, no progress bar")
    r.set_defaults(func=cmd_report)


    b = sub.add_parser("batch", help="parse an archive (folders, globs, @lists) into one dataset and DIR/plans.db; "
                                     "re-runs parse only new or changed files")
    b.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files, folders (walked recursively), glob patterns, or @LIST (a file naming one input "
                        "per line)")
    b.add_argument("--out", default="output", metavar="DIR", help="output folder (default: output)")
    b.add_argument("--workers", type=_positive, default=None, metavar="N",
                   help="worker processes (default, and at most: one per CPU)")
    b.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="local process pool, or an existing dask.distributed cluster (needs --scheduler)")
    b.add_argument("--scheduler", metavar="ADDRESS", help="the dask scheduler, e.g. tcp://10.0.0.5:8786")
    _add_limits(b)
    b.add_argument("-q", "--quiet", action="store_true", help="print only errors, no progress bar")
    b.set_defaults(func=cmd_batch)

    g = sub.add_parser("golden", help="check documents against their golden files, or rewrite them")
    g.add_argument("inputs", nargs="+", metavar="INPUT", help="plan documents with golden files (a folder each, "
                                                              "named by doc_id, in --golden-dir)")
    g.add_argument("--golden-dir", required=True, metavar="DIR",
                   help="the folder of golden files, one folder per doc_id (this project's: tests/golden)")
    g.add_argument("--update", action="store_true",
                   help="rewrite the golden files from the parser's output (review the diff before committing)")
    g.set_defaults(func=cmd_golden)

    e = sub.add_parser("evaluate", help="score target extraction against golden files (precision, recall, fields); "
                                        "for real documents' golden folders, the structure (header, sections, notes, "
                                        "annexes) and every quantity with its role, per corpus folder")
    e.add_argument("inputs", nargs="+", metavar="INPUT", help="plan documents with golden files")
    e.add_argument("--golden-dir", required=True, metavar="DIR",
                   help="the folder of golden files, one folder per doc_id (this project's: tests/golden)")
    e.set_defaults(func=cmd_evaluate)

    c = sub.add_parser("corpus", help="what is found per folder: documents with a title, an issuer, a date, sections; "
                                      "notes read of note-like phrases; annex tables understood of those found")
    c.add_argument("inputs", nargs="+", metavar="INPUT", help="documents, or folders of them")
    c.set_defaults(func=cmd_corpus)

    d = sub.add_parser("diff", help="compare two plans: targets that rose, fell, vanished, changed lead unit")
    d.add_argument("old", metavar="OLD", help="a plan document, or a dataset JSON written by parse")
    d.add_argument("new", metavar="NEW", help="the later plan: a document, or a dataset JSON written by parse")
    d.add_argument("--out", default="output", metavar="DIR",
                   help="where diff.json, diff.csv, diff.md go (default: output)")
    d.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    d.add_argument("--xlsx", action="store_true", help="also write diff.xlsx (the changes)")
    d.add_argument("--html", action="store_true", help="also write diff.html (the changes, old beside new)")
    d.set_defaults(func=cmd_diff)

    h = sub.add_parser("history", help="follow every indicator through many plans (indicator x year)")
    h.add_argument("inputs", nargs="+", metavar="INPUT", help="dataset folders or files, or plan documents")
    h.add_argument("--out", default="output", metavar="DIR",
                   help="where history.csv and history.json go (default: output)")
    h.add_argument("-q", "--quiet", action="store_true", help="print only errors, no progress bar")
    h.set_defaults(func=cmd_history)
    for command in sub.choices.values():
        command.add_argument("--json-logs", action="store_true",
                             help="errors and progress as one JSON object per line on stderr")
        command.add_argument("--rules", metavar="DIR", help="parse with the rule set in DIR (a copy of the bundled "
                                                                "rules/, edited) instead of the bundled one")
    return parser


class Terminated(BaseException):
    """SIGTERM (a service stopped, `kill`, `timeout`): the run ends as on Ctrl-C, its output
    as consistent as a run killed at any moment, and says so."""


def _terminate(signum, frame):
    raise Terminated


def main(argv: list[str] | None = None) -> int:
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return _main(argv)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "executor", None) == "dask" and not args.scheduler:
        parser.error("--executor dask needs --scheduler ADDRESS")
    _log.quiet, _log.json_logs = getattr(args, "quiet", False), args.json_logs
    out = getattr(args, "out", None)
    if out is not None and os.path.exists(out) and not os.path.isdir(out):
        _error(out, "is a file, not a folder (--out names the folder to write into)")
        return 2
    try:
        return args.func(args)
    except OSError as exc:  # what is written cannot be (a read-only or full disk): what was there is left as it was
        _error(out or exc.filename, f"cannot write there ({exc.strerror or exc})")
        return 1
    except RuleError as exc:  # a broken rule file stops every document: say where it is broken
        _error(None, str(exc))
        return 2
    except BatchError as exc:  # a batch that cannot run at all (its store, its executor)
        _error(None, str(exc))
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 128 + signal.SIGINT
    except Terminated:
        print(f"{PROG}: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM


if __name__ == "__main__":
    sys.exit(main())
