"""Targets: a quantity read in its clause, as `docs/annotation.md` defines it — the
indicator it measures, the action, comparator, kind, hedge, year and deadline.

The grammar in short: a sentence (。) holds clause groups (；), a group holds pieces
(，, and 、 between two numbers). A piece reads
    [year] [deadline] [hedge] [action…] indicator [comparator/kind word] [action] NUMBER UNIT [以上] [noun]
and what a piece leaves out (the indicator of "增长10%", the action of "报会3家") comes
from the nearest earlier target in the same clause group.

Only the pieces that hold a number are segmented with jieba: the rest of the text never
needs word boundaries."""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

import regex

from policyparse.rules import Rules
from policyparse.extractors.deadlines import Deadline, find_deadlines
from policyparse.extractors.quantities import Quantity, find_quantities, scan
from policyparse.extractors.text import Piece, clauses, fold, word_bounds

_LEADING_YEAR = regex.compile(r"\s*(?:(?:19|20)\d{2}\s*年(?![底末前内中初月第上下0-9]))?\s*")
_YEAR = regex.compile(r"((?:19|20)\d{2})\s*年")
# The longest adverb that may stand before a verb inside a piece (动态保持, 统筹安排).
MAX_ADVERB = 2
# What joins two numbers that share a piece and an indicator.
PAIR_JOINERS = "和及与、 \u3000"
# How much of a piece without a number is segmented: enough for a year, a hedge and a verb.
OPENING = 12


@dataclass(frozen=True)
class TargetMention:
    start: int  # the piece
    end: int
    quantity: Quantity
    indicator: str | None
    indicator_start: int | None
    indicator_end: int | None
    action: str | None
    comparator: str
    approximate: bool
    kind: str
    hedged: bool
    modality: str | None
    year: int | None
    deadline: str | None


def find_targets(text: str, start: int, end: int, rules: Rules, default_year: int | None = None,
                 masked: tuple[tuple[int, int], ...] = (), breaks: tuple[int, ...] = ()) -> list[TargetMention]:
    """Targets in text[start:end]; offsets are into `text`. `masked` spans (responsibility
    notes, heading numbers) are read as blank; `breaks` are offsets that end a sentence (where
    a heading's title ends). Sentences never run past `start`/`end`: a table cell is its own
    region."""
    region = _blank(text, start, end, masked)
    view = fold(region)
    pieces = clauses(view, 0, len(view), rules, frozenset(b - start for b in breaks if start <= b < end))
    scanned = scan(view, rules)
    candidates = scanned.starts
    if not candidates:  # no number, no target
        return []
    reader = _Reader(view, set(), pieces, find_deadlines(view, rules), rules)
    # Word boundaries are needed where a number stands; elsewhere only at the opening of a
    # piece that may start or end the reach of a hedge (one with a hedge, or a group's first)
    # in a sentence with a number, and there only when it opens with a word that front() reads.
    hedges = rules.hedges
    with_number = [_holds(candidates, piece) for piece in pieces]
    numbered = [(piece.start, piece.end) for piece, number in zip(pieces, with_number) if number]
    numbered_sentences = {piece.sentence for piece, number in zip(pieces, with_number) if number}
    for piece, number in zip(pieces, with_number):
        if number:
            reader.bounds.update(piece.start + b for b in word_bounds(view[piece.start:piece.end], rules))
        elif (piece.sentence in numbered_sentences
              and (piece.first_in_group or any(h in view[piece.start:piece.start + OPENING] for h in hedges))
              and reader.may_open_with_word(piece)):
            opening = min(piece.end, piece.start + OPENING)
            reader.bounds.update(piece.start + b for b in word_bounds(view[piece.start:opening], rules))
    quantities, _excluded = find_quantities(region, rules, reader.bounds, numbered, scanned)
    mentions: list[_Mention] = []
    for piece, piece_quantities, modality in _pieces_with_hedges(pieces, quantities, reader):
        for quantity in piece_quantities:
            mentions.append(reader.read(piece, quantity, modality, default_year, mentions))
    return [_shift(text, m, start, rules) for m in mentions]


def _holds(starts: tuple[int, ...], piece: Piece) -> bool:
    """Whether one of the ascending `starts` lies in the piece."""
    first = bisect.bisect_left(starts, piece.start)
    return first < len(starts) and starts[first] < piece.end


def _blank(text: str, start: int, end: int, masked: tuple[tuple[int, int], ...]) -> str:
    """text[start:end] with the `masked` spans in it replaced by spaces, one for one."""
    parts, pos = [], start
    for m_start, m_end in sorted(masked):
        m_start, m_end = max(m_start, pos), min(m_end, end)
        if m_start < m_end:
            parts += [text[pos:m_start], " " * (m_end - m_start)]
            pos = m_end
    parts.append(text[pos:end])
    return "".join(parts)


@dataclass
class _Mention:
    """A mention while reading: offsets relative to the region."""

    piece: Piece
    start: int
    end: int
    quantity: Quantity
    indicator_start: int | None
    indicator_end: int | None
    action: str | None
    comparator: str
    approximate: bool
    kind: str
    modality: str | None
    year: int | None
    deadline: str | None


@dataclass(frozen=True)
class _Front:
    """What opens a piece before its indicator."""

    end: int
    hedge: str | None
    action: str | None
    action_first: bool  # an action comes before any hedge


class _Reader:
    def __init__(self, view: str, bounds: set[int], pieces: list[Piece], deadlines: list[Deadline], rules: Rules):
        self.view = view
        self.bounds = bounds
        self.rules = rules
        self.deadlines = deadlines
        self.deadline_at = {d.start: d for d in deadlines}
        self.fronts: dict[Piece, _Front] = {}
        self.action_words, self.opening_words, self.markers = _word_sets(rules)
        self.sentence_starts: dict[int, int] = {}
        self.group_starts: dict[tuple[int, int], int] = {}
        for p in pieces:
            self.sentence_starts.setdefault(p.sentence, p.start)
            self.group_starts.setdefault((p.sentence, p.group), p.start)

    def word_at(self, pos: int, words, aligned: bool = True) -> str | None:
        """The longest of `words` that starts at `pos` (on a token boundary when `aligned`)
        and ends on a token boundary."""
        if aligned and pos not in self.bounds:
            return None
        for length in _lengths(words):
            word = self.view[pos:pos + length]
            if word in words and pos + length in self.bounds:
                return word
        return None

    def word_before(self, pos: int, floor: int, words, aligned: bool = True) -> str | None:
        """The longest of `words` that ends at `pos` and starts after `floor` (on a token
        boundary when `aligned`)."""
        for length in _lengths(words):
            begin = pos - length
            if begin >= floor and (begin in self.bounds or not aligned) and self.view[begin:pos] in words:
                return self.view[begin:pos]
        return None

    def piece_start(self, piece: Piece) -> int:
        return _LEADING_YEAR.match(self.view, piece.start, piece.end).end()

    def may_open_with_word(self, piece: Piece) -> bool:
        """Whether one of the opening words is written where front() starts reading (true
        also when jieba would not make it a word there): only then does the opening need
        word boundaries."""
        pos = self.piece_start(piece)
        while pos in self.deadline_at:
            pos = self.deadline_at[pos].end
        return _opening_pattern(self.opening_words).match(self.view, pos) is not None

    def front(self, piece: Piece) -> _Front:
        """Skip what opens the piece: deadlines (6月底前), hedges, connectives, action verbs."""
        if piece not in self.fronts:
            self.fronts[piece] = self._front(piece)
        return self.fronts[piece]

    def _front(self, piece: Piece) -> _Front:
        r = self.rules
        pos = self.piece_start(piece)
        hedge = action = None
        action_first = False
        while True:
            deadline = self.deadline_at.get(pos)
            if deadline:
                pos = deadline.end
                continue
            word = self.word_at(pos, self.opening_words)
            if word is None:
                break
            if word in r.hedges and hedge is None:
                hedge = word
            if word in r.actions and action is None:
                action = word
                action_first = hedge is None
            pos += len(word)
        return _Front(pos, hedge, action, action_first)

    def read(self, piece: Piece, quantity: Quantity, modality: str | None,
             default_year: int | None, earlier: list[_Mention]) -> _Mention:
        r = self.rules
        opening = self.front(piece)
        action = opening.action
        ind_start, ind_end = opening.end, quantity.start
        # A second number in the same piece ("压缩至30小时和1.5小时以内") starts after the first.
        # Mentions come in document order: the latest is the one nearest before this one.
        latest = earlier[-1] if earlier else None
        if latest and latest.piece == piece:
            action = None
            ind_start = latest.quantity.after_end
            while ind_start < ind_end and self.view[ind_start] in PAIR_JOINERS:
                ind_start += 1
        while ind_end > ind_start and self.view[ind_end - 1].isspace():
            ind_end -= 1

        # Words between the indicator and the number: comparators, kind markers, 约, and an
        # action that follows its indicator (增资扩产项目谋划100个, 小微企业园开工2个).
        # They need no token boundary: jieba reads 授信额达8亿元 as 额达.
        comparator_before = kind_marker = trailing_action = None
        own_verb = False
        approximate = quantity.approximate
        while word := self.word_before(ind_end, ind_start, self.markers, aligned=False):
            if word in r.comparators_before and comparator_before is None:
                comparator_before = r.comparators_before[word]
            if word in r.kind_before and kind_marker is None:
                kind_marker = r.kind_before[word]
            own_verb = own_verb or word in r.kind_before or word in r.comparator_verbs
            if word in r.approximators_before:
                approximate = True
            if word in r.actions and trailing_action is None:
                trailing_action = word
            ind_end -= len(word)
        if trailing_action is None and (verb := self.word_before(ind_end, ind_start, self.action_words)):
            trailing_action = verb
            ind_end -= len(verb)
        if trailing_action:
            action = trailing_action
        elif action is None:
            # A verb inside the phrase: after a short adverb it opens the indicator
            # (动态保持后备企业); after a longer noun it follows the indicator
            # (工业机器人新增应用150台 → 工业机器人). jieba may glue the adverb to the verb
            # (统筹安排), so there the verb need not start on a token boundary.
            for i in range(ind_start, ind_end):
                adverb = i - ind_start <= MAX_ADVERB
                verb = self.word_at(i, self.action_words, aligned=not adverb)
                if verb:
                    if adverb:
                        action, ind_start = verb, i + len(verb)
                    else:
                        action, ind_end = verb, i
                    break

        ind_start, ind_end = _trim(self.view, ind_start, ind_end)
        piece_end = _trim(self.view, piece.start, piece.end)[1]
        in_group = latest is not None and (latest.piece.sentence, latest.piece.group) == (piece.sentence, piece.group)
        same_group = latest if in_group else None
        if ind_start >= ind_end:
            # The noun may follow the number (实施30项节能减碳技术改造项目).
            after_start, after_end = _trim(self.view, quantity.after_end, piece_end)
            if after_start < after_end and regex.search(r"\p{Han}", self.view[after_start:after_end]):
                ind_start, ind_end = after_start, after_end
                # 两家园区创成省级绿色低碳园区: the verb in the phrase governs what follows it.
                for i in range(after_start, after_end):
                    if (verb := self.word_at(i, self.action_words)) and i + len(verb) < after_end:
                        action, ind_start = verb, i + len(verb)
                        break
            elif same_group:
                ind_start, ind_end = same_group.indicator_start, same_group.indicator_end
            else:
                ind_start = ind_end = None
        # A piece with no verb of its own takes the earlier action (规上产值1150亿元 → 实现); one
        # whose number comes with its own verb (增长, 提高到, 突破) does not. A bound word
        # (不少于) is no verb.
        if action is None and not own_verb and same_group:
            action = same_group.action

        indicator = self.view[ind_start:ind_end] if ind_start is not None else ""
        comparator = (quantity.comparator_after or quantity.comparator_more or comparator_before
                      or (">=" if quantity.value_high is not None else "="))
        kind = self.kind(quantity, indicator, kind_marker, action)
        sentence_start = self.sentence_starts[piece.sentence]
        year = default_year
        for m in _YEAR.finditer(self.view, sentence_start, quantity.start):
            year = int(m.group(1))
        # A deadline reaches the targets after it in its clause group, until a period word
        # (全年, 一年内) or another deadline takes over.
        group_start = self.group_starts[(piece.sentence, piece.group)]
        deadlines = [d for d in self.deadlines if group_start <= d.start and d.end <= quantity.start]
        deadline = deadlines[-1].value(year) if deadlines else None
        return _Mention(piece, self.piece_start(piece), piece_end, quantity, ind_start, ind_end,
                        action, comparator, approximate, kind, modality, year, deadline)

    def kind(self, quantity: Quantity, indicator: str, kind_marker: str | None, action: str | None) -> str:
        percent = quantity.category in ("percent", "percent_points")
        if kind_marker == "growth_rate" and percent:
            return "growth_rate"
        if kind_marker == "reduction":
            return "reduction"
        if percent and any(indicator.endswith(suffix) for suffix in self.rules.kind_suffix):
            return "share"
        if kind_marker == "cumulative":
            return "cumulative"
        if action and self.rules.actions[action] == "increment":
            return "increment"
        return "level"


@functools.cache
def _word_sets(rules: Rules) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The action words; the words that may open a piece; the words between an indicator and its number."""
    return (frozenset(rules.actions),
            frozenset((*rules.hedges, *rules.connectives, *rules.actions)),
            frozenset((*rules.comparators_before, *rules.kind_before, *rules.approximators_before,
                       *rules.adverbs)))


@functools.cache
def _opening_pattern(words: frozenset[str]) -> regex.Pattern:
    return regex.compile("|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True)))


@functools.cache
def _lengths(words: frozenset[str]) -> tuple[int, ...]:
    """The lengths of `words`, longest first."""
    return tuple(sorted({len(w) for w in words}, reverse=True))


def _pieces_with_hedges(pieces: list[Piece], quantities: list[Quantity], reader: _Reader):
    """Yield (piece, its quantities, the hedge or firmness word governing it) in order.

    A hedge governs the rest of its clause group; a later group that opens with its own
    verb leaves it, one that opens with a noun (an elliptical clause) stays under it."""
    starts = [q.start for q in quantities]  # ascending
    insides = [[q for q in quantities[bisect.bisect_left(starts, p.start):bisect.bisect_left(starts, p.end)]
                if q.end <= p.end] for p in pieces]
    # A hedge never reaches past its sentence: a sentence without numbers needs no reading.
    numbered = {p.sentence for p, inside in zip(pieces, insides) if inside}
    modality = None
    sentence = None
    for piece, inside in zip(pieces, insides):
        if piece.sentence not in numbered:
            continue
        if piece.sentence != sentence:
            sentence, modality = piece.sentence, None
        opening = reader.front(piece)
        if opening.hedge:
            modality = opening.hedge
        elif piece.first_in_group and opening.action_first:
            modality = None
        for sub, sub_quantities in _split_lists(reader.view, piece, inside):
            yield sub, sub_quantities, modality


def _split_lists(view: str, piece: Piece, quantities: list[Quantity]):
    """Split a piece at a 、 that stands between two numbers (新增上市3家、报会3家); a 、 between
    nouns stays inside (工业投资、制造业投资增长12%)."""
    if len(quantities) < 2:
        yield piece, quantities
        return
    start = piece.start
    group: list[Quantity] = []
    first = piece.first_in_group
    for q, nxt in zip(quantities, [*quantities[1:], None]):
        group.append(q)
        if nxt is None:
            break
        cut = view.rfind("、", q.after_end, nxt.start)
        if cut >= 0:
            yield Piece(start, cut, piece.sentence, piece.group, first), group
            start, group, first = cut + 1, [], False
    yield Piece(start, piece.end, piece.sentence, piece.group, first), group


def _trim(view: str, start: int, end: int) -> tuple[int, int]:
    while start < end and view[start].isspace():
        start += 1
    while end > start and view[end - 1].isspace():
        end -= 1
    return start, end


def _shift(text: str, m: _Mention, offset: int, rules: Rules) -> TargetMention:
    """Region offsets to document offsets; words as written (the view is folded)."""
    q = m.quantity
    quantity = q.shifted(offset)
    hedges = rules.hedges
    return TargetMention(
        start=m.start + offset,
        end=m.end + offset,
        quantity=quantity,
        indicator=None if m.indicator_start is None else text[offset + m.indicator_start:offset + m.indicator_end],
        indicator_start=None if m.indicator_start is None else m.indicator_start + offset,
        indicator_end=None if m.indicator_end is None else m.indicator_end + offset,
        action=m.action,
        comparator=m.comparator,
        approximate=m.approximate,
        kind=m.kind,
        hedged=bool(m.modality and hedges[m.modality]),
        modality=m.modality,
        year=m.year,
        deadline=m.deadline,
    )

