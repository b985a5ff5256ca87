"""The bad inputs too big or too binary to commit: `python tests/bad/make_bad.py DIR` writes
them into DIR (the tests write them into a temporary folder). Each is listed in expected.tsv."""
from __future__ import annotations

import io
import os
import sys
import zipfile
import zlib
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DOCX = FIXTURES / "qingtian-2024-digital-economy.docx"
TEXT = FIXTURES / "qingtian-2024-digital-economy.txt"
# A billion laughs: ten levels of ten references, 10^9 copies of "lol" if a parser expanded them.
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 "lol">\n'
          + b"".join(b'<!ENTITY lol%d "%s">\n' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10)) + b"]>\n")


def pdf(pages: list[bytes], resources: bytes = b"<< >>", objects: tuple[bytes, ...] = ()) -> bytes:
    """A PDF of A4 pages with the given content streams; `objects` are numbered after the pages."""
    first_page = 3
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(len(pages)))
    bodies = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages))]
    for i, content in enumerate(pages):
        bodies.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R >>"
                      % (resources, first_page + 2 * i + 1))
        bodies.append(stream(content))
    bodies += objects
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def docx_with(replace: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The fixture DOCX with some members' contents replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(out, "w", compression) as z:
        for item in src.infolist():
            z.writestr(item.filename, replace.get(item.filename, src.read(item)))
    return out.getvalue()


def _flipped(data: bytes, offset: int) -> bytearray:
    out = bytearray(data)
    out[offset] ^= 0xFF
    return out


def _breaks_deflate(data: bytes, start: int, size: int) -> bool:
    try:
        zlib.decompressobj(-15).decompress(bytes(data[start:start + size]))
    except zlib.error:
        return True
    return False


def notice(body: str) -> bytes:
    """A notice whose first measure is `body`."""
    return f"关于印发某某行动计划的通知\n\n一、主要目标\n{body}。\n".encode()


def deep_page(depth: int) -> bytes:
    text = TEXT.read_text(encoding="utf-8")
    middle = text.index("\n二、")
    paragraphs = ["".join(f"<p>{line}</p>\n" for line in part.splitlines()) for part in (text[:middle], text[middle:])]
    return f"<html><body>{paragraphs[0]}{'<div>' * depth}深处{'</div>' * depth}{paragraphs[1]}</body></html>".encode()


def make(folder: Path) -> list[Path]:
    docx = DOCX.read_bytes()
    with zipfile.ZipFile(DOCX) as z:
        body = z.read("word/document.xml")
    # The laughs go before the real root element; &lol9; sits in the first paragraph's text.
    laughs_body = LAUGHS + body[body.index(b"<w:document"):].replace(b"<w:t>", b"<w:t>&lol9;", 1)
    image = stream(b"\x00\xff\xff\x00", b"/Type /XObject /Subtype /Image /Width 2 /Height 2 "
                                        b"/ColorSpace /DeviceGray /BitsPerComponent 8")
    files = {
        "truncated.docx": docx[: len(docx) // 2],
        "bomb.docx": docx_with({"word/document.xml": b" " * (250 * 1024 * 1024)}),
        "entities.docx": docx_with({"word/document.xml": laughs_body}),
        "laughs.html": LAUGHS.replace(b'<?xml version="1.0"?>\n', b"")
                         + b"<html><body><p>&lol9;</p>" + TEXT.read_bytes() + b"</body></html>",
        "encrypted.pdf": (FIXTURES / "qingtian-locked.pdf").read_bytes(),
        "image-only.pdf": pdf([b"q 500 0 0 700 48 70 cm /Im1 Do Q"], b"<< /XObject << /Im1 %d 0 R >> >>" % 5,
                              (image,)),
        "thousands-of-pages.pdf": pdf([b""] * 5000),
        "big-50mb.txt": TEXT.read_bytes() * (50 * 1024 * 1024 // TEXT.stat().st_size + 1),
        # 80 MB of empty paragraphs in under 100 KB: under the zip limit, over what XML 2,000,000
        # characters take (python-docx would parse it all before the character limit refused it).
        "xml-heavy.docx": docx_with({"word/document.xml": body.replace(b"</w:body>", b"<w:p/>" * (16 * 1024 * 1024)
                                                                                   + b"</w:body>", 1)}),
        # One sentence of 4,000 targets with no delimiter, and 4,000 numbers after a 16,000-character
        # run: each target held all of the sentence, or the run as its indicator (quadratic output).
        "long-sentence.txt": notice("力争产值突破2200亿元增长百分之5" * 4000),
        "inherited-indicator.txt": notice("规上工业" * 4000 + "产值2200亿元" + "，增长5%" * 4000),
        # 300 targets and one note naming 260 units: each unit's task lists every target.
        "notes-times-targets.txt": notice("产值增长5%，" * 300 + "（责任单位：" + "、".join(
            f"市{a}{b}局" for a in "甲乙丙丁戊己庚辛壬癸" for b in "子丑寅卯辰巳午未申酉戌亥金木水火土天地人日月星山川海")
            + "）"),
        # <div>s nested past the depth where the HTML reader stops, between two halves of a notice.
        "deep-nesting.html": deep_page(300),
        "deepest-nesting.html": deep_page(100_000),
        # A name that is not UTF-8 (expected.tsv writes its byte as \xff): no dataset can hold it.
        os.fsdecode(b"bad-name-\xff.txt"): TEXT.read_bytes(),
    }
    # A flipped byte inside the deflate stream of word/document.xml (the fuzz target found it).
    with zipfile.ZipFile(DOCX) as z:
        member = z.getinfo("word/document.xml")
    data_start = member.header_offset + 30 + len(member.filename) + len(member.extra)
    files["corrupt-deflate.docx"] = next(
        bytes(corrupt) for offset in range(data_start, data_start + member.compress_size)
        if _breaks_deflate(corrupt := _flipped(docx, offset), data_start, member.compress_size))
    # A zip that says it needs version 16.1 to unpack (the fuzz target found it).
    directory = docx.index(b"PK\x01\x02")
    files["zip-version.docx"] = docx[:directory + 6] + (161).to_bytes(2, "little") + docx[directory + 8:]
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [folder / name for name in files]


if __name__ == "__main__":
    for path in make(Path(sys.argv[1])):
        print(path)
