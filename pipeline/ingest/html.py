"""Web pages as government sites publish them: the document only, in the TXT layout.

Parsed with lxml.html (libxml2's HTML parser): it is already installed with python-docx, fast,
forgiving of the broken markup CMS templates produce, and its element tree keeps tables with
rowspan/colspan as they are, so an annex table becomes a table block. trafilatura (with
include_tables) was measured on the 46 Guangzhou and 55 State Council pages of corpus/real: none
of its texts starts with the site's chrome, but it flattens tables (rowspans lost), drops the
article's title, keeps a search box's "搜索", takes 14 ms a page on gz/ and brings five more
packages; this reader finds the article as well on those pages in a few ms, keeping the tables.

- The article is the element named like a CMS article container (TRS_Editor, zoom, ...) that
  holds the most Chinese text; failing that, the deepest element holding most of the page's
  Chinese text outside links, so navigation, link lists and the footer fall away. What the page
  hides (display:none, a hidden copy for another device) is not read.
- The title: the article's own when it prints it; else the page's (its ArticleTitle meta, its
  h1, its <title> without the site's name) is written as the first line. A title the article
  prints over several lines (<br>, one <p> a line) is written as one line.
- The metadata block of gov pages (文号, 发文机关, 成文日期), when it stands outside the article,
  is written under the title as "文号：…" lines: a header source.
- Lines that are the page's chrome inside the article (发布日期 / 来源 / 字体大小 / 打印 / 关闭 /
  分享) are left out.
- Inside the article, block elements and <br> end lines, white space collapses as a browser shows
  it (a source line break beside a Chinese character shows as nothing), and a cell covered by a
  rowspan or colspan is empty, as in a Word table."""
from __future__ import annotations

import re

import lxml.html
from lxml import etree

from policyparse.errors import InputError
from policyparse.ingest import txt
from policyparse.ingest.layout import COVERED, Extracted, LayoutWriter, plain

# id or class names that article containers of the usual government CMSs carry.
ARTICLE_CONTAINERS = {"trs_editor", "zoom", "ucap-content", "custom_unionstyle", "article-content",
                      "pages_content", "xxgk_content", "article_content", "con_text", "wenzhang", "content_article",
                      "zoomcon"}
# Share of the page's non-link Chinese text the fallback container must hold.
ARTICLE_SHARE = 0.7
MAX_SPAN = 200  # a rowspan or colspan beyond this is a markup error, not a table

_DROP = {"script", "style", "noscript", "template", "iframe", "object", "embed", "button", "select", "input",
         "textarea", "svg", "head", "title", "meta", "link"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article",
          "main", "header", "footer", "nav", "aside", "blockquote", "pre", "center", "address", "form", "hr",
          "figure", "figcaption", "caption", "tr", "tbody", "thead", "tfoot"}
# The page's metadata block: the fields the header reads.
_META = re.compile(r"^\s*(?P<key>文\s*号|发文字号|发文机关|发布机关|成文日期)\s*[：:]\s*(?P<value>.*)$")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Lines of the page's chrome that CMS templates put inside the article container.
_CHROME_LINE = re.compile(r"^(?:搜索|用户登录|登录|退出|登录退出|打印|关闭|返回顶部|分享到[：:]?"
                          r"|\d{4}-\d{2}-\d{2}(?: [\d:]+)?"
                          r"|(?:当前位置|您当前的位置|您当前所在的位置|您的位置)\s*[：:].*|【\s*打印\s*】.*|【\s*关闭\s*】.*"
                          r"|(?:发布日期|发布时间|信息来源|文章来源|来源|浏览次数|阅读次数|字体大小|字号)\s*[：:].*"
                          r"|.*字体大小\s*[：:]?\s*【.*】\s*)$")
_SITE_SUFFIX = re.compile(r"\s*(?:[-_|｜—]+\s*[^-_|｜—]*)+$")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030", "x-euc-cn", "euc-cn"}
_SPACES = re.compile(r"[ \t\r\n\f]+")
# A misspelt entity the parser kept as text (&sp; for &nbsp;): a space the page meant, nothing to read.
_ENTITY_LEFT = re.compile(r"&[a-z]{2,6};")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def read(name: str, data: bytes) -> Extracted:
    text, encoding = _decode(name, data)
    parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(name, f"no HTML content ({exc})") from None
    # libxml2 stops reading at one of its limits (elements nested more than 256 deep) and keeps
    # what it read so far: the rest of the page would be lost without a word.
    for error in parser.error_log:
        if error.type_name == "ERR_RESOURCE_LIMIT":
            raise InputError(name, f"refused: the HTML reader stops at line {error.line}, column {error.column} "
                                   f"({error.message.split(',')[0]}), and the rest of the page would be lost")
    article = _article(root)
    flow = [(kind, content) for kind, content in _flow(article)
            if kind == "table" or (content and not _CHROME_LINE.match(content))]
    flow = _titled(flow, *_page_title(root), _meta_lines(root, article))
    writer = LayoutWriter()
    for kind, content in flow:
        if kind == "line":
            writer.paragraph(plain(content))  # an empty one is a blank line
        else:
            writer.table([[COVERED if cell is None else plain(cell) for cell in row] for row in content])
    return writer.result(encoding)


def _page_title(root) -> tuple[str | None, bool]:
    """The page's title for its article, and whether to write it when the article does not print
    it: the ArticleTitle meta or an h1 that is no breadcrumb, yes; <title> without the site's name
    after a dash only joins the article's own title lines (a site may title every page alike)."""
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() == "articletitle" and (meta.get("content") or "").strip():
            return _collapse(meta.get("content")), True
    for h1 in root.iter("h1"):
        if not _hidden(h1):
            heading = _collapse(h1.text_content())
            if _cjk(heading) and "位置" not in heading and ">" not in heading:
                return heading, True
    title = root.findtext(".//title")
    return (_SITE_SUFFIX.sub("", _collapse(title)) or None) if title else None, False


def _meta_lines(root, article) -> list[str]:
    """The metadata block's fields (文号, 发文机关, 成文日期) printed outside the article, as lines."""
    found: dict[str, str] = {}
    for el in root.iter():
        if not isinstance(el.tag, str) or _tag(el) in _DROP or el is article or article in el.iterancestors() \
                or any(a is article for a in el.iterancestors()) or _is_inside(el, article):
            continue
        m = _META.match(_collapse(el.text or ""))
        if not m:
            continue
        value = m.group("value") or _collapse(el.text_content())[len(_collapse(el.text or "")):] \
            or _collapse(el.tail or "")
        if not value.strip():
            sibling = el.getnext()
            value = _collapse(sibling.text_content()) if sibling is not None else ""
        key = re.sub(r"\s+", "", m.group("key"))
        if value.strip():
            found.setdefault(key, value.strip())
    return [f"{key}：{value}" for key, value in found.items()]


def _is_inside(el, article) -> bool:
    return any(a is article for a in el.iterancestors())


def _titled(flow: list, title: str | None, may_write: bool, meta: list[str]) -> list:
    """The article's lines with its title as one line first (the page's title written when the
    article does not print it and `may_write`) and the metadata lines under it."""
    if not title:
        return _lines(meta) + flow
    wanted = _squeeze(title)
    for start in range(min(len(flow), 6)):
        joined = ""
        for end in range(start, min(len(flow), start + 5)):
            if flow[end][0] != "line":
                break
            joined += _squeeze(flow[end][1])
            if joined == wanted:
                merged = ("line", "".join(content for _kind, content in flow[start:end + 1]))
                return flow[:start] + [merged, _BLANK] + _lines(meta) + flow[end + 1:]
            if not wanted.startswith(joined):
                break
    if not may_write or any(wanted in _squeeze(content) for kind, content in flow[:6] if kind == "line"):
        return _lines(meta) + flow
    return [("line", title), _BLANK] + _lines(meta) + flow


# A blank line after the title: it stands alone (the header reads a first line standing alone as the
# title, whatever its punctuation: web pages title news with ！ and ，).
_BLANK = ("line", "")


def _lines(meta: list[str]) -> list:
    return [("line", line) for line in meta] + ([_BLANK] if meta else [])


def _squeeze(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def _hidden(el) -> bool:
    return el.get("hidden") is not None or bool(_HIDDEN.search(el.get("style") or ""))


def _decode(name: str, data: bytes) -> tuple[str, str]:
    """Bytes to text: a BOM, else the charset the page declares (GB2312 and GBK read as their
    superset GB18030, as browsers do), else what the TXT reader makes of it."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return txt.decode(name, data)
    declared = _CHARSET.search(data[:4096])
    if declared:
        charset = declared.group(1).decode("ascii").lower()
        charset = "gb18030" if charset in _GB else charset
        try:
            return data.decode(charset), charset
        except (LookupError, UnicodeDecodeError):
            pass
    return txt.decode(name, data)


def _tag(el) -> str | None:
    return el.tag.lower() if isinstance(el.tag, str) else None


def _cjk(text: str | None) -> int:
    return sum(1 for ch in text or "" if "\u3400" <= ch <= "\u9fff")


def _article(root):
    named = [(_cjk(el.text_content()), i, el) for i, el in enumerate(root.iter())
             if _tag(el) and not _hidden(el) and ARTICLE_CONTAINERS.intersection((el.get("class") or "").lower().split()
                                                            + [(el.get("id") or "").lower()])]
    if named and max(named)[0] > 0:
        return max(named, key=lambda n: (n[0], n[1]))[2]  # the fullest (and innermost); not a "zoom" link
    counts: dict = {}

    def count(el) -> int:
        tag = _tag(el)
        if tag in _DROP or _hidden(el):
            return 0
        own = 0 if tag == "a" else _cjk(el.text)
        total = own + sum(count(child) + _cjk(child.tail) for child in el)
        counts[el] = total
        return total

    body = root.find("body") if root.find("body") is not None else root
    whole = count(body)
    best = body
    for el in body.iter():
        if counts.get(el, 0) >= ARTICLE_SHARE * whole and _depth(el) > _depth(best):
            best = el
    # A Word document saved as a web page is one div a section (page: WordSection1, 2 …): the
    # text is in the first, the annexes' forms in the next ones; the article is all of them.
    parent = best.getparent()
    if _word_section(best) and parent is not None and sum(1 for child in parent if _word_section(child)) > 1:
        return parent
    return best


_WORD_SECTION = re.compile(r"WordSection\d+")


def _word_section(el) -> bool:
    return _tag(el) == "div" and bool(_WORD_SECTION.search((el.get("style") or "") + " " + (el.get("class") or "")))


def _depth(el) -> int:
    return sum(1 for _ in el.iterancestors())


def _flow(element):
    """("line", text) for each line of text and ("table", rows of cell texts) for each table,
    in document order."""
    buffer: list[str] = []

    def flush():
        line = _collapse("".join(buffer))
        buffer.clear()
        return line

    def walk(el):
        tag = _tag(el)
        if tag in _DROP or _hidden(el):
            return
        if tag == "table":
            if buffer:
                yield "line", flush()
            yield "table", _table(el)
        elif tag == "br":
            yield "line", flush()
        elif tag in _BLOCK or tag == "td" or tag == "th":
            if buffer:
                yield "line", flush()
            buffer.append(el.text or "")
            for child in el:
                yield from walk(child)
                buffer.append(child.tail or "")
            if buffer:
                yield "line", flush()
        elif tag is not None:
            buffer.append(el.text or "")
            for child in el:
                yield from walk(child)
                buffer.append(child.tail or "")

    yield from walk(element)
    if buffer:
        yield "line", flush()


def _collapse(text: str) -> str:
    """White space as a browser shows it: runs collapse to one space; a run holding a source
    line break next to a Chinese character or full-width punctuation shows as nothing (CSS's
    segment-break rule asks for a wide character on both sides; in these pages a line break after
    "。" before "2023年" is markup layout, never a space the author typed)."""

    def space(m: re.Match) -> str:
        before, after = m.string[m.start() - 1:m.start()], m.string[m.end():m.end() + 1]
        if "\n" in m.group() and (_wide(before) or _wide(after)):
            return ""
        return " "

    return _ENTITY_LEFT.sub("", _SPACES.sub(space, text)).replace("\xa0", " ").strip()


def _wide(ch: str) -> bool:
    return bool(ch) and ("\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"
                         or ch in "“”‘’")


def _table(table) -> list[list[str | None]]:
    """The table's rows on a grid: a cell covered by a rowspan is None (it belongs to the rows it
    spans), one covered by a colspan is empty."""
    rows: list[list[str | None]] = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        row: list[str | None] = []
        for cell in tr:
            if _tag(cell) not in ("td", "th"):
                continue
            while pending.get(len(row), 0) > 0:  # the columns a rowspan from above covers
                pending[len(row)] -= 1
                row.append(None)
            column = len(row)
            colspan, rowspan = _span(cell.get("colspan")), _span(cell.get("rowspan"))
            row.append("\n".join(_cell_lines(cell)))
            row.extend("" for _ in range(colspan - 1))
            for k in range(colspan):
                if rowspan > 1:
                    pending[column + k] = rowspan - 1
        while any(col >= len(row) and left > 0 for col, left in pending.items()):
            covered = pending.get(len(row), 0) > 0
            if covered:
                pending[len(row)] -= 1
            row.append(None if covered else "")
        rows.append(row)
    return rows


def _cell_lines(cell) -> list[str]:
    """A cell's lines; a table nested in it gives one line per cell."""
    lines = []
    for kind, content in _flow(cell):
        lines.extend([content] if kind == "line" else [text for row in content for text in row if text])
    return [line for line in lines if line]


def _span(value: str | None) -> int:
    try:
        return min(max(int(str(value).strip()), 1), MAX_SPAN)
    except ValueError:
        return 1
