"""Web pages as government sites publish them: the article body only, in the TXT layout.

Parsed with lxml.html (libxml2's HTML parser): it is already installed with python-docx, fast,
forgiving of the broken markup CMS templates produce, and its element tree keeps tables with
rowspan/colspan as they are, so the annex becomes a table block. Article extractors (trafilatura,
readability) were not taken: they rewrite or drop tables and flatten the text, and what we need
of them is small: find the article container.

The article is the element named like a CMS article container (TRS_Editor, zoom, ...) that holds
the most Chinese text;
failing that, the deepest element holding most of the page's Chinese text outside links, so
navigation, link lists and the footer fall away. Inside it, block elements and <br> end lines,
white space collapses as a browser shows it (a source line break beside a Chinese character
shows as nothing), and a cell covered by a rowspan or colspan is empty, as in a Word table."""
from __future__ import annotations

import re

import lxml.html
from lxml import etree

from policyparse.errors import InputError
from policyparse.ingest import txt
from policyparse.ingest.layout import Extracted, LayoutWriter, plain

# id or class names that article containers of the usual government CMSs carry.
ARTICLE_CONTAINERS = {"trs_editor", "zoom", "ucap-content", "custom_unionstyle", "article-content",
                      "pages_content", "xxgk_content", "article_content", "con_text", "wenzhang"}
# Share of the page's non-link Chinese text the fallback container must hold.
ARTICLE_SHARE = 0.7
MAX_SPAN = 200  # a rowspan or colspan beyond this is a markup error, not a table

_DROP = {"script", "style", "noscript", "template", "iframe", "object", "embed", "button", "select", "input",
         "textarea", "svg", "head", "title", "meta", "link"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article",
          "main", "header", "footer", "nav", "aside", "blockquote", "pre", "center", "address", "form", "hr",
          "figure", "figcaption", "caption", "tr", "tbody", "thead", "tfoot"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030", "x-euc-cn", "euc-cn"}
_SPACES = re.compile(r"[ \t\r\n\f]+")
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
    writer = LayoutWriter()
    for kind, content in _flow(_article(root)):
        if kind == "line":
            if content:
                writer.paragraph(plain(content))
        else:
            writer.table([[plain(cell) for cell in row] for row in content])
    return writer.result(encoding)


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
             if _tag(el) and ARTICLE_CONTAINERS.intersection((el.get("class") or "").lower().split()
                                                            + [(el.get("id") or "").lower()])]
    if named and max(named)[0] > 0:
        return max(named, key=lambda n: (n[0], n[1]))[2]  # the fullest (and innermost); not a "zoom" link
    counts: dict = {}

    def count(el) -> int:
        tag = _tag(el)
        if tag in _DROP:
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
    return best


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
        if tag in _DROP:
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

    return _SPACES.sub(space, text).replace("\xa0", " ").strip()


def _wide(ch: str) -> bool:
    return bool(ch) and ("\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"
                         or ch in "“”‘’")


def _table(table) -> list[list[str]]:
    """The table's rows on a grid: a cell covered by a rowspan or colspan is empty."""
    rows = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        row: list[str] = []
        for cell in tr:
            if _tag(cell) not in ("td", "th"):
                continue
            while pending.get(len(row), 0) > 0:  # the columns a rowspan from above covers
                pending[len(row)] -= 1
                row.append("")
            column = len(row)
            colspan, rowspan = _span(cell.get("colspan")), _span(cell.get("rowspan"))
            row.append("\n".join(_cell_lines(cell)))
            row.extend("" for _ in range(colspan - 1))
            for k in range(colspan):
                if rowspan > 1:
                    pending[column + k] = rowspan - 1
        while any(col >= len(row) and left > 0 for col, left in pending.items()):
            if pending.get(len(row), 0) > 0:
                pending[len(row)] -= 1
            row.append("")
        rows.append(row)
    return rows


def _cell_lines(cell) -> list[str]:
    """A cell's lines; a table nested in it gives one line per cell."""
    lines = []
    for kind, content in _flow(cell):
        lines.extend([content] if kind == "line" else [text for row in content for text in row])
    return [line for line in lines if line]


def _span(value: str | None) -> int:
    try:
        return min(max(int(str(value).strip()), 1), MAX_SPAN)
    except ValueError:
        return 1
