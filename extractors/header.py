"""The header of a document of any layout: its title (over several lines), the cover notice's
title when it transmits a document, the issuers, the 文号, the date, the recipients (主送) and
the 抄送 list, each with its offsets; where the body starts and ends; where each annex starts.
Line patterns live in rules/header.tsv.

The header is read in ordered steps (STEPS), each a small function that takes what the steps
before it found (a partial reading) and returns it with its own part added. What is not
printed stays null: a field is never guessed."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import regex

from policyparse.extractors.bodies import is_level, joins
from policyparse.extractors.numerals import parse_chinese
from policyparse.model import Field, Header
from policyparse.rules import Rules

Span = tuple[int, int]
# How many lines from the top a title (and the 文号, recipients and metadata around it) may stand.
HEADER_LINES = 16
# Title lines are short (joint issuers' names make some long): a longer line is a paragraph.
TITLE_LINE_CHARS = 100
_SPACES = regex.compile(r"\s+")
_WIDE_SPACES = regex.compile(r"[\u3000 ]+")
_SQUEEZE = regex.compile(r"[\s《》〈〉]+")
_QUOTED_TITLE = regex.compile(r"^《([^《》]+)》")
_NAME = regex.compile(r"[^\s\u3000]+")  # names side by side on a signature line
_META_NAME = regex.compile(r"[^\s\u3000,，、;；]+")  # a metadata block's 发文机关: 广州市医疗保障局,广州市财政局
_TITLE_NAME = regex.compile(r"[^\s\u3000、]+")  # 国务院、中央军委关于…
_DATE = regex.compile(r"(?P<year>(?:19|20)\d{2})年(?P<month>\d{1,2})月(?P<day>\d{1,2})日")
_DATE_CHINESE = regex.compile(r"(?P<year>[〇零一二三四五六七八九]{4})年(?P<month>[一二三四五六七八九十]{1,2})月"
                              r"(?P<day>[一二三四五六七八九十]{1,3})日")
# How many lines of a cover notice's text may name what it transmits in 《》.
NOTICE_LINES = 6
# A recipient is a body's name: a longer item means the line is a sentence that ends with a colon.
RECIPIENT_CHARS = 80
# How many lines above the signature date the issuers' names may take.
SIGNATURE_LINES = 6


@dataclass(frozen=True)
class HeaderReading:
    header: Header
    body_start: int  # where the document's own text begins (after its title line)
    annex_label: Span | None  # the first line "附件…" that opens an annex
    body_end: int  # where the body stops (the first annex, a 附件 reference or 抄送)
    annex_labels: tuple[Span, ...] = ()  # every annex's 附件 line, in order
    lines: tuple[Span, ...] = ()  # every non-blank line of the text (as lines() trims it)


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
    """The text's non-blank lines, whether a blank line stands before each, and the header
    patterns to read them by."""

    text: str
    spans: list[Span]
    after_blank: list[bool]
    cells: list[bool]  # the line is a table cell (tab-indented in the text layout): never a title
    patterns: dict[str, regex.Pattern]
    openings: dict[str, str]

    def __getitem__(self, i: int) -> str:
        start, end = self.spans[i]
        return self.text[start:end]

    def field(self, i: int) -> Field:
        start, end = self.spans[i]
        return Field(self.text[start:end], start, end)

    def matches(self, pattern: str, i: int) -> regex.Match | None:
        return self.patterns[pattern].search(self[i])

    def first(self, pattern: str, after: int = 0, before: int | None = None) -> int | None:
        """The index of the first line that starts at or after offset `after` (and before
        offset `before`) and matches."""
        return next((i for i, s in enumerate(self.spans) if s[0] >= after and (before is None or s[0] < before)
                     and self.matches(pattern, i)), None)


@dataclass(frozen=True)
class _Partial:
    """What the steps have read so far."""

    meta: dict[str, Field] = dataclasses.field(default_factory=dict)  # a metadata block's fields
    title_lines: tuple[int, int] | None = None  # first and last line of the title block
    heading: Field | None = None  # the title block as printed, its lines joined
    transmitted: Field | None = None  # the name of the document a cover notice transmits
    plan: tuple[int, int] | None = None  # the lines of the transmitted document's own title
    notice_title: Field | None = None
    title: Field | None = None
    red_head: tuple[Field, ...] = ()  # issuer names printed above the title (a notice's red head)
    signature: tuple[int, int] | None = None  # the issuers' first line and the date line
    issuers: tuple[Field, ...] = ()
    date: Field | None = None
    doc_number: Field | None = None
    recipients_line: int | None = None
    recipients: tuple[Field, ...] = ()
    cc: tuple[Field, ...] = ()
    cc_line: int | None = None
    body_start: int = 0
    annex_labels: tuple[Span, ...] = ()
    body_end: int = 0
    year: int | None = None


def _meta(lines: _Lines, r: _Partial) -> _Partial:
    """A web page's metadata block near the top (文号：…, 发布机关：…, 成文日期：…)."""
    found: dict[str, Field] = {}
    for i in range(min(len(lines.spans), HEADER_LINES + 8)):
        m = lines.matches("meta", i)
        if m and m.group("value").strip():
            key = next(k for k, v in m.groupdict().items() if k.startswith("key_") and v)[4:]
            start = lines.spans[i][0]
            found.setdefault(key, Field(m.group("value"), start + m.start("value"), start + m.end("value")))
    return dataclasses.replace(r, meta=found)


def _title_block(lines: _Lines, r: _Partial) -> _Partial:
    """The title: the first run of adjacent short lines near the top that ends in a title word
    (通知, 意见, 方案 …), its lines joined, with a subtitle in brackets right under it; a
    line of issuer names alone above a 关于 line (a notice's red head) is not part of it.
    Without such a run, the first short line that is no date, 文号 or metadata."""
    top = min(len(lines.spans), HEADER_LINES)
    if len(lines.spans) > 1 and lines.after_blank[1] and _title_like(lines, 0, "not_title_alone") \
            and not lines.matches("issuer_line", 0):
        # a first line standing alone is the title (a web page's, written by ingest), even with ，！？
        last = 0
        while last + 1 < len(lines.spans) and lines.matches("subtitle", last + 1):
            last += 1
        return dataclasses.replace(r, title_lines=(0, last), heading=_joined(lines, 0, last))
    i = 0
    while i < top:
        if not _title_like(lines, i):
            i += 1
            continue
        j = i
        while j + 1 < top and not lines.after_blank[j + 1] and _title_like(lines, j + 1):
            j += 1
        first = i
        if first < j and (lines.matches("issuer_line", first) and lines[first + 1].startswith("关于")):
            first += 1  # the red head: 某某县人民政府 over 关于…的通知
        ends = next((k for k in range(j, first - 1, -1) if lines.matches("title_end", k)), None)
        if ends is not None:
            last = ends
            while last + 1 < len(lines.spans) and lines.matches("subtitle", last + 1):
                last += 1
            red_head = tuple(name for k in range(first) if lines.matches("issuer_line", k)
                             for name in _names(lines, k))
            return dataclasses.replace(r, title_lines=(first, last), heading=_joined(lines, first, last),
                                       red_head=red_head)
        i = j + 1
    first_line = _title_like(lines, 0, "not_title_alone") and not lines.matches("issuer_line", 0) if top else False
    fallback = 0 if first_line else next((k for k in range(top) if _title_like(lines, k)
                                          and not lines.matches("issuer_line", k)), None)
    if fallback is None:
        return r
    return dataclasses.replace(r, title_lines=(fallback, fallback), heading=lines.field(fallback))


def _title_like(lines: _Lines, i: int, pattern: str = "not_title") -> bool:
    """A line that may be (part of) a title: short, no sentence, no 文号, date or metadata;
    `pattern` the lines it may not be (not_title, or not_title_alone for a line standing alone)."""
    line = lines[i]
    return (len(line) <= TITLE_LINE_CHARS and not lines.cells[i] and not lines.matches(pattern, i)
            and not lines.matches("meta", i)
            and not lines.matches("doc_number_line", i) and _date(lines, i) is None)


def _joined(lines: _Lines, first: int, last: int) -> Field:
    """Lines as one value: a title broken over lines is one title; the wide spaces of a title
    printed letter-spaced (国 家 粮 食 应 急 预 案), 《》 around a whole title and a line that
    repeats the one above it (a crawler's copy of the title) are left out."""
    value = "".join(lines[k] for k in range(first, last + 1) if k == first or lines[k] != lines[k - 1])
    value = lines.patterns["spaced"].sub(lambda m: _WIDE_SPACES.sub("", m.group()), value)
    value = _QUOTED_TITLE.sub(r"\1", value)
    return Field(value, lines.spans[first][0], lines.spans[last][1])


def _transmitted(lines: _Lines, r: _Partial) -> _Partial:
    """A cover notice (关于印发…的通知) and the title of what it transmits: the line(s) after
    the notice that print that name, or the name the notice's text gives it in 《》 (国家地震局
    《关于…的报告》已经国务院同意, where the notice's title shortens it); when no line prints
    either, the name inside the notice title."""
    if r.heading is None or r.title_lines is None:
        return r
    m = lines.patterns["transmits"].search(r.heading.value)
    if not m:
        return dataclasses.replace(r, title=r.heading)
    after = r.title_lines[1] + 1
    text_lines = range(after, min(after + NOTICE_LINES, len(lines.spans)))
    names = [m.group("value")] + [n.group("value") for k in text_lines if lines.matches("transmits_in_text", k)
                                  for n in lines.patterns["plan_title_in_notice"].finditer(lines[k])]
    for wanted in dict.fromkeys(_squeezed(name) for name in names):
        found = _printed(lines, after, wanted)
        if found is not None:
            k, last = found
            return dataclasses.replace(r, notice_title=r.heading, plan=(k, last), title=_joined(lines, k, last))
    start = r.heading.start + m.start("value")
    value = m.group("value")
    inner = lines.patterns["plan_title_in_notice"].search(value)
    if inner:
        start, value = start + inner.start("value"), inner.group("value")
    title = Field(value, start, start + len(value)) if r.title_lines[0] == r.title_lines[1] else Field(
        value, r.heading.start, r.heading.end)
    return dataclasses.replace(r, notice_title=r.heading, transmitted=title, title=title)


def _printed(lines: _Lines, after: int, wanted: str) -> tuple[int, int] | None:
    """The first and last line (from line `after` on, over three lines at most) that print
    `wanted` (white space and 《》 aside), with a bracketed subtitle under them."""
    for k in range(after, len(lines.spans)):
        for last in range(k, min(k + 3, len(lines.spans))):
            joined = _squeezed("".join(lines[n] for n in range(k, last + 1)))
            if joined == wanted:
                while last + 1 < len(lines.spans) and lines.matches("subtitle", last + 1):
                    last += 1
                return k, last
            if not wanted.startswith(joined):
                break
    return None


def _squeezed(text: str) -> str:
    return _SQUEEZE.sub("", text)


def _signature(lines: _Lines, r: _Partial) -> _Partial:
    """The signature block: the first line after the title that is only a date, and the lines of
    issuer names right above it (one name a line, or several side by side; none when the
    signature prints the date alone)."""
    after = lines.spans[r.title_lines[1]][1] if r.title_lines else 0
    # after the title; a text that puts the signature above the title is read there last
    order = [i for i, s in enumerate(lines.spans) if s[0] >= after] + [i for i, s in enumerate(lines.spans)
                                                                        if s[0] < after]
    for i in order:
        if _date(lines, i) is None:
            continue
        first = i
        while first > 0 and i - first < SIGNATURE_LINES and lines.matches("issuer_line", first - 1) \
                and (lines.spans[first - 1][0] >= after or lines.spans[i][0] < after):
            first -= 1
        issuers = tuple(name for k in range(first, i) for name in _names(lines, k))
        return dataclasses.replace(r, signature=(first, i), issuers=issuers, date=_date(lines, i))
    return r


def _names(lines: _Lines, i: int) -> list[Field]:
    """The issuer names of a signature line: one, or several side by side separated by spaces."""
    start = lines.spans[i][0]
    return [Field(m.group(), start + m.start(), start + m.end()) for m in _NAME.finditer(lines[i])]


def _order(lines: _Lines, r: _Partial) -> _Partial:
    """An order (广州市人民政府令 / 第179号, or "（2021年7月27日中华人民共和国国务院令第746号公布）"):
    its name and number are the 文号, the body that issues it the issuer, its date the date."""
    for i in range(min(len(lines.spans), HEADER_LINES)):
        m = lines.matches("order", i)
        number_line = i
        if m and not m.group("number") and i + 1 < len(lines.spans):
            number = lines.patterns["order_number"].search(lines[i + 1])
            if not number:
                continue
            number_line = i + 1
            value = m.group("name") + number.group("value")
            start, end = lines.spans[i][0] + m.start("name"), lines.spans[i + 1][0] + number.end("value")
        elif m:
            value = m.group("name") + m.group("number")
            start, end = lines.spans[i][0] + m.start("name"), lines.spans[i][0] + m.end("number")
        else:
            continue
        issuer_start = lines.spans[i][0] + m.start("issuer")
        issuer = lines.patterns["order_issuer"].sub("", m.group("issuer"))
        changes: dict = {"doc_number": Field(value, start, end)}
        if not r.issuers:
            changes["issuers"] = (Field(issuer, issuer_start, issuer_start + len(m.group("issuer"))),)
        if r.date is None and m.group("date"):
            changes["date"] = _date_field(m.group("date"), lines.spans[i][0] + m.start("date"),
                                          lines.spans[i][0] + m.end("date"))
        elif r.date is None:  # the date under the order's signature (市长：…)
            changes["date"] = next((d for k in range(number_line + 1, min(number_line + 8, len(lines.spans)))
                                    if (d := _date(lines, k)) is not None), None)
        if r.title_lines is not None and r.title_lines[0] in (i, number_line):
            changes.update(title_lines=None, heading=None, title=None)
        return dataclasses.replace(r, **changes)
    return r


def _doc_number(lines: _Lines, r: _Partial) -> _Partial:
    """The 文号 printed near the top (above the recipients and the first paragraph), else the
    metadata block's."""
    if r.doc_number is not None:
        return r
    for i in range(min(len(lines.spans), HEADER_LINES)):
        if lines.matches("paragraph", i) and (r.title_lines is None or i > r.title_lines[1]):
            break
        m = lines.matches("doc_number_line", i)
        if m:
            start = lines.spans[i][0]
            return dataclasses.replace(r, doc_number=Field(m.group("value"), start + m.start("value"),
                                                           start + m.end("value")))
    meta = r.meta.get("doc_number")
    if meta is not None:
        m = lines.patterns["doc_number"].search(meta.value)
        if m:
            return dataclasses.replace(r, doc_number=Field(m.group("value"), meta.start + m.start("value"),
                                                           meta.start + m.end("value")))
    return r


def _recipients(lines: _Lines, r: _Partial) -> _Partial:
    """The recipients line: right after the title (and 文号), a line that ends with a colon."""
    if r.title_lines is None:
        return r
    for i in range(r.title_lines[1] + 1, min(len(lines.spans), r.title_lines[1] + 5)):
        if lines.matches("recipients", i) and not lines.matches("meta", i):
            items = _list_items(lines, i, "recipients")
            if all(len(item.value) <= RECIPIENT_CHARS for item in items):
                return dataclasses.replace(r, recipients_line=i, recipients=items)
        if lines.matches("paragraph", i):
            break
    return r


def _issuers(lines: _Lines, r: _Partial) -> _Partial:
    """Without a signature: the names printed above the title (a red head), else the metadata
    block's 发文机关, else the name on a line that says when it issued the document (…局2026年5月25日
    发布), else the title's own prefix (国务院办公厅关于…, 国务院、中央军委关于…)."""
    if r.issuers:
        return r
    if r.red_head:
        return dataclasses.replace(r, issuers=r.red_head)
    meta = r.meta.get("issuer")
    if meta is not None:
        items = [Field(m.group(), meta.start + m.start(), meta.start + m.end())
                 for m in _META_NAME.finditer(meta.value)]
        return dataclasses.replace(r, issuers=tuple(items))
    i = lines.first("issued_on")
    m = lines.matches("issued_on", i) if i is not None else None
    if i is not None and m is not None and m.group("issuer"):  # 杭州市科学技术局2026年5月25日发布
        start = lines.spans[i][0]
        return dataclasses.replace(r, issuers=(Field(m.group("issuer"), start + m.start("issuer"),
                                                     start + m.end("issuer")),))
    source = r.notice_title or r.heading
    if source is None:
        return r
    m = lines.patterns["title_issuers"].search(source.value)
    if not m or source.end - source.start != len(source.value):
        return r
    start = source.start + m.start("value")
    items = [Field(n.group(), start + n.start(), start + n.end())
             for n in _TITLE_NAME.finditer(m.group("value"))]
    return dataclasses.replace(r, issuers=tuple(items))


def _date_line(lines: _Lines, r: _Partial) -> _Partial:
    """Without a signature date: the metadata block's 成文日期, else a "X年X月X日印发" line."""
    if r.date is not None:
        return r
    meta = r.meta.get("date")
    if meta is not None:
        m = lines.patterns["date_in_text"].search(meta.value)
        if m:
            return dataclasses.replace(r, date=_date_field(m.group(), meta.start + m.start(), meta.start + m.end()))
    i = lines.first("issued_on")
    if i is not None:
        m = lines.matches("issued_on", i)
        assert m is not None  # the line was found by this pattern
        start = lines.spans[i][0]
        return dataclasses.replace(r, date=_date_field(m.group("date"), start + m.start("date"),
                                                       start + m.end("date")))
    return r


def found_after(lines: _Lines, pattern: str, after: int) -> list[int]:
    """The lines at or after offset `after` that `pattern` matches; a line that does not open with
    the pattern's literal opening (附件, 抄送) is passed over without matching."""
    opening = lines.openings[pattern]
    return [i for i, (start, _end) in enumerate(lines.spans)
            if start >= after and lines.text.startswith(opening, start) and lines.matches(pattern, i)]


def _body_start(lines: _Lines, r: _Partial) -> _Partial:
    """The body starts after the transmitted document's title line (or the title block)."""
    anchor = r.plan[1] if r.plan else r.title_lines[1] if r.title_lines else None
    return dataclasses.replace(r, body_start=lines.spans[anchor][1] if anchor is not None else 0)


def _lists(lines: _Lines, r: _Partial) -> _Partial:
    """The 抄送 list (its last line in the body or after it)."""
    cc_line = next(iter(reversed(found_after(lines, "cc", r.body_start))), None)
    return dataclasses.replace(r, cc_line=cc_line, cc=_list_items(lines, cc_line, "cc") if cc_line is not None else ())


def _body_end(lines: _Lines, r: _Partial) -> _Partial:
    """An annex starts at a 附件 line after the signature (a list of annex titles under 附件：
    before it is a reference). The body ends at the first annex after its start, a 附件
    reference line or the 抄送 line, whichever comes first."""
    after = lines.spans[r.signature[1]][1] if r.signature else lines.spans[r.title_lines[1]][1] if r.title_lines \
        else 0
    found = [i for i in found_after(lines, "annex_label", after) if not lines.matches("annex_list", i)]
    # "附件：清单名" right above the 附件 line that opens the annex names it: a reference
    labels = tuple(lines.spans[i] for i in found if i + 1 not in found)
    reference = next(iter(found_after(lines, "annex_reference", r.body_start)), None)
    stops = [len(lines.text)] + [s for s, _e in labels if s >= r.body_start][:1]
    stops += [lines.spans[i][0] for i in (r.cc_line, reference) if i is not None]
    return dataclasses.replace(r, annex_labels=labels, body_end=min(stops))


def _year(lines: _Lines, r: _Partial) -> _Partial:
    """The document's year: a title that begins with it (2024年…), else the date's."""
    if r.title and r.title.value[:4].isdigit() and r.title.value[4:5] == "年":
        return dataclasses.replace(r, year=int(r.title.value[:4]))
    return dataclasses.replace(r, year=int(r.date.value[:4]) if r.date else None)


STEPS: tuple[Callable[[_Lines, _Partial], _Partial], ...] = (
    _meta, _title_block, _transmitted, _signature, _order, _doc_number, _recipients, _issuers, _date_line,
    _body_start, _lists, _body_end, _year)


def read_header(text: str, rules: Rules) -> HeaderReading:
    spans, after_blank, cells = [], [], []
    blank = False
    for s in lines(text):
        if s[0] == s[1]:
            blank = True
            continue
        spans.append(s)
        after_blank.append(blank)
        cells.append(text[text.rfind("\n", 0, s[0]) + 1:s[0]].startswith("\t"))
        blank = False
    r = _Partial()
    text_lines = _Lines(text, spans, after_blank, cells, rules.header, rules.header_openings)
    for step in STEPS:
        r = step(text_lines, r)
    issuers = r.issuers
    header = Header(issuer=issuers[0] if issuers else None, issuers=issuers, notice_title=r.notice_title,
                    title=r.title, doc_number=r.doc_number, date=r.date, year=r.year, recipients=r.recipients,
                    cc=r.cc)
    return HeaderReading(header, r.body_start, r.annex_labels[0] if r.annex_labels else None, r.body_end,
                         r.annex_labels, tuple(spans))


def _date(lines: _Lines, i: int) -> Field | None:
    """The line as a date alone (2024年1月28日, 2026年 4月 20 日, 二〇二四年一月二十八日): the ISO
    value, spanning the line."""
    start, end = lines.spans[i]
    return _date_field(lines[i], start, end, whole=True)


def _date_field(value: str, start: int, end: int, whole: bool = False) -> Field | None:
    if not value.endswith("日"):
        return None
    squeezed = _SPACES.sub("", value)
    m = _DATE.fullmatch(squeezed)
    if m:
        year, month, day = int(m["year"]), int(m["month"]), int(m["day"])
    else:
        m = _DATE_CHINESE.fullmatch(squeezed)
        if not m:
            return None
        year, month, day = (int(parse_chinese(m[g])) for g in ("year", "month", "day"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return Field(f"{year:04d}-{month:02d}-{day:02d}", start, end)


# A part that ends like a body's name names one by itself (北京、天津…人民政府 share their tail).
_BODY = regex.compile(r"(?:政府|部门|单位|机构|局|委|办|厅|部|院|会|署|中心|室|处|团体|党派|人大|政协|人武部|办事处|"
                      r"公司|"
                      r"集团|银行|代表|委员|主席|兵团|街道|乡镇|学校|园区|组|所|站|队|社|馆|区|县|市)[）)]?$")


def _list_items(lines: _Lines, i: int, pattern: str) -> tuple[Field, ...]:
    """The items of a 主送 or 抄送 line, split at ，,；; and at 、 where each part names a body by
    itself; never inside brackets."""
    text = lines.text
    line_start = lines.spans[i][0]
    m = lines.matches(pattern, i)
    assert m is not None  # the line was found by this pattern
    start, end = line_start + m.start("value"), line_start + m.end("value")
    parts: list[tuple[int, int, str]] = []  # (start, end, the separator after it)
    item_start = start
    depth = 0
    for pos in range(start, end + 1):
        ch = text[pos] if pos < end else ""
        if ch in "（(〔【[":
            depth += 1
        elif ch in "）)〕】]":
            depth = max(depth - 1, 0)
        if pos == end or (depth == 0 and ch in "、，,；;"):
            s, e = item_start, pos
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                parts.append((s, e, ch))
            item_start = pos + 1
    items: list[list[tuple[int, int, str]]] = []
    for part in parts:
        words = text[part[0]:part[1]]
        bare = is_level(words) or not _BODY.search(words)
        if items and items[-1][-1][2] == "、" and joins(text[items[-1][0][0]:items[-1][0][1]],
                                                       text[items[-1][-1][0]:items[-1][-1][1]], words, bare):
            items[-1].append(part)
        else:
            items.append([part])
    return tuple(Field(text[group[0][0]:group[-1][1]], group[0][0], group[-1][1]) for group in items)
