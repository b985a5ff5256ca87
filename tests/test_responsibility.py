"""Who leads what: a note (or an annex table) in, units with roles and full names out.

Each test is one lead-marking convention, written as a notice would write it."""
from conftest import bundled_rules
from policyparse.extractors.responsibility import find_notes
from policyparse.resolve import resolve
from policyparse.segment import segment

RULES = bundled_rules()

HEAD = "{issuer}\n\n关于印发《2024年工作要点》的通知\n\n2024年工作要点\n\n一、重点任务\n"
ANNEX = "附件\n\n重点任务清单\n{header}\n\n{rows}\n"


def notice(body: str, issuer: str = "青田县人民政府办公室", annex: str = "") -> str:
    return HEAD.format(issuer=issuer) + body + "\n" + annex


def read(text: str):
    responsibilities, findings = resolve(text, segment(text, RULES), RULES)
    return list(responsibilities), list(findings)


def roles(body: str, issuer: str = "青田县人民政府办公室"):
    responsibilities, findings = read(notice(body, issuer))
    return [(r.unit, r.role) for r in responsibilities], [f.code for f in findings]


def annex(header: list[str], *rows: list[str], body: str = "1．新增企业20家。") -> str:
    cells = "\n".join("\t" + cell for cell in header)
    table = "\n\n".join("\n".join("\t" + cell for cell in row) for row in rows)
    return notice(body, annex=ANNEX.format(header=cells, rows=table))


# --- the lead mark and its legend -------------------------------------------------------

def test_star_marks_the_lead_and_the_legend_is_not_a_unit():
    listed, findings = roles("新增企业20家。（责任单位：县发改局、县经信局*,带*为牵头单位，下同）")
    assert listed == [("县发改局", "support"), ("县经信局", "lead")]
    assert findings == []


def test_full_width_star_and_a_star_on_either_side_of_a_closing_quote():
    assert roles("（责任单位：市纪委、市“两个健康”办＊）")[0] == [("市纪委", "support"), ("市“两个健康”办", "lead")]
    text = notice("（责任单位：市纪委、“两个健康办*”）")
    [_, quoted], _ = read(text)
    assert (quoted.unit, quoted.role, quoted.raw) == ("“两个健康办”", "lead", "“两个健康办*”")
    assert text[quoted.start:quoted.end] == "“两个健康办*”"


def test_lead_written_as_a_word_after_the_name():
    assert roles("（责任单位：县财政局、县经信局（牵头））")[0] == [("县财政局", "support"), ("县经信局", "lead")]


def test_a_single_unit_leads():
    assert roles("（责任单位：县科技局）")[0] == [("县科技局", "lead")]


def test_several_units_without_a_mark_are_unspecified_and_reported():
    listed, findings = roles("（责任单位：乐清经济开发区管委会、乐清湾临港经济开发区管委会）")
    assert listed == [("乐清经济开发区管委会", "unspecified"), ("乐清湾临港经济开发区管委会", "unspecified")]
    assert findings == ["no_lead_marked"]


def test_every_separator_splits_the_list():
    listed, _ = roles("（责任单位：县经信局*、县发改局，县财政局,县科技局；县商务局;县统计局）")
    assert [unit for unit, _ in listed] == ["县经信局", "县发改局", "县财政局", "县科技局", "县商务局", "县统计局"]


def test_brackets_inside_a_unit_name_do_not_split_it():
    listed, _ = roles("（责任单位：县经信局*、各乡镇（街道、园区））")
    assert listed == [("县经信局", "lead"), ("各乡镇（街道、园区）", "support")]


def test_a_legend_that_the_first_unit_leads_holds_from_where_it_stands():
    body = ("1．新增企业20家。（责任单位：县发改局、县经信局）\n"
            "2．新建基站300个。（责任单位：县经信局、县发改局，排在第一位的为牵头单位，下同）\n"
            "3．实施项目40个。（责任单位：县科技局、县财政局）")
    responsibilities, findings = read(notice(body))
    by_measure = {}
    for r in responsibilities:
        by_measure.setdefault(r.section_path, []).append((r.unit, r.role, r.role_rule))
    assert by_measure["一/1"] == [("县发改局", "unspecified", "unmarked"), ("县经信局", "unspecified", "unmarked")]
    assert by_measure["一/2"] == [("县经信局", "lead", "legend_first"), ("县发改局", "support", "legend_first")]
    assert by_measure["一/3"] == [("县科技局", "lead", "legend_first"), ("县财政局", "support", "legend_first")]
    assert [str(f.where) for f in findings] == ["一/1"]


# --- labelled lists ---------------------------------------------------------------------

def test_lead_and_support_labels():
    listed, findings = roles("新增企业20家。（牵头单位：县经信局；配合单位：县发改局、县财政局）")
    assert listed == [("县经信局", "lead"), ("县发改局", "support"), ("县财政局", "support")]
    assert findings == []


def test_responsible_units_lead_beside_supporting_units():
    assert roles("（责任单位：县科技局 配合单位：县人力社保局）")[0] == [("县科技局", "lead"), ("县人力社保局", "support")]


def test_responsible_units_support_beside_a_lead_unit():
    listed, _ = roles("（牵头单位：县经信局；责任单位：各乡镇（街道））")
    assert listed == [("县经信局", "lead"), ("各乡镇（街道）", "support")]


def test_two_lead_units_lead_together():
    listed, findings = roles("（牵头单位：县经信局、县发改局；配合单位：县财政局）")
    assert listed == [("县经信局", "lead"), ("县发改局", "lead"), ("县财政局", "support")]
    assert findings == []


def test_only_supporting_units_is_reported():
    listed, findings = roles("（牵头单位：；配合单位：县财政局）")
    assert listed == [("县财政局", "support")]
    assert findings == ["no_lead_unit"]


def test_a_note_on_a_line_of_its_own():
    body = "1．新增企业20家。\n牵头单位：县经信局  配合单位：县财政局、县统计局。"
    text = notice(body)
    [note] = find_notes(text, RULES)
    assert text[note.start:note.end] == "牵头单位：县经信局  配合单位：县财政局、县统计局。"
    assert roles(body)[0] == [("县经信局", "lead"), ("县财政局", "support"), ("县统计局", "support")]


def test_open_list_keeps_the_named_units_and_marks_only_its_own_list():
    responsibilities, _ = read(notice("（牵头单位：县商务局；配合单位：县经信局、县市场监管局等相关单位）"))
    assert [(r.unit, r.open_list) for r in responsibilities] == [
        ("县商务局", False), ("县经信局", True), ("县市场监管局", True)]
    assert responsibilities[-1].raw == "县市场监管局等相关单位"


def test_notes_are_found_in_running_text():
    text = "新增小升规企业200家。（责任单位：市经信局）\n"
    [note] = find_notes(text, RULES)
    assert text[note.start:note.end] == "（责任单位：市经信局）"


# --- unit names -------------------------------------------------------------------------

def test_abbreviations_get_the_full_name_of_the_issuers_jurisdiction():
    responsibilities, findings = read(notice("（责任单位：市经信局*、市发改局、市府办、市经济和信息化局）",
                                             issuer="乐清市人民政府"))
    assert [(r.unit, r.unit_full) for r in responsibilities] == [
        ("市经信局", "乐清市经济和信息化局"), ("市发改局", "乐清市发展和改革局"),
        ("市府办", "乐清市政府办公室"), ("市经济和信息化局", "乐清市经济和信息化局")]
    assert findings == []
    [r], _ = read(notice("（责任单位：县经信局）"))
    assert r.unit_full == "青田县经济和信息化局"


def test_an_unknown_abbreviation_is_kept_reported_once_and_not_guessed():
    body = "1．新增企业20家。（责任单位：县两新办*、县经信局）\n2．新建基站300个。（责任单位：县两新办）"
    responsibilities, findings = read(notice(body))
    assert [(r.unit, r.unit_full) for r in responsibilities if r.unit == "县两新办"] == [
        ("县两新办", None), ("县两新办", None)]
    [finding] = findings
    assert (finding.code, str(finding.where)) == ("unknown_unit", "一/1")
    assert "县两新办" in finding.message and "2 mentions" in finding.message


def test_generic_bodies_are_marked_and_not_reported():
    responsibilities, findings = read(notice("（责任单位：市纪委、有关执法部门、各乡镇（街道））", issuer="乐清市人民政府"))
    assert [(r.unit, r.generic, r.unit_full) for r in responsibilities] == [
        ("市纪委", False, "乐清市纪律检查委员会"), ("有关执法部门", True, None), ("各乡镇（街道）", True, None)]
    assert [f.code for f in findings] == ["no_lead_marked"]


# --- the annex table --------------------------------------------------------------------

def test_a_table_with_lead_and_support_columns_keeps_both_cells():
    text = annex(["序号", "重点工作", "具体任务", "牵头单位", "配合单位"],
                 ["1", "做强数字产业", "新增企业20家。", "县经信局", "县发改局、县财政局"],
                 ["2", "", "新建基站300个。", "县经信局、县科技局", ""])
    seg = segment(text, RULES)
    first, second = seg.annex_rows
    assert (first.units_raw, first.support_units_raw) == ("县经信局", "县发改局、县财政局")
    assert text[first.support_units_start:first.support_units_end] == "县发改局、县财政局"
    assert (second.units_raw, second.support_units_raw) == ("县经信局、县科技局", "")
    responsibilities, findings = read(text)
    assert [(r.annex_seq, r.position, r.unit, r.role) for r in responsibilities if r.scope == "annex_row"] == [
        ("1", 1, "县经信局", "lead"), ("1", 2, "县发改局", "support"), ("1", 3, "县财政局", "support"),
        ("2", 1, "县经信局", "lead"), ("2", 2, "县科技局", "lead")]
    assert findings == []


def test_a_legend_in_the_annex_header_holds_for_every_row():
    text = annex(["序号", "主要举措", "重点任务", "责任单位（排名第一的为牵头单位）"],
                 ["1", "做强数字产业", "新增企业20家。", "县经信局、县发改局"])
    responsibilities, _ = read(text)
    assert [(r.unit, r.role) for r in responsibilities if r.scope == "annex_row"] == [
        ("县经信局", "lead"), ("县发改局", "support")]


def test_a_cell_with_one_unit_a_line_is_split():
    from policyparse.extractors.responsibility import read_lists

    cell = "市发改局*\n市经信局"
    [listed] = read_lists(cell, 0, len(cell), RULES)
    assert [(u.unit, u.lead_marked) for u in listed.units] == [("市发改局", True), ("市经信局", False)]
