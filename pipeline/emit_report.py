"""Writers for the review pages (rendered by pipeline/report.py): `DIR/<doc_id>.html` per
document, `DIR/index.html` listing them, and `diff.html`. Deterministic and atomic, UTF-8."""
from __future__ import annotations

from pathlib import Path

from policyparse import report
from policyparse.emit import atomic_write, member
from policyparse.model import Document


def write_report(out_dir: Path, doc: Document) -> Path:
    path = member(out_dir, doc.doc_id, ".html")
    atomic_write(path, report.document_page(doc).encode("utf-8"))
    return path


def write_index(out_dir: Path, summaries: list[dict]) -> Path:
    """`DIR/index.html`: the reports of a run (`report.summary` of each), in doc_id order."""
    path = out_dir / "index.html"
    atomic_write(path, report.index_page(sorted(summaries, key=lambda s: s["doc_id"])).encode("utf-8"))
    return path


def write_diff_html(out_dir: Path, diff_record: dict) -> Path:
    path = out_dir / "diff.html"
    atomic_write(path, report.diff_page(diff_record).encode("utf-8"))
    return path
