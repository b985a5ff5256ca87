"""The command line: a thin skin over the API. It parses arguments, calls `parse`,
hands results to emit, prints one line per problem, and chooses the exit status.

Exit status: 0 all inputs parsed; 1 some input failed (each named on stderr); 2 usage or a
broken rule file."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from policyparse import (
    diff,
    emit,
    emit_diff,
    emit_report,
    emit_xlsx,
    evaluate,
    evaluate_quantities,
    golden,
    real_golden,
    report,
)
from policyparse.documents import Failure, documents, load_one
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

PROG = "policyparse"
_log = Messages(PROG)  # main() sets --quiet and --json-logs


def _error(path: str | None, reason: str) -> None:
    _log.error(path, reason)


def _failed(outcome: Document | Failure) -> bool:
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
    failed = 0
    written = 0
    parser = _parser(args)
    # A line per document is the progress.
    for path, doc in documents(_log.progress(args.inputs, "parse", bar=False), parser, _limits(args)):
        if _failed(doc):
            failed += 1
            continue
        assert isinstance(doc, Document)
        try:
            target = emit.write_document(out, doc)
        except OSError as exc:
            _error(path, f"cannot write to {out} ({exc.strerror or exc})")
            failed += 1
            continue
        written += 1
        _say(args, f"{path}: {len(doc.sections)} sections, {len(doc.annex_rows)} annex rows, "
                   f"{len(doc.targets)} targets, {len(doc.responsibilities)} responsibilities, "
                   f"{len(doc.findings)} findings -> {target}")
    if written:
        try:
            emit.write_tables(out)
            if args.xlsx:
                _say(args, f"tables of every dataset in {out} -> {emit_xlsx.write_dataset_xlsx(out)}")
        except OSError as exc:
            _error(str(out), f"cannot write the tables ({exc.strerror or exc})")
            return 1
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
    for path, doc in documents(_log.progress(paths, "report"), _parser(args), read=load_one):
        if _failed(doc):
            continue
        assert isinstance(doc, Document)
        try:
            emit_report.write_report(out, doc)
        except OSError as exc:
            _error(path, f"cannot write to {out} ({exc.strerror or exc})")
            continue
        written[doc.doc_id] = report.summary(doc)
    if written:
        try:
            index = emit_report.write_index(out, list(written.values()))
        except OSError as exc:
            _error(str(out), f"cannot write the index ({exc.strerror or exc})")
            return 1
        _say(args, f"{len(written)} reports -> {index}")
    return 1 if len(written) < len(paths) else 0


def cmd_batch(args) -> int:
    from tqdm import tqdm

    from policyparse import batch

    out = Path(args.out)
    limits = _limits(args)
    todo = batch.plan(args.inputs, out, limits.bytes, args.rules)
    for failure in todo.failures:
        _error(failure.file, failure.message)
    failed = len(todo.failures)
    bar = tqdm(total=len(todo.jobs), unit="doc", file=sys.stderr, dynamic_ncols=True, postfix={"failed": failed},
               disable=args.quiet or not sys.stderr.isatty())

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
    except OSError as exc:
        _error(str(out), f"cannot write the tables ({exc.strerror or exc})")
        return 1
    finally:
        bar.close()
    if not args.quiet:
        errors = f", see {out / 'errors.csv'}" if summary.failures else ""
        print(f"{out}: {todo.total} documents: {summary.parsed} parsed, {summary.up_to_date} up to date, "
              f"{len(summary.failures)} failed{errors} -> {summary.store}")
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
    golden_dir, parser = Path(args.golden_dir), _parser(args)
    # A real document's golden folder (tests/golden/real/README.md) is scored quantity by quantity.
    real = [p for p in args.inputs if real_golden.is_real_golden(golden_dir / doc_id_for(p))]
    seed_like = [p for p in args.inputs if p not in real]
    try:
        if seed_like:
            print(evaluate.report(*evaluate.evaluate(seed_like, golden_dir, parser)))
        if real:
            print(evaluate_quantities.report(evaluate_quantities.evaluate(real, golden_dir, parser)))
    except PolicyParseError as exc:
        _error(exc.path, exc.reason)
        return 1
    return 0


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
    return Limits(args.max_bytes, args.max_chars, args.max_pages, getattr(args, "max_seconds", DEFAULT_MAX_SECONDS),
                  getattr(args, "max_memory", DEFAULT_MAX_MEMORY_MB))


def _add_limits(command: argparse.ArgumentParser) -> None:
    """The per-document limits (pipeline/limits.py) as options; batch adds time and memory."""
    command.add_argument("--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES,
                         help=f"refuse larger input files (default: {DEFAULT_MAX_BYTES})")
    command.add_argument("--max-chars", type=_positive, default=DEFAULT_MAX_CHARS,
                         help=f"refuse a document whose text is longer (default: {DEFAULT_MAX_CHARS})")
    command.add_argument("--max-pages", type=_positive, default=DEFAULT_MAX_PAGES,
                         help=f"refuse a PDF with more pages (default: {DEFAULT_MAX_PAGES})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Turn Chinese government plan notices into datasets.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="parse documents into DIR/<doc_id>.json and combined CSV tables")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="plan documents (.txt, .docx, .pdf, .html, .doc, .wps)")
    p.add_argument("--out", default="output", metavar="DIR", help="output folder (default: output)")
    _add_limits(p)
    p.add_argument("--quiet", action="store_true", help="print only errors")
    p.add_argument("--xlsx", action="store_true", help="also write DIR/dataset.xlsx, a sheet per table")
    p.set_defaults(func=cmd_parse)

    r = sub.add_parser("report", help="a review page per document: DIR/<doc_id>.html (text with targets "
                                      "highlighted, annex, units, findings, chart) and DIR/index.html")
    r.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="plan documents, dataset JSONs written by parse, or folders of them")
    r.add_argument("--out", default="output/report", metavar="DIR", help="output folder (default: output/report)")
    r.add_argument("--quiet", action="store_true", help="print only errors, no progress bar")
    r.set_defaults(func=cmd_report)


    b = sub.add_parser("batch", help="parse an archive (folders, globs, @lists) into one dataset and DIR/plans.db; "
                                     "re-runs parse only new or changed files")
    b.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files, folders (walked recursively), glob patterns, or @LIST (a file naming one input "
                        "per line)")
    b.add_argument("--out", default="output", metavar="DIR", help="output folder (default: output)")
    b.add_argument("--workers", type=_positive, default=None, metavar="N",
                   help="worker processes (default: one per CPU)")
    b.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="local process pool, or an existing dask.distributed cluster (needs --scheduler)")
    b.add_argument("--scheduler", metavar="ADDRESS", help="the dask scheduler, e.g. tcp://10.0.0.5:8786")
    _add_limits(b)
    b.add_argument("--max-seconds", type=_seconds, default=DEFAULT_MAX_SECONDS,
                   help=f"give up on a document after this wall time in its worker, which is killed if it does "
                        f"not stop (default: {DEFAULT_MAX_SECONDS:g})")
    b.add_argument("--max-memory", type=_positive, default=DEFAULT_MAX_MEMORY_MB, metavar="MB",
                   help=f"cap each worker's heap (Linux; default: {DEFAULT_MAX_MEMORY_MB})")
    b.add_argument("--quiet", action="store_true", help="print only errors")
    b.set_defaults(func=cmd_batch)

    g = sub.add_parser("golden", help="check documents against their golden files, or rewrite them")
    g.add_argument("inputs", nargs="+", metavar="INPUT")
    g.add_argument("--golden-dir", required=True, metavar="DIR",
                   help="the folder of golden files, one folder per doc_id (this project's: tests/golden)")
    g.add_argument("--update", action="store_true",
                   help="rewrite the golden files from the parser's output (review the diff before committing)")
    g.set_defaults(func=cmd_golden)

    e = sub.add_parser("evaluate", help="score target extraction against golden files (precision, recall, fields); "
                                        "for a real document's golden folder, every quantity and its role")
    e.add_argument("inputs", nargs="+", metavar="INPUT")
    e.add_argument("--golden-dir", required=True, metavar="DIR",
                   help="the folder of golden files, one folder per doc_id (this project's: tests/golden)")
    e.set_defaults(func=cmd_evaluate)

    d = sub.add_parser("diff", help="compare two plans: targets that rose, fell, vanished, changed lead unit")
    d.add_argument("old", metavar="OLD", help="a plan document, or a dataset JSON written by parse")
    d.add_argument("new", metavar="NEW")
    d.add_argument("--out", default="output", metavar="DIR", help="where diff.json, diff.csv, diff.md go")
    d.add_argument("--quiet", action="store_true")
    d.add_argument("--xlsx", action="store_true", help="also write diff.xlsx (the changes)")
    d.add_argument("--html", action="store_true", help="also write diff.html (the changes, old beside new)")
    d.set_defaults(func=cmd_diff)

    h = sub.add_parser("history", help="follow every indicator through many plans (indicator x year)")
    h.add_argument("inputs", nargs="+", metavar="INPUT", help="dataset folders or files, or plan documents")
    h.add_argument("--out", default="output", metavar="DIR")
    h.add_argument("--quiet", action="store_true")
    h.set_defaults(func=cmd_history)
    for command in sub.choices.values():
        command.add_argument("--json-logs", action="store_true",
                             help="errors and progress as one JSON object per line on stderr")
        command.add_argument("--rules", metavar="DIR", help="parse with the rule set in DIR (a copy of the bundled "
                                                                "rules/, edited) instead of the bundled one")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "executor", None) == "dask" and not args.scheduler:
        parser.error("--executor dask needs --scheduler ADDRESS")
    _log.quiet, _log.json_logs = getattr(args, "quiet", False), args.json_logs
    try:
        return args.func(args)
    except RuleError as exc:  # a broken rule file stops every document: say where it is broken
        _error(None, str(exc))
        return 2
    except BatchError as exc:  # a batch that cannot run at all (its store, its executor)
        _error(None, str(exc))
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
