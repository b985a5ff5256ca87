"""The per-unit view: for every unit, the tasks it leads and supports, with their targets, so
a department can read its own list. A view of the Document (`Document.by_unit()`); it writes nothing."""
from __future__ import annotations

from typing import TYPE_CHECKING

from policyparse.model import Role, Scope, Source, TargetRef, UnitEntry, UnitTask

if TYPE_CHECKING:
    from policyparse.model import AnnexRow, Document, Responsibility, Section, Target

ROLE_ORDER = {Role.LEAD: 0, Role.SUPPORT: 1, Role.UNSPECIFIED: 2}


def by_unit(doc: Document) -> list[UnitEntry]:
    """One entry per unit (by full name; as written when the name is unknown or generic), in
    the order the document first names them; its tasks by role (lead, support, unspecified),
    then in document order. A body note's task is its section; an annex row's is the row."""
    sections: dict[str | None, Section] = {s.path: s for s in doc.sections}
    rows: dict[str | None, AnnexRow] = {r.seq: r for r in doc.annex_rows}
    units: dict[str, dict] = {}
    for r in doc.responsibilities:
        key = r.unit_full or r.unit
        entry = units.setdefault(key, {"unit": key, "unit_full": r.unit_full, "generic": r.generic,
                                       "written_as": [], Role.LEAD: 0, Role.SUPPORT: 0, Role.UNSPECIFIED: 0,
                                       "tasks": []})
        if r.unit not in entry["written_as"]:
            entry["written_as"].append(r.unit)
        entry[r.role] += 1
        if r.scope == Scope.ANNEX_ROW:
            row = rows[r.annex_seq]
            section_path, task = row.link_section, row.task
        else:
            section = sections.get(r.section_path)
            section_path, task = r.section_path, section.title if section else ""
        entry["tasks"].append(UnitTask(
            role=r.role, scope=r.scope, section_path=section_path, annex_seq=r.annex_seq, task=task,
            targets=tuple(TargetRef(target_id=t.target_id, text=t.text) for t in _targets(doc, r)),
            raw=r.raw, start=r.start, end=r.end))
    return [UnitEntry(unit=e["unit"], unit_full=e["unit_full"], generic=e["generic"], written_as=tuple(e["written_as"]),
                      lead=e[Role.LEAD], support=e[Role.SUPPORT], unspecified=e[Role.UNSPECIFIED],
                      tasks=tuple(sorted(e["tasks"], key=lambda task: (ROLE_ORDER[task.role], task.start))))
            for e in units.values()]


def _targets(doc: Document, r: Responsibility) -> list[Target]:
    """The targets of the task a responsibility is for: the annex row's, or the body section's
    (its sub-sections included, for a note that covers several measures)."""
    if r.scope == Scope.ANNEX_ROW:
        return [t for t in doc.targets if t.source == Source.ANNEX and t.annex_seq == r.annex_seq]
    path = r.section_path
    return [t for t in doc.targets if t.annex_seq is None and path is not None
            and (t.section_path == path or (t.section_path or "").startswith(path + "/"))]
