"""The review pages in a real browser: headless Chromium, started here, loads each page from a
file:// URL. Every target has a highlight the reader can see (a box with the kind's colour over
exactly its text), every in-page link lands, nothing is fetched from anywhere, and each diff
change has its row. Screenshots go to artifacts/ (CI keeps that folder).

Without a browser the test is skipped, except under CI, where .ci/run installs Debian's
chromium and a missing browser is a failure."""
import os
from pathlib import Path

import pytest
from chromium import Chromium, find

from conftest import ROOT
from policyparse import parse
from policyparse.diff import diff
from policyparse.emit_report import write_diff_html, write_report

ARTIFACTS = ROOT / "artifacts"
VARIANT = ROOT / "tests" / "diff" / "yueqing-2024-variant.txt"

# What the page shows, read in the browser after layout.
INSPECT = """(() => {
  const highlights = {};
  for (const a of document.querySelectorAll('#text .doc a.t')) {
    const box = a.getBoundingClientRect();
    for (const id of a.dataset.t.split(' ')) {
      (highlights[id] ||= []).push({text: a.textContent, width: box.width, height: box.height,
                                    background: getComputedStyle(a).backgroundColor, href: a.getAttribute('href')});
    }
  }
  const ids = new Set([...document.querySelectorAll('[id]')].map(e => e.id));
  return {
    records: [...document.querySelectorAll('#targets tbody tr')].map(tr => tr.id),
    highlights,
    broken: [...document.querySelectorAll('a[href^="#"]')].map(a => decodeURIComponent(a.getAttribute('href').slice(1)))
              .filter(id => !ids.has(id)),
    fetched: performance.getEntriesByType('resource').map(r => r.name),
    chartBars: document.querySelectorAll('svg.chart rect[fill] title').length,
  };
})()"""


@pytest.fixture(scope="module")
def browser():
    binary = find()
    if binary is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("no Chromium under CI: .ci/run should have installed Debian's chromium package")
        pytest.skip("no Chromium or Chrome binary on this machine (apt-get install chromium, or set CHROMIUM); "
                    "CI installs it and runs this test")
    chromium = Chromium(binary)
    yield chromium
    chromium.close()


def _shoot(browser: Chromium, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(browser.screenshot())
    return path


def test_every_target_is_highlighted_in_the_browser(browser, seed_doc, tmp_path):
    page = write_report(tmp_path, seed_doc)
    browser.open(page.as_uri())
    seen = browser.evaluate(INSPECT)
    text = seed_doc.text
    assert seen["records"] == [t.target_id for t in seed_doc.targets]
    for t in seed_doc.targets:
        pieces = seen["highlights"].get(t.target_id)
        assert pieces, f"{t.target_id} has no highlight"
        assert "".join(p["text"] for p in pieces) == text[t.start:t.end], t.target_id
        assert all(p["width"] > 0 and p["height"] > 0 for p in pieces), t.target_id
        assert all(p["background"] not in ("rgba(0, 0, 0, 0)", "transparent") for p in pieces), t.target_id
        assert any(p["href"] == f"#{t.target_id}" for p in pieces), t.target_id
    assert seen["broken"] == []
    assert seen["fetched"] == []
    assert seen["chartBars"] > 0
    # The picture a reviewer gets: the text at the first target, the chart and records beside it.
    browser.evaluate("document.getElementById('hl-T0001').scrollIntoView({block: 'center'})")
    shot = _shoot(browser, f"report-{seed_doc.doc_id}.png")
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_the_diff_page_in_the_browser(browser, seed_doc, tmp_path):
    record = diff(seed_doc, parse(VARIANT)).to_dict()
    browser.open(write_diff_html(tmp_path, record).as_uri())
    rows = browser.evaluate("document.querySelectorAll('table.diff tbody tr').length")
    fetched = browser.evaluate("performance.getEntriesByType('resource').length")
    assert rows == len(record["changes"]) and fetched == 0
    assert _shoot(browser, "diff.png").read_bytes().startswith(b"\x89PNG")
