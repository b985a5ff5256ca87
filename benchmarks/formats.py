"""Per-format timings of ingest (the backend alone) and parse (every stage), beside the
reference cost of reading the same PDF with pdfplumber's own `page.extract_text()`, all
measured in one run so the ratios hold on whatever machine runs it.

    python benchmarks/formats.py [--repeat 5]

For each rendering of the seed and the Qingtian notice (tests/fixtures/): the median of
`--repeat` runs. DOCX and PDF are also given per page: the PDF is LibreOffice's rendering of
the DOCX, so both count the PDF's pages. Ratios are ours / pdfplumber's extract_text.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout, not an installed copy

import pdfplumber  # noqa: E402

from policyparse import parse  # noqa: E402
from policyparse.ingest import ingest  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
DOCUMENTS = {
    "yueqing-2023-manufacturing-plan": ROOT / "corpus" / "yueqing-2023-manufacturing-plan.txt",
    "qingtian-2024-digital-economy": FIXTURES / "qingtian-2024-digital-economy.txt",
}


def median_seconds(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def extract_text(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; the median is reported")
    args = parser.parse_args()
    parse(DOCUMENTS["qingtian-2024-digital-economy"])  # rules and the jieba dictionary load once, not timed
    print(f"{'document':34} {'format':6} {'pages':>5} {'ingest ms':>10} {'parse ms':>9} {'ingest/page':>11} "
          f"{'x extract_text':>14}")
    for stem, txt in DOCUMENTS.items():
        pdf_path = FIXTURES / f"{stem}.pdf"
        with pdfplumber.open(pdf_path) as pdf:
            pages = len(pdf.pages)
        reference = median_seconds(lambda pdf_path=pdf_path: extract_text(pdf_path), args.repeat)
        print(f"{stem:34} {'ref':6} {pages:5} {reference * 1000:10.1f} {'':>9} {reference / pages * 1000:9.1f}ms "
              f"{'1.00':>14}   (pdfplumber extract_text)")
        for fmt, path in [("txt", txt)] + [(f, FIXTURES / f"{stem}.{f}") for f in ("docx", "pdf", "html")]:
            read = median_seconds(lambda path=path: ingest(path), args.repeat)
            whole = median_seconds(lambda path=path: parse(path), args.repeat)
            paged = fmt in ("docx", "pdf")
            per_page = f"{read / pages * 1000:9.1f}ms" if paged else ""
            print(f"{stem:34} {fmt:6} {pages if paged else '':>5} {read * 1000:10.1f} {whole * 1000:9.1f} "
                  f"{per_page:>11} {read / reference:14.2f}")


if __name__ == "__main__":
    main()
