"""Named errors the library raises; the CLI turns each into one line and an exit status."""
from __future__ import annotations


class PolicyParseError(Exception):
    """A document that cannot be parsed, with the reason in words a user understands."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class InputError(PolicyParseError):
    """The file is missing, empty, too large, of an unknown kind, or not text we can decode."""


class UnsupportedFormat(InputError):
    """A file type no ingest backend reads (yet)."""


class BatchError(Exception):
    """A batch that cannot run at all (not one document's fault): say why in one line."""


def shown(path: str) -> str:
    """A path as text that any UTF-8 file or terminal takes: the bytes of a name that is not
    UTF-8 (which Python carries as lone surrogates) written as \\xNN."""
    try:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file name decodes to
        return path.encode("utf-8", "backslashreplace").decode("utf-8")


def internal_error(exc: Exception) -> str:
    """The reason given for a bug met while parsing a document: one line, no traceback."""
    return f"internal error while parsing ({type(exc).__name__}: {exc}); please report it"
