"""Word files (.docx): paragraphs and tables in document order, written in the TXT layout.

python-docx opens the package and gives the parts (document, numbering, styles); the text is
read from the XML, because what these notices need is not in `paragraph.text` or `row.cells`:
- Word automatic numbering (一、 （一） 1． drawn by Word) is rendered back (numbering.py);
- a vertically merged cell (w:vMerge continue) is empty, as in the TXT annex, where python-docx
  repeats the top cell's text; a cell spanning columns (w:gridSpan) is followed by empty cells,
  so every row has one cell per grid column; rows that skip grid columns (gridBefore/After) too;
- text inside content controls (w:sdt) and tracked insertions counts, deleted text does not;
  hidden text and text boxes are left out;
- page headers and footers are separate parts and never read.

The package is checked before parsing: a file that is not a zip, an encrypted or legacy .doc
file with a .docx name, and a zip that would unpack to more than MAX_UNCOMPRESSED_BYTES each get
their own reason."""
from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Sequence

import docx as python_docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from policyparse.errors import InputError
from policyparse.ingest.layout import COVERED, Extracted, LayoutWriter, Piece, joined, plain
from policyparse.ingest.numbering import Numbering
from policyparse.limits import DEFAULT_MAX_CHARS

# A notice's XML is a few megabytes at most; images count too. Checked on the zip directory
# before anything is unpacked (zipfile never reads past a member's declared size).
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 5000
# The XML python-docx parses: the parts every Word file has (styles, theme, settings: about
# 1 MB), and some bytes per character of text (runs and their properties: 11 in the seed).
# Past this for the character limit, the text would be refused as too long anyway, after
# parsing (150 MB of XML took 38 s and 2 GB).
XML_BYTES_FIXED = 8 * 1024 * 1024
XML_BYTES_PER_CHAR = 32
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

W_P, W_TBL, W_TR, W_TC, W_R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
W_SDT, W_SDT_CONTENT, W_CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
# Paragraph children whose text is not shown: deletions, moved-away text, properties.
_SKIP = {qn("w:del"), qn("w:moveFrom"), qn("w:pPr"), qn("w:rPr")}
_RUN_TEXT = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n",
             qn("w:noBreakHyphen"): "-", qn("w:softHyphen"): ""}
W_SYM, W_VANISH = qn("w:sym"), qn("w:vanish")


def read(name: str, data: bytes, max_chars: int = DEFAULT_MAX_CHARS) -> Extracted:
    archive = check_package(name, data, "DOCX")
    xml = sum(m.file_size for m in archive.infolist() if m.filename.endswith((".xml", ".rels")))
    most = XML_BYTES_FIXED + XML_BYTES_PER_CHAR * max_chars
    if xml > most:
        raise InputError(name, f"refused: its XML would unpack to {xml:,} bytes, more than a text of {max_chars:,} "
                               f"characters takes (at most {most:,}; see --max-chars)")
    try:
        document = python_docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise InputError(name, f"damaged DOCX file ({type(exc).__name__}: {exc})") from None
    except (zlib.error, EOFError):  # a member whose compressed data is broken (found by fuzzing)
        raise InputError(name, "damaged DOCX file (truncated or corrupt zip)") from None
    except NotImplementedError as exc:  # a member compressed in a way Python cannot unpack
        raise InputError(name, f"unsupported zip in this DOCX file ({exc})") from None
    except ValueError:  # python-docx: a zip that is another Office file (.xlsx, .pptx)
        raise InputError(name, "not a Word document (another kind of Office file?)") from None
    numbering = Numbering(_numbering_element(document), document.styles.element)
    writer = LayoutWriter()
    for block in _blocks(document.element.body):
        if block.tag == W_P:
            writer.paragraph(plain(_paragraph(block, numbering)))
        else:
            writer.table(_rows(block, numbering))
    return writer.result(None)


def check_package(name: str, data: bytes, kind: str) -> zipfile.ZipFile:
    """The zip directory, after refusing what is not a safe zip of this kind."""
    if data.startswith(OLE2_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise InputError(name, f"encrypted {kind} file (password-protected); save it again without a password")
        raise InputError(name, f"a legacy binary Office file (.doc/.wps), not {kind}; rename it to .doc "
                               "(read through LibreOffice) or save it as .docx")
    if not data.startswith(b"PK"):
        raise InputError(name, f"not a {kind} file (bad zip header)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(name, f"damaged {kind} file (truncated or corrupt zip)") from None
    except NotImplementedError as exc:  # a zip version or compression Python cannot unpack (found by fuzzing)
        raise InputError(name, f"unsupported zip in this {kind} file ({exc})") from None
    unpacked = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNCOMPRESSED_BYTES:
        raise InputError(name, f"refused: the zip would unpack to {unpacked:,} bytes in {len(members):,} files "
                               f"(limits {MAX_UNCOMPRESSED_BYTES:,} bytes, {MAX_MEMBERS:,} files)")
    return archive


def _numbering_element(document):
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return None


def _blocks(parent):
    """Paragraphs and tables in document order, looking inside content controls."""
    for child in parent.iterchildren():
        if child.tag in (W_P, W_TBL):
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)
        elif child.tag == W_CUSTOM_XML:
            yield from _blocks(child)


def _paragraph(p, numbering: Numbering) -> str:
    out = [numbering.label(p)]
    _collect_runs(p, out)
    return "".join(out)


def _collect_runs(element, out: list[str]) -> None:
    for child in element.iterchildren():
        if child.tag in _SKIP:
            continue
        if child.tag != W_R:
            _collect_runs(child, out)  # hyperlinks, insertions, fields, smart tags, content controls
            continue
        rpr = child.find(qn("w:rPr"))
        if rpr is not None and rpr.find(W_VANISH) is not None:
            continue
        for item in child.iterchildren():
            if item.tag in _RUN_TEXT:
                fixed = _RUN_TEXT[item.tag]
                out.append((item.text or "") if fixed is None else fixed)
            elif item.tag == W_SYM:
                char = _symbol(item.get(qn("w:char")))
                if char:
                    out.append(char)


def _symbol(code: str | None) -> str:
    """A w:sym character, unless it is in a symbol font's private area (Wingdings bullets)."""
    try:
        point = int(code or "", 16)
    except ValueError:
        return ""
    return "" if 0xE000 <= point <= 0xF8FF else chr(point)


def _rows(tbl, numbering: Numbering) -> list[list[Sequence[Piece]]]:
    rows = []
    for tr in tbl.iterchildren(W_TR):
        trpr = tr.find(qn("w:trPr"))
        cells: list[Sequence[Piece]] = [[] for _ in range(_grid(trpr, "w:gridBefore"))]
        for tc in _cells(tr):
            tcpr = tc.find(qn("w:tcPr"))
            vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
            continued = vmerge is not None and vmerge.get(qn("w:val"), "continue") == "continue"
            cells.append(COVERED if continued else plain(_cell_text(tc, numbering)))
            cells.extend([] for _ in range(_grid(tcpr, "w:gridSpan") - 1))
        cells.extend([] for _ in range(_grid(trpr, "w:gridAfter")))
        rows.append(cells)
    return rows


def _grid(props, tag: str) -> int:
    if props is None:
        return 0 if tag != "w:gridSpan" else 1
    child = props.find(qn(tag))
    default = 1 if tag == "w:gridSpan" else 0
    try:
        return max(default, int(child.get(qn("w:val")))) if child is not None else default
    except (TypeError, ValueError):
        return default


def _cells(tr):
    for child in tr.iterchildren():
        if child.tag == W_TC:
            yield child
        elif child.tag in (W_SDT, W_CUSTOM_XML):
            content = child.find(W_SDT_CONTENT) if child.tag == W_SDT else child
            if content is not None:
                yield from _cells(content)


def _cell_text(tc, numbering: Numbering) -> str:
    """The cell's paragraphs one per line; a nested table's cells one per line."""
    lines = []
    for block in _blocks(tc):
        if block.tag == W_P:
            lines.append(_paragraph(block, numbering))
        else:
            lines.extend(joined(cell) for row in _rows(block, numbering) for cell in row if cell)
    return "\n".join(line.strip() for line in lines).strip()
