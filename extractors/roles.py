"""What a quantity is to the plan: its role (target, incentive, eligibility, baseline, period,
other) and the rule that decided it; for an incentive, whether it is a cap and who receives it.

A number that stands in a label (rules/non_targets.tsv, rules/names.jsonl) has the label's role.
Any other is decided by rules/quantity_roles.tsv: patterns over the words around the number,
tried in order, the first that applies wins, the last (`{N}` alone) is the default. The rules
read a view of the sentence in which every quantity is a run of marks (rules.NUMBER_MARKS), so a
rule says "a number" with {N} or {Q} whatever its digits, unit or magnitude; each rule is a
lookbehind and a lookahead around the number, so it is tried at the number only, and only when
its sentence holds one of the characters every match of the rule holds (extractors/guards.py):
a number meets the few rules whose words its sentence has, not the whole table.
A scope (rules/role_scopes.tsv) stands in for what the rules would make a target: a section's
always, the document's where only the default spoke."""
from __future__ import annotations

import functools
from typing import NamedTuple

import regex

from policyparse.extractors.guards import required_sets
from policyparse.extractors.quantities import Mention
from policyparse.model import QuantityRole
from policyparse.rules import NUMBER_MARKS, PAST_MARK, Rules, goal_rules

NUMBER_CHARS = frozenset(NUMBER_MARKS)
# Where a rule's guard needs another number ({Q}): held by a sentence with two numbers or more.
OTHER_NUMBER = "\ue003"


class Decision(NamedTuple):
    role: QuantityRole
    rule_id: str


def marked_view(view: str, mentions: list[Mention], past_years: list[tuple[int, int]]) -> str:
    """`view` with each quantity (numeral to unit, ascending, never overlapping) written as a run
    of marks, one for each character, and each year before the plan's (the digits of 2022年 in a
    plan for 2023, never inside a quantity) as a run of PAST_MARK: offsets stay those of `view`."""
    spans = [(m.start, m.end, NUMBER_MARKS[i % 2]) for i, m in enumerate(mentions)]  # ascending
    if past_years:
        spans = sorted(spans + [(start, end, PAST_MARK) for start, end in past_years])
    parts = []
    pos = 0
    for start, end, mark in spans:
        if start >= pos:  # a year inside a quantity (20223年) is left to the quantity
            parts += [view[pos:start], mark * (end - start)]
            pos = end
    parts.append(view[pos:])
    return "".join(parts)


def rule_index(rules: Rules) -> RuleIndex:
    """The role rules of a rule set, indexed for deciding (made once per rule set)."""
    return _index(rules)


class RuleIndex:
    """The role rules of a rule set with, for each, the characters one of which any text it matches
    must hold (None: no such set): a sentence without any of them is not tried against the rule. So
    a quantity meets only the few rules whose words its sentence holds, whatever their number."""

    def __init__(self, rules: Rules):
        self.rules = rules.quantity_roles
        self.goals = sum(1 << i for i in goal_rules(self.rules))
        # The goal rules each document scope reads (a report's goals need a goal year or a hedge).
        self.goals_of = {scope.rule_id: self.goals if scope.goals is None else
                         sum(1 << i for i, r in enumerate(self.rules) if r.rule_id in scope.goals)
                         for scope in rules.role_scopes}
        # Each rule needs one character of each of (up to) two sets in its sentence: a bit set of the
        # rules each character serves as the first, and as the second; {Q} (another number) counts
        # as the character OTHER_NUMBER, which a sentence with two numbers or more holds.
        self.always = 0  # the rules tried everywhere
        self.single = 0  # the rules with one set only
        self.first: dict[str, int] = {}
        self.second: dict[str, int] = {}
        for i, rule in enumerate(self.rules):
            guard = (rule.source.replace("{N}", NUMBER_MARKS[0]).replace("{Q}", OTHER_NUMBER)
                     .replace("{PAST}", PAST_MARK))
            sets = required_sets(guard, NUMBER_CHARS)
            if not sets:
                self.always |= 1 << i
            if len(sets) == 1:
                self.single |= 1 << i
            for chars, by_char in zip(sets, (self.first, self.second)):
                for ch in chars:
                    by_char[ch] = by_char.get(ch, 0) | 1 << i
        self.chars = frozenset(self.first) | frozenset(self.second)
        self.last = len(self.rules) - 1  # the default
        categories = {u.category for u in rules.units.values()} | {"unknown"}
        self.by_category = {c: sum(1 << i for i, r in enumerate(self.rules)
                                   if r.categories is None or c in r.categories) for c in categories}
        # Each rule's decision, made once (a document asks for one per number).
        self.decisions = [Decision(QuantityRole(r.role), r.rule_id) for r in self.rules]
        self.label_decisions: dict[tuple[str, str], Decision] = {}

    def labelled(self, role: str, rule_id: str) -> Decision:
        """The decision of a non-target rule or a name pattern."""
        found = self.label_decisions.get((role, rule_id))
        if found is None:
            found = self.label_decisions[role, rule_id] = Decision(QuantityRole(role), rule_id)
        return found

    def sentence_mask(self, sentence: str) -> int:
        """The rules (a bit set) whose characters the sentence holds: the only ones it may wake."""
        first = second = 0
        present = self.chars.intersection(sentence)  # the few the rules care for
        if NUMBER_MARKS[0] in sentence and NUMBER_MARKS[1] in sentence:  # the marks alternate: two numbers
            present = present | {OTHER_NUMBER}
        for ch in present:
            first |= self.first.get(ch, 0)
            second |= self.second.get(ch, 0)
        return self.always | first & (second | self.single)

    def decide(self, sentence: str, mask: int, pos: int, mention: Mention, section: Decision | None,
               document: Decision | None) -> Decision:
        """The role of a quantity, by its label or else by the first role rule that applies. `sentence`
        is the marked view of its sentence (the rules see no further), `mask` its sentence_mask, `pos`
        where the quantity starts in it. A section's scope (role_scopes.tsv: its heading says 申报条件)
        decides what the rules would make a target; the document's (its title is not a plan's) what
        only the default decides, the trailing target rules it names read where it stands."""
        if mention.label is not None:
            return self.labelled(mention.label.role, mention.label.rule_id)
        mask &= self.by_category[mention.category]
        if document is None or section is not None:
            mask &= ~self.goals
        else:
            mask &= ~self.goals | self.goals_of[document.rule_id]
        rules = self.rules
        last = self.last
        i = last
        while mask:
            low = mask & -mask
            i = low.bit_length() - 1
            if i == last or rules[i].pattern.match(sentence, pos):  # the default needs no trying
                break
            mask ^= low
        decision = self.decisions[i]
        if decision.role is QuantityRole.TARGET:
            if section is not None:
                return section
            if document is not None and i == last:
                return document
        return decision


def is_cap(marked: str, mention: Mention, rules: Rules) -> bool:
    """Whether an incentive's amount is a ceiling (最高, 不超过 …: the cap rules of incentive_terms.tsv)."""
    pattern = _term_patterns(rules).get("cap")
    return pattern is not None and pattern.match(marked, mention.start) is not None


def recipient(marked: str, mention: Mention, rules: Rules) -> tuple[int, int] | None:
    """Where the sentence names who receives an incentive (the recipient rules' group `who`)."""
    pattern = _term_patterns(rules).get("recipient")
    m = pattern.match(marked, mention.start) if pattern is not None else None
    return None if m is None else m.span("who")


@functools.cache
def _index(rules: Rules) -> RuleIndex:
    return RuleIndex(rules)


@functools.cache
def _term_patterns(rules: Rules) -> dict[str, regex.Pattern]:
    """The incentive term rules of each kind as one pattern (the recipient rules all name their
    group `who`: the regex module lets alternatives share a group name)."""
    kinds: dict[str, list[str]] = {}
    for rule in rules.incentive_terms:
        kinds.setdefault(rule.kind, []).append(rule.pattern.pattern)
    return {kind: regex.compile("|".join(f"(?:{p})" for p in patterns)) for kind, patterns in kinds.items()}
