"""The PDF backend: page furniture removed, each target placed on its page, and one clear
reason for each PDF that cannot be read (encrypted, damaged, scanned, fonts without Unicode),
with the work bounded."""
import pdfplumber
import pytest
from make_bad import pdf, stream

from conftest import FIXTURES, QINGTIAN, SEED, parsed
from policyparse import InputError
from policyparse.ingest import ingest
from policyparse.ingest import pdf as pdf_backend
from policyparse.provenance import locate

SEED_PDF = FIXTURES / f"{SEED.stem}.pdf"
QINGTIAN_PDF = FIXTURES / f"{QINGTIAN.stem}.pdf"


def test_page_numbers_and_running_headers_are_not_in_the_text():
    seed = parsed(SEED_PDF)
    assert seed.pages == len(pdfplumber.open(SEED_PDF).pages) > 20
    assert "— 2 —" not in seed.text and "— 1" not in seed.text
    with pdfplumber.open(QINGTIAN_PDF) as pdf:
        on_every_page = [p.extract_text().splitlines()[0] for p in pdf.pages]
    assert set(on_every_page) == {"青政办发〔2024〕12号"}
    assert parsed(QINGTIAN_PDF).text.count("青政办发〔2024〕12号") == 1, "only the 文号 under the issuer stays"


def test_each_target_is_placed_on_the_page_and_in_the_box_where_it_is_printed():
    doc = parsed(SEED_PDF)
    spans = ingest(SEED_PDF).provenance  # the PDF text needs no normalising: offsets are the same
    starts = [s.start for s in spans]
    one_page = 0
    with pdfplumber.open(SEED_PDF) as pdf:
        for t in doc.targets:
            x0, top, x1, bottom = t.bbox
            assert x0 < x1 and top < bottom
            printed = pdf.pages[t.page - 1].within_bbox((x0 - 1, top - 1, x1 + 1, bottom + 1)).extract_text()
            printed = printed.replace(" ", "").replace("\n", "")
            assert t.text[:3] in printed, (t.target_id, t.text, printed)
            if locate(spans, starts, t.end - 1, t.end)[0] == t.page:  # else the box ends with the page
                assert t.text[-3:] in printed, (t.target_id, t.text, printed)
                one_page += 1
    assert one_page > 0.9 * len(doc.targets)


def test_a_pdf_with_only_a_permissions_password_is_read():
    doc = parsed(FIXTURES / "qingtian-restricted.pdf")
    assert [(t.text, t.value_base) for t in doc.targets] == [(t.text, t.value_base) for t in parsed(QINGTIAN_PDF).targets]


def one_page_pdf(content: bytes, resources: bytes, *objects: bytes) -> bytes:
    """A PDF of one A4 page; `objects` are numbered from 5 on."""
    return pdf([content], resources, objects)


TO_UNICODE = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
4 beginbfchar <0001> <2F45> <0002> <6CD5> <0003> <0031> <0004> <5BB6> endbfchar
endcmap CMapName currentdict /CMap defineresource pop end end"""


def chinese_font_pdf(to_unicode: bool) -> bytes:
    """Four characters in a CID font; with a ToUnicode map that, as some producers do, maps the
    first to the Kangxi radical ⽅ (U+2F45) instead of 方; without one, nothing says what they are."""
    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R]"
            + (b" /ToUnicode 7 0 R" if to_unicode else b"") + b" >>")
    cid_font = (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /DW 1000 /CIDSystemInfo "
                b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>")
    return one_page_pdf(b"BT /F1 16 Tf 72 700 Td <0001000200030004> Tj ET", b"<< /Font << /F1 5 0 R >> >>",
                        font, cid_font, stream(TO_UNICODE))


def test_kangxi_radicals_are_read_as_the_characters_they_stand_for(tmp_path):
    (tmp_path / "plan.pdf").write_bytes(chinese_font_pdf(to_unicode=True))
    raw = ingest(tmp_path / "plan.pdf")
    assert raw.text == "方法1家\n"
    assert raw.provenance[0].page == 1 and len(raw.provenance[0].xs) == 5


def refused(tmp_path, data: bytes) -> str:
    (tmp_path / "plan.pdf").write_bytes(data)
    with pytest.raises(InputError) as info:
        ingest(tmp_path / "plan.pdf")
    return info.value.reason


def test_unreadable_pdfs_each_get_their_reason(tmp_path):
    assert refused(tmp_path, (FIXTURES / "qingtian-locked.pdf").read_bytes()) == \
        "encrypted PDF (a password is needed to open it)"
    seed = SEED_PDF.read_bytes()
    assert refused(tmp_path, seed[: len(seed) // 2]).startswith("damaged PDF (")
    assert refused(tmp_path, b"%PDF-1.7\n" + bytes(range(256)) * 8).startswith("damaged PDF (")
    assert refused(tmp_path, b"<html>not a pdf</html>") == "not a PDF file (no %PDF header)"
    scan = one_page_pdf(b"q 500 0 0 700 48 70 cm /Im1 Do Q", b"<< /XObject << /Im1 5 0 R >> >>",
                        stream(b"\x00\xff\xff\x00", b"/Type /XObject /Subtype /Image /Width 2 /Height 2 "
                                                    b"/ColorSpace /DeviceGray /BitsPerComponent 8"))
    assert refused(tmp_path, scan).startswith("image-only PDF (scanned pages without a text layer)")
    assert "no Unicode mapping" in refused(tmp_path, chinese_font_pdf(to_unicode=False))


def test_work_is_bounded_by_pages_and_time(tmp_path, monkeypatch):
    data = QINGTIAN_PDF.read_bytes()
    with pytest.raises(InputError) as info:
        ingest(QINGTIAN_PDF, max_pages=2)
    assert info.value.reason == "too many pages (3; the limit is 2, see --max-pages)"
    monkeypatch.setattr(pdf_backend, "MAX_SECONDS", -1.0)
    assert refused(tmp_path, data).startswith("gave up after")


def test_a_heading_at_the_top_of_a_page_is_not_joined_to_the_full_line_that_ended_the_page_before():
    from policyparse.ingest.pdf import Frame, Line, _continues

    frame = Frame(left=90.0, right=505.0, bottom=760.0, pitch=28.0)
    full = Line("推进产业集群建设，培育龙头企业，完善上下游配套，带动中小企业协同发展，形成", [90.0 + 16 * k for k in range(27)],
                740.0, 756.0, 16.0, 3)
    full.xs[-1] = 505.0  # the line fills the page to its right margin
    heading = Line("（三）强化数字赋能。推动企业上云用数赋智。", [90.0 + 16 * k for k in range(23)], 90.0, 106.0, 16.0, 4)
    wrapped = Line("完善的产业生态。", [90.0 + 16 * k for k in range(9)], 90.0, 106.0, 16.0, 4)
    assert _continues(full, wrapped, frame, frame), "the rest of a paragraph goes on at the top of the next page"
    assert not _continues(full, heading, frame, frame)
