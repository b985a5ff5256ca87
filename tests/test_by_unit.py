"""The per-unit view: a department reads the tasks it leads and supports, with their targets."""
from policyparse import frames, to_dict


def test_a_department_reads_what_it_leads_and_supports(seed_doc):
    units = {u["unit"]: u for u in to_dict(seed_doc)["by_unit"]}
    finance = units["乐清市金融工作服务中心"]
    assert finance["written_as"] == ["市金融工作服务中心"]
    assert [(t["role"], t["scope"], t["section_path"], t["annex_seq"]) for t in finance["tasks"]] == [
        ("lead", "annex_row", "二/（三）/7", "16"), ("lead", "annex_row", "三/（二）", "43"),
        ("support", "section", "二/（三）/7", None), ("support", "section", "二/（六）/17", None),
        ("support", "annex_row", "二/（六）/17", "37"),
        ("unspecified", "section", "三/（二）", None)]
    row_16 = finance["tasks"][0]
    assert [t["text"] for t in row_16["targets"]] == ["新增上市3家", "报会3家", "动态保持后备企业不少于50家"]
    assert (finance["lead"], finance["support"], finance["unspecified"]) == (2, 3, 1)


def test_abbreviations_of_one_unit_are_one_entry_and_generic_bodies_have_their_own(seed_doc):
    units = {u["unit"]: u for u in to_dict(seed_doc)["by_unit"]}
    assert units["乐清市经济和信息化局"]["written_as"] == ["市经信局"]
    generic = units["有关执法部门"]
    assert generic["generic"] is True and generic["unit_full"] is None
    assert [(t["role"], t["section_path"]) for t in generic["tasks"]] == [
        ("unspecified", "三/（三）"), ("unspecified", "三/（三）")]


def test_the_table_has_one_row_per_unit_and_task_with_readable_targets(seed_doc):
    table = frames([to_dict(seed_doc)])["by_unit"]
    assert len(table) == len(seed_doc.responsibilities)
    talent = table[(table.unit == "乐清市委人才工作领导小组办公室") & (table.scope == "section")].iloc[0]
    assert (talent.role, talent.section_path, talent.task) == ("lead", "二/（四）/12", "加速人才引育和生态构建")
    assert talent.targets.split("；")[:2] == ["力争引育高层次领军人才30名以上", "新增入选国家、省级引才计划10人以上"]
    assert len(talent.target_ids.split()) == 6
    assert seed_doc.text[talent.start:talent.end] == talent.raw == "市委人才办*"
