"""The HTML backend: the article of a government site's page (not its navigation, info bar or
footer), its encoding, white space as a browser shows it, and tables with rowspan/colspan."""
from conftest import FIXTURES, SEED, parsed
from policyparse.ingest import ingest


def write(tmp_path, html: str, encoding: str = "utf-8"):
    path = tmp_path / "page.html"
    path.write_bytes(html.encode(encoding))
    return path


def test_the_article_and_nothing_around_it():
    doc = parsed(FIXTURES / f"{SEED.stem}.html")
    assert doc.encoding == "gb18030", "declared gb2312, read as its superset as browsers do"
    for chrome in ("当前位置", "首页", "索引号", "发布时间", "相关附件", "分享到", "主办单位", "网站标识码", "统计"):
        assert chrome not in doc.text, chrome
    assert doc.text.startswith("乐清市人民政府\n")


NEWS_PAGE = """<html><head><meta charset="gbk"><title>政府信息公开</title></head><body>
<div class="head"><a href="/">首页</a><a href="/a">机构概况</a><a href="/b">政策文件</a><a href="/c">政务公开</a></div>
<div class="main"><div class="left"><ul><li><a href="/1">关于印发某某方案的通知</a></li>
<li><a href="/2">关于做好某某工作的通知</a></li></ul></div>
<div class="right"><h2>2024年某县工业发展实施方案</h2>
<p>　　一、主要目标</p>
<p>　　新增规上工业企业
  10家，其中高新技术企业5家以上。</p>
<table><tr><td>序号</td><td colspan="2">任务</td></tr>
<tr><td rowspan="2">1</td><td>新建</td><td>基站300个</td></tr><tr><td>改建</td><td>基站50个</td></tr></table>
</div></div>
<div class="foot">版权所有：某县人民政府办公室　技术支持：某某科技</div></body></html>"""


def test_a_page_without_a_known_article_container_gives_where_its_text_is(tmp_path):
    raw = ingest(write(tmp_path, NEWS_PAGE, "gbk"))
    assert raw.encoding == "gb18030"
    assert raw.text.splitlines()[:3] == ["2024年某县工业发展实施方案", "一、主要目标", "新增规上工业企业10家，其中高新技术企业5家以上。"]
    assert "首页" not in raw.text and "关于做好" not in raw.text and "版权所有" not in raw.text
    rows = [[raw.text[s:e] for s, e in row] for row in raw.tables[0].rows]
    assert rows == [["序号", "任务", ""], ["1", "新建", "基站300个"], ["", "改建", "基站50个"]]


def test_a_page_that_declares_no_charset_is_decoded_like_a_text_file(tmp_path):
    raw = ingest(write(tmp_path, "<html><body><p>新增企业10家。</p><p>实施项目<br>30项。</p></body></html>", "gb18030"))
    assert (raw.encoding, raw.text) == ("gb18030", "新增企业10家。\n实施项目\n30项。\n")


def test_the_named_container_that_holds_the_article_wins_over_a_font_size_switch_of_the_same_name(tmp_path):
    page = ('<html><body><div>字号：<span class="zoom"><a href="#">大</a><a href="#">中</a><a href="#">小</a></span></div>'
            '<div id="zoom"><div class="TRS_Editor"><p>新增企业10家。</p></div></div></body></html>')
    assert ingest(write(tmp_path, page)).text == "新增企业10家。\n"


def test_a_page_nested_too_deep_to_read_to_its_end_is_refused_never_cut_short(tmp_path):
    # Issue 16: 300 nested <div>s in the middle of a page left the text after them out, exit 0.
    import pytest

    from policyparse.errors import InputError

    def page(depth: int) -> str:
        return ("<html><body><p>一、主要目标</p><p>新增规上工业企业10家。</p>" + "<div>" * depth + "深处的文字"
                + "</div>" * depth + "<p>二、保障措施</p><p>新建基站300个。</p></body></html>")

    assert "二、保障措施" in ingest(write(tmp_path, page(250))).text
    with pytest.raises(InputError, match=r"refused: the HTML reader stops at line 1, column \d+ \(Excessive depth in "
                                         r"document: 256\), and the rest of the page would be lost"):
        ingest(write(tmp_path, page(300)))


def test_a_word_document_saved_as_a_web_page_keeps_every_section(tmp_path):
    # gz_18: the text in WordSection1, the annex's forms in WordSection2 and 3; the first holds most
    # of the page's text, but the article is all of them.
    body = "</p><p>".join(["为规范就业见习基地管理，制定本办法。" * 3] * 4)
    page = write(tmp_path, "<html><body><div class='nav'><a href='/'>首页</a></div><div class='info_cont'>"
                           f"<div style='page: WordSection1'><p>某市就业见习基地管理办法</p><p>一、总则</p><p>{body}</p>"
                           "<p>附件</p><p>附表1</p></div>"
                           "<div style='page: WordSection2'><p>就业见习基地申请表</p><table><tr><td>单位名称</td><td></td>"
                           "</tr></table></div><div style='page: WordSection3'><p>附表2</p><p>见习岗位需求信息表</p>"
                           "</div></div><div class='footer'>版权所有</div></body></html>")
    text = ingest(page).text
    assert "就业见习基地申请表" in text and "见习岗位需求信息表" in text
    assert "首页" not in text and "版权所有" not in text


def test_the_guangzhou_portal_article_container_is_found_under_much_more_chrome(tmp_path):
    # gz_30: a short article in div.content_article#zoomcon, the portal's menus holding more text.
    chrome = "<li><span>政务公开政务服务互动交流政策发布魅力广州</span></li>" * 40
    page = write(tmp_path, f"<html><head><title>两项补贴发放标准</title></head><body><ul>{chrome}</ul>"
                           "<div class='content_article' id='zoomcon'><p>一、2025年发放情况</p>"
                           "<p>全市困难残疾人生活补贴标准为每人每月209元。</p></div><div>版权所有</div></body></html>")
    text = ingest(page).text
    assert "一、2025年发放情况" in text and "政务服务" not in text and "版权所有" not in text
