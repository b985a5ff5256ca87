"""Link: each annex row to the body measure it restates, and what the two disagree on.

The annex 任务分工清单 restates the body's measures row by row. A row is linked to the body
section (a heading with no sub-headings) that best contains it:

    link_score = mean(text score, target score)   (the text score alone for a row with no targets)
    text score   = the share of the row's character bigrams found in the section
    target score = the share of the row's targets whose value (value_base, base_unit) the section has

A row whose best score is under MIN_LINK_SCORE is left unlinked and reported. Between a linked
row and its section, the findings say where they disagree: a renamed measure, a target in one
but not the other or read differently (a hedge, a comparator, a kind), a different lead unit,
a unit named on one side only; and a body measure with no annex row at all."""
from __future__ import annotations

from collections import Counter

from policyparse.extractors.similarity import bigrams, containment, differing_words, opening_title, title_similarity
from policyparse.model import AnnexRow, Finding, FindingCode, Location, Responsibility, Scope, Section, Source, Target
from policyparse.rules import Rules

MIN_LINK_SCORE = 0.3
# Two names at least this alike (title_similarity) are one name written two ways.
RENAME_SIMILARITY = 0.6
# What a target comparison looks at, with how a message names each difference.
COMPARED = (("hedged", "hedge"), ("comparator", "comparator"), ("kind", "kind"))


def link(text: str, sections: tuple[Section, ...], rows: tuple[AnnexRow, ...], targets: tuple[Target, ...],
         responsibilities: tuple[Responsibility, ...], rules: Rules
         ) -> tuple[tuple[AnnexRow, ...], tuple[Finding, ...]]:
    if not rows or not sections:  # nothing to link (no_sections already says why)
        return rows, ()
    parents = {s.path.rsplit("/", depth)[0] for s in sections for depth in range(1, s.path.count("/") + 1)}
    leaves = [s for s in sections if s.path not in parents]
    body_targets: dict[str, list[Target]] = {s.path: [] for s in leaves}
    row_targets: dict[str, list[Target]] = {r.seq: [] for r in rows}
    for t in targets:
        if t.source == Source.BODY and t.section_path in body_targets:
            body_targets[t.section_path].append(t)
        elif t.source == Source.ANNEX and t.annex_seq in row_targets:
            row_targets[t.annex_seq].append(t)
    leaf_bigrams = {s.path: bigrams(text[s.start:s.end]) for s in leaves}
    # For each target value, the leaves that set it and how often: (leaf index, count).
    value_leaves: dict[tuple, list[tuple[int, int]]] = {}
    for i, leaf in enumerate(leaves):
        for value, count in Counter(map(_value, body_targets[leaf.path])).items():
            value_leaves.setdefault(value, []).append((i, count))
    findings: list[Finding] = []
    linked = []
    for row in rows:
        best = _best_section(row, leaves, leaf_bigrams, value_leaves, row_targets[row.seq])
        if best is None:
            findings.append(Finding(code=FindingCode.ANNEX_ROW_UNLINKED, message="no body measure restates this "
                                    f"row closely enough (best score under {MIN_LINK_SCORE})",
                                    where=_row_where(row), start=row.task_start, end=row.task_end))
            linked.append(row)
            continue
        section, score = best
        linked.append(row.evolve(link_section=section.path, link_score=round(score, 3)))
    units = _Units(responsibilities)
    for section in leaves:
        its_rows = [r for r in linked if r.link_section == section.path]
        if not its_rows:
            findings.append(Finding(code=FindingCode.MEASURE_NOT_IN_ANNEX, message=f"{section.path} {section.title}: "
                                    "no annex row restates this measure", where=Location.section(section.path),
                                    start=section.title_start, end=section.title_end))
            continue
        on_path = [s for s in sections if section.path == s.path or section.path.startswith(s.path + "/")]
        for row in its_rows:
            findings += _name_findings(text, row, section, sections, on_path, rules)
            findings += units.lead_findings(row, section)
        findings += _target_findings(section, its_rows, body_targets[section.path], row_targets)
        findings += units.coverage_findings(section, its_rows)
    return tuple(linked), tuple(findings)


def _best_section(row: AnnexRow, leaves: list[Section], leaf_bigrams: dict[str, set[str]],
                  value_leaves: dict[tuple, list[tuple[int, int]]], targets: list[Target]
                  ) -> tuple[Section, float] | None:
    """The leaf section with the highest link_score (the first in document order on a tie)."""
    row_bigrams = bigrams(row.task)
    if not targets:
        scored = [(containment(row_bigrams, leaf_bigrams[s.path]), -i) for i, s in enumerate(leaves)]
        score, index = max(scored)
        return (leaves[-index], score) if score >= MIN_LINK_SCORE else None
    # How many of the row's targets each leaf has (each of the leaf's targets counted once).
    shared: dict[int, int] = {}
    for value, count in Counter(map(_value, targets)).items():
        for i, leaf_count in value_leaves.get(value, ()):
            shared[i] = shared.get(i, 0) + min(count, leaf_count)
    order = sorted(((n / len(targets), -i) for i, n in shared.items()), reverse=True)
    order += [(0.0, -i) for i in range(len(leaves)) if i not in shared]
    best = (-1.0, 0)
    # The text score is at most 1: once a section's target score cannot lift it to the best
    # so far, neither can any after it in this order, and their bigrams need no comparing.
    for target_score, index in order:
        if (1 + target_score) / 2 < best[0]:
            break
        score = (containment(row_bigrams, leaf_bigrams[leaves[-index].path]) + target_score) / 2
        best = max(best, (score, index))
    score, index = best
    return (leaves[-index], score) if score >= MIN_LINK_SCORE else None


def _value(t: Target) -> tuple:
    return t.value_base, t.base_unit


def _row_where(row: AnnexRow) -> Location:
    return Location.rows(row.seq)


def _rows_where(rows: list[AnnexRow]) -> Location:
    return Location.rows(*(r.seq for r in rows))


def _verb(rows: list[AnnexRow], one: str, several: str) -> str:
    return one if len(rows) == 1 else several


def _amount(t: Target) -> str:
    return f"{t.value}{t.unit}"


def _quote(a: str, b: str, rules: Rules) -> str:
    return "; ".join(f"{x or '(nothing)'} ≠ {y or '(nothing)'}" for x, y in differing_words(a, b, rules))


def _name_findings(text: str, row: AnnexRow, section: Section, sections: tuple[Section, ...],
                   on_path: list[Section], rules: Rules) -> list[Finding]:
    """A measure the annex names otherwise than the body does: the 主要举措 cell against the
    headings over the linked section (`on_path`: the section and those above it), and a task
    cell that opens with the measure's title."""
    findings = []
    if (row.measure and row.measure_start is not None and row.measure_end is not None
            and all(s.title != row.measure for s in on_path)):
        alike = max(on_path, key=lambda s: title_similarity(row.measure, s.title))
        elsewhere = next((s for s in sections if s.title == row.measure), None)
        if title_similarity(row.measure, alike.title) >= RENAME_SIMILARITY:
            findings.append(Finding(
                code=FindingCode.MEASURE_RENAMED, message=f"annex row {row.seq} names the measure {row.measure}; the "
                f"body heading {alike.path} reads {alike.title} ({_quote(row.measure, alike.title, rules)})",
                where=_row_where(row), start=row.measure_start, end=row.measure_end,
                related_where=Location.section(alike.path), related_start=alike.title_start,
                related_end=alike.title_end))
        elif elsewhere is not None:
            findings.append(Finding(
                code=FindingCode.MEASURE_MISMATCH, message=f"annex row {row.seq} is filed under {row.measure} "
                f"({elsewhere.path}), but restates {section.path} {section.title}", where=_row_where(row),
                start=row.measure_start, end=row.measure_end, related_where=Location.section(elsewhere.path),
                related_start=elsewhere.title_start, related_end=elsewhere.title_end))
    opening = opening_title(text, row.task_start, row.task_end)
    if opening:
        title = text[opening[0]:opening[1]]
        if title != section.title and title_similarity(title, section.title) >= RENAME_SIMILARITY:
            findings.append(Finding(
                code=FindingCode.MEASURE_RENAMED, message=f"annex row {row.seq} opens with the measure {title}; the "
                f"body heading {section.path} reads {section.title} ({_quote(title, section.title, rules)})",
                where=_row_where(row), start=opening[0], end=opening[1],
                related_where=Location.section(section.path), related_start=section.title_start,
                related_end=section.title_end))
    return findings


def _target_findings(section: Section, rows: list[AnnexRow], body: list[Target],
                     row_targets: dict[str, list[Target]]) -> list[Finding]:
    """Pair each annex target with an unused body target of the same value (the most alike in
    words when several have it); report the unpaired on either side and the pairs read differently."""
    findings = []
    unused = list(body)
    for row in rows:
        for t in row_targets[row.seq]:
            same_value = [b for b in unused if _value(b) == _value(t)]
            if not same_value:
                findings.append(Finding(code=FindingCode.TARGET_ONLY_IN_ANNEX, message=f"annex row {row.seq} sets "
                                        f"{t.text}; the body measure {section.path} has no target of {_amount(t)}",
                                        where=_row_where(row), start=t.start, end=t.end,
                                        related_where=Location.section(section.path), related_start=section.start,
                                        related_end=section.end))
                continue
            pair = same_value[0]
            if len(same_value) > 1:
                pair = max(same_value, key=lambda b: title_similarity(t.text, b.text))
            unused.remove(pair)
            for field, name in COMPARED:
                if getattr(t, field) != getattr(pair, field):
                    findings.append(Finding(
                        code=FindingCode.TARGET_DIFFERS, message=f"{name} differs: annex row {row.seq} {t.text} "
                        f"({_describe(t, field)}); body {section.path} {pair.text} ({_describe(pair, field)})",
                        where=_row_where(row), start=t.start, end=t.end,
                        related_where=Location.section(section.path), related_start=pair.start,
                        related_end=pair.end))
    for b in unused:
        findings.append(Finding(code=FindingCode.TARGET_ONLY_IN_BODY, message=f"{section.path} sets {b.text}; "
                                f"{_rows_where(rows)} {_verb(rows, 'has', 'have')} no target of {_amount(b)}",
                                where=Location.section(section.path), start=b.start, end=b.end,
                                related_where=_rows_where(rows), related_start=rows[0].start,
                                related_end=rows[-1].end))
    return findings


def _describe(t: Target, field: str) -> str:
    if field == "hedged":
        return f"hedged: {t.modality}" if t.hedged else "not hedged"
    return f"{field} {getattr(t, field)}"


class _Units:
    """The units of the body notes and annex rows, compared by full name (as written when unknown)."""

    def __init__(self, responsibilities: tuple[Responsibility, ...]):
        self.in_section: dict[str, list[Responsibility]] = {}
        self.in_row: dict[str | None, list[Responsibility]] = {}
        for r in responsibilities:
            if r.scope == Scope.SECTION and r.section_path:
                self.in_section.setdefault(r.section_path, []).append(r)
            elif r.scope == Scope.ANNEX_ROW:
                self.in_row.setdefault(r.annex_seq, []).append(r)

    def body(self, section: Section) -> list[Responsibility]:
        """The note of the section, or of the nearest heading above it that has one."""
        path = section.path
        while path:
            if path in self.in_section:
                return self.in_section[path]
            path = path.rpartition("/")[0]
        return []

    def lead_findings(self, row: AnnexRow, section: Section) -> list[Finding]:
        body, annex = self.body(section), self.in_row.get(row.seq, [])
        annex_leads = [r for r in annex if r.role == "lead"]
        body_leads = [r for r in body if r.role == "lead"]
        if not annex_leads or not body_leads or any(r.role == "unspecified" for r in annex + body):
            return []
        annex_keys, body_keys = {_key(r) for r in annex_leads}, {_key(r) for r in body_leads}
        if annex_keys == body_keys:
            return []
        notes = [_elsewhere(r, body, "in the body") for r in annex_leads if _key(r) not in body_keys]
        notes += [_elsewhere(r, annex, "in the annex") for r in body_leads if _key(r) not in annex_keys]
        note_start, note_end = _span(body)
        return [Finding(code=FindingCode.LEAD_DIFFERS, message=f"annex row {row.seq} is led by {_names(annex_leads)}; "
                        f"the body measure {section.path} is led by {_names(body_leads)} ({'; '.join(notes)})",
                        where=_row_where(row), start=annex_leads[0].start, end=annex_leads[-1].end,
                        related_where=Location.section(body[0].section_path), related_start=note_start,
                        related_end=note_end)]

    def coverage_findings(self, section: Section, rows: list[AnnexRow]) -> list[Finding]:
        body = self.body(section)
        if not body:
            return []
        findings = []
        body_keys = {_key(r) for r in body}
        row_keys = set()
        for row in rows:
            for r in self.in_row.get(row.seq, []):
                row_keys.add(_key(r))
                if _key(r) not in body_keys:
                    note_start, note_end = _span(body)
                    findings.append(Finding(code=FindingCode.UNIT_ONLY_IN_ANNEX, message=f"annex row {row.seq} names "
                                            f"{r.unit}; the body note of {body[0].section_path} does not",
                                            where=_row_where(row), start=r.start, end=r.end,
                                            related_where=Location.section(body[0].section_path),
                                            related_start=note_start, related_end=note_end))
        if body[0].section_path == section.path:  # a note over several measures is checked against each by leads only
            for r in body:
                if _key(r) not in row_keys:
                    findings.append(Finding(code=FindingCode.UNIT_ONLY_IN_BODY, message=f"{section.path} names "
                                            f"{r.unit}; {_rows_where(rows)} {_verb(rows, 'does', 'do')} not",
                                            where=Location.section(section.path), start=r.start, end=r.end,
                                            related_where=_rows_where(rows), related_start=rows[0].units_start,
                                            related_end=rows[-1].units_end))
        return findings


def _elsewhere(r: Responsibility, others: list[Responsibility], side: str) -> str:
    """What a lead unit of one side is on the other: 市发改局 supports in the body."""
    supports = any(_key(o) == _key(r) and o.role == "support" for o in others)
    return f"{r.unit} {'supports' if supports else 'is not named'} {side}"


def _key(r: Responsibility) -> str:
    return r.unit_full or r.unit


def _names(rs: list[Responsibility]) -> str:
    return "、".join(r.unit for r in rs)


def _span(rs: list[Responsibility]) -> tuple[int, int]:
    return min(r.start for r in rs), max(r.end for r in rs)
