"""Text saved by a crawler as Markdown: its marks are not the document's characters.

A text is read as Markdown when a line opens with a heading mark (`## 政策全文`) or holds a bold
span (`**一、工作目标**`). It is then written as the plain text a reader sees: heading marks and
list bullets at the start of a line, `**` and `__` anywhere, and a link's address go; a link's
words stay; a heading the crawler put over what it saved (## 政策全文) goes. A single `*` is left
as it is: plans mark their lead units with it (市经信局*)."""
from __future__ import annotations

import re

_SIGNS = re.compile(r"^[ \t　]*#{1,6}[ \t]|\*\*[^*\n]+\*\*", re.M)
_HEADING = re.compile(r"^([ \t　]*)#{1,6}[ \t]*", re.M)
_BULLET = re.compile(r"^([ \t　]*)[-+][ \t]+", re.M)
_BOLD = re.compile(r"\*\*|__")
# Headings a crawler adds over what it saved (## 政策全文, ### 基本信息, ## 文档 ：x.md): not the document.
_CRAWLER_HEADING = re.compile(r"^[ \t　]*#{1,6}[ \t]*(?:政策全文|基本信息|正文|原文|文档\s*[：:].*)[ \t]*$", re.M)
_LINK = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)|\[([^\]\n]*)\]\([^)\n]*\)")


def is_markdown(text: str) -> bool:
    return ("#" in text or "**" in text) and _SIGNS.search(text) is not None


def plain(text: str) -> str:
    """The text without its Markdown marks (only for a text is_markdown says is Markdown)."""
    text = _CRAWLER_HEADING.sub("", text)
    text = _LINK.sub(lambda m: m.group(1) or "", text)
    text = _HEADING.sub(r"\1", text)
    text = _BULLET.sub(r"\1", text)
    return _BOLD.sub("", text)
