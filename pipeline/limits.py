"""Per-document limits: how much one file may make policyparse read and work. A plan notice is
tens of kilobytes, tens of thousands of characters and a few dozen pages; the defaults leave
room for the largest real ones and refuse what no notice is (a 50 MB text, a 10,000-page PDF,
a document that keeps a process busy for minutes or takes gigabytes). Every limit is an option
of `parse` and `batch`; a document over one is refused with the limit named, never half-read.

    with bounded(limits):      # the work of one document, on the main thread
        ...                    # raises TimeLimit past limits.seconds, MemoryError past limits.memory_mb
"""
from __future__ import annotations

import os
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # the file, before reading it
DEFAULT_MAX_CHARS = 2_000_000  # the text ingest extracted, before segmenting it
DEFAULT_MAX_PAGES = 500  # a PDF's pages, counted before any page is read
DEFAULT_MAX_SECONDS = 300.0  # wall time of one document
DEFAULT_MAX_MEMORY_MB = 4096  # memory one document may take beyond what its process held before it (Linux)
# After the time limit a batch worker stuck in C code (where the alarm cannot interrupt it) gets
# this much longer, then its process ends and the pool replaces it.
KILL_GRACE_SECONDS = 5.0


@dataclass(frozen=True)
class Limits:
    bytes: int = DEFAULT_MAX_BYTES
    chars: int = DEFAULT_MAX_CHARS
    pages: int = DEFAULT_MAX_PAGES
    seconds: float = DEFAULT_MAX_SECONDS
    memory_mb: int = DEFAULT_MAX_MEMORY_MB


DEFAULT_LIMITS = Limits()


class TimeLimit(BaseException):
    """The document's wall time ran out (a BaseException, so that no `except Exception` in a
    backend mistakes it for a damaged file)."""


def time_limit_message(limits: Limits) -> str:
    return f"gave up after {limits.seconds:g} s (the time limit per document, see --max-seconds)"


def memory_limit_message(limits: Limits) -> str:
    return f"used more than {limits.memory_mb:,} MB of memory (see --max-memory)"


@contextmanager
def bounded(limits: Limits, kill_stuck: bool = False) -> Iterator[None]:
    """Run the block under the document's limits when this is the main thread (a dask worker
    runs tasks in threads: there the cluster's own limits apply). An alarm raises TimeLimit in
    Python code; with `kill_stuck` (a batch worker, which its pool replaces) a watchdog ends the
    process if C code holds on past it. The heap may grow by limits.memory_mb while the block
    runs, so an allocation past that raises MemoryError; the cap is lifted afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TimeLimit

    # The watchdog's thread first: under the memory cap there may be no room for its stack.
    watchdog = threading.Timer(limits.seconds + KILL_GRACE_SECONDS, os._exit, (70,)) if kill_stuck else None
    if watchdog:
        watchdog.daemon = True
        watchdog.start()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, limits.seconds)
    try:
        with _memory_cap(limits.memory_mb):
            yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if watchdog:
            watchdog.cancel()


@contextmanager
def _memory_cap(megabytes: int) -> Iterator[None]:
    try:
        import resource
    except ImportError:  # not on Windows
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    wanted = _data_bytes() + megabytes * 1024 * 1024
    if soft != resource.RLIM_INFINITY:
        wanted = min(wanted, soft)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (wanted, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


# How close to its memory cap a process is when an allocation there fails: past most requests.
CAP_MARGIN_BYTES = 64 * 1024 * 1024


def at_memory_cap() -> bool:
    """Whether this process is within CAP_MARGIN_BYTES of the memory cap `bounded` set. An
    allocation that fails there is the limit at work even when it does not say MemoryError:
    C code says so in its own way (SystemError "error return without exception set", a
    RuntimeError for a thread it cannot start, a backend's "damaged file")."""
    try:
        import resource
    except ImportError:
        return False
    soft, _hard = resource.getrlimit(resource.RLIMIT_DATA)
    return soft != resource.RLIM_INFINITY and _data_bytes() > soft - CAP_MARGIN_BYTES


_VM_DATA = re.compile(rb"^VmData:\s+(\d+) kB", re.M)


def _data_bytes() -> int:
    """What RLIMIT_DATA counts of this process now (Linux: VmData); 0 where that is unknown."""
    try:
        with open("/proc/self/status", "rb") as f:
            found = _VM_DATA.search(f.read())
    except OSError:
        return 0
    return int(found.group(1)) * 1024 if found else 0
