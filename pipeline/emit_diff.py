"""Writers for the cross-plan outputs: diff.json, diff.csv, diff.md, history.csv and
history.json. Like pipeline/emit.py: deterministic, atomic, CSV in UTF-8 with BOM."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from policyparse.diff import Diff
from policyparse.emit import atomic_write, cell, neutralise

DIFF_COLUMNS = ["change", "where_old", "where_new", "indicator", "old", "new", "relative_change", "score",
                "text_old", "text_new"]


def _csv(columns: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[neutralise(cell(v)) if isinstance(v, (str, list)) else cell(v) for v in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_diff(out_dir: Path, result: Diff) -> list[Path]:
    data = result.to_dict()
    paths = [out_dir / "diff.json", out_dir / "diff.csv", out_dir / "diff.md"]
    atomic_write(paths[0], (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    atomic_write(paths[1], _csv(DIFF_COLUMNS, [[c[k] for k in DIFF_COLUMNS] for c in data["changes"]]))
    atomic_write(paths[2], markdown(result).encode("utf-8"))
    return paths


def markdown(result: Diff) -> str:
    old, new = result.old, result.new
    lines = [f"# {old.get('title') or old['doc_id']} → {new.get('title') or new['doc_id']}", "",
             f"Comparing the {old.get('year') or old['doc_id']} plan with the {new.get('year') or new['doc_id']} plan.",
             ""]
    counts = result.counts()
    if not counts:
        lines.append("No changes.")
    else:
        lines += ["| change | count |", "|---|---|"] + [f"| {k} | {n} |" for k, n in counts.items()]
    for kind in counts:
        lines += ["", f"## {kind}", "", "| where (old → new) | indicator | old | new | change | text |",
                  "|---|---|---|---|---|---|"]
        for c in (c for c in result.changes if c.change == kind):
            where = (" → ".join(w for w in (c.where_old, c.where_new) if w) if c.where_old != c.where_new
                     else c.where_old)
            relative = f"{c.relative_change:+.1%}" if c.relative_change is not None else ""
            text = c.text_new or c.text_old or ""
            lines.append(f"| {where} | {c.indicator or ''} | {_md(cell(c.old))} | {_md(cell(c.new))} | {relative} "
                         f"| {_md(text)} |")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_history(out_dir: Path, columns: list[str], rows: list[dict]) -> list[Path]:
    header = ["indicator", "base_unit", "kind", *columns]
    paths = [out_dir / "history.csv", out_dir / "history.json"]
    atomic_write(paths[0], _csv(header, [[r.get(k) for k in header] for r in rows]))
    data = {"columns": columns, "rows": rows}
    atomic_write(paths[1], (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return paths
