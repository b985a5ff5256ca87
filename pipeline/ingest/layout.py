"""The text layout every backend writes, so that segment reads a Word file, a PDF and a web
page as it reads a text file: one line per paragraph, and a table as one tab-indented line per
cell with a blank line after each row (the flattened annex of the TXT genre). Each table also
becomes a TableBlock of cell spans, and each piece of text the backend saw on a page becomes a
PageSpan, so offsets into the text lead back to page and box.

A table that follows another table with nothing but blank lines between and has as many
columns continues it (a table the author split, or one that a PDF breaks across pages); rows
that repeat the first row (a header row repeated on every page) are dropped."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from policyparse.model import PageSpan, TableBlock


@dataclass(frozen=True)
class Piece:
    """A run of text, and where it is printed when the format has pages: page (1-based), the
    line's top and bottom, and the x of each character boundary (len(text) + 1 values)."""

    text: str
    page: int | None = None
    top: float = 0.0
    bottom: float = 0.0
    xs: tuple[float, ...] = ()

    def cut(self, start: int, end: int) -> Piece:
        return replace(self, text=self.text[start:end], xs=self.xs[start:end + 1] if self.xs else ())


Cell = Sequence[Piece]
Row = Sequence[Cell]


class _Covered(tuple):
    """The cell under a merged cell (a rowspan, Word's vMerge continue): written empty, and recorded
    in the table block as covered, so that it reads as the cell above it."""


COVERED: Cell = _Covered()


@dataclass(frozen=True)
class Extracted:
    """What a backend returns: the text in the TXT layout, the tables in it, and page provenance."""

    text: str
    encoding: str | None
    tables: tuple[TableBlock, ...] = ()
    provenance: tuple[PageSpan, ...] = ()
    pages: int | None = None


def plain(text: str) -> list[Piece]:
    return [Piece(text)] if text else []


def joined(pieces: Sequence[Piece]) -> str:
    return "".join(p.text for p in pieces)


def strip(pieces: Sequence[Piece]) -> list[Piece]:
    """The pieces without white space at either end (as segment trims a line)."""
    out = [p for p in pieces if p.text]
    while out and (lead := len(out[0].text) - len(out[0].text.lstrip())):
        out[0] = out[0].cut(lead, len(out[0].text))
        if not out[0].text:
            out.pop(0)
    while out and (trail := len(out[-1].text) - len(out[-1].text.rstrip())):
        out[-1] = out[-1].cut(0, len(out[-1].text) - trail)
        if not out[-1].text:
            out.pop()
    return out


class LayoutWriter:
    def __init__(self) -> None:
        self._parts: list[str] = []
        self._pos = 0
        self._spans: list[PageSpan] = []
        self._tables: list[TableBlock] = []
        self._rows: list[list[list[Piece]]] | None = None  # the table still open to continuation
        self._covered: list[set[int]] = []  # for each row of the open table, its covered columns

    def paragraph(self, pieces: Sequence[Piece]) -> None:
        pieces = strip(pieces)
        if not pieces and self._rows is not None:
            return  # a blank line between two tables keeps the first open
        self._close_table()
        self._write(pieces)
        self._write([Piece("\n")])

    def table(self, rows: Sequence[Row], split_row: bool = False) -> None:
        """Add a table. With `split_row`, a first row (after any repeated header) whose first
        cell is empty is the rest of the open table's last row, broken across a page."""
        kept = [([strip(cell) for cell in row], {k for k, cell in enumerate(row) if isinstance(cell, _Covered)})
                for row in rows]
        kept = [(row, covered) for row, covered in kept if any(row)]
        if not kept:
            return
        if self._rows is not None and len(kept[0][0]) == len(self._rows[0]):
            header = _texts(self._rows[0])
            kept = [(row, covered) for row, covered in kept if _texts(row) != header]
            if split_row and kept and not kept[0][0][0] and len(self._rows) > 1:
                last = self._rows[-1]
                for i, cell in enumerate(kept.pop(0)[0][:len(last)]):
                    last[i] = last[i] + cell
            self._rows.extend(row for row, _covered in kept)
            self._covered.extend(covered for _row, covered in kept)
            return
        self._close_table()
        header = _texts(kept[0][0])
        kept = kept[:1] + [(row, covered) for row, covered in kept[1:] if _texts(row) != header]
        self._rows = [row for row, _covered in kept]
        self._covered = [covered for _row, covered in kept]

    def result(self, encoding: str | None, pages: int | None = None) -> Extracted:
        self._close_table()
        return Extracted("".join(self._parts), encoding, tuple(self._tables), tuple(self._spans), pages)

    def _close_table(self) -> None:
        if self._rows is None:
            return
        spans = []
        for row in self._rows:
            cells = []
            for cell in row:
                self._write([Piece("\t")])
                start = self._pos
                self._write(cell)
                cells.append((start, self._pos))
                self._write([Piece("\n")])
            self._write([Piece("\n")])
            spans.append(tuple(cells))
        covered = tuple((r, k) for r, columns in enumerate(self._covered) for k in sorted(columns))
        self._tables.append(TableBlock(tuple(spans), covered))
        self._rows = None
        self._covered = []

    def _write(self, pieces: Sequence[Piece]) -> None:
        for piece in pieces:
            # A CR would be turned into LF by normalise; do it here, character for character, so
            # the offsets of the tables and the provenance hold for the normalised text.
            text = piece.text.replace("\r", "\n")
            if piece.page is not None and text:
                self._spans.append(PageSpan(self._pos, self._pos + len(text), piece.page, piece.top, piece.bottom,
                                            piece.xs))
            self._parts.append(text)
            self._pos += len(text)


def _texts(row: Sequence[Cell]) -> list[str]:
    return [joined(cell) for cell in row]
