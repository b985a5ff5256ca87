"""Segment: the header, the body's heading hierarchy (第一章 / 一、 / （一） / 1． / （1） …) and
the annexes with their tables, all as spans of the normalised text.

In a text file a table is flattened: one cell per tab-indented line, rows separated by blank
lines (the layout every backend writes), or one row per line with its cells separated by tabs
(a Word table pasted as text). Backends that see real tables (DOCX, PDF, HTML) hand them over as
TableBlocks, and the same reader reads both. The plan's task table (the first annex table of
kind task) also gives the annex rows that link to the body."""
from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

from policyparse.extractors.header import read_header
from policyparse.model import (
    Annex,
    AnnexRow,
    AnnexTable,
    Cell,
    ColumnRole,
    Field,
    Finding,
    FindingCode,
    Header,
    Location,
    Place,
    Section,
    TableBlock,
    TableKind,
)
from policyparse.rules import Rules

_TITLE_END = regex.compile(r"[。，,；;：:\u3000]")
# A title printed letter-spaced, a few characters each with a space after it: 总　　则, 附　则.
_LETTER_SPACED = regex.compile(r"(?:\p{Han}[ \u3000]+){1,5}\p{Han}[ \u3000]*")
_SPACES = regex.compile(r"\s+")  # a header cell printed letter-spaced (主 要 内 容) reads as one word; 附件 1
_DOCUMENT, _ANNEX = Location(Place.DOCUMENT), Location(Place.ANNEX)
Span = tuple[int, int]


@dataclass(frozen=True)
class Segmented:
    header: Header
    body_start: int
    body_end: int
    heading_marks: tuple[tuple[int, int], ...]  # the heading numbers as written (一、 （一） 1．)
    sections: tuple[Section, ...]
    annex_title: Field | None
    annex_rows: tuple[AnnexRow, ...]
    findings: tuple[Finding, ...]
    annex_header: tuple[tuple[str, int, int], ...] = ()  # (field, start, end) of each known header cell
    annexes: tuple[Annex, ...] = ()
    # The annexes' prose: each annex's text after its label and title, its tables cut out. Its
    # headings are sections too, their paths under the annex's label (附件2/第一部分/一).
    annex_prose: tuple[tuple[int, int], ...] = ()

    @property
    def body_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.start < self.body_end)


def segment(text: str, rules: Rules, tables: tuple[TableBlock, ...] = ()) -> Segmented:
    reading = read_header(text, rules)
    sections, marks = _sections(text, reading.lines, reading.body_start, reading.body_end, rules)
    findings: list[Finding] = []
    read = _annexes(text, reading.lines, reading.annex_labels, reading.header, tables, findings, rules)
    annexes = tuple(annex for annex, _printed in read)
    annex_sections, annex_marks, annex_prose = _annex_prose(text, reading.lines, annexes, rules)
    annex_title = None
    annex_rows: tuple[AnnexRow, ...] = ()
    annex_header: tuple[tuple[str, int, int], ...] = ()
    task = next(((a, t, p) for a, printed in read for t, p in zip(a.tables, printed) if t.kind == TableKind.TASK),
                None)
    if task is not None:
        annex, table, spans = task
        if annex.title is not None and annex.title_start is not None and annex.title_end is not None:
            annex_title = Field(annex.title, annex.title_start, annex.title_end)
        annex_header, annex_rows = _annex_rows(text, table, spans, findings)
    elif annexes and any(a.tables for a in annexes) is False and reading.annex_label is not None:
        findings.append(Finding(code=FindingCode.ANNEX_WITHOUT_TABLE, message="the annex has no table", where=_ANNEX,
                                start=reading.annex_label[0], end=reading.annex_label[1]))
    if reading.header.title is None:
        findings.append(Finding(code=FindingCode.NO_TITLE, message="no title found", where=_DOCUMENT,
                                start=0, end=0))
    if not sections:
        findings.append(Finding(code=FindingCode.NO_SECTIONS,
                                message="no numbered headings (一、 / （一） / 1． …) found in the body",
                                where=_DOCUMENT, start=reading.body_start, end=reading.body_end))
    return Segmented(reading.header, reading.body_start, reading.body_end, (*marks, *annex_marks),
                     (*sections, *annex_sections), annex_title, annex_rows, tuple(findings), annex_header, annexes,
                     tuple(annex_prose))


def _sections(text: str, spans: tuple[Span, ...], body_start: int, body_end: int,
              rules: Rules) -> tuple[list[Section], list[tuple[int, int]]]:
    """The headings of the body (`spans`: the text's non-blank lines). A document nests its
    numbering styles in the order it uses them: a style first met under another is one level
    deeper; a style met again closes the deeper ones."""
    headings = []  # (level, number, line start, mark end, title start, title end, title)
    styles: list[str] = []  # the open styles, outer to inner
    contents = _contents(text, spans, body_start, body_end, rules)
    for start, end in spans:
        if start < body_start or start >= body_end or text[start] not in rules.heading_starts:
            continue
        if contents[0] <= start < contents[1]:
            continue
        line = text[start:end]
        rule = next((r for r in rules.headings if r.pattern.search(line)), None)
        if rule is None:
            continue
        m = rule.pattern.search(line)
        if rule.kind in styles:
            del styles[styles.index(rule.kind) + 1:]
        else:
            styles.append(rule.kind)
        title_start = start + m.end()
        while title_start < end and text[title_start] in " \t\u3000：:、．.":
            title_start += 1
        # The title runs to the first 。 (or ，；：), or to a wide space in a heading written
        # inline ("（一）扩大有效投资　全年谋划…", "1、实施培育行动,确保…").
        rest = _TITLE_END.search(line, title_start - start)
        title_end = start + rest.start() if rest else end
        title = text[title_start:title_end]
        if _LETTER_SPACED.fullmatch(text, title_start, end):  # 第一章　总　　则: the title is 总则
            title_end = end
            title = _SPACES.sub("", text[title_start:end])
        headings.append((len(styles), m.group("number"), start, start + m.end(), title_start, title_end, title))
    sections = []
    stack: list[tuple[int, str]] = []
    for i, (level, number, start, _mark_end, title_start, title_end, title) in enumerate(headings):
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, number))
        end = next((h[2] for h in headings[i + 1:] if h[0] <= level), body_end)
        while end > start and text[end - 1].isspace():
            end -= 1
        sections.append(Section(path="/".join(n for _, n in stack), level=level, number=number,
                                title=title, start=start, end=end, title_start=title_start, title_end=title_end))
    return sections, [(h[2], h[3]) for h in headings]


def _annex_prose(text: str, spans: tuple[Span, ...], annexes: tuple[Annex, ...],
                 rules: Rules) -> tuple[list[Section], list[Span], list[Span]]:
    """Each annex's prose (after its label line and title, its tables cut out), with the
    sections its headings open, their paths under the annex's label; and their heading marks."""
    sections: list[Section] = []
    marks: list[Span] = []
    prose: list[Span] = []
    for annex in annexes:
        label_end = text.find("\n", annex.start, annex.end)
        start = max(label_end if label_end >= 0 else annex.end, annex.title_end or 0)
        regions, pos = [], start
        for t_start, t_end in sorted((table.start, table.end) for table in annex.tables):
            if t_start > pos:
                regions.append((pos, t_start))
            pos = max(pos, t_end)
        regions.append((pos, annex.end))
        regions = [(s, e) for s, e in regions if s < e and not text[s:e].isspace()]
        lines = tuple(line for line in spans if any(s <= line[0] < e for s, e in regions))
        found, found_marks = _sections(text, lines, start, annex.end, rules)
        sections += [section.evolve(path=f"{annex.label}/{section.path}") for section in found]
        marks += found_marks
        prose += regions
    return sections, marks, prose


_CONTENTS = regex.compile(r"目\s*录")
# A table of contents' entry as its heading is written in the body: no dot leaders, no page number.
_ENTRY_TAIL = regex.compile(r"[\s.．…·—-]*[0-9]*$")


def _contents(text: str, spans: tuple[Span, ...], body_start: int, body_end: int, rules: Rules) -> Span:
    """A table of contents (a line 目录 whose next lines are headings, up to the line where the
    first of them comes again), which holds no sections; (0, 0) when there is none."""
    for k, (start, end) in enumerate(spans):
        if start < body_start or start >= body_end or not _CONTENTS.fullmatch(text, start, end):
            continue
        if k + 1 == len(spans):
            break
        first = text[spans[k + 1][0]:spans[k + 1][1]]
        if not any(rule.pattern.search(first) for rule in rules.headings):
            break
        entry = _SPACES.sub("", _ENTRY_TAIL.sub("", first))
        for again_start, again_end in spans[k + 2:]:
            if again_start >= body_end:
                break
            if _SPACES.sub("", text[again_start:again_end]) == entry:
                return start, again_start
        break
    return 0, 0


# --- annexes -----------------------------------------------------------------------------------

_LABEL = regex.compile(r"^(?P<label>附件\s*[0-9一二三四五六七八九十]*)\s*(?:[：:]\s*(?P<title>.*?))?\s*$")


def _annexes(text: str, spans: tuple[Span, ...], labels: tuple[Span, ...], header: Header,
             tables: tuple[TableBlock, ...],
             findings: list[Finding], rules: Rules) -> list[tuple[Annex, list[tuple[tuple[Span, ...], ...]]]]:
    """Each annex from its 附件 line to the next (or to the 抄送 line, or the end): its label,
    its title (on the label line after the colon, or the next line) and its tables, each with
    its data rows' cells as printed (before any fill-down)."""
    stop = min((f.start for f in header.cc), default=len(text))
    annexes = []
    for k, (start, end) in enumerate(labels):
        annex_end = labels[k + 1][0] if k + 1 < len(labels) else max(stop, end)
        m = _LABEL.match(text[start:end])
        if m is None:
            continue
        title: Span | None = (start + m.start("title"), start + m.end("title")) if m.group("title") else None
        if title is None:
            title = _next_line(text, spans, end, annex_end)
        blocks = [t for t in tables if t.rows and start <= t.rows[0][0][0] < annex_end]
        if not tables:
            blocks = _text_tables(text, end, annex_end)
        read = [_table(text, block, findings, rules) for block in blocks]
        annexes.append((Annex(label=_SPACES.sub("", m.group("label")),
                              title=text[title[0]:title[1]] if title else None, tables=tuple(t for t, _p in read),
                              start=start, end=annex_end, title_start=title[0] if title else None,
                              title_end=title[1] if title else None), [p for _t, p in read]))
    return annexes


def _next_line(text: str, spans: tuple[Span, ...], after: int, end: int) -> Span | None:
    """The first non-blank line after `after` (before `end`) when it is a title: plain text, no
    table cell, no sentence."""
    k = bisect.bisect_right(spans, (after, after))
    if k == len(spans) or spans[k][0] >= end:
        return None
    s, e = spans[k]
    raw_start = text.rfind("\n", 0, s) + 1
    if text[raw_start:s].startswith("\t") or "\t" in text[s:e] or text[e - 1:e] in "。；;":
        return None
    return s, e


def _text_tables(text: str, start: int, end: int) -> list[TableBlock]:
    """The tables written in text[start:end]: one cell per tab-indented line with a blank line
    after each row, or one row per line with its cells separated by tabs."""
    found: list[TableBlock] = []
    rows: list[tuple[Span, ...]] = []
    cells: list[Span] = []
    kind = None

    def close() -> None:
        nonlocal rows, kind
        if cells:
            rows.append(tuple(cells))
            cells.clear()
        if rows:
            found.append(TableBlock(tuple(rows)))
        rows, kind = [], None

    pos = start
    for raw_line in text[start:end].split("\n"):
        line_start, line_end = pos, pos + len(raw_line)
        pos = line_end + 1
        if raw_line.startswith("\t") and kind != "tabbed":
            kind = "cells"
            cells.append(_trim(text, line_start + 1, line_end))
        elif "\t" in raw_line.strip() and kind != "cells":
            kind = "tabbed"
            row = []
            cell_start = line_start
            for piece in raw_line.split("\t"):
                row.append(_trim(text, cell_start, cell_start + len(piece)))
                cell_start += len(piece) + 1
            rows.append(tuple(row))
        elif not raw_line.strip():
            if kind == "cells" and cells:
                rows.append(tuple(cells))
                cells.clear()
        else:
            close()
    close()
    return [t for t in found if len(t.rows) >= 2 or (t.rows and len(t.rows[0]) >= 2)]


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# How far down a table its header may stand (under a title or a unit row in the table).
HEADER_ROWS = 3
# A header cell is a few words; a longer cell is data.
HEADER_CELL_CHARS = 12


def _roles(text: str, cells: tuple[Span, ...], rules: Rules) -> list[str | None]:
    """The role each cell's text names as a header, None for a cell that names none."""
    return [next((rule.role for rule in rules.annex_columns if rule.pattern.search(_SPACES.sub("", text[s:e]))), None)
            for s, e in cells]


def _header(text: str, table: TableBlock, rules: Rules) -> tuple[int, int, list[str]]:
    """Where the header starts (the first of the first rows whose cells name two roles or more,
    else the first row), how many rows it takes (two when the row under it names the columns a
    cell above spans; none for a form, whose first row names no column and is half blanks) and
    each column's role ("other" for a header cell that names none)."""
    index = next((i for i, cells in enumerate(table.rows[:HEADER_ROWS])
                  if sum(1 for r in _roles(text, cells, rules) if r) >= 2), 0)
    cells = table.rows[index]
    roles = _roles(text, cells, rules)
    below = table.rows[index + 1] if index + 1 < len(table.rows) else ()
    if not _spans_over(text, cells, below, rules):
        if not any(roles) and 2 * sum(1 for s, e in cells if s == e) >= len(cells):
            # A form (单位名称 | blank …): labels beside the blanks to fill, no header naming columns.
            return index, 0, [ColumnRole.OTHER.value] * len(cells)
        return index, 1, [r or ColumnRole.OTHER.value for r in roles]
    below_roles = _roles(text, below, rules)
    joined = []
    for k, (r_below, r_above) in enumerate(zip(below_roles, roles)):
        spanning = next((roles[j] for j in range(k, -1, -1) if cells[j][0] < cells[j][1]), None)
        joined.append(r_below or r_above or spanning or ColumnRole.OTHER.value)
    return index, 2, joined


def _spans_over(text: str, cells: tuple[Span, ...], below: tuple[Span, ...], rules: Rules) -> bool:
    """Whether `below` is the second row of a header printed over two rows: a cell of `cells`
    spans empty cells to its right, and `below` names the columns under it (short cells, no
    number opening the row), its own cells empty where the row above has its headers."""
    if len(below) != len(cells) or all(s < e for s, e in cells):
        return False
    under_span = [k for k, (s, e) in enumerate(cells) if s == e and k > 0]
    # The cell that spans others has a header under it too (its first column's), and a header of
    # the row below may itself span a column to its right (统筹基金最高支付限额 over 职工医保 and
    # 城乡居民医保, the second over two columns).
    owners = {k - 1 for k in under_span if k - 1 not in under_span}

    def short(k: int) -> bool:
        return below[k][0] < below[k][1] and below[k][1] - below[k][0] <= HEADER_CELL_CHARS

    named = all(short(k) or (k - 1 in under_span and short(k - 1)) for k in under_span)
    first = text[below[0][0]:below[0][1]]
    return named and not first[:1].isdigit() and any(r for r in _roles(text, below, rules)) or (
        named and all(s == e for k, (s, e) in enumerate(below) if cells[k][0] < cells[k][1] and k not in under_span
                      and k - 1 not in under_span and k not in owners))


def _table(text: str, block: TableBlock, findings: list[Finding],
           rules: Rules) -> tuple[AnnexTable, tuple[tuple[Span, ...], ...]]:
    """A table read by its header: the column roles, the header rows, the data rows (a cell under
    a merged cell, and an empty cell of a role that fills down, read as the cell above) and the
    table's kind; and the data rows' cells as printed."""
    index, count, roles = _header(text, block, rules)
    start, end = block.rows[0][0][0], block.rows[-1][-1][1]
    kind = TableKind.OTHER
    if "indicator" in roles:
        kind = TableKind.INDICATOR
        roles = ["value" if r == "target" else r for r in roles]
    elif {"task", "target"} & set(roles) and {"lead", "responsible", "support"} & set(roles):
        kind = TableKind.TASK
    if all(r == ColumnRole.OTHER.value for r in roles):
        findings.append(Finding(code=FindingCode.ANNEX_TABLE_UNKNOWN, message="an annex table whose header names no "
                                "known column: kept as rows of cells", where=_ANNEX, start=start, end=end))
    fills_down = {rule.role for rule in rules.annex_columns if rule.fills_down}
    covered = set(block.covered)
    above: dict[int, Cell] = {}
    rows: list[tuple[Cell, ...]] = []
    for r, cells in enumerate(block.rows[index + count:], index + count):
        row = []
        for k, (s, e) in enumerate(cells):
            cell = Cell.of(text[s:e], s, e)
            if s == e and k in above and ((r, k) in covered or (k < len(roles) and roles[k] in fills_down)):
                cell = above[k]
            above[k] = cell
            row.append(cell)
        rows.append(tuple(row))
    header_rows = tuple(tuple(Cell.of(text[s:e], s, e) for s, e in row)
                        for row in block.rows[index:index + count])
    return AnnexTable(kind=kind, columns=tuple(ColumnRole(r) for r in roles), header_rows=header_rows,
                      rows=tuple(rows), start=start, end=end), block.rows[index + count:]


def _annex_rows(text: str, table: AnnexTable, printed: tuple[tuple[Span, ...], ...],
                findings: list[Finding]) -> tuple[tuple[tuple[str, int, int], ...], tuple[AnnexRow, ...]]:
    """The task table as annex rows: the header cells of the known columns, and the rows (each
    cell as printed in its row; measure_filled the 主要举措 cell read down)."""
    columns = {role.value: k for k, role in reversed(list(enumerate(table.columns)))}
    units = "lead" if "lead" in columns else "responsible"
    support = "support" if "support" in columns else "responsible" if units == "lead" else None
    fields = {"seq": "seq", "measure": "measure", "task": "task" if "task" in columns else "target",
              "units": units, "support_units": support}
    header = table.header_rows[-1]
    annex_header = tuple((name, header[columns[role]].start, header[columns[role]].end)
                         for name, role in fields.items() if role in columns and columns[role] < len(header))
    rows = []
    for n, (cells, spans) in enumerate(zip(table.rows, printed), 1):
        if len(cells) != len(header):
            findings.append(Finding(code=FindingCode.ANNEX_ROW_CELLS, message=f"row has {len(cells)} cells, the "
                                    f"header has {len(header)}", where=_ANNEX, start=cells[0].start,
                                    end=cells[-1].end))
        end = spans[-1][1]

        def column(field: str, spans: tuple[Span, ...] = spans, end: int = end) -> Span | None:
            role = fields[field]
            k = columns.get(role) if role else None
            return None if k is None else spans[k] if k < len(spans) else (end, end)

        seq, measure, task, unit_cell, support_cell = (column(f) for f in fields)
        k = columns.get("measure")
        filled = cells[k].text if k is not None and k < len(cells) else ""
        task, unit_cell = task or (end, end), unit_cell or (end, end)
        rows.append(AnnexRow(
            seq=text[seq[0]:seq[1]] if seq else str(n),
            measure=text[measure[0]:measure[1]] if measure else "",
            measure_filled=filled,
            task=text[task[0]:task[1]],
            units_raw=text[unit_cell[0]:unit_cell[1]],
            start=spans[0][0],
            end=end,
            task_start=task[0],
            task_end=task[1],
            units_start=unit_cell[0],
            units_end=unit_cell[1],
            measure_start=measure[0] if measure else None,
            measure_end=measure[1] if measure else None,
            support_units_raw=text[support_cell[0]:support_cell[1]] if support_cell else "",
            support_units_start=support_cell[0] if support_cell else None,
            support_units_end=support_cell[1] if support_cell else None,
        ))
    return annex_header, tuple(rows)

