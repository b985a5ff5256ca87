"""Responsibility notes, in every form plans write them, read into lists of unit mentions:

- labelled, in any bracket or on a line of its own: "（责任单位：市发改局、市经信局*）",
  "〔牵头单位：市经信局；配合单位：市财政局〕", "责任单位：区人社局、区财政局";
- unlabelled, with the note's own words: "（体育总局、民政部负责）", "（A牵头，B、C参与）",
  "（A指导，B负责落实）", "（国家发展改革委会同有关部门负责）";
- and the 责任单位 (or 牵头单位 / 配合单位) cells of an annex row.

Roles are decided by the pipeline's resolve stage; here we only read what is written: the
label of each list, each unit with its lead mark, the word that follows it (牵头, 配合 …:
rules/note_words.tsv), which comma group of its list it stands in, whether the list is open
("…等相关单位"), the legends that say how to read the marks, and a standing instruction
("以下均需各区政府落实，不再列出") with the units it names."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from policyparse.extractors.bodies import is_level
from policyparse.rules import Rules

# A table cell may list one unit a line (DOCX and PDF cells keep their line breaks).
SEPARATORS = "、，,；;\n"
# A comma group ends at these (the legend 第一个逗号前为牵头单位 counts the groups).
CLAUSE_ENDS = "，,；;"
_OPEN = "（(“‘〔[【〈《"
_CLOSE = "）)”’〕]】〉》"
_DELIMITER = regex.compile("[" + regex.escape(_OPEN + _CLOSE + SEPARATORS) + "]")
# A bracket with what it holds, brackets of any kind nested inside (a unit name may hold one:
# 各区〔县、市〕政府, 区委组织部（人才办）); a note never spans lines.
_BRACKETED = regex.compile(r"(?P<b>[（(](?:[^（）()〔〕【】\[\]\n]|(?&b))*[）)]|〔(?:[^（）()〔〕【】\[\]\n]|(?&b))*〕"
                           r"|【(?:[^（）()〔〕【】\[\]\n]|(?&b))*】|\[(?:[^（）()〔〕【】\[\]\n]|(?&b))*\])")


@dataclass(frozen=True)
class Note:
    start: int  # the whole note, brackets included
    end: int
    units_start: int  # the lists, labels included (what follows a 。 inside the note is not a list)
    units_end: int


@dataclass(frozen=True)
class UnitMention:
    unit: str  # as written, without the lead mark, the note's words and the open-list tail
    raw: str
    lead_marked: bool
    open_list: bool  # this item's list ends with 等 / 等相关单位
    start: int  # the item as written (raw)
    end: int
    word_role: str | None = None  # what the word after its group says: lead, support, responsible
    clause: int = 0  # which comma group of its list it stands in, from 0


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
    convention: str  # a legend_<convention> row of rules/lead_markers.tsv: star, first, first_comma …
    start: int
    end: int


def find_notes(text: str, rules: Rules, start: int = 0, end: int | None = None) -> list[Note]:
    """The responsibility notes in text[start:end], in order: brackets whose content reads as a
    note (rules/notes.tsv, kinds labelled and words) and lines that do (kind line)."""
    return scan_notes(text, rules, start, end)[0]


def scan_notes(text: str, rules: Rules, start: int = 0,
               end: int | None = None) -> tuple[list[Note], list[tuple[int, int]]]:
    """The notes in text[start:end] (as find_notes), and the brackets that read like a note but
    are none (rules/notes.tsv, kind note_like): one pass over the brackets for both."""
    end = len(text) if end is None else end
    notes = []
    unread = []
    content_rules = [p for kind, p in rules.note_patterns if kind != "line"]
    for m in _BRACKETED.finditer(text, start, end):
        content_start, content_end = m.start() + 1, m.end() - 1
        found = next((f for pattern in content_rules if (f := pattern.match(text, content_start, content_end))), None)
        if found:
            notes.append(Note(m.start(), m.end(), found.start("units"), found.end("units")))
        elif rules.note_like.search(text, content_start, content_end):
            unread.append((m.start(), m.end()))
    for kind, pattern in rules.note_patterns:
        if kind == "line":
            notes += [Note(m.start(), m.end(), m.start("units"), m.end("units"))
                      for m in pattern.finditer(text, start, end)
                      if not any(n.start <= m.start() < n.end for n in notes)]
    read = [(n.start, n.end) for n in notes]
    return sorted(notes, key=lambda n: n.start), [u for u in unread if not any(s <= u[0] < e for s, e in read)]


def find_legends(text: str, rules: Rules, start: int = 0, end: int | None = None) -> list[Legend]:
    """The legends ("带*为牵头单位，下同", "列第一位者为牵头单位") in text[start:end], in order."""
    end = len(text) if end is None else end
    found = [Legend(convention, m.start(), m.end())
             for convention, pattern in rules.legends for m in pattern.finditer(text, start, end)]
    return sorted(found, key=lambda lg: lg.start)


def find_legend_like(text: str, rules: Rules, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences that explain who leads (…第一位的为牵头单位, 带★的为牵头单位), known legends or not."""
    end = len(text) if end is None else end
    return [(m.start(), m.end()) for m in rules.legend_like.finditer(text, start, end)]


def find_standing(text: str, rules: Rules, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """Standing instructions in text[start:end] ("以下均需各区、县（市）政府落实，不再列出"): the
    instruction's span and the span of the units it names."""
    return [(m.start(), m.end(), m.start("units"), m.end("units")) for m in rules.standing.finditer(text, start, end)]


def label_role(header: str, rules: Rules) -> str | None:
    """The role a table column header gives its units by the label it starts with
    ("牵头单位" → lead, "责任单位（带*的为牵头单位）" → responsible), or None."""
    m = _labels(rules).match(header.strip())
    return rules.role_labels[m.group("label")] if m else None


def read_lists(text: str, start: int, end: int, rules: Rules, default_role: str | None = None) -> list[UnitList]:
    """The lists of units in text[start:end]. Labels followed by a colon ("牵头单位：") start a
    list; text before the first label is a list with `default_role` (the role a table column's
    header gives it). Legends and standing instructions are skipped: they are not units."""
    role_labels = rules.role_labels
    words = text[start:end]
    # Every legend names the lead (牵头) and every standing instruction says 不再列出: most lists do neither.
    skipped = [(lg.start, lg.end) for lg in find_legends(text, rules, start, end)] if "牵头" in words else []
    skipped += [(s, e) for s, e, _us, _ue in find_standing(text, rules, start, end)] if "列出" in words else []
    skipped.sort()
    labels = [m for m in _labels(rules, colon=True).finditer(text, start, end)
              if not any(s <= m.start() < e for s, e in skipped)]
    bounds = [(None, default_role, start)]
    bounds += [(m.group("label"), role_labels[m.group("label")], m.end()) for m in labels]
    stops = [m.start() for m in labels] + [end]
    lists = []
    for (label, role, list_start), list_end in zip(bounds, stops):
        units = tuple(u for u in _mentions(text, list_start, list_end, skipped, rules) if u.unit)
        if units or label:
            lists.append(UnitList(label, role, units, any(u.open_list for u in units), list_start, list_end))
    return lists


@functools.cache
def _labels(rules: Rules, colon: bool = False) -> regex.Pattern:
    words = sorted(rules.role_labels, key=len, reverse=True)
    return regex.compile(f"(?P<label>{'|'.join(map(regex.escape, words))})" + (r"\s*[：:]" if colon else ""))


@functools.cache
def _words(rules: Rules) -> regex.Pattern:
    """The note's words at the end of an item (牵头负责, 配合 …) and the joining words inside one
    (会同), longest first."""
    trailing = sorted((w for w, role in rules.note_words.items() if role not in ("joins", "separator")),
                      key=len, reverse=True)
    return regex.compile(f"(?:{'|'.join(map(regex.escape, trailing))})+$")


@functools.cache
def _joining_chars(rules: Rules) -> frozenset[str]:
    """The first characters of the joining words: an item holding none of them is not searched."""
    return frozenset(w[0] for w, role in rules.note_words.items() if role in ("joins", "separator"))


@functools.cache
def _last_chars(rules: Rules) -> frozenset[str]:
    """The last characters of the note's words: an item ending otherwise ends with none of them."""
    return frozenset(w[-1] for w, role in rules.note_words.items() if role not in ("joins", "separator"))


@functools.cache
def _joins(rules: Rules) -> regex.Pattern | None:
    words = [w for w, role in rules.note_words.items() if role in ("joins", "separator")]
    return regex.compile("|".join(map(regex.escape, sorted(words, key=len, reverse=True)))) if words else None


def _mentions(text: str, start: int, end: int, skipped: list[tuple[int, int]], rules: Rules) -> list[UnitMention]:
    """The items of one list with the word each group ends with, the group of each, and an item
    that a joining word splits (A会同B: A leads, B supports) as two."""
    mentions: list[UnitMention] = []
    group: list[UnitMention] = []  # the items of the comma group being read
    clause = 0

    def close_group() -> None:
        """The word that ends a group speaks for every item of it ("B、C参与": both support)."""
        word = next((u.word_role for u in reversed(group) if u.word_role), None)
        mentions.extend(u if u.word_role or word is None else _with(u, word_role=word) for u in group)
        group.clear()

    held: tuple[int, str] | None = None  # a level word alone (各区、) waiting for the name it shares
    for item_start, item_end, separator in _items(text, start, end, skipped):
        if held is not None:
            item_start, held = held[0], None
        elif separator == "、" and is_level(text[item_start:item_end]):
            held = (item_start, separator)  # 各区、县（市）政府 is one unit
            continue
        group.extend(_split_joined(text, item_start, item_end, clause, rules))
        if separator in CLAUSE_ENDS:
            close_group()
            clause += 1
    close_group()
    open_tail = next((i for i, u in enumerate(mentions) if u.open_list), None)
    if open_tail is not None:  # 等 ends the list of the items before it, up to an earlier open tail
        first = max((i + 1 for i, u in enumerate(mentions[:open_tail]) if u.open_list), default=0)
        mentions[first:open_tail] = [_with(u, open_list=True) for u in mentions[first:open_tail]]
    return mentions


def _with(u: UnitMention, **changes) -> UnitMention:
    return UnitMention(**{**u.__dict__, **changes})


def _split_joined(text: str, start: int, end: int, clause: int, rules: Rules) -> list[UnitMention]:
    joins = _joins(rules)
    found = joins.search(text, start, end) if joins and not _joining_chars(rules).isdisjoint(text[start:end]) \
        else None
    if found is None or found.start() == start:
        return [_mention(text, start, end, clause, rules)]
    role = rules.note_words[found.group()]
    before = _mention(text, start, found.start(), clause, rules)
    after = _split_joined(text, found.end(), end, clause, rules)
    if role == "joins":  # A会同B负责: A leads, B supports
        return [_with(before, word_role="lead"), *(_with(u, word_role="support") for u in after)]
    # A、B等和各有关省级人民政府负责: the list before the separator is open, the rest goes on
    return [_with(before, open_list=True), *after]


def _mention(text: str, start: int, end: int, clause: int, rules: Rules) -> UnitMention:
    raw = text[start:end]
    name = raw
    word_role = None
    words = _words(rules).search(name) if name[-1:] in _last_chars(rules) else None
    if words and words.start() > 0:
        trailing = words.group()
        name = name[:words.start()]
        # the word nearest the end decides (牵头负责 leads; 负责落实 after 指导 …)
        word_role = next((rules.note_words[w] for w in sorted(rules.note_words, key=len, reverse=True)
                          if trailing.startswith(w) and rules.note_words[w] not in ("filler",)), None)
        word_role = word_role or "responsible"
    mark = rules.lead_mark.search(name)
    if mark:
        name = name[:mark.start()] + name[mark.end():]
    tail = rules.open_list.search(name)
    if tail:
        name = name[:tail.start()]
    qualifier = rules.qualifier.search(name)
    if qualifier and qualifier.start() > 0:
        name = name[:qualifier.start()]
    return UnitMention(name.strip(), raw, bool(mark), bool(tail), start, end, word_role, clause)


def _items(text: str, start: int, end: int, skipped: list[tuple[int, int]]):
    """(start, end, separator) of the list items, split at separators outside brackets and
    quotes, skipping legends and standing instructions; each span trimmed of white space; the
    separator is the character that ends the item ("" at the end of the list)."""
    depth = 0
    item_start = pos = start
    skips = iter([s for s in skipped if start <= s[0] < end])
    skip = next(skips, None)
    while True:
        for m in _DELIMITER.finditer(text, pos, skip[0] if skip else end):  # only the delimiters are visited
            ch = m.group()
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE:
                depth = max(0, depth - 1)
            elif depth == 0:
                yield from _trimmed(text, item_start, m.start(), ch)
                item_start = m.start() + 1
        if skip is None:
            yield from _trimmed(text, item_start, end, "")
            return
        yield from _trimmed(text, item_start, skip[0], "，")
        pos = item_start = skip[1]
        skip = next(skips, None)


def _trimmed(text: str, start: int, end: int, separator: str):
    while start < end and (text[start].isspace() or text[start] in SEPARATORS or text[start] in "。."):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in SEPARATORS or text[end - 1] in "。."):
        end -= 1
    if start < end:
        yield start, end, separator
