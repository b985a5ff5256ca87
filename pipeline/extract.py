"""Extract: targets from the body (one region, responsibility notes and heading numbers
read as blank) and from each annex task cell (a cell is its own region: sentences,
hedges and inherited words never cross a cell boundary)."""
from __future__ import annotations

from policyparse.extractors.responsibility import find_notes
from policyparse.extractors.targets import find_targets
from policyparse.model import Finding, FindingCode, Location, Section, Source, Target
from policyparse.rules import Rules
from policyparse.segment import Segmented


def extract(text: str, seg: Segmented, rules: Rules) -> tuple[tuple[Target, ...], tuple[Finding, ...]]:
    """The targets of the body and the annex, and a finding for each unit not in rules/units.tsv."""
    year = seg.header.year
    masked = tuple((n.start, n.end) for n in find_notes(text, rules, seg.body_start, seg.body_end)) + seg.heading_marks
    breaks = tuple(s.title_end for s in seg.sections)
    placed: list[tuple[Target, Source, str | None, str | None]] = []  # (target, source, section path, annex seq)
    for t in find_targets(text, seg.body_start, seg.body_end, rules, year, masked, breaks):
        section = innermost_section(seg.sections, t.start)
        placed.append((t, Source.BODY, section.path if section else None, None))
    for row in seg.annex_rows:
        found = find_targets(text, row.task_start, row.task_end, rules, year)
        placed += [(t, Source.ANNEX, None, row.seq) for t in found]
    records = tuple(t.evolve(target_id=f"T{i:04d}", source=source, section_path=path, annex_seq=seq)
                    for i, (t, source, path, seq) in enumerate(placed, 1))
    known_base_units = {u.base_unit for u in rules.units.values()}
    findings = tuple(
        Finding(code=FindingCode.UNKNOWN_MEASURE_UNIT,
                message=f"unit {t.unit!r} of {t.text!r} is not in rules/units.tsv; kept as written",
                where=Location.section(t.section_path) if t.source == Source.BODY else Location.rows(t.annex_seq),
                start=t.start, end=t.end)
        for t in records if t.base_unit not in known_base_units
    )
    return records, findings


def innermost_section(sections: tuple[Section, ...], offset: int) -> Section | None:
    found = None
    for section in sections:
        if section.start <= offset < section.end and (found is None or section.level > found.level):
            found = section
    return found
