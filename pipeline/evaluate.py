"""Score target extraction against golden files: precision and recall of targets (a hit is
a golden target matched by a parsed one in the same place with the same value_base and
base_unit), accuracy of the other fields on the hits, and the misses and false hits.

    python -m policyparse.evaluate DOC... --golden-dir tests/golden
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from policyparse import golden
from policyparse.errors import PolicyParseError
from policyparse.run import Parser, default_parser

FIELDS = ("indicator", "action", "comparator", "approximate", "kind", "hedged", "modality", "deadline", "value_high",
          "unit")


@dataclass
class Score:
    golden: int = 0
    parsed: int = 0
    hits: int = 0
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: list[dict] = field(default_factory=list)
    false_hits: list[dict] = field(default_factory=list)
    wrong: list[tuple[dict, str, str]] = field(default_factory=list)  # (golden row, field, parsed value)

    @property
    def precision(self) -> float:
        return self.hits / self.parsed if self.parsed else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.golden if self.golden else 1.0

    def accuracy(self, name: str) -> float:
        return self.correct[name] / self.hits if self.hits else 1.0

    def add(self, other: Score) -> None:
        self.golden += other.golden
        self.parsed += other.parsed
        self.hits += other.hits
        for name in FIELDS:
            self.correct[name] += other.correct[name]
        self.misses += other.misses
        self.false_hits += other.false_hits
        self.wrong += other.wrong


def score(expected: list[dict], parsed: list[dict]) -> Score:
    """Match each golden target to a parsed one at the same place with the same base value and
    unit (the same text first, then the nearest in order), and count what agrees."""
    result = Score(golden=len(expected), parsed=len(parsed))
    free = list(range(len(parsed)))

    def same_quantity(g: dict, p: dict) -> bool:
        return (g["source"], g["where"], g["value_base"], g["base_unit"]) == (
            p["source"], p["where"], p["value_base"], p["base_unit"])

    for g in expected:
        candidates = [i for i in free if same_quantity(g, parsed[i])]
        if not candidates:
            result.misses.append(g)
            continue
        best = next((i for i in candidates if parsed[i]["text"] == g["text"]), candidates[0])
        free.remove(best)
        result.hits += 1
        for name in FIELDS:
            if g[name] == parsed[best][name]:
                result.correct[name] += 1
            else:
                result.wrong.append((g, name, parsed[best][name]))
    result.false_hits = [parsed[i] for i in free]
    return result


def evaluate(paths: list[str], golden_dir: Path, parser: Parser | None = None) -> tuple[Score, list[tuple[str, Score]]]:
    total = Score()
    per_document = []
    for path in paths:
        doc = (parser or default_parser()).parse(path)
        folder = golden_dir / doc.doc_id
        if not folder.is_dir():
            raise PolicyParseError(path, f"no golden folder {folder}")
        try:
            expected = golden.read_table(folder, "targets")
        except (OSError, ValueError) as exc:
            raise PolicyParseError(path, f"cannot read the golden targets ({exc})") from None
        result = score(expected, golden.project(doc)["targets"])
        per_document.append((path, result))
        total.add(result)
    return total, per_document


def _row(label: str, s: Score) -> str:
    fields = " ".join(f"{s.accuracy(name):.3f}" for name in FIELDS)
    return f"{label:<48} {s.golden:>6} {s.parsed:>6} {s.hits:>5} {s.precision:>9.3f} {s.recall:>6.3f}  {fields}"


def report(total: Score, per_document: list[tuple[str, Score]]) -> str:
    header = f"{'document':<48} {'golden':>6} {'parsed':>6} {'hits':>5} {'precision':>9} {'recall':>6}  " + " ".join(
        FIELDS)
    lines = [header]
    lines += [_row(Path(path).name, s) for path, s in per_document]
    lines.append(_row("ALL", total))
    for path, s in per_document:
        for g in s.misses:
            lines.append(f"miss       {Path(path).name}: {g['source']} {g['where']} {g['text']!r} "
                         f"({g['value_base']} {g['base_unit']})")
        for p in s.false_hits:
            lines.append(f"false hit  {Path(path).name}: {p['source']} {p['where']} {p['text']!r} "
                         f"({p['value_base']} {p['base_unit']})")
        for g, name, got in s.wrong:
            lines.append(f"wrong      {Path(path).name}: {g['source']} {g['where']} {g['text']!r}: {name} "
                         f"expected {g[name]!r}, got {got!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from policyparse.cli import main as cli_main

    return cli_main(["evaluate", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
