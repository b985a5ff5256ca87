"""The rules loader: reads the plain-text rule tables in this folder once, validated.

Rule files are TSV with a `#` comment header; the first comment line that starts with
`# ` and names tab-separated columns is the column list. A malformed row fails at load
time with the file and line, so a bad edit never turns into a silent miss.

`load(folder)` reads a rule set (this folder by default) and returns it; it keeps nothing.
A `policyparse.Parser` holds the rules it loaded, so several rule sets can live in one process.
"""
from __future__ import annotations

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
    """A number that is a name, a label or a parameter rather than a target (rules/non_targets.tsv):
    a quantity of `role`, or no quantity at all when `role` is `none` (a date, an ordinal)."""

    rule_id: str
    role: str
    pattern: regex.Pattern
    example: str
    excluded: str
    counter_example: str
    kept: str


@dataclass(frozen=True)
class QuantityRoleRule:
    """What a quantity is, by the clause around it (rules/quantity_roles.tsv). `pattern` matches
    at the quantity itself, in a view of the text where every quantity is a run of NUMBER_MARKS:
    the rule's text before `{N}` must stand right before it, its text after `{N}` right after."""

    rule_id: str
    role: str
    categories: frozenset[str] | None  # the unit categories it reads (units.tsv); None: every one
    source: str  # the pattern as written, {N} and {Q} included
    pattern: regex.Pattern
    example: str
    quantity: str  # the quantity of `example`, as written, that the rule decides
    counter_example: str


@dataclass(frozen=True)
class NamePattern:
    """A spaCy EntityRuler token pattern (over jieba words) that marks a name holding a number."""

    id: str
    label: str
    role: str  # the role of the number the name holds (rules/non_targets.tsv's roles)
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
class RoleScope:
    """Where the default role is another (rules/role_scopes.tsv): in a document whose title, or a
    section whose heading line, matches `pattern`, a quantity no role rule decides has `role`;
    in such a document the goal rules `goals` (None: every one) tell its goals."""

    rule_id: str
    where: str  # title or heading
    role: str
    goals: frozenset[str] | None
    pattern: regex.Pattern
    example: str
    counter_example: str


@dataclass(frozen=True)
class ColumnRule:
    """An annex table column by its header (rules/annex_columns.tsv)."""

    role: str  # a ColumnRole of policyparse.model
    fills_down: bool  # an empty cell continues the one above
    pattern: regex.Pattern
    example: str
    counter_example: str


@dataclass(frozen=True)
class UnitAlias:
    """A unit name as notices write it and its full name; {L} and {J} as in unit_aliases.tsv."""

    written: str
    full_name: str


# eq=False: a rule set is itself (hashed by identity), so what is derived from it (compiled
# patterns, the jieba tokenizer) can be remembered per rule set.
@dataclass(frozen=True, eq=False)
class Rules:
    folder: Path
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
    quantity_roles: tuple[QuantityRoleRule, ...]  # in order: the first that applies decides; the last is the default
    incentive_terms: tuple[ExampleRule, ...]  # cap, recipient: what an incentive quantity is
    role_scopes: tuple[RoleScope, ...]
    headings: tuple[ExampleRule, ...]  # kind: the numbering style (its rows outer to inner)
    heading_starts: frozenset[str]  # the characters a heading can open with (a line opening otherwise is none)
    annex_columns: tuple[ColumnRule, ...]
    note_patterns: tuple[tuple[str, regex.Pattern], ...]  # (kind, pattern): labelled, words, line
    note_rules: tuple[ExampleRule, ...]
    note_like: regex.Pattern
    note_words: dict[str, str]  # word → lead, support, responsible, filler, joins, separator
    note_word_rules: tuple[ExampleRule, ...]  # kind holds the word, counter_example the reading of the example
    lead_markers: tuple[ExampleRule, ...]
    lead_mark: regex.Pattern
    legends: tuple[tuple[str, regex.Pattern], ...]  # (convention, pattern), from the legend_<convention> rows
    legend_like: regex.Pattern
    standing: regex.Pattern
    open_list: regex.Pattern
    qualifier: regex.Pattern  # a bracket after a unit's name that says what it covers: （含开发区）
    role_labels: dict[str, str]
    generic_units: tuple[ExampleRule, ...]
    unit_aliases: tuple[UnitAlias, ...]
    jurisdiction: tuple[ExampleRule, ...]  # counter_example holds the jurisdiction the example gives
    header: dict[str, regex.Pattern]
    header_openings: dict[str, str]  # the literal a header pattern's line must open with (抄送, 附件), else ""
    kinds: tuple[ExampleRule, ...]  # the kind of a document by its title, the first that matches
    names: tuple[NamePattern, ...]
    indicator_aliases: tuple[tuple[str, str], ...]
    userdict: Path

    def file(self, name: str) -> str:
        """One of this rule set's files as errors name it (rules/names.jsonl for the bundled set)."""
        return _Files(self.folder).name(name)


class _Files:
    """The rule files of one folder, read and checked; errors name the file as `label/name:line`."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.label = "rules" if folder == RULES_DIR else str(folder)

    def name(self, name: str) -> str:
        return f"{self.label}/{name}"

    def table(self, name: str, columns: int) -> list[tuple[int, list[str]]]:
        return read_table(self.folder / name, columns, self.name(name))

    def names(self, name: str) -> tuple[NamePattern, ...]:
        return read_names(self.folder / name, self.name(name))

    def decimal(self, name: str, lineno: int, text: str) -> Decimal:
        try:
            return Decimal(text)
        except InvalidOperation:
            raise RuleError(f"{self.name(name)}:{lineno}: not a number: {text!r}") from None

    def pattern(self, name: str, lineno: int, text: str) -> regex.Pattern:
        try:
            return regex.compile(text)
        except regex.error as exc:
            raise RuleError(f"{self.name(name)}:{lineno}: bad pattern: {exc}") from None

    def choice(self, name: str, lineno: int, text: str, allowed: set[str]) -> str:
        if text not in allowed:
            raise RuleError(f"{self.name(name)}:{lineno}: {text!r} is not one of {sorted(allowed)}")
        return text

    def group(self, pattern: regex.Pattern, group: str, name: str, lineno: int) -> regex.Pattern:
        if group not in pattern.groupindex:
            raise RuleError(f"{self.name(name)}:{lineno}: the pattern has no group `{group}`")
        return pattern

    def by_position(self, name: str, values: set[str], positions: tuple[str, ...]) -> dict[str, dict[str, str]]:
        """A `word, position, value` table split into one word → value map per position."""
        sides: dict[str, dict[str, str]] = {p: {} for p in positions}
        for n, (word, position, value) in self.table(name, 3):
            if position not in positions:
                raise RuleError(f"{self.name(name)}:{n}: position must be one of {list(positions)}")
            sides[position][word] = self.choice(name, n, value, values)
        return sides

    def example_rules(self, name: str, kinds: set[str] | None) -> tuple[ExampleRule, ...]:
        """Rows of kind, pattern, example, counter-example (`kinds`: the kinds allowed, None: any)."""
        return tuple(ExampleRule(kind if kinds is None else self.choice(name, n, kind, kinds), self.pattern(name, n, p),
                                 example, counter)
                     for n, (kind, p, example, counter) in self.table(name, 4))

    def at_number(self, name: str, lineno: int, text: str) -> regex.Pattern:
        """A pattern written around {N}, the quantity, as one that matches at the quantity in the
        marked view: what stands before {N} becomes a lookbehind, what stands after it a lookahead."""
        if text.count("{N}") != 1:
            raise RuleError(f"{self.name(name)}:{lineno}: the pattern must hold {{N}} (the quantity) once")
        before, after = (expand_marks(part) for part in text.split("{N}"))
        self.pattern(name, lineno, before + after)  # names the file and line of a bad pattern
        return self.pattern(name, lineno, (f"(?<={before})" if before else "") + NUMBER
                            + (f"(?={after})" if after else ""))

    def role_rules(self, name: str, categories: set[str]) -> tuple[QuantityRoleRule, ...]:
        found = []
        seen: set[str] = set()
        for n, (rule_id, role, units, p, example, quantity, counter) in self.table(name, 7):
            if rule_id in seen:
                raise RuleError(f"{self.name(name)}:{n}: rule {rule_id!r} is listed twice")
            seen.add(rule_id)
            reads = None if units == "*" else frozenset(units.split("|"))
            if reads is not None and not reads <= categories:
                raise RuleError(f"{self.name(name)}:{n}: {sorted(reads - categories)} not a unit category "
                                f"(units.tsv: {sorted(categories)}, or *)")
            pattern = self.at_number(name, n, p)
            if pattern.groupindex:  # the rule is known by its own group (policyparse.extractors.roles)
                raise RuleError(f"{self.name(name)}:{n}: a role rule names no group")
            found.append(QuantityRoleRule(rule_id, self.choice(name, n, role, QUANTITY_ROLES), reads, p, pattern,
                                          example, quantity, counter))
        if not found or found[-1].source != "{N}" or found[-1].categories is not None:
            raise RuleError(f"{self.name(name)}: the last rule must be the default: units *, pattern {{N}}")
        return tuple(found)

    def unit_aliases(self, name: str) -> tuple[UnitAlias, ...]:
        aliases = []
        seen: dict[str, int] = {}
        for n, (written, full_name) in self.table(name, 2):
            for column, allowed in ((written, {"{L}"}), (full_name, {"{J}"})):
                for placeholder in _PLACEHOLDER.findall(column):
                    if placeholder not in allowed:
                        raise RuleError(f"{self.name(name)}:{n}: {placeholder} cannot stand in {column!r} "
                                        f"(use {sorted(allowed)})")
            if written in seen:
                raise RuleError(f"{self.name(name)}:{n}: {written!r} is already listed on line {seen[written]}")
            seen[written] = n
            aliases.append(UnitAlias(written, full_name))
        return tuple(aliases)


def read_table(path: Path, columns: int, label: str) -> list[tuple[int, list[str]]]:
    """Rows of a TSV rule file as (line number, cells); comments and blank lines skipped.
    `label` names the file in errors."""
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != columns:
            raise RuleError(f"{label}:{lineno}: expected {columns} tab-separated columns, found {len(cells)}")
        if any(not cell for cell in cells):
            raise RuleError(f"{label}:{lineno}: empty column")
        rows.append((lineno, cells))
    return rows


def read_names(path: Path, label: str) -> tuple[NamePattern, ...]:
    """EntityRuler token patterns, one JSON object a line: id, label, pattern (a list of token
    dicts: phrase strings would be segmented differently from the text), example, excluded."""
    found = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise RuleError(f"{label}:{lineno}: not JSON: {exc}") from None
        missing = {"id", "label", "role", "pattern", "example", "excluded"} - set(item)
        if missing:
            raise RuleError(f"{label}:{lineno}: missing {sorted(missing)}")
        if not isinstance(item["pattern"], list) or not all(isinstance(t, dict) for t in item["pattern"]):
            raise RuleError(f"{label}:{lineno}: pattern must be a list of token patterns")
        if item["role"] not in LABEL_ROLES:
            raise RuleError(f"{label}:{lineno}: role {item['role']!r} is not one of {sorted(LABEL_ROLES)}")
        found.append(NamePattern(item["id"], item["label"], item["role"], item["pattern"], item["example"],
                                 item["excluded"]))
    return tuple(found)


HEADER_FIELDS = ("title_end", "subtitle", "not_title", "not_title_alone", "spaced", "issuer_line", "transmits",
                 "plan_title_in_notice", "transmits_in_text",
                 "doc_number", "doc_number_line", "order", "order_number", "order_issuer", "paragraph", "recipients",
                 "title_issuers", "meta", "date_in_text", "issued_on", "cc", "annex_label", "annex_list",
                 "annex_reference")
DEADLINE_KINDS = {"day", "month_end", "year_end", "goal_year", "half", "quarter", "period"}
LEAD_MARKER_KINDS = ("lead_mark", "open_list", "qualifier", "explains_lead", "standing")  # and legend_<convention>
DOCUMENT_KINDS = {"plan", "measures", "opinion", "rules", "notice", "qa"}
NOTE_KINDS = {"labelled", "words", "line", "note_like"}
NOTE_WORD_ROLES = {"lead", "support", "responsible", "filler", "joins", "separator"}
LEGEND = regex.compile(r"legend_(?P<convention>[a-z_]+)")
ROLE_LABEL_ROLES = {"lead", "support", "responsible"}
COLUMN_ROLES = {"seq", "measure", "task", "target", "lead", "responsible", "support", "deadline", "indicator",
                "indicator_unit", "value", "attribute"}
KINDS = {"level", "increment", "growth_rate", "share", "cumulative", "reduction"}
QUANTITY_ROLES = {"target", "incentive", "eligibility", "baseline", "period", "other"}
LABEL_ROLES = QUANTITY_ROLES - {"target"} | {"none"}  # none: no quantity at all (a date, an ordinal)
INCENTIVE_TERMS = {"cap", "recipient"}
# In the view the role rules read, each quantity is a run of one of these private-use characters
# (two, taken in turn, so that two quantities written side by side stay two); {N} in a rule is the
# quantity being decided, {Q} any other.
NUMBER_MARKS = "\ue000\ue001"
NUMBER = "(?:\ue000++|\ue001++)"  # possessive: {N} is the whole quantity, never a part of it
# A year before the plan's own (2022年 in a plan for 2023) is marked too: {PAST} in a rule.
PAST_MARK = "\ue002"
COMPARATORS = {">=", "<=", "=", ">", "<"}
_PLACEHOLDER = regex.compile(r"\{[^{}]*\}")


def _literal_opening(pattern: str) -> str:
    """The characters a ^-anchored pattern matches literally first (^抄送[：:]… → 抄送), "" when none:
    lines that open otherwise need no matching."""
    m = regex.match(r"\^(\p{Han}+)", pattern)
    return m.group(1) if m else ""


def _openers(pattern: str, label: str) -> set[str]:
    """The characters a heading pattern can match first: those of its first literal or class after
    ^(?P<number>, widened to every digit and numeral the class names a range of (kept simple: the
    rows of headings.tsv open with a literal 第, a bracket class or a numeral class)."""
    m = regex.match(r"\^\(\?P<number>(?:\[(?P<cls>[^\]]+)\]|(?P<lit>.))", pattern)
    if not m:
        raise RuleError(f"{label}: a pattern must open with ^(?P<number> and a character or a class: {pattern}")
    if m.group("lit"):
        return {m.group("lit")}
    chars = set()
    cls = m.group("cls")
    for k, ch in enumerate(cls):
        if ch == "-" and 0 < k < len(cls) - 1:
            chars |= {chr(c) for c in range(ord(cls[k - 1]), ord(cls[k + 1]) + 1)}
        else:
            chars.add(ch)
    return chars


def expand_marks(pattern: str) -> str:
    """{Q} (a quantity) and {PAST} (a past year) in a rule pattern as the marks of the view the rules
    read: a run of marks, or inside a character class ([^，{Q}]) the mark characters themselves."""
    out = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        for placeholder, run, chars in (("{Q}", NUMBER, NUMBER_MARKS), ("{PAST}", PAST_MARK + "++", PAST_MARK)):
            if pattern.startswith(placeholder, i):
                out.append(chars if in_class else run)
                i += len(placeholder)
                break
        else:
            if ch == "\\":
                out.append(pattern[i:i + 2])
                i += 2
                continue
            if ch == "[" and not in_class:
                in_class = True
                if pattern.startswith("[^]", i) or pattern.startswith("[]", i):  # a ] first in a class is itself
                    out.append(pattern[i:i + (3 if pattern[i + 1] == "^" else 2)])
                    i += 3 if pattern[i + 1] == "^" else 2
                    continue
            elif ch == "]" and in_class:
                in_class = False
            out.append(ch)
            i += 1
    return "".join(out)


def _alternation(patterns: list[regex.Pattern]) -> regex.Pattern | None:
    """Several rows of one kind as one pattern that matches where any of them does."""
    return regex.compile("|".join(f"(?:{p.pattern})" for p in patterns)) if patterns else None


def goal_rules(quantity_roles: tuple[QuantityRoleRule, ...]) -> range:
    """Where the goal rules stand: the target rules after the last rule of another role, the default
    aside. They can only change what the default decides, so they are read only where a document
    scope (role_scopes.tsv) makes the default another role."""
    last_other = max((i for i, r in enumerate(quantity_roles) if r.role != "target"), default=-1)
    return range(last_other + 1, len(quantity_roles) - 1)


def load(folder: Path | str = RULES_DIR) -> Rules:
    """Read and check the rule set in `folder` (the bundled rules by default). Raises RuleError
    naming the file and line of the first malformed row."""
    f = _Files(Path(folder))
    units = {
        word: Unit(word, base, f.decimal("units.tsv", n, factor), category)
        for n, (word, base, factor, category) in f.table("units.tsv", 4)
    }
    magnitudes = {word: f.decimal("magnitudes.tsv", n, m) for n, (word, m) in f.table("magnitudes.tsv", 2)}
    comparators = f.by_position("comparators.tsv", COMPARATORS, ("before", "bound", "after", "more"))
    approximators: dict[str, list[str]] = {"before": [], "after": []}
    for n, (word, position) in f.table("approximators.tsv", 2):
        approximators[f.choice("approximators.tsv", n, position, set(approximators))].append(word)
    deadlines = tuple(
        (f.choice("deadlines.tsv", n, kind, DEADLINE_KINDS), f.pattern("deadlines.tsv", n, p))
        for n, (kind, p) in f.table("deadlines.tsv", 2)
    )
    hedges = {
        word: f.choice("hedges.tsv", n, flag, {"true", "false"}) == "true"
        for n, (word, flag) in f.table("hedges.tsv", 2)
    }
    actions = {
        word: f.choice("actions.tsv", n, kind, {"increment", "level"})
        for n, (word, kind) in f.table("actions.tsv", 2)
    }
    kind_markers = f.by_position("kind_markers.tsv", KINDS, ("before", "suffix"))
    non_targets = tuple(
        NonTargetRule(rule_id, f.choice("non_targets.tsv", n, role, LABEL_ROLES),
                      f.pattern("non_targets.tsv", n, pattern), example, excluded, counter, kept)
        for n, (rule_id, role, pattern, example, excluded, counter, kept) in f.table("non_targets.tsv", 7)
    )
    quantity_roles = f.role_rules("quantity_roles.tsv", {u.category for u in units.values()} | {"unknown"})
    incentive_terms = tuple(
        ExampleRule(f.choice("incentive_terms.tsv", n, kind, INCENTIVE_TERMS), f.at_number("incentive_terms.tsv", n, p),
                    example, counter)
        for n, (kind, p, example, counter) in f.table("incentive_terms.tsv", 4)
    )
    for n, rule in zip((n for n, _cells in f.table("incentive_terms.tsv", 4)), incentive_terms):
        if rule.kind == "recipient":
            f.group(rule.pattern, "who", "incentive_terms.tsv", n)
    goal_ids = {quantity_roles[i].rule_id for i in goal_rules(quantity_roles)}
    role_scopes = tuple(
        RoleScope(rule_id, f.choice("role_scopes.tsv", n, where, {"title", "heading"}),
                  f.choice("role_scopes.tsv", n, role, QUANTITY_ROLES),
                  None if goals == "*" else frozenset(f.choice("role_scopes.tsv", n, goal, goal_ids)
                                                      for goal in goals.split() if goal != "-"),
                  f.pattern("role_scopes.tsv", n, p), example, counter)
        for n, (rule_id, where, role, goals, p, example, counter) in f.table("role_scopes.tsv", 7)
    )
    headings = tuple(ExampleRule(style, f.group(f.pattern("headings.tsv", n, p), "number", "headings.tsv", n),
                                 example, counter)
                     for n, (style, p, example, counter) in f.table("headings.tsv", 4))
    annex_columns = tuple(
        ColumnRule(f.choice("annex_columns.tsv", n, role, COLUMN_ROLES),
                   f.choice("annex_columns.tsv", n, fills_down, {"yes", "no"}) == "yes",
                   f.pattern("annex_columns.tsv", n, p), example, counter)
        for n, (role, fills_down, p, example, counter) in f.table("annex_columns.tsv", 5)
    )
    note_rules = f.example_rules("notes.tsv", NOTE_KINDS)
    for n, rule in zip((n for n, _cells in f.table("notes.tsv", 4)), note_rules):
        if rule.kind != "note_like":
            f.group(rule.pattern, "units", "notes.tsv", n)
    note_like = _alternation([r.pattern for r in note_rules if r.kind == "note_like"])
    if note_like is None:
        raise RuleError(f"{f.name('notes.tsv')}: missing the note_like rule")
    word_rows = f.table("note_words.tsv", 4)
    note_words = {word: f.choice("note_words.tsv", n, role, NOTE_WORD_ROLES) for n, (word, role, _e, _r) in word_rows}
    # kind holds the word, counter_example the reading of the example
    note_word_rules = tuple(ExampleRule(word, regex.compile(regex.escape(word)), example, reading)
                            for _n, (word, _role, example, reading) in word_rows)
    lead_markers = f.example_rules("lead_markers.tsv", None)
    for n, rule in zip((n for n, _cells in f.table("lead_markers.tsv", 4)), lead_markers):
        if rule.kind not in LEAD_MARKER_KINDS and not LEGEND.fullmatch(rule.kind):
            raise RuleError(f"{f.name('lead_markers.tsv')}:{n}: {rule.kind!r} is not one of "
                            f"{list(LEAD_MARKER_KINDS)} nor legend_<convention>")
    markers = {kind: _alternation([r.pattern for r in lead_markers if r.kind == kind]) for kind in LEAD_MARKER_KINDS}
    for kind, pattern in markers.items():
        if pattern is None:
            raise RuleError(f"{f.name('lead_markers.tsv')}: missing the {kind} rule")
    conventions = list(dict.fromkeys(m["convention"] for r in lead_markers if (m := LEGEND.fullmatch(r.kind))))
    legends = tuple((c, _alternation([r.pattern for r in lead_markers if r.kind == f"legend_{c}"]))
                    for c in conventions)
    role_labels = {
        label: f.choice("role_labels.tsv", n, role, ROLE_LABEL_ROLES)
        for n, (label, role) in f.table("role_labels.tsv", 2)
    }
    jurisdiction = tuple(
        ExampleRule("jurisdiction", f.group(f.pattern("jurisdiction.tsv", n, p), "jurisdiction", "jurisdiction.tsv", n),
                    example, expected)
        for n, (p, example, expected) in f.table("jurisdiction.tsv", 3)
    )
    header = {field: f.pattern("header.tsv", n, p) for n, (field, p) in f.table("header.tsv", 2)}
    for field in HEADER_FIELDS:
        if field not in header:
            raise RuleError(f"{f.name('header.tsv')}: missing the {field} rule")
    return Rules(
        folder=f.folder,
        units=units,
        magnitudes=magnitudes,
        comparators_before={**comparators["before"], **comparators["bound"]},
        comparator_verbs=frozenset(comparators["before"]),
        comparators_after=comparators["after"],
        comparators_more=comparators["more"],
        approximators_before=tuple(approximators["before"]),
        approximators_after=tuple(approximators["after"]),
        non_units=frozenset(ch for _n, (ch, _note) in f.table("non_units.tsv", 2)),
        deadlines=deadlines,
        hedges=hedges,
        connectives=tuple(word for _n, (word, _note) in f.table("connectives.tsv", 2)),
        adverbs=tuple(word for _n, (word, _note) in f.table("adverbs.tsv", 2)),
        actions=actions,
        kind_before=kind_markers["before"],
        kind_suffix=kind_markers["suffix"],
        non_targets=non_targets,
        quantity_roles=quantity_roles,
        incentive_terms=incentive_terms,
        role_scopes=role_scopes,
        headings=headings,
        heading_starts=frozenset(ch for rule in headings
                                 for ch in _openers(rule.pattern.pattern, f.name("headings.tsv"))),
        annex_columns=annex_columns,
        note_patterns=tuple((r.kind, r.pattern) for r in note_rules if r.kind != "note_like"),
        note_rules=note_rules,
        note_like=note_like,
        note_words=note_words,
        note_word_rules=note_word_rules,
        lead_markers=lead_markers,
        lead_mark=markers["lead_mark"],
        legends=legends,
        legend_like=markers["explains_lead"],
        standing=markers["standing"],
        open_list=markers["open_list"],
        qualifier=markers["qualifier"],
        role_labels=role_labels,
        generic_units=tuple(ExampleRule("generic", f.pattern("generic_units.tsv", n, p), example, counter)
                            for n, (p, example, counter) in f.table("generic_units.tsv", 3)),
        unit_aliases=f.unit_aliases("unit_aliases.tsv"),
        jurisdiction=jurisdiction,
        header=header,
        header_openings={name: _literal_opening(p.pattern) for name, p in header.items()},
        kinds=f.example_rules("kinds.tsv", DOCUMENT_KINDS),
        names=f.names("names.jsonl"),
        indicator_aliases=tuple((short, full) for _n, (short, full) in f.table("indicator_aliases.tsv", 2)),
        userdict=f.folder / "userdict.txt",
    )
