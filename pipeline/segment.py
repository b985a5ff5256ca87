"""Segment: the header, the body's heading hierarchy (一、 / （一） / 1．) and the annex
table (任务分工清单), all as spans of the normalised text.

In a text file the annex table is flattened: one cell per tab-indented line, rows
separated by blank lines. Backends that see real tables (DOCX, PDF) hand them over as
TableBlocks, and the same row builder reads both."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from policyparse.extractors.header import lines, read_header
from policyparse.model import AnnexRow, Field, Finding, FindingCode, Header, Location, Place, Section, TableBlock
from policyparse.rules import Rules

_TITLE_END = regex.compile(r"[。，,；;\u3000]")
_DOCUMENT, _ANNEX = Location(Place.DOCUMENT), Location(Place.ANNEX)


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


def segment(text: str, rules: Rules, tables: tuple[TableBlock, ...] = ()) -> Segmented:
    reading = read_header(text, rules)
    sections, marks = _sections(text, reading.body_start, reading.body_end, rules)
    findings: list[Finding] = []
    annex_title = None
    annex_rows: tuple[AnnexRow, ...] = ()
    annex_header: tuple[tuple[str, int, int], ...] = ()
    if reading.annex_label:
        annex_title, flattened = _annex_table(text, reading.annex_label[1])
        # A backend that saw real tables hands them over: the annex's task table is the first
        # after the label whose header it understands (else the first, to say what it lacks).
        after = [t for t in tables if t.rows and t.rows[0][0][0] >= reading.annex_label[1]] or [flattened]
        table = next((t for t in after if _header_row(text, t, rules) is not None), after[0])
        annex_header, annex_rows = _annex_rows(text, table, findings, rules)
    if reading.header.title is None:
        findings.append(Finding(code=FindingCode.NO_TITLE, message="no plan title found", where=_DOCUMENT,
                                start=0, end=0))
    if not sections:
        findings.append(Finding(code=FindingCode.NO_SECTIONS,
                                message="no numbered headings (一、 / （一） / 1．) found in the body",
                                where=_DOCUMENT, start=reading.body_start, end=reading.body_end))
    return Segmented(reading.header, reading.body_start, reading.body_end, tuple(marks), tuple(sections),
                     annex_title, annex_rows, tuple(findings), annex_header)


def _sections(text: str, body_start: int, body_end: int, rules: Rules) -> tuple[list[Section], list[tuple[int, int]]]:
    headings = []  # (level, number, line start, mark end, title start, title end)
    for start, end in lines(text):
        if start < body_start or start >= body_end or start == end:
            continue
        line = text[start:end]
        for level, pattern in rules.headings:
            m = pattern.search(line)
            if m:
                title_start = start + m.end()
                # The title runs to the first 。 (or ，；), or to a wide space in a heading written
                # inline ("（一）扩大有效投资　全年谋划…", "1、实施培育行动,确保…").
                rest = _TITLE_END.search(line, m.end() + 1)
                title_end = start + rest.start() if rest else end
                headings.append((level, m.group("number"), start, start + m.end(), title_start, title_end))
                break
    sections = []
    stack: list[tuple[int, str]] = []
    for i, (level, number, start, _mark_end, title_start, title_end) in enumerate(headings):
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, number))
        end = next((h[2] for h in headings[i + 1:] if h[0] <= level), body_end)
        while end > start and text[end - 1].isspace():
            end -= 1
        sections.append(Section(path="/".join(n for _, n in stack), level=level, number=number,
                                title=text[title_start:title_end], start=start, end=end, title_start=title_start,
                                title_end=title_end))
    return sections, [(h[2], h[3]) for h in headings]


def _annex_table(text: str, after: int) -> tuple[Field | None, TableBlock]:
    """The annex title (first plain line after the 附件 label) and the flattened table after it."""
    title = None
    rows: list[tuple[tuple[int, int], ...]] = []
    cells: list[tuple[int, int]] = []
    pos = after
    for raw_line in text[after:].split("\n"):
        line_start, line_end = pos, pos + len(raw_line)
        pos = line_end + 1
        if raw_line.startswith("\t"):
            start, end = line_start + 1, line_end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            cells.append((start, end))
        elif not raw_line.strip():
            if cells:
                rows.append(tuple(cells))
                cells = []
        elif rows or cells:
            break
        elif title is None:
            stripped = raw_line.strip()
            offset = line_start + raw_line.index(stripped)
            title = Field(stripped, offset, offset + len(stripped))
    if cells:
        rows.append(tuple(cells))
    return title, TableBlock(tuple(rows))


# How far down a table its header may stand (under a title or a unit row in the table).
HEADER_ROWS = 3


def _columns(text: str, cells: tuple[tuple[int, int], ...], rules: Rules) -> dict[str, int]:
    """Role → column index, for the cells of a row read as a header."""
    columns: dict[str, int] = {}
    for rule in rules.annex_columns:
        for index, (start, end) in enumerate(cells):
            if rule.role not in columns and index not in columns.values() and rule.pattern.search(text[start:end]):
                columns[rule.role] = index
    return columns


def _missing(columns: dict[str, int], rules: Rules) -> list[str]:
    return [rule.role for rule in rules.annex_columns if rule.required and rule.role not in columns]


def _header_row(text: str, table: TableBlock, rules: Rules) -> tuple[int, dict[str, int]] | None:
    """The index of the table's header row and its columns: the first of its first rows that
    has a column for every required role."""
    for index, cells in enumerate(table.rows[:HEADER_ROWS]):
        columns = _columns(text, cells, rules)
        if not _missing(columns, rules):
            return index, columns
    return None


def _annex_rows(text: str, table: TableBlock, findings: list[Finding],
                rules: Rules) -> tuple[tuple[tuple[str, int, int], ...], tuple[AnnexRow, ...]]:
    """The header cells of the known columns, and the rows."""
    if not table.rows:
        findings.append(Finding(code=FindingCode.ANNEX_WITHOUT_TABLE, message="the annex has no table", where=_ANNEX,
                                start=0, end=0))
        return (), ()
    found = _header_row(text, table, rules)
    if found is None:
        first = table.rows[0]
        header = [text[s:e] for s, e in first]
        findings.append(Finding(code=FindingCode.ANNEX_HEADER_UNKNOWN, message=f"annex header {header} lacks columns "
                                f"{_missing(_columns(text, first, rules), rules)}", where=_ANNEX, start=first[0][0],
                                end=first[-1][1]))
        return (), ()
    header_index, columns = found
    header_cells = table.rows[header_index]
    annex_header = tuple((role, *header_cells[index]) for role, index in columns.items())
    fills_down = {rule.role for rule in rules.annex_columns if rule.fills_down}
    filled: dict[str, str] = {}
    rows = []
    for cells in table.rows[header_index + 1:]:
        if len(cells) != len(header_cells):
            findings.append(Finding(code=FindingCode.ANNEX_ROW_CELLS, message=f"row has {len(cells)} cells, the "
                                    f"header has {len(header_cells)}", where=_ANNEX, start=cells[0][0],
                                    end=cells[-1][1]))

        for role in fills_down:
            start, end = _cell(cells, columns, role)
            filled[role] = text[start:end] or filled.get(role, "")
        seq, measure, task, units, support = (_cell(cells, columns, f)
                                              for f in ("seq", "measure", "task", "units", "support_units"))
        has_measure, has_support = "measure" in columns, "support_units" in columns
        rows.append(AnnexRow(
            seq=text[seq[0]:seq[1]],
            measure=text[measure[0]:measure[1]],
            measure_filled=filled.get("measure", ""),
            task=text[task[0]:task[1]],
            units_raw=text[units[0]:units[1]],
            start=cells[0][0],
            end=cells[-1][1],
            task_start=task[0],
            task_end=task[1],
            units_start=units[0],
            units_end=units[1],
            measure_start=measure[0] if has_measure else None,
            measure_end=measure[1] if has_measure else None,
            support_units_raw=text[support[0]:support[1]] if has_support else "",
            support_units_start=support[0] if has_support else None,
            support_units_end=support[1] if has_support else None,
        ))
    return annex_header, tuple(rows)


def _cell(cells: tuple[tuple[int, int], ...], columns: dict[str, int], role: str) -> tuple[int, int]:
    """The span of a row's cell of a role; an empty span at the row's end when it has none."""
    index = columns.get(role)
    if index is None or index >= len(cells):
        return (cells[-1][1], cells[-1][1])
    return cells[index]
