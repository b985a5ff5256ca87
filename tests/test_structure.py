"""Real documents' structure, a sentence (or a page) in, a record out: headers of any layout, notes
in every form, annexes with their tables, the scorer against real golden folders, triage."""
import json
import shutil

import pytest

from conftest import FIXTURES, GOLDEN, ROOT, bundled_rules, parsed
from policyparse import evaluate_structure, real_golden
from policyparse.ingest import ingest
from policyparse.resolve import resolve
from policyparse.segment import segment

RULES = bundled_rules()
GUANGZHOU = FIXTURES / "guangzhou-2026-digital-economy.txt"


def header(text: str):
    return segment(text, RULES).header


def values(fields):
    return [f.value for f in fields]


# --- the header of any layout ---------------------------------------------------------------

def test_a_state_council_title_over_two_lines_its_number_signature_and_recipients():
    h = header("国务院办公厅关于加快发展\n体育竞赛表演产业的指导意见\n国办发〔2018〕121号\n"
               "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n体育竞赛表演产业是体育产业的重要组成部分。\n"
               "一、总体要求\n（一）指导思想。以…为指导。\n国务院办公厅\n2018年12月11日\n（此件公开发布）\n")
    assert h.title.value == "国务院办公厅关于加快发展体育竞赛表演产业的指导意见" and h.notice_title is None
    assert (h.doc_number.value, h.date.value, values(h.issuers)) == ("国办发〔2018〕121号", "2018-12-11", ["国务院办公厅"])
    assert values(h.recipients) == ["各省、自治区、直辖市人民政府", "国务院各部委", "各直属机构"]


def test_joint_issuers_side_by_side_and_the_transmitted_title():
    h = header("穗人社规字〔2022〕2号\n广州市人力资源和社会保障局 广州市公安局关于印发广州市引进人才入户管理办法实施细则的通知\n"
               "各有关单位：\n现将《广州市引进人才入户管理办法实施细则》印发给你们，请遵照执行。\n"
               "广州市人力资源和社会保障局       广州市公安局\n2022年7月7日\n广州市引进人才入户管理办法实施细则\n"
               "第一章　总则\n第一条　为规范引进人才入户工作，制定本细则。\n")
    assert values(h.issuers) == ["广州市人力资源和社会保障局", "广州市公安局"] and h.issuer.value == "广州市人力资源和社会保障局"
    assert h.title.value == "广州市引进人才入户管理办法实施细则"
    assert h.notice_title.value.endswith("关于印发广州市引进人才入户管理办法实施细则的通知")


def test_an_order_gives_its_number_issuer_and_date():
    h = header("（2021年7月27日中华人民共和国国务院令第746号公布）\n第一章　总则\n第一条　为了规范市场主体登记管理行为，制定本条例。\n")
    assert (h.doc_number.value, values(h.issuers), h.date.value) == ("中华人民共和国国务院令第746号", ["国务院"], "2021-07-27")


@pytest.mark.parametrize("closing, issuer", [
    ("杭州市科学技术局2026年5月25日发布，征求意见截止2026年6月24日。", "杭州市科学技术局"),
    ("该政策由深圳市龙岗区人工智能（机器人）署2026年5月25日发布，社会公开征求意见。", "深圳市龙岗区人工智能（机器人）署"),
])
def test_a_closing_line_that_says_who_issued_it_and_when(closing, issuer):
    # Local policy texts as a crawler saves them (opc_011, opc_030): no signature block.
    h = header(f"杭州市打造创业新高地若干政策措施\n为优化创新创业生态，特制定本措施。\n一、适用对象\n"
               f"本措施适用于在杭依法登记注册的企业。\n{closing}\n")
    assert values(h.issuers) == [issuer] and h.date.value == "2026-05-25" and h.year == 2026


def test_what_is_not_printed_stays_null():
    h = header("杭州市萧山区支持OpenClaw&OPC发展的若干措施（征求意见稿）\n为加快发展，制定本措施。\n一、支持社区建设\n")
    assert h.title.value == "杭州市萧山区支持OpenClaw&OPC发展的若干措施（征求意见稿）"
    assert (h.issuers, h.doc_number, h.date, h.recipients, h.notice_title) == ((), None, None, (), None)


def test_markdown_a_crawler_left_is_not_the_document(tmp_path):
    path = tmp_path / "saved.txt"
    path.write_text("上海市技术交易场所管理细则\n## 政策全文\n**关于印发《上海市技术交易场所管理细则》的通知**\n"
                    "沪科规〔2025〕2号\n各有关单位：\n现印发给你们。\n上海市科学技术委员会\n2025年4月11日\n"
                    "**上海市技术交易场所管理细则**\n**第一章 总  则**\n第一条　为规范技术交易场所，制定本细则。\n"
                    "- [原文.pdf](/files/a.pdf)\n", encoding="utf-8")
    doc = parsed(path)
    assert "**" not in doc.text and "##" not in doc.text and "](" not in doc.text
    assert doc.header.title.value == "上海市技术交易场所管理细则" and doc.header.doc_number.value == "沪科规〔2025〕2号"
    assert [(s.path, s.title) for s in doc.sections][:2] == [("第一章", "总则"), ("第一章/第一条", "为规范技术交易场所")]


# --- headings --------------------------------------------------------------------------------

def test_headings_nest_in_the_order_the_document_uses_its_styles():
    seg = segment("某某办法\n第一章 总则\n第一条 为规范管理，制定本办法。\n（一）适用范围。\n第二条 本办法所称…\n"
                  "第二章 申请\n第三条 申请人应当…\n", RULES)
    assert [(s.path, s.level) for s in seg.sections] == [
        ("第一章", 1), ("第一章/第一条", 2), ("第一章/第一条/（一）", 3), ("第一章/第二条", 2), ("第二章", 1),
        ("第二章/第三条", 2)]


def test_a_notice_whose_outermost_headings_are_in_brackets_has_them_at_level_one():
    seg = segment("某某通知\n（一）做好准备。\n1.排查风险。\n（二）加强督导。\n", RULES)
    assert [(s.path, s.level) for s in seg.sections] == [("（一）", 1), ("（一）/1", 2), ("（二）", 1)]


def test_a_letter_spaced_title_reads_as_one_word():
    seg = segment("某某办法\n第一章\u3000总\u3000\u3000则\n第一条\u3000为规范管理，制定本办法。\n第二章 附 则\n", RULES)
    assert [(s.path, s.title) for s in seg.sections] == [("第一章", "总则"), ("第一章/第一条", "为规范管理"),
                                                          ("第二章", "附则")]
    assert seg.sections[0].title_end == seg.sections[0].title_start + len("总\u3000\u3000则")


def test_decimal_numbering_nests_by_its_depth_and_the_table_of_contents_holds_no_sections():
    # The State Council's emergency plans (govcn_041): 1 / 1.1 / 1.1.1, a contents list first.
    seg = segment("国家粮食应急预案\n目　　录\n1　总则\n1.1　编制目的\n2　组织机构\n1　总则\n1.1　编制目的\n"
                  "为了有效监测粮食市场，制定本预案。\n1.2　等级划分\n1.2.1　国家级（Ⅰ级）：两个以上省出现应急状态。\n"
                  "（1）统一领导。\n1.3　适用范围\n本预案适用于1.5 万吨以上的调拨。\n2　组织机构\n", RULES)
    assert [(s.path, s.level, s.title) for s in seg.sections] == [
        ("1", 1, "总则"), ("1/1.1", 2, "编制目的"), ("1/1.2", 2, "等级划分"), ("1/1.2/1.2.1", 3, "国家级（Ⅰ级）"),
        ("1/1.2/1.2.1/（1）", 4, "统一领导"), ("1/1.3", 2, "适用范围"), ("2", 1, "组织机构")]


# --- notes in every form ---------------------------------------------------------------------

PLAN = "某市人民政府办公厅关于加快发展的意见\n一、重点任务\n{body}\n"


def notes(body: str):
    text = PLAN.format(body=body)
    responsibilities, findings = resolve(text, segment(text, RULES), RULES)
    return [(r.unit, r.role.value, r.role_rule.value) for r in responsibilities], [f.code.value for f in findings]


def test_units_with_the_notes_own_words():
    assert notes("（一）扩大赛事。（体育总局、民政部负责）")[0] == [
        ("体育总局", "unspecified", "unmarked"), ("民政部", "unspecified", "unmarked")]
    assert notes("（一）扩大赛事。（市商务局牵头，市经信局、市科技局参与）")[0] == [
        ("市商务局", "lead", "words"), ("市经信局", "support", "words"), ("市科技局", "support", "words")]
    assert notes("（一）扩大赛事。（市发改委牵头负责，市财政局、市统计局配合）")[0][0] == ("市发改委", "lead", "words")
    assert notes("（一）扩大赛事。（市教育局指导，各区政府负责落实）")[0] == [
        ("市教育局", "support", "words"), ("各区政府", "lead", "words")]
    assert notes("（一）扩大赛事。（国家发展改革委会同有关部门负责）")[0] == [
        ("国家发展改革委", "lead", "words"), ("有关部门", "support", "words")]


def test_a_legend_the_first_listed_leads_holds_from_where_it_stands():
    listed, _ = notes("（一）扩大消费。（商务部、发展改革委等负责。列第一位者为牵头单位，下同）\n"
                      "（二）拓展渠道。（农业农村部、财政部负责）")
    assert listed == [("商务部", "lead", "legend_first"), ("发展改革委", "support", "legend_first"),
                      ("农业农村部", "lead", "legend_first"), ("财政部", "support", "legend_first")]


def test_the_units_before_the_first_comma_lead():
    listed, _ = notes("（一）建设社区。（责任单位：市经信局、市发改委，市财政局、各区政府。第一个逗号前为牵头单位，"
                      "多个牵头部门的用顿号分隔）")
    assert listed == [("市经信局", "lead", "legend_first_comma"), ("市发改委", "lead", "legend_first_comma"),
                      ("市财政局", "support", "legend_first_comma"), ("各区政府", "support", "legend_first_comma")]


def test_a_star_before_the_unit_and_brackets_of_every_kind():
    assert notes("（一）建设社区。〔责任单位：*市经信局、市发改委〕")[0] == [
        ("市经信局", "lead", "lead_mark"), ("市发改委", "support", "lead_mark")]
    assert notes("（一）建设社区。【牵头单位：市经信局，责任单位：市财政局、市统计局】")[0] == [
        ("市经信局", "lead", "label"), ("市财政局", "support", "label"), ("市统计局", "support", "label")]


def test_a_standing_instruction_is_recorded_once_with_its_units_not_as_a_unit():
    text = PLAN.format(body="（一）便利开办。[责任单位：市市场监管局、市税务局，各区、县（市）政府。"
                            "以下均需各区、县（市）政府落实，不再列出]\n（二）加强服务。（责任单位：市科技局）")
    responsibilities, _ = resolve(text, segment(text, RULES), RULES)
    first = [(r.unit, r.role.value, r.standing) for r in responsibilities if r.section_path == "一/（一）"]
    # listed, then named again by the instruction: one unit, the standing one (opc_011)
    assert first == [("市市场监管局", "unspecified", False), ("市税务局", "unspecified", False),
                     ("各区、县（市）政府", "support", True)]
    assert all("以下" not in r.unit for r in responsibilities)
    assert [r.unit for r in responsibilities if r.section_path == "一/（二）"] == ["市科技局"]


def test_the_units_a_standing_instruction_names_in_short_are_the_listed_ones():
    # opc_017: 以下均涉及各县区、功能区 names 各县区人民政府 and 市各功能区管委会 in short.
    listed, _codes = notes("（一）建设平台。（责任单位：市数据局，各县区人民政府、市各功能区管委会，以下均涉及各县区、"
                           "功能区，不再重复列出）")
    assert listed == [("市数据局", "lead", "single"), ("各县区人民政府", "support", "standing"),
                      ("市各功能区管委会", "support", "standing")]


def test_a_bracket_that_says_what_a_unit_covers_is_not_its_name():
    listed, _codes = notes("（一）建设平台。（责任单位：各区人民政府〈含开发区、长江新区、风景区管委会,下同〉）")
    assert listed == [("各区人民政府", "lead", "single")]


def test_a_legend_in_an_unknown_wording_is_reported_and_nothing_is_guessed():
    listed, codes = notes("（一）建设社区。（市经信局、市发改委负责。标注★的为牵头单位）")
    assert [role for _u, role, _r in listed] == ["unspecified", "unspecified"]
    assert "legend_unknown" in codes


def test_each_unit_carries_its_whole_notes_span():
    text = PLAN.format(body="（一）扩大赛事。（体育总局、民政部负责）")
    responsibilities, _ = resolve(text, segment(text, RULES), RULES)
    assert {text[r.note_start:r.note_end] for r in responsibilities} == {"（体育总局、民政部负责）"}


# --- annexes ---------------------------------------------------------------------------------

def test_two_annexes_a_task_table_and_an_indicator_table_with_its_title_on_the_label_line():
    doc = parsed(GUANGZHOU)
    assert [(a.label, a.title, [t.kind.value for t in a.tables]) for a in doc.annexes] == [
        ("附件1", "白云区2026年数字经济重点任务分工表", ["task"]), ("附件2", "白云区2026年数字经济发展主要指标", ["indicator"])]
    task, indicators = doc.annexes[0].tables[0], doc.annexes[1].tables[0]
    assert [c.value for c in task.columns] == ["seq", "measure", "task", "lead", "support", "deadline"]
    assert [c.text for c in task.rows[1]][:2] == ["2", "做强数字产业集群"], "the merged 重点工作 cell fills down"
    assert [c.value for c in indicators.columns] == ["seq", "indicator", "indicator_unit", "value", "value", "attribute"]
    assert [(r.seq, r.units_raw, r.support_units_raw) for r in doc.annex_rows][0] == ("1", "区工业和信息化局",
                                                                                     "区科技局、区商务局")


def test_an_annexs_prose_has_sections_under_its_label_with_their_quantities_and_notes(tmp_path):
    # gz_18's and gz_09's annexes: an application procedure and admission standards, in prose.
    path = tmp_path / "procedure.txt"
    path.write_text("某市人力资源和社会保障局关于印发就业见习管理办法的通知\n一、总体要求\n力争新增见习基地10家。\n"
                    "附件\n就业见习基地申请程序\n一、申请条件\n（一）在职员工20人以上。\n二、补贴标准\n"
                    "每人每月补贴1500元（责任单位：市人社局）。\n", encoding="utf-8")
    doc = parsed(path)
    assert [(s.path, s.level, s.title) for s in doc.sections] == [
        ("一", 1, "总体要求"), ("附件/一", 1, "申请条件"), ("附件/一/（一）", 2, "在职员工20人以上"),
        ("附件/二", 1, "补贴标准")]
    assert [(q.written, q.role, q.source, q.section_path, q.annex_seq) for q in doc.quantities] == [
        ("10家", "target", "body", "一", None), ("20人", "eligibility", "annex", "附件/一/（一）", None),
        ("1500元", "incentive", "annex", "附件/二", None)]
    assert [(r.unit, r.section_path) for r in doc.responsibilities] == [("市人社局", "附件/二")]


def test_an_annex_titled_as_conditions_reads_its_numbers_as_conditions(tmp_path):
    path = tmp_path / "standards.txt"
    path.write_text("某市医疗保障局关于门诊特定病种管理的通知\n一、范围\n按附件执行。\n附件\n门诊特定病种准入标准\n"
                    "一、高血压病\n非同日3次测量血压高于140mmHg，至少1项检查阳性。\n", encoding="utf-8")
    doc = parsed(path)
    assert [(q.written, q.role) for q in doc.quantities] == [("3次", "eligibility"), ("1项", "eligibility")]
    assert doc.targets == ()


def test_a_table_pasted_as_text_one_row_a_line_reads_as_the_same_table():
    pasted = parsed(FIXTURES / "guangzhou-2026-digital-economy-pasted.txt")
    assert "\t序号\t重点工作" not in pasted.text and "序号\t重点工作\t工作任务" in pasted.text
    tables = lambda doc: [[[c.text for c in row] for row in t.rows] for a in doc.annexes for t in a.tables]  # noqa: E731
    assert tables(pasted) == tables(parsed(GUANGZHOU))


def test_a_rowspan_in_a_web_page_belongs_to_every_row_it_spans(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html><body><div class='TRS_Editor'><p>某区工作方案</p><p>一、任务</p><p>附件</p><p>任务分工表</p>"
                    "<table><tr><td>序号</td><td>工作任务</td><td>牵头单位</td><td>配合单位</td></tr>"
                    "<tr><td>1</td><td>新建基站300个</td><td rowspan='2'>区工信局</td><td>区财政局</td></tr>"
                    "<tr><td>2</td><td>改建基站50个</td><td>区住建局</td></tr></table></div></body></html>",
                    encoding="utf-8")
    doc = parsed(page)
    [table] = doc.annexes[0].tables
    assert [[c.text for c in row] for row in table.rows] == [["1", "新建基站300个", "区工信局", "区财政局"],
                                                            ["2", "改建基站50个", "区工信局", "区住建局"]]


def test_a_header_over_two_rows_whose_second_row_spans_a_column_too(tmp_path):
    # gz_09's annex: 统筹基金最高支付限额 spans 职工医保 and 城乡居民医保, the second over two columns.
    page = tmp_path / "p.html"
    page.write_text("<html><body><div class='TRS_Editor'><p>某市医疗保障局关于门诊特定病种的通知</p><p>一、范围</p>"
                    "<p>附件1</p><p>门诊特定病种范围</p><table>"
                    "<tr><td rowspan='2'>序号</td><td colspan='3'>统筹基金最高支付限额</td><td rowspan='2'>有效期</td></tr>"
                    "<tr><td>职工医保</td><td colspan='2'>城乡居民医保</td></tr>"
                    "<tr><td>1</td><td>200元/月</td><td colspan='2'>50元/月</td><td>长期</td></tr>"
                    "<tr><td>2</td><td>300元/月</td><td colspan='2'>80元/月</td><td>长期</td></tr></table></div></body></html>",
                    encoding="utf-8")
    [table] = parsed(page).annexes[0].tables
    assert [[c.text for c in row] for row in table.header_rows] == [["序号", "统筹基金最高支付限额", "", "", "有效期"],
                                                                   ["", "职工医保", "城乡居民医保", "", ""]]
    assert [row[0].text for row in table.rows] == ["1", "2"]


def test_a_form_has_no_header_row(tmp_path):
    # gz_18's application forms: a label beside the blanks to fill in, no header naming columns.
    page = tmp_path / "p.html"
    page.write_text("<html><body><div class='TRS_Editor'><p>某市就业见习基地管理办法</p><p>一、申请</p><p>附件</p>"
                    "<p>就业见习基地申请表</p><table><tr><td>单位名称</td><td></td><td></td><td></td></tr>"
                    "<tr><td>联系人</td><td></td><td>联系电话</td><td></td></tr></table></div></body></html>",
                    encoding="utf-8")
    [table] = parsed(page).annexes[0].tables
    assert table.header_rows == () and [row[0].text for row in table.rows] == ["单位名称", "联系人"]


# --- web pages -------------------------------------------------------------------------------

def test_a_portal_page_gives_its_title_metadata_and_article_not_its_chrome_nor_its_hidden_copy():
    raw = ingest(FIXTURES / "guangzhou-2026-digital-economy.html")
    lines = [line for line in raw.text.split("\n") if line]
    assert lines[:3] == ["广州市白云区人民政府办公室", "云府办函〔2026〕9号",
                         "广州市白云区人民政府办公室关于印发白云区2026年数字经济高质量发展工作方案的通知"]
    assert lines[3:6] == ["文号：云府办函〔2026〕9号", "发布机关：广州市白云区人民政府办公室", "成文日期：2026年3月16日"]
    for chrome in ("用户登录", "当前位置", "发布日期", "分享到", "【打印】", "网站标识码"):
        assert chrome not in raw.text, chrome
    assert raw.text.count("为加快建设数字经济强区") == 1, "the hidden copy is not read"


# --- the scorer and the corpus report --------------------------------------------------------

@pytest.mark.parametrize("path", [GUANGZHOU, *(GUANGZHOU.with_suffix(f".{ext}") for ext in ("docx", "pdf", "html")),
                                  FIXTURES / "guangzhou-2026-digital-economy-pasted.txt"], ids=lambda p: p.name)
def test_every_rendering_of_the_guangzhou_plan_agrees_with_its_reading(path):
    doc = parsed(path)
    score = evaluate_structure.score(real_golden.read(GOLDEN / "real" / doc.doc_id), doc)
    assert {name: str(t) for name, t in score.parts.items() if t.right < t.total} == {}


def test_the_scorer_names_what_is_wrong(tmp_path):
    folder = tmp_path / GUANGZHOU.stem
    shutil.copytree(GOLDEN / "real" / GUANGZHOU.stem, folder)
    document = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    (folder / "document.json").write_text(json.dumps({**document, "date": "2026-03-17"}, ensure_ascii=False),
                                          encoding="utf-8")
    notes_csv = (folder / "notes.csv").read_text(encoding="utf-8")
    (folder / "notes.csv").write_text(notes_csv.replace("区投资促进局,support", "区投资促进局,lead", 1), encoding="utf-8")
    score = evaluate_structure.score(real_golden.read(folder), parsed(GUANGZHOU))
    assert (score.parts["header"].right, score.parts["header"].total) == (8, 9)
    assert score.parts["notes"].right == score.parts["notes"].total - 1
    report = evaluate_structure.report([(GUANGZHOU.stem, score)])
    assert "date: expected '2026-03-17', got '2026-03-16'" in report
    assert "note 二/（一）/2" in report


def test_the_corpus_report_counts_per_folder(capsys):
    from policyparse.cli import main

    assert main(["corpus", str(FIXTURES / "guangzhou-2026-digital-economy.txt"), str(ROOT / "corpus")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["folder", "documents", "title", "issuer"]
    fixtures = next(line.split() for line in lines if line.startswith("fixtures"))
    assert fixtures[1:6] == ["1", "1", "1", "1", "1"] and fixtures[6:] == ["6", "/", "6", "2", "/", "2"]
    assert lines[-1].startswith("ALL")


def test_quality_names_the_kind_and_what_to_check():
    doc = parsed(GUANGZHOU)
    assert doc.quality.kind.value == "plan" and doc.quality.check == ()
    assert (doc.quality.annex_tables, doc.quality.annex_tables_understood, doc.quality.notes_read) == (2, 2, 6)
