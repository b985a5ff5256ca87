"""Ingest: read a file into a RawDocument. Each backend returns the same intermediate
(text in the TXT layout, table blocks, page provenance: layout.Extracted), so nothing after
this stage knows which format a document came in."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable

from pipeline.errors import InputError, UnsupportedFormat
from pipeline.ingest import docx, html, legacy, pdf, txt
from pipeline.ingest.layout import Extracted
from pipeline.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_CHARS, DEFAULT_MAX_PAGES
from pipeline.model import RawDocument


def _text(name: str, data: bytes) -> Extracted:
    return Extracted(*txt.decode(name, data))


BACKENDS: dict[str, Callable[[str, bytes], Extracted]] = {
    ".txt": _text,
    ".text": _text,
    ".docx": docx.read,
    ".pdf": pdf.read,
    ".html": html.read,
    ".htm": html.read,
    ".shtml": html.read,
    ".doc": legacy.read,
    ".wps": legacy.read,
}


def ingest(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int = DEFAULT_MAX_CHARS,
           max_pages: int = DEFAULT_MAX_PAGES) -> RawDocument:
    name = str(path)
    path = Path(path)
    if not path.exists():
        raise InputError(name, "no such file")
    if not path.is_file():
        raise InputError(name, "not a regular file")
    backend = BACKENDS.get(path.suffix.lower())
    if backend is None:
        known = ", ".join(sorted(BACKENDS))
        raise UnsupportedFormat(name, f"unsupported file type {path.suffix or '(none)'!r} (supported: {known})")
    size = path.stat().st_size
    if size == 0:
        raise InputError(name, "empty file")
    if size > max_bytes:
        raise InputError(name, f"file too large ({size:,} bytes; the limit is {max_bytes:,}, see --max-bytes)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot read ({exc.strerror or exc})") from None
    extracted = pdf.read(name, data, max_pages) if backend is pdf.read else backend(name, data)
    if len(extracted.text) > max_chars:
        raise InputError(name, f"too much text ({len(extracted.text):,} characters; the limit is {max_chars:,}, "
                               "see --max-chars)")
    if not extracted.text.strip():
        raise InputError(name, "no text (the file holds only white space)")
    return RawDocument(
        source=name,
        format=path.suffix.lower().lstrip("."),
        encoding=extracted.encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        text=extracted.text,
        tables=extracted.tables,
        provenance=extracted.provenance,
        pages=extracted.pages,
    )
