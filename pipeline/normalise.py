"""Normalise: CRLF and CR become LF, a leading BOM goes. Nothing else changes, so every
offset in the normalised text maps back to the decoded file text (`to_raw_offset`)."""
from __future__ import annotations

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
    dropped = []
    out = []
    i = 0
    if raw_text.startswith("\ufeff"):
        dropped.append(0)
        i = 1
    n = len(raw_text)
    while i < n:
        ch = raw_text[i]
        if ch == "\r":
            if i + 1 < n and raw_text[i + 1] == "\n":
                dropped.append(i)
            else:
                out.append("\n")
        else:
            out.append(ch)
        i += 1
    return Normalised("".join(out), tuple(dropped))

