"""spaCy carries text as a Doc over our own jieba words (never spaCy's segmenter, nor the
module-wide jieba that spaCy's jieba mode shares), so character offsets stay exact and
rule patterns written as data (rules/names.jsonl, fed to an EntityRuler) can mark names
that hold numbers ("两个健康", "五个一批", "500强") without code."""
from __future__ import annotations

import functools
import typing

from policyparse.rules import RuleError, Rules


@functools.cache
def language(rules: Rules):
    """A blank Chinese pipeline with the name patterns of a rule set; loaded once per rule set."""
    import spacy
    from spacy.pipeline import EntityRuler

    nlp = spacy.blank("zh")
    ruler = typing.cast(EntityRuler, nlp.add_pipe("entity_ruler"))
    for p in rules.names:
        try:
            ruler.add_patterns([{"id": p.id, "label": p.label, "pattern": p.pattern}])
        except Exception as exc:  # spaCy reports a bad pattern in many ways; name the rule
            raise RuleError(f"{rules.file('names.jsonl')}: pattern {p.id!r}: {exc}") from None
    return nlp


def doc_from_words(text: str, cuts: list[int], rules: Rules):
    """A Doc whose words are `text` cut at the sorted offsets `cuts`; doc.text == text."""
    from spacy.tokens import Doc

    edges = [0, *(c for c in cuts if 0 < c < len(text)), len(text)]
    words = [text[a:b] for a, b in zip(edges, edges[1:]) if a < b]
    return Doc(language(rules).vocab, words=words, spaces=[False] * len(words))


@functools.cache
def _openings(rules: Rules) -> frozenset[str] | None:
    """The words the name patterns can start with, when every pattern starts with literal
    words; None when one starts otherwise (a regex), and then every text is matched."""
    words: set[str] = set()
    for p in rules.names:
        first = p.pattern[0].get("TEXT", p.pattern[0].get("ORTH"))
        if isinstance(first, str):
            words.add(first)
        elif isinstance(first, dict) and isinstance(first.get("IN"), list):
            words.update(first["IN"])
        else:
            return None
    return frozenset(words)


def name_spans(text: str, cuts: list[int], rules: Rules) -> list[tuple[int, int, str]]:
    """(start, end, pattern id) of every name the patterns find in `text`, cut into words at `cuts`.
    spaCy is loaded only when some pattern could start in `text`."""
    openings = _openings(rules)
    if not rules.names or not text or (openings is not None and not any(w in text for w in openings)):
        return []
    doc = language(rules).get_pipe("entity_ruler")(doc_from_words(text, cuts, rules))
    return [(e.start_char, e.end_char, e.ent_id_) for e in doc.ents]
