"""Every quantity with its role, sentence in, record out (docs/annotation.md, "Every quantity, with
its role"); the sentences are the real documents' of issue 15."""
from decimal import Decimal

import pytest

from conftest import bundled_rules
from policyparse import Parser
from policyparse.extractors.roles import Decision
from policyparse.extractors.targets import Scope, read_quantities

RULES = bundled_rules()
MEASURES = Decision("other", "other_document")  # what the title of a document that is no plan makes


def read(sentence: str, year: int | None = 2026, scope: Decision | None = None):
    scopes = (Scope(0, len(sentence), scope, "title"),) if scope else ()
    return read_quantities(sentence, 0, len(sentence), RULES, year, scopes=scopes)


def roles(sentence: str, scope: Decision | None = None) -> list[tuple[str, str]]:
    return [(r.quantity.written, r.quantity.role) for r in read(sentence, scope=scope)]


@pytest.mark.parametrize("sentence, expected", [
    ("居家社区养老服务组织被评定的，给予一次性补贴15万元", [("15万元", "incentive")]),
    ("可按规定享受每月1000元、最长60个月的安居补贴", [("1000元", "incentive"), ("60个月", "period")]),
    ("就业类申请人上年度年薪应当在30万元以上", [("30万元", "eligibility")]),
    ("可享受每年2次、单次最长7天的免费住宿", [("2次", "period"), ("7天", "period")]),
    ("各级粮食储备库必须24小时值班", [("24小时", "period")]),
    ("对年营收超1000万元的企业给予50万元奖励", [("1000万元", "eligibility"), ("50万元", "incentive")]),
    ("年龄在18至45周岁", [("18至45周岁", "eligibility")]),
    ("2022年我国数字经济规模达50.2万亿元", [("50.2万亿元", "baseline")]),
    ("截至目前已建成社区120个", [("120个", "baseline")]),
    ("支持一人公司发展，聚焦“两个市场”", [("一人", "other"), ("两个", "other")]),
    ("实施八项主要任务", [("八项", "other")]),
    ("处1万元以上10万元以下的罚款", [("1万元", "other"), ("10万元", "other")]),
    ("2023年，力争规上工业产值突破9454亿元，增长7.5%", [("9454亿元", "target"), ("7.5%", "target")]),
    ("毕业5年内的高校毕业生创办企业", [("5年", "eligibility")]),
    ("办理时限压缩至1个工作日内", [("1个工作日", "target")]),
    ("可减少1个月变动待遇等待期", [("1个月", "period")]),
])
def test_each_number_has_its_role(sentence, expected):
    assert roles(sentence) == expected


def test_a_class_threshold_inside_a_count_goal_is_an_eligibility_of_the_class():
    threshold, count = read("培育营收超千万元的企业100家以上")
    assert (threshold.quantity.role, threshold.quantity.value_base) == ("eligibility", Decimal(10**7))
    assert count.quantity.role == "target" and count.target.quantity_id == "" and count.target.value_base == 100
    assert (count.target.indicator, count.target.comparator) == ("营收超千万元的企业", ">=")


@pytest.mark.parametrize("sentence, written, value_base, unit", [
    ("引进千名高层次人才", "千名", 1000, "名"),
    ("打造百个应用场景", "百个", 100, "个"),
    ("引育万名青年人才", "万名", 10000, "名"),
    ("打造不少于两万平方米的专业化智创空间", "两万平方米", 20000, "平方米"),
    ("培育超千家高成长性人工智能创业企业", "千家", 1000, "家"),
])
def test_goals_written_with_chinese_magnitudes_and_no_digit(sentence, written, value_base, unit):
    [reading] = read(sentence)
    assert reading.quantity.written == written and reading.target is not None
    assert (reading.target.value_base, reading.target.base_unit) == (value_base, unit)


def test_approximate_is_equal_and_ranges_keep_both_ends():
    [about] = read("力争新增企业300家左右")
    assert (about.target.comparator, about.target.approximate) == ("=", True)
    [reached] = read("企业数量达到300家左右")
    assert (reached.target.comparator, reached.target.approximate) == ("=", True)
    [fee] = read("给予0.5万元—3万元奖励")
    assert (fee.quantity.value_base, fee.quantity.value_base_high, fee.quantity.role) == (5000, 30000, "incentive")
    for sentence in ("打造2～3个示范社区", "打造2—3个示范社区", "打造2-3个示范社区", "打造2至3个示范社区"):
        [span] = read(sentence)
        assert (span.target.value, span.target.value_high) == (2, 3), sentence


def test_a_goal_year_governs_every_target_of_its_sentence_and_sets_the_deadline():
    found = read("到2028年，建成社区100个；培育企业50家，集聚人才1000名。2026年，新增企业10家。")
    assert [(r.target.year, r.target.deadline) for r in found] == [
        (2028, "2028-12-31"), (2028, "2028-12-31"), (2028, "2028-12-31"), (2026, None)]
    assert read("到2025年底，新增企业10家")[0].target.deadline == "2025-12-31"
    [past] = read("光缆线路长度增加到2021年的5481万公里", scope=Decision("baseline", "report"))
    assert past.quantity.role == "baseline"


def test_in_measures_only_the_goals_are_targets():
    sentence = ("到2028年底，打造市级OPC社区10个以上。对入选项目给予最高100万元的资助；"
                "投资期限满2年的，按实际投资额的10%给予奖励。")
    assert roles(sentence, MEASURES) == [("10个", "target"), ("100万元", "incentive"), ("2年", "eligibility"),
                                         ("10%", "incentive")]


def test_an_incentive_says_its_cap_rate_and_recipient():
    capped, rate, plain = (r.quantity for r in read(
        "对入选项目给予最高100万元的资助。按实际投资额的10%给予奖励。给予一次性补贴15万元。"))
    assert (capped.cap, capped.rate, capped.recipient, capped.comparator) == (True, False, "入选项目", "<=")
    assert (rate.cap, rate.rate) == (False, True)
    assert (plain.cap, plain.rate, plain.recipient, plain.subject) == (False, False, None, "给予一次性补贴")
    [target] = read("新增企业10家")
    assert (target.quantity.cap, target.quantity.rate, target.quantity.recipient) == (None, None, None)


def test_a_document_says_what_its_numbers_are_by_its_title_and_headings(tmp_path):
    measures = tmp_path / "measures.txt"
    measures.write_text("关于支持人工智能创新发展的若干措施\n一、申报条件\n入驻企业不少于20家。\n"
                        "二、支持政策\n打造示范社区10个。每年评选企业50家。\n", encoding="utf-8")
    doc = Parser().parse(measures)
    assert [(q.written, q.role, q.role_rule) for q in doc.quantities] == [
        ("20家", "eligibility", "conditions"), ("10个", "target", "goal_verb"), ("50家", "other", "other_document")]
    assert [t.quantity_id for t in doc.targets] == ["Q0002"]
    report = tmp_path / "report.txt"
    report.write_text("国务院关于数字经济发展情况的报告\n我国数字经济规模达45.5万亿元。累计建成5G基站196.8万个。"
                      "力争数字经济核心产业增加值占比达到10%。\n", encoding="utf-8")
    assert [(q.written, q.role, q.role_rule) for q in Parser().parse(report).quantities] == [
        ("45.5万亿元", "baseline", "report"), ("196.8万个", "baseline", "report"), ("10%", "target", "goal_hedge")]


def test_the_title_is_read_in_the_opening_lines_up_to_a_list_of_annexes(tmp_path):
    cover = tmp_path / "cover.txt"
    cover.write_text("各区人民政府：\n《某市数字经济发展行动计划》已经市政府同意，现印发给你们，请认真贯彻执行。\n"
                     "某市人民政府\n2024年1月2日\n某市数字经济发展行动计划\n一、主要目标\n每年培育企业50家。\n",
                     encoding="utf-8")
    assert [(q.role, q.role_rule) for q in Parser().parse(cover).quantities] == [("target", "default")]
    reply = tmp_path / "reply.txt"
    reply.write_text("国务院办公厅关于某县地质灾害有关问题的复函\n某省人民政府：\n国土资源部两次组成专家组赴现场调查。\n"
                     "附件：1.国土资源部关于某县地质险情调研情况的报告\n", encoding="utf-8")
    assert [(q.role, q.role_rule) for q in Parser().parse(reply).quantities] == [("other", "other_document")]


# --- annex task cells read in one call, the text between them walled off -----------------------

WALLED_CELLS = [
    "力争规上工业产值突破2200亿元，增长10%",  # no full stop: the next cell must not join its sentence
    "30%以上的企业完成数字化改造。",  # a cell that opens with its number
    "2023年底前新增高新技术企业130家",  # a deadline that must not reach the next cell
    "培育1.3万名技能人才\n其中高级工1500名",  # a line break inside a cell
    "1．新建标准厂房1500亩",  # a cell that opens like a heading
    "（责任单位：市经信局*）",  # no number
    "确保\n每年新增企业3家",
]


@pytest.mark.parametrize("separator", ["\n\t", "\n\t序号\n\t", "\t", "\n"], ids=["cells", "a cell between", "tab", "line"])
def test_walled_cells_read_as_each_cell_alone(separator):
    # extract reads an annex's task cells in one call (a call costs as much as a short cell):
    # each cell must read as it reads alone, whatever stands between two cells.
    from policyparse.extractors.targets import Numbering, Place
    from policyparse.model import Source

    text = "附件\n\t" + separator.join(WALLED_CELLS) + "\n"
    spans, pos = [], 0
    for cell in WALLED_CELLS:
        pos = text.index(cell, pos)
        spans.append((pos, pos + len(cell)))
        pos += len(cell)
    alone, numbering = [], Numbering()
    for k, (start, end) in enumerate(spans):
        alone += read_quantities(text, start, end, RULES, 2023, place=lambda _o, k=k: Place(Source.ANNEX, None, str(k)),
                                 numbering=numbering)
    starts = [s for s, _e in spans]
    walled = read_quantities(text, spans[0][0], spans[-1][1], RULES, 2023, numbering=Numbering(),
                             place=lambda o: Place(Source.ANNEX, None, str(sum(s <= o for s in starts) - 1)),
                             walls=tuple((a[1], b[0]) for a, b in zip(spans, spans[1:])))
    assert len(alone) == 8  # 2200亿元 10% 30% 130家 1.3万名 1500名 1500亩 3家
    assert [(r.quantity.to_dict(), r.target and r.target.to_dict()) for r in walled] == \
        [(r.quantity.to_dict(), r.target and r.target.to_dict()) for r in alone]


def test_a_task_cell_two_rows_share_is_read_for_each_row(seed_doc):
    # A rowspan task cell (one span, two rows): the cells are not apart, and each row reads it.
    from types import SimpleNamespace

    from policyparse.extract import _annex_readings
    from policyparse.extractors.targets import Numbering

    first, second = seed_doc.annex_rows[:2]
    shared = second.evolve(task_start=first.task_start, task_end=first.task_end)
    seg = SimpleNamespace(annex_rows=(first, shared), header=seed_doc.header)
    readings = _annex_readings(seed_doc.text, seg, RULES, (), Numbering())
    by_row = {seq: [r.quantity.written for r in readings if r.quantity.annex_seq == seq] for seq in (first.seq, second.seq)}
    assert by_row[first.seq] == by_row[second.seq] != []
