"""The pipeline, in the order it runs: ingest → normalise → segment → extract → resolve → link.
Emit is separate (pipeline/emit.py): parsing never writes files."""
from __future__ import annotations

from pathlib import Path

import regex

from policyparse.extract import extract
from policyparse.ingest import ingest
from policyparse.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_CHARS, DEFAULT_MAX_PAGES
from policyparse.link import link
from policyparse.model import DOC_ID_CHARS, MAX_ID_BYTES, Document
from policyparse.normalise import normalise
from policyparse.provenance import place_targets
from policyparse.resolve import resolve
from policyparse.segment import segment


def parse(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int = DEFAULT_MAX_CHARS,
          max_pages: int = DEFAULT_MAX_PAGES) -> Document:
    """Parse one plan document into the document model. Raises PolicyParseError subclasses."""
    raw = ingest(path, max_bytes=max_bytes, max_chars=max_chars, max_pages=max_pages)
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
    """The file name without extension, reduced to characters safe in any file name (no folder
    part, no leading dot) and cut to MAX_ID_BYTES."""
    safe = regex.sub(rf"[^{DOC_ID_CHARS}.-]+", "-", Path(path).stem).strip("-.")
    while len(safe.encode("utf-8")) > MAX_ID_BYTES:
        safe = safe[:-1].rstrip("-.")
    return safe or "document"
