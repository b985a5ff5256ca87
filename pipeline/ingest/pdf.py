"""PDF files through pdfplumber: the text in reading order, laid out like the TXT genre, the
tables from their ruling lines, and the page and box of every line.

- Lines: characters grouped by their vertical band (a label drawn smaller on the same baseline
  stays on its line), left to right; characters drawn twice for fake bold are dropped, rotated
  ones (watermarks, stamps) left out. No space is put between characters, Chinese has none; a
  space the PDF draws is kept, and a gap between two Latin letters or digits becomes one.
- Page furniture: in the top and bottom bands of the page, page numbers ("— 3 —", "- 3 -",
  "第3页") and text repeated on most pages (running headers and footers) are removed.
- Paragraphs: a line continues the one before (joined with nothing between) when the first
  word of the line would not have fitted on the line before, it is not indented (unless both
  are centred, as a wrapped title is), and the type size is the same; a line at the top of a
  page that opens with a heading number (一、 （一） 1．) is a heading, never a continuation. The same rule joins the
  lines wrapped inside a table cell; a cell line that ends early is a line break of the author's
  and stays one.
- Tables: pdfplumber finds them from their ruling lines, one per page; a cell covered by a
  merged cell is None there and empty here. A table at the top of a page continues the table
  that ended the page before: its repeated header row goes, and a first row without a number
  in its first cell is the rest of a row broken across the page (layout.LayoutWriter).
- Errors: an encrypted, damaged or image-only (scanned) PDF, or one whose fonts carry no
  Unicode mapping, is refused with its reason; work is bounded by max_pages and MAX_SECONDS.
- Some PDF producers map CJK characters to Kangxi radicals or compatibility ideographs (⽅ for
  方); each is mapped back to its unified ideograph, one character for one, so offsets hold.
"""
from __future__ import annotations

import io
import re
import statistics
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from policyparse.errors import InputError
from policyparse.ingest.layout import Extracted, LayoutWriter, Piece
from policyparse.limits import DEFAULT_MAX_PAGES

MAX_SECONDS = 120.0
MAX_CHARS_PER_PAGE = 50_000
# The top and bottom bands of a page where running headers, footers and page numbers stand.
MARGIN_BAND = 0.12
PAGE_NUMBER = re.compile(r"^[\s\-—–－―‒~·•]*(?:第\s*)?\d+(?:\s*页)?(?:\s*(?:/|共)\s*\d+\s*页?)?[\s\-—–－―‒~·•]*$")
_OPENING = set("“‘（(《〈【「『〔［[")
_CLOSING = set("”’）)》〉】」』〕］]，,。.、；;：:？?！!%％")
_CID = re.compile(r"^\(cid:\d+\)$")
AUTOSPACE = 0.2  # of the type size: the gap word processors put between Chinese and Latin text
# A heading number opening a line (第一章, 一、, （一）, 1．, （1）): at the top of a page such a line is a
# heading, not the rest of the paragraph that filled the page before (Word's numbered headings hang
# at the margin, where a wrapped line also starts).
HEADING_START = re.compile(r"^(?:第[一二三四五六七八九十百]+[部分编章节条]|[一二三四五六七八九十]+、"
                           r"|[（(][一二三四五六七八九十]+[）)]|[0-9０-９]+[．.、](?![0-9０-９])|[（(][0-9０-９]+[）)])")


@dataclass
class Line:
    text: str
    xs: list[float]  # len(text) + 1 character boundaries
    top: float
    bottom: float
    size: float
    page: int

    @property
    def x0(self) -> float:
        return self.xs[0]

    @property
    def x1(self) -> float:
        return self.xs[-1]

    def piece(self) -> Piece:
        return Piece(self.text, self.page, round(self.top, 2), round(self.bottom, 2),
                     tuple(round(x, 2) for x in self.xs))


@dataclass
class Frame:
    """Where the lines of a text block run: left and right edge; for a page, also how low lines
    go and the usual distance from one line to the next."""

    left: float
    right: float
    bottom: float = 0.0
    pitch: float = 0.0


@dataclass
class PageTable:
    top: float
    rows: list[list[list[Line]]]  # rows of cells, each cell its lines
    frames: list[list[Frame | None]]


@dataclass
class Page:
    number: int
    lines: list[Line]  # outside tables
    tables: list[PageTable]
    size: tuple[int, int]  # width, height in points


def _close(pdf) -> None:
    """Close without masking the reason already given: pdfplumber's close walks the pages
    again, and on a damaged file that raises once more (found by fuzzing)."""
    try:
        pdf.close()
    except Exception:  # the file's fault was reported, or will be, by read()
        return


def read(name: str, data: bytes, max_pages: int = DEFAULT_MAX_PAGES) -> Extracted:
    started = time.monotonic()
    if b"%PDF-" not in data[:1024]:
        raise InputError(name, "not a PDF file (no %PDF header)")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds of errors on a broken file
        raise InputError(name, _failure(exc)) from None
    try:
        try:
            count = len(pdf.pages)
        except Exception as exc:
            raise InputError(name, _failure(exc)) from None
        if count == 0:
            raise InputError(name, "damaged PDF (no pages)")
        if count > max_pages:
            raise InputError(name, f"too many pages ({count:,}; the limit is {max_pages:,}, see --max-pages)")
        pages = []
        images = 0
        for number, page in enumerate(pdf.pages, 1):
            try:
                pages.append(_read_page(name, page, number))
                images += len(page.images)
            except InputError:
                raise
            except Exception as exc:
                raise InputError(name, _failure(exc, f"page {number}: ")) from None
            finally:
                page.close()
            if time.monotonic() - started > MAX_SECONDS:
                raise InputError(name, f"gave up after {MAX_SECONDS:.0f} s at page {number} of {count}")
    finally:
        _close(pdf)
    body_lines = [line for page in pages for line in page.lines]
    cells = [line for page in pages for t in page.tables for r in t.rows for c in r for line in c]
    if not body_lines and not cells:
        if images:
            raise InputError(name, "image-only PDF (scanned pages without a text layer); run OCR on it first")
        raise InputError(name, "no text in this PDF")
    unmapped = sum(line.text.count("\ufffd") for line in body_lines + cells)
    if unmapped > 0.2 * sum(len(line.text) for line in body_lines + cells):
        raise InputError(name, "its fonts carry no Unicode mapping, so the text cannot be read; run OCR on it")
    _remove_furniture(pages)
    return _write(pages, count)


def _failure(exc: Exception, where: str = "") -> str:
    """The reason pdfplumber or pdfminer gave, in words (pdfplumber wraps pdfminer's errors)."""
    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], Exception):
        exc = exc.args[0]
    if isinstance(exc, PDFPasswordIncorrect):
        return "encrypted PDF (a password is needed to open it)"
    if isinstance(exc, PDFEncryptionError):
        return f"encrypted PDF ({exc})"
    text = str(exc).strip() or type(exc).__name__
    return f"damaged PDF ({where}{text})"


def _read_page(name: str, page, number: int) -> Page:
    chars = _dedupe([c for c in page.chars if c.get("upright", True)])
    if len(chars) > MAX_CHARS_PER_PAGE:
        raise InputError(name, f"page {number} holds {len(chars):,} characters (the limit is {MAX_CHARS_PER_PAGE:,})")
    tables = [t for t in page.find_tables() if len(t.rows) >= 2 and len(t.rows[0].cells) >= 2] if chars else []
    boxes = [t.bbox for t in tables]
    body: list[dict] = []
    in_table: list[list[dict]] = [[] for _ in tables]
    for c in chars:
        cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        where = next((i for i, (x0, top, x1, bottom) in enumerate(boxes) if x0 <= cx <= x1 and top <= cy <= bottom),
                     None)
        (body if where is None else in_table[where]).append(c)
    return Page(number, _lines(body, number), [_table(t, cs, number) for t, cs in zip(tables, in_table)],
                (round(page.width), round(page.height)))


def _dedupe(chars: list[dict]) -> list[dict]:
    """Without the copies of a character drawn again within a point of itself (fake bold).
    pdfplumber's dedupe_chars does this too, at several times the cost."""
    seen: set[tuple[str, int, int]] = set()
    kept = []
    for c in chars:
        x, y = round(c["x0"]), round(c["top"])
        if any((c["text"], x + dx, y + dy) in seen for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            continue
        seen.add((c["text"], x, y))
        kept.append(c)
    return kept


def _lines(chars: list[dict], page: int) -> list[Line]:
    """Characters grouped into lines: a character whose vertical middle lies within the band of
    the line being built joins it."""
    bands: list[list[dict]] = []
    top = bottom = 0.0
    for c in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        middle = (c["top"] + c["bottom"]) / 2
        if bands and top <= middle <= bottom:
            bands[-1].append(c)
            top, bottom = min(top, c["top"]), max(bottom, c["bottom"])
        else:
            bands.append([c])
            top, bottom = c["top"], c["bottom"]
    lines = [_line(sorted(band, key=lambda c: c["x0"]), page) for band in bands]
    return [line for line in lines if line.text]


def _line(chars: list[dict], page: int) -> Line:
    text: list[str] = []
    xs: list[float] = []
    previous = None
    for c in chars:
        glyph = _glyph(c["text"])
        if previous is not None:
            gap = c["x0"] - previous["x1"]
            if gap > 0.3 * c["size"] and text and text[-1].isascii() and text[-1].isalnum() \
                    and glyph[:1].isascii() and glyph[:1].isalnum():
                text.append(" ")
                xs.append(previous["x1"])
        width = (c["x1"] - c["x0"]) / max(len(glyph), 1)
        for k, ch in enumerate(glyph):
            text.append(ch)
            xs.append(c["x0"] + k * width)
        previous = c
    if chars:
        xs.append(chars[-1]["x1"])
    # Trim white space at either end, keeping the boundaries in step with the characters.
    start, end = 0, len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    sizes = [c["size"] for c in chars] or [0.0]
    return Line("".join(text[start:end]), xs[start:end + 1], min(c["top"] for c in chars),
                max(c["bottom"] for c in chars), statistics.median(sizes), page)


def _glyph(text: str) -> str:
    if _CID.match(text):
        return "\ufffd"
    if len(text) == 1 and ("\u2e80" <= text <= "\u2fdf" or "\uf900" <= text <= "\ufaff"):
        mapped = unicodedata.normalize("NFKC", text)
        return mapped if len(mapped) == 1 else text
    return text


def _table(table, chars: list[dict], page: int) -> PageTable:
    rows: list[list[list[Line]]] = []
    frames: list[list[Frame | None]] = []
    for row in table.rows:
        cells: list[list[Line]] = []
        row_frames: list[Frame | None] = []
        for bbox in row.cells:
            if bbox is None:
                cells.append([])
                row_frames.append(None)
                continue
            x0, top, x1, bottom = bbox
            inside = [c for c in chars
                      if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
            lines = _lines(inside, page)
            pad = min((line.x0 - x0 for line in lines), default=0.0)
            cells.append(lines)
            row_frames.append(Frame(x0 + pad, x1 - pad))
        rows.append(cells)
        frames.append(row_frames)
    return PageTable(table.bbox[1], rows, frames)


def _remove_furniture(pages: list[Page]) -> None:
    """Drop page numbers and running headers and footers from the top and bottom bands."""

    def in_band(line: Line, page: Page) -> bool:
        height = page.size[1]
        return line.bottom <= MARGIN_BAND * height or line.top >= (1 - MARGIN_BAND) * height

    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", line.text.replace(" ", ""))

    seen = Counter(k for page in pages for k in {key(line) for line in page.lines if in_band(line, page)})
    repeated = {k for k, n in seen.items() if n >= 2 and n * 2 >= len(pages)}
    for page in pages:
        page.lines = [line for line in page.lines
                      if not (in_band(line, page) and (PAGE_NUMBER.match(line.text) or key(line) in repeated))]


def _write(pages: list[Page], count: int) -> Extracted:
    frames = _body_frames(pages)
    writer = LayoutWriter()
    paragraph: list[Piece] = []
    previous: Line | None = None
    for page in pages:
        blocks = sorted([(line.top, 0, line) for line in page.lines] + [(t.top, 1, t) for t in page.tables],
                        key=lambda b: (b[0], b[1]))
        for index, (_top, _kind, block) in enumerate(blocks):
            if isinstance(block, Line):
                if previous is not None and _continues(previous, block, frames[block.page], frames[previous.page]):
                    paragraph += _joint(previous, block)
                elif paragraph:
                    writer.paragraph(paragraph)
                    paragraph = []
                paragraph.append(block.piece())
                previous = block
                continue
            if paragraph:
                writer.paragraph(paragraph)
            paragraph, previous = [], None
            writer.table([[_cell(cell, frame) for cell, frame in zip(row, row_frames)]
                          for row, row_frames in zip(block.rows, block.frames)], split_row=index == 0)
    if paragraph:
        writer.paragraph(paragraph)
    return writer.result(None, count)


def _body_frames(pages: list[Page]) -> dict[int, Frame]:
    """Each page's text frame, shared by pages of one size (so a page with few lines, a title
    page or a landscape annex, takes it from the pages like it): the left margin is where the
    leftmost lines start (two at least), the right margin where most of the longer lines end
    (justified lines end there; a line hanging punctuation into the margin is rarer)."""
    by_size: dict[tuple[int, int], list[Page]] = {}
    for page in pages:
        by_size.setdefault(page.size, []).append(page)
    shared = {}
    for size, group in by_size.items():
        lines = [line for page in group for line in page.lines]
        if not lines:
            continue
        starts = Counter(round(line.x0) for line in lines)
        left = min((x for x, n in starts.items() if n >= 2), default=min(starts))
        ends = sorted(round(line.x1) for line in lines)
        long_ends = Counter(x for x in ends if x >= ends[int(0.75 * (len(ends) - 1))])
        right = max(long_ends.items(), key=lambda item: (item[1], -item[0]))[0]
        steps = [b.top - a.top for page in group for a, b in zip(page.lines, page.lines[1:])
                 if abs(a.size - b.size) <= 0.15 * a.size and 0 < b.top - a.top < 3 * a.size]
        pitch = statistics.median(steps) if steps else 1.5 * statistics.median(line.size for line in lines)
        shared[size] = Frame(float(left), float(right), max(line.bottom for line in lines), pitch)
    return {page.number: shared.get(page.size, Frame(0.0, float(page.size[0]))) for page in pages}


def _continues(a: Line, b: Line, frame: Frame, a_frame: Frame) -> bool:
    """Whether line b goes on with the paragraph (or cell text) that line a ended."""
    size = max(a.size, b.size, 1.0)
    if abs(a.size - b.size) > 0.15 * size:
        return False
    if a.page != b.page and HEADING_START.match(b.text):
        return False  # a heading at the top of a page starts its own line, however full the line before

    if a.page == b.page and b.top - a.bottom > 1.2 * size:
        return False
    if a.page != b.page and a.bottom < a_frame.bottom - 2.5 * a_frame.pitch:
        return False  # the page before ends early (more than widow control explains): a page break
    if a.x1 + _first_word_width(a, b) <= a_frame.right - 0.5 * size:
        return False  # the line ended with room to spare: the author broke it
    indented = b.x0 - frame.left > 0.8 * size
    return not indented or (_centred(a, a_frame, size) and _centred(b, frame, size))


def _centred(line: Line, frame: Frame, size: float) -> bool:
    return abs((line.x0 - frame.left) - (frame.right - line.x1)) < size


def _first_word_width(a: Line, b: Line) -> float:
    """Width of what could not be split from the start of line b: opening brackets, a Latin word
    or number or one Chinese character, and the closing punctuation after it; plus the space
    Word and LibreOffice put between Chinese and Latin text when b's start and a's end differ."""
    text, i = b.text, 0
    while i < len(text) and text[i] in _OPENING:
        i += 1
    if i < len(text) and _latin(text[i]):
        while i < len(text) and (_latin(text[i]) or text[i] in ".+-"):
            i += 1
    else:
        i += 1
    while i < len(text) and text[i] in _CLOSING:
        i += 1
    width = b.xs[min(i, len(text))] - b.xs[0]
    if a.text and b.text and _latin(a.text[-1]) != _latin(b.text[0]):
        width += AUTOSPACE * b.size
    return width


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _joint(a: Line, b: Line) -> list[Piece]:
    """What goes between two joined lines: nothing, or a space between two Latin words."""
    if a.text[-1:].isascii() and a.text[-1:].isalpha() and b.text[:1].isascii() and b.text[:1].isalpha():
        return [Piece(" ")]
    return []


def _cell(lines: list[Line], frame: Frame | None) -> list[Piece]:
    if frame is None:  # a cell merged away: it holds no lines
        return []
    pieces: list[Piece] = []
    for i, line in enumerate(lines):
        if i:
            pieces += _joint(lines[i - 1], line) if _continues(lines[i - 1], line, frame, frame) else [Piece("\n")]
        pieces.append(line.piece())
    return pieces
