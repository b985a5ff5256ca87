"""Target extraction, sentence in, record out (docs/annotation.md is the rule book)."""
from decimal import Decimal

import pytest

from conftest import bundled_rules
from policyparse.extractors.quantities import find_quantities
from policyparse.extractors.targets import MAX_INDICATOR, find_targets

RULES = bundled_rules()


def extract(sentence: str, year: int | None = 2023):
    return find_targets(sentence, 0, len(sentence), RULES, year)


def one(sentence: str):
    found = extract(sentence)
    assert len(found) == 1, [sentence[t.start:t.end] for t in found]
    return found[0]


def test_new_high_tech_firms():
    t = one("新增高新技术企业130家")
    assert (t.indicator, t.action, t.value_base, t.base_unit) == ("高新技术企业", "新增", 130, "家")
    assert (t.kind, t.comparator, t.hedged) == ("increment", "=", False)


def test_output_value_breaks_through_with_growth_sharing_the_indicator():
    level, growth = extract("力争规上工业产值突破2200亿元，增长10%")
    assert level.indicator == "规上工业产值"
    assert level.value == 2200 and level.unit == "亿元"
    assert level.value_base == Decimal("220000000000") and level.base_unit == "元"
    assert (level.comparator, level.kind, level.hedged, level.modality) == (">=", "level", True, "力争")
    assert growth.indicator == "规上工业产值" and growth.indicator_start == level.indicator_start
    assert (growth.kind, growth.base_unit, growth.hedged) == ("growth_rate", "%", True)


def test_magnitude_words_scale_to_the_base_unit():
    t = one("技能人才1.3万名以上")
    assert (t.value, t.unit, t.value_base, t.base_unit) == (
        Decimal("1.3"), "万名", 13000, "名")
    assert t.comparator == ">="
    area = one("2023年新增孵化面积22万平方米")
    assert (area.indicator, area.value_base, area.base_unit) == ("孵化面积", 220000, "平方米")
    assert one("完成电网建设投资4.98亿元").value_base == 498000000


def test_each_listed_number_gets_its_own_indicator_and_action():
    found = extract("增资扩产项目谋划100个、开工100个、竣工50个")
    assert [(t.indicator, t.action, int(t.value)) for t in found] == [
        ("增资扩产项目", "谋划", 100), ("增资扩产项目", "开工", 100), ("增资扩产项目", "竣工", 50)]
    listed = extract("新增上市3家、报会3家")
    assert [(t.indicator, t.action) for t in listed] == [("上市", "新增"), ("报会", "新增")]


def test_coordinated_nouns_stay_one_indicator():
    t = extract("力争实现工业投资、制造业投资增长12%，高新投资增长15%")
    assert [t.indicator for t in t] == ["工业投资、制造业投资", "高新投资"]


def test_hedge_reaches_an_elliptical_clause_but_not_one_with_its_own_verb():
    found = extract("力争实现电气产业总产值1650亿元，规上产值1150亿元；实现新能源产业规上产值550亿元。")
    assert [t.hedged for t in found] == [True, True, False]
    assert [t.action for t in found] == ["实现", "实现", "实现"]
    elliptical = extract("力争新材料产业规上产值85亿元；智能装备产业规上产值325亿元。")
    assert [t.hedged for t in elliptical] == [True, True]
    assert extract("力争新增企业5家。新增园区2个。")[1].hedged is False


def test_ensure_is_firm_not_hedged():
    t = one("确保软件业务收入达到3.5亿元")
    assert (t.hedged, t.modality, t.action, t.comparator) == (False, "确保", "达到", ">=")


def test_noun_after_the_number_is_the_indicator():
    t = one("实施30项节能减碳技术改造项目")
    assert (t.indicator, t.action, t.kind) == ("节能减碳技术改造项目", "实施", "increment")


def test_kinds():
    assert one("国家级绿色工厂累计达到8家以上").kind == "cumulative"
    assert one("全社会研发占比2.95%以上").kind == "share"
    assert one("实现“一网通办”率95%以上").indicator == "“一网通办”率"
    assert one("外贸出口增长8%以上").kind == "growth_rate"
    assert one("单位工业增加值能耗下降3%").kind == "reduction"
    assert one("动态保持后备企业不少于50家").kind == "level"


def test_labels_and_names_are_not_targets():
    assert extract("紧紧围绕奋战“1310”宏伟目标，全力打好“三升一优”组合拳") == []
    assert extract("打造以智能电气为主导的“1+4+1”现代化产业体系") == []
    assert extract("建立10亿、20亿、50亿、100亿企业培育库") == []
    assert extract("打造超百亿石斛全产业链") == []
    assert extract("加大投资项目在线审批监管3.0平台运用力度，支持企业融合应用5G通讯") == []
    assert extract("落实“415X”先进制造业集群培育等重点领域政策包，形成“8+4”政策体系") == []
    assert extract("已经十七届市政府第十六次常务会议研究通过，贯彻落实党的二十大精神") == []
    assert extract("主动融入长三角一体化，组织一批企业赴南京") == []
    assert extract("全面落实自然资源、财政金融、能源、人才等4张要素保障清单") == []


def test_a_label_amount_does_not_hide_the_count_after_it():
    found = extract("力争落地超亿元项目50个、超10亿元10个、超百亿元1个以上")
    assert [(t.indicator, int(t.value), t.comparator) for t in found] == [
        ("超亿元项目", 50, "="), ("超10亿元", 10, "="), ("超百亿元", 1, ">=")]
    assert [t.indicator for t in extract("2023年亿元企业达345家以上，10亿元企业达17家以上")] == [
        "亿元企业", "10亿元企业"]


def test_programme_codes_do_not_become_counts():
    found = extract("列入省152项目7个、省重大产业项目3个以上")
    assert [(t.indicator, int(t.value)) for t in found] == [("省152项目", 7), ("省重大产业项目", 3)]


def test_full_width_digits_and_a_space_before_the_unit():
    t = one("创成省级以上科技企业孵化器（众创空间）2 家以上")
    assert (t.indicator, t.value, t.unit, t.comparator) == (
        "省级以上科技企业孵化器（众创空间）", 2, "家", ">=")
    wide = one("新增企业２０家")
    assert wide.value == 20 and wide.unit == "家"


def test_year_comes_from_the_sentence_else_the_plan():
    assert one("到2025年，新增企业20家").year == 2025
    assert one("新增企业20家").year == 2023


@pytest.mark.parametrize("text, value, unit", [
    ("一千五百亩", Decimal(1500), "亩"),
    ("两家", Decimal(2), "家"),
    ("三百万元", Decimal(300), "万元"),
    ("１２３４５人次", Decimal(12345), "人次"),
    ("1,200个", Decimal(1200), "个"),
])
def test_numerals(text, value, unit):
    [q] = find_quantities(text, RULES)
    assert (q.value, q.unit) == (value, unit)


def test_ranges_keep_both_ends_and_read_as_at_least():
    growth = one("全市规上工业增加值增长8%—10%")
    assert (growth.value, growth.value_high, growth.comparator, growth.kind) == (
        8, 10, ">=", "growth_rate")
    firms = one("新增市级绿色工厂30-40家")
    assert (firms.value, firms.value_high, firms.unit) == (30, 40, "家")
    assert one("其中国家级绿色工厂5至8家").value_high == 8


def test_approximate_and_more_than():
    about = one("年底前完成企业整治200家左右")
    assert (about.approximate, about.comparator, about.deadline) == (True, "=", "2023-12-31")
    assert one("形成节能能力约3万吨标准煤").approximate is True
    more = one("全年实施节能改造项目十余个")
    assert (more.value, more.comparator, more.approximate) == (10, ">", False)


def test_chinese_percent_words_and_cheng():
    full = one("企业技改备案办结率达到百分之百")
    assert (full.value_base, full.base_unit, full.kind) == (100, "%", "share")
    cut = one("高耗能企业数量压减三成")
    assert (cut.value, cut.unit, cut.value_base, cut.base_unit, cut.kind) == (
        3, "成", 30, "%", "reduction")


def test_levels_reached_by_going_down_or_up():
    days = one("将工业项目节能审查时间压缩至5个工作日以内")
    assert (days.indicator, days.comparator, days.kind, days.base_unit) == (
        "工业项目节能审查时间", "<=", "level", "工作日")
    cover = one("数字化改造覆盖率提高到80%")
    assert (cover.comparator, cover.kind) == (">=", "share")
    assert one("规上工业企业清洁生产审核覆盖面提高5个百分点").kind == "growth_rate"


def test_unknown_unit_is_kept_as_written():
    t = one("新增充电桩200根")
    assert (t.indicator, t.unit, t.base_unit) == ("充电桩", "根", "根")
    assert t.base_unit not in {u.base_unit for u in RULES.units.values()}
    assert extract("跻身世界500强、国字号企业") == []


@pytest.mark.parametrize("sentence, deadline", [
    ("6月底前完成企业节能诊断30家", "2023-06-30"),
    ("9月30日前新增企业5家", "2023-09-30"),
    ("三季度末前新增省级绿色工厂２０家", "2023-Q3"),
    ("2024年底前建成园区2个", "2024-12-31"),
    ("上半年新增企业5家", "2023-06-30"),
    ("2月底前新增企业5家", "2023-02-28"),
])
def test_deadlines(sentence, deadline):
    assert one(sentence).deadline == deadline


def test_a_deadline_stops_at_a_period_word_and_at_a_semicolon():
    found = extract("6月底前完成企业节能诊断30家，全年实施节能改造项目十余个；新增园区2个。")
    assert [t.deadline for t in found] == ["2023-06-30", None, None]
    assert found[0].indicator == "企业节能诊断"


def test_a_wrapped_line_does_not_end_the_sentence():
    text = "工业投资\n增长10%,其中技改投资增长12%以上。\n二、工作举措\n新增企业\n15家。"
    found = extract(text)
    assert [(t.indicator, text[t.start:t.end]) for t in found] == [
        ("工业投资", "工业投资\n增长10%"), ("技改投资", "其中技改投资增长12%以上"), ("企业", "新增企业\n15家")]


def test_policy_parameters_and_programme_names_are_not_targets():
    assert extract("对节能改造项目按设备投资额的10%给予补助，单个项目最高不超过200万元") == []
    assert extract("推进碳达峰三年行动方案，企业技改备案一年内办结") == []
    assert extract("完成年综合能耗5000吨标准煤以上企业节能诊断") == []


def test_own_verb_stops_inheriting_a_bound_word_does_not():
    found = extract("力争实现工业投资、制造业投资增长12%，高新投资增长15%")
    assert [t.action for t in found] == ["实现", None]
    projects = extract("引进10个节能环保重大项目，其中超亿元项目不少于3个")
    assert [(t.indicator, t.action, t.kind) for t in projects] == [
        ("节能环保重大项目", "引进", "increment"), ("超亿元项目", "引进", "increment")]


def test_a_verb_inside_a_noun_after_the_number():
    t = one("争取两家园区创成省级绿色低碳园区")
    assert (t.indicator, t.action, t.kind, t.modality) == ("省级绿色低碳园区", "创成", "increment", "争取")


def test_year_on_year_and_respectively_are_not_part_of_the_indicator():
    total, growth = extract("全县货物贸易进出口总额达到180亿元，同比增长6%以上")
    assert growth.indicator == "全县货物贸易进出口总额" and growth.kind == "growth_rate"
    hours = extract("进口、出口整体通关时间分别压缩至30小时和1.5小时以内")
    assert [(t.indicator, t.value, t.comparator) for t in hours] == [
        ("进口、出口整体通关时间", 30, "<="), ("进口、出口整体通关时间", Decimal("1.5"), "<=")]


def test_an_amount_with_de_labels_the_noun_after_it():
    found = extract("全年新增备案登记外贸企业150家，其中年出口额超1000万美元的企业不少于12家")
    assert [(t.indicator, int(t.value), t.action) for t in found] == [
        ("备案登记外贸企业", 150, "新增"), ("年出口额超1000万美元的企业", 12, "新增")]
    assert one("参展企业达到200家次").base_unit == "家次"


def test_fractions_and_adverbs_by_their_tags():
    third = one("乡镇覆盖面达到三分之一")
    assert (third.value, third.base_unit) == (Decimal("33.33"), "%")
    assert one("出口额稳步增长10%").indicator == "出口额"


def test_numbers_joined_in_one_piece_share_its_text():
    first, second = extract("进口、出口整体通关时间分别压缩至30小时和1.5小时以内")
    assert first.text == second.text == "进口、出口整体通关时间分别压缩至30小时和1.5小时以内"
    assert second.indicator == first.indicator


def test_a_run_of_numbers_with_no_delimiter_gives_each_number_its_own_piece():
    # Issue 16: one sentence repeating a target 4,000 times made 8,000 targets each holding all
    # of it (a 707 MB dataset from 176 KB). Past a few numbers, each one's piece ends after it.
    sentence = "力争产值突破2200亿元增长百分之5" * 400
    found = extract(sentence)
    assert len(found) == 800
    assert [t.text for t in found[:2]] == ["力争产值突破2200亿元", "增长百分之5"]
    assert {t.text for t in found} == {"力争产值突破2200亿元", "增长百分之5"}
    assert sum(len(t.text) for t in found) == len(sentence)
    assert all(t.hedged and t.modality == "力争" for t in found)


def test_a_run_of_text_before_a_number_is_no_indicator_and_is_not_inherited():
    # Issue 16: a 20,000-character run before the first number was the indicator of each of the
    # 5,000 numbers after it in its clause group (577 MB from 115 KB).
    first, *rest = extract("规上工业" * 500 + "产值2200亿元" + "，增长5%" * 300)
    assert first.indicator is None and len(rest) == 300
    assert all(t.indicator is None and t.text == "增长5%" for t in rest)
    longest = "规" * MAX_INDICATOR
    assert one(f"{longest}2200亿元").indicator == longest


def test_only_clauses_of_a_plausible_length_are_remembered():
    from policyparse.extractors.text import MEMO_CHARS, remembered_bounds, word_bounds

    long = "力争产值突破2200亿元增长百分之5" * (MEMO_CHARS // 10)
    before = remembered_bounds.cache_info().currsize
    assert max(word_bounds(long, RULES)) == len(long)
    assert remembered_bounds.cache_info().currsize == before


def test_a_bound_before_the_verb_of_its_number_is_its_comparator():
    # gz_19: 至少 stands before 安排, the verb of 300名, not before the number itself.
    sentence = "每年全省各级机关至少安排300名"
    [target] = find_targets(sentence, 0, len(sentence), RULES, 2023)
    assert (target.indicator, target.action, target.comparator) == ("每年全省各级机关", "安排", ">=")


def test_a_number_with_its_own_verb_keeps_a_verb_inside_its_indicator():
    # sh_01: 将…压缩至25周: 压缩至 is the number's verb; 启动 is part of what is measured.
    sentence = "力争将临床试验启动前医疗机构内部整体用时压缩至25周以内"
    [target] = find_targets(sentence, 0, len(sentence), RULES, 2023)
    assert (target.indicator, target.action, target.comparator, target.kind) == (
        "临床试验启动前医疗机构内部整体用时", None, "<=", "level")


@pytest.mark.parametrize("sentence, opening", [
    ("引导合作机构逐步将平均担保费率降至1%以下", "平均担保费率"),  # govcn_002: 将 puts the object first
    ("全市病种数量将从5种增加到10种", "全市病种数量"),  # gz_08: there 将 is "will", not the object's marker
])
def test_the_object_of_a_numbers_own_verb_is_its_indicator(sentence, opening):
    target = find_targets(sentence, 0, len(sentence), RULES, 2023)[-1]
    assert target.indicator.startswith(opening)


@pytest.mark.parametrize("sentence, indicator", [
    ("在北京、沈阳等地建设8个中央级库", "中央级库"),  # sh_24: before the verb, only where
    ("依托秀洲运河湾先行打造2-3个带动力强的示范社区", "带动力强的示范社区"),  # opc_004
    ("建成10个以上“农机服务+”新型组织", "“农机服务+”新型组织"),  # sh_18: a quoted name is part of the noun
    ("小微企业园开工2个", "小微企业园"),  # nothing after the number: the indicator stands before the verb
])
def test_a_noun_after_a_verb_and_its_number_is_what_is_counted(sentence, indicator):
    [target] = find_targets(sentence, 0, len(sentence), RULES, 2023)
    assert target.indicator == indicator
