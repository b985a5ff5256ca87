"""Compare two plans (usually one year and the next) by meaning, not by position:
measures by title and place, annex rows by task text, targets by indicator, base unit,
action and kind, each match with its score. Renumbering and reordering are not changes;
a target that matches nothing well enough is added or removed, never forced onto a poor
match.

Works on documents: parsed now, or read back from a JSON file `parse` wrote
(`Document.from_dict`), so a plan parsed last year can be compared with one parsed today."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import Any

from policyparse.model import AnnexRow, Document, Responsibility, Role, Scope, Section, Source, Target, to_json
from policyparse.rules import Rules

# Below these similarities two things are different things, not a changed one.
MIN_TITLE = 0.5
MIN_TASK = 0.5
MIN_INDICATOR = 0.6

CHANGE_TYPES = (
    "measure_added", "measure_removed", "measure_renamed", "row_added", "row_removed",
    "target_added", "target_removed", "target_value_changed", "comparator_changed", "kind_changed",
    "hedge_changed", "deadline_changed", "lead_unit_changed", "support_units_changed",
)


@dataclass(frozen=True)
class Change:
    change: str
    where_old: str | None
    where_new: str | None
    indicator: str | None
    old: object
    new: object
    relative_change: float | None = None
    score: float | None = None
    text_old: str | None = None
    text_new: str | None = None


@dataclass
class Diff:
    old: dict  # doc_id, title, year of each side
    new: dict
    changes: list[Change] = field(default_factory=list)
    matches: dict = field(default_factory=dict)  # what was aligned with what, with scores

    def to_dict(self) -> dict:
        return {"old": self.old, "new": self.new, "changes": [asdict(c) for c in self.changes],
                "matches": self.matches}

    def counts(self) -> dict[str, int]:
        return {kind: sum(c.change == kind for c in self.changes) for kind in CHANGE_TYPES
                if any(c.change == kind for c in self.changes)}


def _rules(rules: Rules | None) -> Rules:
    """The rule set whose indicator aliases apply: the bundled one unless another is given."""
    if rules is not None:
        return rules
    from policyparse.run import default_parser

    return default_parser().rules


def normalise_indicator(text: str | None, rules: Rules | None = None) -> str:
    """An indicator with the document's own abbreviations written out (规上 → 规模以上) and
    quotes and spaces dropped, so 规上工业产值 and 规模以上工业产值 compare as equal."""
    if not text:
        return ""
    for short, full in _rules(rules).indicator_aliases:
        text = text.replace(full, short)
    return "".join(ch for ch in text if ch not in "“”‘’\"' \u3000\n")


def similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _greedy(pairs: list[tuple[float, int, int]]) -> dict[int, tuple[int, float]]:
    """Best-first one-to-one assignment: old index → (new index, score)."""
    taken_old, taken_new, result = set(), set(), {}
    for score, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            result[i] = (j, score)
    return result


def _describe(doc: Document) -> dict:
    title = doc.header.title
    return {"doc_id": doc.doc_id, "title": title.value if title else None, "year": doc.header.year}


def _where_target(t: Target) -> str | None:
    return t.section_path if t.annex_seq is None else f"annex {t.annex_seq}"


def diff(old: Document, new: Document, rules: Rules | None = None) -> Diff:
    """The changes from plan `old` to plan `new`; `rules`: the rule set whose indicator aliases
    apply (the bundled one by default)."""
    rules = _rules(rules)
    result = Diff(_describe(old), _describe(new))
    sections = _align_sections(old.sections, new.sections, result)
    rows = _align_rows(old.annex_rows, new.annex_rows, result)
    _compare_units(old, new, sections, rows, result)
    _align_targets(old.targets, new.targets, sections, rows, result, rules)
    return result


def _align_sections(old: tuple[Section, ...], new: tuple[Section, ...], result: Diff) -> dict[str, str]:
    pairs = []
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            if a.level != b.level:
                continue
            title = similarity(a.title, b.title)
            if title >= MIN_TITLE:
                # A measure that kept its place is a little more likely the same one.
                pairs.append((round(min(1.0, title + (0.05 if a.path == b.path else 0)), 3), i, j))
    matched = _greedy(pairs)
    by_path = {}
    for i, (j, score) in sorted(matched.items()):
        a, b = old[i], new[j]
        by_path[a.path] = b.path
        if a.title != b.title:
            result.changes.append(Change("measure_renamed", a.path, b.path, None, a.title, b.title, score=score))
    matched_new = {j for j, _ in matched.values()}
    for i, a in enumerate(old):
        if i not in matched:
            result.changes.append(Change("measure_removed", a.path, None, None, a.title, None))
    for j, b in enumerate(new):
        if j not in matched_new:
            result.changes.append(Change("measure_added", None, b.path, None, None, b.title))
    result.matches["sections"] = [{"old": old[i].path, "new": new[j].path, "score": s}
                                  for i, (j, s) in sorted(matched.items())]
    return by_path


def _align_rows(old: tuple[AnnexRow, ...], new: tuple[AnnexRow, ...], result: Diff) -> dict[str, str]:
    pairs = []
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            score = similarity(a.task, b.task)
            if score >= MIN_TASK:
                pairs.append((round(score, 3), i, j))
    matched = _greedy(pairs)
    matched_new = {j for j, _ in matched.values()}
    for i, a in enumerate(old):
        if i not in matched:
            result.changes.append(Change("row_removed", f"annex {a.seq}", None, None, a.task, None))
    for j, b in enumerate(new):
        if j not in matched_new:
            result.changes.append(Change("row_added", None, f"annex {b.seq}", None, None, b.task))
    result.matches["annex_rows"] = [{"old": old[i].seq, "new": new[j].seq, "score": s}
                                    for i, (j, s) in sorted(matched.items())]
    return {old[i].seq: new[j].seq for i, (j, _) in matched.items()}


def _units(responsibilities: tuple[Responsibility, ...], scope: Scope, where: str, role: Role) -> list[str]:
    return sorted(r.unit_full or r.unit for r in responsibilities
                  if r.scope == scope and r.where == where and r.role == role)


def _compare_units(old: Document, new: Document, sections: dict[str, str], rows: dict[str, str],
                   result: Diff) -> None:
    aligned = [(Scope.SECTION, a, b, a, b) for a, b in sections.items()]
    aligned += [(Scope.ANNEX_ROW, a, b, f"annex {a}", f"annex {b}") for a, b in rows.items()]
    for scope, a, b, where_a, where_b in aligned:
        for role, change in ((Role.LEAD, "lead_unit_changed"), (Role.SUPPORT, "support_units_changed")):
            before = _units(old.responsibilities, scope, a, role)
            after = _units(new.responsibilities, scope, b, role)
            if before != after:
                result.changes.append(Change(change, where_a, where_b, None, before, after))


def _align_targets(old: tuple[Target, ...], new: tuple[Target, ...], sections: dict[str, str],
                   rows: dict[str, str], result: Diff, rules: Rules) -> None:
    names_old = [normalise_indicator(t.indicator, rules) for t in old]
    names_new = [normalise_indicator(t.indicator, rules) for t in new]
    # Values as the dataset JSON holds them (an int when whole, else a float): a diff of two
    # dataset files and of two parsed documents then agree to the last digit.
    value = {id(t): (to_json(t.value_base), to_json(t.value_base_high)) for t in (*old, *new)}
    pairs = []
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            if a.source != b.source or a.base_unit != b.base_unit:
                continue
            name = similarity(names_old[i], names_new[j])
            if name < MIN_INDICATOR:
                continue
            aligned = (sections if a.annex_seq is None else rows).get(a.where or "") == b.where
            score = name * 0.7 + 0.1 * (a.kind == b.kind) + 0.1 * (a.action == b.action) + 0.1 * aligned
            # Two equal values in the same place are very likely the same target (a tie-break).
            score += 0.01 * (value[id(a)][0] == value[id(b)][0])
            pairs.append((round(min(score, 1.0), 3), i, j))
    matched = _greedy(pairs)
    matched_new = {j for j, _ in matched.values()}
    for i, (j, score) in sorted(matched.items()):
        a, b = old[i], new[j]
        common: dict[str, Any] = dict(where_old=_where_target(a), where_new=_where_target(b), indicator=b.indicator,
                                      score=score, text_old=a.text, text_new=b.text)
        (low_a, _high_a), (low_b, _high_b) = value[id(a)], value[id(b)]
        if value[id(a)] != value[id(b)]:
            relative = (low_b - low_a) / low_a if low_a else None
            result.changes.append(Change("target_value_changed", old=low_a, new=low_b,
                                         relative_change=None if relative is None else round(relative, 4),
                                         **common))
        for key, change in (("comparator", "comparator_changed"), ("kind", "kind_changed"),
                            ("hedged", "hedge_changed"), ("deadline", "deadline_changed")):
            before, after = to_json(getattr(a, key)), to_json(getattr(b, key))
            if before != after:
                result.changes.append(Change(change, old=before, new=after, **common))
    for i, a in enumerate(old):
        if i not in matched:
            result.changes.append(Change("target_removed", _where_target(a), None, a.indicator, value[id(a)][0],
                                         None, text_old=a.text))
    for j, b in enumerate(new):
        if j not in matched_new:
            result.changes.append(Change("target_added", None, _where_target(b), b.indicator, None,
                                         value[id(b)][0], text_new=b.text))
    result.matches["targets"] = [{"old": old[i].target_id, "new": new[j].target_id, "score": s}
                                 for i, (j, s) in sorted(matched.items())]


def history(documents: list[Document], rules: Rules | None = None) -> tuple[list[str], list[dict]]:
    """One row per indicator (normalised, with its base unit and kind) and one column per
    plan: the year, or the doc_id when two plans share a year (counties of one year). A cell
    holds the indicator's value_base in that plan (its body target, else its annex one)."""
    rules = _rules(rules)
    years = [d.header.year for d in documents]
    by_year = len(set(years)) == len(years) and None not in years
    columns = [str(y) if by_year else d.doc_id for y, d in zip(years, documents)]
    order = sorted(range(len(documents)), key=lambda k: (years[k] or 0, columns[k])) if by_year else range(
        len(documents))
    columns = [columns[k] for k in order]
    rows: dict[tuple, dict] = {}
    for k in order:
        column = str(years[k]) if by_year else documents[k].doc_id
        for t in sorted(documents[k].targets, key=lambda t: t.source != Source.BODY):
            key = (normalise_indicator(t.indicator, rules), t.base_unit, t.kind.value)
            if not key[0]:
                continue
            row = rows.setdefault(key, {"indicator": t.indicator, "base_unit": t.base_unit, "kind": t.kind.value})
            row.setdefault(column, to_json(t.value_base))
    return columns, sorted(rows.values(), key=lambda r: (normalise_indicator(r["indicator"], rules), r["base_unit"],
                                                         r["kind"]))
