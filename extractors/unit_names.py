"""Unit names: the issuer's jurisdiction, the full name behind an abbreviation (市经信局 in a
乐清市 notice is 乐清市经济和信息化局), and names that stand for a class of bodies (有关执法部门,
各乡镇（街道）). The tables are rules/unit_aliases.tsv, generic_units.tsv and jurisdiction.tsv; a
name they do not know gets no full name: it is never guessed."""
from __future__ import annotations

import functools

from policyparse.rules import Rules

# The level words a notice uses for its own government when the issuer is not known.
LEVEL_WORDS = ("市", "县", "区")


def jurisdiction_of(issuer: str | None, rules: Rules) -> str | None:
    """乐清市 from 乐清市人民政府, 青田县 from 青田县人民政府办公室; None when no rule reads it."""
    if not issuer:
        return None
    for rule in rules.jurisdiction:
        m = rule.pattern.search(issuer)
        if m:
            return m.group("jurisdiction")
    return None


@functools.cache
def _full_names(rules: Rules, jurisdiction: str | None) -> dict[str, str]:
    """Every way the alias table lets a notice of `jurisdiction` write a unit → its full name.

    Without a jurisdiction, {L} may be any level word and {J} stays that word: the full name
    is then unqualified (市经济和信息化局; 芙蓉镇人民政府 for a name without {L})."""
    names: dict[str, str] = {}
    levels = (jurisdiction[-1],) if jurisdiction else LEVEL_WORDS
    for alias in rules.unit_aliases:
        for level in levels if "{L}" in alias.written else ("",):
            full = alias.full_name.replace("{J}", jurisdiction or level)
            for written in (alias.written.replace("{L}", level), alias.full_name.replace("{J}", level), full):
                names.setdefault(written, full)
    return names


def full_name(name: str, jurisdiction: str | None, rules: Rules) -> str | None:
    """The full name of a unit as written, qualified by the issuer's jurisdiction, or None
    when the alias table does not know the name."""
    return _full_names(rules, jurisdiction).get(name)


@functools.lru_cache(maxsize=4096)
def is_generic(name: str, rules: Rules) -> bool:
    """True for a name that stands for a class of bodies (有关执法部门, 各乡镇（街道）); remembered per
    name, which a plan writes many times."""
    return any(rule.pattern.search(name) for rule in rules.generic_units)
