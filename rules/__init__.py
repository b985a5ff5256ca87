"""The rules loader: reads the plain-text rule tables in this folder once, validated.

Rule files are TSV with a `#` comment header; the first comment line that starts with
`# ` and names tab-separated columns is the column list. A malformed row fails at load
time with the file and line, so a bad edit never turns into a silent miss.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import regex

RULES_DIR = Path(__file__).resolve().parent


class RuleError(ValueError):
    """A rule file that cannot be read as written."""


@dataclass(frozen=True)
class Unit:
    word: str
    base_unit: str
    factor: Decimal
    category: str


@dataclass(frozen=True)
class NonTargetRule:
    rule_id: str
    pattern: regex.Pattern
    example: str
    excluded: str
    counter_example: str
    kept: str


@dataclass(frozen=True)
class NamePattern:
    """A spaCy EntityRuler token pattern (over jieba words) that marks a name holding a number."""

    id: str
    label: str
    pattern: list
    example: str
    excluded: str


@dataclass(frozen=True)
class Rules:
    units: dict[str, Unit]
    magnitudes: dict[str, Decimal]
    comparators_before: dict[str, str]
    comparators_after: dict[str, str]
    comparators_more: dict[str, str]
    comparator_verbs: frozenset[str]
    approximators_before: tuple[str, ...]
    approximators_after: tuple[str, ...]
    non_units: frozenset[str]
    deadlines: tuple[tuple[str, regex.Pattern], ...]
    hedges: dict[str, bool]
    connectives: tuple[str, ...]
    adverbs: tuple[str, ...]
    actions: dict[str, str]
    kind_before: dict[str, str]
    kind_suffix: dict[str, str]
    non_targets: tuple[NonTargetRule, ...]
    headings: tuple[tuple[int, regex.Pattern], ...]
    annex_columns: tuple[tuple[str, regex.Pattern], ...]
    note_patterns: tuple[regex.Pattern, ...]
    lead_star: regex.Pattern
    lead_legend: regex.Pattern
    open_list: regex.Pattern
    header: dict[str, regex.Pattern]
    names: tuple[NamePattern, ...]
    indicator_aliases: tuple[tuple[str, str], ...]
    userdict: Path


def read_table(name: str, columns: int) -> list[tuple[int, list[str]]]:
    """Rows of a TSV rule file as (line number, cells); comments and blank lines skipped."""
    path = RULES_DIR / name
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != columns:
            raise RuleError(f"rules/{name}:{lineno}: expected {columns} tab-separated columns, found {len(cells)}")
        if any(not cell for cell in cells):
            raise RuleError(f"rules/{name}:{lineno}: empty column")
        rows.append((lineno, cells))
    return rows


def read_names(name: str) -> tuple[NamePattern, ...]:
    """EntityRuler token patterns, one JSON object a line: id, label, pattern (a list of token
    dicts: phrase strings would be segmented differently from the text), example, excluded."""
    found = []
    for lineno, line in enumerate((RULES_DIR / name).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise RuleError(f"rules/{name}:{lineno}: not JSON: {exc}") from None
        missing = {"id", "label", "pattern", "example", "excluded"} - set(item)
        if missing:
            raise RuleError(f"rules/{name}:{lineno}: missing {sorted(missing)}")
        if not isinstance(item["pattern"], list) or not all(isinstance(t, dict) for t in item["pattern"]):
            raise RuleError(f"rules/{name}:{lineno}: pattern must be a list of token patterns")
        found.append(NamePattern(item["id"], item["label"], item["pattern"], item["example"], item["excluded"]))
    return tuple(found)


def _decimal(name: str, lineno: int, text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise RuleError(f"rules/{name}:{lineno}: not a number: {text!r}") from None


def _regex(name: str, lineno: int, text: str) -> regex.Pattern:
    try:
        return regex.compile(text)
    except regex.error as exc:
        raise RuleError(f"rules/{name}:{lineno}: bad pattern: {exc}") from None


def _choice(name: str, lineno: int, text: str, allowed: set[str]) -> str:
    if text not in allowed:
        raise RuleError(f"rules/{name}:{lineno}: {text!r} is not one of {sorted(allowed)}")
    return text


HEADER_FIELDS = ("notice_title", "plan_title_in_notice", "doc_number", "date_arabic", "date_chinese",
                 "recipients", "cc", "annex_label", "annex_reference", "publication_note")
DEADLINE_KINDS = {"day", "month_end", "year_end", "half", "quarter", "period"}
KINDS = {"level", "increment", "growth_rate", "share", "cumulative", "reduction"}
COMPARATORS = {">=", "<=", "=", ">", "<"}


def _by_position(name: str, values: set[str], positions: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """A `word, position, value` table split into one word → value map per position."""
    sides: dict[str, dict[str, str]] = {p: {} for p in positions}
    for n, (word, position, value) in read_table(name, 3):
        if position not in positions:
            raise RuleError(f"rules/{name}:{n}: position must be one of {list(positions)}")
        sides[position][word] = _choice(name, n, value, values)
    return sides


@functools.cache
def load() -> Rules:
    units = {
        word: Unit(word, base, _decimal("units.tsv", n, factor), category)
        for n, (word, base, factor, category) in read_table("units.tsv", 4)
    }
    magnitudes = {word: _decimal("magnitudes.tsv", n, f) for n, (word, f) in read_table("magnitudes.tsv", 2)}
    comparators = _by_position("comparators.tsv", COMPARATORS, ("before", "bound", "after", "more"))
    approximators = {"before": [], "after": []}
    for n, (word, position) in read_table("approximators.tsv", 2):
        approximators[_choice("approximators.tsv", n, position, set(approximators))].append(word)
    deadlines = tuple(
        (_choice("deadlines.tsv", n, kind, DEADLINE_KINDS), _regex("deadlines.tsv", n, p))
        for n, (kind, p) in read_table("deadlines.tsv", 2)
    )
    hedges = {
        word: _choice("hedges.tsv", n, flag, {"true", "false"}) == "true"
        for n, (word, flag) in read_table("hedges.tsv", 2)
    }
    actions = {
        word: _choice("actions.tsv", n, kind, {"increment", "level"})
        for n, (word, kind) in read_table("actions.tsv", 2)
    }
    kind_markers = _by_position("kind_markers.tsv", KINDS, ("before", "suffix"))
    non_targets = tuple(
        NonTargetRule(rule_id, _regex("non_targets.tsv", n, pattern), example, excluded, counter, kept)
        for n, (rule_id, pattern, example, excluded, counter, kept) in read_table("non_targets.tsv", 6)
    )
    headings = tuple(
        (int(_choice("headings.tsv", n, level, {"1", "2", "3", "4"})), _regex("headings.tsv", n, pattern))
        for n, (level, pattern) in read_table("headings.tsv", 2)
    )
    annex_columns = tuple(
        (_choice("annex_columns.tsv", n, field, {"seq", "measure", "task", "units"}), _regex("annex_columns.tsv", n, p))
        for n, (field, p) in read_table("annex_columns.tsv", 2)
    )
    note_patterns = tuple(_regex("notes.tsv", n, p) for n, (_kind, p) in read_table("notes.tsv", 2))
    markers = {kind: _regex("lead_markers.tsv", n, p) for n, (kind, p) in read_table("lead_markers.tsv", 2)}
    for kind in ("star", "legend", "open_list"):
        if kind not in markers:
            raise RuleError(f"rules/lead_markers.tsv: missing the {kind} rule")
    header = {field: _regex("header.tsv", n, p) for n, (field, p) in read_table("header.tsv", 2)}
    for field in HEADER_FIELDS:
        if field not in header:
            raise RuleError(f"rules/header.tsv: missing the {field} rule")
    return Rules(
        units=units,
        magnitudes=magnitudes,
        comparators_before={**comparators["before"], **comparators["bound"]},
        comparator_verbs=frozenset(comparators["before"]),
        comparators_after=comparators["after"],
        comparators_more=comparators["more"],
        approximators_before=tuple(approximators["before"]),
        approximators_after=tuple(approximators["after"]),
        non_units=frozenset(ch for _n, (ch, _note) in read_table("non_units.tsv", 2)),
        deadlines=deadlines,
        hedges=hedges,
        connectives=tuple(word for _n, (word, _note) in read_table("connectives.tsv", 2)),
        adverbs=tuple(word for _n, (word, _note) in read_table("adverbs.tsv", 2)),
        actions=actions,
        kind_before=kind_markers["before"],
        kind_suffix=kind_markers["suffix"],
        non_targets=non_targets,
        headings=headings,
        annex_columns=annex_columns,
        note_patterns=note_patterns,
        lead_star=markers["star"],
        lead_legend=markers["legend"],
        open_list=markers["open_list"],
        header=header,
        names=read_names("names.jsonl"),
        indicator_aliases=tuple((short, full) for _n, (short, full) in read_table("indicator_aliases.tsv", 2)),
        userdict=RULES_DIR / "userdict.txt",
    )
