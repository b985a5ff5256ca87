"""Ingest: read a file into a RawDocument. Each backend returns the same intermediate
(text in the TXT layout, table blocks, page provenance: layout.Extracted), so nothing after
this stage knows which format a document came in."""
from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable
from pathlib import Path

from policyparse.errors import InputError, UnsupportedFormat, shown
from policyparse.ingest import markdown, txt
from policyparse.ingest.layout import Extracted
from policyparse.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_CHARS, DEFAULT_MAX_PAGES
from policyparse.model import RawDocument


def _text(name: str, data: bytes, **_limits: int) -> Extracted:
    text, encoding = txt.decode(name, data)
    return Extracted(markdown.plain(text) if markdown.is_markdown(text) else text, encoding)


def _backend(module: str, *limits: str) -> Callable[..., Extracted]:
    """A backend imported when first used: pdfplumber and lxml cost a text-only run ~0.2 s.
    It is told the limits it checks before the work they bound (PDF: pages; DOCX and the
    legacy formats it converts to DOCX: characters, against the XML it would parse)."""
    def read(name: str, data: bytes, **given: int) -> Extracted:
        backend = importlib.import_module(f"policyparse.ingest.{module}")
        return backend.read(name, data, **{limit: given[limit] for limit in limits})
    return read


BACKENDS: dict[str, Callable[..., Extracted]] = {
    ".txt": _text,
    ".text": _text,
    ".docx": _backend("docx", "max_chars"),
    ".pdf": _backend("pdf", "max_pages"),
    ".html": _backend("html"),
    ".htm": _backend("html"),
    ".shtml": _backend("html"),
    ".doc": _backend("legacy", "max_chars"),
    ".wps": _backend("legacy", "max_chars"),
}


def check_name(path: str) -> None:
    """Raise InputError for a path that is not valid UTF-8: a dataset names its source, and
    neither its JSON nor its tables can hold such a name."""
    if shown(path) != path:
        raise InputError(shown(path), "the file name (or a folder's) is not valid UTF-8; rename it")


def ingest(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int = DEFAULT_MAX_CHARS,
           max_pages: int = DEFAULT_MAX_PAGES) -> RawDocument:
    name = str(path)
    check_name(name)
    path = Path(path)
    if not path.exists():
        raise InputError(name, "no such file")
    if path.is_dir():
        raise InputError(name, "a folder, not a file (`batch` takes folders of documents, `report` and `history` "
                               "folders of dataset JSONs)")
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
    extracted = backend(name, data, max_pages=max_pages, max_chars=max_chars)
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
