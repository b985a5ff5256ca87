#!/usr/bin/env python3
"""The byte-identity check for a change that must not change the output (a refactor).

    python tests/snapshot.py DIR            write everything the CLI makes for the snapshot set into DIR
    diff -r BEFORE AFTER                    then compare two snapshots: no line may differ

The snapshot set: the corpus, every fixture in every format, the diff variant, 80 plans
generated from the corpus with varied numbers (benchmarks/bench.py's generator), the real
documents of ../shared/corpus/real when they are there, and the bad inputs of tests/bad (their
error lines). For each: the dataset JSON and combined CSVs of `parse`, the golden projection,
the review pages and workbooks; then a `batch` over the same files (its CSVs and errors.csv),
the diff and history of the seed and its variant. Not a test: it takes a few minutes."""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "corpus" / "real"
CLI = [sys.executable, str(ROOT / "run_pipeline.py")]


def run(args: list[str], log: Path) -> None:
    proc = subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=ROOT)
    lines = (proc.stdout + proc.stderr).splitlines(keepends=True)
    if args[0] == "batch":  # workers finish in any order
        lines.sort()
    with open(log, "a", encoding="utf-8") as f:
        f.write(f"$ {args[0]} rc={proc.returncode}\n{''.join(lines)}")


def inputs(work: Path) -> dict[str, list[Path]]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench import generate  # noqa: E402 (bench needs psutil: pip install -e ".[bench]")

    fixtures = sorted(p for p in (ROOT / "tests" / "fixtures").iterdir()
                      if p.suffix in {".txt", ".docx", ".pdf", ".html"} and "locked" not in p.name
                      and "restricted" not in p.name)
    groups = {
        "corpus": sorted((ROOT / "corpus").glob("*.txt")) + [ROOT / "tests" / "diff" / "yueqing-2024-variant.txt"],
        "fixtures": fixtures,
        "generated": generate(work / "generated-inputs", 80),
        "bad": sorted(p for p in (ROOT / "tests" / "bad").iterdir() if p.suffix in {".txt", ".docx", ".pdf", ".html"}),
    }
    if REAL.is_dir():
        for folder in sorted(p for p in REAL.iterdir() if p.is_dir()):
            groups[f"real-{folder.name}"] = sorted(p for p in folder.iterdir() if p.suffix != ".tsv")
    return groups


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    out = Path(sys.argv[1]).resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    # Outside DIR and always the same: the generated files' paths are in the output (`source`).
    work = Path(tempfile.gettempdir()) / "policyparse-snapshot-inputs"
    log = out / "log.txt"
    for name, paths in inputs(work).items():
        files = [str(p) for p in paths]
        # Formats of one notice share a doc_id: parse each format into its own folder.
        by_suffix: dict[str, list[str]] = {}
        for f in files:
            by_suffix.setdefault(Path(f).suffix, []).append(f)
        for suffix, group in sorted(by_suffix.items()):
            target = out / name / f"parse{suffix}"
            run(["parse", *group, "--out", str(target), "--xlsx"], log)
            run(["golden", *group, "--golden-dir", str(target / "golden"), "--update"], log)
            run(["report", str(target), "--out", str(target / "report"), "--quiet"], log)
            run(["batch", *group, "--out", str(out / name / f"batch{suffix}"), "--workers", "2", "--quiet"], log)
    seed, variant = ROOT / "corpus" / "yueqing-2023-manufacturing-plan.txt", ROOT / "tests" / "diff" / "yueqing-2024-variant.txt"
    run(["diff", str(seed), str(variant), "--out", str(out / "diff"), "--xlsx", "--html"], log)
    run(["history", str(out / "corpus" / "parse.txt"), "--out", str(out / "history")], log)
    shutil.rmtree(work, ignore_errors=True)
    for db in out.rglob("plans.db"):  # SQLite pages are not byte-stable; its exports are compared instead
        db.unlink()
    # The log names the temporary folder: make it relative.
    log.write_text(log.read_text(encoding="utf-8").replace(str(out), "SNAPSHOT").replace(str(ROOT), "ROOT"),
                   encoding="utf-8")
    print(f"snapshot in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
