"""Annex rows linked to the body measures they restate, and what the two disagree on."""
import pytest

from policyparse import parse

NOTICE = """青田县人民政府办公室

关于印发《2024年青田县企业培育工作要点》的通知

2024年青田县企业培育工作要点

一、重点任务
（一）聚力企业梯度培育
1．培育企业。2024年，力争新增规上企业30家，新增高新技术企业20家。（牵头单位：县经信局；配合单位：县科技局）
2．建设平台。新建孵化器2个。（责任单位：县科技局）
3．强化保障。统筹安排专项资金2000万元。（责任单位：县财政局）
附件

重点任务清单
\t序号
\t主要举措
\t重点任务
\t责任单位（带*的为牵头单位）

\t1
\t聚力企业梯次培育
\t培育企业。新增规上企业30家，新增高新技术企业25家。
\t县科技局

\t2
\t
\t建设平台。新建孵化器2个。
\t县科技局*、县统计局

\t3
\t
\t开展文明城市创建，营造全民参与氛围。
\t县文明办
"""


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("link") / "qingtian-2024-enterprises.txt"
    path.write_text(NOTICE, encoding="utf-8")
    return parse(path)


def findings(doc, code):
    return [(str(f.where), doc.text[f.start:f.end], f.related_where and str(f.related_where))
            for f in doc.findings if f.code == code]


def test_each_row_is_linked_to_the_measure_it_restates_with_its_score(doc):
    rows = {r.seq: r for r in doc.annex_rows}
    assert (rows["1"].link_section, rows["2"].link_section) == ("一/（一）/1", "一/（一）/2")
    assert rows["2"].link_score == 1.0
    assert 0.5 < rows["1"].link_score < 1.0


def test_a_row_that_restates_no_measure_is_left_unlinked_and_reported(doc):
    assert doc.annex_rows[2].link_section is None and doc.annex_rows[2].link_score is None
    assert findings(doc, "annex_row_unlinked") == [("annex row 3", "开展文明城市创建，营造全民参与氛围。", None)]


def test_a_renamed_measure_names_both_words(doc):
    [renamed] = [f for f in doc.findings if f.code == "measure_renamed"]
    assert (str(renamed.where), doc.text[renamed.start:renamed.end]) == ("annex row 1", "聚力企业梯次培育")
    assert (str(renamed.related_where), doc.text[renamed.related_start:renamed.related_end]) == ("一/（一）", "聚力企业梯度培育")
    assert "梯次 ≠ 梯度" in renamed.message


def test_a_target_value_in_one_side_only(doc):
    assert findings(doc, "target_only_in_annex") == [("annex row 1", "新增高新技术企业25家", "一/（一）/1")]
    assert findings(doc, "target_only_in_body") == [("一/（一）/1", "新增高新技术企业20家", "annex row 1")]


def test_a_target_the_annex_states_without_the_bodys_hedge(doc):
    [differs] = [f for f in doc.findings if f.code == "target_differs"]
    assert doc.text[differs.start:differs.end] == "新增规上企业30家"
    assert doc.text[differs.related_start:differs.related_end] == "力争新增规上企业30家"
    assert differs.message.startswith("hedge differs")


def test_a_different_lead_unit(doc):
    [lead] = [f for f in doc.findings if f.code == "lead_differs"]
    assert (str(lead.where), str(lead.related_where)) == ("annex row 1", "一/（一）/1")
    assert lead.message == ("annex row 1 is led by 县科技局; the body measure 一/（一）/1 is led by 县经信局 "
                            "(县科技局 supports in the body; 县经信局 is not named in the annex)")


def test_units_named_on_one_side_only_and_a_measure_missing_from_the_annex(doc):
    assert findings(doc, "unit_only_in_annex") == [("annex row 2", "县统计局", "一/（一）/2")]
    assert findings(doc, "unit_only_in_body") == [("一/（一）/1", "县经信局", "annex row 1")]
    assert findings(doc, "measure_not_in_annex") == [("一/（一）/3", "强化保障", None)]


def test_the_seed_annex_says_梯次_where_the_body_heading_says_梯度(seed_doc):
    renamed = [(str(f.where), seed_doc.text[f.start:f.end]) for f in seed_doc.findings
               if f.code == "measure_renamed" and str(f.related_where) == "二/（三）"]
    assert renamed == [("annex row 15", "聚力企业梯次培育促升级"), ("annex row 18", "聚力企业梯次培育促升级")]
