"""Score every quantity against the golden files of real documents (tests/golden/real/README.md,
quantities.csv): per folder (the doc_id's prefix: opc, govcn, gz, sh) and overall,

- target precision and recall: a hit is a golden target that a parsed target stands on (its number
  inside the row's quote) with the same value_base and base_unit;
- role accuracy over every golden quantity a parsed quantity stands on, whatever its role;
- the accuracy of indicator, comparator, kind and hedge on the target hits;

then every quantity missed, found only by the parser or given another role, every false or missed
target and every target field that differs. A golden row is found in the document by its `text`,
then its `quote` inside it (white space ignored, in document order: real_golden.Locator).

    python run_pipeline.py evaluate DOC... --golden-dir tests/golden/real
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from policyparse import real_golden
from policyparse.model import Document, Quantity, QuantityRole, Target

FIELDS = ("indicator", "comparator", "kind", "hedged")
LISTS = ("missed", "found_only", "wrong_roles", "false_targets", "missed_targets", "wrong_fields")
COUNTS = ("golden", "matched", "roles_right", "golden_targets", "parsed_targets", "hits")


@dataclass
class Score:
    golden: int = 0  # golden quantities
    matched: int = 0  # golden quantities a parsed quantity stands on
    roles_right: int = 0  # of those, with the golden role
    golden_targets: int = 0
    parsed_targets: int = 0
    hits: int = 0
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    # What to look at, one line each, naming the document.
    missed: list[str] = field(default_factory=list)  # golden quantities no parsed one stands on
    found_only: list[str] = field(default_factory=list)  # parsed quantities on no golden row
    wrong_roles: list[str] = field(default_factory=list)
    false_targets: list[str] = field(default_factory=list)
    missed_targets: list[str] = field(default_factory=list)
    wrong_fields: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.hits / self.parsed_targets if self.parsed_targets else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.golden_targets if self.golden_targets else 1.0

    @property
    def role_accuracy(self) -> float:
        return self.roles_right / self.matched if self.matched else 1.0

    def accuracy(self, name: str) -> float:
        return self.correct[name] / self.hits if self.hits else 1.0

    def add(self, other: Score) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in FIELDS:
            self.correct[name] += other.correct[name]
        for name in LISTS:
            getattr(self, name).extend(getattr(other, name))


def score(doc: Document, rows: list[dict[str, str]]) -> Score:
    """The quantities of a parsed document against the golden rows of its quantities.csv."""
    result = Score(golden=len(rows), parsed_targets=len(doc.targets))
    targets = {t.quantity_id: t for t in doc.targets}
    locate = real_golden.Locator(doc.text)
    free = list(doc.quantities)  # parsed quantities no golden row stands on yet, in document order
    hit_ids: set[str] = set()
    for row in rows:
        label = f"{doc.doc_id} {row['where']} {row['text']!r} {row['quote']!r}"
        golden_target = row["role"] == QuantityRole.TARGET
        result.golden_targets += golden_target
        clause = locate.find(row["text"])
        quote = locate.find(row["quote"], within=clause) if clause else None
        found = _standing_on(free, quote, row) if quote else None
        if found is None:
            result.missed.append(f"{label} ({row['role']}){'' if quote else ': not found in the text'}")
            if golden_target:
                result.missed_targets.append(f"{label}: not found")
            continue
        free.remove(found)
        result.matched += 1
        if found.role == row["role"]:
            result.roles_right += 1
        else:
            result.wrong_roles.append(f"{label}: {row['role']} expected, got {found.role} ({found.role_rule})")
        target = targets.get(found.quantity_id)
        if golden_target and target is not None and _same_value(found, row):
            result.hits += 1
            hit_ids.add(found.quantity_id)
            _fields(result, target, row, label)
        elif golden_target:
            result.missed_targets.append(f"{label}: read as {found.role} {found.value_base} {found.base_unit}")
    result.found_only = [f"{doc.doc_id} {_where(q)} {q.text!r} {q.written!r} ({q.role}, {q.role_rule})"
                         for q in free]
    result.false_targets = [f"{doc.doc_id} {_where(t)} {t.text!r} ({t.value_base} {t.base_unit})"
                            for t in doc.targets if t.quantity_id not in hit_ids]
    return result


def _standing_on(free: list[Quantity], quote: tuple[int, int], row: dict[str, str]) -> Quantity | None:
    """The free parsed quantity whose number lies in the quote: of several, the one with the golden value."""
    inside = [q for q in free if q.number_start < quote[1] and quote[0] < q.number_end]
    return next((q for q in inside if _same_value(q, row)), inside[0] if inside else None)


def _same_value(q: Quantity, row: dict[str, str]) -> bool:
    return _decimal(row["value_base"]) == q.value_base and row["base_unit"] == q.base_unit


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _fields(result: Score, target: Target, row: dict[str, str], label: str) -> None:
    parsed = {"indicator": target.indicator or "", "comparator": target.comparator.value, "kind": target.kind.value,
              "hedged": "true" if target.hedged else "false"}
    for name in FIELDS:
        if parsed[name] == row[name]:
            result.correct[name] += 1
        else:
            result.wrong_fields.append(f"{label}: {name} expected {row[name]!r}, got {parsed[name]!r}")


def _where(record: Quantity | Target) -> str:
    return (record.section_path or "preamble") if record.annex_seq is None else f"annex row {record.annex_seq}"


def folder_of(doc_id: str) -> str:
    """The corpus folder a real document comes from: its doc_id's prefix (opc_007 → opc)."""
    return doc_id.split("_")[0]


def _row(label: str, s: Score) -> str:
    fields = " ".join(f"{s.accuracy(name):>10.3f}" for name in FIELDS)
    return (f"{label:<16} {s.golden:>6} {s.matched:>7} {s.role_accuracy:>6.3f} {s.golden_targets:>7} "
            f"{s.parsed_targets:>6} {s.hits:>5} {s.precision:>9.3f} {s.recall:>6.3f} {fields}")


def report(scores: list[tuple[str, Score]]) -> str:
    """Per document, per folder and overall, then what to look at."""
    header = (f"{'quantities':<16} {'golden':>6} {'matched':>7} {'roles':>6} {'targets':>7} {'parsed':>6} "
              f"{'hits':>5} {'precision':>9} {'recall':>6} " + " ".join(f"{name:>10}" for name in FIELDS))
    lines = [header] + [_row(doc_id, s) for doc_id, s in scores]
    folders: dict[str, Score] = {}
    total = Score()
    for doc_id, s in scores:
        folders.setdefault(folder_of(doc_id), Score()).add(s)
        total.add(s)
    lines += [_row(f"[{name}]", s) for name, s in sorted(folders.items())]
    lines.append(_row("ALL", total))
    for name in LISTS:
        lines += [f"{name.replace('_', ' '):<15} {line}" for line in getattr(total, name)]
    return "\n".join(lines)
