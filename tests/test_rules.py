"""The rule files: every non-target rule proves itself on its own example and
counter-example, and a malformed rule fails at load time naming the file and line."""
import shutil

import pytest

from conftest import bundled_rules
from policyparse import rules
from policyparse.extractors.roles import Decision
from policyparse.extractors.targets import Scope, find_targets, read_quantities
from policyparse.extractors.unit_names import jurisdiction_of

RULES = bundled_rules()
NON_TARGET_RULES = RULES.non_targets


def quantities(sentence: str) -> list[str]:
    return [sentence[t.number_start:t.number_end] for t in find_targets(sentence, 0, len(sentence), RULES, 2023)]


def read(sentence: str, title_scope: bool = False):
    """The quantities of a sentence; with `title_scope`, as in a document whose title is not a plan's
    (where the goal rules speak)."""
    scopes = (Scope(0, len(sentence), Decision("other", "other_document"), "title"),) if title_scope else ()
    return [r.quantity for r in read_quantities(sentence, 0, len(sentence), RULES, 2023, scopes=scopes)]


@pytest.mark.parametrize("rule", NON_TARGET_RULES, ids=lambda r: r.rule_id)
def test_non_target_rule_fires_on_its_example_and_spares_its_counter_example(rule):
    group = "x" if "x" in rule.pattern.groupindex else 0
    spans = [m.group(group) for m in rule.pattern.finditer(rule.example)]
    assert any(rule.excluded in s for s in spans), f"{rule.rule_id}: its pattern does not cover {rule.excluded!r}"
    assert not any(rule.excluded in q for q in quantities(rule.example))
    labelled = [q for q in read(rule.example) if rule.excluded in q.written]
    if rule.role == "none":
        assert not labelled, f"{rule.rule_id}: {rule.excluded!r} is read as a quantity"
    else:
        assert [(q.role, q.role_rule) for q in labelled] == [(rule.role, rule.rule_id)]
    assert any(q.startswith(rule.kept) for q in quantities(rule.counter_example))


@pytest.mark.parametrize("rule", RULES.quantity_roles, ids=lambda r: r.rule_id)
def test_role_rule_decides_its_example_and_not_its_counter_example(rule):
    # The goal rules speak where a document's title is not a plan's; the default where none is given.
    in_scope = rule is not RULES.quantity_roles[-1]
    decided = [(q.role, q.role_rule) for q in read(rule.example, in_scope) if q.written == rule.quantity]
    assert decided == [(rule.role, rule.rule_id)], f"{rule.rule_id}: {rule.quantity!r} in {rule.example!r}"
    others = read(rule.counter_example, in_scope)
    assert others, f"{rule.rule_id}: its counter-example holds no quantity"
    assert all(q.role_rule != rule.rule_id for q in others), f"{rule.rule_id} decides {rule.counter_example!r}"


def test_the_last_role_rule_is_the_default_and_rules_are_named_once():
    assert RULES.quantity_roles[-1].rule_id == "default" and RULES.quantity_roles[-1].source == "{N}"
    ids = [r.rule_id for r in (*RULES.quantity_roles, *RULES.non_targets, *RULES.role_scopes)]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("rule", RULES.role_scopes, ids=lambda r: r.rule_id)
def test_role_scope_matches_its_example_and_not_its_counter_example(rule):
    assert rule.pattern.search(rule.example), f"{rule.rule_id} misses {rule.example!r}"
    if rule.counter_example == "-":  # matches every title: the last title row
        assert rule is [r for r in RULES.role_scopes if r.where == "title"][-1]
    else:
        assert not rule.pattern.search(rule.counter_example), f"{rule.rule_id} fires on {rule.counter_example!r}"


@pytest.mark.parametrize("rule", RULES.incentive_terms, ids=lambda r: f"{r.kind}:{r.example}")
def test_incentive_term_reads_its_example_and_not_its_counter_example(rule):
    def said(sentence: str) -> list:
        incentives = [q for q in read(sentence) if q.role == "incentive"]
        assert incentives, f"no incentive in {sentence!r}"
        return [q.cap if rule.kind == "cap" else q.recipient for q in incentives]

    assert any(said(rule.example)) and not any(said(rule.counter_example))


@pytest.mark.parametrize("rule", RULES.lead_markers + RULES.generic_units,
                         ids=lambda r: f"{r.kind}:{r.example}")
def test_lead_marker_and_generic_unit_rules_fire_on_their_example_only(rule):
    assert rule.pattern.search(rule.example), f"{rule.kind} misses its example {rule.example!r}"
    assert not rule.pattern.search(rule.counter_example), f"{rule.kind} fires on {rule.counter_example!r}"


@pytest.mark.parametrize("rule", RULES.jurisdiction, ids=lambda r: r.example)
def test_jurisdiction_rule_reads_its_example(rule):
    assert rule.pattern.search(rule.example).group("jurisdiction") == rule.counter_example
    assert jurisdiction_of(rule.example, RULES) == rule.counter_example


@pytest.mark.parametrize("rule", RULES.headings + RULES.note_rules + RULES.kinds,
                         ids=lambda r: f"{r.kind}:{r.example}")
def test_heading_note_and_kind_rules_fire_on_their_example_only(rule):
    assert rule.pattern.search(rule.example), f"{rule.kind} misses its example {rule.example!r}"
    assert not rule.pattern.search(rule.counter_example), f"{rule.kind} fires on {rule.counter_example!r}"


@pytest.mark.parametrize("rule", RULES.annex_columns, ids=lambda r: f"{r.role}:{r.example}")
def test_annex_column_rule_names_its_example_header_only(rule):
    from policyparse.segment import _roles

    [role] = _roles(rule.example, ((0, len(rule.example)),), RULES)
    assert role == rule.role, f"{rule.example!r} is read as {role}"
    assert not rule.pattern.search(rule.counter_example), f"{rule.role} fires on {rule.counter_example!r}"


@pytest.mark.parametrize("rule", RULES.note_word_rules, ids=lambda r: r.kind)
def test_a_notes_own_words_read_their_example(rule):
    from policyparse.extractors.responsibility import read_lists

    lists = read_lists(rule.example, 0, len(rule.example), RULES)
    reading = " ".join(f"{u.unit}:{u.word_role}" for lst in lists for u in lst.units)
    assert reading == rule.counter_example


def test_every_rule_table_loads_and_is_not_empty():
    loaded = RULES
    assert loaded.units["亿元" if "亿元" in loaded.units else "元"].base_unit == "元"
    assert loaded.magnitudes["亿"] == 100000000
    assert loaded.comparators_after["以上"] == ">=" and loaded.hedges["确保"] is False
    assert loaded.actions["新增"] == "increment" and loaded.kind_suffix["占比"] == "share"
    assert loaded.role_labels["配合单位"] == "support" and loaded.unit_aliases


@pytest.fixture
def rules_copy(tmp_path):
    """A copy of the bundled rules to break: a rule set of its own, loaded from its folder."""
    folder = tmp_path / "rules"
    shutil.copytree(rules.RULES_DIR, folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return folder


def test_a_row_with_a_missing_column_names_file_and_line(rules_copy):
    with open(rules_copy / "units.tsv", "a", encoding="utf-8") as f:
        f.write("公斤\t公斤\n")
    lines = (rules_copy / "units.tsv").read_text(encoding="utf-8").splitlines()
    with pytest.raises(rules.RuleError, match=rf"rules/units.tsv:{len(lines)}: expected 4 tab-separated columns"):
        rules.load(rules_copy)


def test_a_bad_pattern_and_a_bad_value_are_refused(rules_copy):
    with open(rules_copy / "non_targets.tsv", "a", encoding="utf-8") as f:
        f.write("broken\tother\t(unclosed\ta\tb\tc\td\n")
    with pytest.raises(rules.RuleError, match="rules/non_targets.tsv:.*bad pattern"):
        rules.load(rules_copy)
    (rules_copy / "non_targets.tsv").write_text("", encoding="utf-8")
    with open(rules_copy / "comparators.tsv", "a", encoding="utf-8") as f:
        f.write("大约\tbefore\t~\n")
    with pytest.raises(rules.RuleError, match="rules/comparators.tsv:.*'~' is not one of"):
        rules.load(rules_copy)


@pytest.mark.parametrize("name", RULES.names, ids=lambda n: n.id)
def test_name_pattern_marks_its_example_and_keeps_the_real_target(name):
    from policyparse.extractors.nlp import name_spans
    from policyparse.extractors.text import token_bounds

    spans = name_spans(name.example, sorted(token_bounds(name.example, RULES)), RULES)
    assert any(name.example[s:e].startswith(name.excluded) for s, e, pattern_id in spans if pattern_id == name.id)
    assert not any(q.startswith(name.excluded) for q in quantities(name.example))
    assert quantities(name.example), "the example still has its real target"


def test_a_bad_name_pattern_names_the_rule(rules_copy):
    from policyparse.extractors import nlp

    (rules_copy / "names.jsonl").write_text('{"id": "bad", "label": "NAME", "role": "other", "pattern": '
                                            '[{"TEXT": {"REGEX": "("}}], "example": "x", "excluded": "x"}\n',
                                            encoding="utf-8")
    with pytest.raises(rules.RuleError, match="rules/names.jsonl: pattern 'bad'"):
        nlp.language(rules.load(rules_copy))


def test_a_unit_alias_with_a_stray_placeholder_or_listed_twice_is_refused(rules_copy):
    aliases = rules_copy / "unit_aliases.tsv"
    original = aliases.read_text(encoding="utf-8")
    aliases.write_text(original + "{X}经信局\t{J}经济和信息化局\n", encoding="utf-8")
    lineno = len(original.splitlines()) + 1
    with pytest.raises(rules.RuleError, match=rf"rules/unit_aliases.tsv:{lineno}: \{{X\}} cannot stand"):
        rules.load(rules_copy)
    aliases.write_text(original + "{L}经信局\t{J}经信局\n", encoding="utf-8")
    with pytest.raises(rules.RuleError, match=rf"rules/unit_aliases.tsv:{lineno}: '{{L}}经信局' is already listed"):
        rules.load(rules_copy)


def test_a_note_pattern_without_its_units_group_is_refused(rules_copy):
    with open(rules_copy / "notes.tsv", "a", encoding="utf-8") as f:
        f.write("labelled\t分工：[^）]*\t分工：市经信局\t市经信局\n")
    with pytest.raises(rules.RuleError, match=r"rules/notes.tsv:\d+: the pattern has no group `units`"):
        rules.load(rules_copy)
