"""Extract: quantities and their targets from the body (one region, responsibility notes and heading numbers
read as blank) and from each annex task cell (a cell is its own region: sentences,
hedges and inherited words never cross a cell boundary)."""
from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable

import regex

from policyparse.extractors.responsibility import find_notes
from policyparse.extractors.roles import Decision
from policyparse.extractors.targets import Numbering, Place, Reading, Scope, read_quantities
from policyparse.model import Annex, Finding, FindingCode, Location, Quantity, QuantityRole, Section, Source, Target
from policyparse.rules import Rules
from policyparse.segment import Segmented


def extract(text: str, seg: Segmented, rules: Rules) -> tuple[tuple[Quantity, ...], tuple[Target, ...],
                                                               tuple[Finding, ...]]:
    """Every quantity of the body and the annex with its role, the targets read from those of role
    `target`, and a finding for each quantity whose unit is not in rules/units.tsv."""
    year = seg.header.year
    masked = tuple((n.start, n.end) for n in find_notes(text, rules, seg.body_start, seg.body_end)) + seg.heading_marks
    breaks = tuple(s.title_end for s in seg.sections)
    document_scope = _document_scope(text, seg, rules)
    numbering = Numbering()
    section_scopes = _section_scopes(text, seg.sections, rules)
    readings = read_quantities(text, seg.body_start, seg.body_end, rules, year, masked, breaks,
                               document_scope + section_scopes, _body_place(seg.sections), numbering)
    readings += _annex_readings(text, seg, rules, document_scope, numbering)
    # An annex's prose (its text outside its tables: an application procedure, admission
    # standards) is read as the body is, its records placed in the annex's sections.
    annex_place = _annex_place(seg.sections)
    # An annex titled as its headings would be (附件2 …准入标准) is of that scope throughout.
    annex_scopes = document_scope + tuple(sorted((*section_scopes, *_annex_scopes(seg.annexes, rules)),
                                                 key=lambda scope: scope.start))
    for start, end in seg.annex_prose:
        notes = tuple((n.start, n.end) for n in find_notes(text, rules, start, end))
        readings += read_quantities(text, start, end, rules, year, notes + seg.heading_marks, breaks,
                                    annex_scopes, annex_place, numbering)
    known_base_units = {u.base_unit for u in rules.units.values()}
    quantities = tuple(r.quantity for r in readings)
    findings = tuple(
        Finding(code=FindingCode.UNKNOWN_MEASURE_UNIT,
                message=f"unit {q.unit!r} of {q.text!r} is not in rules/units.tsv; kept as written",
                where=Location.section(q.section_path) if q.annex_seq is None else Location.rows(q.annex_seq),
                start=q.start, end=q.end)
        for q in quantities if q.base_unit not in known_base_units
    )
    return quantities, tuple(r.target for r in readings if r.target is not None), findings


def _annex_readings(text: str, seg: Segmented, rules: Rules, document_scope: tuple[Scope, ...],
                    numbering: Numbering) -> list[Reading]:
    """The quantities of the annex task cells. Each cell is its own region: read in one call
    with the text between the cells walled off, as the cells stand in order and apart (a cell
    two rows share, under a rowspan, is read for each row)."""
    cells = [(row.task_start, row.task_end, row) for row in seg.annex_rows if row.task_end > row.task_start]
    year = seg.header.year
    if not cells:
        return []
    if any(a[1] >= b[0] for a, b in zip(cells, cells[1:])):
        readings: list[Reading] = []
        for row in seg.annex_rows:
            readings += read_quantities(text, row.task_start, row.task_end, rules, year, scopes=document_scope,
                                        place=_fixed(Place(Source.ANNEX, None, row.seq)), numbering=numbering)
        return readings
    starts = [start for start, _end, _row in cells]
    places = [Place(Source.ANNEX, None, row.seq) for _start, _end, row in cells]
    walls = tuple((a[1], b[0]) for a, b in zip(cells, cells[1:]))
    return read_quantities(text, cells[0][0], cells[-1][1], rules, year, scopes=document_scope,
                           place=lambda offset: places[bisect.bisect_right(starts, offset) - 1],
                           numbering=numbering, walls=walls)


def _annex_place(sections: tuple[Section, ...]) -> Callable[[int], Place]:
    """Where a record of an annex's prose stands: the annex, in its innermost section, if any."""
    def place(offset: int) -> Place:
        section = innermost_section(sections, offset)
        return Place(Source.ANNEX, section.path if section else None, None)

    return place


def _fixed(place: Place) -> Callable[[int], Place]:
    """Where the records of an annex row stand, wherever in its cell."""
    return lambda _offset: place


def _body_place(sections: tuple[Section, ...]) -> Callable[[int], Place]:
    """Where a body record stands: its innermost section. Between two section starts or ends the
    innermost section is one and the same: it is looked up once for each such stretch, and an
    offset finds its stretch by bisection."""
    bounds = sorted({s.start for s in sections} | {s.end for s in sections})
    places = []
    for start in bounds:
        section = innermost_section(sections, start)
        places.append(Place(Source.BODY, section.path if section else None, None))
    nowhere = Place(Source.BODY, None, None)

    def place(offset: int) -> Place:
        i = bisect.bisect_right(bounds, offset) - 1
        return places[i] if i >= 0 else nowhere

    return place


_HEADING_STOP = regex.compile("[\n。！？]")


# The title is read with the document's opening lines, which hold it where the header reader found
# none or took a web page's chrome or a salutation for it; they end where a list of annexes begins,
# which names other documents (附件：1.…的报告).
OPENING_LINES = 10
_ANNEX_LIST = "附件"


def _document_scope(text: str, seg: Segmented, rules: Rules) -> tuple[Scope, ...]:
    """The whole text, unless the title says the document is a plan: the numbers of a report are
    baselines by default, of any other document other (their goals are found by the goal rules)."""
    titles = [seg.header.title.value] if seg.header.title else []
    titles += itertools.takewhile(lambda line: not line.startswith(_ANNEX_LIST),
                                  (line.strip() for line in text.split("\n", OPENING_LINES)[:OPENING_LINES]))
    rule = next((r for r in rules.role_scopes if r.where == "title" and any(map(r.pattern.search, titles))), None)
    if rule is None or rule.role == QuantityRole.TARGET:
        return ()
    return (Scope(0, len(text), Decision(QuantityRole(rule.role), rule.rule_id), "title"),)


def _section_scopes(text: str, sections: tuple[Section, ...], rules: Rules) -> tuple[Scope, ...]:
    """Each section whose heading line says what its numbers are (申报条件: eligibility)."""
    scopes = []
    for section in sections:
        # The heading's first sentence: "（一）OPC社区实行达标备案，应具备以下条件：", not the measure it opens.
        stop = _HEADING_STOP.search(text, section.start, section.end)
        scopes.append(_heading_scope(text[section.start:stop.start() if stop else section.end], section.start,
                                     section.end, rules))
    return tuple(scope for scope in scopes if scope is not None)


def _annex_scopes(annexes: tuple[Annex, ...], rules: Rules) -> tuple[Scope, ...]:
    """Each annex whose title says what its numbers are, as a heading would (申报条件, 准入标准)."""
    scopes = [_heading_scope(annex.title, annex.start, annex.end, rules) for annex in annexes if annex.title]
    return tuple(scope for scope in scopes if scope is not None)


def _heading_scope(line: str, start: int, end: int, rules: Rules) -> Scope | None:
    """text[start:end] as the scope the first heading row of rules/role_scopes.tsv that `line` matches
    gives, None when none does."""
    rule = next((r for r in rules.role_scopes if r.where == "heading" and r.pattern.search(line)), None)
    return None if rule is None else Scope(start, end, Decision(QuantityRole(rule.role), rule.rule_id), "heading")


def innermost_section(sections: tuple[Section, ...], offset: int) -> Section | None:
    found = None
    for section in sections:
        if section.start <= offset < section.end and (found is None or section.level > found.level):
            found = section
    return found
