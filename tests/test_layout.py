"""The layout every backend writes: tables continued across a page or an author's split, the
repeated header row dropped, a row broken across a page joined."""
from policyparse.ingest.layout import LayoutWriter, plain


def table(*rows):
    return [[plain(cell) for cell in row] for row in rows]


def cells(extracted):
    return [[[extracted.text[s:e] for s, e in row] for row in block.rows] for block in extracted.tables]


HEADER = ("序号", "任务", "单位")


def test_a_table_continued_on_the_next_page_is_one_table_without_the_repeated_header():
    writer = LayoutWriter()
    writer.paragraph(plain("附件"))
    writer.table(table(HEADER, ("1", "新增企业5家", "县经信局"), ("2", "新建基站300", "县经信局")))
    writer.paragraph([])  # a blank line between the two parts
    writer.table(table(HEADER, ("", "个", "、县发改局"), ("3", "建设园区1个", "县发改局")), split_row=True)
    out = writer.result("utf-8")
    assert cells(out) == [[list(HEADER), ["1", "新增企业5家", "县经信局"], ["2", "新建基站300个", "县经信局、县发改局"],
                           ["3", "建设园区1个", "县发改局"]]]
    assert out.text.startswith("附件\n\t序号\n\t任务\n\t单位\n\n\t1\n")


def test_text_between_tables_or_another_shape_keeps_them_apart():
    writer = LayoutWriter()
    writer.table(table(HEADER, ("1", "新增企业5家", "县经信局")))
    writer.paragraph(plain("说明：以上为重点任务。"))
    writer.table(table(HEADER, ("2", "新建基站300个", "县经信局")))
    writer.table(table(("序号", "单位"), ("1", "县经信局")))
    assert [len(block) for block in cells(writer.result("utf-8"))] == [2, 2, 2]
