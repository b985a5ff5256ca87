"""Many documents, one at a time, each either a Document or a Failure that says why not: the
one loop that `parse`, `report`, `history` and `batch` share. Nothing here raises for one
document's sake (only a broken rule file, RuleError, stops everything); nothing here writes.

    for path, outcome in documents(paths, parser, limits):
        if isinstance(outcome, Failure): ...   # one line for the user, one row of errors.csv
        else: ...                               # a Document
"""
from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from policyparse.errors import InputError, PolicyParseError, internal_error, shown
from policyparse.limits import (
    DEFAULT_LIMITS,
    Limits,
    TimeLimit,
    at_memory_cap,
    bounded,
    memory_limit_message,
    time_limit_message,
)
from policyparse.model import DatasetError, Document
from policyparse.rules import RuleError
from policyparse.run import Parser, default_parser, doc_id_for


@dataclass(frozen=True)
class Failure:
    """A document that is not in the dataset: one error line, one row of errors.csv."""

    file: str
    stage: str  # input, ingest, normalise, segment, extract, resolve, link, parse, emit, worker, limit
    message: str

    def __post_init__(self) -> None:
        # A name that is not UTF-8 (the one a bad name's refusal gives) must not break the
        # error line, errors.csv or the store it is written to.
        object.__setattr__(self, "file", shown(self.file))
        object.__setattr__(self, "message", shown(self.message))


T = TypeVar("T")


def within_limits(path: str, limits: Limits, work: Callable[[], T], kill_stuck: bool = False) -> T | Failure:
    """`work()` for one document under its time and memory limits (limits.bounded), or the
    Failure that says which one it went past."""
    try:
        with bounded(limits, kill_stuck):
            return work()
    except TimeLimit:
        return Failure(path, "limit", time_limit_message(limits))
    except MemoryError:
        return Failure(path, "limit", memory_limit_message(limits))


def parse_one(path: str, parser: Parser | None = None, limits: Limits = DEFAULT_LIMITS) -> Document | Failure:
    """One document through the parser, or a Failure naming the stage that gave up. The time
    and memory limits are the caller's (within_limits)."""
    parser = parser or default_parser()
    try:
        return parser.parse(path, max_bytes=limits.bytes, max_chars=limits.chars, max_pages=limits.pages)
    except (RuleError, MemoryError):  # a broken rule set stops everything; within_limits reports the memory limit
        raise
    except Exception as exc:
        if at_memory_cap():
            raise MemoryError from exc
        if isinstance(exc, PolicyParseError):
            return Failure(exc.path, stage_of(exc.__traceback__), exc.reason)
        # A bug met in one document must not take down the others.
        return Failure(path, stage_of(exc.__traceback__), internal_error(exc))


def read_dataset(path: str) -> Document:
    """A dataset JSON that `parse` wrote, read back into the model. Raises InputError with the
    reason (the file cannot be read, is not JSON, or the first field that is not as the dataset
    contract says)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read the dataset ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise InputError(path, "not a dataset written by `policyparse parse` (not UTF-8)") from None
    except RecursionError:
        raise InputError(path, "not a dataset written by `policyparse parse` (nested too deeply)") from None
    except ValueError as exc:
        raise InputError(path, f"not a dataset written by `policyparse parse` (not JSON: {exc})") from None
    try:
        return Document.from_dict(data)
    except DatasetError as exc:
        raise InputError(path, f"not a dataset written by `policyparse parse` ({exc})") from None
    except RecursionError:
        raise InputError(path, "not a dataset written by `policyparse parse` (nested too deeply)") from None


def load_one(path: str, parser: Parser | None = None, limits: Limits = DEFAULT_LIMITS) -> Document | Failure:
    """A dataset JSON read back, or any other file parsed."""
    if not path.lower().endswith(".json"):
        return parse_one(path, parser, limits)
    try:
        return read_dataset(path)
    except InputError as exc:
        return Failure(exc.path, "input", exc.reason)


class DocIds:
    """Which input owns each doc_id in one run (a doc_id names `<doc_id>.json`): a second file
    with the same doc_id is refused, so that it never overwrites the first."""

    def __init__(self) -> None:
        self.owners: dict[str, str] = {}

    def claim(self, doc_id: str, path: str) -> Failure | None:
        if doc_id in self.owners:
            return Failure(path, "input", f"has the same document id {doc_id!r} as {self.owners[doc_id]}; "
                                          "rename one of them")
        self.owners[doc_id] = path
        return None


def documents(paths: Iterable[str], parser: Parser | None = None, limits: Limits = DEFAULT_LIMITS,
              read: Callable[[str, Parser | None, Limits], Document | Failure] = parse_one
              ) -> Iterator[tuple[str, Document | Failure]]:
    """Each input with its Document (by `read`: parse_one, or load_one for dataset JSONs too)
    or its Failure, in the order given, each read within its limits; a document whose doc_id an
    earlier one has is a Failure."""
    ids = DocIds()
    for path in paths:
        outcome = within_limits(path, limits, functools.partial(read, path, parser, limits))
        if isinstance(outcome, Document):
            outcome = ids.claim(outcome.doc_id, path) or outcome
        yield path, outcome


def planned_ids(paths: Iterable[str]) -> tuple[list[str], list[Failure]]:
    """The inputs whose doc_ids are their own, and a Failure for each later one that repeats
    an earlier doc_id (known from the file name alone, before anything is parsed)."""
    ids = DocIds()
    kept, failures = [], []
    for path in paths:
        failure = ids.claim(doc_id_for(path), path)
        if failure:
            failures.append(failure)
        else:
            kept.append(path)
    return kept, failures


def stage_of(tb: TracebackType | None) -> str:
    """The stage an error came from: the module of the policyparse stage Parser.parse had called into."""
    while tb is not None and tb.tb_frame.f_code is not Parser.parse.__code__:
        tb = tb.tb_next
    module = tb.tb_next.tb_frame.f_globals.get("__name__", "") if tb and tb.tb_next else ""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "policyparse" and parts[1] != "run" else "parse"
