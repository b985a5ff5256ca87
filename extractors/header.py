"""The notice header: issuer, notice title, plan title, 文号, signing date, recipients (主送)
and the 抄送 list, each with its offsets, and where the plan's body starts and ends. Line
patterns live in rules/header.tsv.

The header is read in ordered steps (STEPS), each a small function that takes what the steps
before it found (a partial reading) and returns it with its own part added."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import regex

from policyparse.extractors.numerals import parse_chinese
from policyparse.model import Field, Header
from policyparse.rules import Rules

Span = tuple[int, int]


@dataclass(frozen=True)
class HeaderReading:
    header: Header
    body_start: int  # where the plan's own text begins (after the plan title line)
    annex_label: Span | None  # the line "附件" that opens the annex
    body_end: int  # where the plan body stops (the 附件 reference, the annex or 抄送)


def lines(text: str) -> list[Span]:
    """(start, end) of every line, trimmed of surrounding white space; blank lines kept as empty spans."""
    spans = []
    pos = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        while start < end and raw[start - pos].isspace():
            start += 1
        while end > start and raw[end - pos - 1].isspace():
            end -= 1
        spans.append((start, end))
        pos += len(raw) + 1
    return spans


@dataclass(frozen=True)
class _Lines:
    """The text's non-blank lines and the header patterns to read them by."""

    text: str
    spans: list[Span]
    patterns: dict[str, regex.Pattern]

    def __getitem__(self, i: int) -> str:
        start, end = self.spans[i]
        return self.text[start:end]

    def field(self, i: int) -> Field:
        start, end = self.spans[i]
        return Field(self.text[start:end], start, end)

    def first(self, pattern: str, after: int = 0) -> int | None:
        """The index of the first line that starts at or after offset `after` and matches."""
        return next((i for i, s in enumerate(self.spans) if s[0] >= after and self.patterns[pattern].search(self[i])),
                    None)


@dataclass(frozen=True)
class _Partial:
    """What the steps have read so far."""

    notice: int | None = None  # the line of the notice title (关于印发…的通知)
    plan: int | None = None  # the line of the plan title
    issuer: Field | None = None
    notice_title: Field | None = None
    title: Field | None = None
    recipients_line: int | None = None
    date: Field | None = None
    body_start: int = 0
    doc_number: Field | None = None
    recipients: tuple[Field, ...] = ()
    cc: tuple[Field, ...] = ()
    cc_line: int | None = None
    annex_label: Span | None = None
    body_end: int = 0
    year: int | None = None


def _notice(lines: _Lines, r: _Partial) -> _Partial:
    """The notice title, and the issuer on the first line above it."""
    notice = lines.first("notice_title")
    if notice is None:
        return r
    return dataclasses.replace(r, notice=notice, notice_title=lines.field(notice),
                               issuer=lines.field(0) if notice > 0 else None)


def _plan_title(lines: _Lines, r: _Partial) -> _Partial:
    """The plan's title: the line under the notice that repeats the 《title》 the notice names
    (or, when no line does, that name inside the notice title); without a notice, the first line."""
    if r.notice is None:
        return dataclasses.replace(r, plan=0, title=lines.field(0)) if lines.spans else r
    inner = lines.patterns["plan_title_in_notice"].search(lines[r.notice])
    if not inner:
        return r
    wanted = inner.group("value")
    plan = next((i for i in range(r.notice + 1, len(lines.spans)) if lines[i] == wanted), None)
    if plan is not None:
        return dataclasses.replace(r, plan=plan, title=lines.field(plan))
    start = lines.spans[r.notice][0] + inner.start("value")
    return dataclasses.replace(r, title=Field(wanted, start, start + len(wanted)))


def _notice_block(lines: _Lines, r: _Partial) -> _Partial:
    """Between the notice title and the plan title: the recipients line and the signing date."""
    if r.notice is None:
        return r
    recipients_line = date = None
    for i in range(r.notice + 1, r.plan if r.plan is not None else len(lines.spans)):
        if recipients_line is None and lines.patterns["recipients"].search(lines[i]):
            recipients_line = i
        if date is None:
            date = _date(lines, i)
    return dataclasses.replace(r, recipients_line=recipients_line, date=date)


def _body_start(lines: _Lines, r: _Partial) -> _Partial:
    """The body starts after the plan title line (or the notice title when no plan line repeats it)."""
    anchor = r.plan if r.plan is not None else r.notice
    return dataclasses.replace(r, body_start=lines.spans[anchor][1] if anchor is not None else 0)


def _doc_number(lines: _Lines, r: _Partial) -> _Partial:
    """The first 文号 above the body."""
    for i, (start, _end) in enumerate(lines.spans):
        if start >= r.body_start:
            break
        m = lines.patterns["doc_number"].search(lines[i])
        if m:
            return dataclasses.replace(r, doc_number=Field(m.group("value"), start + m.start("value"),
                                                           start + m.end("value")))
    return r


def _lists(lines: _Lines, r: _Partial) -> _Partial:
    """The recipients (主送) and the 抄送 list (its last line in the body or after it)."""
    cc_line = next((i for i in reversed(range(len(lines.spans)))
                    if lines.spans[i][0] >= r.body_start and lines.patterns["cc"].search(lines[i])), None)
    return dataclasses.replace(
        r, cc_line=cc_line,
        recipients=_list_items(lines, r.recipients_line, "recipients") if r.recipients_line is not None else (),
        cc=_list_items(lines, cc_line, "cc") if cc_line is not None else ())


def _body_end(lines: _Lines, r: _Partial) -> _Partial:
    """The body ends at the annex (its 附件 line), a 附件 reference line or the 抄送 line, whichever comes first."""
    annex = lines.first("annex_label", r.body_start)
    reference = lines.first("annex_reference", r.body_start)
    stops = [len(lines.text)] + [lines.spans[i][0] for i in (annex, r.cc_line, reference) if i is not None]
    return dataclasses.replace(r, annex_label=lines.spans[annex] if annex is not None else None, body_end=min(stops))


def _year(lines: _Lines, r: _Partial) -> _Partial:
    """The plan's year: a title that begins with it (2024年…), else the signing date's."""
    if r.title and r.title.value[:4].isdigit() and r.title.value[4:5] == "年":
        return dataclasses.replace(r, year=int(r.title.value[:4]))
    return dataclasses.replace(r, year=int(r.date.value[:4]) if r.date else None)


STEPS: tuple[Callable[[_Lines, _Partial], _Partial], ...] = (
    _notice, _plan_title, _notice_block, _body_start, _doc_number, _lists, _body_end, _year)


def read_header(text: str, rules: Rules) -> HeaderReading:
    text_lines = _Lines(text, [s for s in lines(text) if s[0] < s[1]], rules.header)
    r = _Partial()
    for step in STEPS:
        r = step(text_lines, r)
    header = Header(issuer=r.issuer, notice_title=r.notice_title, title=r.title, doc_number=r.doc_number,
                    date=r.date, year=r.year, recipients=r.recipients, cc=r.cc)
    return HeaderReading(header, r.body_start, r.annex_label, r.body_end)


def _date(lines: _Lines, i: int) -> Field | None:
    """The line as a signing date (2024年1月28日, 二〇二四年一月二十八日): the ISO value, spanning the line."""
    value = lines[i]
    m = lines.patterns["date_arabic"].search(value)
    if m:
        year, month, day = int(m["year"]), int(m["month"]), int(m["day"])
    else:
        m = lines.patterns["date_chinese"].search(value)
        if not m:
            return None
        year, month, day = (int(parse_chinese(m[g])) for g in ("year", "month", "day"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    start, end = lines.spans[i]
    return Field(f"{year:04d}-{month:02d}-{day:02d}", start, end)


def _list_items(lines: _Lines, i: int, pattern: str) -> tuple[Field, ...]:
    """The items of a 主送 or 抄送 line, split at 、，；."""
    text = lines.text
    line_start = lines.spans[i][0]
    m = lines.patterns[pattern].search(lines[i])
    start, end = line_start + m.start("value"), line_start + m.end("value")
    items = []
    item_start = start
    for pos in range(start, end + 1):
        if pos == end or text[pos] in "、，,；;":
            s, e = item_start, pos
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                items.append(Field(text[s:e], s, e))
            item_start = pos + 1
    return tuple(items)
