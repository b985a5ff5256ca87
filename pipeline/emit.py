"""Emit: the only code that writes files. Deterministic (the same input gives byte-identical
files), atomic (a temp file in the same folder, then a rename), CSV in UTF-8 with BOM so
Excel and WPS open the Chinese correctly, JSON with the Chinese as written."""
from __future__ import annotations

import csv
import functools
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
import regex

from policyparse.errors import InputError
from policyparse.model import TABLES, Document, is_safe_id, to_json
from policyparse.model import table_columns as table_columns

if TYPE_CHECKING:  # pandas is imported by frames() only: a batch worker never needs it
    import pandas as pd

# The combined tables, in order, each with its columns (doc_id first): derived from the model.
TABLE_COLUMNS = {name: table_columns(name) for name in TABLES}


# A spreadsheet (Excel, WPS, LibreOffice) runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text a spreadsheet shows but never evaluates: '=1+1 rather than =1+1. A lone = or - (the
    comparator `=`, a dash in an empty cell) runs nothing and stays readable as it is. Used by
    every CSV and XLSX writer; the JSON keeps the text as written."""
    return "'" + text if len(text) > 1 and text.startswith(FORMULA_STARTS) else text


def csv_cell(value):
    """A value as a CSV cell: booleans as in the JSON (true/false), formula-like text neutralised."""
    if value.__class__ is bool:
        return "true" if value else "false"
    return neutralise(value) if isinstance(value, str) else value


def number(value: Decimal) -> int | float:
    """A Decimal as a JSON number: an int when whole (220000000000), else the shortest float."""
    return to_json(value)


def to_dict(doc: Document) -> dict:
    """The dataset record of one document (the JSON file's content)."""
    return doc.to_dict()


@functools.cache
def _umask() -> int:
    """The process's umask (read the first time a file is written, never at import: reading it
    means setting it for a moment). mkstemp makes a file only its owner can read; a dataset
    file gets the usual permissions."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary file beside `path` to write to. When the block completes it is synced and
    renamed over `path`; when the block fails it is removed and `path` is left as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_leftovers(out_dir: Path) -> None:
    """Remove the temporary files of writes that never finished (atomic_path's, of a process
    killed while it wrote: a batch worker stopped with its pool)."""
    for tmp in out_dir.glob(".*.tmp"):
        if _LEFTOVER.fullmatch(tmp.name):
            tmp.unlink(missing_ok=True)


# What atomic_path's temporary files are called: .<name>.<random>.tmp
_LEFTOVER = regex.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


def cell(value) -> str:
    """A value as text for a CSV cell or a golden row: null empty, booleans true/false, a
    Decimal or a whole float without exponent or trailing .0, lists (of units) joined with 、."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def atomic_write(path: Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def dataset_json(data: dict) -> bytes:
    """The bytes of `<doc_id>.json` for a dataset record: UTF-8, indented by two spaces.

    orjson writes the same bytes as json.dumps(ensure_ascii=False, indent=2) some 40 times
    faster (the standard library falls back to pure Python when it indents), except for a
    float written with an exponent (json.dumps 5e-05, orjson 5e-5), a float that is not finite
    (NaN, null) and a whole number past 64 bits (which orjson refuses): json.dumps writes those."""
    if _orjson_writes_as_json(data):
        try:
            return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
        except orjson.JSONEncodeError:
            pass
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _orjson_writes_as_json(value) -> bool:
    """Whether every float in `value` is one orjson writes as json.dumps does: finite, and
    within the range repr writes without an exponent (1e-4 <= |x| < 1e16, or 0)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif item.__class__ is float and item and not 1e-4 <= abs(item) < 1e16:
            return False  # NaN fails the comparison too
    return True


# A plan's dataset JSON is some 20 to 30 times its text in UTF-8 (the most in the corpus: 31.7
# times); a run of numbers as dense as a table of percentages (a quantity and its target, some 1 KB
# of records, every 4 or 5 bytes) gives up to about 250 times. A document built so that its records
# copy its text over and over (a section whose hundreds of notes each list its thousands of
# targets) would make a dataset growing with the square of its text: past this many times (and
# past MIN_DATASET_BYTES) it is refused instead.
MAX_DATASET_RATIO = 300
MIN_DATASET_BYTES = 1024 * 1024


def document_json(data: dict) -> bytes:
    """dataset_json of one document's record. Raises InputError for a dataset more than
    MAX_DATASET_RATIO times the document's text."""
    made = dataset_json(data)
    document = data["document"]
    limit = max(MIN_DATASET_BYTES, MAX_DATASET_RATIO * len(document["text"].encode("utf-8")))
    if len(made) > limit:
        raise InputError(document["source"], f"refused: its dataset would take {len(made):,} bytes, more than "
                                             f"{MAX_DATASET_RATIO} times its text (its records repeat the text "
                                             "over and over)")
    return made


def write_document(out_dir: Path, doc: Document) -> Path:
    return write_dataset(out_dir, doc.doc_id, document_json(to_dict(doc)))


def member(out_dir: Path, doc_id: str, suffix: str) -> Path:
    """`out_dir/<doc_id><suffix>`, refusing a doc_id that could name a file anywhere else."""
    if not is_safe_id(doc_id):
        raise ValueError(f"unsafe document id {doc_id!r}")
    return out_dir / f"{doc_id}{suffix}"


def write_dataset(out_dir: Path, doc_id: str, data: bytes) -> Path:
    """Write `<doc_id>.json` from the bytes dataset_json made (a batch worker makes them)."""
    path = member(out_dir, doc_id, ".json")
    atomic_write(path, data)
    return path


def remove_dataset(out_dir: Path, doc_id: str) -> None:
    """Remove `<doc_id>.json`, if it is a dataset file (a batch drops documents no longer in its inputs)."""
    if is_safe_id(doc_id) and dataset_in(path := member(out_dir, doc_id, ".json")) is not None:
        path.unlink(missing_ok=True)


def is_dataset(data) -> bool:
    """A dataset record `parse` wrote, with a doc_id that names a file inside the output folder."""
    return (isinstance(data, dict) and "schema_version" in data and isinstance(data.get("document"), dict)
            and is_safe_id(data["document"].get("doc_id")))


def dataset_in(path: Path) -> dict | None:
    """The dataset record in a file, None when the file holds none (or cannot be read)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return data if is_dataset(data) else None


def read_datasets(out_dir: Path) -> list[dict]:
    """Every dataset JSON in `out_dir` (files `parse` wrote), in doc_id order."""
    datasets = [data for path in sorted(out_dir.glob("*.json")) if (data := dataset_in(path)) is not None]
    return sorted(datasets, key=lambda d: d["document"]["doc_id"])


def table_rows(data: dict) -> dict[str, list[tuple]]:
    """The rows one dataset record adds to each combined table, in table_columns order."""
    document = data["document"]
    doc_id = document["doc_id"]
    row = {k: document.get(k) for k in TABLE_COLUMNS["documents"]}
    for name, value in row.items():
        row[name] = _joined(value)  # issuers, recipients, cc
    rows = {"documents": [tuple(row[k] for k in TABLE_COLUMNS["documents"])]}
    for name in Document.RECORDS:
        rows[name] = [(doc_id, *(r.get(k) for k in TABLE_COLUMNS[name][1:])) for r in data[name]]
    rows["by_unit"] = [(doc_id, *(r[k] for k in TABLE_COLUMNS["by_unit"][1:]))
                       for r in _by_unit_rows(data.get("by_unit", []))]
    quality = document.get("quality") or {}
    rows["quality"] = [(doc_id, *(_joined(quality.get(k)) for k in TABLE_COLUMNS["quality"][1:]))] if quality else []
    return rows


def _joined(value):
    """A list (header fields, reasons to check) as one cell."""
    return "、".join(value) if isinstance(value, list) else value


def frames(datasets: list[dict]) -> dict[str, pd.DataFrame]:
    """The combined tables of the dataset contract, one DataFrame each, with a doc_id column."""
    import pandas as pd

    rows: dict[str, list[tuple]] = {name: [] for name in TABLE_COLUMNS}
    for data in datasets:
        for name, table in table_rows(data).items():
            rows[name] += table
    return {name: pd.DataFrame(rows[name], columns=table_columns(name), dtype=object) for name in TABLE_COLUMNS}


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence]) -> Path:
    """One table as CSV, streamed row by row: UTF-8 with BOM, LF line ends, booleans as in the
    JSON (true/false), whole numbers without a trailing .0, empty cells for null, text that a
    spreadsheet would run as a formula neutralised (see neutralise)."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as f:
        _csv_writer(f).writerow(columns)
        _csv_writer(f).writerows([csv_cell(v) for v in row] for row in rows)
    return path


def csv_header(columns: Sequence[str]) -> bytes:
    """What write_csv writes before the rows: the BOM and the header line, as bytes."""
    return "\ufeff".encode("utf-8") + csv_lines([columns]).encode("utf-8")


def csv_lines(rows: Iterable[Sequence]) -> str:
    """The lines write_csv writes for `rows`, as text: a piece of a table made elsewhere."""
    buffer = io.StringIO(newline="")
    _csv_writer(buffer).writerows([csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def _csv_writer(f):
    return csv.writer(f, lineterminator="\n")


def _by_unit_rows(units: list[dict]) -> list[dict]:
    """The per-unit view flattened: one row per unit and task, its targets in one readable cell."""
    return [
        {"unit": unit["unit"], "unit_full": unit["unit_full"], "generic": unit["generic"],
         **{k: task[k] for k in ("role", "scope", "section_path", "annex_seq", "task", "raw", "start", "end")},
         "targets": "；".join(t["text"] for t in task["targets"]),
         "target_ids": " ".join(t["target_id"] for t in task["targets"])}
        for unit in units for task in unit["tasks"]
    ]


def write_tables(out_dir: Path) -> list[Path]:
    """Rebuild the combined CSVs from every dataset JSON in `out_dir`, so the tables always
    describe exactly the documents whose JSON files are there."""
    rows = [table_rows(data) for data in read_datasets(out_dir)]
    return [write_csv(out_dir / f"{name}.csv", table_columns(name), (row for table in rows for row in table[name]))
            for name in TABLE_COLUMNS]
