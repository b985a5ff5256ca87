"""The document model: every record carries `start`/`end` offsets into `Document.text`.

Offsets are the truth. Any record's `text` (or named field) equals
`document.text[start:end]`, whatever format the document came in.

This module is the one place that defines each record of the dataset. Everything else is
derived from the dataclasses below, field by field, in their order:

- the dataset JSON (`Document.to_dict`, read back by `Document.from_dict`): a record's fields
  in order; a `Field` (a header value) as its value, with its span under `provenance`;
- the CSV, SQLite and Parquet tables (`TABLES`): the fields marked `csv`, the record's values
  first, then its provenance (offsets, pages, the other side of a finding); the SQL and Arrow
  type of each column from its annotation (`policyparse.schema`);
- the golden rows a person checks (`golden_columns` of each record);
- the field tables of docs/dataset.md (generated from each field's `doc`, checked by a test).

Closed vocabularies are StrEnums: a value outside them is refused when a dataset is read.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import MISSING, dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

import regex

SCHEMA_VERSION = "2.1"
# The characters of a doc_id (a regex class): it names `<doc_id>.json` in the output folder, so
# never a separator, never a leading dot. Kept under MAX_ID_BYTES so that any suffix still fits a file name.
DOC_ID_CHARS = r"\p{Han}A-Za-z0-9_"
MAX_ID_BYTES = 200
# What doc_id_for makes: letters, digits, Han, _ . - inside; never a path, never hidden.
_SAFE_ID = regex.compile(rf"[{DOC_ID_CHARS}](?:[{DOC_ID_CHARS}.-]*[{DOC_ID_CHARS}])?")


def is_safe_id(doc_id: object) -> bool:
    """Whether a doc_id names a file inside the output folder and nothing else."""
    return (isinstance(doc_id, str) and _SAFE_ID.fullmatch(doc_id) is not None
            and len(doc_id.encode("utf-8")) <= MAX_ID_BYTES)


# --- closed vocabularies -------------------------------------------------------------------

class Source(StrEnum):
    BODY = "body"
    ANNEX = "annex"


class Scope(StrEnum):
    SECTION = "section"  # a responsibility note in the body or an annex's prose
    ANNEX_ROW = "annex_row"  # the unit cells of an annex row


class Role(StrEnum):
    LEAD = "lead"
    SUPPORT = "support"
    UNSPECIFIED = "unspecified"


class RoleRule(StrEnum):
    """What decided a unit's role."""

    LABEL = "label"  # 牵头单位 / 配合单位 / 责任单位 in the note or the column header
    LEAD_MARK = "lead_mark"  # a `*` or （牵头） on a unit of the list
    LEGEND_FIRST = "legend_first"  # a legend says the first unit listed leads
    LEGEND_FIRST_COMMA = "legend_first_comma"  # a legend says the units before the note's first ， lead
    WORDS = "words"  # the note's own words: A牵头，B配合; A指导，B负责落实
    STANDING = "standing"  # a standing instruction: 以下均需各区政府落实，不再列出
    SINGLE = "single"  # the only unit
    UNMARKED = "unmarked"  # several units and nothing says who leads


class Kind(StrEnum):
    LEVEL = "level"
    INCREMENT = "increment"
    GROWTH_RATE = "growth_rate"
    SHARE = "share"
    CUMULATIVE = "cumulative"
    REDUCTION = "reduction"


class DocumentKind(StrEnum):
    """What a document is, as far as its title and structure tell (docs/annotation.md, "Kind of document")."""

    PLAN = "plan"
    MEASURES = "measures"
    OPINION = "opinion"
    RULES = "rules"
    NOTICE = "notice"
    QA = "qa"
    OTHER = "other"


class TableKind(StrEnum):
    TASK = "task"  # tasks with the units that carry them out
    INDICATOR = "indicator"  # an indicator system (指标体系): one target per row
    OTHER = "other"


class ColumnRole(StrEnum):
    """What an annex table column holds, by its header (rules/annex_columns.tsv)."""

    SEQ = "seq"
    MEASURE = "measure"
    TASK = "task"
    TARGET = "target"
    LEAD = "lead"
    RESPONSIBLE = "responsible"
    SUPPORT = "support"
    DEADLINE = "deadline"
    INDICATOR = "indicator"
    INDICATOR_UNIT = "indicator_unit"
    VALUE = "value"
    ATTRIBUTE = "attribute"
    OTHER = "other"


class QuantityRole(StrEnum):
    """What a quantity is to the plan (docs/annotation.md, "Every quantity, with its role")."""

    TARGET = "target"  # a level, increment, share or growth the plan commits to reach
    INCENTIVE = "incentive"  # money or a benefit offered: its amount, cap or rate
    ELIGIBILITY = "eligibility"  # a condition on who or what qualifies
    BASELINE = "baseline"  # a figure already reached, or of a past year
    PERIOD = "period"  # a duration or a frequency
    OTHER = "other"  # a count in a name, a quota of a service, a count that sums up a list …


class Comparator(StrEnum):
    AT_LEAST = ">="
    AT_MOST = "<="
    EQUAL = "="
    MORE_THAN = ">"
    LESS_THAN = "<"


class FindingCode(StrEnum):
    """What the parser noticed and did not settle. FINDING_CODES says what each means."""

    NO_TITLE = "no_title"
    NO_SECTIONS = "no_sections"
    ANNEX_WITHOUT_TABLE = "annex_without_table"
    ANNEX_HEADER_UNKNOWN = "annex_header_unknown"
    ANNEX_ROW_CELLS = "annex_row_cells"
    UNKNOWN_MEASURE_UNIT = "unknown_measure_unit"
    NO_LEAD_MARKED = "no_lead_marked"
    NO_LEAD_UNIT = "no_lead_unit"
    NO_UNITS = "no_units"
    UNKNOWN_UNIT = "unknown_unit"
    ANNEX_ROW_UNLINKED = "annex_row_unlinked"
    MEASURE_RENAMED = "measure_renamed"
    MEASURE_MISMATCH = "measure_mismatch"
    TARGET_ONLY_IN_ANNEX = "target_only_in_annex"
    TARGET_DIFFERS = "target_differs"
    LEAD_DIFFERS = "lead_differs"
    UNIT_ONLY_IN_ANNEX = "unit_only_in_annex"
    TARGET_ONLY_IN_BODY = "target_only_in_body"
    UNIT_ONLY_IN_BODY = "unit_only_in_body"
    MEASURE_NOT_IN_ANNEX = "measure_not_in_annex"
    NOTE_UNREAD = "note_unread"
    LEGEND_UNKNOWN = "legend_unknown"
    ANNEX_TABLE_UNKNOWN = "annex_table_unknown"


# code → (group, what it means); docs/dataset.md lists them from here.
FINDING_CODES: dict[FindingCode, tuple[str, str]] = {
    FindingCode.NO_TITLE: ("reading the document", "no plan title found"),
    FindingCode.NO_SECTIONS: ("reading the document", "no numbered headings (一、 / （一） / 1．) in the body"),
    FindingCode.ANNEX_WITHOUT_TABLE: ("reading the document", "an annex label with no table after it"),
    FindingCode.ANNEX_HEADER_UNKNOWN: ("reading the document", "an annex table whose header lacks a needed column"),
    FindingCode.ANNEX_ROW_CELLS: ("reading the document", "an annex row with more or fewer cells than its header"),
    FindingCode.UNKNOWN_MEASURE_UNIT: ("reading the document",
                                       "a quantity's unit that is not in `rules/units.tsv`: kept as written"),
    FindingCode.ANNEX_TABLE_UNKNOWN: ("reading the document", "an annex table none of whose header cells names a "
                                                              "column role: kept as rows of cells"),
    FindingCode.NOTE_UNREAD: ("who leads", "a bracket that reads like a responsibility note (units with 负责 / 牵头 "
                                           "/ 配合) but is not one the parser could read"),
    FindingCode.LEGEND_UNKNOWN: ("who leads", "a sentence that explains who leads (…为牵头单位) in a wording no "
                                              "legend_ row of `rules/lead_markers.tsv` knows: roles are not guessed"),
    FindingCode.NO_LEAD_MARKED: ("who leads", "several units and nothing says who leads"),
    FindingCode.NO_LEAD_UNIT: ("who leads", "units listed, none leads (only 配合单位)"),
    FindingCode.NO_UNITS: ("who leads", "a responsibility note or cell that names no unit"),
    FindingCode.UNKNOWN_UNIT: ("who leads", "a unit name not in `rules/unit_aliases.tsv`, once per name at its "
                                            "first mention; kept, never guessed"),
    FindingCode.ANNEX_ROW_UNLINKED: ("annex against body", "no body measure restates the annex row closely enough"),
    FindingCode.MEASURE_RENAMED: ("annex against body", "the 主要举措 cell, or a task that opens with its measure's "
                                                        "title, against the heading; the message names the "
                                                        "differing words: 梯次 ≠ 梯度"),
    FindingCode.MEASURE_MISMATCH: ("annex against body", "the row restates a measure under another heading than "
                                                         "the one its 主要举措 cell names"),
    FindingCode.TARGET_ONLY_IN_ANNEX: ("annex against body", "an annex target the linked body measure does not set"),
    FindingCode.TARGET_DIFFERS: ("annex against body", "the same value with another hedge, comparator or kind"),
    FindingCode.LEAD_DIFFERS: ("annex against body", "the annex row and its body measure name other lead units"),
    FindingCode.UNIT_ONLY_IN_ANNEX: ("annex against body", "a unit of the annex row the body note does not name"),
    FindingCode.TARGET_ONLY_IN_BODY: ("body against annex", "a body target none of its annex rows sets "
                                                            "(in `related_*` the annex rows of that measure)"),
    FindingCode.UNIT_ONLY_IN_BODY: ("body against annex", "a unit of the body note none of its annex rows names"),
    FindingCode.MEASURE_NOT_IN_ANNEX: ("body against annex", "a body measure no annex row restates"),
}


class Place(StrEnum):
    DOCUMENT = "document"
    PREAMBLE = "preamble"  # the body before its first heading
    SECTION = "section"
    ANNEX = "annex"
    ANNEX_ROWS = "annex_rows"


@dataclass(frozen=True)
class Location:
    """Where a finding points, as a structure; `str()` writes it as the dataset does (a section
    path, `preamble`, `annex`, `annex row 5`, `annex rows 38, 39`, or "" for the whole document)."""

    place: Place
    section_path: str | None = None
    annex_seqs: tuple[str, ...] = ()

    @classmethod
    def section(cls, path: str | None) -> Location:
        return cls(Place.SECTION, section_path=path) if path else cls(Place.PREAMBLE)

    @classmethod
    def rows(cls, *seqs: str) -> Location:
        return cls(Place.ANNEX_ROWS, annex_seqs=seqs)

    def __str__(self) -> str:
        if self.place is Place.SECTION:
            return self.section_path or ""
        if self.place is Place.ANNEX_ROWS:
            return ("annex row " if len(self.annex_seqs) == 1 else "annex rows ") + ", ".join(self.annex_seqs)
        return {Place.DOCUMENT: "", Place.PREAMBLE: "preamble", Place.ANNEX: "annex"}[self.place]

    @classmethod
    def parse(cls, text: str) -> Location:
        """The inverse of str()."""
        if text == "":
            return cls(Place.DOCUMENT)
        if text in ("preamble", "annex"):
            return cls(Place(text))
        for prefix in ("annex rows ", "annex row "):
            if text.startswith(prefix):
                return cls.rows(*text[len(prefix):].split(", "))
        return cls.section(text)


# --- how a field is described ----------------------------------------------------------------

def column(doc: str, default: Any = MISSING, *, csv: bool = True, provenance: bool = False,
           json: bool = True) -> Any:
    """A record field with its description (docs/dataset.md). `csv`: a column of the record's
    table; `provenance`: where the record stands (offsets, page) rather than what it says, listed
    after the values in a table; `json`: written into the dataset JSON (false for a value the
    JSON carries elsewhere)."""
    return field(default=default, metadata={"doc": doc, "csv": csv, "provenance": provenance, "json": json})


def offset(doc: str, default: Any = MISSING, *, csv: bool = True) -> Any:
    return column(doc, default, csv=csv, provenance=True)


class Record:
    """What the dataset makes of a record: its JSON object and its table row."""

    # The golden view (tests/golden): its columns, and the columns that identify a row.
    golden_columns: ClassVar[tuple[str, ...]] = ()
    golden_key: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def fields(cls) -> tuple[dataclasses.Field, ...]:
        return dataclasses.fields(cls)  # type: ignore[arg-type]

    @classmethod
    def json_fields(cls) -> list[str]:
        return [f.name for f in cls.fields() if f.metadata.get("json", True)]

    @classmethod
    def csv_columns(cls) -> list[str]:
        """The table's columns (doc_id aside): the values, then the provenance, each in field order."""
        kept = [f for f in cls.fields() if f.metadata.get("csv", True)]
        return ([f.name for f in kept if not f.metadata.get("provenance")]
                + [f.name for f in kept if f.metadata.get("provenance")])

    def to_dict(self) -> dict:
        return {name: to_json(getattr(self, name)) for name in self.json_fields()}

    @classmethod
    def make(cls, **values: Any) -> Any:
        """The record of `values`, the defaults filling the fields not given, made as `evolve` makes
        its copies, without __init__: an extractor makes a record for every number of a document."""
        record = object.__new__(cls)
        record.__dict__.update(_DEFAULTS.get(cls) or _defaults(cls), **values)
        return record

    def evolve(self, **changes: Any) -> Any:
        """A copy with some fields changed: dataclasses.replace without a call to __init__ (a
        fifth of the time; the stages change every target and row on the way)."""
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__, **changes)
        return copy

    @classmethod
    def from_dict(cls, data: Any, where: str = "") -> Any:
        return read_record(cls, data, where)


# --- the records -----------------------------------------------------------------------------

@dataclass(frozen=True)
class TableBlock:
    """A table found by an ingest backend: rows of cells, each cell a (start, end) span of the text."""

    rows: tuple[tuple[tuple[int, int], ...], ...]
    # (row, column) of each cell a merged cell above covers (a rowspan, Word's vMerge): it belongs to
    # the rows it spans. Only backends that see the merge say so; in a text file the cell is empty.
    covered: tuple[tuple[int, int], ...] = ()


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
    """One header value with where it stands: in the JSON its value, its span under `provenance`."""

    value: str
    start: int
    end: int


@dataclass(frozen=True, kw_only=True)
class Header(Record):
    issuer: Field | None = column("the first of `issuers`")
    issuers: tuple[Field, ...] = column(
        "the issuing bodies in printed order: the signature block (one name a line, or side by side), else a web "
        "page's metadata block (发文机关), else the title's own prefix (国务院办公厅关于…); a list (joined with 、 in "
        "documents.csv)", ())
    notice_title: Field | None = column("the cover notice's title (关于印发…的通知) when it transmits a document")
    title: Field | None = column("the document's own title, its lines joined (a transmitted document's title "
                                 "when there is a cover notice)")
    doc_number: Field | None = column("文号 as printed, or an order's name and number (广州市人民政府令第179号); "
                                      "null when none is printed")
    date: Field | None = column("ISO: the date under the signature, else a metadata block's 成文日期, else a "
                                "“X年X月X日印发” line (the span covers the date as written)")
    year: int | None = column("the plan's year: from the title, else the date")
    recipients: tuple[Field, ...] = column("主送, a list (joined with 、 in documents.csv)")
    cc: tuple[Field, ...] = column("抄送, a list (joined with 、 in documents.csv)")


@dataclass(frozen=True, kw_only=True)
class Section(Record):
    path: str = column("heading numbers as written without a trailing 、 or ．, joined by `/`: `二/（一）/1`; "
                       "a heading in an annex's prose under the annex's label: `附件2/第一部分/一`")
    level: int = column("1 一、, 2 （一）, 3 1． (the document's, or the annex's, outermost style is 1)")
    number: str = column("the heading number as written (`一`, `（一）`, `1`)")
    title: str = column("up to the first 。 (or ，；, a wide space); a letter-spaced title (总　　则) without "
                        "its spaces")
    start: int = offset("the heading")
    end: int = offset("the start of the next heading of the same or a higher level")
    title_start: int = offset("where the title is written", csv=False)
    title_end: int = offset("", csv=False)

    golden_columns = ("path", "level", "number", "title")
    golden_key = ("path",)


@dataclass(frozen=True, kw_only=True)
class AnnexRow(Record):
    seq: str = column("序号")
    measure: str = column("the 主要举措 cell as written, `\"\"` when empty")
    measure_filled: str = column("after fill-down (an empty cell continues the one above)")
    task: str = column("重点任务（指标）")
    units_raw: str = column("责任单位, or 牵头单位 when the table has separate columns")
    start: int = offset("the row")
    end: int = offset("")
    task_start: int = offset("the task cell", csv=False)
    task_end: int = offset("", csv=False)
    units_start: int = offset("the units cell", csv=False)
    units_end: int = offset("", csv=False)
    measure_start: int | None = offset("the 主要举措 cell; null when the table has no such column", None, csv=False)
    measure_end: int | None = offset("", None, csv=False)
    support_units_raw: str = column("a separate 配合单位 column, `\"\"` when the table has none", "")
    support_units_start: int | None = offset("null when it has none", None, csv=False)
    support_units_end: int | None = offset("", None, csv=False)
    link_section: str | None = column("the path of the body section the row restates, null when none matches",
                                      None)
    link_score: float | None = column(
        "0–1: the mean of the share of the row's character bigrams found in that section and the share of the "
        "row's target values (`value_base` and `base_unit`) the section has; the bigram share alone for a row "
        "without targets; a row under 0.3 is left unlinked", None)

    golden_columns = ("seq", "measure", "measure_filled", "task", "units_raw", "support_units_raw", "link_section")
    golden_key = ("seq",)


@dataclass(frozen=True, kw_only=True)
class Target(Record):
    # Where the target stands in the document: set by the extract stage (the extractor reads a region).
    target_id: str = column("`T0001`… in document order", "")
    source: Source = column("`body` or `annex`", Source.BODY)
    section_path: str | None = column("the innermost section (of the body, or of an annex's prose: `附件2/一`)", None)
    annex_seq: str | None = column("the row of the annex task table; null elsewhere", None)
    text: str = column("the clause piece")
    indicator: str | None = column("what the number measures, in the document's words")
    action: str | None = column("the action verb, null when none")
    value: Decimal = column("as written; the low end of a range")
    value_low: Decimal = column("the same")
    value_high: Decimal = column("the high end of a range, else the same as `value`")
    unit: str = column("as written, magnitude included: 亿元, 万名, %, 成")
    value_base: Decimal = column("in `base_unit`: 2200亿元 → 220000000000 元; percentages stay in %; 三成 → 30 %")
    value_base_high: Decimal = column("the high end in `base_unit`")
    base_unit: str = column("for a unit not in rules/units.tsv, the unit as written, with an `unknown_unit` finding")
    comparator: Comparator = column("`>=`, `<=`, `=`, `>`")
    approximate: bool = column("约, 左右 …")
    kind: Kind = column("`level`, `increment`, `growth_rate`, `share`, `cumulative`, `reduction`")
    hedged: bool = column("true under 力争/争取/争创")
    modality: str | None = column("the hedge or firmness word: 力争, 确保 …, or null")
    year: int | None = column("the year the target is for")
    deadline: str | None = column("ISO date `2024-06-30` or quarter `2024-Q3`, or null")
    quantity_id: str = column("the quantity the target is read from (`quantities`, role `target`)", "")
    start: int = offset("the piece")
    end: int = offset("")
    indicator_start: int | None = offset("where the indicator is written; for an indicator carried over from an "
                                         "earlier clause, where it was written there")
    indicator_end: int | None = offset("")
    page: int | None = offset("PDF: the 1-based page the target's text starts on; null for other formats", None)
    bbox: tuple[float, float, float, float] | None = offset(
        "JSON only; PDF: `[x0, top, x1, bottom]` in points from the page's top-left corner, the box of the target's "
        "text on that page, whole lines between its first and last character's line; null otherwise", None,
        csv=False)
    # Where the number and its unit are written (not in the dataset yet: compare=False, so a
    # dataset read back equals the document it was written from).
    number_start: int | None = field(default=None, compare=False, metadata={"json": False, "csv": False, "doc": ""})
    number_end: int | None = field(default=None, compare=False, metadata={"json": False, "csv": False, "doc": ""})

    golden_columns = ("source", "where", "text", "indicator", "action", "value", "value_high", "unit", "value_base",
                      "base_unit", "comparator", "approximate", "kind", "hedged", "modality", "year", "deadline")
    golden_key = ("source", "where", "text", "value", "unit")

    @property
    def where(self) -> str | None:
        """The annex row's 序号 of a target in an annex's task table, else its section path."""
        return self.section_path if self.annex_seq is None else self.annex_seq


@dataclass(frozen=True, kw_only=True)
class Quantity(Record):
    """Every number with its unit that the parser reads, and what it is to the plan."""

    quantity_id: str = column("`Q0001`… in reading order: the body, the annex task rows, the annexes' prose", "")
    source: Source = column("`body` or `annex`", Source.BODY)
    section_path: str | None = column("the innermost section (of the body, or of an annex's prose: `附件2/一`)", None)
    annex_seq: str | None = column("the row of the annex task table; null elsewhere", None)
    role: QuantityRole = column("`target`, `incentive`, `eligibility`, `baseline`, `period`, `other`")
    role_rule: str = column("the rule that decided the role: a `rule_id` of rules/quantity_roles.tsv (`default` "
                            "when none applies), of rules/non_targets.tsv or of rules/role_scopes.tsv, or `names:` "
                            "and a pattern id of rules/names.jsonl")
    text: str = column("the clause around it (up to ，；。：); for a target, the target's clause piece")
    written: str = column("the number and its unit as written: 两万平方米, 50万元, 30%, 18至45周岁")
    value: Decimal = column("as written; the low end of a range")
    value_high: Decimal = column("the high end of a range, else the same as `value`")
    unit: str = column("as written, magnitude included: 亿元, 万名, %, 成")
    value_base: Decimal = column("in `base_unit` (as for targets)")
    value_base_high: Decimal = column("the high end in `base_unit`")
    base_unit: str = column("元, 家, %, 月 …; for a unit not in rules/units.tsv, the unit as written")
    comparator: Comparator = column("what is written with the number: `>=` (以上, 不少于, 超), `<=` (以下, 不超过, "
                                    "最高), `>` (余, 多), else `=`; a target's own comparator")
    approximate: bool = column("约, 左右 …")
    subject: str | None = column("what the number is about, in the document's words: a target's indicator, the "
                                 "benefit of an incentive (一次性奖励), the measured thing of a condition; null "
                                 "when the clause names none")
    cap: bool | None = column("an incentive: true when the amount is a ceiling (最高, 不超过, 上限); null for other "
                              "roles", None)
    rate: bool | None = column("an incentive: true when it is a share of a base (按投资额的30%, 给予50%贴息, 8折); "
                               "null for other roles", None)
    recipient: str | None = column("an incentive: who receives it, where the sentence says (对入选项目给予… → "
                                   "入选项目); null otherwise", None)
    start: int = offset("the clause")
    end: int = offset("")
    number_start: int = offset("where the number is written (`written`)")
    number_end: int = offset("")
    subject_start: int | None = offset("where the subject is written (a target's indicator carried over from an "
                                       "earlier clause: where it was written there)")
    subject_end: int | None = offset("")


@dataclass(frozen=True, kw_only=True)
class Responsibility(Record):
    scope: Scope = column("`section` for a note in the body or an annex's prose, `annex_row` for the unit cells of "
                          "a row")
    section_path: str | None = column("the note's section")
    annex_seq: str | None = column("the row's 序号")
    unit: str = column("as written, without the lead mark and without 等相关单位")
    unit_full: str | None = column(
        "the full name from `rules/unit_aliases.tsv`, qualified by the issuer's jurisdiction: 市经信局 in a notice "
        "of 乐清市人民政府 → 乐清市经济和信息化局; with no issuer to take the jurisdiction from, the name is "
        "spelled out without it: 区经信局 → 区经济和信息化局; null when the table does not know the name, which "
        "is then reported, or when the name is generic", None)
    generic: bool = column("true for a name that stands for a class of bodies: 有关执法部门, 各乡镇（街道）", False)
    role: Role = column("`lead`, `support`, `unspecified`")
    role_rule: RoleRule | None = column(
        "what decided the role: `label` — 牵头单位 / 配合单位 / 责任单位 in the note or the column header; "
        "`words` — the note's own words (A牵头，B配合; A指导，B负责落实); `lead_mark` — a `*` (after or before "
        "the name) or （牵头） on a unit of the list; `legend_first` — a legend says the first unit listed leads; "
        "`legend_first_comma` — a legend says the units before the note's first ， lead; `standing` — a standing "
        "instruction names it; `single` — the only unit; `unmarked` — several units and nothing says who leads",
        None)
    position: int = column("1-based in the note or row, across its labelled lists")
    raw: str = column("the item as written, mark included")
    open_list: bool = column("the item's list ends with 等 / 等相关单位")
    standing: bool = column("a unit a standing instruction names for every later measure (以下均需各区政府落实，"
                            "不再列出): written once, where the instruction stands", False)
    start: int = offset("the raw item")
    end: int = offset("")
    note_start: int | None = offset("the whole note the unit belongs to, brackets included (a body note), or the "
                                    "row's unit cells (an annex row): a note compares as a unit", None)
    note_end: int | None = offset("", None)

    golden_columns = ("scope", "where", "position", "unit", "role", "raw", "open_list", "unit_full", "generic")
    golden_key = ("scope", "where", "position")

    @property
    def where(self) -> str | None:
        """The section path of a body note, the annex row's 序号 of a row."""
        return self.section_path if self.scope == Scope.SECTION else self.annex_seq


@dataclass(frozen=True, kw_only=True)
class Cell(Record):
    """One cell of an annex table: its text with its span. A cell merged over several rows (rowspan) is
    written in every row it spans, with the span of where it is printed."""

    text: str = column("as printed (a line break inside the cell kept)")
    start: int = offset("")
    end: int = offset("")

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Cell:
        """A cell, made without the frozen dataclass's __init__ (a table has hundreds)."""
        cell = object.__new__(cls)
        cell.__dict__.update(text=text, start=start, end=end)
        return cell


@dataclass(frozen=True, kw_only=True)
class AnnexTable(Record):
    kind: TableKind = column("`task` (a task or target column and a unit column), `indicator` (an indicator "
                             "column), `other`")
    columns: tuple[ColumnRole, ...] = column("each column's role, in column order (rules/annex_columns.tsv)")
    header_rows: tuple[tuple[Cell, ...], ...] = column("the header row, or two when the header is printed over "
                                                       "two rows")
    rows: tuple[tuple[Cell, ...], ...] = column("the data rows, a cell merged over rows written in each; a table "
                                                "continued across pages is one table")
    start: int = offset("the table")
    end: int = offset("")


@dataclass(frozen=True, kw_only=True)
class Annex(Record):
    label: str = column("as printed, without the colon: 附件, 附件1")
    title: str | None = column("printed on the 附件 line after the colon, or else on the next line; null when none")
    tables: tuple[AnnexTable, ...] = column("its tables, in order (below)", (), csv=False)
    start: int = offset("the 附件 line")
    end: int = offset("the start of the next annex, or the end of the text")
    title_start: int | None = offset("where the title is printed", None)
    title_end: int | None = offset("", None)


@dataclass(frozen=True, kw_only=True)
class Quality(Record):
    """What a reader of many documents checks first: what was found and what was left unread."""

    kind: DocumentKind = column("`plan`, `measures`, `opinion`, `rules`, `notice`, `qa`, `other`: by the title "
                                "(a cover notice takes the kind of what it transmits) and the structure")
    header_found: tuple[str, ...] = column("the header fields found: title, issuers, doc_number, date, recipients")
    sections: int = column("headings read")
    notes_read: int = column("responsibility notes read")
    notes_unread: int = column("phrases that read like a note (units with 负责 / 牵头 / 配合, a 责任单位 label) "
                               "that were not read as one (each also a `note_unread` finding)")
    annex_tables: int = column("tables in the annexes")
    annex_tables_understood: int = column("of those, tables whose columns were understood (kind task or indicator)")
    check: tuple[str, ...] = column("why a reader should look at this document first: `no title`, `no issuer`, "
                                    "`no date`, `notes unread`, `annex table not understood`, `no sections`; "
                                    "empty when nothing stands out")


@dataclass(frozen=True, kw_only=True)
class Finding(Record):
    code: FindingCode = column("what was noticed (the codes are listed below)")
    message: str = column("one readable line that names both sides")
    where: Location = column("a section path, `annex row N`, `annex`, `preamble`")
    start: int = offset("what the finding points at")
    end: int = offset("")
    # The other side of a disagreement (the body measure an annex row contradicts), when there is one.
    related_where: Location | None = offset("the other side of a disagreement, null otherwise", None)
    related_start: int | None = offset("where the other side is written", None)
    related_end: int | None = offset("", None)

    golden_columns = ("code", "where", "text", "related_where")
    golden_key = ("code", "where", "text")


@dataclass(frozen=True, kw_only=True)
class TargetRef(Record):
    target_id: str = column("the target's id")
    text: str = column("its clause piece")


@dataclass(frozen=True, kw_only=True)
class UnitTask(Record):
    role: Role = column("the unit's role in this task")
    scope: Scope = column("`section` or `annex_row`")
    section_path: str | None = column("the note's section; for an annex row, the section it is linked to")
    annex_seq: str | None = column("the annex row")
    task: str = column("the section title, or the annex row's task cell")
    targets: tuple[TargetRef, ...] = column("the task's targets: the annex row's, or the section's and its "
                                            "sub-sections'")
    raw: str = column("the unit as written there")
    start: int = offset("where it is written")
    end: int = offset("")


@dataclass(frozen=True, kw_only=True)
class UnitEntry(Record):
    unit: str = column("the full name; as written when unknown or generic")
    unit_full: str | None = column("the full name, null when unknown")
    generic: bool = column("a class of bodies")
    written_as: tuple[str, ...] = column("the names the document uses for it")
    lead: int = column("how many tasks it leads")
    support: int = column("how many it supports")
    unspecified: int = column("how many with an unspecified role")
    tasks: tuple[UnitTask, ...] = column("lead first, then support, then unspecified, each in document order")


@dataclass(frozen=True, kw_only=True)
class UnitTaskRow(Record):
    """A row of by_unit.csv: one unit and one of its tasks."""

    unit: str = column("the unit (the full name; as written when unknown or generic)")
    unit_full: str | None = column("the full name, null when unknown")
    generic: bool = column("a class of bodies")
    role: Role = column("its role in the task")
    scope: Scope = column("`section` or `annex_row`")
    section_path: str | None = column("the section")
    annex_seq: str | None = column("the annex row")
    task: str = column("the section title or the task cell")
    targets: str = column("the targets' texts joined with `；`")
    target_ids: str = column("joined with a space; the keys of targets.csv")
    raw: str = column("the unit as written there")
    start: int = offset("where it is written")
    end: int = offset("")


@dataclass(frozen=True, kw_only=True)
class Document(Record):
    doc_id: str = column("the file name without extension, made safe (see above)")
    source: str = column("the path as given")
    sha256: str = column("of the file's bytes")
    format: str = column("the file's extension: `txt`, `docx`, `pdf`, `html`, `doc`, `wps` …")
    encoding: str | None = column("of a text file or web page: `utf-8`, `utf-8-sig`, `utf-16`, `gb18030`; null for "
                                  "DOCX, PDF, DOC, WPS")
    pages: int | None = column("a PDF's page count; null for formats without fixed pages", None)
    header: Header = column("the header fields, written in place (issuer … cc)")
    annex_title: Field | None = column("the title line of the annex that holds the task table", None, csv=False)
    quality: Quality | None = column("what was found and what was left unread (quality.csv)", None, csv=False)
    text: str = column("the normalised text every offset counts into", csv=False)
    sections: tuple[Section, ...] = column("the headings (below)", (), csv=False)
    annexes: tuple[Annex, ...] = column("the annexes, each with its tables (below)", (), csv=False)
    annex_rows: tuple[AnnexRow, ...] = column("the rows of the plan's task table (below)", (), csv=False)
    quantities: tuple[Quantity, ...] = column("every quantity with its role (below)", (), csv=False)
    targets: tuple[Target, ...] = column("the targets (below): the quantities of role `target`, read in full", (),
                                         csv=False)
    responsibilities: tuple[Responsibility, ...] = column("the units of the notes and annex rows (below)", (),
                                                          csv=False)
    findings: tuple[Finding, ...] = column("what the parser noticed (below)", (), csv=False)

    # The dataset's record lists, in the order the JSON and the tables hold them.
    RECORDS: ClassVar[dict[str, type[Record]]] = {}

    def by_unit(self) -> list[UnitEntry]:
        from policyparse.by_unit import by_unit

        return by_unit(self)

    def to_dict(self) -> dict:
        """The dataset record of the document (what DIR/<doc_id>.json holds)."""
        document: dict[str, Any] = {}
        provenance: dict[str, Any] = {}
        for f in self.fields():
            if f.name in Document.RECORDS or f.name == "text":
                continue
            value = getattr(self, f.name)
            if f.name == "header":
                for h in Header.fields():
                    document[h.name] = to_json(getattr(value, h.name))
                    if _holds_fields(h):
                        provenance[h.name] = _spans(getattr(value, h.name))
                continue
            if _holds_fields(f):
                provenance[f.name] = _spans(value)
                document["provenance"] = provenance
            document[f.name] = to_json(value)
        document["text"] = self.text
        return {
            "schema_version": SCHEMA_VERSION,
            "document": document,
            **{name: [r.to_dict() for r in getattr(self, name)] for name in Document.RECORDS},
            "by_unit": [u.to_dict() for u in self.by_unit()],
        }

    @classmethod
    def from_dict(cls, data: Any, where: str = "") -> Document:
        """A dataset record (a JSON file `parse` wrote) read back into the model. Raises
        DatasetError naming the first field that is not as the dataset contract says."""
        if not isinstance(data, dict):
            raise DatasetError("", "not a JSON object")
        if data.get("schema_version") != SCHEMA_VERSION:
            raise DatasetError("schema_version", f"{data.get('schema_version')!r}, this policyparse reads "
                                                 f"{SCHEMA_VERSION!r}")
        document = data.get("document")
        if not isinstance(document, dict):
            raise DatasetError("document", "not an object")
        provenance = document.get("provenance")
        if not isinstance(provenance, dict):
            raise DatasetError("document.provenance", "not an object")

        def field_value(name: str, annotation: Any, where: str) -> Any:
            if name not in document:
                raise DatasetError(where, "missing")
            value = document[name]
            if _holds_fields_type(annotation):
                spans = provenance.get(name)
                if isinstance(value, list):
                    if not isinstance(spans, list) or len(spans) != len(value):
                        raise DatasetError(f"document.provenance.{name}", "not one span per item")
                    value = [None if v is None else {"value": v, "span": s} for v, s in zip(value, spans)]
                elif value is not None:
                    value = {"value": value, "span": spans}
            return read_value(annotation, value, where)

        if not is_safe_id(document.get("doc_id")):
            raise DatasetError("document.doc_id", f"{document.get('doc_id')!r} is not a document id policyparse makes")
        hints = _hints(Header)
        header = Header(**{h.name: field_value(h.name, hints[h.name], f"document.{h.name}") for h in Header.fields()})
        values: dict[str, Any] = {"header": header}
        hints = _hints(Document)
        for f in cls.fields():
            if f.name == "header":
                continue
            if f.name in Document.RECORDS:
                values[f.name] = read_value(hints[f.name], data.get(f.name), f.name)
            else:
                values[f.name] = field_value(f.name, hints[f.name], f"document.{f.name}")
        return cls(**values)


Document.RECORDS.update(sections=Section, annexes=Annex, annex_rows=AnnexRow, quantities=Quantity,
                        targets=Target,
                        responsibilities=Responsibility, findings=Finding)

# The combined tables of the dataset, in order: name → the record each row describes.
TABLES: dict[str, type[Record]] = {"documents": Document, **Document.RECORDS, "by_unit": UnitTaskRow,
                                   "quality": Quality}


def table_columns(name: str) -> list[str]:
    """The columns of a combined table: doc_id first, then the record's (the documents table has the
    document's own columns and the header's in place of `header`)."""
    if name == "documents":
        columns = []
        for c in Document.csv_columns():
            columns += [h.name for h in Header.fields()] if c == "header" else [c]
        return columns
    return ["doc_id", *TABLES[name].csv_columns()]


# --- to and from JSON ------------------------------------------------------------------------

class DatasetError(ValueError):
    """A dataset JSON that is not as the contract says: `field` names where (targets[3].value)."""

    def __init__(self, field_path: str, reason: str):
        super().__init__(f"{field_path}: {reason}" if field_path else reason)
        self.field = field_path
        self.reason = reason


def to_json(value: Any) -> Any:
    """A model value as the dataset JSON holds it: numbers as numbers (an int when whole), enums
    and locations as their text, a Field as its value, tuples as lists."""
    if value is None or value.__class__ in (str, int, float, bool):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, Location):
        return str(value)
    if isinstance(value, Field):
        return value.value
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, (tuple, list)):
        return [to_json(v) for v in value]
    return value


def _holds_fields(f: dataclasses.Field) -> bool:
    return _holds_fields_type(_hints(_owner(f))[f.name])


def _owner(f: dataclasses.Field) -> type:
    for cls in (Header, Document):
        if f.name in cls.__dataclass_fields__ and cls.__dataclass_fields__[f.name] is f:
            return cls
    raise KeyError(f.name)


def _holds_fields_type(annotation: Any) -> bool:
    return Field in _args(annotation) or any(Field in _args(a) for a in _args(annotation))


def _spans(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_spans(v) for v in value]
    return None if value is None else [value.start, value.end]


_DEFAULTS: dict[type, dict[str, Any]] = {}


def _defaults(cls: type) -> dict[str, Any]:
    """The default value of each field of a record that has one."""
    if cls not in _DEFAULTS:
        _DEFAULTS[cls] = {f.name: f.default for f in dataclasses.fields(cls) if f.default is not MISSING}
    return _DEFAULTS[cls]


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _args(annotation: Any) -> tuple:
    return typing.get_args(annotation)


def field_type(cls: type, name: str) -> Any:
    """The annotation of a record's field, with a nullable X | None reduced to X."""
    annotation = _hints(cls)[name]
    args = [a for a in _args(annotation) if a is not type(None)] if _is_union(annotation) else [annotation]
    return args[0] if len(args) == 1 else annotation


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def read_record(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise DatasetError(where, "not an object")
    hints = _hints(cls)
    values = {}
    for f in cls.fields():  # type: ignore[attr-defined]
        if not f.metadata.get("json", True):
            continue
        path = f"{where}.{f.name}" if where else f.name
        if f.name not in data:
            if f.default is not MISSING:
                continue
            raise DatasetError(path, "missing")
        values[f.name] = read_value(hints[f.name], data[f.name], path)
    return cls(**values)


def read_value(annotation: Any, value: Any, where: str) -> Any:
    """A JSON value as the model's type `annotation`, checked; DatasetError names `where` when it is not."""
    if _is_union(annotation):
        args = [a for a in _args(annotation) if a is not type(None)]
        if value is None:
            if type(None) in _args(annotation):
                return None
            raise DatasetError(where, "null where a value is needed")
        annotation = args[0] if len(args) == 1 else annotation
    origin = typing.get_origin(annotation)
    if origin is tuple:
        if not isinstance(value, list):
            raise DatasetError(where, f"expected a list, got {_kind(value)}")
        items = _args(annotation)
        if len(items) == 2 and items[1] is Ellipsis:
            return tuple(read_value(items[0], v, f"{where}[{i}]") for i, v in enumerate(value))
        if len(items) != len(value):
            raise DatasetError(where, f"expected {len(items)} items, got {len(value)}")
        return tuple(read_value(a, v, f"{where}[{i}]") for i, (a, v) in enumerate(zip(items, value)))
    if annotation is Field:
        if not isinstance(value, dict):
            raise DatasetError(where, f"expected text, got {_kind(value)}")
        span = value["span"]
        if (not isinstance(span, list) or len(span) != 2 or not all(isinstance(s, int) and s.__class__ is not bool
                                                                   for s in span)):
            raise DatasetError(where.replace("document.", "document.provenance.", 1), "expected [start, end]")
        return Field(read_value(str, value["value"], where), span[0], span[1])
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return annotation.from_dict(value, where)
    if annotation is Location:
        return Location.parse(read_value(str, value, where))
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        try:
            return annotation(value)
        except ValueError:
            raise DatasetError(where, f"{value!r} is not one of {[m.value for m in annotation]}") from None
    if annotation is Decimal:
        if value.__class__ is int:
            return Decimal(value)
        if value.__class__ is float:
            return Decimal(repr(value))
        raise DatasetError(where, f"expected a number, got {_kind(value)}")
    if annotation is float:
        if value.__class__ in (int, float):
            return float(value)
        raise DatasetError(where, f"expected a number, got {_kind(value)}")
    if annotation in (str, int, bool):
        if value.__class__ is not annotation:
            raise DatasetError(where, f"expected {_NAMES[annotation]}, got {_kind(value)}")
        return value
    raise TypeError(f"no reader for {annotation!r}")


_NAMES = {str: "text", int: "a whole number", bool: "true or false"}


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true or false", int: "a number", float: "a number",
            type(None): "null"}.get(value.__class__, type(value).__name__)
