"""Resolve: responsibility notes and annex 责任单位 cells into units with roles and full names.

Roles, in this order: a list labelled 牵头单位 leads and one labelled 配合单位 supports; the
note's own words (A牵头，B配合; A指导，B负责落实); a unit with a lead mark (* after or before
it) leads and the others in its list support; a responsible list (责任单位) leads beside a
配合单位 list and supports beside a 牵头单位 list; under a legend the first unit leads ("列第一位者
为牵头单位") or the units before the first ， do ("第一个逗号前为牵头单位"); a list of one unit
is led by that unit. Several units and nothing else leave every role "unspecified", and the
parser says so in a finding rather than guessing; so does a legend in a wording no rule knows.
A standing instruction ("以下均需各区政府落实，不再列出") adds its units once, where it stands,
as standing support. A unit name the alias table does not know is kept as written and reported."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from policyparse.extract import innermost_section
from policyparse.extractors.responsibility import (
    Legend,
    UnitList,
    UnitMention,
    find_legend_like,
    find_legends,
    find_standing,
    label_role,
    read_lists,
    scan_notes,
)
from policyparse.extractors.unit_names import full_name, is_generic, jurisdiction_of
from policyparse.model import Finding, FindingCode, Location, Place, Responsibility, Role, RoleRule, Scope
from policyparse.rules import Rules
from policyparse.segment import Segmented


@dataclass(frozen=True)
class _Place:
    """Where a set of lists stands: a body note or an annex row."""

    scope: Scope
    section_path: str | None
    annex_seq: str | None
    where: Location
    start: int
    end: int


def resolve(text: str, seg: Segmented, rules: Rules) -> tuple[tuple[Responsibility, ...], tuple[Finding, ...]]:
    jurisdiction = jurisdiction_of(seg.header.issuer.value if seg.header.issuer else None, rules)
    legends = find_legends(text, rules)
    responsibilities: list[Responsibility] = []
    findings: list[Finding] = _unknown_legends(text, legends, seg, rules)
    notes, unread = scan_notes(text, rules, seg.body_start, seg.body_end)
    for start, end in seg.annex_prose:  # an annex's prose has notes as the body does
        more, more_unread = scan_notes(text, rules, start, end)
        notes += more
        unread += more_unread
    for note in notes:
        section = innermost_section(seg.sections, note.start)
        path = section.path if section else None
        place = _Place(Scope.SECTION, path, None, Location.section(path), note.start, note.end)
        lists, standing = _listed_and_standing(text, note.start, note.end,
                                               read_lists(text, note.units_start, note.units_end, rules), rules)
        convention = _convention(legends, note.end, seg.body_end)
        found = _roles(lists, place, convention, jurisdiction, findings, rules)
        found += [_record(u, place, position, Role.SUPPORT, RoleRule.STANDING, jurisdiction, rules, standing=True)
                  for position, u in enumerate(standing, len(found) + 1)]
        responsibilities += found
    findings += _unread(text, unread, seg)
    header = {field: text[start:end] for field, start, end in seg.annex_header}
    units_role = label_role(header.get("units", ""), rules)
    support_role = label_role(header.get("support_units", ""), rules) or "support"
    for row in seg.annex_rows:
        lists = read_lists(text, row.units_start, row.units_end, rules, units_role)
        if row.support_units_start is not None and row.support_units_end is not None:
            lists += read_lists(text, row.support_units_start, row.support_units_end, rules, support_role)
        place = _Place(Scope.ANNEX_ROW, None, row.seq, Location.rows(row.seq), row.units_start,
                       row.support_units_end if row.support_units_end is not None else row.units_end)
        convention = _convention(legends, row.end, seg.body_end)
        responsibilities += _roles(lists, place, convention, jurisdiction, findings, rules)
    findings += _unknown_units(responsibilities)
    return tuple(responsibilities), tuple(findings)


def _listed_and_standing(text: str, start: int, end: int, lists: list[UnitList],
                         rules: Rules) -> tuple[list[UnitList], list[UnitMention]]:
    """A note's lists without the units its standing instruction (以下均需各区政府落实，不再列出)
    names again, and the standing units: those listed ones (各区政府 … 以下均需各区政府落实;
    各县区人民政府 … 以下均涉及各县区), then the instruction's others. Each is recorded once."""
    if "列出" not in text[start:end]:  # every standing instruction says 不再列出
        return lists, []
    named = [u for _s, _e, units_start, units_end in find_standing(text, rules, start, end)
             for lst in read_lists(text, units_start, units_end, rules) for u in lst.units if u.unit]
    again = [u for lst in lists for u in lst.units if any(s.unit in u.unit for s in named)]
    kept = [dataclasses.replace(lst, units=units) for lst in lists
            if (units := tuple(u for u in lst.units if u not in again))]
    return kept, again + [s for s in named if not any(s.unit in u.unit for u in again)]


def _unknown_legends(text: str, legends: list[Legend], seg: Segmented, rules: Rules) -> list[Finding]:
    """A sentence that explains who leads in a wording no legend row reads: said, not guessed."""
    return [Finding(code=FindingCode.LEGEND_UNKNOWN, message=f"{text[s:e]!r} explains who leads in a wording "
                    "rules/lead_markers.tsv does not know: roles left as the notes mark them",
                    where=_place_of(seg, s), start=s, end=e)
            for s, e in find_legend_like(text, rules) if not any(lg.start <= s < lg.end or s <= lg.start < e
                                                                for lg in legends)]


def _unread(text: str, unread: list[tuple[int, int]], seg: Segmented) -> list[Finding]:
    """A bracket in the body that reads like a note but was not read as one."""
    return [Finding(code=FindingCode.NOTE_UNREAD, message=f"{text[s:e]!r} reads like a responsibility note but was "
                    "not read as one", where=_place_of(seg, s), start=s, end=e) for s, e in unread]


def _place_of(seg: Segmented, offset: int) -> Location:
    section = innermost_section(seg.sections, offset)
    if offset >= seg.body_end and section is None:
        return Location(Place.ANNEX)
    return Location.section(section.path if section else None)


def _convention(legends: list[Legend], position: int, body_end: int) -> str:
    """How lead marks read in a list that ends at `position`: by the last legend before that
    (one inside the list included; "下同" carries it on); in the annex, a legend anywhere in the
    annex (its header, a note under the table) holds for every row."""
    if position > body_end:
        in_annex = [lg for lg in legends if lg.start >= body_end]
        if in_annex:
            return in_annex[-1].convention
    before = [lg for lg in legends if lg.start < min(position, body_end)]
    return before[-1].convention if before else "star"


def _roles(lists: list[UnitList], place: _Place, convention: str, jurisdiction: str | None,
           findings: list[Finding], rules: Rules) -> list[Responsibility]:
    units = [u for lst in lists for u in lst.units]
    if not units:
        findings.append(Finding(code=FindingCode.NO_UNITS,
                                message=f"{place.where}: the responsibility note or cell names no unit",
                                where=place.where, start=place.start, end=place.end))
        return []
    roles = {lst.label_role for lst in lists}
    assigned = []  # (list, mention, role, rule)
    for lst in lists:
        for i, u in enumerate(lst.units):
            assigned.append((lst, u, *_role(lst, i, roles, convention)))
    if any(role == Role.UNSPECIFIED for *_, role, _rule in assigned):
        findings.append(Finding(code=FindingCode.NO_LEAD_MARKED, message=f"{len(units)} units and none marked as "
                                "lead: " + "、".join(u.unit for u in units), where=place.where, start=place.start,
                                end=place.end))
    elif not any(role == Role.LEAD for *_, role, _rule in assigned):
        findings.append(Finding(code=FindingCode.NO_LEAD_UNIT, message="no unit leads: " + "、".join(
            f"{u.unit} ({role})" for _, u, role, _rule in assigned), where=place.where, start=place.start,
            end=place.end))
    return [_record(u, place, position, role, rule, jurisdiction, rules)
            for position, (lst, u, role, rule) in enumerate(assigned, 1)]


def _record(u: UnitMention, place: _Place, position: int, role: Role, rule: RoleRule,
            jurisdiction: str | None, rules: Rules, standing: bool = False) -> Responsibility:
    return Responsibility(scope=place.scope, section_path=place.section_path, annex_seq=place.annex_seq, unit=u.unit,
                          role=role, position=position, raw=u.raw, open_list=u.open_list, start=u.start, end=u.end,
                          unit_full=full_name(u.unit, jurisdiction, rules),
                          generic=is_generic(u.unit, rules), role_rule=rule, standing=standing,
                          note_start=place.start, note_end=place.end)


Reading = tuple[Role, RoleRule] | None


def _by_label(lst: UnitList, index: int, roles_in_note: set[str | None], convention: str) -> Reading:
    """A list labelled 牵头单位 leads, one labelled 配合单位 supports."""
    return (Role(lst.label_role), RoleRule.LABEL) if lst.label_role in ("lead", "support") else None


def _by_words(lst: UnitList, index: int, roles_in_note: set[str | None], convention: str) -> Reading:
    """The note's own words: "A牵头，B、C配合", "A指导，B负责落实", "A会同B负责"."""
    word = lst.units[index].word_role
    if word in ("lead", "support"):
        return Role(word), RoleRule.WORDS
    if word == "responsible" and any(u.word_role in ("lead", "support") for u in lst.units):
        # "A牵头，B负责": beside a lead, the responsible units support; beside supporters they lead
        leads = any(u.word_role == "lead" for u in lst.units)
        return (Role.SUPPORT if leads else Role.LEAD), RoleRule.WORDS
    return None


def _by_mark(lst: UnitList, index: int, roles_in_note: set[str | None], convention: str) -> Reading:
    """A unit with a lead mark (*, （牵头）) leads; the others of its list support."""
    if any(u.lead_marked for u in lst.units):
        return (Role.LEAD if lst.units[index].lead_marked else Role.SUPPORT), RoleRule.LEAD_MARK
    return None


def _by_other_label(lst: UnitList, index: int, roles_in_note: set[str | None], convention: str) -> Reading:
    """A 责任单位 list beside a 牵头单位 list supports; beside a 配合单位 list it leads."""
    if "lead" in roles_in_note:
        return Role.SUPPORT, RoleRule.LABEL
    if "support" in roles_in_note:
        return Role.LEAD, RoleRule.LABEL
    return None


def _first_leads(lst: UnitList, index: int) -> Role:
    return Role.LEAD if index == 0 else Role.SUPPORT


def _before_first_comma_lead(lst: UnitList, index: int) -> Role:
    """第一个逗号前为牵头单位: the units before the list's first ， lead, however many."""
    return Role.LEAD if lst.units[index].clause == 0 else Role.SUPPORT


# A legend's convention (the legend_<convention> rows of rules/lead_markers.tsv) → how it reads
# a list of several unmarked units; None: it adds nothing to the marks, which any notice may use.
CONVENTIONS: dict[str, Callable[[UnitList, int], Role] | None] = {
    "star": None, "first": _first_leads, "first_comma": _before_first_comma_lead}


def _by_legend(lst: UnitList, index: int, roles_in_note: set[str | None], convention: str) -> Reading:
    reads = CONVENTIONS[convention]
    if reads is None or len(lst.units) < 2:
        return None
    return reads(lst, index), RoleRule(f"legend_{convention}")


def _by_single(lst: UnitList, index: int, roles_in_note: set[str | None], convention: str) -> Reading:
    """A list of one unit is led by it."""
    return (Role.LEAD, RoleRule.SINGLE) if len(lst.units) == 1 else None


# Who decides a unit's role, the first that does: what the note says outranks how it is laid out.
ROLE_READERS = (_by_label, _by_words, _by_mark, _by_other_label, _by_legend, _by_single)


def _role(lst: UnitList, index: int, roles_in_note: set[str | None], convention: str) -> tuple[Role, RoleRule]:
    """The role of unit `index` of `lst`, and the rule that decided it; unspecified when nothing
    decides (never a guess)."""
    for reader in ROLE_READERS:
        reading = reader(lst, index, roles_in_note, convention)
        if reading:
            return reading
    return Role.UNSPECIFIED, RoleRule.UNMARKED


def _unknown_units(responsibilities: list[Responsibility]) -> list[Finding]:
    """One finding per unit name the alias table does not know, at its first mention."""
    mentions: dict[str, list[Responsibility]] = {}
    for r in responsibilities:
        if r.unit_full is None and not r.generic:
            mentions.setdefault(r.unit, []).append(r)
    return [
        Finding(code=FindingCode.UNKNOWN_UNIT, message=f"{name}: not in rules/unit_aliases.tsv, kept as written "
                f"without a full name ({len(rs)} mention{'s' if len(rs) > 1 else ''})",
                where=_where(rs[0]), start=rs[0].start, end=rs[0].end)
        for name, rs in mentions.items()
    ]


def _where(r: Responsibility) -> Location:
    return Location.rows(r.annex_seq or "") if r.scope == Scope.ANNEX_ROW else Location.section(r.section_path)
