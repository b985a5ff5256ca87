"""The notice header: issuer, notice title, plan title, 文号, signing date, recipients (主送)
and the 抄送 list, each with its offsets. Line patterns live in rules/header.tsv."""
from __future__ import annotations

from dataclasses import dataclass

from policyparse.rules import Rules
from policyparse.extractors.numerals import parse_chinese

Span = tuple[int, int]


@dataclass(frozen=True)
class HeaderMention:
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class HeaderReading:
    issuer: HeaderMention | None
    notice_title: HeaderMention | None
    title: HeaderMention | None
    doc_number: HeaderMention | None
    date: HeaderMention | None  # value is ISO
    recipients: tuple[HeaderMention, ...]
    cc: tuple[HeaderMention, ...]
    year: int | None
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


def read_header(text: str, rules: Rules) -> HeaderReading:
    patterns = rules.header
    spans = [s for s in lines(text)]
    nonblank = [s for s in spans if s[0] < s[1]]

    def line(span: Span) -> str:
        return text[span[0]:span[1]]

    notice_idx = next((i for i, s in enumerate(nonblank) if patterns["notice_title"].search(line(s))), None)
    issuer = notice_title = title = recipients_line = date = None
    plan_idx = None
    if notice_idx is not None:
        notice_title = _mention(text, nonblank[notice_idx])
        if notice_idx > 0:
            issuer = _mention(text, nonblank[0])
        inner = patterns["plan_title_in_notice"].search(line(nonblank[notice_idx]))
        if inner:
            wanted = inner.group("value")
            plan_idx = next((i for i in range(notice_idx + 1, len(nonblank)) if line(nonblank[i]) == wanted), None)
            if plan_idx is None:
                start = nonblank[notice_idx][0] + inner.start("value")
                title = HeaderMention(wanted, start, start + len(wanted))
        head_end = plan_idx if plan_idx is not None else len(nonblank)
        for i in range(notice_idx + 1, head_end):
            if recipients_line is None and patterns["recipients"].search(line(nonblank[i])):
                recipients_line = nonblank[i]
            if date is None:
                date = _date(text, nonblank[i], patterns)
    elif nonblank:
        plan_idx = 0
    if plan_idx is not None:
        title = _mention(text, nonblank[plan_idx])
        body_start = nonblank[plan_idx][1]
    else:
        body_start = nonblank[notice_idx][1] if notice_idx is not None else 0

    header_region = (0, body_start)
    doc_number = None
    for s in nonblank:
        if s[0] >= header_region[1]:
            break
        m = patterns["doc_number"].search(line(s))
        if m:
            doc_number = HeaderMention(m.group("value"), s[0] + m.start("value"), s[0] + m.end("value"))
            break

    recipients = _list_items(text, recipients_line, patterns["recipients"]) if recipients_line else ()
    cc_line = next((s for s in reversed(nonblank) if s[0] >= body_start and patterns["cc"].search(line(s))), None)
    cc = _list_items(text, cc_line, patterns["cc"]) if cc_line else ()

    annex_label = next((s for s in nonblank if s[0] >= body_start and patterns["annex_label"].search(line(s))), None)
    stops = [len(text)]
    if annex_label:
        stops.append(annex_label[0])
    if cc_line:
        stops.append(cc_line[0])
    reference = next((s for s in nonblank if s[0] >= body_start and patterns["annex_reference"].search(line(s))), None)
    if reference:
        stops.append(reference[0])

    year = None
    if title and title.value[:4].isdigit() and title.value[4:5] == "年":
        year = int(title.value[:4])
    elif date:
        year = int(date.value[:4])
    return HeaderReading(issuer, notice_title, title, doc_number, date, recipients, cc, year,
                         body_start, annex_label, min(stops))


def _mention(text: str, span: Span) -> HeaderMention:
    return HeaderMention(text[span[0]:span[1]], span[0], span[1])


def _date(text: str, span: Span, patterns) -> HeaderMention | None:
    value = text[span[0]:span[1]]
    m = patterns["date_arabic"].search(value)
    if m:
        year, month, day = int(m["year"]), int(m["month"]), int(m["day"])
    else:
        m = patterns["date_chinese"].search(value)
        if not m:
            return None
        year, month, day = (int(parse_chinese(m[g])) for g in ("year", "month", "day"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return HeaderMention(f"{year:04d}-{month:02d}-{day:02d}", span[0], span[1])


def _list_items(text: str, span: Span, pattern) -> tuple[HeaderMention, ...]:
    m = pattern.search(text[span[0]:span[1]])
    start, end = span[0] + m.start("value"), span[0] + m.end("value")
    items = []
    item_start = start
    for i in range(start, end + 1):
        if i == end or text[i] in "、，,；;":
            s, e = item_start, i
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                items.append(HeaderMention(text[s:e], s, e))
            item_start = i + 1
    return tuple(items)
