"""Golden files: the readable projection of a Document that a person checks row by row
(tests/golden/README.md), and a field-by-field comparison that says what differs."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from policyparse.emit import atomic_write, cell
from policyparse.model import Document, Header, to_json

HEADER_FIELDS = [f.name for f in Header.fields()]
# table → (its golden columns, the columns that identify a row): each record's golden view. Quantities
# have none: a reader writes them in the real golden format (tests/golden/real/README.md), scored by
# policyparse.evaluate_quantities.
TABLES = {name: (record.golden_columns, record.golden_key) for name, record in Document.RECORDS.items()
          if record.golden_columns}


def project(doc: Document) -> dict:
    """The golden view of a document: header fields and the tables as lists of string rows."""
    header = to_json(doc.header)
    tables = {name: [{k: cell(_golden_value(doc, r, k)) for k in columns} for r in getattr(doc, name)]
              for name, (columns, _key) in TABLES.items()}
    return {"document": header, **tables}


def _golden_value(doc: Document, record, column: str):
    """A golden column: a field or property of the record, or `text`, what its offsets point at."""
    if column == "text" and not hasattr(record, "text"):
        return doc.text[record.start:record.end]
    return getattr(record, column)


def read(folder: Path) -> dict:
    """A golden folder as the same structure `project` returns."""
    result = {"document": json.loads((folder / "document.json").read_text(encoding="utf-8"))}
    for name in TABLES:
        result[name] = read_table(folder, name)
    return result


def read_table(folder: Path, name: str) -> list[dict]:
    """One golden table; its columns must be the ones the format names, in order."""
    columns = TABLES[name][0]
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != list(columns):
            raise ValueError(f"{folder / name}.csv: columns {reader.fieldnames}, expected {columns}")
        return list(reader)


def write(folder: Path, doc: Document) -> None:
    view = project(doc)
    header = json.dumps(view["document"], ensure_ascii=False, indent=2) + "\n"
    atomic_write(folder / "document.json", header.encode("utf-8"))
    for name, (columns, _key) in TABLES.items():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(view[name])
        atomic_write(folder / f"{name}.csv", buffer.getvalue().encode("utf-8"))


def compare(expected: dict, actual: dict) -> list[str]:
    """Readable differences between a golden view and a fresh one; empty when they agree."""
    problems = []
    for field in HEADER_FIELDS:
        if expected["document"].get(field) != actual["document"].get(field):
            problems.append(f"document.{field}: expected {expected['document'].get(field)!r}, "
                            f"got {actual['document'].get(field)!r}")
    for name, (columns, key_fields) in TABLES.items():
        want = {_key(r, key_fields): r for r in expected[name]}
        got = {_key(r, key_fields): r for r in actual[name]}
        for k, row in want.items():
            label = f"{name} [{' | '.join(k)}]"
            if k not in got:
                problems.append(f"{label}: missing (the golden file has it, the parser did not find it)")
                continue
            for column in columns:
                if row[column] != got[k][column]:
                    problems.append(f"{label}: {column}: expected {row[column]!r}, got {got[k][column]!r}")
        for k in got:
            if k not in want:
                problems.append(f"{name} [{' | '.join(k)}]: unexpected (the parser found it, the golden file has no "
                                "such row)")
        if ([_key(r, key_fields) for r in expected[name] if _key(r, key_fields) in got]
                != [_key(r, key_fields) for r in actual[name] if _key(r, key_fields) in want]):
            problems.append(f"{name}: rows are in a different order")
    return problems


def _key(row: dict, key_fields: tuple[str, ...]) -> tuple:
    return tuple(row[k] for k in key_fields)
