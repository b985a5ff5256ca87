"""Which characters every match of a pattern holds, so that a text holding none of them is never
searched: a rule table's patterns run only over the texts (an annex cell, a sentence) that could
hold a match. Read from the pattern itself by the standard library's regex parser (re._parser,
Python 3.11+), so it cannot disagree with the rule; a pattern it cannot read (\\p{Han}, a lookbehind
of varying width) gets no guard and is always searched."""
from __future__ import annotations

import functools
import importlib
from typing import Any

# The commonest characters of the genre: a guard is taken from a rarer character of a pattern's
# words where it has one (年薪 is guarded by 薪, not 年), so that fewer texts wake it.
COMMON = frozenset("，,。、；;：:（）()“”《》"
                   "的一是在不了有和人这中大为上个国我以要时来用们生到作地于出就分对成会可主发年动同工也能下过"
                   "子产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制"
                   "机当使点从业本去把性好应开合还因由其些然前外天政四日社义事平形相全表间样与关各重新线内数正心"
                   "反明看原又么利比或但质气第向道命此变条只没结解问意建月公无系很情者最立代想通并提直题党程展"
                   "五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别手角期根"
                   "论运农指几九区强放决西被干做必战先回则任取据处世车市县省支持推动加快提升服务创新企业项目")


@functools.lru_cache(maxsize=1024)
def required_chars(pattern: str, ignore: frozenset[str] = frozenset()) -> frozenset[str] | None:
    """Characters one of which any text `pattern` matches holds (none of `ignore`), or None when the
    pattern does not say."""
    sets = required_sets(pattern, ignore, 1)
    return sets[0] if sets else None


def required_sets(pattern: str, ignore: frozenset[str] = frozenset(), most: int = 2) -> list[frozenset[str]]:
    """Up to `most` sets of characters, the rarest first, such that any text `pattern` matches holds
    one character of each: a text that lacks one set's needs no search."""
    try:
        tree = _sre("_parser").parse(pattern)
    except Exception:  # syntax only the regex module reads
        return []
    found = {chars for op, av in tree if (chars := _required_item(op, av, ignore))}
    return sorted(found, key=lambda chars: (*_cost(chars), sorted(chars)))[:most]


def _sre(name: str) -> Any:
    """A module of the standard library's regex engine: re._parser reads a pattern into a tree of
    opcodes, re._constants names them."""
    return importlib.import_module(f"re.{name}")


def _required(items, ignore: frozenset[str]) -> frozenset[str] | None:
    """Of a sequence: the best set one of its required items gives (the fewest common characters,
    then the fewest characters)."""
    best = None
    for op, av in items:
        found = _required_item(op, av, ignore)
        if found and (best is None or _cost(found) < _cost(best)):
            best = found
    return best


def _cost(chars: frozenset[str]) -> tuple[int, int]:
    return len(chars & COMMON), len(chars)


def _required_item(op, av, ignore: frozenset[str]) -> frozenset[str] | None:
    c = _sre("_constants")
    if op is c.LITERAL:
        ch = chr(av)
        return None if ch in ignore else frozenset(ch)
    if op is c.IN and av and av[0][0] is not c.NEGATE and all(kind is c.LITERAL for kind, _ in av):
        return frozenset(chr(code) for _, code in av) - ignore or None
    if op is c.SUBPATTERN:
        return _required(list(av[-1]), ignore)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        return _required(list(av[2]), ignore) if av[0] >= 1 else None
    if op is c.ATOMIC_GROUP:
        return _required(list(av), ignore)
    if op is c.ASSERT:  # a lookaround looks at the text too
        return _required(list(av[1]), ignore)
    if op is c.BRANCH:
        union: frozenset[str] = frozenset()
        for branch in av[1]:  # each alternative must give its own set
            found = _required(list(branch), ignore)
            if found is None:
                return None
            union |= found
        return union
    return None
