"""Where a 、 does not separate two bodies: a part that names a level of government and no body
(各省、自治区、直辖市人民政府; 各区、县（市）政府; 市政府各委、办、局) shares the name of its
neighbour, so the parts are one item. Used by the 主送 / 抄送 lists and by the units of a note."""
from __future__ import annotations

import regex

_LEVEL = regex.compile(r"^各?(?:省|自治区|直辖市|计划单列市|委|办|局|县|市|区|州|盟|地区|乡镇|街道|部|厅)$")


def is_level(part: str) -> bool:
    """A part that is a level word alone (with 各 before it): 各省, 自治区, 各区, 县, 办."""
    return len(part) <= LEVEL_CHARS and _LEVEL.match(part) is not None


LEVEL_CHARS = 6  # the longest level word with 各 before it: 各计划单列市


def joins(previous_first: str, previous_last: str, part: str, bare: bool) -> bool:
    """Whether `part` belongs to the item before it (whose first part is `previous_first`, last
    part `previous_last`, the separator between them a 、): a bare part joins an item that does
    not open with 各 (市政府各委、办、局); any part joins an item opened by 各 and a level word whose
    last part is a level word too (各省、自治区、直辖市人民政府)."""
    opened_by_level = previous_first.startswith("各") and is_level(previous_first)
    return (bare and not previous_first.startswith("各")) or (opened_by_level and is_level(previous_last))
