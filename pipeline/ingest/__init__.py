"""Ingest: read a file into a RawDocument. Each backend returns the same intermediate
(text in the TXT layout, table blocks, page provenance: layout.Extracted), so nothing after
this stage knows which format a document came in."""
from __future__ import annotations

import hashlib
import importlib
from pathlib import Path
from typing import Callable

from pipeline.errors import InputError, UnsupportedFormat
from pipeline.ingest import txt
from pipeline.ingest.layout import Extracted
from pipeline.model import RawDocument

# Files beyond this are refused before reading: a plan notice is tens of kilobytes.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024



def _text(name: str, data: bytes) -> Extracted:
    return Extracted(*txt.decode(name, data))


def _backend(module: str) -> Callable[[str, bytes], Extracted]:
    """A backend imported when first used: pdfplumber and lxml cost a text-only run ~0.2 s."""
    def read(name: str, data: bytes) -> Extracted:
        return importlib.import_module(f"pipeline.ingest.{module}").read(name, data)
    return read


BACKENDS: dict[str, Callable[[str, bytes], Extracted]] = {
    ".txt": _text,
    ".text": _text,
    ".docx": _backend("docx"),
    ".pdf": _backend("pdf"),
    ".html": _backend("html"),
    ".htm": _backend("html"),
    ".shtml": _backend("html"),
    ".doc": _backend("legacy"),
    ".wps": _backend("legacy"),
}


def ingest(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
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
    extracted = backend(name, data)
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
