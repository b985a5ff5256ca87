"""Where on the page a record stands, from the provenance map a backend with pages hands on
(RawDocument.provenance: stretches of text with page, line top and bottom, character x)."""
from __future__ import annotations

import bisect

from policyparse.model import PageSpan, Target
from policyparse.normalise import Normalised


def locate(spans: tuple[PageSpan, ...], starts: list[int], start: int, end: int
           ) -> tuple[int | None, tuple[float, ...] | None]:
    """The page text[start:end] starts on and its box there (x0, top, x1, bottom): the union of
    the lines it covers on that page. (None, None) when the text has no page. `starts` are the
    spans' starts (ascending, as the spans are)."""
    first = max(bisect.bisect_right(starts, start) - 1, 0)
    page, box = None, None
    for span in spans[first:]:
        if span.start >= end:
            break
        if span.end <= start or (page is not None and span.page != page):
            continue
        page = span.page
        lo, hi = max(start, span.start) - span.start, min(end, span.end) - span.start
        part = (span.xs[lo], span.top, span.xs[hi], span.bottom)
        box = part if box is None else (min(box[0], part[0]), min(box[1], part[1]), max(box[2], part[2]),
                                        max(box[3], part[3]))
    return page, box


def place_targets(targets: tuple[Target, ...], spans: tuple[PageSpan, ...],
                  normalised: Normalised) -> tuple[Target, ...]:
    """The targets with their page and box, when the document has pages."""
    if not spans:
        return targets
    starts = [s.start for s in spans]
    placed = []
    for t in targets:
        start = normalised.to_raw_offset(t.start)
        end = normalised.to_raw_offset(t.end - 1) + 1 if t.end > t.start else start
        page, box = locate(spans, starts, start, end)
        placed.append(t.evolve(page=page, bbox=box))
    return tuple(placed)
