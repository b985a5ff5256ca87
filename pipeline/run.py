"""The parser: its rules and its stages, in the order they run: ingest → normalise → segment →
extract → resolve → link. Emit is separate (policyparse/emit.py): parsing never writes files.

    parser = Parser()                      # the bundled rules, loaded once
    parser = Parser(rules_dir="my-rules")  # another rule set (a copy of rules/, edited)
    doc = parser.parse("plan.txt")

`parse(path)` is the same over a default Parser, made the first time it is called."""
from __future__ import annotations

import functools
from pathlib import Path

import regex

from policyparse import rules as rule_files
from policyparse.extract import extract
from policyparse.ingest import ingest
from policyparse.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_CHARS, DEFAULT_MAX_PAGES
from policyparse.link import link
from policyparse.model import DOC_ID_CHARS, MAX_ID_BYTES, Document
from policyparse.normalise import normalise
from policyparse.provenance import place_targets
from policyparse.quality import assess
from policyparse.resolve import CONVENTIONS, resolve
from policyparse.segment import segment

STAGES = ("ingest", "normalise", "segment", "extract", "resolve", "link")


class Parser:
    """Owns one rule set and runs the stages over a document. Loading the rules reads and
    checks every rule file (RuleError names a broken one); what is derived from them (the
    compiled patterns, the jieba dictionary, the spaCy patterns) is built the first time a
    document needs it, once per parser."""

    stages = STAGES

    def __init__(self, rules_dir: str | Path | None = None):
        self.rules = rule_files.load(rules_dir or rule_files.RULES_DIR)
        for convention, _pattern in self.rules.legends:
            if convention not in CONVENTIONS:
                raise rule_files.RuleError(f"{self.rules.file('lead_markers.tsv')}: legend_{convention}: no such "
                                           f"convention (policyparse/resolve.py knows {sorted(CONVENTIONS)})")

    def __repr__(self) -> str:
        return f"Parser(rules={str(self.rules.folder)!r}, stages={' → '.join(self.stages)})"

    def parse(self, path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int = DEFAULT_MAX_CHARS,
              max_pages: int = DEFAULT_MAX_PAGES) -> Document:
        """Parse one plan document into the document model. Raises PolicyParseError subclasses."""
        rules = self.rules
        raw = ingest(path, max_bytes=max_bytes, max_chars=max_chars, max_pages=max_pages)
        normalised = normalise(raw.text)
        text = normalised.text
        seg = segment(text, rules, raw.tables)
        quantities, targets, target_findings = extract(text, seg, rules)
        targets = place_targets(targets, raw.provenance, normalised)
        responsibilities, resolve_findings = resolve(text, seg, rules)
        annex_rows, link_findings = link(text, seg.body_sections, seg.annex_rows, targets, responsibilities, rules)
        findings = tuple(sorted(seg.findings + target_findings + resolve_findings + link_findings,
                                key=lambda f: (f.start, f.end, f.code)))
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
            quality=assess(seg.header, seg.sections, seg.annexes, responsibilities, findings, rules),
            annexes=seg.annexes,
            annex_rows=annex_rows,
            quantities=quantities,
            targets=targets,
            responsibilities=responsibilities,
            findings=findings,
            pages=raw.pages,
        )


@functools.cache
def default_parser() -> Parser:
    """The parser over the bundled rules that `parse` uses, made on first use."""
    return Parser()


def parse(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int = DEFAULT_MAX_CHARS,
          max_pages: int = DEFAULT_MAX_PAGES) -> Document:
    """Parse one plan document with the bundled rules. Raises PolicyParseError subclasses."""
    return default_parser().parse(path, max_bytes=max_bytes, max_chars=max_chars, max_pages=max_pages)


def doc_id_for(path: str | Path) -> str:
    """The file name without extension, reduced to characters safe in any file name (no folder
    part, no leading dot) and cut to MAX_ID_BYTES."""
    safe = regex.sub(rf"[^{DOC_ID_CHARS}.-]+", "-", Path(path).stem).strip("-.")
    while len(safe.encode("utf-8")) > MAX_ID_BYTES:
        safe = safe[:-1].rstrip("-.")
    return safe or "document"
