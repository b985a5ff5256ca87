#!/usr/bin/env python3
"""Benchmarks for policyparse: a script, not a test. Every ratio compares two figures measured
in the same run, on the same machine.

    python benchmarks/bench.py                 # (a) (b) (c) (d) with 1,000 documents, ~11 minutes
    python benchmarks/bench.py --big           # (d) with 10,000 documents too, ~6 minutes more

(a) warm parse of the seed TXT against one jieba.lcut pass over the same text   goal <= 1.0x
(b) CLI cold start, one document: seconds, and the ratio to `python -c pass`     goal <= 2 s
(c) batch over a corpus generated from corpus/ with varied numbers, 1 and 2 workers: goal >= 1.8x
(d) peak memory of the whole batch (the CLI and its workers), 1,000 and 10,000 documents:
    goal flat, under 500 MB

The load average printed with each figure (after the run it describes, so a batch's own
workers count in it) hints at whether other work shared the machine.

Needs psutil (`pip install -e ".[bench]"`)."""
from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "yueqing-2023-manufacturing-plan.txt"
CLI = [sys.executable, str(ROOT / "run_pipeline.py")]
STAGES = ("ingest", "normalise", "segment", "extract", "resolve", "link")


def median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def warm_parse_vs_lcut(repeat: int) -> None:
    sys.path.insert(0, str(ROOT))
    import jieba

    from policyparse import parse

    text = parse(SEED).text  # warm: rules, our tokenizer and the regexes loaded once
    jieba.setLogLevel(60)
    jieba.initialize()
    jieba.lcut(text)
    from policyparse.extractors.text import remembered_bounds

    def fresh_parse():
        # A new document: forget the clauses segmented before (the memo would otherwise make a
        # repeated parse of the same text skip jieba altogether).
        remembered_bounds.cache_clear()
        parse(SEED)

    # Interleaved, one of each in turn: a burst of other work on the machine then slows both
    # alike, and the ratio is the median of the rounds' ratios.
    rounds = []
    for _ in range(repeat):
        rounds.append((median_seconds(fresh_parse, 1), median_seconds(lambda: jieba.lcut(text), 1),
                       median_seconds(lambda: parse(SEED), 1)))
    parse_s, lcut_s, repeat_s = (statistics.median(r[i] for r in rounds) for i in range(3))
    ratio = statistics.median(r[0] / r[1] for r in rounds)
    repeat_ratio = statistics.median(r[2] / r[1] for r in rounds)
    print(f"(a) warm parse of the seed ({len(text):,} characters): {parse_s * 1000:.1f} ms; "
          f"jieba.lcut over the same text: {lcut_s * 1000:.1f} ms; ratio {ratio:.2f}x (goal <= 1.0x; "
          f"median of {repeat} interleaved rounds, from {min(r[0] / r[1] for r in rounds):.2f}x "
          f"to {max(r[0] / r[1] for r in rounds):.2f}x)")
    print(f"    the same text parsed again (its clauses remembered): {repeat_s * 1000:.1f} ms, "
          f"{repeat_ratio:.2f}x")

    segmented = []
    tokenize = jieba.Tokenizer.tokenize

    def counting(self, unicode_sentence, *args, **kwargs):
        segmented.append(len(unicode_sentence))
        return tokenize(self, unicode_sentence, *args, **kwargs)

    jieba.Tokenizer.tokenize = counting  # counts only: the text and the result are untouched
    remembered_bounds.cache_clear()
    parse(SEED)
    jieba.Tokenizer.tokenize = tokenize
    print(f"    a parse hands jieba {sum(segmented):,} characters in {len(segmented)} calls, "
          f"{sum(segmented) / len(text):.2f}x the text one lcut segments")

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(repeat):
        parse(SEED)
    profile.disable()
    stats = pstats.Stats(profile)
    per_stage = {}
    for (filename, _line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():
        module = Path(filename).stem
        if name in STAGES and module in (name, "__init__") and "pipeline" in Path(filename).parts:
            per_stage[name] = cumulative / repeat
    print("    where a warm parse spends its time (cProfile, cumulative per parse; the profiler adds overhead):")
    for stage in STAGES:
        print(f"      {stage:<10} {per_stage.get(stage, 0) * 1000:7.1f} ms")
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:12]
    print("    the functions with the most own time (ms per parse):")
    for (filename, line, name), (_cc, calls, own, cumulative, _callers) in rows:
        where = f"{Path(filename).parent.name}/{Path(filename).name}:{line}" if line else filename
        print(f"      {own / repeat * 1000:7.1f} own {cumulative / repeat * 1000:7.1f} cum "
              f"{calls // repeat:7d} calls  {name}  ({where})")


def cold_start(repeat: int) -> None:
    with tempfile.TemporaryDirectory() as out:
        def cli():
            subprocess.run([*CLI, "parse", str(SEED), "--out", out, "--quiet"], check=True)

        cli_s = median_seconds(cli, repeat)
        python_s = median_seconds(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), repeat)
        import_s = median_seconds(
            lambda: subprocess.run([sys.executable, "-c", "import pipeline.cli"], check=True, cwd=ROOT), repeat)
    print(f"(b) CLI cold start, parse one document: {cli_s:.2f} s (goal <= 2 s); `python -c pass`: {python_s:.3f} s; "
          f"ratio {cli_s / python_s:.0f}x; of which importing the CLI: {import_s:.2f} s")


def parse_loop(count: int, start_at: float) -> None:
    """In a process of its own: warm up, wait for the common start, parse the seed `count` times."""
    sys.path.insert(0, str(ROOT))
    from policyparse import parse

    parse(SEED)
    time.sleep(max(0.0, start_at - time.time()))
    start = time.perf_counter()
    for _ in range(count):
        parse(SEED)
    print(time.perf_counter() - start)


def parse_scaling(count: int) -> float:
    """How much faster two processes that only parse get through the same work as one: the
    ceiling for (c) on this machine at this moment, with no batch code involved."""
    def together(processes: int) -> float:
        start_at = time.time() + 3  # after the imports and the warm-up
        procs = [subprocess.Popen([sys.executable, __file__, "--parse-loop", str(count), str(start_at)],
                                  stdout=subprocess.PIPE, text=True) for _ in range(processes)]
        return max(float(p.communicate()[0]) for p in procs)

    one, two = together(1), together(2)
    return 2 * one / two


def generate(folder: Path, count: int, seed: int = 6) -> list[Path]:
    """`count` plans made from corpus/ with varied numbers: each number keeps its length, a
    year becomes another year, so the corpus spans several plan years."""
    rng = random.Random(seed)
    sources = sorted((ROOT / "corpus").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in sources]

    def number(match: re.Match) -> str:
        digits = match.group()
        if len(digits) == 4 and digits.startswith("20"):
            return str(rng.randint(2019, 2027))
        first = str(rng.randint(1, 9)) if len(digits) > 1 else str(rng.randint(0, 9))
        return first + "".join(str(rng.randint(0, 9)) for _ in digits[1:])

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"plan-{i:05d}.txt"
        path.write_text(re.sub(r"\d+", number, texts[i % len(texts)]), encoding="utf-8")
        paths.append(path)
    return paths


def timed_batch(corpus: Path, out: Path, workers: int, sample: bool = False) -> dict:
    """Run the batch CLI; its wall time, or (with `sample`) the peak memory of the process
    tree, sampled every 0.1 s. Reading a process's memory map takes CPU from the batch, so a
    run is either timed or sampled. RSS counts pages shared between processes once per
    process; PSS splits them fairly."""
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([*CLI, "batch", str(corpus), "--out", str(out), "--workers", str(workers), "--quiet"])
    parent = psutil.Process(proc.pid)
    peak = {"rss": 0, "pss": 0, "parent_rss": 0, "worker_rss": 0}
    while proc.poll() is None:
        if not sample:
            time.sleep(0.1)
            continue
        try:
            processes = [parent, *parent.children(recursive=True)]
            memory = []
            for p in processes:
                try:
                    memory.append(p.memory_full_info())
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    pass
            peak["rss"] = max(peak["rss"], sum(m.rss for m in memory))
            peak["pss"] = max(peak["pss"], sum(m.pss for m in memory))
            peak["parent_rss"] = max(peak["parent_rss"], memory[0].rss if memory else 0)
            peak["worker_rss"] = max([peak["worker_rss"], *(m.rss for m in memory[1:])])
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"batch failed with exit status {proc.returncode}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the CLI and, through it, its workers
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {"seconds": seconds, "cpu": cpu, "load": os.getloadavg()[0], **{k: v / 2**20 for k, v in peak.items()}}


def memory_line(label: str, r: dict) -> str:
    return (f"{label}: peak {r['pss']:.0f} MB PSS / {r['rss']:.0f} MB RSS for the whole tree "
            f"(CLI {r['parent_rss']:.0f} MB, largest worker {r['worker_rss']:.0f} MB RSS)")


def main() -> None:
    if sys.argv[1:2] == ["--parse-loop"]:
        return parse_loop(int(sys.argv[2]), float(sys.argv[3]))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000, help="documents in the generated corpus (default 1000)")
    parser.add_argument("--big", action="store_true", help="also measure memory with 10,000 documents")
    parser.add_argument("--repeat", type=int, default=30, help="repetitions of the in-process timings")
    parser.add_argument("--rounds", type=int, default=2, help="batch runs per worker count; the best is reported")
    parser.add_argument("--only", choices=["a", "b", "c", "d"], nargs="*", help="run only these benchmarks")
    args = parser.parse_args()
    only = set(args.only or "abcd")

    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")),
               platform.processor())
    print(f"machine: {cpu}, {psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}; "
          f"load average {os.getloadavg()[0]:.2f} (other work on the machine skews every figure)")
    if "a" in only:
        warm_parse_vs_lcut(args.repeat)
    if "b" in only:
        cold_start(5)
    if not only & {"c", "d"}:
        return
    with tempfile.TemporaryDirectory(prefix="policyparse-bench-") as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        generate(corpus, args.docs)
        if "c" in only:
            runs = {1: [], 2: []}
            for _ in range(args.rounds):  # interleaved, so a burst of other work hits both alike
                for workers in runs:
                    runs[workers].append(timed_batch(corpus, tmp / f"out-{workers}", workers))
            one, two = (min(runs[w], key=lambda r: r["seconds"]) for w in (1, 2))
            print(f"(c) batch over {args.docs:,} generated documents, best of {args.rounds}: "
                  f"1 worker {one['seconds']:.1f} s ({args.docs / one['seconds']:.1f} doc/s); "
                  f"2 workers {two['seconds']:.1f} s ({args.docs / two['seconds']:.1f} doc/s); "
                  f"speed-up {one['seconds'] / two['seconds']:.2f}x (goal >= 1.8x)")
            for workers, results in runs.items():
                print(f"    {workers} worker(s), every round: " + ", ".join(
                    f"{r['seconds']:.1f} s, {r['cpu'] / args.docs * 1000:.0f} ms CPU per document "
                    f"(load {r['load']:.1f})"
                    for r in results))
            print(f"    the ceiling, measured now: two processes that only parse the seed get through "
                  f"{parse_scaling(150):.2f}x the work of one")
        if "d" in only:
            one, two = (timed_batch(corpus, tmp / f"out-{workers}", workers, sample=True) for workers in (1, 2))
            print("(d) " + memory_line(f"{args.docs:,} documents, 1 worker", one))
            print("    " + memory_line(f"{args.docs:,} documents, 2 workers", two))
            if args.big:
                big = tmp / "corpus-big"
                generate(big, 10_000)
                r = timed_batch(big, tmp / "out-big", 2, sample=True)
                print("    " + memory_line(f"10,000 documents, 2 workers ({r['seconds']:.0f} s)", r))
            print("    goal: flat in the number of documents, under 500 MB")


if __name__ == "__main__":
    main()
