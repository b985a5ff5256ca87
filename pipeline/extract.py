"""Extract: targets from the body (one region, responsibility notes and heading numbers
read as blank) and from each annex task cell (a cell is its own region: sentences,
hedges and inherited words never cross a cell boundary)."""
from __future__ import annotations

from policyparse.extractors.responsibility import find_notes
from policyparse.extractors.targets import TargetMention, find_targets
from policyparse.rules import Rules
from policyparse.model import Comparator, Finding, FindingCode, Kind, Location, Section, Source, Target
from policyparse.segment import Segmented


def extract(text: str, seg: Segmented, rules: Rules) -> tuple[tuple[Target, ...], tuple[Finding, ...]]:
    """The targets of the body and the annex, and a finding for each unit not in rules/units.tsv."""
    year = seg.header.year
    masked = tuple((n.start, n.end) for n in find_notes(text, rules, seg.body_start, seg.body_end)) + seg.heading_marks
    breaks = tuple(s.title_end for s in seg.sections)
    targets = []
    for mention in find_targets(text, seg.body_start, seg.body_end, rules, year, masked, breaks):
        section = innermost_section(seg.sections, mention.start)
        targets.append(_target(text, mention, Source.BODY, section.path if section else None, None))
    for row in seg.annex_rows:
        for mention in find_targets(text, row.task_start, row.task_end, rules, year):
            targets.append(_target(text, mention, Source.ANNEX, None, row.seq))
    records = tuple(Target(target_id=f"T{i:04d}", **fields) for i, fields in enumerate(targets, 1))
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


def _target(text: str, m: TargetMention, source: Source, section_path: str | None, annex_seq: str | None) -> dict:
    q = m.quantity
    return dict(
        source=source,
        section_path=section_path,
        annex_seq=annex_seq,
        text=text[m.start:m.end],
        indicator=m.indicator,
        indicator_start=m.indicator_start,
        indicator_end=m.indicator_end,
        action=m.action,
        value=q.value,
        value_low=q.value,
        value_high=q.value if q.value_high is None else q.value_high,
        unit=q.unit,
        value_base=q.value_base,
        value_base_high=q.value_base if q.value_base_high is None else q.value_base_high,
        base_unit=q.base_unit,
        comparator=Comparator(m.comparator),
        approximate=m.approximate,
        kind=Kind(m.kind),
        hedged=m.hedged,
        modality=m.modality,
        year=m.year,
        deadline=m.deadline,
        start=m.start,
        end=m.end,
    )
