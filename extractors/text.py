"""Shared text helpers: character folding, the jieba tokenizer, and clause splitting."""
from __future__ import annotations

import bisect
import functools
import logging
from typing import NamedTuple

import regex

from policyparse.rules import Rules

_FULL_WIDTH, _ASCII = "０１２３４５６７８９．％＋－＊", "0123456789.%+-*"
_FOLD = str.maketrans(_FULL_WIDTH, _ASCII)
_FOLDED = regex.compile(f"[{_FULL_WIDTH}]")


def fold(text: str) -> str:
    """Full-width digits and signs to ASCII, one character for one: offsets stay valid."""
    # translate() looks up every character; most texts have nothing to fold.
    return text.translate(_FOLD) if _FOLDED.search(text) else text


@functools.cache
def tokenizer(rules: Rules):
    """Our own jieba tokenizer (never the shared module default), taught the domain words in
    the rule set's userdict.txt and every rule word, so a unit or an action is one token. One
    per rule set."""
    import jieba  # here, not at import: jieba pulls in pkg_resources (~0.2 s)

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    # The prefix table built here, in memory (0.4 s, as long as reading jieba's cache of it):
    # jieba's cache, $TMPDIR/jieba.cache, is 9 MB written outside --out, and read back from
    # whoever wrote it (a table planted there changed what was parsed).
    tok.FREQ, tok.total = tok.gen_pfdict(tok.get_dict_file())
    tok.initialized = True
    words = [*rules.actions, *rules.hedges, *rules.comparators_before, *rules.comparators_after,
             *rules.kind_before, *(u for u in rules.units if len(u) > 1)]
    for word in words:
        tok.add_word(word, freq=None)
    # After the rule words: a frequency the user dictionary gives a word (个月, which jieba's own
    # table rates below 三个 and cuts 三个/月销量) is the one that holds.
    tok.load_userdict(str(rules.userdict))
    return tok


def token_bounds(text: str, rules: Rules) -> set[int]:
    """Offsets (relative to `text`) where a jieba token starts or ends."""
    return set(word_bounds(text, rules))


# Longer than any clause a plan writes (the corpus's longest piece is 371 characters).
MEMO_CHARS = 1000


def word_bounds(text: str, rules: Rules) -> frozenset[int]:
    """token_bounds, remembered for a clause of up to MEMO_CHARS characters: not to be changed
    by the caller. A longer text is no clause a plan restates, and remembering it would let one
    hostile document fill the memo of a batch worker."""
    return remembered_bounds(text, rules) if len(text) <= MEMO_CHARS else _segmented(text, rules)


@functools.lru_cache(maxsize=1 << 12)
def remembered_bounds(text: str, rules: Rules) -> frozenset[int]:
    # Remembered per clause: an annex restates the body's clauses word for word, and next
    # year's plan many of this year's. 4,096 clauses are a dozen plans; a batch worker that
    # remembered 65,536 held some 40 MB more after ten thousand documents.
    return _segmented(text, rules)


def _segmented(text: str, rules: Rules) -> frozenset[int]:
    bounds = {0, len(text)}
    # Without jieba's HMM: the words it guesses for a stretch no dictionary knows are not
    # the words a number or an indicator ends at (it glued 将 to 雄安新区, 超 to 百万), and
    # guessing them cost some 3% of a parse. The dictionary and rules/userdict.txt decide.
    for _word, start, end in tokenizer(rules).tokenize(text, HMM=False):
        bounds.add(start)
        bounds.add(end)
    return frozenset(bounds)


class Piece(NamedTuple):
    """A clause piece: `start`/`end` offsets; `sentence` and `group` count sentences (。) and
    clause groups (；) within the region; `first_in_group` is true for a group's first piece.
    (A named tuple, not a dataclass: a document has thousands, and a tuple is made 4x faster.)"""

    start: int
    end: int
    sentence: int
    group: int
    first_in_group: bool


SENTENCE_ENDS = "。！？!?"
GROUP_ENDS = "；;"
CLAUSE_ENDS = "，,：:"
OPEN_QUOTES = "“‘「《"
CLOSE_QUOTES = "”’」》"


def clauses(text: str, start: int, end: int, rules: Rules, breaks: frozenset[int] = frozenset()) -> list[Piece]:
    """Split text[start:end] at sentence, group and clause delimiters outside quotes.

    A line break ends a sentence only where a new block starts: after 。；：, before a blank
    or indented line, after or before a heading line, or at a position in `breaks` (where a
    heading's title ends). Elsewhere it is a wrapped line, as in text copied from a web page or a PDF, and
    the sentence goes on. Splitting at 、 is the caller's business: it depends on where the
    numbers are."""
    pieces: list[Piece] = []
    sentence = group = 0
    first = True
    depth = 0
    piece_start = start
    # Only delimiters, quotes, line breaks and `breaks` can end a piece: visit those alone.
    stops = {m.start() for m in _STOPS.finditer(text, start, end)}
    stops.update(b for b in breaks if start <= b < end)
    for i in sorted(stops):
        ch = text[i]
        kind: str | None
        if i in breaks:
            kind = "sentence"
        elif ch == "\n":
            kind = "sentence" if _hard_break(text, start, end, i, rules) else None
        elif ch in OPEN_QUOTES:
            depth += 1
            kind = None
        elif ch in CLOSE_QUOTES:
            depth = max(0, depth - 1)
            kind = None
        elif depth:
            kind = None
        elif ch in SENTENCE_ENDS:
            kind = "sentence"
        elif ch in GROUP_ENDS:
            kind = "group"
        else:
            kind = "clause"
        if kind is None:
            continue
        pieces.append(Piece(piece_start, i, sentence, group, first))
        first = False
        piece_start = i + 1
        if kind == "sentence":
            sentence += 1
            group += 1
            first = True
            depth = 0
        elif kind == "group":
            group += 1
            first = True
    pieces.append(Piece(piece_start, end, sentence, group, first))
    return [p for p in pieces if text[p.start:p.end].strip()]


_STOPS = regex.compile(
    "[\n" + regex.escape(OPEN_QUOTES + CLOSE_QUOTES + SENTENCE_ENDS + GROUP_ENDS + CLAUSE_ENDS) + "]")
_BLANKS = " \t\u3000"


def _hard_break(text: str, start: int, end: int, i: int, rules: Rules) -> bool:
    last = i - 1  # the last character before the break that is not a blank
    while last >= start and text[last] in _BLANKS:
        last -= 1
    if last < start or text[last] in "\n。！？；;：:":
        return True
    if i + 1 >= end or text[i + 1] in _BLANKS + "\n":
        return True
    this_line = text[max(start, text.rfind("\n", start, last) + 1):last + 1]
    next_end = text.find("\n", i + 1, end)
    next_line = text[i + 1:end if next_end < 0 else next_end]
    return any(line[:1] in rules.heading_starts and any(rule.pattern.search(line) for rule in rules.headings)
               for line in (this_line, next_line))


class Excerpt:
    """Spans of a text (ascending, apart) joined into one text, so that patterns run over them
    alone, and the way from an offset of the excerpt back to the text. A plan's sentences without a
    number need no deadline or label found in them: an excerpt of those with one is searched instead
    of the whole (less than half of a plan's body)."""

    # Between two spans: a line end and a 。, which no pattern of the rules reads across.
    SEPARATOR = "\n。"

    def __init__(self, text: str, spans: list[tuple[int, int]]):
        self.starts: list[int] = []  # where each span starts in the excerpt
        self.origins: list[int] = []  # and in the text
        pos = 0
        for start, end in spans:
            self.starts.append(pos)
            self.origins.append(start)
            pos += end - start + len(self.SEPARATOR)
        self.text = self.SEPARATOR.join(text[start:end] for start, end in spans)
        # One span (a table cell, a short notice): an offset is that span's start further.
        self.shift = self.origins[0] if len(spans) == 1 else None

    def back(self, pos: int) -> int:
        """An offset of the excerpt (inside a span, or at its end) as an offset of the text."""
        if self.shift is not None:
            return self.shift + pos
        i = bisect.bisect_right(self.starts, pos) - 1
        return self.origins[i] + pos - self.starts[i]
