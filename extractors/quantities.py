"""Quantities: a numeral, an optional magnitude word and a unit from rules/units.tsv
("2200亿元", "1.3万名", "22万平方米", "10%", "一千五百亩", "三成", "百分之十五"), ranges
("8%—10%", "5至8家"), "more than" (十余个, 200多人), and a comparator or approximator written
right after the unit ("以上", "左右"). A number followed by one character that stands where a
unit would ("充电桩200根，") is kept with that character as an unknown unit.

Numbers that are names or labels (rules/non_targets.tsv) are set aside with the rule that
excluded them. A unit must end where a jieba word ends (省152项目 holds no 152项) and a
Chinese numeral must start where a word starts (长三角 holds no 三)."""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from decimal import Decimal

import regex

from policyparse.extractors.nlp import name_spans
from policyparse.extractors.numerals import ARABIC, CHINESE, parse_arabic, parse_chinese, split_magnitude
from policyparse.extractors.text import fold, token_bounds
from policyparse.rules import Rules


@dataclass(frozen=True)
class Quantity:
    start: int  # the numeral (or 百分之)
    end: int  # the end of the unit
    value: Decimal  # the low end of a range
    value_high: Decimal | None  # the high end of a range
    unit: str  # as written, magnitude included: 亿元, 万名, %
    value_base: Decimal
    value_base_high: Decimal | None
    base_unit: str
    category: str  # from units.tsv; "unknown" for a unit not in the table
    comparator_after: str | None  # 以上 → >=
    comparator_more: str | None  # 余/多 → >
    approximate: bool  # 左右/上下 after the unit
    after_end: int  # the end of the word written after the unit, else `end`

    def shifted(self, offset: int) -> Quantity:
        """The same quantity with its offsets moved by `offset` (region to document)."""
        return Quantity(self.start + offset, self.end + offset, self.value, self.value_high, self.unit,
                        self.value_base, self.value_base_high, self.base_unit, self.category,
                        self.comparator_after, self.comparator_more, self.approximate, self.after_end + offset)


@dataclass(frozen=True)
class Excluded:
    start: int
    end: int
    rule_id: str


def _alternation(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


NUM = rf"(?:{ARABIC}|{CHINESE})"
SPACE = r"[ \u3000]?"
DASHES = r"[—–\-~～]|至|到"


# Where a quantity can start: a lookahead in front of each pattern lets the engine skip every
# other position at once, instead of trying the numeral's lookbehind at each character (3-6x faster).
_NUMERAL_START = "(?=[0-9一二两三四五六七八九十百千])"


@functools.cache
def _patterns(rules: Rules) -> tuple[regex.Pattern, regex.Pattern, regex.Pattern]:
    mags = _alternation(rules.magnitudes)
    units = _alternation(rules.units)
    more = _alternation(rules.comparators_more)
    after = _alternation([*rules.comparators_after, *rules.approximators_after])
    tail = rf"(?:{SPACE}(?P<after>{after}))?"
    known = regex.compile(
        rf"{_NUMERAL_START}(?P<num>{NUM})"
        rf"(?:{SPACE}(?P<lowunit>{units})?{SPACE}(?:{DASHES}){SPACE}(?P<high>{NUM}))?"
        rf"(?P<more>{more})?{SPACE}(?P<mag>{mags})?(?P<more2>{more})?"
        rf"(?P<unit>{units}){tail}"
    )
    percent_words = regex.compile(rf"{_NUMERAL_START}(?:百分之|(?P<den>{NUM})分之)(?P<num>{NUM}){tail}")
    stop = r"(?=[，,；;。、：:）)\s]|$)"
    # Only Arabic numerals: a Chinese numeral before one character is too often a word (一心, 三区).
    unknown = regex.compile(
        rf"(?=[0-9])(?P<num>{ARABIC}){SPACE}(?P<mag>{mags})?(?P<unit>(?![十百千万亿])\p{{Han}})"
        rf"(?:(?P<after>{after}){stop}|{stop})"
    )
    return known, percent_words, unknown


@dataclass(frozen=True)
class Scan:
    """One pass of the quantity patterns over a folded text: every match, before any word
    boundary or exclusion is checked. `starts` says where a quantity may start (what to segment)."""

    known: tuple[regex.Match, ...]
    percent_words: tuple[regex.Match, ...]
    unknown: tuple[regex.Match, ...]
    starts: tuple[int, ...]


def scan(folded: str, rules: Rules) -> Scan:
    known, percent_words, unknown = _patterns(rules)
    # 百分之 and 三分之一 both need 分之: without it the pattern has nothing to find, only to try.
    known, percent_words, unknown = (tuple(known.finditer(folded)),
                                     tuple(percent_words.finditer(folded)) if "分之" in folded else (),
                                     tuple(unknown.finditer(folded)))
    starts = sorted({m.start() for matches in (known, percent_words, unknown) for m in matches})
    return Scan(known, percent_words, unknown, tuple(starts))


class _Taken:
    """Which characters of a text are inside a span already taken (an exclusion or a quantity found)."""

    def __init__(self, length: int):
        self.marks = bytearray(length + 1)

    def take(self, start: int, end: int) -> None:
        self.marks[start:end] = b"\x01" * (end - start)

    def free(self, start: int, end: int) -> bool:
        return self.marks.find(1, start, end) < 0


def exclusions(folded: str, bounds: set[int], spans: list[tuple[int, int]], starts: tuple[int, ...],
               rules: Rules) -> list[Excluded]:
    """Spans of `folded` that the non-target rules (regex) and the name patterns (spaCy, over
    the jieba words at `bounds`, within `spans`) mark as names or labels. `starts`: where the
    scan found a quantity may start."""
    found = []
    for rule in rules.non_targets:
        group = "x" if "x" in rule.pattern.groupindex else 0
        for m in rule.pattern.finditer(folded):
            if m.end(group) > m.start(group):  # an empty match covers no number
                found.append(Excluded(m.start(group), m.end(group), rule.rule_id))
    # Name patterns only matter where a number is still standing after the regex rules.
    taken = _Taken(len(folded))
    for x in found:
        taken.take(x.start, x.end)
    standing = [c for c in starts if taken.free(c, c + 1)]
    ordered = sorted(bounds)
    for span_start, span_end in spans:
        first = bisect.bisect_left(standing, span_start)
        if first == len(standing) or standing[first] >= span_end:
            continue
        inside = ordered[bisect.bisect_right(ordered, span_start):bisect.bisect_left(ordered, span_end)]
        cuts = [b - span_start for b in inside]
        for start, end, pattern_id in name_spans(folded[span_start:span_end], cuts, rules):
            found.append(Excluded(span_start + start, span_start + end, f"names:{pattern_id}"))
    return found


def find_quantities(text: str, rules: Rules, bounds: set[int] | None = None, spans: list[tuple[int, int]] | None = None,
                    scanned: Scan | None = None) -> tuple[list[Quantity], list[Excluded]]:
    """Quantities in `text` and the numbers set aside as names. `bounds` are the jieba word
    boundaries of `text` where it matters: throughout the `spans` that hold numbers. When
    not given, all of the text is segmented and searched. `scanned`: the caller's scan of
    the folded text, so the patterns run once."""
    folded = fold(text)
    if bounds is None:
        bounds = token_bounds(folded, rules)
        spans = [(0, len(folded))]
    elif spans is None:
        spans = [(0, len(folded))]
    if scanned is None:
        scanned = scan(folded, rules)
    excluded = exclusions(folded, bounds, spans, scanned.starts, rules)
    taken = _Taken(len(folded))
    for x in excluded:
        taken.take(x.start, x.end)
    found: list[Quantity] = []

    def keep(quantity: Quantity) -> None:
        found.append(quantity)
        taken.take(quantity.start, quantity.end)

    for m in scanned.known:
        if not _aligned(m, bounds) or not taken.free(m.start("num"), m.end("unit")):
            continue
        if m.group("lowunit") and m.group("lowunit") != m.group("unit"):
            continue
        keep(_known(text, m, rules))
    for m in scanned.percent_words:
        if m.start() in bounds and taken.free(m.start(), m.end("num")):
            keep(_percent_words(m, rules))
    non_units = rules.non_units
    for m in scanned.unknown:
        if m.group("unit") in non_units or not _aligned(m, bounds) or not taken.free(m.start("num"), m.end("unit")):
            continue
        keep(_unknown(text, m, rules))
    return sorted(found, key=lambda q: q.start), excluded


def _aligned(m: regex.Match, bounds: set[int]) -> bool:
    chinese_start = not m.group("num")[0].isdigit()
    return m.end("unit") in bounds and (not chinese_start or m.start("num") in bounds)


def _number(numeral: str) -> tuple[Decimal, str]:
    """A numeral's value and the magnitude word that trails a Chinese numeral (三百万 → 300, 万)."""
    if numeral[0].isdigit():
        return parse_arabic(numeral), ""
    digits, magnitude = split_magnitude(numeral)
    return parse_chinese(digits), magnitude


def _factor(magnitude: str, rules: Rules) -> Decimal:
    magnitudes = rules.magnitudes
    if magnitude in magnitudes:
        return magnitudes[magnitude]
    factor = Decimal(1)
    for ch in magnitude:
        factor *= magnitudes[ch]
    return factor


def _after(m: regex.Match, rules: Rules) -> tuple[str | None, bool, int]:
    """The comparator and approximate flag of the word after the unit, and where it ends."""
    word = m.group("after")
    if not word:
        return None, False, m.end("unit") if "unit" in m.re.groupindex else m.end("num")
    return rules.comparators_after.get(word), word in rules.approximators_after, m.end("after")


def _known(text: str, m: regex.Match, rules: Rules) -> Quantity:
    value, embedded = _number(m.group("num"))
    high = None
    if m.group("high"):
        high, high_embedded = _number(m.group("high"))
        embedded = high_embedded or embedded
    unit = rules.units[m.group("unit")]
    factor = _factor(embedded + (m.group("mag") or ""), rules) * unit.factor
    comparator_after, approximate, after_end = _after(m, rules)
    more = m.group("more") or m.group("more2")
    return Quantity(
        start=m.start("num"),
        end=m.end("unit"),
        value=value,
        value_high=high,
        unit=_written_unit(text, m, embedded),
        value_base=exact(value * factor),
        value_base_high=None if high is None else exact(high * factor),
        base_unit=unit.base_unit,
        category=unit.category,
        comparator_after=comparator_after,
        comparator_more=rules.comparators_more.get(more) if more else None,
        approximate=approximate,
        after_end=after_end,
    )


def _written_unit(text: str, m: regex.Match, embedded: str) -> str:
    """The unit as written with its magnitude: a Chinese numeral's own 万 (三百万元), then the
    magnitude word and the unit (1万余名 → 万名)."""
    magnitude = text[m.start("mag"):m.end("mag")] if m.group("mag") else ""
    return embedded + magnitude + text[m.start("unit"):m.end("unit")]


def _percent_words(m: regex.Match, rules: Rules) -> Quantity:
    """百分之十五 → 15 %; 三分之一 → 33.33 % (a fraction, to two decimals)."""
    value, magnitude = _number(m.group("num"))
    value = value * _factor(magnitude, rules) if magnitude else value
    if m.group("den"):
        denominator, den_magnitude = _number(m.group("den"))
        value = (value * 100 / (denominator * _factor(den_magnitude, rules))).quantize(Decimal("0.01"))
    comparator_after, approximate, after_end = _after(m, rules)
    return Quantity(m.start(), m.end("num"), value, None, "%", exact(value), None, "%", "percent",
                    comparator_after, None, approximate, after_end)


def _unknown(text: str, m: regex.Match, rules: Rules) -> Quantity:
    value, embedded = _number(m.group("num"))
    unit = m.group("unit")
    comparator_after, approximate, after_end = _after(m, rules)
    return Quantity(m.start("num"), m.end("unit"), value, None, _written_unit(text, m, embedded),
                    exact(value * _factor(embedded + (m.group("mag") or ""), rules)), None, unit, "unknown",
                    comparator_after, None, approximate, after_end)


def exact(value: Decimal) -> Decimal:
    """Drop trailing zeros without going to exponent form: 13000.0 → 13000, 7.80 → 7.8."""
    if value == value.to_integral_value():
        return Decimal(int(value))  # not quantize: it refuses a whole number longer than the context precision
    return value.normalize()
