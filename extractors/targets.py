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
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import regex

from policyparse.extractors.deadlines import Deadline, find_deadlines
from policyparse.extractors.quantities import Label, Mention, find_quantities, rule_labels, scan
from policyparse.extractors.roles import Decision, is_cap, marked_view, recipient, rule_index
from policyparse.extractors.text import Excerpt, Piece, clauses, fold, word_bounds
from policyparse.model import Comparator, Kind, Quantity, QuantityRole, Source, Target
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
# What opens the words after a number without being what it is about (最高3万元的一次性奖励).
SUBJECT_OPENERS = "的之"
# The vocabularies by their values: a dict is read faster than an enum is called.
COMPARATORS = {c.value: c for c in Comparator}
KINDS = {k.value: k for k in Kind}


class Reading(NamedTuple):
    """A quantity of the text and, when its role is `target`, the target read from it."""

    quantity: Quantity
    target: Target | None


class Place(NamedTuple):
    """Where a record stands, as the dataset says it: set on each record as it is made."""

    source: Source
    section_path: str | None
    annex_seq: str | None


NOWHERE = Place(Source.BODY, None, None)


class Numbering:
    """The ids of a document's quantities and targets (Q0001…, T0001…), given as they are read."""

    def __init__(self) -> None:
        self.quantities = 0
        self.targets = 0

    def quantity(self) -> str:
        self.quantities += 1
        return f"Q{self.quantities:04d}"

    def target(self) -> str:
        self.targets += 1
        return f"T{self.targets:04d}"


class Scope(NamedTuple):
    """A section, or the whole document, whose numbers are by default of another role than target
    (rules/role_scopes.tsv)."""

    start: int
    end: int
    decision: Decision
    where: str  # heading (a section) or title (the document)


def find_targets(text: str, start: int, end: int, rules: Rules, default_year: int | None = None,
                 masked: tuple[tuple[int, int], ...] = (), breaks: tuple[int, ...] = ()) -> list[Target]:
    """The targets in text[start:end] (read_quantities' quantities of role `target`)."""
    return [r.target for r in read_quantities(text, start, end, rules, default_year, masked, breaks)
            if r.target is not None]


def read_quantities(text: str, start: int, end: int, rules: Rules, default_year: int | None = None,
                    masked: tuple[tuple[int, int], ...] = (), breaks: tuple[int, ...] = (),
                    scopes: tuple[Scope, ...] = (), place: Callable[[int], Place] | None = None,
                    numbering: Numbering | None = None, walls: tuple[tuple[int, int], ...] = ()) -> list[Reading]:
    """Every quantity in text[start:end] with its role, and the target read from each of role
    `target`; offsets are into `text`. `masked` spans (responsibility notes, heading numbers) are
    read as blank; `breaks` are offsets that end a sentence (where a heading's title ends).
    Sentences never run past `start`/`end`: a table cell is its own region. `scopes`, ascending
    by start, nested or apart: where the default role is another (the innermost holds). `place`
    says where the record of a clause starting at an offset stands, `numbering` gives the ids: the
    stage that reads a document passes both, so that each record is made once, whole. `walls`
    (ascending, apart, inside the region) are read as a line end at each side with blanks between:
    no sentence, line or pattern crosses one, so the task cells of a table, with the text between
    them walled off, read as each alone would (in one call: a call costs as much as a short cell)."""
    region = _blank(text, start, end, masked)
    if walls:
        region = _walled(region, start, walls)
    view = fold(region)
    if walls:
        breaks = (*breaks, *(edge for w_start, w_end in walls for edge in (w_start, w_end - 1)))
    pieces = clauses(view, 0, len(view), rules, frozenset(b - start for b in breaks if start <= b < end))
    scanned = scan(view, rules)
    candidates = scanned.starts
    if not candidates:  # no number, no quantity
        return []
    piece_starts = [piece.start for piece in pieces]
    numbered_pieces = _holding(piece_starts, pieces, candidates)
    numbered_sentences = {pieces[i].sentence for i in numbered_pieces}
    sentence_spans = _sentence_spans(pieces, numbered_sentences)
    # Deadlines and labels matter only in the sentences with a number: they are found there alone.
    excerpt = Excerpt(view, sentence_spans)
    deadlines = [d._replace(start=excerpt.back(d.start), end=excerpt.back(d.end))
                 for d in find_deadlines(excerpt.text, rules)]
    found_labels = [x._replace(start=excerpt.back(x.start), end=excerpt.back(x.end))
                    for x in rule_labels(excerpt.text, rules)]
    # A number no label but one of role `none` covers (a date, an ordinal) is no quantity: a piece
    # that holds no other needs no reading.
    live = _live(candidates, found_labels, len(view))
    if not live:
        return []
    if len(live) < len(candidates):
        numbered_pieces = _holding(piece_starts, pieces, live)
        numbered_sentences = {pieces[i].sentence for i in numbered_pieces}
        sentence_spans = _sentence_spans(pieces, numbered_sentences)
    numbered = [(pieces[i].start, pieces[i].end) for i in sorted(numbered_pieces)]
    reader = _Reader(view, set(), pieces, deadlines, rules, text, start, place, numbering)
    # Word boundaries are needed where a number stands; elsewhere only at the opening of a
    # piece that may start or end the reach of a hedge (one with a hedge, or a group's first)
    # in a sentence with a number, and there only when it opens with a word that front() reads.
    hedges = rules.hedges
    for i, piece in enumerate(pieces):
        if i in numbered_pieces:
            reader.bounds.update(piece.start + b for b in word_bounds(view[piece.start:piece.end], rules))
        elif (piece.sentence in numbered_sentences
              and (piece.first_in_group or any(h in view[piece.start:piece.start + OPENING] for h in hedges))
              and reader.may_open_with_word(piece)):
            opening = min(piece.end, piece.start + OPENING)
            reader.bounds.update(piece.start + b for b in word_bounds(view[piece.start:opening], rules))
    mentions = find_quantities(region, rules, reader.bounds, numbered, scanned, found_labels)
    marked = marked_view(view, mentions, reader.past_years(default_year))
    decisions = _decisions(marked, sentence_spans, mentions, rules, scopes, start)
    found: list[Reading] = []
    latest = None
    for clause, modality, readings in _pieces_with_hedges(pieces, piece_starts, mentions, decisions, reader):
        for mention, piece in readings:  # in the order they are written
            decision = decisions[mention.start]
            if piece is None:
                found.append(Reading(reader.quantity(clause, mention, decision, marked), None))
                continue
            quantity, target = reader.read(piece, mention, decision, modality, default_year, latest)
            found.append(Reading(quantity, target))
            # The indicator carried on in the view's offsets (the record holds the document's).
            indicator_start, indicator_end = target.indicator_start, target.indicator_end
            latest = _Latest(piece, mention.after_end, None if indicator_start is None else indicator_start - start,
                             None if indicator_end is None else indicator_end - start, target.action)
    return found


def _live(starts: tuple[int, ...], labels: list[Label], length: int) -> tuple[int, ...]:
    """The `starts` (offsets of a text of `length`) where a quantity may still stand: not inside a
    label of role none unless inside one of another role too (a year inside a quoted name is the
    name's)."""
    if not any(x.role == "none" for x in labels):
        return starts
    covered = bytearray(length + 1)  # 1: in a label of role none only; 2: in one of another role
    for x in sorted(labels, key=lambda x: x.role != "none"):  # the others after, over them
        covered[x.start:x.end] = (b"\x01" if x.role == "none" else b"\x02") * (x.end - x.start)
    return tuple(c for c in starts if covered[c] != 1)


def _sentence_spans(pieces: list[Piece], sentences: set[int]) -> list[tuple[int, int]]:
    """The span of each of `sentences`, from its first piece to its last, in order."""
    spans: dict[int, tuple[int, int]] = {}
    for p in pieces:
        if p.sentence in sentences:
            first = spans.get(p.sentence)
            spans[p.sentence] = (first[0] if first else p.start, p.end)
    return sorted(spans.values())


def _decisions(marked: str, sentence_spans: list[tuple[int, int]], mentions: list[Mention], rules: Rules,
               scopes: tuple[Scope, ...], offset: int) -> dict[int, Decision]:
    """The role of each quantity (by its start): the rules read its sentence (of `sentence_spans`,
    those with a number) in the marked view, the scopes its place (a sentence never crosses a
    heading)."""
    index = rule_index(rules)
    spans = iter(sentence_spans)
    s_start = s_end = -1
    sentence = ""
    mask = 0
    section = document = None
    decisions = {}
    for m in mentions:  # ascending, as the spans are
        while m.start >= s_end:
            s_start, s_end = next(spans, (m.start, len(marked)))
            if s_start <= m.start < s_end:
                sentence = marked[s_start:s_end]
                mask = index.sentence_mask(sentence)
                if scopes:
                    section, document = _scoped(scopes, offset + s_start)
        decisions[m.start] = index.decide(sentence, mask, m.start - s_start, m, section, document)
    return decisions


def _scoped(scopes: tuple[Scope, ...], pos: int) -> tuple[Decision | None, Decision | None]:
    """The decisions of the innermost section scope and of the document scope holding `pos`
    (document offsets), None where there is none."""
    found: dict[str, Decision | None] = {"heading": None, "title": None}
    for scope in scopes:
        if scope.start > pos:
            break
        if pos < scope.end:
            found[scope.where] = scope.decision
    return found["heading"], found["title"]


def _holding(piece_starts: list[int], pieces: list[Piece], positions: tuple[int, ...]) -> set[int]:
    """The indexes of the pieces (starting at `piece_starts`, ascending) that hold one of `positions`
    (each looked up: a region has a few hundred numbers, and more pieces)."""
    found = set()
    for pos in positions:
        i = bisect.bisect_right(piece_starts, pos) - 1
        if i >= 0 and pos < pieces[i].end:
            found.add(i)
    return found


def _walled(region: str, offset: int, walls: tuple[tuple[int, int], ...]) -> str:
    """`region` (the text from `offset` on) with each of `walls` (ascending, apart, inside; text
    offsets) a line end, blanks and a line end, one character for one."""
    parts, pos = [], 0
    for w_start, w_end in walls:
        width = w_end - w_start
        parts += [region[pos:w_start - offset], "\n" if width == 1 else "\n" + " " * (width - 2) + "\n"]
        pos = w_end - offset
    parts.append(region[pos:])
    return "".join(parts)


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


# The words that put a verb's object before it (将…降至, 把…压缩到): grammar, not a rule of one plan.
OBJECT_MARKERS = frozenset({"将", "把"})
NOT_AN_OBJECT = ("从", "由", "自", "在", "于", "向", "要", "会", "可能", "继续", "进一步", "逐步", "全面", "基本",
                 "大力")


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
    def __init__(self, view: str, bounds: set[int], pieces: list[Piece], deadlines: list[Deadline], rules: Rules,
                 text: str, offset: int, place: Callable[[int], Place] | None, numbering: Numbering | None):
        self.view = view
        # The records it makes hold offsets into the document and its words as written (the view is
        # folded), where they stand and their ids.
        self.text = text
        self.offset = offset
        self.place = place
        self.numbering = numbering
        self.bounds = bounds
        self.rules = rules
        self.deadlines = deadlines
        self.deadline_at = {d.start: d for d in deadlines}
        # Deadlines do not overlap: in order of their ends as of their starts.
        self.deadlines_by_end = sorted(deadlines, key=lambda d: d.end)
        self.deadline_ends = [d.end for d in self.deadlines_by_end]
        # Every "YYYY年" of the region once, (start, end, year), for the year of each target.
        matches = list(_YEAR.finditer(view))
        self.years = [(m.start(), m.end(), int(m.group(1))) for m in matches]
        self.year_digits = [(m.start(), m.end(1)) for m in matches]
        self.year_ends = [end for _start, end, _year in self.years]
        self.fronts: dict[Piece, _Front] = {}
        self.action_words, self.opening_words, self.markers = _word_sets(rules)
        self.sentence_starts: dict[int, int] = {}
        self.group_starts: dict[tuple[int, int], int] = {}
        for p in pieces:
            self.sentence_starts.setdefault(p.sentence, p.start)
            self.group_starts.setdefault((p.sentence, p.group), p.start)

    def past_years(self, plan_year: int | None) -> list[tuple[int, int]]:
        """The digits of each year written before the plan's year."""
        if plan_year is None:
            return []
        return [digits for digits, (_start, _end, year) in zip(self.year_digits, self.years) if year < plan_year]

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

    def read(self, piece: Piece, quantity: Mention, decision: Decision, modality: str | None,
             default_year: int | None, latest: _Latest | None) -> tuple[Quantity, Target]:
        """The target of `quantity` in `piece`, and its quantity record, in steps: where the
        indicator may be (what opens the piece, or what follows the number before it), the words
        between it and the number, a verb inside it, the indicator inherited or written after the
        number, the action inherited, then comparator, kind, year and deadline. Offsets are read in
        the view, and written into the records as the document's."""
        same_group = latest if latest is not None and (latest.piece.sentence, latest.piece.group) == (
            piece.sentence, piece.group) else None
        span = self._opening_span(piece, quantity, latest)
        words = self._number_words(span, quantity)
        span = _Span(span.start, words.end, words.action or span.action)
        if words.action is None and span.action is None and not words.own_verb:
            span = self._verb_in_phrase(span)
        elif words.own_verb:
            span = self._after_object_marker(span)
        elif words.action is not None and self._noun_after(piece, quantity):
            # A verb right before the number and a noun after it (先行打造2-3个带动力强的示范社区): the
            # noun is what is counted; the words before the verb are where or how.
            span = _Span(span.end, span.end, span.action)
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
        # An approximate value (300家左右, 约300家) is `=` whatever bound word stands with it.
        comparator = "=" if words.approximate else (quantity.comparator_after or quantity.comparator_more
                                                     or words.comparator
                                                     or (">=" if quantity.value_high is not None else "="))
        year, deadline = self._when(piece, quantity, default_year)
        text, offset = self.text, self.offset
        start, end = self.piece_start(piece) + offset, _trim(self.view, piece.start, piece.end)[1] + offset
        indicator_start = None if found.start is None else found.start + offset
        indicator_end = None if found.end is None else found.end + offset
        written_indicator = None if indicator_start is None else text[indicator_start:indicator_end]
        piece_text = text[start:end]
        written_comparator = COMPARATORS[comparator]
        where = self.place(start) if self.place else NOWHERE
        quantity_id = self.numbering.quantity() if self.numbering else ""
        target = Target.make(
            target_id=self.numbering.target() if self.numbering else "", quantity_id=quantity_id,
            source=where.source, section_path=where.section_path, annex_seq=where.annex_seq, text=piece_text,
            indicator=written_indicator, indicator_start=indicator_start, indicator_end=indicator_end,
            action=action, value=quantity.value, value_low=quantity.value,
            value_high=quantity.value if quantity.value_high is None else quantity.value_high, unit=quantity.unit,
            value_base=quantity.value_base,
            value_base_high=quantity.value_base if quantity.value_base_high is None else quantity.value_base_high,
            base_unit=quantity.base_unit, comparator=written_comparator, approximate=words.approximate,
            kind=KINDS[self.kind(quantity, indicator, words.kind_marker, action)],
            hedged=bool(modality and self.rules.hedges[modality]), modality=modality, year=year, deadline=deadline,
            start=start, end=end, number_start=quantity.start + offset, number_end=quantity.end + offset)
        return self._record(quantity, decision, start, end, written_comparator, words.approximate, indicator_start,
                            indicator_end, piece_text, written_indicator, where, quantity_id), target

    def quantity(self, clause: Piece, mention: Mention, decision: Decision, marked: str) -> Quantity:
        """A quantity of any role but `target`: its clause, the comparator written with it, its
        subject (what follows it in the clause, else what stands before it), and for an incentive
        whether it is a cap or a rate and who receives it."""
        start, end = _trim(self.view, clause.start, clause.end)
        words = self._number_words(_Span(start, mention.start, None), mention)
        incentive = decision.role == QuantityRole.INCENTIVE
        cap = incentive and is_cap(marked, mention, self.rules)
        comparator = (mention.comparator_after or mention.comparator_more or words.comparator
                      or ("<=" if cap else "="))
        after_start, after_end = _trim(self.view, mention.after_end, end)
        while after_start < after_end and self.view[after_start] in SUBJECT_OPENERS:
            after_start += 1
        before = _trim(self.view, self.front(clause).end if clause.start < mention.start else start, words.end)
        # What a condition measures stands before its number (年营收超1000万元); what an incentive or a
        # span gives follows it (最高3万元的一次性奖励, 最长60个月的安居补贴).
        prefer_before = decision.role == QuantityRole.ELIGIBILITY and before[0] < before[1]
        subject = before if prefer_before or not _HAN.search(self.view, after_start, after_end) else (
            after_start, after_end)
        text, offset = self.text, self.offset
        subject_start, subject_end = (subject[0] + offset, subject[1] + offset) if subject[0] < subject[1] else (
            None, None)
        quantity = self._record(mention, decision, start + offset, end + offset, COMPARATORS[comparator],
                                words.approximate, subject_start, subject_end, text[start + offset:end + offset],
                                None if subject_start is None else text[subject_start:subject_end],
                                self.place(start + offset) if self.place else NOWHERE,
                                self.numbering.quantity() if self.numbering else "")
        if incentive:
            who = recipient(marked, mention, self.rules)
            written = None if who is None else text[who[0] + offset:who[1] + offset].strip()
            return quantity.evolve(cap=cap, rate=mention.category == "percent", recipient=written or None)
        return quantity

    def _record(self, mention: Mention, decision: Decision, start: int, end: int, comparator: Comparator,
                approximate: bool, subject_start: int | None, subject_end: int | None, clause: str,
                subject: str | None, where: Place, quantity_id: str) -> Quantity:
        """A quantity record; `start`, `end` and the subject's are document offsets already."""
        offset = self.offset
        return Quantity.make(
            quantity_id=quantity_id, source=where.source, section_path=where.section_path,
            annex_seq=where.annex_seq, role=decision.role, role_rule=decision.rule_id, text=clause,
            written=self.text[mention.start + offset:mention.end + offset], value=mention.value,
            value_high=mention.value if mention.value_high is None else mention.value_high, unit=mention.unit,
            value_base=mention.value_base,
            value_base_high=mention.value_base if mention.value_base_high is None else mention.value_base_high,
            base_unit=mention.base_unit, comparator=comparator, approximate=approximate, subject=subject,
            start=start, end=end, number_start=mention.start + offset, number_end=mention.end + offset,
            subject_start=subject_start, subject_end=subject_end)

    def _opening_span(self, piece: Piece, quantity: Mention, latest: _Latest | None) -> _Span:
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

    def _number_words(self, span: _Span, quantity: Mention) -> _NumberWords:
        """Comparators, kind markers, 约 and an action that follows its indicator (增资扩产项目谋划100个,
        小微企业园开工2个), read backwards from the number. They need no token boundary: jieba reads
        授信额达8亿元 as 额达."""
        r = self.rules
        start, end = span.start, span.end
        comparator = kind_marker = action = None
        own_verb = False
        approximate = quantity.approximate
        # The words right before the number, then, past a verb that none of them is, the words
        # before that verb (至少安排300名: 安排, then 至少).
        for round_ in range(2):
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
            if round_ or action is not None or not (verb := self.word_before(end, start, self.action_words)):
                break
            action = verb
            end -= len(verb)
        return _NumberWords(end, comparator, kind_marker, approximate, own_verb, action)

    def _after(self, piece: Piece, quantity: Mention) -> tuple[int, int]:
        """What follows the number in its piece, up to a bracket or a quote mark, which add to it
        (新增35个班（约1750个学位）, 保持三个月销量”的要求)."""
        start, end = _trim(self.view, quantity.after_end, _trim(self.view, piece.start, piece.end)[1])
        quoted = False
        for i in range(start, end):
            ch = self.view[i]
            if ch in "“《":
                quoted = True
            elif i > start and (ch in "（(" or (ch in "”》" and not quoted)):
                return _trim(self.view, start, i)
        return start, end

    def _noun_after(self, piece: Piece, quantity: Mention) -> bool:
        after_start, after_end = self._after(piece, quantity)
        return len(_HAN.findall(self.view, after_start, after_end)) >= 2

    def _after_object_marker(self, span: _Span) -> _Span:
        """Where the number's own verb (降至, 压缩至) takes its object with 将 or 把 inside the
        phrase (引导合作机构逐步将平均担保费率降至1%), the object alone is what is measured."""
        for i in range(span.end - 1, span.start, -1):
            if self.view[i] in OBJECT_MARKERS and self.word_at(i, OBJECT_MARKERS):
                # 将 is also "will" (数量将从5种增加到10种): then a preposition or an adverb follows it.
                if self.view.startswith(NOT_AN_OBJECT, i + 1, span.end):
                    return span
                return _Span(i + 1, span.end, span.action)
        return span

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

    def _indicator_fallback(self, piece: Piece, quantity: Mention, span: _Span,
                            same_group: _Latest | None) -> _Indicator:
        """With nothing before the number, the noun may follow it (实施30项节能减碳技术改造项目), or
        the indicator is the earlier target's in the same clause group (增长10%)."""
        if span.start < span.end:
            return _Indicator(*span)
        after_start, after_end = self._after(piece, quantity)
        while after_start < after_end and self.view[after_start] in SUBJECT_OPENERS:  # 两万平方米的专业化智创空间
            after_start += 1
        if after_start < after_end and _HAN.search(self.view, after_start, after_end):
            # 两家园区创成省级绿色低碳园区: the verb in the phrase governs what follows it.
            for i in range(after_start, after_end):
                if (verb := self.word_at(i, self.action_words)) and i + len(verb) < after_end:
                    return _Indicator(i + len(verb), after_end, verb)
            return _Indicator(after_start, after_end, span.action)
        if same_group:
            return _Indicator(same_group.indicator_start, same_group.indicator_end, span.action)
        return _Indicator(None, None, span.action)

    def _when(self, piece: Piece, quantity: Mention, default_year: int | None) -> tuple[int | None, str | None]:
        """The year (the last "YYYY年" before the number in its sentence, else the plan's) and the
        deadline (the last deadline before the number in its clause group, else the last goal year
        before it in its sentence, in that year)."""
        sentence_start = self.sentence_starts[piece.sentence]
        year = default_year
        i = bisect.bisect_right(self.year_ends, quantity.start) - 1
        if i >= 0 and self.years[i][0] >= sentence_start:
            year = self.years[i][2]
        # A deadline reaches the targets after it in its clause group, until a period word
        # (全年, 一年内) or another deadline takes over; a goal year (到2028年) its whole sentence.
        group_start = self.group_starts[(piece.sentence, piece.group)]
        j = bisect.bisect_right(self.deadline_ends, quantity.start) - 1
        deadline = self.deadlines_by_end[j] if j >= 0 and self.deadlines_by_end[j].start >= group_start else None
        while deadline is None and j >= 0 and self.deadlines_by_end[j].start >= sentence_start:
            if self.deadlines_by_end[j].kind == "goal_year":
                deadline = self.deadlines_by_end[j]
            j -= 1
        return year, deadline.value(year) if deadline else None

    def kind(self, quantity: Mention, indicator: str, kind_marker: str | None, action: str | None) -> str:
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


def _pieces_with_hedges(pieces: list[Piece], piece_starts: list[int], quantities: list[Mention],
                        decisions: dict[int, Decision], reader: _Reader):
    """Yield (clause, the hedge or firmness word governing it, its quantities in order, each with the
    piece it is read in: a clause split at 、 between two targets is several pieces, one for each
    target; any other quantity is read in its whole clause, and has None).

    A hedge governs the rest of its clause group; a later group that opens with its own
    verb leaves it, one that opens with a noun (an elliptical clause) stays under it."""
    insides: dict[int, list[Mention]] = {}  # by piece index, the quantities wholly inside the piece
    for q in quantities:
        i = bisect.bisect_right(piece_starts, q.start) - 1
        if i >= 0 and q.end <= pieces[i].end:
            insides.setdefault(i, []).append(q)
    # A hedge never reaches past its sentence: a sentence without numbers needs no reading.
    numbered = {pieces[i].sentence for i in insides}
    modality = None
    sentence = None
    for i, piece in enumerate(pieces):
        if piece.sentence not in numbered:
            continue
        inside = insides.get(i, [])
        if piece.sentence != sentence:
            sentence, modality = piece.sentence, None
        opening = reader.front(piece)
        if opening.hedge:
            modality = opening.hedge
        elif piece.first_in_group and opening.action_first:
            modality = None
        if len(inside) == 1:  # the common case: one number, read in its whole clause
            q = inside[0]
            yield piece, modality, [(q, piece if decisions[q.start].role is QuantityRole.TARGET else None)]
            continue
        targets = [q for q in inside if decisions[q.start].role is QuantityRole.TARGET]
        if len(targets) < 2:  # nothing to split: a target is read in its whole clause
            yield piece, modality, [(q, piece if targets and q is targets[0] else None) for q in inside]
            continue
        read_in = {q.start: shared for sub, sub_quantities in _split_lists(reader.view, piece, targets)
                   for shared, shared_quantities in _split_crowded(sub, sub_quantities) for q in shared_quantities}
        yield piece, modality, [(q, read_in.get(q.start)) for q in inside]


def _split_lists(view: str, piece: Piece, quantities: list[Mention]):
    """Split a piece at a 、 that stands between two numbers (新增上市3家、报会3家); a 、 between
    nouns stays inside (工业投资、制造业投资增长12%)."""
    if len(quantities) < 2:
        yield piece, quantities
        return
    start = piece.start
    group: list[Mention] = []
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


def _split_crowded(piece: Piece, quantities: list[Mention]):
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
