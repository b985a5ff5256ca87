"""Target extraction, sentence in, record out (docs/annotation.md is the rule book)."""
from decimal import Decimal

import pytest

from extractors.quantities import find_quantities
from extractors.targets import find_targets


def extract(sentence: str, year: int | None = 2023):
    return find_targets(sentence, 0, len(sentence), year)


def one(sentence: str):
    found = extract(sentence)
    assert len(found) == 1, [sentence[t.start:t.end] for t in found]
    return found[0]


def test_new_high_tech_firms():
    t = one("新增高新技术企业130家")
    assert (t.indicator, t.action, t.quantity.value_base, t.quantity.base_unit) == ("高新技术企业", "新增", 130, "家")
    assert (t.kind, t.comparator, t.hedged) == ("increment", "=", False)


def test_output_value_breaks_through_with_growth_sharing_the_indicator():
    level, growth = extract("力争规上工业产值突破2200亿元，增长10%")
    assert level.indicator == "规上工业产值"
    assert level.quantity.value == 2200 and level.quantity.unit == "亿元"
    assert level.quantity.value_base == Decimal("220000000000") and level.quantity.base_unit == "元"
    assert (level.comparator, level.kind, level.hedged, level.modality) == (">=", "level", True, "力争")
    assert growth.indicator == "规上工业产值" and growth.indicator_start == level.indicator_start
    assert (growth.kind, growth.quantity.base_unit, growth.hedged) == ("growth_rate", "%", True)


def test_magnitude_words_scale_to_the_base_unit():
    t = one("技能人才1.3万名以上")
    assert (t.quantity.value, t.quantity.unit, t.quantity.value_base, t.quantity.base_unit) == (
        Decimal("1.3"), "万名", 13000, "名")
    assert t.comparator == ">="
    area = one("2023年新增孵化面积22万平方米")
    assert (area.indicator, area.quantity.value_base, area.quantity.base_unit) == ("孵化面积", 220000, "平方米")
    assert one("完成电网建设投资4.98亿元").quantity.value_base == 498000000


def test_each_listed_number_gets_its_own_indicator_and_action():
    found = extract("增资扩产项目谋划100个、开工100个、竣工50个")
    assert [(t.indicator, t.action, int(t.quantity.value)) for t in found] == [
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
    assert [(t.indicator, int(t.quantity.value), t.comparator) for t in found] == [
        ("超亿元项目", 50, "="), ("超10亿元", 10, "="), ("超百亿元", 1, ">=")]
    assert [t.indicator for t in extract("2023年亿元企业达345家以上，10亿元企业达17家以上")] == [
        "亿元企业", "10亿元企业"]


def test_programme_codes_do_not_become_counts():
    found = extract("列入省152项目7个、省重大产业项目3个以上")
    assert [(t.indicator, int(t.quantity.value)) for t in found] == [("省152项目", 7), ("省重大产业项目", 3)]


def test_full_width_digits_and_a_space_before_the_unit():
    t = one("创成省级以上科技企业孵化器（众创空间）2 家以上")
    assert (t.indicator, t.quantity.value, t.quantity.unit, t.comparator) == (
        "省级以上科技企业孵化器（众创空间）", 2, "家", ">=")
    wide = one("新增企业２０家")
    assert wide.quantity.value == 20 and wide.quantity.unit == "家"


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
    [q], _ = find_quantities(text)
    assert (q.value, q.unit) == (value, unit)
