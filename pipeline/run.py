"""The pipeline, in the order it runs: ingest → normalise → segment → extract → resolve → link.
Emit is separate (pipeline/emit.py): parsing never writes files."""
from __future__ import annotations

from pathlib import Path

import regex

from pipeline.extract import extract
from pipeline.ingest import DEFAULT_MAX_BYTES, ingest
from pipeline.link import link
from pipeline.model import Document
from pipeline.normalise import normalise
from pipeline.provenance import place_targets
from pipeline.resolve import resolve
from pipeline.segment import segment


def parse(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Parse one plan document into the document model. Raises PolicyParseError subclasses."""
    raw = ingest(path, max_bytes=max_bytes)
    normalised = normalise(raw.text)
    text = normalised.text
    seg = segment(text, raw.tables)
    targets, target_findings = extract(text, seg)
    targets = place_targets(targets, raw.provenance, normalised)
    responsibilities, resolve_findings = resolve(text, seg)
    annex_rows, link_findings = link(text, seg.sections, seg.annex_rows, targets, responsibilities)
    findings = sorted(seg.findings + target_findings + resolve_findings + link_findings,
                      key=lambda f: (f.start, f.end, f.code))
    return Document(
        doc_id=doc_id_for(path),
        source=raw.source,
        format=raw.format,
        encoding=raw.encoding,
        sha256=raw.sha256,
        text=text,
        header=seg.header,
        sections=seg.sections,
        annex_title=seg.annex_title,
        annex_rows=annex_rows,
        targets=targets,
        responsibilities=responsibilities,
        findings=tuple(findings),
        pages=raw.pages,
    )


def doc_id_for(path: str | Path) -> str:
    """The file name without extension, reduced to characters safe in any file name."""
    stem = Path(path).stem
    safe = regex.sub(r"[^\p{Han}A-Za-z0-9_.-]+", "-", stem).strip("-.")
    return safe or "document"
