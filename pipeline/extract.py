"""Extract: targets from the body (one region, responsibility notes and heading numbers
read as blank) and from each annex task cell (a cell is its own region: sentences,
hedges and inherited words never cross a cell boundary)."""
from __future__ import annotations

from extractors.responsibility import find_notes
from extractors.targets import TargetMention, find_targets
from pipeline.model import Section, Target
from pipeline.segment import Segmented


def extract(text: str, seg: Segmented) -> tuple[Target, ...]:
    year = seg.header.year
    masked = tuple((n.start, n.end) for n in find_notes(text, seg.body_start, seg.body_end)) + seg.heading_marks
    targets = []
    for mention in find_targets(text, seg.body_start, seg.body_end, year, masked):
        section = innermost_section(seg.sections, mention.start)
        targets.append(_target(text, mention, "body", section.path if section else None, None))
    for row in seg.annex_rows:
        for mention in find_targets(text, row.task_start, row.task_end, year):
            targets.append(_target(text, mention, "annex", None, row.seq))
    return tuple(
        Target(target_id=f"T{i:04d}", **fields) for i, fields in enumerate(targets, 1)
    )


def innermost_section(sections: tuple[Section, ...], offset: int) -> Section | None:
    found = None
    for section in sections:
        if section.start <= offset < section.end and (found is None or section.level > found.level):
            found = section
    return found


def _target(text: str, m: TargetMention, source: str, section_path: str | None, annex_seq: str | None) -> dict:
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
        unit=q.unit,
        value_base=q.value_base,
        base_unit=q.base_unit,
        comparator=m.comparator,
        kind=m.kind,
        hedged=m.hedged,
        modality=m.modality,
        year=m.year,
        deadline=m.deadline,
        start=m.start,
        end=m.end,
    )
