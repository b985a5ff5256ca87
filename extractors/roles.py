"""What a quantity is to the plan: its role (target, incentive, eligibility, baseline, period,
other) and the rule that decided it; for an incentive, whether it is a cap and who receives it.

A number that stands in a label (rules/non_targets.tsv, rules/names.jsonl) has the label's role.
Any other is decided by rules/quantity_roles.tsv: patterns over the words around the number,
tried in order, the first that applies wins, the last (`{N}` alone) is the default. The rules
read a view of the region in which every quantity is a run of marks (rules.NUMBER_MARKS), so a
rule says "a number" with {N} or {Q} whatever its digits, unit or magnitude; each rule is a
lookbehind and a lookahead around the number, so it is tried at the number only (one `match`
per quantity: all the rules of a unit category are one pattern, alternatives in file order)."""
from __future__ import annotations

import functools
import importlib
from typing import Any, NamedTuple

import regex

from policyparse.extractors.quantities import Mention
from policyparse.rules import NUMBER_MARKS, PAST_MARK, QuantityRoleRule, Rules, expand_marks

NUMBER_CHARS = frozenset(NUMBER_MARKS)
# The commonest characters of the genre: a rule is keyed on a rarer character of its words where it
# has one (年薪 on 薪, not 年), so that fewer sentences wake it.
COMMON = frozenset("的一是在不了有和人这中大为上个国我以要时来用们生到作地于出就分对成会可主发年动同工也能下过"
                   "子产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制"
                   "机当使点从业本去把性好应开合还因由其些然前外天政四日社义事平形相全表间样与关各重新线内数正心"
                   "反明看原又么利比或但质气第向道命此变条只没结解问意建月公无系很情者最立代想通并提直题党程展"
                   "五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别手角期根"
                   "论运农指几九区强放决西被干做必战先回则任取据处世车市县省支持推动加快提升服务创新企业项目")


class Decision(NamedTuple):
    role: str
    rule_id: str


def marked_view(view: str, mentions: list[Mention], past_years: list[tuple[int, int]]) -> str:
    """`view` with each quantity (numeral to unit, ascending, never overlapping) written as a run
    of marks, one for each character, and each year before the plan's (the digits of 2022年 in a
    plan for 2023, never inside a quantity) as a run of PAST_MARK: offsets stay those of `view`."""
    spans = sorted([(m.start, m.end, NUMBER_MARKS[i % 2]) for i, m in enumerate(mentions)]
                   + [(start, end, PAST_MARK) for start, end in past_years])
    parts = []
    pos = 0
    for start, end, mark in spans:
        if start >= pos:  # a year inside a quantity (20223年) is left to the quantity
            parts += [view[pos:start], mark * (end - start)]
            pos = end
    parts.append(view[pos:])
    return "".join(parts)


def decide(marked: str, pos: int, mention: Mention, rules: Rules, section: Decision | None = None,
           document: Decision | None = None) -> Decision:
    """The role of a quantity, by its label or else by the first role rule that applies. `marked`
    is the marked view of its sentence (the rules see no further), `pos` where the quantity starts
    there. A section's scope (role_scopes.tsv: its heading says 申报条件) decides what the rules
    would make a target; the document's (its title says 报告) what only the default rule decides."""
    if mention.label is not None:
        return Decision(mention.label.role, mention.label.rule_id)
    index = _index(rules)
    rule = index.first(marked, pos, mention.category, goals=document is not None and section is None)
    if rule.role == "target":
        if section is not None:
            return section
        if document is not None and rule is rules.quantity_roles[-1]:
            return document
    return Decision(rule.role, rule.rule_id)


class _RuleIndex:
    """The role rules of a rule set with, for each, the characters one of which any text it matches
    must hold (None: no such set): a sentence without any of them is not tried against the rule. So
    a quantity meets only the few rules whose words its sentence holds, whatever their number."""

    def __init__(self, rules: Rules):
        self.rules = rules.quantity_roles
        # The target rules after the last rule of another role (the default aside) can only change what
        # the default decides: they are read where a document scope makes the default another role.
        last_other = max((i for i, r in enumerate(self.rules) if r.role != "target"), default=-1)
        self.goals = sum(1 << i for i in range(last_other + 1, len(self.rules) - 1))
        self.always = 0  # the rules tried everywhere, as a bit set
        self.by_char: dict[str, int] = {}
        for i, rule in enumerate(self.rules):
            chars = required_chars(rule.source)
            if chars is None:
                self.always |= 1 << i
            else:
                for ch in chars:
                    self.by_char[ch] = self.by_char.get(ch, 0) | 1 << i
        categories = {u.category for u in rules.units.values()} | {"unknown"}
        self.by_category = {c: sum(1 << i for i, r in enumerate(self.rules)
                                   if r.categories is None or c in r.categories) for c in categories}
        self.sentence_masks: dict[str, int] = {}

    def first(self, marked: str, pos: int, category: str, goals: bool) -> QuantityRoleRule:
        """The first rule, in file order, that applies at `pos` (the trailing target rules only with
        `goals`); the default always does."""
        mask = self.sentence_masks.get(marked)
        if mask is None:
            mask = self.always
            by_char = self.by_char
            for ch in set(marked):
                mask |= by_char.get(ch, 0)
            if len(self.sentence_masks) > 4096:  # a sentence is met again in an annex, rarely after
                self.sentence_masks.clear()
            self.sentence_masks[marked] = mask
        mask &= self.by_category[category]
        if not goals:
            mask &= ~self.goals
        while mask:
            low = mask & -mask
            rule = self.rules[low.bit_length() - 1]
            if rule.pattern.match(marked, pos):
                return rule
            mask ^= low
        return self.rules[-1]


@functools.cache
def _index(rules: Rules) -> _RuleIndex:
    return _RuleIndex(rules)


def required_chars(source: str) -> frozenset[str] | None:
    """The characters one of which any text the rule `source` matches holds (other than the marks of
    numbers), or None when the pattern does not say (Python's own parser reads it; a pattern it
    cannot read, \\p{Han} say, is tried everywhere)."""
    try:
        tree = _sre("_parser").parse(expand_marks(source.replace("{N}", NUMBER_MARKS[0])))
    except Exception:  # syntax only the regex module reads
        return None
    return _required(list(tree))


def _required(items) -> frozenset[str] | None:
    """Of a sequence: the best set one of its required items gives (the fewest common characters,
    then the fewest characters)."""
    best = None
    for op, av in items:
        found = _required_item(op, av)
        if found and (best is None or _cost(found) < _cost(best)):
            best = found
    return best


def _cost(chars: frozenset[str]) -> tuple[int, int]:
    return len(chars & COMMON), len(chars)


def _sre(name: str) -> Any:
    """A module of the standard library's regex engine: re._parser reads a pattern into a tree of
    opcodes, re._constants names them (Python 3.11+)."""
    return importlib.import_module(f"re.{name}")


def _required_item(op, av) -> frozenset[str] | None:
    c = _sre("_constants")

    if op is c.LITERAL:
        ch = chr(av)
        return None if ch in NUMBER_CHARS else frozenset(ch)
    if op is c.IN and av and av[0][0] is not c.NEGATE and all(kind is c.LITERAL for kind, _ in av):
        return frozenset(chr(code) for _, code in av) - NUMBER_CHARS or None
    if op is c.SUBPATTERN:
        return _required(list(av[-1]))
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        return _required(list(av[2])) if av[0] >= 1 else None
    if op is c.ATOMIC_GROUP:
        return _required(list(av))
    if op is c.ASSERT:  # a lookaround looks at the text too
        return _required(list(av[1]))
    if op is c.BRANCH:
        union: frozenset[str] = frozenset()
        for branch in av[1]:  # each alternative must give its own set
            found = _required(list(branch))
            if found is None:
                return None
            union |= found
        return union
    return None


def is_cap(marked: str, mention: Mention, rules: Rules) -> bool:
    """Whether an incentive's amount is a ceiling (最高, 不超过 …: the cap rules of incentive_terms.tsv)."""
    pattern = _term_patterns(rules).get("cap")
    return pattern is not None and pattern.match(marked, mention.start) is not None


def recipient(marked: str, text: str, mention: Mention, rules: Rules) -> str | None:
    """Who receives an incentive, where the sentence names them (the recipient rules' group `who`),
    as `text` writes it."""
    pattern = _term_patterns(rules).get("recipient")
    m = pattern.match(marked, mention.start) if pattern is not None else None
    if m is None:
        return None
    start, end = m.span("who")
    return text[start:end].strip() or None


@functools.cache
def _term_patterns(rules: Rules) -> dict[str, regex.Pattern]:
    """The incentive term rules of each kind as one pattern (the recipient rules all name their
    group `who`: the regex module lets alternatives share a group name)."""
    kinds: dict[str, list[str]] = {}
    for rule in rules.incentive_terms:
        kinds.setdefault(rule.kind, []).append(rule.pattern.pattern)
    return {kind: regex.compile("|".join(f"(?:{p})" for p in patterns)) for kind, patterns in kinds.items()}
