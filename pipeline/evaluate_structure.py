"""Score the structure of real documents against their blind golden folders (tests/golden/real/,
read by policyparse.real_golden): the header fields, the sections, the responsibility notes, the
annexes and their tables. And the corpus report: per folder, what was found in documents that
have no golden files.

- header: each field of document.json right or wrong (issuers, recipients and cc as lists; kind
  from the document's quality);
- sections: the golden headings found among the parsed ones (path, level, number, title alike);
- notes: a golden note (its rows grouped by where and note) is right when the parsed note at the
  place its quote is found has the same units in the same order, each with the same role
  (standing units included); a row of a table is a note of its own (where 附件1/1/3);
- annexes: each annex right when its label, title and number of tables are; each table right when
  its kind, header rows, column roles and number of rows are; each data row right when its cells are.

Scores are grouped by folder, the prefix of the doc_id (opc_007 → opc), and summed overall."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from policyparse.model import Annex, Document, Responsibility
from policyparse.real_golden import HEADER_FIELDS, Locator, RealGolden


@dataclass
class Tally:
    """How many golden items there were and how many were right, with the wrong ones named."""

    right: int = 0
    total: int = 0
    wrong: list[str] = field(default_factory=list)

    def add(self, ok: bool, label: str) -> None:
        self.total += 1
        self.right += ok
        if not ok:
            self.wrong.append(label)

    def merge(self, other: Tally) -> None:
        self.right += other.right
        self.total += other.total
        self.wrong += other.wrong

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.right}/{self.total} ({self.share:.0%})"


PARTS = ("header", "sections", "notes", "annexes", "tables", "rows")


@dataclass
class StructureScore:
    parts: dict[str, Tally] = field(default_factory=lambda: {name: Tally() for name in PARTS})

    def merge(self, other: StructureScore) -> None:
        for name in PARTS:
            self.parts[name].merge(other.parts[name])


def header_value(doc: Document, name: str):
    """A header field of a parsed document as document.json writes it."""
    if name == "kind":
        return doc.quality.kind.value if doc.quality else None
    if name == "year":
        return doc.header.year
    value = getattr(doc.header, name)
    if isinstance(value, tuple):
        return [f.value for f in value]
    return value.value if value is not None else None


def score(golden: RealGolden, doc: Document) -> StructureScore:
    result = StructureScore()
    for name in HEADER_FIELDS:
        expected, got = golden.document.get(name), header_value(doc, name)
        result.parts["header"].add(_same(expected, got), f"{name}: expected {expected!r}, got {got!r}")
    parsed = Counter((s.path, str(s.level), s.number, s.title) for s in doc.sections)
    for row in golden.tables["sections"]:
        key = (row["path"], row["level"], row["number"], row["title"])
        found = parsed[key] > 0
        parsed[key] -= found
        result.parts["sections"].add(found, f"section {' '.join(key)} not found")
    _notes(golden, doc, result.parts["notes"])
    _annexes(golden, doc, result)
    return result


def _same(expected, got) -> bool:
    if isinstance(expected, list) or isinstance(got, list):
        return list(expected or []) == list(got or [])
    return expected == got


def _notes(golden: RealGolden, doc: Document, tally: Tally) -> None:
    # The rows of one note, by where it stands, its text and which of the same text it is there (a
    # note printed twice in one measure is two notes: its positions start again at 1).
    notes: dict[tuple[str, str, int], list[dict]] = {}
    seen: dict[tuple[str, str], int] = {}
    for row in golden.tables["notes"]:
        key = (row["where"], row["note"])
        if key not in seen or int(row["position"]) <= int(notes[(*key, seen[key])][-1]["position"]):
            seen[key] = seen.get(key, -1) + 1
        notes.setdefault((*key, seen[key]), []).append(row)
    parsed: dict[tuple[int | None, int | None], list[Responsibility]] = {}
    for r in doc.responsibilities:
        parsed.setdefault((r.note_start, r.note_end), []).append(r)
    locate = Locator(doc.text)
    for (where, note, _nth), rows in notes.items():
        expected = [(row["unit"], row["role"], row["standing"] == "true")
                    for row in sorted(rows, key=lambda row: int(row["position"]))]
        span = locate.find(note) if note else _row_span(doc, where)
        units = _parsed_note(parsed, span) if span else []
        got = [(r.unit, r.role.value, r.standing) for r in units]
        tally.add(got == expected, f"note {where} {note or ''}: expected {expected}, got {got}")


def _parsed_note(parsed: dict[tuple[int | None, int | None], list[Responsibility]],
                 span: tuple[int, int]) -> list[Responsibility]:
    """The parsed note that overlaps the quoted one."""
    for (start, end), units in parsed.items():
        if start is not None and end is not None and start < span[1] and span[0] < end:
            return units
    return []


def _row_span(doc: Document, where: str) -> tuple[int, int] | None:
    """Where a table row's unit cells are: `<annex label>/<table>/<row>`."""
    label, table, row = (where.rsplit("/", 2) + ["", ""])[:3]
    annex = next((a for a in doc.annexes if a.label == label), None)
    if annex is None or not table.isdigit() or not row.isdigit():
        return None
    tables = annex.tables
    if not 0 < int(table) <= len(tables) or not 0 < int(row) <= len(tables[int(table) - 1].rows):
        return None
    cells = tables[int(table) - 1].rows[int(row) - 1]
    return cells[0].start, cells[-1].end


def _annexes(golden: RealGolden, doc: Document, result: StructureScore) -> None:
    parsed = {a.label: a for a in doc.annexes}
    for row in golden.tables["annexes"]:
        annex = parsed.get(row["label"])
        expected = (row["label"], row["title"], row["tables"])
        got = (annex.label, annex.title or "", str(len(annex.tables))) if annex else None
        result.parts["annexes"].add(got == expected, f"annex {row['label']}: expected {expected}, got {got}")
    for row in golden.tables["annex_tables"]:
        table = _table(parsed.get(row["annex"]), row["table"])
        wanted = (row["kind"], row["header_rows"], row["columns"], row["rows"])
        read = None if table is None else (table.kind.value, str(len(table.header_rows)),
                                           "|".join(c.value for c in table.columns), str(len(table.rows)))
        label = f"table {row['annex']}/{row['table']}"
        result.parts["tables"].add(read == wanted, f"{label}: expected {wanted}, got {read}")
    for row in golden.tables["annex_rows"]:
        table = _table(parsed.get(row["annex"]), row["table"])
        n = int(row["row"]) if row["row"].isdigit() else 0
        cells = table.rows[n - 1] if table is not None and 0 < n <= len(table.rows) else None
        text = " | ".join(" ".join(c.text.split()) for c in cells) if cells is not None else None
        result.parts["rows"].add(text == row["cells"], f"row {row['annex']}/{row['table']}/{row['row']}: "
                                                       f"expected {row['cells']!r}, got {text!r}")


def _table(annex: Annex | None, number: str):
    if annex is None or not number.isdigit() or not 0 < int(number) <= len(annex.tables):
        return None
    return annex.tables[int(number) - 1]


def folder_of(doc_id: str) -> str:
    """The corpus folder a doc_id comes from: its prefix (govcn_034 → govcn)."""
    return doc_id.split("_", 1)[0] if "_" in doc_id else "other"


def report(scores: list[tuple[str, StructureScore]]) -> str:
    """Per folder and overall: each part right/total, then every wrong item."""
    groups: dict[str, StructureScore] = {}
    total = StructureScore()
    for doc_id, s in scores:
        groups.setdefault(folder_of(doc_id), StructureScore()).merge(s)
        total.merge(s)
    lines = [f"{'structure':<10}" + "".join(f"{name:>16}" for name in PARTS)]
    for name, s in [*sorted(groups.items()), ("ALL", total)]:
        lines.append(f"{name:<10}" + "".join(f"{str(s.parts[part]):>16}" for part in PARTS))
    for doc_id, s in scores:
        for part in PARTS:
            lines += [f"wrong      {doc_id}: {item}" for item in s.parts[part].wrong]
    return "\n".join(lines)


# --- the corpus report -------------------------------------------------------------------------

CORPUS_COLUMNS = ("documents", "title", "issuer", "date", "sections", "notes read / like", "tables understood / found")


def corpus_report(docs: list[tuple[str, Document]]) -> str:
    """Per folder (the input's parent folder) and overall: documents, with a title, an issuer, a
    date, sections; notes read of notes read plus note-like phrases left unread; annex tables
    understood of those found."""
    groups: dict[str, list[Document]] = {}
    for path, doc in docs:
        groups.setdefault(Path(path).parent.name or ".", []).append(doc)
    groups["ALL"] = [doc for _path, doc in docs]
    lines = [f"{'folder':<12}" + "".join(f"{c:>28}" for c in CORPUS_COLUMNS)]
    for name, group in groups.items():
        quality = [d.quality for d in group if d.quality]
        read = sum(q.notes_read for q in quality)
        unread = sum(q.notes_unread for q in quality)
        understood, tables = sum(q.annex_tables_understood for q in quality), sum(q.annex_tables for q in quality)
        cells = (len(group), sum(1 for d in group if d.header.title), sum(1 for d in group if d.header.issuers),
                 sum(1 for d in group if d.header.date), sum(1 for d in group if d.sections),
                 f"{read} / {read + unread}", f"{understood} / {tables}")
        lines.append(f"{name:<12}" + "".join(f"{c!s:>28}" for c in cells))
    return "\n".join(lines)

