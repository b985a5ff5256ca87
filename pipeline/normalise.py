"""Normalise: CRLF and CR become LF, a leading BOM goes. Nothing else changes, so every
offset in the normalised text maps back to the decoded file text (`to_raw_offset`)."""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Normalised:
    text: str
    # Positions in the raw text of the characters that were dropped, ascending.
    dropped: tuple[int, ...]

    def to_raw_offset(self, offset: int) -> int:
        """The offset in the decoded file text of the character at `offset` in `text`."""
        lo, hi = 0, len(self.dropped)
        # Find how many dropped characters lie before the raw position of `offset`.
        while lo < hi:
            mid = (lo + hi) // 2
            if self.dropped[mid] - mid <= offset:
                lo = mid + 1
            else:
                hi = mid
        return offset + lo


def normalise(raw_text: str) -> Normalised:
    start = 1 if raw_text.startswith("\ufeff") else 0
    # The CR of each CRLF goes; a lone CR becomes LF (one character for one).
    dropped = [0] * start + [m.start() for m in _CRLF.finditer(raw_text, start)]
    text = raw_text[start:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Normalised(text, tuple(dropped))


_CRLF = re.compile("\r\n")
