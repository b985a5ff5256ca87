"""Extract: quantities and their targets from the body (one region, responsibility notes and heading numbers
read as blank) and from each annex task cell (a cell is its own region: sentences,
hedges and inherited words never cross a cell boundary)."""
from __future__ import annotations

import regex

from policyparse.extractors.responsibility import find_notes
from policyparse.extractors.roles import Decision
from policyparse.extractors.targets import Reading, Scope, read_quantities
from policyparse.model import Finding, FindingCode, Location, Quantity, QuantityRole, Section, Source, Target
from policyparse.rules import Rules
from policyparse.segment import Segmented


def extract(text: str, seg: Segmented, rules: Rules) -> tuple[tuple[Quantity, ...], tuple[Target, ...],
                                                               tuple[Finding, ...]]:
    """Every quantity of the body and the annex with its role, the targets read from those of role
    `target`, and a finding for each target unit not in rules/units.tsv."""
    year = seg.header.year
    masked = tuple((n.start, n.end) for n in find_notes(text, rules, seg.body_start, seg.body_end)) + seg.heading_marks
    breaks = tuple(s.title_end for s in seg.sections)
    document_scope = _document_scope(text, seg, rules)
    # (reading, where it stands: the source, section path and annex seq as a target and a quantity hold them)
    placed: list[tuple[Reading, dict[str, str | None], Location]] = []
    for r in read_quantities(text, seg.body_start, seg.body_end, rules, year, masked, breaks,
                             document_scope + _section_scopes(text, seg.sections, rules)):
        section = innermost_section(seg.sections, r.quantity.start)
        path = section.path if section else None
        placed.append((r, {"source": Source.BODY, "section_path": path, "annex_seq": None}, Location.section(path)))
    for row in seg.annex_rows:
        found = read_quantities(text, row.task_start, row.task_end, rules, year, scopes=document_scope)
        placed += [(r, {"source": Source.ANNEX, "section_path": None, "annex_seq": row.seq}, Location.rows(row.seq))
                   for r in found]
    known_base_units = {u.base_unit for u in rules.units.values()}
    quantities: list[Quantity] = []
    targets: list[Target] = []
    findings: list[Finding] = []
    for i, (r, where, location) in enumerate(placed, 1):
        quantity_id = f"Q{i:04d}"
        quantities.append(r.quantity.evolve(quantity_id=quantity_id, **where))
        if r.target is None:
            continue
        t = r.target
        targets.append(t.evolve(target_id=f"T{len(targets) + 1:04d}", quantity_id=quantity_id, **where))
        if t.base_unit not in known_base_units:
            findings.append(Finding(code=FindingCode.UNKNOWN_MEASURE_UNIT,
                                    message=f"unit {t.unit!r} of {t.text!r} is not in rules/units.tsv; kept as written",
                                    where=location, start=t.start, end=t.end))
    return tuple(quantities), tuple(targets), tuple(findings)


_HEADING_STOP = regex.compile("[\n。！？]")


def _document_scope(text: str, seg: Segmented, rules: Rules) -> tuple[Scope, ...]:
    """The whole text, unless the title says the document is a plan: the numbers of a report are
    baselines by default, of any other document other (their goals are found by the goal rules)."""
    title = seg.header.title.value if seg.header.title else ""
    rule = next((r for r in rules.role_scopes if r.where == "title" and r.pattern.search(title)), None)
    if rule is None or rule.role == QuantityRole.TARGET:
        return ()
    return (Scope(0, len(text), Decision(rule.role, rule.rule_id), "title"),)


def _section_scopes(text: str, sections: tuple[Section, ...], rules: Rules) -> tuple[Scope, ...]:
    """Each section whose heading line says what its numbers are (申报条件: eligibility)."""
    headings = [r for r in rules.role_scopes if r.where == "heading"]
    scopes = []
    for section in sections:
        # The heading's first sentence: "（一）OPC社区实行达标备案，应具备以下条件：", not the measure it opens.
        stop = _HEADING_STOP.search(text, section.start, section.end)
        line = text[section.start:stop.start() if stop else section.end]
        rule = next((r for r in headings if r.pattern.search(line)), None)
        if rule is not None:
            scopes.append(Scope(section.start, section.end, Decision(rule.role, rule.rule_id), "heading"))
    return tuple(scopes)


def innermost_section(sections: tuple[Section, ...], offset: int) -> Section | None:
    found = None
    for section in sections:
        if section.start <= offset < section.end and (found is None or section.level > found.level):
            found = section
    return found
