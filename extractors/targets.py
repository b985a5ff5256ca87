"""Targets: a quantity read in its clause, as `docs/annotation.md` defines it — the
indicator it measures, the action, comparator, kind, hedge, year and deadline.

The grammar in short: a sentence (。) holds clause groups (；), a group holds pieces
(，, and 、 between two numbers; past MAX_SHARED numbers with none, each number's own). A piece reads
    [year] [deadline] [hedge] [action…] indicator [comparator/kind word] [action] NUMBER UNIT [以上] [noun]
and what a piece leaves out (the indicator of "增长10%", the action of "报会3家") comes
from the nearest earlier target in the same clause group.

Only the pieces that hold a number are segmented with jieba: the rest of the text never
needs word boundaries."""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from typing import NamedTuple

import regex

from policyparse.extractors.deadlines import Deadline, find_deadlines
from policyparse.extractors.quantities import Quantity, find_quantities, scan
from policyparse.extractors.text import Piece, clauses, fold, word_bounds
from policyparse.model import Comparator, Kind, Target
from policyparse.rules import Rules

_LEADING_YEAR = regex.compile(r"\s*(?:(?:19|20)\d{2}\s*年(?![底末前内中初月第上下0-9]))?\s*")
_YEAR = regex.compile(r"((?:19|20)\d{2})\s*年")
_HAN = regex.compile(r"\p{Han}")
# The longest adverb that may stand before a verb inside a piece (动态保持, 统筹安排).
MAX_ADVERB = 2
# What joins two numbers that share a piece and an indicator.
PAIR_JOINERS = "和及与、 \u3000"
# How much of a piece without a number is segmented: enough for a year, a hedge and a verb.
OPENING = 12
# A piece holds one target, or a few whose numbers share its indicator (压缩至30小时和1.5小时以内;
# no plan of the corpus has more than three). A run of more numbers with no delimiter between
# them is no such piece: each number gets its own, so no piece's text is written more than this
# many times and the targets of a text grow with it, never with its square.
MAX_SHARED = 4
# No plan writes an indicator this long (the corpus's longest is 91 characters, a list of
# provinces): a longer run before a number is none, so it is neither written nor inherited by
# every number after it in its clause group.
MAX_INDICATOR = 100


def find_targets(text: str, start: int, end: int, rules: Rules, default_year: int | None = None,
                 masked: tuple[tuple[int, int], ...] = (), breaks: tuple[int, ...] = ()) -> list[Target]:
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
    found: list[Target] = []
    latest = None
    for piece, piece_quantities, modality in _pieces_with_hedges(pieces, quantities, reader):
        for quantity in piece_quantities:
            target = reader.read(piece, quantity, modality, default_year, latest)
            found.append(target)
            latest = _Latest(piece, quantity.after_end, target.indicator_start, target.indicator_end, target.action)
    return [_shift(text, t, start) for t in found]


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


class _Latest(NamedTuple):
    """What a later number in the same clause group may take from the one before it."""

    piece: Piece
    after_end: int  # where the earlier number's unit (and 以上…) ends
    indicator_start: int | None
    indicator_end: int | None
    action: str | None


class _Span(NamedTuple):
    """Where the indicator may stand in the view, and the action read so far."""

    start: int
    end: int
    action: str | None


class _Indicator(NamedTuple):
    """The indicator's span in the view (None when there is none), and the action."""

    start: int | None
    end: int | None
    action: str | None


class _NumberWords(NamedTuple):
    """What stands between the indicator and its number (突破, 增长, 约, 累计, 开工 …)."""

    end: int  # where the indicator ends once they are taken off
    comparator: str | None
    kind_marker: str | None
    approximate: bool
    own_verb: bool  # the number comes with its own verb (增长, 提高到): it inherits no action
    action: str | None  # an action written after the indicator (小微企业园开工2个)


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
        # Deadlines do not overlap: in order of their ends as of their starts.
        self.deadlines_by_end = sorted(deadlines, key=lambda d: d.end)
        self.deadline_ends = [d.end for d in self.deadlines_by_end]
        # Every "YYYY年" of the region once, (start, end, year), for the year of each target.
        self.years = [(m.start(), m.end(), int(m.group(1))) for m in _YEAR.finditer(view)]
        self.year_ends = [end for _start, end, _year in self.years]
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

    def read(self, piece: Piece, quantity: Quantity, modality: str | None, default_year: int | None,
             latest: _Latest | None) -> Target:
        """The target of `quantity` in `piece`, in steps: where the indicator may be (what opens
        the piece, or what follows the number before it), the words between it and the number,
        a verb inside it, the indicator inherited or written after the number, the action
        inherited, then comparator, kind, year and deadline. Offsets are into the view."""
        same_group = latest if latest is not None and (latest.piece.sentence, latest.piece.group) == (
            piece.sentence, piece.group) else None
        span = self._opening_span(piece, quantity, latest)
        words = self._number_words(span, quantity)
        span = _Span(span.start, words.end, words.action or span.action)
        if words.action is None and span.action is None:
            span = self._verb_in_phrase(span)
        found = self._indicator_fallback(piece, quantity, _Span(*_trim(self.view, span.start, span.end), span.action),
                                         same_group)
        if found.start is not None and found.end is not None and found.end - found.start > MAX_INDICATOR:
            found = _Indicator(None, None, found.action)
        action = found.action
        if action is None and not words.own_verb and same_group:
            # A piece with no verb of its own takes the earlier action (规上产值1150亿元 → 实现); one
            # whose number comes with its own verb (增长, 提高到, 突破) does not. A bound word (不少于) is no verb.
            action = same_group.action
        indicator = self.view[found.start:found.end] if found.start is not None else ""
        comparator = (quantity.comparator_after or quantity.comparator_more or words.comparator
                      or (">=" if quantity.value_high is not None else "="))
        year, deadline = self._when(piece, quantity, default_year)
        return Target(
            text="", indicator=indicator if found.start is not None else None, indicator_start=found.start,
            indicator_end=found.end, action=action, value=quantity.value, value_low=quantity.value,
            value_high=quantity.value if quantity.value_high is None else quantity.value_high, unit=quantity.unit,
            value_base=quantity.value_base,
            value_base_high=quantity.value_base if quantity.value_base_high is None else quantity.value_base_high,
            base_unit=quantity.base_unit, comparator=Comparator(comparator), approximate=words.approximate,
            kind=Kind(self.kind(quantity, indicator, words.kind_marker, action)),
            hedged=bool(modality and self.rules.hedges[modality]), modality=modality, year=year, deadline=deadline,
            start=self.piece_start(piece), end=_trim(self.view, piece.start, piece.end)[1],
            number_start=quantity.start, number_end=quantity.end)

    def _opening_span(self, piece: Piece, quantity: Quantity, latest: _Latest | None) -> _Span:
        """From what opens the piece (front) to the number; a second number in the same piece
        ("压缩至30小时和1.5小时以内") starts after the first, with no action of its own."""
        opening = self.front(piece)
        start, end, action = opening.end, quantity.start, opening.action
        if latest and latest.piece == piece:
            action = None
            start = latest.after_end
            while start < end and self.view[start] in PAIR_JOINERS:
                start += 1
        while end > start and self.view[end - 1].isspace():
            end -= 1
        return _Span(start, end, action)

    def _number_words(self, span: _Span, quantity: Quantity) -> _NumberWords:
        """Comparators, kind markers, 约 and an action that follows its indicator (增资扩产项目谋划100个,
        小微企业园开工2个), read backwards from the number. They need no token boundary: jieba reads
        授信额达8亿元 as 额达."""
        r = self.rules
        start, end = span.start, span.end
        comparator = kind_marker = action = None
        own_verb = False
        approximate = quantity.approximate
        while word := self.word_before(end, start, self.markers, aligned=False):
            if word in r.comparators_before and comparator is None:
                comparator = r.comparators_before[word]
            if word in r.kind_before and kind_marker is None:
                kind_marker = r.kind_before[word]
            own_verb = own_verb or word in r.kind_before or word in r.comparator_verbs
            if word in r.approximators_before:
                approximate = True
            if word in r.actions and action is None:
                action = word
            end -= len(word)
        if action is None and (verb := self.word_before(end, start, self.action_words)):
            action = verb
            end -= len(verb)
        return _NumberWords(end, comparator, kind_marker, approximate, own_verb, action)

    def _verb_in_phrase(self, span: _Span) -> _Span:
        """A verb inside the phrase: after a short adverb it opens the indicator (动态保持后备企业);
        after a longer noun it follows the indicator (工业机器人新增应用150台 → 工业机器人). jieba
        may glue the adverb to the verb (统筹安排), so there the verb need not start on a token boundary."""
        for i in range(span.start, span.end):
            adverb = i - span.start <= MAX_ADVERB
            verb = self.word_at(i, self.action_words, aligned=not adverb)
            if verb:
                return _Span(i + len(verb), span.end, verb) if adverb else _Span(span.start, i, verb)
        return span

    def _indicator_fallback(self, piece: Piece, quantity: Quantity, span: _Span,
                            same_group: _Latest | None) -> _Indicator:
        """With nothing before the number, the noun may follow it (实施30项节能减碳技术改造项目), or
        the indicator is the earlier target's in the same clause group (增长10%)."""
        if span.start < span.end:
            return _Indicator(*span)
        after_start, after_end = _trim(self.view, quantity.after_end, _trim(self.view, piece.start, piece.end)[1])
        if after_start < after_end and _HAN.search(self.view, after_start, after_end):
            # 两家园区创成省级绿色低碳园区: the verb in the phrase governs what follows it.
            for i in range(after_start, after_end):
                if (verb := self.word_at(i, self.action_words)) and i + len(verb) < after_end:
                    return _Indicator(i + len(verb), after_end, verb)
            return _Indicator(after_start, after_end, span.action)
        if same_group:
            return _Indicator(same_group.indicator_start, same_group.indicator_end, span.action)
        return _Indicator(None, None, span.action)

    def _when(self, piece: Piece, quantity: Quantity, default_year: int | None) -> tuple[int | None, str | None]:
        """The year (the last "YYYY年" before the number in its sentence, else the plan's) and the
        deadline (the last deadline before the number in its clause group, in that year)."""
        sentence_start = self.sentence_starts[piece.sentence]
        year = default_year
        i = bisect.bisect_right(self.year_ends, quantity.start) - 1
        if i >= 0 and self.years[i][0] >= sentence_start:
            year = self.years[i][2]
        # A deadline reaches the targets after it in its clause group, until a period word
        # (全年, 一年内) or another deadline takes over.
        group_start = self.group_starts[(piece.sentence, piece.group)]
        j = bisect.bisect_right(self.deadline_ends, quantity.start) - 1
        deadline = self.deadlines_by_end[j] if j >= 0 and self.deadlines_by_end[j].start >= group_start else None
        return year, deadline.value(year) if deadline else None

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
            for shared, shared_quantities in _split_crowded(sub, sub_quantities):
                yield shared, shared_quantities, modality


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


def _split_crowded(piece: Piece, quantities: list[Quantity]):
    """A piece with more than MAX_SHARED numbers cut after each number (its unit, 以上 …)."""
    if len(quantities) <= MAX_SHARED:
        yield piece, quantities
        return
    start, first = piece.start, piece.first_in_group
    for q in quantities[:-1]:
        yield Piece(start, q.after_end, piece.sentence, piece.group, first), [q]
        start, first = q.after_end, False
    yield Piece(start, piece.end, piece.sentence, piece.group, first), quantities[-1:]


def _trim(view: str, start: int, end: int) -> tuple[int, int]:
    while start < end and view[start].isspace():
        start += 1
    while end > start and view[end - 1].isspace():
        end -= 1
    return start, end


def _shift(text: str, t: Target, offset: int) -> Target:
    """Region offsets to document offsets; words as written (the view is folded)."""
    def moved(pos: int | None) -> int | None:
        return None if pos is None else pos + offset

    indicator_start, indicator_end = moved(t.indicator_start), moved(t.indicator_end)
    return t.evolve(
        start=t.start + offset, end=t.end + offset, text=text[t.start + offset:t.end + offset],
        indicator=None if indicator_start is None else text[indicator_start:indicator_end],
        indicator_start=indicator_start, indicator_end=indicator_end,
        number_start=moved(t.number_start), number_end=moved(t.number_end))
