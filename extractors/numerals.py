"""Numerals: Arabic (with thousands separators and decimals) and Chinese, to Decimal."""
from __future__ import annotations

from decimal import Decimal

CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                  "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_BIG_UNITS = {"万": 10**4, "亿": 10**8}

# Regex fragments (over folded text). A Chinese numeral never starts with 零, 万 or 亿:
# 每万人 is "per ten thousand people" and 新零售 "new retail", not numbers.
ARABIC = r"(?<![0-9A-Za-z.])[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?"
CHINESE = r"(?<![零〇一二两三四五六七八九十百千万亿])[一二两三四五六七八九十百千][零〇一二两三四五六七八九十百千万亿]*"


def parse_arabic(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def parse_chinese(text: str) -> Decimal:
    """一千五百 → 1500, 十二 → 12, 两万三千 → 23000, 三百亿 → 30000000000, 二〇二三 → 2023."""
    if text and all(ch in CHINESE_DIGITS for ch in text):
        # Digit by digit, as in years written 二〇二三.
        return Decimal("".join(str(CHINESE_DIGITS[ch]) for ch in text))
    total = 0
    section = 0
    digit = None
    for ch in text:
        if ch in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[ch]
        elif ch in CHINESE_SMALL_UNITS:
            section += (1 if digit is None else digit) * CHINESE_SMALL_UNITS[ch]
            digit = None
        elif ch in CHINESE_BIG_UNITS:
            section += digit or 0
            big = CHINESE_BIG_UNITS[ch]
            if section == 0 and total == 0:
                section = 1
            total = (total + section) * big if big > 10**4 else total + section * big
            section = 0
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return Decimal(total + section + (digit or 0))


def split_magnitude(chinese: str) -> tuple[str, str]:
    """Split a trailing magnitude off a Chinese numeral: 三百万 → (三百, 万), 一千五百 → (一千五百, '')."""
    i = len(chinese)
    while i > 1 and chinese[i - 1] in CHINESE_BIG_UNITS:
        i -= 1
    return chinese[:i], chinese[i:]
