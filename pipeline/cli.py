"""The command line: a thin skin over the API. It parses arguments, calls `parse`,
hands results to emit, prints one line per problem, and chooses the exit status.

Exit status: 0 all inputs parsed; 1 some input failed (each named on stderr); 2 usage or a
broken rule file."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline import emit, golden
from rules import RuleError
from pipeline.errors import BatchError, PolicyParseError, internal_error
from pipeline.ingest import DEFAULT_MAX_BYTES
from pipeline.run import parse

PROG = "policyparse"


def _error(path: str, reason: str) -> None:
    print(f"{PROG}: error: {path}: {reason}", file=sys.stderr)


def _parse_one(path: str, max_bytes: int):
    """The Document, or None after printing one line that says why not."""
    try:
        return parse(path, max_bytes=max_bytes)
    except PolicyParseError as exc:
        _error(exc.path, exc.reason)
    except RuleError:
        raise
    except Exception as exc:  # a bug must not take down the batch nor print a traceback
        _error(path, internal_error(exc))
    return None


def cmd_parse(args) -> int:
    out = Path(args.out)
    failed = 0
    written = 0
    seen: dict[str, str] = {}
    for path in args.inputs:
        doc = _parse_one(path, args.max_bytes)
        if doc is None:
            failed += 1
            continue
        if doc.doc_id in seen:
            _error(path, f"has the same document id {doc.doc_id!r} as {seen[doc.doc_id]}; rename one of them")
            failed += 1
            continue
        seen[doc.doc_id] = path
        try:
            target = emit.write_document(out, doc)
        except OSError as exc:
            _error(path, f"cannot write to {out} ({exc.strerror or exc})")
            failed += 1
            continue
        written += 1
        if not args.quiet:
            print(f"{path}: {len(doc.sections)} sections, {len(doc.annex_rows)} annex rows, "
                  f"{len(doc.targets)} targets, {len(doc.responsibilities)} responsibilities, "
                  f"{len(doc.findings)} findings -> {target}")
    if written:
        try:
            emit.write_tables(out)
        except OSError as exc:
            _error(str(out), f"cannot write the tables ({exc.strerror or exc})")
            return 1
    return 1 if failed else 0


def cmd_batch(args) -> int:
    from tqdm import tqdm

    from pipeline import batch

    out = Path(args.out)
    todo = batch.plan(args.inputs, out, args.max_bytes)
    for failure in todo.failures:
        _error(failure.file, failure.message)
    failed = len(todo.failures)
    bar = tqdm(total=len(todo.jobs), unit="doc", file=sys.stderr, dynamic_ncols=True, postfix={"failed": failed},
               disable=args.quiet or not sys.stderr.isatty())

    def report(outcome) -> None:
        nonlocal failed
        if isinstance(outcome, batch.Failure):
            failed += 1
            bar.write(f"{PROG}: error: {outcome.file}: {outcome.message}", file=sys.stderr)
            bar.set_postfix(failed=failed, refresh=False)
        bar.update()

    try:
        summary = batch.run(todo, workers=args.workers, executor=args.executor, scheduler=args.scheduler,
                            max_bytes=args.max_bytes, on_outcome=report)
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
    for path in args.inputs:
        doc = _parse_one(path, DEFAULT_MAX_BYTES)
        if doc is None:
            status = 1
            continue
        folder = root / doc.doc_id
        if args.update:
            golden.write(folder, doc)
            print(f"{path}: rewrote {folder}; read `git diff {folder}` row by row before committing")
            continue
        if not folder.is_dir():
            _error(path, f"no golden folder {folder} (write one by reading the document; see tests/golden/README.md)")
            status = 1
            continue
        problems = golden.compare(golden.read(folder), golden.project(doc))
        for problem in problems:
            print(f"{path}: {problem}")
        print(f"{path}: {'agrees with' if not problems else f'{len(problems)} differences from'} {folder}")
        status = status or (1 if problems else 0)
    return status


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Turn Chinese government plan notices into datasets.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="parse documents into DIR/<doc_id>.json and combined CSV tables")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="plan documents (.txt)")
    p.add_argument("--out", default="output", metavar="DIR", help="output folder (default: output)")
    p.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES,
                   help=f"refuse larger input files (default: {DEFAULT_MAX_BYTES})")
    p.add_argument("--quiet", action="store_true", help="print only errors")
    p.set_defaults(func=cmd_parse)

    b = sub.add_parser("batch", help="parse an archive (folders, globs, @lists) into one dataset and DIR/plans.db; "
                                     "re-runs parse only new or changed files")
    b.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files, folders (walked recursively), glob patterns, or @LIST (a file naming one input per line)")
    b.add_argument("--out", default="output", metavar="DIR", help="output folder (default: output)")
    b.add_argument("--workers", type=_positive, default=None, metavar="N", help="worker processes (default: one per CPU)")
    b.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="local process pool, or an existing dask.distributed cluster (needs --scheduler)")
    b.add_argument("--scheduler", metavar="ADDRESS", help="the dask scheduler, e.g. tcp://10.0.0.5:8786")
    b.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES,
                   help=f"refuse larger input files (default: {DEFAULT_MAX_BYTES})")
    b.add_argument("--quiet", action="store_true", help="print only errors")
    b.set_defaults(func=cmd_batch)

    g = sub.add_parser("golden", help="check documents against their golden files, or rewrite them")
    g.add_argument("inputs", nargs="+", metavar="INPUT")
    g.add_argument("--golden-dir", default="tests/golden", metavar="DIR")
    g.add_argument("--update", action="store_true",
                   help="rewrite the golden files from the parser's output (review the diff before committing)")
    g.set_defaults(func=cmd_golden)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "executor", None) == "dask" and not args.scheduler:
        parser.error("--executor dask needs --scheduler ADDRESS")
    try:
        return args.func(args)
    except RuleError as exc:  # a broken rule file stops every document: say where it is broken
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except BatchError as exc:  # a batch that cannot run at all (its store, its executor)
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
