"""The Parser owns its rules: importing policyparse loads none, and two rule sets live side by
side in one process."""
import json
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT
from policyparse import Parser, parse, rules

NOTICE = "2024年某某县工作要点\n一、发展目标\n力求新增企业10家。\n"


def test_importing_every_module_loads_no_rules_and_changes_no_process_state():
    script = """
import gc, importlib, os, pkgutil, sys
mask = os.umask(0o027); os.umask(mask)
import policyparse, policyparse.extractors, policyparse.rules
names = [m.name for package in (policyparse, policyparse.extractors, policyparse.rules)
         for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
assert len(names) > 40 and "policyparse.extractors.targets" in names
for name in names:
    importlib.import_module(name)
from policyparse.rules import Rules
assert not [o for o in gc.get_objects() if isinstance(o, Rules)], "rules loaded at import"
assert "jieba" not in sys.modules and "spacy" not in sys.modules
now = os.umask(0o022); os.umask(now)
assert now == mask, "the umask changed at import"
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT / "tests")
    assert result.stdout.strip() == "ok", result.stderr


def test_a_parser_over_another_rule_set_reads_by_its_rules_and_leaves_the_default_alone(tmp_path):
    folder = tmp_path / "my-rules"
    shutil.copytree(rules.RULES_DIR, folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    with open(folder / "hedges.tsv", "a", encoding="utf-8") as f:
        f.write("力求\ttrue\n")
    (tmp_path / "plan.txt").write_text(NOTICE, encoding="utf-8")

    mine = Parser(rules_dir=folder)
    [hedged] = mine.parse(tmp_path / "plan.txt").targets
    [plain] = parse(tmp_path / "plan.txt").targets
    assert (hedged.hedged, hedged.modality) == (True, "力求")
    assert (plain.hedged, plain.modality) == (False, None)
    assert mine.rules is not Parser().rules and "my-rules" in repr(mine)
    assert Parser.stages == ("ingest", "normalise", "segment", "extract", "resolve", "link")


def test_the_field_tables_of_docs_dataset_md_are_those_the_model_makes():
    from policyparse.schema import render

    docs = (ROOT / "docs" / "dataset.md").read_text(encoding="utf-8")
    assert render(docs) == docs, "run `python -m policyparse.schema docs/dataset.md`"


def test_a_dataset_json_reads_back_into_the_same_document(seed_doc):
    from policyparse.emit import dataset_json
    from policyparse.model import Document

    data = seed_doc.to_dict()
    again = Document.from_dict(json.loads(dataset_json(data)))
    assert again == seed_doc
    assert dataset_json(again.to_dict()) == dataset_json(data)


@pytest.mark.parametrize("change, complaint", [
    (lambda d: d.update(targets="T0001"), "targets: expected a list, got text"),
    (lambda d: d["targets"][2].update(value="2200亿"), "targets[2].value: expected a number, got text"),
    (lambda d: d["targets"][0].update(kind="huge"), "targets[0].kind: 'huge' is not one of"),
    (lambda d: d["responsibilities"][1].pop("role"), "responsibilities[1].role: missing"),
    (lambda d: d["document"].update(recipients="各乡镇"), "document.recipients: expected a list"),
    (lambda d: d.update(schema_version="0.9"), "schema_version: '0.9', this policyparse reads '2.1'"),
])
def test_a_dataset_json_that_breaks_the_contract_is_refused_naming_the_field(seed_doc, change, complaint):
    from policyparse.model import DatasetError, Document

    data = json.loads(json.dumps(seed_doc.to_dict()))
    change(data)
    with pytest.raises(DatasetError) as refused:
        Document.from_dict(data)
    assert str(refused.value).startswith(complaint)


LEGEND_NOTICE = ("某某县人民政府办公室\n关于印发《2024年工作要点》的通知\n2024年工作要点\n一、重点任务\n"
                 "新增企业10家。（责任单位：县发改局、县经信局；以首位单位为牵头单位，下同）\n")


def test_a_new_wording_of_a_lead_legend_is_one_row(tmp_path):
    folder = tmp_path / "my-rules"
    shutil.copytree(rules.RULES_DIR, folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    (tmp_path / "plan.txt").write_text(LEGEND_NOTICE, encoding="utf-8")
    before = [(r.unit, r.role) for r in Parser(folder).parse(tmp_path / "plan.txt").responsibilities]
    with open(folder / "lead_markers.tsv", "a", encoding="utf-8") as f:
        f.write("legend_first\t以首位单位为牵头单位(?:[，,]?\\s*下同)?\t以首位单位为牵头单位，下同\t县发改局、县经信局\n")
    after = [(r.unit, r.role, r.role_rule) for r in Parser(folder).parse(tmp_path / "plan.txt").responsibilities]
    assert {role for _unit, role in before} == {"unspecified"}  # the wording is not known: no lead
    assert after == [("县发改局", "lead", "legend_first"), ("县经信局", "support", "legend_first")]


def test_a_legend_of_a_convention_the_parser_does_not_know_is_refused(tmp_path):
    folder = tmp_path / "my-rules"
    shutil.copytree(rules.RULES_DIR, folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    with open(folder / "lead_markers.tsv", "a", encoding="utf-8") as f:
        f.write("legend_last\t末位单位为牵头单位\t末位单位为牵头单位\t县发改局\n")
    with pytest.raises(rules.RuleError, match="legend_last: no such convention"):
        Parser(folder)
