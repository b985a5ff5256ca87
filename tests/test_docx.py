"""The DOCX backend on small Word files built here: automatic numbering drawn back into the
text, merged cells as in the TXT annex, what Word shows and what it does not, bad packages."""
import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from policyparse import InputError, parse
from policyparse.ingest import docx as docx_backend
from policyparse.ingest import ingest
from policyparse.ingest.numbering import format_number

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def fragment(xml: str):
    return list(etree.fromstring(f"<w:root {W}>{xml}</w:root>"))


def make_docx(path, body: str, numbering: str = "", styles: str = "", header: str = "") -> None:
    document = docx.Document()
    sect_pr = document.element.body.find(qn("w:sectPr"))
    for child in list(document.element.body):
        if child is not sect_pr:
            document.element.body.remove(child)
    for child in fragment(body):
        sect_pr.addprevious(child)
    if numbering:
        element = document.part.numbering_part.element
        for child in list(element):
            element.remove(child)
        for child in fragment(numbering):
            element.append(child)
    for child in fragment(styles):
        document.styles.element.append(child)
    if header:
        document.sections[0].header.paragraphs[0].text = header
        document.sections[0].footer.paragraphs[0].text = "— 1 —"
    document.save(path)


def p(text: str = "", num: tuple[int, int] | None = None, style: str | None = None, runs: str | None = None) -> str:
    props = ""
    if style:
        props += f'<w:pStyle w:val="{style}"/>'
    if num:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    content = runs if runs is not None else f"<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>"
    return f"<w:p><w:pPr>{props}</w:pPr>{content}</w:p>"


def lvl(ilvl: int, fmt: str, text: str, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{extra}'
            f'<w:suff w:val="space"/><w:lvlText w:val="{text}"/></w:lvl>')


# 一、 / （一） / 1．, the third level restarting only after the first (w:lvlRestart 1), so the
# measures run on across （一）（二） as in the seed notice.
HEADINGS = ('<w:abstractNum w:abstractNumId="7">' + lvl(0, "chineseCounting", "%1、")
            + lvl(1, "chineseCounting", "（%2）") + lvl(2, "decimal", "%3．", '<w:lvlRestart w:val="1"/>')
            + '</w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>')


def test_word_numbering_is_drawn_back_and_gives_the_heading_hierarchy(tmp_path):
    body = "".join([
        p("2024年某县工业发展实施方案"),
        p("主要目标", (3, 0)), p("新增企业10家。"),
        p("重点任务", (3, 0)), p("做强产业", (3, 1)), p("培育企业。新增企业5家。", (3, 2)), p("建设园区", (3, 2)),
        p("优化服务", (3, 1)), p("提升服务", (3, 2)),
        p("保障措施", (3, 0)), p("强化要素", (3, 1)), p("落实资金", (3, 2)),
    ])
    make_docx(tmp_path / "plan.docx", body, HEADINGS)
    doc = parse(tmp_path / "plan.docx")
    assert doc.text.splitlines()[1:4] == ["一、主要目标", "新增企业10家。", "二、重点任务"]
    assert [s.path for s in doc.sections] == [
        "一", "二", "二/（一）", "二/（一）/1", "二/（一）/2", "二/（二）", "二/（二）/3", "三", "三/（一）", "三/（一）/1"]
    assert [t.section_path for t in doc.targets] == ["一", "二/（一）/1"]


def test_numbering_through_the_style_chain_a_restarted_list_and_a_paragraph_that_opts_out(tmp_path):
    styles = ('<w:style w:type="paragraph" w:styleId="Plan1"><w:name w:val="plan 1"/>'
              '<w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>'
              '<w:style w:type="paragraph" w:styleId="Plan1Red"><w:name w:val="plan 1 red"/>'
              '<w:basedOn w:val="Plan1"/></w:style>')
    numbering = HEADINGS + ('<w:num w:numId="4"><w:abstractNumId w:val="7"/>'
                            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>')
    body = "".join([p("总体要求", style="Plan1"), p("主要举措", style="Plan1Red"), p("不编号", (0, 0), style="Plan1"),
                    p("工作保障", (4, 0)), p("组织领导", (4, 0))])
    make_docx(tmp_path / "plan.docx", body, numbering, styles)
    assert ingest(tmp_path / "plan.docx").text.splitlines() == [
        "一、总体要求", "二、主要举措", "不编号", "五、工作保障", "六、组织领导"]


@pytest.mark.parametrize("n, fmt, expected", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (20, "chineseCounting", "二十"), (105, "chineseCountingThousand", "一百零五"), (110, "chineseCounting", "一百一十"),
    (3, "chineseLegalSimplified", "叁"), (1, "ideographTraditional", "甲"), (12, "decimalFullWidth", "１２"),
    (2, "decimalEnclosedCircle", "②"), (4, "upperRoman", "IV"), (27, "lowerLetter", "aa"), (7, "decimal", "7"),
])
def test_number_formats_as_word_draws_them(n, fmt, expected):
    assert format_number(n, fmt) == expected


def tc(text: str = "", props: str = "", paragraphs: list[str] | None = None) -> str:
    content = "".join(paragraphs) if paragraphs is not None else p(text)
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def tr(*cells: str, props: str = "") -> str:
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>"


HEADER_ROW = (tc("序号"), tc("主要举措"), tc("重点任务"), tc("责任单位"))


def test_merged_cells_line_breaks_and_repeated_header_rows(tmp_path):
    restart, cont = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    table = "<w:tbl>" + "".join([
        tr(*HEADER_ROW, props="<w:tblHeader/>"),
        tr(tc("1"), tc("做强产业", restart), tc("新增企业5家。"), tc("县经信局")),
        tr(tc("2"), tc("做强产业", cont), tc(paragraphs=[p(runs="<w:r><w:t>新建基站300个。</w:t><w:br/>"
                                                          "<w:t>累计1200个。</w:t></w:r>")]),
           tc(paragraphs=[p("县经信局*"), p("县科技局")])),
        tr(*HEADER_ROW),  # the header typed again where a page broke
        tr(tc("3"), tc("说明：各地结合实际推进", '<w:gridSpan w:val="2"/>'), tc("县发改局")),
        tr(tc("建设园区1个。"), tc("县商务局"), props='<w:gridBefore w:val="2"/>'),
    ]) + "</w:tbl>"
    make_docx(tmp_path / "annex.docx", p("附件") + p("任务表") + table + p("抄送：县委办。"))
    raw = ingest(tmp_path / "annex.docx")
    rows = [[raw.text[s:e] for s, e in row] for row in raw.tables[0].rows]
    assert rows == [
        ["序号", "主要举措", "重点任务", "责任单位"],
        ["1", "做强产业", "新增企业5家。", "县经信局"],
        ["2", "", "新建基站300个。\n累计1200个。", "县经信局*\n县科技局"],
        ["3", "说明：各地结合实际推进", "", "县发改局"],
        ["", "", "建设园区1个。", "县商务局"],
    ]
    assert "\t做强产业\n\t新增企业5家。\n" in raw.text, "cells laid out one per tab-indented line"


def test_only_what_word_shows_in_the_body_is_read(tmp_path):
    runs = ('<w:r><w:t>新增企业</w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>8</w:delText></w:r></w:del>'
            '<w:ins w:id="2" w:author="a"><w:r><w:t>10</w:t></w:r></w:ins>'
            '<w:r><w:rPr><w:vanish/></w:rPr><w:t>（隐藏批注）</w:t></w:r>'
            '<w:hyperlink><w:r><w:t>家</w:t></w:r></w:hyperlink><w:r><w:t>。</w:t></w:r>')
    body = (p("2024年某县工业发展实施方案") + p(runs=runs)
            + '<w:sdt><w:sdtPr/><w:sdtContent>' + p("内容控件里的段落。") + '</w:sdtContent></w:sdt>')
    make_docx(tmp_path / "plan.docx", body, header="某政办发〔2024〕1号")
    text = ingest(tmp_path / "plan.docx").text
    assert text.splitlines() == ["2024年某县工业发展实施方案", "新增企业10家。", "内容控件里的段落。"]


def docx_bytes(tmp_path) -> bytes:
    make_docx(tmp_path / "ok.docx", p("新增企业10家。"))
    return (tmp_path / "ok.docx").read_bytes()


def refused(tmp_path, name: str, data: bytes) -> str:
    (tmp_path / name).write_bytes(data)
    with pytest.raises(InputError) as info:
        ingest(tmp_path / name)
    return info.value.reason


def test_bad_packages_each_get_their_reason(tmp_path, monkeypatch):
    good = docx_bytes(tmp_path)
    assert refused(tmp_path, "a.docx", b"%PDF-1.7 not a zip") == "not a DOCX file (bad zip header)"
    assert refused(tmp_path, "b.docx", good[: len(good) // 2]) == "damaged DOCX file (truncated or corrupt zip)"
    ole = docx_backend.OLE2_MAGIC + bytes(512)
    assert "legacy binary Office file" in refused(tmp_path, "c.docx", ole)
    assert "encrypted DOCX" in refused(tmp_path, "d.docx", ole + "EncryptedPackage".encode("utf-16-le"))
    sheet = io.BytesIO()
    with zipfile.ZipFile(sheet, "w") as z, zipfile.ZipFile(io.BytesIO(good)) as src:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"spreadsheetml.sheet.main+xml")
            z.writestr(item, data)
    assert refused(tmp_path, "e.docx", sheet.getvalue()) == "not a Word document (another kind of Office file?)"
    monkeypatch.setattr(docx_backend, "MAX_UNCOMPRESSED_BYTES", 10_000)
    assert "refused: the zip would unpack to" in refused(tmp_path, "f.docx", good)


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<" * (docx_backend.MAX_UNCOMPRESSED_BYTES + 1))
    assert len(bomb.getvalue()) < 1_000_000
    assert "refused: the zip would unpack to" in refused(tmp_path, "bomb.docx", bomb.getvalue())
