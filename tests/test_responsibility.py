"""Responsibility notes, note in, units and roles out."""
from extractors.responsibility import find_notes, read_units
from pipeline.resolve import _roles


def units(note: str):
    return read_units(note, 0, len(note))[0]


def roles(note: str):
    findings = []
    records = _roles(units(note), "section", "二/（一）/1", None, "二/（一）/1", 0, len(note), findings)
    return [(r.unit, r.role) for r in records], findings, records


def test_star_marks_the_lead_and_the_legend_is_not_a_unit():
    note = "市发改局、市经信局*,带*为牵头单位，下同"
    found, legends = read_units(note, 0, len(note))
    assert [(u.unit, u.raw, u.starred) for u in found] == [("市发改局", "市发改局", False), ("市经信局", "市经信局*", True)]
    assert len(legends) == 1
    assert roles("市发改局、市经信局*,带*为牵头单位，下同")[0] == [("市发改局", "support"), ("市经信局", "lead")]


def test_full_width_star_and_star_after_a_closing_quote():
    assert roles("市纪委、市“两个健康”办＊")[0] == [("市纪委", "support"), ("市“两个健康”办", "lead")]


def test_a_single_unit_leads():
    assert roles("市科技局")[0] == [("市科技局", "lead")]


def test_several_units_without_a_star_are_unspecified_and_reported():
    listed, findings, _ = roles("乐清经济开发区管委会、乐清湾临港经济开发区管委会")
    assert listed == [("乐清经济开发区管委会", "unspecified"), ("乐清湾临港经济开发区管委会", "unspecified")]
    assert [f.code for f in findings] == ["no_lead_marked"]


def test_open_list_keeps_the_named_units():
    listed, _, records = roles("市府办、市发改局、市经信局、市财政局等相关单位")
    assert [u for u, _ in listed] == ["市府办", "市发改局", "市经信局", "市财政局"]
    assert all(r.open_list for r in records)
    assert records[-1].raw == "市财政局等相关单位"


def test_brackets_inside_a_unit_name_do_not_split_it():
    assert [u.unit for u in units("县经信局、各乡镇（街道、园区）")] == ["县经信局", "各乡镇（街道、园区）"]


def test_notes_are_found_in_running_text():
    text = "新增小升规企业200家。（责任单位：市经信局）\n"
    [note] = find_notes(text)
    assert text[note.units_start:note.units_end] == "市经信局"
    assert text[note.start:note.end] == "（责任单位：市经信局）"
