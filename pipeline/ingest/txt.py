"""Plain text in UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK.

GB18030 maps almost every byte sequence to *some* character, so a successful decode
proves nothing: we accept it only when the text reads like Chinese prose (most Han
characters are common ones from GB2312). Otherwise the file is refused rather than
parsed as mojibake.
"""
from __future__ import annotations

import codecs
import re

from policyparse.errors import InputError

# Control characters that never occur in a text notice (tab, newline, CR, form feed do).
CONTROL_CHARACTERS = frozenset(chr(c) for c in range(32)) - {"\t", "\n", "\r", "\f"}
_CONTROL = re.compile("[" + re.escape("".join(sorted(CONTROL_CHARACTERS))) + "]")
# Share of Han characters that must be common (GB2312) for a GB18030 reading to be trusted.
MIN_COMMON_HAN = 0.9


def decode(name: str, data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises InputError naming why the bytes are not text."""
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = _strict(name, data, "utf-8-sig"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _strict(name, data, "utf-16"), "utf-16"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            text, encoding = _gb18030(name, data, exc.start), "gb18030"
    if _CONTROL.search(text):
        raise InputError(name, "binary data, not text (control characters found)")
    return text, encoding


def _strict(name: str, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(name, f"undecodable bytes at offset {exc.start} (the file starts with a {encoding} "
                               "BOM)") from None


def _gb18030(name: str, data: bytes, utf8_error: int) -> str:
    if b"\x00" in data:
        raise InputError(name, "binary data, not text (NUL bytes found)")
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        # Both offsets: a UTF-8 file with a pasted-in GBK paragraph breaks at the first, a GBK file at the second.
        raise InputError(name, f"undecodable: not UTF-8 (from byte {utf8_error}) nor GB18030/GBK "
                               f"(from byte {exc.start})") from None
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"]
    if not han or sum(_is_common(ch) for ch in han) / len(han) < MIN_COMMON_HAN:
        raise InputError(name, "undecodable: not UTF-8, and reading it as GB18030/GBK gives no plausible Chinese text")
    return text


def _is_common(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True
