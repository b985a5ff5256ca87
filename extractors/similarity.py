"""How alike two pieces of a plan are: an annex task and the body measure it restates, an
annex measure name and a heading. Pure functions over strings."""
from __future__ import annotations

import difflib

import regex

from policyparse.extractors.text import tokenizer
from policyparse.rules import Rules

_NOT_WORD_CHARS = regex.compile(r"[^\p{Han}A-Za-z0-9]+")
# An opening title: a short first sentence with no clause punctuation ("实施产业基础再造工程。").
_OPENING_TITLE = regex.compile(r"\s*(?P<title>[^，,；;：:。]{2,20})。")


def bigrams(text: str) -> set[str]:
    """The character bigrams of the words in `text` (punctuation and spaces dropped)."""
    chars = _NOT_WORD_CHARS.sub("", text)
    return set(map(str.__add__, chars[:-1], chars[1:]))


def containment(part: set[str], whole: set[str]) -> float:
    """How much of a text is found in another, given the bigrams of each: the share of the
    first's bigrams that the second has too."""
    return len(part & whole) / len(part) if part else 0.0


def title_similarity(a: str, b: str) -> float:
    """0–1, character by character: 聚力企业梯次培育促升级 and 聚力企业梯度培育促升级 give 0.91."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def differing_words(a: str, b: str, rules: Rules) -> list[tuple[str, str]]:
    """The words in which `a` and `b` differ, word for word: (梯次, 梯度)."""
    words_a, words_b = tokenizer(rules).lcut(a), tokenizer(rules).lcut(b)
    matcher = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False)
    return [("".join(words_a[i1:i2]), "".join(words_b[j1:j2]))
            for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


def opening_title(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of a title-like first sentence of text[start:end] (a task cell that opens by
    naming its measure: "实施小微企业整合升级行动。大力推动…"), or None."""
    m = _OPENING_TITLE.match(text, start, end)
    return (m.start("title"), m.end("title")) if m and m.end() < end else None
