"""Reading real golden files: a quote is found in the document's text whatever its line breaks,
in document order."""
import pytest

from policyparse.real_golden import Locator, read

TEXT = "一、总体目标\n到2027年，新增注册证超500件，\n新增产品超100件。\n二、任务\n新增注册证超500件。"


def test_a_quote_is_found_across_line_breaks_and_in_order():
    locate = Locator(TEXT)
    first = locate.find("新增产品超100件")
    assert TEXT[first[0]:first[1]] == "新增产品超100件"
    broken = Locator("新增注册证超5\n00件")
    span = broken.find("新增注册证超500件")
    assert broken.text[span[0]:span[1]] == "新增注册证超5\n00件"
    later = locate.find("新增注册证超500件")  # the cursor moved past the first one
    assert later[0] > first[0] and TEXT[later[0]:later[1]] == "新增注册证超500件"


def test_a_quote_inside_a_span_and_a_missing_one():
    locate = Locator(TEXT)
    clause = locate.find("到2027年，新增注册证超500件")
    number = locate.find("500件", within=clause)
    assert TEXT[number[0]:number[1]] == "500件" and clause[0] <= number[0] < number[1] <= clause[1]
    assert locate.find("新增企业10家") is None


def test_a_golden_folder_with_other_columns_is_refused(tmp_path):
    (tmp_path / "document.json").write_text('{"title": "x"}', encoding="utf-8")
    with pytest.raises(ValueError, match="document.json: the fields must be"):
        read(tmp_path)
