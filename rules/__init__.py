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
class ExampleRule:
    """A pattern that carries its own example (it must match) and counter-example (it must not)."""

    kind: str
    pattern: regex.Pattern
    example: str
    counter_example: str


@dataclass(frozen=True)
class UnitAlias:
    """A unit name as notices write it and its full name; {L} and {J} as in unit_aliases.tsv."""

    written: str
    full_name: str


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
    lead_markers: tuple[ExampleRule, ...]
    lead_mark: regex.Pattern
    legends: tuple[tuple[str, regex.Pattern], ...]  # (convention, pattern): star or first
    open_list: regex.Pattern
    role_labels: dict[str, str]
    generic_units: tuple[ExampleRule, ...]
    unit_aliases: tuple[UnitAlias, ...]
    jurisdiction: tuple[ExampleRule, ...]  # counter_example holds the jurisdiction the example gives
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
LEAD_MARKER_KINDS = ("lead_mark", "legend_star", "legend_first", "open_list")
ROLE_LABEL_ROLES = {"lead", "support", "responsible"}
ANNEX_FIELDS = {"seq", "measure", "task", "units", "support_units"}
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


def _group(pattern: regex.Pattern, group: str, name: str, lineno: int) -> regex.Pattern:
    if group not in pattern.groupindex:
        raise RuleError(f"rules/{name}:{lineno}: the pattern has no group `{group}`")
    return pattern


def _alternation(patterns: list[regex.Pattern]) -> regex.Pattern | None:
    """Several rows of one kind as one pattern that matches where any of them does."""
    return regex.compile("|".join(f"(?:{p.pattern})" for p in patterns)) if patterns else None


def _example_rules(name: str, kinds: set[str]) -> tuple[ExampleRule, ...]:
    return tuple(ExampleRule(_choice(name, n, kind, kinds), _regex(name, n, p), example, counter)
                 for n, (kind, p, example, counter) in read_table(name, 4))


_PLACEHOLDER = regex.compile(r"\{[^{}]*\}")


def _unit_aliases() -> tuple[UnitAlias, ...]:
    name = "unit_aliases.tsv"
    aliases = []
    seen: dict[str, int] = {}
    for n, (written, full_name) in read_table(name, 2):
        for column, allowed in ((written, {"{L}"}), (full_name, {"{J}"})):
            for placeholder in _PLACEHOLDER.findall(column):
                if placeholder not in allowed:
                    raise RuleError(f"rules/{name}:{n}: {placeholder} cannot stand in {column!r} (use {sorted(allowed)})")
        if written in seen:
            raise RuleError(f"rules/{name}:{n}: {written!r} is already listed on line {seen[written]}")
        seen[written] = n
        aliases.append(UnitAlias(written, full_name))
    return tuple(aliases)


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
        (_choice("annex_columns.tsv", n, field, ANNEX_FIELDS), _regex("annex_columns.tsv", n, p))
        for n, (field, p) in read_table("annex_columns.tsv", 2)
    )
    note_patterns = tuple(_group(_regex("notes.tsv", n, p), "units", "notes.tsv", n)
                          for n, (_kind, p) in read_table("notes.tsv", 2))
    lead_markers = _example_rules("lead_markers.tsv", set(LEAD_MARKER_KINDS))
    markers = {kind: _alternation([r.pattern for r in lead_markers if r.kind == kind]) for kind in LEAD_MARKER_KINDS}
    for kind, pattern in markers.items():
        if pattern is None:
            raise RuleError(f"rules/lead_markers.tsv: missing the {kind} rule")
    role_labels = {
        label: _choice("role_labels.tsv", n, role, ROLE_LABEL_ROLES) for n, (label, role) in read_table("role_labels.tsv", 2)
    }
    jurisdiction = tuple(
        ExampleRule("jurisdiction", _group(_regex("jurisdiction.tsv", n, p), "jurisdiction", "jurisdiction.tsv", n),
                    example, expected)
        for n, (p, example, expected) in read_table("jurisdiction.tsv", 3)
    )
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
        lead_markers=lead_markers,
        lead_mark=markers["lead_mark"],
        legends=(("star", markers["legend_star"]), ("first", markers["legend_first"])),
        open_list=markers["open_list"],
        role_labels=role_labels,
        generic_units=tuple(ExampleRule("generic", _regex("generic_units.tsv", n, p), example, counter)
                            for n, (p, example, counter) in read_table("generic_units.tsv", 3)),
        unit_aliases=_unit_aliases(),
        jurisdiction=jurisdiction,
        header=header,
        names=read_names("names.jsonl"),
        indicator_aliases=tuple((short, full) for _n, (short, full) in read_table("indicator_aliases.tsv", 2)),
        userdict=RULES_DIR / "userdict.txt",
    )
