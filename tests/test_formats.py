"""The same notice gives the same dataset whatever file it comes in: the seed as TXT, DOCX
(Word numbering, merged cells), PDF (LibreOffice's rendering: wrapped lines, page numbers, a
table across pages) and HTML (a government site's page). Offsets differ by format; each still
points at its text (test_provenance runs over every rendering)."""
import json
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, QINGTIAN, ROOT, SEED, parsed
from policyparse.ingest import ingest

FORMATS = ["docx", "pdf", "html"]


def targets(doc):
    return [(t.source, t.section_path, t.annex_seq, t.text, t.indicator, t.value_base, t.base_unit, t.comparator,
             t.kind, t.hedged) for t in doc.targets]


def annex_rows(doc):
    return [(r.seq, r.measure, r.measure_filled, r.task, r.units_raw) for r in doc.annex_rows]


def responsibilities(doc):
    return [(r.scope, r.section_path, r.annex_seq, r.unit, r.role, r.position, r.raw, r.open_list)
            for r in doc.responsibilities]


def lines(text):
    return [line.strip() for line in text.split("\n") if line.strip()]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_seed_gives_the_same_targets_annex_and_responsibilities_in_every_format(fmt, seed_doc):
    doc = parsed(FIXTURES / f"{SEED.stem}.{fmt}")
    assert doc.format == fmt
    assert targets(doc) == targets(seed_doc)
    assert annex_rows(doc) == annex_rows(seed_doc)
    assert responsibilities(doc) == responsibilities(seed_doc)
    assert [(s.path, s.title) for s in doc.sections] == [(s.path, s.title) for s in seed_doc.sections]


@pytest.mark.parametrize("source", [SEED, QINGTIAN], ids=lambda p: p.stem)
def test_every_format_lays_the_text_out_line_for_line_as_the_txt(source):
    """Paragraphs one per line (Word numbering drawn back in, PDF wraps joined, HTML source
    breaks dropped), the annex one cell per tab-indented line: only blank lines differ."""
    expected = lines(parsed(source).text)
    for fmt in FORMATS:
        assert lines(parsed(FIXTURES / f"{source.stem}.{fmt}").text) == expected, fmt


def test_offsets_differ_by_format_and_each_points_at_its_own_text(seed_doc):
    docs = [seed_doc] + [parsed(FIXTURES / f"{SEED.stem}.{fmt}") for fmt in FORMATS]
    last = [doc.targets[-1] for doc in docs]
    assert len({t.start for t in last}) > 1, "the formats lay the text out differently"
    for doc, t in zip(docs, last):
        assert doc.text[t.start:t.end] == t.text == last[0].text


def test_only_pdf_targets_carry_a_page(seed_doc):
    assert all(t.page is None and t.bbox is None for t in seed_doc.targets)
    assert all(t.page is None for t in parsed(FIXTURES / f"{SEED.stem}.docx").targets)
    pdf = parsed(FIXTURES / f"{SEED.stem}.pdf")
    assert pdf.pages and all(1 <= t.page <= pdf.pages for t in pdf.targets)
    pages = [t.page for t in pdf.targets]
    assert pages == sorted(pages), "targets come in reading order"


def test_an_annex_table_with_real_world_quirks_reads_the_same_from_word_pdf_and_html():
    """A row spanning every column, line breaks inside cells (kept: the author made them; the
    PDF's wrapped lines are joined), 主要举措 merged down across a page, no header repeated."""
    tables = {}
    for fmt in FORMATS:
        raw = ingest(FIXTURES / f"annex-table-quirks.{fmt}")
        assert len(raw.tables) == 1, fmt
        tables[fmt] = [[raw.text[s:e] for s, e in row] for row in raw.tables[0].rows]
    assert tables["pdf"] == tables["docx"] == tables["html"]
    rows = tables["docx"]
    assert rows[1] == ["一、产业提档", "", "", ""]
    assert rows[3][3] == "市经信局\n市发改局"
    assert rows[4][2] == "全力竞逐新能源赛道，推动产业换道超车。\n力争实现新能源产业规上产值550亿元。"
    assert [row[1] for row in rows[2:12]] == ["打造现代化产业体系", "聚力产业提档促升级"] + [""] * 7 + ["聚力产业提档促升级"]


def test_unreadable_files_of_every_format_get_one_line_each_and_the_batch_goes_on(tmp_path):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    shutil.copy(FIXTURES / "qingtian-locked.pdf", bad / "locked.pdf")
    (bad / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, str(ROOT / "run_pipeline.py"), "parse", str(bad / "broken.docx"),
                             str(FIXTURES / f"{QINGTIAN.stem}.pdf"), str(bad / "locked.pdf"), str(bad / "scan.pdf"),
                             "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"policyparse: error: {bad / 'broken.docx'}: damaged DOCX file (truncated or corrupt zip)",
        f"policyparse: error: {bad / 'locked.pdf'}: encrypted PDF (a password is needed to open it)",
        f"policyparse: error: {bad / 'scan.pdf'}: damaged PDF (No /Root object! - Is this really a PDF?)",
    ]
    data = json.loads((out / f"{QINGTIAN.stem}.json").read_text(encoding="utf-8"))
    assert data["document"]["pages"] == 3 and data["document"]["encoding"] is None
    assert all(t["page"] and len(t["bbox"]) == 4 for t in data["targets"])
    header = (out / "targets.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.endswith(",indicator_start,indicator_end,page")


GUANGZHOU = FIXTURES / "guangzhou-2026-digital-economy.txt"


def structure(doc):
    header = doc.header
    return {
        "header": (header.title.value, header.notice_title.value, [f.value for f in header.issuers],
                   header.doc_number.value, header.date.value, [f.value for f in header.recipients]),
        "sections": [(s.path, s.level, s.title) for s in doc.sections],
        "annexes": [(a.label, a.title, [(t.kind, t.columns, [[c.text for c in row] for row in t.header_rows],
                                         [[c.text for c in row] for row in t.rows]) for t in a.tables])
                    for a in doc.annexes],
        "annex_rows": annex_rows(doc),
        "responsibilities": responsibilities(doc),
        "targets": targets(doc),
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_plan_with_two_annexes_reads_the_same_in_every_format(fmt):
    """A Guangzhou district's plan: a task table (牵头单位 / 配合单位 / 完成时限, 重点工作 merged over
    rows) in 附件1 and an indicator table in 附件2, its title on the 附件 line; the web page is a
    portal's, with its chrome, a metadata block and a hidden copy of the article; the PDF is
    Chromium's print of it."""
    txt = parsed(GUANGZHOU)
    doc = parsed(GUANGZHOU.with_suffix(f".{fmt}"))
    assert len(txt.annexes) == 2 and doc.format == fmt
    got, expected = structure(doc), structure(txt)
    assert {name: got[name] for name in got if got[name] != expected[name]} == {}
