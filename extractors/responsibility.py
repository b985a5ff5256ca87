"""Responsibility notes: "（责任单位：市发改局、市经信局*）" or "（牵头单位：市经信局；配合单位：
市财政局）" in the body, and the 责任单位 (or 牵头单位 / 配合单位) cells of an annex row, read into
lists of unit mentions. Roles are decided by the pipeline's resolve stage; here we only read
what is written: the label of each list, each unit with its lead mark, whether the list is
open ("…等相关单位"), and the legends that say how to read the marks."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from policyparse.rules import Rules

# A table cell may list one unit a line (DOCX and PDF cells keep their line breaks).
SEPARATORS = "、，,；;\n"
_OPEN = "（(“‘"
_CLOSE = "）)”’"


@dataclass(frozen=True)
class Note:
    start: int  # the whole note, brackets included
    end: int
    units_start: int  # the lists, labels included
    units_end: int


@dataclass(frozen=True)
class UnitMention:
    unit: str  # as written, without the lead mark and the open-list tail
    raw: str
    lead_marked: bool
    open_list: bool  # this item ends the list with 等相关单位
    start: int  # the item as written (raw)
    end: int


@dataclass(frozen=True)
class UnitList:
    """The units after one label ("配合单位：…"), or a whole note or cell when it has no label."""

    label: str | None  # 牵头单位, 配合单位, 责任单位 … as written; None when there is none
    label_role: str | None  # lead, support or responsible (rules/role_labels.tsv)
    units: tuple[UnitMention, ...]
    open_list: bool
    start: int
    end: int


@dataclass(frozen=True)
class Legend:
    convention: str  # "star": the marked unit leads; "first": the first unit listed leads
    start: int
    end: int


def find_notes(text: str, rules: Rules, start: int = 0, end: int | None = None) -> list[Note]:
    end = len(text) if end is None else end
    notes = []
    for pattern in rules.note_patterns:
        for m in pattern.finditer(text, start, end):
            notes.append(Note(m.start(), m.end(), m.start("units"), m.end("units")))
    return sorted(notes, key=lambda n: n.start)


def find_legends(text: str, rules: Rules, start: int = 0, end: int | None = None) -> list[Legend]:
    """The legends ("带*为牵头单位，下同", "排在第一位的为牵头单位") in text[start:end], in order."""
    end = len(text) if end is None else end
    found = [Legend(convention, m.start(), m.end())
             for convention, pattern in rules.legends for m in pattern.finditer(text, start, end)]
    return sorted(found, key=lambda lg: lg.start)


def label_role(header: str, rules: Rules) -> str | None:
    """The role a table column header gives its units by the label it starts with
    ("牵头单位" → lead, "责任单位（带*的为牵头单位）" → responsible), or None."""
    m = _labels(rules).match(header.strip())
    return rules.role_labels[m.group("label")] if m else None


def read_lists(text: str, start: int, end: int, rules: Rules, default_role: str | None = None) -> list[UnitList]:
    """The lists of units in text[start:end]. Labels followed by a colon ("牵头单位：") start a
    list; text before the first label is a list with `default_role` (the role a table column's
    header gives it). Legends are skipped: they are not units."""
    role_labels = rules.role_labels
    legends = [(lg.start, lg.end) for lg in find_legends(text, rules, start, end)]
    labels = [m for m in _labels(rules, colon=True).finditer(text, start, end)
              if not any(s <= m.start() < e for s, e in legends)]
    bounds = [(None, default_role, start)]
    bounds += [(m.group("label"), role_labels[m.group("label")], m.end()) for m in labels]
    stops = [m.start() for m in labels] + [end]
    lists = []
    for (label, role, list_start), list_end in zip(bounds, stops):
        units = tuple(_mention(text, s, e, rules) for s, e in _items(text, list_start, list_end, legends))
        units = tuple(u for u in units if u.unit)
        if units or label:
            lists.append(UnitList(label, role, units, any(u.open_list for u in units), list_start, list_end))
    return lists


@functools.cache
def _labels(rules: Rules, colon: bool = False) -> regex.Pattern:
    words = sorted(rules.role_labels, key=len, reverse=True)
    return regex.compile(f"(?P<label>{'|'.join(map(regex.escape, words))})" + (r"\s*[：:]" if colon else ""))


def _mention(text: str, start: int, end: int, rules: Rules) -> UnitMention:
    raw = text[start:end]
    mark = rules.lead_mark.search(raw)
    name = raw[:mark.start()] + raw[mark.end():] if mark else raw
    tail = rules.open_list.search(name)
    if tail:
        name = name[:tail.start()]
    return UnitMention(name.strip(), raw, bool(mark), bool(tail), start, end)


def _items(text: str, start: int, end: int, legends: list[tuple[int, int]]):
    """Spans of the list items, split at separators outside brackets and quotes, skipping
    legends; each span trimmed of white space."""
    depth = 0
    item_start = start
    i = start
    while i <= end:
        legend = next((lg for lg in legends if lg[0] == i), None)
        if legend:
            yield from _trimmed(text, item_start, i)
            i = item_start = legend[1]
            continue
        ch = text[i] if i < end else None
        if ch is not None and ch in _OPEN:
            depth += 1
        elif ch is not None and ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch is None or (ch in SEPARATORS and depth == 0):
            yield from _trimmed(text, item_start, i)
            item_start = i + 1
        i += 1


def _trimmed(text: str, start: int, end: int):
    while start < end and (text[start].isspace() or text[start] in SEPARATORS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in SEPARATORS):
        end -= 1
    if start < end:
        yield start, end
