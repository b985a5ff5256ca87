"""The per-unit view: for every unit, the tasks it leads and supports, with their targets, so
a department can read its own list. A view of the Document, computed for emit; it writes nothing."""
from __future__ import annotations

from policyparse.model import Document, Responsibility

ROLE_ORDER = {"lead": 0, "support": 1, "unspecified": 2}


def by_unit(doc: Document) -> list[dict]:
    """One entry per unit (by full name; as written when the name is unknown or generic), in
    the order the document first names them; its tasks by role (lead, support, unspecified),
    then in document order. A body note's task is its section; an annex row's is the row."""
    sections = {s.path: s for s in doc.sections}
    rows = {r.seq: r for r in doc.annex_rows}
    units: dict[str, dict] = {}
    for r in doc.responsibilities:
        key = r.unit_full or r.unit
        entry = units.setdefault(key, {"unit": key, "unit_full": r.unit_full, "generic": r.generic,
                                       "written_as": [], "lead": 0, "support": 0, "unspecified": 0, "tasks": []})
        if r.unit not in entry["written_as"]:
            entry["written_as"].append(r.unit)
        entry[r.role] += 1
        if r.scope == "annex_row":
            row = rows[r.annex_seq]
            section_path, task = row.link_section, row.task
        else:
            section = sections.get(r.section_path)
            section_path, task = r.section_path, section.title if section else ""
        entry["tasks"].append({
            "role": r.role, "scope": r.scope, "section_path": section_path, "annex_seq": r.annex_seq, "task": task,
            "targets": [{"target_id": t.target_id, "text": t.text} for t in _targets(doc, r)],
            "raw": r.raw, "start": r.start, "end": r.end,
        })
    for entry in units.values():
        entry["tasks"].sort(key=lambda task: (ROLE_ORDER[task["role"]], task["start"]))
    return list(units.values())


def _targets(doc: Document, r: Responsibility):
    """The targets of the task a responsibility is for: the annex row's, or the body section's
    (its sub-sections included, for a note that covers several measures)."""
    if r.scope == "annex_row":
        return [t for t in doc.targets if t.source == "annex" and t.annex_seq == r.annex_seq]
    path = r.section_path
    return [t for t in doc.targets if t.source == "body" and path is not None
            and (t.section_path == path or (t.section_path or "").startswith(path + "/"))]
