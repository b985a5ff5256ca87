"""Segmentation on small notices: header fields, heading hierarchy, the annex table."""
from conftest import bundled_rules
from policyparse.normalise import normalise
from policyparse.segment import segment

RULES = bundled_rules()

NOTICE = """某某县人民政府
关于印发《2024年某某县工业发展实施方案》的通知
某政发〔2024〕3号
各乡镇人民政府：
现印发给你们，请认真贯彻执行。
某某县人民政府
2024年2月1日
2024年某某县工业发展实施方案
一、主要目标
新增企业10家。
二、重点任务
（一）做强产业。推进产业集群。（责任单位：县经信局）
1．培育企业。新增企业5家。
2．建设园区。
（二）优化服务
三、保障措施
附件
重点任务分工表
\t序号
\t主要举措
\t重点任务（指标）
\t责任单位

\t1
\t做强产业
\t新增企业5家。
\t县经信局

\t2
\t
\t建设园区1个。
\t县发改局*、县经信局

抄送：县委办。
"""


def test_header_fields_and_their_offsets():
    seg = segment(NOTICE, RULES)
    h = seg.header
    assert (h.issuer.value, h.doc_number.value, h.date.value, h.year) == ("某某县人民政府", "某政发〔2024〕3号", "2024-02-01", 2024)
    assert h.title.value == "2024年某某县工业发展实施方案"
    assert NOTICE[h.title.start:h.title.end] == h.title.value
    assert [f.value for f in h.recipients] == ["各乡镇人民政府"]
    assert [f.value for f in h.cc] == ["县委办"]


def test_heading_hierarchy_paths_and_titles():
    seg = segment(NOTICE, RULES)
    assert [(s.path, s.level, s.title) for s in seg.sections] == [
        ("一", 1, "主要目标"), ("二", 1, "重点任务"), ("二/（一）", 2, "做强产业"), ("二/（一）/1", 3, "培育企业"),
        ("二/（一）/2", 3, "建设园区"), ("二/（二）", 2, "优化服务"), ("三", 1, "保障措施")]
    two = seg.sections[1]
    assert NOTICE[two.start:two.end].endswith("（二）优化服务")


def test_annex_rows_fill_down_and_keep_the_cell_as_written():
    seg = segment(NOTICE, RULES)
    assert seg.annex_title.value == "重点任务分工表"
    assert [(r.seq, r.measure, r.measure_filled, r.units_raw) for r in seg.annex_rows] == [
        ("1", "做强产业", "做强产业", "县经信局"), ("2", "", "做强产业", "县发改局*、县经信局")]


def test_chinese_numeral_date_and_crlf():
    text = normalise(NOTICE.replace("2024年2月1日", "二〇二四年二月一日").replace("\n", "\r\n")).text
    assert segment(text, RULES).header.date.value == "2024-02-01"


def test_a_row_with_a_missing_cell_is_reported_not_dropped():
    broken = NOTICE.replace("\t建设园区1个。\n", "")
    seg = segment(broken, RULES)
    assert len(seg.annex_rows) == 2
    assert [f.code for f in seg.findings] == ["annex_row_cells"]


def test_a_plan_without_notice_or_headings_still_segments():
    seg = segment("2024年某某县工作要点\n新增企业10家。\n", RULES)
    assert seg.header.title.value == "2024年某某县工作要点"
    assert seg.header.year == 2024
    assert seg.sections == () and [f.code for f in seg.findings] == ["no_sections"]


def test_an_annex_table_whose_header_stands_under_a_title_row_is_read_from_its_header():
    titled = NOTICE.replace("重点任务分工表\n\t序号", "重点任务分工表\n\t某某县2024年重点任务分工表\n\n\t序号")
    seg = segment(titled, RULES)
    assert [(r.seq, r.measure_filled, r.task) for r in seg.annex_rows] == [
        ("1", "做强产业", "新增企业5家。"), ("2", "做强产业", "建设园区1个。")]
    assert [code for code in (f.code for f in seg.findings) if code.startswith("annex")] == []
