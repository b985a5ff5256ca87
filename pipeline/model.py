"""The document model: every record carries `start`/`end` offsets into `Document.text`.

Offsets are the truth. Any record's `text` (or named field) equals
`document.text[start:end]`, whatever format the document came in.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

SCHEMA_VERSION = "1.0"
# The characters of a doc_id (a regex class): it names `<doc_id>.json` in the output folder, so
# never a separator, never a leading dot. Kept under MAX_ID_BYTES so that any suffix still fits a file name.
DOC_ID_CHARS = r"\p{Han}A-Za-z0-9_"
MAX_ID_BYTES = 200


@dataclass(frozen=True)
class TableBlock:
    """A table found by an ingest backend: rows of cells, each cell a (start, end) span of the text."""

    rows: tuple[tuple[tuple[int, int], ...], ...]


@dataclass(frozen=True)
class PageSpan:
    """Where a stretch of the text is printed: text[start:end] stands on one line of page `page`
    (1-based), between `top` and `bottom`; `xs` holds the x of each character boundary
    (end - start + 1 values). Units are PDF points from the page's top-left corner."""

    start: int
    end: int
    page: int
    top: float
    bottom: float
    xs: tuple[float, ...]


@dataclass(frozen=True)
class RawDocument:
    """What ingest hands on: decoded text plus what the file itself told us."""

    source: str
    format: str
    encoding: str | None  # None where the format has no text encoding of its own (PDF)
    sha256: str
    text: str
    tables: tuple[TableBlock, ...] = ()
    provenance: tuple[PageSpan, ...] = ()  # ascending, for formats with pages (PDF)
    pages: int | None = None


@dataclass(frozen=True)
class Field:
    """One header value with where it stands."""

    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Header:
    issuer: Field | None
    notice_title: Field | None
    title: Field | None
    doc_number: Field | None
    date: Field | None  # value is the ISO date; start/end cover the date as written
    recipients: tuple[Field, ...]
    cc: tuple[Field, ...]
    year: int | None


@dataclass(frozen=True)
class Section:
    path: str
    level: int
    number: str
    title: str
    start: int
    end: int
    title_start: int
    title_end: int


@dataclass(frozen=True)
class AnnexRow:
    seq: str
    measure: str
    measure_filled: str
    task: str
    units_raw: str
    start: int
    end: int
    task_start: int
    task_end: int
    units_start: int
    units_end: int
    # Where the 主要举措 cell stands (None when the table has no such column).
    measure_start: int | None = None
    measure_end: int | None = None
    # A separate 配合单位 column, when the table has one ("" and None otherwise).
    support_units_raw: str = ""
    support_units_start: int | None = None
    support_units_end: int | None = None
    # The body section this row restates (pipeline/link.py), and how well it matches (0–1).
    link_section: str | None = None
    link_score: float | None = None


@dataclass(frozen=True)
class Target:
    target_id: str
    source: str  # "body" or "annex"
    section_path: str | None
    annex_seq: str | None
    text: str
    indicator: str | None
    indicator_start: int | None
    indicator_end: int | None
    action: str | None
    value: Decimal  # the low end of a range
    value_low: Decimal
    value_high: Decimal  # the same as value_low unless a range ("8%—10%")
    unit: str
    value_base: Decimal
    value_base_high: Decimal
    base_unit: str
    comparator: str
    approximate: bool  # 约, 左右 …
    kind: str
    hedged: bool
    modality: str | None
    year: int | None
    deadline: str | None
    start: int
    end: int
    page: int | None = None  # where the target starts, for formats with pages
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom on that page


@dataclass(frozen=True)
class Responsibility:
    scope: str  # "section" or "annex_row"
    section_path: str | None
    annex_seq: str | None
    unit: str
    role: str  # "lead", "support", "unspecified"
    position: int
    raw: str
    open_list: bool
    start: int
    end: int
    unit_full: str | None = None  # the full name, qualified by the issuer's jurisdiction; None when unknown
    generic: bool = False  # a class of bodies (有关执法部门, 各乡镇（街道）), not one named unit
    role_rule: str | None = None  # what decided the role: lead_mark, label, legend_first, single, unmarked


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    where: str
    start: int
    end: int
    # The other side of a disagreement (the body measure an annex row contradicts), when there is one.
    related_where: str | None = None
    related_start: int | None = None
    related_end: int | None = None


@dataclass(frozen=True)
class Document:
    doc_id: str
    source: str
    format: str
    encoding: str | None
    sha256: str
    text: str
    header: Header
    sections: tuple[Section, ...] = ()
    annex_title: Field | None = None
    annex_rows: tuple[AnnexRow, ...] = ()
    targets: tuple[Target, ...] = ()
    responsibilities: tuple[Responsibility, ...] = ()
    findings: tuple[Finding, ...] = field(default=())
    pages: int | None = None
