"""Per-document limits: how much one file may make policyparse read and work. A plan notice is
tens of kilobytes, tens of thousands of characters and a few dozen pages; the defaults leave
room for the largest real ones and refuse what no notice is (a 50 MB text, a 10,000-page PDF,
a document that keeps a worker busy for minutes). Every limit is an option of `parse` and
`batch`; a document over one is refused with the limit named, never half-read."""
from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # the file, before reading it
DEFAULT_MAX_CHARS = 2_000_000  # the text ingest extracted, before segmenting it
DEFAULT_MAX_PAGES = 500  # a PDF's pages, counted before any page is read
DEFAULT_MAX_SECONDS = 300.0  # batch: wall time of one document in its worker
DEFAULT_MAX_MEMORY_MB = 4096  # batch: heap of one worker process (Linux)


@dataclass(frozen=True)
class Limits:
    bytes: int = DEFAULT_MAX_BYTES
    chars: int = DEFAULT_MAX_CHARS
    pages: int = DEFAULT_MAX_PAGES
    seconds: float = DEFAULT_MAX_SECONDS
    memory_mb: int = DEFAULT_MAX_MEMORY_MB


DEFAULT_LIMITS = Limits()
