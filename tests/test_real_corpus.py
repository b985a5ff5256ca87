"""The real corpus (corpus/real, 196 published documents): each one parses, and the documents read
blind (tests/golden/real) keep the bar issues 14 and 15 set (header fields >= 90%, notes' units and
leads >= 95%, target precision and recall >= 0.9, the role of every quantity >= 0.9), header fields
and sections held where they stand now (>= 95%)."""
from pathlib import Path

import pytest

from conftest import GOLDEN, ROOT, parsed
from policyparse import evaluate_quantities, evaluate_structure, real_golden
from policyparse.model import Document

REAL = ROOT / "corpus" / "real"
DOCUMENTS = sorted(p for p in REAL.glob("*/*") if p.suffix in {".txt", ".html", ".htm", ".md", ".docx", ".pdf"})
BLIND = sorted(p for p in DOCUMENTS if (GOLDEN / "real" / p.stem).is_dir())


def test_the_bundled_real_corpus_is_all_there():
    # SOURCES.tsv names each document; a document missing here would shrink what the next tests read.
    listed = sum(len(p.read_text(encoding="utf-8").splitlines()) - 1 for p in REAL.glob("*/SOURCES.tsv"))
    assert len(DOCUMENTS) == listed == 196
    assert len(BLIND) == 25


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_every_real_document_parses_to_a_document_with_its_text(path: Path):
    doc = parsed(path)
    assert isinstance(doc, Document)
    assert doc.text.strip()
    assert doc.quality.kind


def test_the_blind_goldens_of_real_documents_meet_the_bar():
    structure = evaluate_structure.StructureScore()
    quantities = evaluate_quantities.Score()
    for path in BLIND:
        golden = real_golden.read(GOLDEN / "real" / path.stem)
        doc = parsed(path)
        structure.merge(evaluate_structure.score(golden, doc))
        if "quantities" in golden.tables:
            quantities.add(evaluate_quantities.score(doc, golden.tables["quantities"]))
    parts = structure.parts
    assert parts["header"].share >= 0.95, parts["header"].wrong  # the bar is 0.90; 0.98 today
    assert parts["notes"].share >= 0.95, parts["notes"].wrong
    assert parts["sections"].share >= 0.95, parts["sections"].wrong  # 0.99 today
    assert quantities.golden >= 400  # 12 documents read for every quantity
    assert quantities.precision >= 0.9, quantities.false_targets
    assert quantities.recall >= 0.9, quantities.missed_targets
    assert quantities.role_accuracy >= 0.9, quantities.wrong_roles
