"""Resolve: responsibility notes and annex 责任单位 cells into units with roles.

Roles: a starred unit leads and the others in its list support; a list of one unit is
led by that unit; several units and no star leave every role "unspecified", and the
parser says so in a finding rather than guessing."""
from __future__ import annotations

from extractors.responsibility import UnitMention, find_notes, read_units
from pipeline.extract import innermost_section
from pipeline.model import Finding, Responsibility
from pipeline.segment import Segmented


def resolve(text: str, seg: Segmented) -> tuple[tuple[Responsibility, ...], tuple[Finding, ...]]:
    responsibilities: list[Responsibility] = []
    findings: list[Finding] = []
    for note in find_notes(text, seg.body_start, seg.body_end):
        section = innermost_section(seg.sections, note.start)
        path = section.path if section else None
        units, _legends = read_units(text, note.units_start, note.units_end)
        where = path or "preamble"
        responsibilities += _roles(units, "section", path, None, where, note.start, note.end, findings)
    for row in seg.annex_rows:
        units, _legends = read_units(text, row.units_start, row.units_end)
        where = f"annex row {row.seq}"
        responsibilities += _roles(units, "annex_row", None, row.seq, where, row.units_start, row.units_end, findings)
    return tuple(responsibilities), tuple(findings)


def _roles(units: list[UnitMention], scope: str, section_path: str | None, annex_seq: str | None,
           where: str, start: int, end: int, findings: list[Finding]) -> list[Responsibility]:
    if not units:
        findings.append(Finding("no_units", "a responsibility note names no unit", where, start, end))
        return []
    starred = any(u.starred for u in units)
    open_list = any(u.open_list for u in units)
    if len(units) > 1 and not starred:
        findings.append(Finding("no_lead_marked", f"{len(units)} units and none marked as lead (*)", where, start, end))
    records = []
    for position, u in enumerate(units, 1):
        if starred:
            role = "lead" if u.starred else "support"
        else:
            role = "lead" if len(units) == 1 else "unspecified"
        records.append(Responsibility(scope, section_path, annex_seq, u.unit, role, position, u.raw, open_list,
                                      u.start, u.end))
    return records
