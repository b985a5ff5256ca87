"""Deadlines: 6月底前, 9月30日前, 年底前, 2024年底, 上半年, 三季度末 (rules/deadlines.tsv), read
as an ISO date or a quarter once the year is known."""
from __future__ import annotations

import calendar
import functools
from typing import NamedTuple

import regex

from policyparse.extractors.guards import required_chars
from policyparse.extractors.numerals import parse_chinese
from policyparse.rules import Rules


class Deadline(NamedTuple):
    start: int
    end: int
    kind: str
    year: int | None  # written with the phrase
    month: int | None
    day: int | None
    quarter: int | None

    def value(self, default_year: int | None) -> str | None:
        """The ISO date (2024-06-30) or quarter (2024-Q3), or None when no year is known."""
        year = self.year or default_year
        if year is None or self.kind == "period":
            return None
        if self.kind == "quarter":
            return f"{year}-Q{self.quarter}"
        assert self.month is not None, "every kind but quarter and period has a month"
        day = self.day or calendar.monthrange(year, self.month)[1]  # month_end: the month's last day
        return f"{year:04d}-{self.month:02d}-{day:02d}"


def _int(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else int(parse_chinese(text))


@functools.cache
def _guarded(rules: Rules) -> tuple[tuple[str, regex.Pattern, frozenset[str] | None], ...]:
    """Each deadline pattern with the characters one of which its every match holds."""
    return tuple((kind, pattern, required_chars(pattern.pattern)) for kind, pattern in rules.deadlines)


def find_deadlines(folded: str, rules: Rules) -> list[Deadline]:
    found: list[Deadline] = []
    present = set(folded)
    for kind, pattern, required in _guarded(rules):
        if required is not None and required.isdisjoint(present):
            continue
        for m in pattern.finditer(folded):
            if any(d.start < m.end() and m.start() < d.end for d in found):
                continue
            groups = m.groupdict()
            year = _int(groups.get("year"))
            month = _int(groups.get("month"))
            day = _int(groups.get("day"))
            quarter = _int(groups.get("quarter"))
            if kind == "month_end":
                day = None
            elif kind in ("year_end", "goal_year"):
                month, day = 12, 31
            elif kind == "half":
                month, day = 6, 30
            if month is not None and not 1 <= month <= 12:
                continue
            found.append(Deadline(m.start(), m.end(), kind, year, month, day, quarter))
    return sorted(found, key=lambda d: d.start)
