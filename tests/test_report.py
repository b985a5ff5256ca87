"""The review pages as HTML: every target highlighted over exactly its own text and linked to
its record, the text whole and escaped, every in-page link landing somewhere, nothing loaded
from elsewhere, the same bytes every time. (test_browser.py opens them in Chromium.)"""
import re
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

import pytest

from conftest import ROOT
from policyparse import parse
from policyparse.diff import diff
from policyparse.model import Comparator, Document, Header, Kind, Responsibility, Role, Scope, Source, Target
from policyparse.report import diff_page, document_page, index_page, inline_diff, summary, target_leads

VARIANT = ROOT / "tests" / "diff" / "yueqing-2024-variant.txt"


class Page(HTMLParser):
    """What a reader of the page can reach: the text of the document pane, the text under each
    target highlight, the ids, the links, and anything that would load from elsewhere."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.loads, self.tags = [], [], [], []
        self.highlights: dict[str, list[str]] = {}
        self.doc_text, self._stack, self._in_doc, self._open = [], [], 0, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        self.loads += [a[k] for k in ("src", "srcset", "data") if k in a]
        if tag == "link":
            self.loads.append(a.get("href"))
        self._stack.append(tag)
        if self._in_doc:
            self._in_doc += 1
        elif a.get("class") == "doc":
            self._in_doc = 1
        self._open.append(a.get("data-t", "").split() if tag == "a" and "t" in (a.get("class") or "").split() else [])

    def handle_endtag(self, tag):
        self._stack.pop()
        self._open.pop()
        if self._in_doc:
            self._in_doc -= 1

    def handle_data(self, data):
        if self._in_doc:
            self.doc_text.append(data)
            for ids in self._open:
                for i in ids:
                    self.highlights.setdefault(i, []).append(data)


@pytest.fixture(scope="module")
def seed(seed_doc):
    return seed_doc


@pytest.fixture(scope="module")
def seed_page(seed):
    return document_page(seed)


def test_every_target_is_highlighted_over_its_own_text_and_links_to_its_record(seed, seed_page):
    page = Page(seed_page)
    text = seed.text
    assert seed.targets
    for t in seed.targets:
        assert "".join(page.highlights.get(t.target_id, [])) == text[t.start:t.end], t.target_id
        assert f'hl-{t.target_id}' in page.ids and t.target_id in page.ids
        assert f'#{t.target_id}' in page.links and f'#hl-{t.target_id}' in page.links
    assert set(page.highlights) == {t.target_id for t in seed.targets}


def test_the_document_text_is_whole_and_every_link_lands(seed, seed_page):
    page = Page(seed_page)
    assert "".join(page.doc_text) == seed.text
    assert len(page.ids) == len(set(page.ids))
    assert {link[1:] for link in page.links if link.startswith("#")} <= set(page.ids)
    for f in seed.findings:
        assert f"#at-{f.start}" in page.links


def test_nothing_is_loaded_from_elsewhere(seed_page):
    page = Page(seed_page)
    assert page.loads == [] and "script" not in page.tags
    assert all(link.startswith("#") for link in page.links)
    assert "default-src 'none'" in seed_page
    assert not re.search(r"url\(|@import|https?://", seed_page.split("</style>")[0])


def test_untrusted_text_is_escaped_everywhere(tmp_path):
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>&amp;'
    path = tmp_path / "hostile-2024-plan.txt"
    path.write_text(f"乐清市人民政府\n\n2024年{hostile}行动计划\n\n一、总体要求\n\n{hostile}力争规上工业产值突破2200亿元。"
                    f"（责任单位：市经信局{hostile}）\n", encoding="utf-8")
    doc = parse(path)
    assert doc.targets
    html = document_page(doc)
    page = Page(html)
    assert "script" not in page.tags and "img" not in page.tags and page.loads == []
    assert "".join(page.doc_text) == doc.text
    assert hostile in unescape(html) and hostile not in html


def target(target_id, source="body", section_path=None, annex_seq=None, start=0, end=0, text=""):
    """A target record with only what a test is about; the rest plain."""
    return Target(target_id=target_id, source=Source(source), section_path=section_path, annex_seq=annex_seq,
                  text=text or "x", indicator=None, action=None, value=Decimal(1), value_low=Decimal(1),
                  value_high=Decimal(1), unit="元", value_base=Decimal(1), value_base_high=Decimal(1), base_unit="元",
                  comparator=Comparator(">="), approximate=False, kind=Kind("level"), hedged=False, modality=None,
                  year=None, deadline=None, start=start, end=end, indicator_start=None, indicator_end=None)


def unit(section_path, annex_seq, name, unit_full, role):
    return Responsibility(scope=Scope.ANNEX_ROW if annex_seq else Scope.SECTION, section_path=section_path,
                          annex_seq=annex_seq, unit=name, unit_full=unit_full, role=Role(role), position=1, raw=name,
                          open_list=False, start=0, end=0)


def document(text="", targets=(), responsibilities=()):
    return Document(doc_id="x", source="x.txt", sha256="", format="txt", encoding="utf-8", text=text,
                    header=Header(issuer=None, notice_title=None, title=None, doc_number=None, date=None, year=None,
                                  recipients=(), cc=()),
                    targets=tuple(targets), responsibilities=tuple(responsibilities))


def test_the_lead_unit_of_a_target_is_its_row_s_or_its_nearest_section_note_s():
    doc = document(targets=[target("T1", section_path="二/（一）/1"), target("T2", section_path="三"),
                            target("T3", "annex", annex_seq="4")],
                   responsibilities=[unit("二/（一）", None, "市经信局", "乐清市经济和信息化局", "lead"),
                                     unit("二/（一）", None, "市发改局", "乐清市发展和改革局", "support"),
                                     unit("二", None, "市商务局", None, "lead"),
                                     unit(None, "4", "芙蓉镇", None, "lead")])
    assert target_leads(doc) == {"T1": ["乐清市经济和信息化局"], "T2": [], "T3": ["芙蓉镇"]}


def test_the_chart_counts_each_target_once_per_lead_unit_by_kind(seed, seed_page):
    leads = target_leads(seed)
    chart = seed_page[seed_page.index('<svg class="chart"'):seed_page.index("</svg>")]
    bars = re.findall(r"<title>([^<:]+): (\d+) (\w+)</title></rect>", chart)
    counted: dict[tuple[str, str], int] = {}
    for t in seed.targets:
        for name in leads[t.target_id] or ["(no lead unit)"]:
            counted[(name, t.kind)] = counted.get((name, t.kind), 0) + 1
    assert {(unescape(u), k): int(n) for u, n, k in bars} == counted


def test_the_same_record_gives_the_same_page(seed, seed_page):
    assert document_page(seed) == seed_page


def test_the_index_links_every_report():
    summaries = [{"doc_id": "a-2023", "title": "甲", "issuer": None, "year": 2023, "targets": 1, "annex_rows": 0,
                  "findings": 2}, {"doc_id": "b<2024>", "title": "乙", "issuer": "市政府", "year": None,
                                   "targets": 0, "annex_rows": 0, "findings": 0}]
    page = Page(index_page(summaries))
    assert page.links == ["a-2023.html", "b<2024>.html"]


def test_inline_diff_marks_only_what_changed():
    assert inline_diff("力争规上工业产值突破2200亿元", "力争规上工业产值突破2400亿元") == (
        "力争规上工业产值突破2<del>2</del>00亿元", "力争规上工业产值突破2<ins>4</ins>00亿元")
    assert inline_diff("a<b", "a<b") == ("a&lt;b", "a&lt;b")


def test_the_diff_page_shows_every_change_old_beside_new(seed):
    record = diff(seed, parse(VARIANT)).to_dict()
    html = diff_page(record)
    body = html[html.index("<main"):]
    rows = re.findall(r'<tr><td class="w">', body)
    assert len(rows) == len(record["changes"])
    for kind in {c["change"] for c in record["changes"]}:
        assert f'<section id="{kind}">' in html and f'href="#{kind}"' in html
    renamed = next(c for c in record["changes"] if c["change"] == "measure_renamed")
    old_html, new_html = inline_diff(renamed["old"], renamed["new"])
    assert old_html in html and new_html in html
    assert Page(html).loads == []


def test_a_summary_carries_no_text(seed):
    assert "text" not in str(summary(seed).keys()) and summary(seed)["targets"] == len(seed.targets)


def test_overlapping_targets_each_keep_their_whole_highlight():
    text = "力争规上工业产值突破2200亿元，增长10%。"

    spans = {"T1": (0, 16), "T2": (0, 10), "T3": (12, 20)}
    doc = document(text, targets=[target(i, start=a, end=b, text=text[a:b]) for i, (a, b) in spans.items()])
    page = Page(document_page(doc))
    assert {i: "".join(pieces) for i, pieces in page.highlights.items()} == {
        i: text[a:b] for i, (a, b) in spans.items()}
    assert {f"hl-{i}" for i in spans} <= set(page.ids) and "".join(page.doc_text) == text
