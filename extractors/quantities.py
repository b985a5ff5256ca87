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
from typing import NamedTuple

import regex

from policyparse.extractors.guards import required_chars
from policyparse.extractors.nlp import name_spans
from policyparse.extractors.numerals import ARABIC, CHINESE, parse_arabic, parse_chinese, split_magnitude
from policyparse.extractors.text import fold, token_bounds
from policyparse.rules import NonTargetRule, Rules


class Mention(NamedTuple):
    """A quantity as the text writes it: where, its value and unit, and the words written with it.
    (A named tuple: a document has hundreds, and a tuple is made 3x faster than a frozen dataclass.)"""

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
    label: Label | None = None  # the non-target rule (or name pattern) it stands in, which says its role


class Label(NamedTuple):
    """A span that a non-target rule or a name pattern marks: the numbers in it have its role."""

    start: int
    end: int
    rule_id: str
    role: str  # `none`: no quantity at all (a date, an ordinal)


def _alternation(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


NUM = rf"(?:{ARABIC}|{CHINESE})"
SPACE = r"[ \u3000]?"
DASHES = r"[—–\-~～]|至|到"


# Where a quantity can start: a lookahead in front of each pattern lets the engine skip every
# other position at once, instead of trying the numeral's lookbehind at each character (3-6x faster).
_NUMERAL_START = "(?=[0-9一二两三四五六七八九十百千万亿])"
# A bare 万 or 亿 is a numeral only right before a unit (引进万名人才, 超亿元项目), never after 每
# (每万人 is "per ten thousand people") or after another numeral.
_BARE = "(?<![每0-9零〇一二两三四五六七八九十百千万亿])[万亿]"


@functools.cache
def _patterns(rules: Rules) -> tuple[regex.Pattern, regex.Pattern, regex.Pattern]:
    mags = _alternation(rules.magnitudes)
    units = _alternation(rules.units)
    more = _alternation(rules.comparators_more)
    after = _alternation([*rules.comparators_after, *rules.approximators_after])
    tail = rf"(?:{SPACE}(?P<after>{after}))?"
    known = regex.compile(
        rf"{_NUMERAL_START}(?P<num>{NUM}|{_BARE}(?=(?:{units})))"
        rf"(?:{SPACE}(?P<lowmag>{mags})?(?P<lowunit>{units})?{SPACE}(?:{DASHES}){SPACE}(?P<high>{NUM}))?"
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
    """Which characters of a text are inside a span already taken (a quantity found)."""

    def __init__(self, length: int):
        self.marks = bytearray(length + 1)

    def take(self, start: int, end: int) -> None:
        self.marks[start:end] = b"\x01" * (end - start)

    def free(self, start: int, end: int) -> bool:
        return self.marks.find(1, start, end) < 0


class _Labelled:
    """Which characters of a text stand in a label, and the first label (in rule order) of each."""

    def __init__(self, length: int, labels: list[Label]):
        self.labels = labels
        self.marks = [0] * (length + 1)  # 1 + the index of the first label that covers the character
        for i in range(len(labels) - 1, -1, -1):  # the first rule written wins where two overlap
            label = labels[i]
            self.marks[label.start:label.end] = [i + 1] * (label.end - label.start)

    def at(self, start: int, end: int) -> Label | None:
        """The first label covering any character of text[start:end], None when none does."""
        covered = self.marks[start:end]
        if not any(covered):
            return None
        return self.labels[min(i for i in covered if i) - 1]


@functools.cache
def _guarded(rules: Rules) -> tuple[tuple[NonTargetRule, frozenset[str] | None], ...]:
    """Each non-target rule with the characters one of which its every match holds."""
    return tuple((rule, required_chars(rule.pattern.pattern)) for rule in rules.non_targets)


def rule_labels(folded: str, rules: Rules) -> list[Label]:
    """Spans of `folded` that the non-target rules mark as names, labels, dates or parameters, in
    rule order."""
    found = []
    present = set(folded)
    for rule, required in _guarded(rules):
        if required is not None and required.isdisjoint(present):
            continue
        group = "x" if "x" in rule.pattern.groupindex else 0
        for m in rule.pattern.finditer(folded):
            if m.end(group) > m.start(group):  # an empty match covers no number
                found.append(Label(m.start(group), m.end(group), rule.rule_id, rule.role))
    return found


def labels(folded: str, bounds: set[int], spans: list[tuple[int, int]], starts: tuple[int, ...],
           rules: Rules, found: list[Label] | None = None) -> list[Label]:
    """The rule labels of `folded` (`found`, when the caller has them), then the spans the name
    patterns (spaCy, over the jieba words at `bounds`, within `spans`) mark as names. `starts`:
    where the scan found a quantity may start."""
    found = rule_labels(folded, rules) if found is None else list(found)
    # Name patterns only matter where a number is still standing after the regex rules.
    marked = bytearray(len(folded) + 1)
    for x in found:
        marked[x.start:x.end] = b"\x01" * (x.end - x.start)
    standing = [c for c in starts if not marked[c]]
    ordered = sorted(bounds)
    roles = {p.id: p.role for p in rules.names}
    for span_start, span_end in spans:
        first = bisect.bisect_left(standing, span_start)
        if first == len(standing) or standing[first] >= span_end:
            continue
        inside = ordered[bisect.bisect_right(ordered, span_start):bisect.bisect_left(ordered, span_end)]
        cuts = [b - span_start for b in inside]
        for start, end, pattern_id in name_spans(folded[span_start:span_end], cuts, rules):
            found.append(Label(span_start + start, span_start + end, f"names:{pattern_id}", roles[pattern_id]))
    return found


def find_quantities(text: str, rules: Rules, bounds: set[int] | None = None, spans: list[tuple[int, int]] | None = None,
                    scanned: Scan | None = None, found_labels: list[Label] | None = None) -> list[Mention]:
    """Quantities in `text`, each with the label it stands in, if any (a number in a label of
    role `none`, a date or an ordinal, is no quantity). `bounds` are the jieba word boundaries of
    `text` where it matters: throughout the `spans` that hold numbers. When not given, all of
    the text is segmented and searched. `scanned`: the caller's scan of the folded text, so the
    patterns run once; `found_labels`: the caller's rule labels of it (rule_labels), at least
    wherever a number may stand."""
    folded = fold(text)
    if bounds is None:
        bounds = token_bounds(folded, rules)
        spans = [(0, len(folded))]
    elif spans is None:
        spans = [(0, len(folded))]
    if scanned is None:
        scanned = scan(folded, rules)
    all_labels = labels(folded, bounds, spans, scanned.starts, rules, found_labels)
    labelled = _Labelled(len(folded), all_labels) if all_labels else None
    taken = _Taken(len(folded))
    found: list[Mention] = []

    def keep(m: regex.Match, start: int, end: int, read) -> None:
        if not taken.free(start, end):
            return
        label = labelled.at(start, end) if labelled else None
        if label is None or label.role != "none":
            found.append(read(text, m, rules, label))
            taken.take(start, end)

    for m in scanned.known:
        if _known_aligned(m, bounds) and (not m.group("lowunit") or m.group("lowunit") == m.group("unit")):
            keep(m, m.start("num"), m.end("unit"), _known)
    for m in scanned.percent_words:
        if m.start() in bounds:
            keep(m, m.start(), m.end("num"), _percent_words)
    non_units = rules.non_units
    for m in scanned.unknown:
        if m.group("unit") not in non_units and _aligned(m, bounds):
            keep(m, m.start("num"), m.end("unit"), _unknown)
    return sorted(found, key=lambda q: q.start)


def _known_aligned(m: regex.Match, bounds: set[int]) -> bool:
    """A known unit after digits stands where it is even when jieba glues it to the next character
    (12个数智, 3年内, 10个工作日内, 59家链主); the few words where that misreads a number are
    non-target rules (152项目, 80年代)."""
    return m.group("num")[0].isdigit() or _aligned(m, bounds)


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


def _known(text: str, m: regex.Match, rules: Rules, label: Label | None) -> Mention:
    value, embedded = _number(m.group("num"))
    unit = rules.units[m.group("unit")]
    high = None
    low_factor = None
    if m.group("high"):
        if m.group("lowmag") or m.group("lowunit"):  # the low end written with its own magnitude: 0.5万元—3万元
            low_factor = _factor(embedded + (m.group("lowmag") or ""), rules) * unit.factor
        high, high_embedded = _number(m.group("high"))
        embedded = high_embedded or embedded
    factor = _factor(embedded + (m.group("mag") or ""), rules) * unit.factor
    comparator_after, approximate, after_end = _after(m, rules)
    more = m.group("more") or m.group("more2")
    return Mention(
        start=m.start("num"),
        end=m.end("unit"),
        value=value,
        value_high=high,
        unit=_written_unit(text, m, embedded),
        value_base=exact(value * (low_factor or factor)),
        value_base_high=None if high is None else exact(high * factor),
        base_unit=unit.base_unit,
        category=unit.category,
        comparator_after=comparator_after,
        comparator_more=rules.comparators_more.get(more) if more else None,
        approximate=approximate,
        after_end=after_end,
        label=label,
    )


def _written_unit(text: str, m: regex.Match, embedded: str) -> str:
    """The unit as written with its magnitude: a Chinese numeral's own 万 (三百万元), then the
    magnitude word and the unit (1万余名 → 万名)."""
    magnitude = text[m.start("mag"):m.end("mag")] if m.group("mag") else ""
    return embedded + magnitude + text[m.start("unit"):m.end("unit")]


def _percent_words(text: str, m: regex.Match, rules: Rules, label: Label | None) -> Mention:
    """百分之十五 → 15 %; 三分之一 → 33.33 % (a fraction, to two decimals)."""
    value, magnitude = _number(m.group("num"))
    value = value * _factor(magnitude, rules) if magnitude else value
    if m.group("den"):
        denominator, den_magnitude = _number(m.group("den"))
        value = (value * 100 / (denominator * _factor(den_magnitude, rules))).quantize(Decimal("0.01"))
    comparator_after, approximate, after_end = _after(m, rules)
    return Mention(m.start(), m.end("num"), value, None, "%", exact(value), None, "%", "percent",
                   comparator_after, None, approximate, after_end, label)


def _unknown(text: str, m: regex.Match, rules: Rules, label: Label | None) -> Mention:
    value, embedded = _number(m.group("num"))
    unit = m.group("unit")
    comparator_after, approximate, after_end = _after(m, rules)
    return Mention(m.start("num"), m.end("unit"), value, None, _written_unit(text, m, embedded),
                   exact(value * _factor(embedded + (m.group("mag") or ""), rules)), None, unit, "unknown",
                   comparator_after, None, approximate, after_end, label)


def exact(value: Decimal) -> Decimal:
    """Drop trailing zeros without going to exponent form: 13000.0 → 13000, 7.80 → 7.8."""
    if value == value.to_integral_value():
        return Decimal(int(value))  # not quantize: it refuses a whole number longer than the context precision
    return value.normalize()
