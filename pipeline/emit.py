"""Emit: the only code that writes files. Deterministic (the same input gives byte-identical
files), atomic (a temp file in the same folder, then a rename), CSV in UTF-8 with BOM so
Excel and WPS open the Chinese correctly, JSON with the Chinese as written."""
from __future__ import annotations

import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path

import pandas as pd

from pipeline.by_unit import by_unit
from pipeline.model import SCHEMA_VERSION, Document, Field

# Column order of each combined table; every row also carries doc_id first.
TABLE_COLUMNS = {
    "documents": ["doc_id", "source", "sha256", "format", "encoding", "pages", "issuer", "notice_title", "title",
                  "doc_number", "date", "year", "recipients", "cc"],
    "sections": ["path", "level", "number", "title", "start", "end"],
    "annex_rows": ["seq", "measure", "measure_filled", "task", "units_raw", "support_units_raw", "link_section",
                   "link_score", "start", "end"],
    "targets": ["target_id", "source", "section_path", "annex_seq", "text", "indicator", "action", "value", "value_low",
                "value_high", "unit", "value_base", "value_base_high", "base_unit", "comparator", "approximate", "kind",
                "hedged", "modality", "year", "deadline",
                "start", "end", "indicator_start", "indicator_end", "page"],
    "responsibilities": ["scope", "section_path", "annex_seq", "unit", "unit_full", "generic", "role", "role_rule",
                         "position", "raw", "open_list", "start", "end"],
    "findings": ["code", "message", "where", "start", "end", "related_where", "related_start", "related_end"],
    "by_unit": ["unit", "unit_full", "generic", "role", "scope", "section_path", "annex_seq", "task", "targets",
                "target_ids", "raw", "start", "end"],
}
ANNEX_ROW_FIELDS = ("seq", "measure", "measure_filled", "task", "units_raw", "start", "end", "task_start", "task_end",
                    "units_start", "units_end", "measure_start", "measure_end", "support_units_raw",
                    "support_units_start", "support_units_end", "link_section", "link_score")


def number(value: Decimal) -> int | float:
    """A Decimal as a JSON number: an int when whole (220000000000), else the shortest float."""
    return int(value) if value == value.to_integral_value() else float(value)


def _field(f: Field | None) -> str | None:
    return None if f is None else f.value


def _span(f: Field | None) -> list[int] | None:
    return None if f is None else [f.start, f.end]


def to_dict(doc: Document) -> dict:
    """The dataset record of one document (the JSON file's content)."""
    h = doc.header
    return {
        "schema_version": SCHEMA_VERSION,
        "document": {
            "doc_id": doc.doc_id,
            "source": doc.source,
            "sha256": doc.sha256,
            "format": doc.format,
            "encoding": doc.encoding,
            "pages": doc.pages,
            "issuer": _field(h.issuer),
            "notice_title": _field(h.notice_title),
            "title": _field(h.title),
            "doc_number": _field(h.doc_number),
            "date": _field(h.date),
            "year": h.year,
            "recipients": [f.value for f in h.recipients],
            "cc": [f.value for f in h.cc],
            "provenance": {
                "issuer": _span(h.issuer),
                "notice_title": _span(h.notice_title),
                "title": _span(h.title),
                "doc_number": _span(h.doc_number),
                "date": _span(h.date),
                "recipients": [_span(f) for f in h.recipients],
                "cc": [_span(f) for f in h.cc],
                "annex_title": _span(doc.annex_title),
            },
            "annex_title": _field(doc.annex_title),
            "text": doc.text,
        },
        "sections": [
            {k: getattr(s, k) for k in ("path", "level", "number", "title", "start", "end", "title_start", "title_end")}
            for s in doc.sections
        ],
        "annex_rows": [{k: getattr(r, k) for k in ANNEX_ROW_FIELDS} for r in doc.annex_rows],
        "targets": [
            {**{k: (number(v) if isinstance(v := getattr(t, k), Decimal) else v)
                for k in TABLE_COLUMNS["targets"]},
             "bbox": None if t.bbox is None else list(t.bbox)}
            for t in doc.targets
        ],
        "responsibilities": [
            {k: getattr(r, k) for k in TABLE_COLUMNS["responsibilities"]} for r in doc.responsibilities
        ],
        "findings": [{k: getattr(f, k) for k in TABLE_COLUMNS["findings"]} for f in doc.findings],
        "by_unit": by_unit(doc),
    }


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_document(out_dir: Path, doc: Document) -> Path:
    path = out_dir / f"{doc.doc_id}.json"
    text = json.dumps(to_dict(doc), ensure_ascii=False, indent=2) + "\n"
    atomic_write(path, text.encode("utf-8"))
    return path


def is_dataset(data) -> bool:
    return isinstance(data, dict) and "schema_version" in data and "document" in data


def read_datasets(out_dir: Path) -> list[dict]:
    """Every dataset JSON in `out_dir` (files `parse` wrote), in doc_id order."""
    datasets = []
    for path in sorted(out_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if is_dataset(data):
            datasets.append(data)
    return sorted(datasets, key=lambda d: d["document"]["doc_id"])


def frames(datasets: list[dict]) -> dict[str, pd.DataFrame]:
    """The combined tables of the dataset contract, one DataFrame each, with a doc_id column."""
    rows: dict[str, list[dict]] = {name: [] for name in TABLE_COLUMNS}
    for data in datasets:
        document = data["document"]
        doc_id = document["doc_id"]
        row = {k: document.get(k) for k in TABLE_COLUMNS["documents"]}
        row["recipients"] = "、".join(document.get("recipients") or [])
        row["cc"] = "、".join(document.get("cc") or [])
        rows["documents"].append(row)
        for name in ("sections", "annex_rows", "targets", "responsibilities", "findings"):
            rows[name] += [{"doc_id": doc_id, **{k: r.get(k) for k in TABLE_COLUMNS[name]}} for r in data[name]]
        rows["by_unit"] += _by_unit_rows(doc_id, data.get("by_unit", []))
    result = {}
    for name, columns in TABLE_COLUMNS.items():
        full = columns if name == "documents" else ["doc_id", *columns]
        result[name] = pd.DataFrame(rows[name], columns=full, dtype=object)
    return result


def _by_unit_rows(doc_id: str, units: list[dict]) -> list[dict]:
    """The per-unit view flattened: one row per unit and task, its targets in one readable cell."""
    return [
        {"doc_id": doc_id, "unit": unit["unit"], "unit_full": unit["unit_full"], "generic": unit["generic"],
         **{k: task[k] for k in ("role", "scope", "section_path", "annex_seq", "task", "raw", "start", "end")},
         "targets": "；".join(t["text"] for t in task["targets"]),
         "target_ids": " ".join(t["target_id"] for t in task["targets"])}
        for unit in units for task in unit["tasks"]
    ]


def _csv_cell(value):
    return ("true" if value else "false") if isinstance(value, bool) else value


def write_tables(out_dir: Path) -> list[Path]:
    """Rebuild the combined CSVs from every dataset JSON in `out_dir`, so the tables always
    describe exactly the documents whose JSON files are there."""
    written = []
    for name, frame in frames(read_datasets(out_dir)).items():
        path = out_dir / f"{name}.csv"
        # Booleans as in the JSON (true/false); whole numbers without a trailing .0.
        frame = pd.DataFrame({column: pd.Series([_csv_cell(v) for v in frame[column]], dtype=object)
                              for column in frame.columns})
        csv = frame.to_csv(index=False, lineterminator="\n")
        atomic_write(path, ("\ufeff" + csv).encode("utf-8"))
        written.append(path)
    return written
