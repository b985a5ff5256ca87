"""Golden files: the readable projection of a Document that a person checks row by row
(tests/golden/README.md), and a field-by-field comparison that says what differs."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from policyparse.emit import atomic_write, cell
from policyparse.model import Document

HEADER_FIELDS = ["issuer", "notice_title", "title", "doc_number", "date", "year", "recipients", "cc"]
TABLES = {
    "sections": (["path", "level", "number", "title"], ["path"]),
    "annex_rows": (["seq", "measure", "measure_filled", "task", "units_raw", "support_units_raw", "link_section"],
                   ["seq"]),
    "responsibilities": (["scope", "where", "position", "unit", "role", "raw", "open_list", "unit_full", "generic"],
                         ["scope", "where", "position"]),
    "targets": (["source", "where", "text", "indicator", "action", "value", "value_high", "unit", "value_base",
                 "base_unit", "comparator", "approximate", "kind", "hedged", "modality", "year", "deadline"],
                ["source", "where", "text", "value", "unit"]),
    "findings": (["code", "where", "text", "related_where"], ["code", "where", "text"]),
}


def project(doc: Document) -> dict:
    """The golden view of a document: header fields and the tables as lists of string rows."""
    h = doc.header
    header = {
        "issuer": h.issuer and h.issuer.value,
        "notice_title": h.notice_title and h.notice_title.value,
        "title": h.title and h.title.value,
        "doc_number": h.doc_number and h.doc_number.value,
        "date": h.date and h.date.value,
        "year": h.year,
        "recipients": [f.value for f in h.recipients],
        "cc": [f.value for f in h.cc],
    }
    rows = {
        "sections": [dict(path=s.path, level=s.level, number=s.number, title=s.title) for s in doc.sections],
        "annex_rows": [dict(seq=r.seq, measure=r.measure, measure_filled=r.measure_filled, task=r.task,
                            units_raw=r.units_raw, support_units_raw=r.support_units_raw, link_section=r.link_section)
                       for r in doc.annex_rows],
        "responsibilities": [dict(scope=r.scope, where=r.section_path if r.scope == "section" else r.annex_seq,
                                  position=r.position, unit=r.unit, role=r.role, raw=r.raw, open_list=r.open_list,
                                  unit_full=r.unit_full, generic=r.generic)
                             for r in doc.responsibilities],
        "targets": [dict(source=t.source, where=t.section_path if t.source == "body" else t.annex_seq, text=t.text,
                         indicator=t.indicator, action=t.action, value=t.value, value_high=t.value_high,
                         unit=t.unit, value_base=t.value_base, base_unit=t.base_unit, comparator=t.comparator,
                         approximate=t.approximate, kind=t.kind,
                         hedged=t.hedged, modality=t.modality, year=t.year, deadline=t.deadline)
                    for t in doc.targets],
        "findings": [dict(code=f.code, where=f.where, text=doc.text[f.start:f.end], related_where=f.related_where)
                     for f in doc.findings],
    }
    tables = {name: [{k: cell(r[k]) for k in TABLES[name][0]} for r in table] for name, table in rows.items()}
    return {"document": header, **tables}


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
        if reader.fieldnames != columns:
            raise ValueError(f"{folder / name}.csv: columns {reader.fieldnames}, expected {columns}")
        return list(reader)


def write(folder: Path, doc: Document) -> None:
    view = project(doc)
    header = json.dumps(view["document"], ensure_ascii=False, indent=2) + "\n"
    atomic_write(folder / "document.json", header.encode("utf-8"))
    for name, (columns, _key) in TABLES.items():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
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
        def key(row):
            return tuple(row[k] for k in key_fields)

        want = {key(r): r for r in expected[name]}
        got = {key(r): r for r in actual[name]}
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
                problems.append(f"{name} [{' | '.join(k)}]: unexpected (the parser found it, the golden file has no such row)")
        if [key(r) for r in expected[name] if key(r) in got] != [key(r) for r in actual[name] if key(r) in want]:
            problems.append(f"{name}: rows are in a different order")
    return problems
