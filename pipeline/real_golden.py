"""The golden files of real documents (tests/golden/real/, format in its README): read, and
their rows found in a parsed document's text.

A real document's golden rows are written by a reader who quotes the document, not by offsets:
a note, a clause piece, a quantity as printed. `Locator` finds such a quote in the document's
text with white space ignored (a web page or a PDF breaks lines where the reader's copy did
not), in document order: each row is looked up from where the row before it was found, so a
clause quoted twice is found twice in its two places. The scorers (evaluate_structure for the
header, sections, notes and annexes; evaluate_quantities for every quantity and its role)
compare what they find there with the parser's records by offsets."""
from __future__ import annotations

import bisect
import csv
import json
from dataclasses import dataclass
from pathlib import Path

# The files of a real golden folder and their columns (tests/golden/real/README.md).
TABLES = {
    "sections": ("path", "level", "number", "title"),
    "notes": ("where", "note", "position", "unit", "role", "raw", "open_list", "generic", "standing"),
    "annexes": ("label", "title", "tables"),
    "annex_tables": ("annex", "table", "kind", "header_rows", "columns", "rows"),
    "annex_rows": ("annex", "table", "row", "cells"),
    "quantities": ("where", "text", "quote", "value", "value_high", "unit", "value_base", "base_unit", "role",
                   "indicator", "action", "comparator", "approximate", "kind", "hedged", "modality", "year",
                   "deadline"),
}
HEADER_FIELDS = ("kind", "issuers", "notice_title", "title", "doc_number", "date", "year", "recipients", "cc")
OPTIONAL = {"quantities"}  # only where the document's quantities were annotated


@dataclass(frozen=True)
class RealGolden:
    folder: Path
    document: dict  # HEADER_FIELDS
    tables: dict[str, list[dict[str, str]]]  # file name without .csv → rows; a missing optional table is absent

    @property
    def doc_id(self) -> str:
        return self.folder.name


def is_real_golden(folder: Path) -> bool:
    return (folder / "notes.csv").is_file()


def read(folder: Path) -> RealGolden:
    """A real golden folder; ValueError naming the file when one is not as the README says."""
    try:
        document = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{folder / 'document.json'}: {exc}") from None
    if not isinstance(document, dict) or set(document) != set(HEADER_FIELDS):
        raise ValueError(f"{folder / 'document.json'}: the fields must be {list(HEADER_FIELDS)}")
    tables = {}
    for name, columns in TABLES.items():
        path = folder / f"{name}.csv"
        if not path.is_file():
            if name in OPTIONAL:
                continue
            raise ValueError(f"{path}: missing")
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if tuple(reader.fieldnames or ()) != columns:
                raise ValueError(f"{path}: columns {reader.fieldnames}, expected {list(columns)}")
            tables[name] = list(reader)
    return RealGolden(folder, document, tables)


class Locator:
    """Finds quoted text in a document's text, white space ignored, in document order."""

    def __init__(self, text: str):
        self.text = text
        # The text without white space, and for each of its characters the offset in `text`.
        self.offsets = [i for i, ch in enumerate(text) if not ch.isspace()]
        self.squeezed = "".join(text[i] for i in self.offsets)
        self.cursor = 0  # in `squeezed`: where the next lookup starts

    def find(self, quote: str, within: tuple[int, int] | None = None, advance: bool = True) -> tuple[int, int] | None:
        """The span (start, end) in the text of the first occurrence of `quote` from the cursor on
        (inside `within`, a span of the text, when given), white space ignored; None when it is
        not there. With `advance`, the next lookup starts where this one started (a quote may
        repeat the one before it: two quantities of one clause)."""
        needle = "".join(quote.split())
        if not needle:
            return None
        lo, hi = self.cursor, len(self.squeezed)
        if within is not None:
            lo = max(lo, bisect.bisect_left(self.offsets, within[0]))
            hi = bisect.bisect_left(self.offsets, within[1])
        at = self.squeezed.find(needle, lo, hi)
        if at < 0:
            return None
        if advance and within is None:
            self.cursor = at
        return self.offsets[at], self.offsets[at + len(needle) - 1] + 1
