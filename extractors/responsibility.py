"""Responsibility notes: "（责任单位：市发改局、市经信局*）" in the body and the 责任单位 cell
of an annex row, read into unit mentions. Roles are decided by the pipeline's resolve
stage; here we only read what is written: the unit, its star, and whether the list is
open ("…等相关单位")."""
from __future__ import annotations

from dataclasses import dataclass

import rules

SEPARATORS = "、，,；;"
_OPEN = "（(“‘"
_CLOSE = "）)”’"


@dataclass(frozen=True)
class Note:
    start: int  # the whole note, brackets included
    end: int
    units_start: int
    units_end: int


@dataclass(frozen=True)
class UnitMention:
    unit: str
    raw: str
    starred: bool
    open_list: bool  # this item ends the list with 等相关单位
    start: int  # the item as written (raw)
    end: int


def find_notes(text: str, start: int = 0, end: int | None = None) -> list[Note]:
    end = len(text) if end is None else end
    notes = []
    for pattern in rules.load().note_patterns:
        for m in pattern.finditer(text, start, end):
            notes.append(Note(m.start(), m.end(), m.start("units"), m.end("units")))
    return sorted(notes, key=lambda n: n.start)


def read_units(text: str, start: int, end: int) -> tuple[list[UnitMention], list[tuple[int, int]]]:
    """The units listed in text[start:end], and the spans of any legends found there
    ("带*为牵头单位，下同"), which say how to read the star and are not units."""
    loaded = rules.load()
    legends = [(m.start(), m.end()) for m in loaded.lead_legend.finditer(text, start, end)]
    units = []
    for item_start, item_end in _items(text, start, end, legends):
        raw = text[item_start:item_end]
        star = loaded.lead_star.search(raw)
        name = raw[:star.start()] if star else raw
        tail = loaded.open_list.search(name)
        if tail:
            name = name[:tail.start()]
        name = name.strip()
        if not name:
            continue
        units.append(UnitMention(name, raw, bool(star), bool(tail), item_start, item_end))
    return units, legends


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
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end
