"""Quantities: a numeral, an optional magnitude word and a unit from rules/units.tsv
("2200亿元", "1.3万名", "22万平方米", "10%", "一千五百亩"), with a comparator written right
after it ("以上"). Numbers that are names or labels (rules/non_targets.tsv) are set aside
with the rule that excluded them."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal

import regex

import rules
from extractors.numerals import ARABIC, CHINESE, parse_arabic, parse_chinese, split_magnitude
from extractors.text import fold, token_bounds


@dataclass(frozen=True)
class Quantity:
    start: int  # the numeral
    end: int  # the end of the unit
    value: Decimal
    unit: str  # as written, magnitude included: 亿元, 万名, %
    value_base: Decimal
    base_unit: str
    category: str
    comparator_after: str | None
    after_end: int  # the end of the comparator written after the unit, else `end`


@dataclass(frozen=True)
class Excluded:
    start: int
    end: int
    rule_id: str


def _alternation(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


@functools.cache
def _pattern() -> regex.Pattern:
    loaded = rules.load()
    return regex.compile(
        rf"(?:(?P<arabic>{ARABIC})|(?P<chinese>{CHINESE}))"
        rf"[ \u3000]?(?P<mag>{_alternation(loaded.magnitudes)})?"
        rf"(?P<unit>{_alternation(loaded.units)})"
        rf"(?:[ \u3000]?(?P<after>{_alternation(loaded.comparators_after)}))?"
    )


def exclusions(folded: str, offset: int = 0) -> list[Excluded]:
    """Spans of `folded` (shifted by `offset`) that the non-target rules mark as names or labels."""
    found = []
    for rule in rules.load().non_targets:
        group = "x" if "x" in rule.pattern.groupindex else 0
        for m in rule.pattern.finditer(folded):
            found.append(Excluded(offset + m.start(group), offset + m.end(group), rule.rule_id))
    return found


def find_quantities(text: str, start: int = 0, end: int | None = None) -> tuple[list[Quantity], list[Excluded]]:
    """Quantities in text[start:end] (offsets into `text`), and the numbers set aside as names."""
    end = len(text) if end is None else end
    folded = fold(text[start:end])
    bounds = token_bounds(folded)
    excluded = exclusions(folded, start)
    loaded = rules.load()
    quantities = []
    for m in _pattern().finditer(folded):
        num_start = m.start("arabic") if m.group("arabic") else m.start("chinese")
        unit_end = m.end("unit")
        # A unit must end where a word ends (省152项目 is not 152项), and a Chinese numeral must
        # start where a word starts (长三角 holds no 三).
        if unit_end not in bounds or (m.group("chinese") and num_start not in bounds):
            continue
        if any(x.start < start + unit_end and start + num_start < x.end for x in excluded):
            continue
        magnitude = m.group("mag") or ""
        if m.group("arabic"):
            value = parse_arabic(m.group("arabic"))
        else:
            digits, trailing = split_magnitude(m.group("chinese"))
            value = parse_chinese(digits)
            magnitude = trailing + magnitude
        unit = loaded.units[m.group("unit")]
        factor = loaded.magnitudes[magnitude] if magnitude in loaded.magnitudes else _compound(magnitude)
        after = m.group("after")
        quantities.append(Quantity(
            start=start + num_start,
            end=start + unit_end,
            value=value,
            unit=text[start + m.start("unit") - len(magnitude):start + unit_end] if magnitude else text[start + m.start("unit"):start + unit_end],
            value_base=_exact(value * factor * unit.factor),
            base_unit=unit.base_unit,
            category=unit.category,
            comparator_after=loaded.comparators_after[after] if after else None,
            after_end=start + (m.end("after") if after else unit_end),
        ))
    return quantities, excluded


def _compound(magnitude: str) -> Decimal:
    factor = Decimal(1)
    for ch in magnitude:
        factor *= rules.load().magnitudes[ch]
    return factor


def _exact(value: Decimal) -> Decimal:
    """Drop trailing zeros without going to exponent form: 13000.0 → 13000, 7.80 → 7.8."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
