"""Property-based tests: numerals round-trip between Chinese and Arabic forms, magnitudes
scale exactly, and no string makes an extractor raise or point outside the text."""
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import bundled_rules
from policyparse.extractors.numerals import parse_arabic, parse_chinese
from policyparse.extractors.quantities import find_quantities
from policyparse.extractors.targets import find_targets

RULES = bundled_rules()

DIGITS = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """An independent writer of Chinese numerals (the reading is what we test)."""
    if n == 0:
        return "零"
    parts = []
    for big, word in ((10**8, "亿"), (10**4, "万"), (1, "")):
        chunk, n = divmod(n, big)
        if chunk:
            parts.append((small(chunk) if chunk < 10**4 else chinese(chunk)) + word)
        elif parts and n:
            parts.append("零")
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def small(n: int) -> str:
    out = ""
    zero = False
    for value, word in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            if zero and out:
                out += "零"
            out += DIGITS[digit] + word
            zero = False
        else:
            zero = True
    return out


@given(st.integers(min_value=1, max_value=10**12))
def test_chinese_numerals_round_trip(n):
    assert parse_chinese(chinese(n)) == n


@given(st.integers(min_value=0, max_value=10**15))
def test_arabic_with_thousands_separators(n):
    assert parse_arabic(f"{n:,}") == n


@given(st.integers(min_value=1, max_value=10**6), st.sampled_from([("万", 10**4), ("亿", 10**8), ("千万", 10**7)]),
       st.sampled_from(["元", "名", "家", "平方米"]))
def test_magnitudes_scale_exactly(n, magnitude, unit):
    word, factor = magnitude
    text = f"新增{n}{word}{unit}。"
    [q] = find_quantities(text, RULES)
    assert q.value == n and q.value_base == Decimal(n) * factor and q.unit == word + unit


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_decimal_values_survive(value):
    text = f"增长{value}%"
    found = find_targets(text, 0, len(text), RULES, 2023)
    assert [t.value for t in found] == [value]


ALPHABET = st.sampled_from(list("0123456789０１２.,，、；。：（）“”%％亿万千百十一二两三四五六七八九家个项名人元亩以上内左右约至到—-"
                                "新增实现力争确保达到突破增长下降累计其中责任单位*牵头年月底前季度\n\t 　abcG"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_no_string_breaks_the_extractor(text):
    for t in find_targets(text, 0, len(text), RULES, 2023):
        assert 0 <= t.start <= t.number_start < t.number_end <= len(text)
        if t.indicator_start is not None:
            assert text[t.indicator_start:t.indicator_end] == t.indicator


@given(st.integers(min_value=29, max_value=80), st.sampled_from(["亿元", "家", "%", "万吨"]))
def test_a_number_longer_than_decimal_precision_is_read_not_raised(digits, unit):
    # The fuzz target found a 53-digit amount that made the exact-value step raise.
    text = f"新增企业达到{'9' * digits}{unit}"
    assert [t.value for t in find_targets(text, 0, len(text), RULES, 2023)] == [Decimal("9" * digits)]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_unicode_is_safe(text):
    find_targets(text, 0, len(text), RULES, None)
