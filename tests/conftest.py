import functools
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# The first example loads jieba's dictionary and spaCy: no per-example deadline.
settings.register_profile("policyparse", deadline=None)
settings.load_profile("policyparse")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "bad"))  # make_bad: the generated bad inputs, and the PDF writer they use
SEED = ROOT / "corpus" / "yueqing-2023-manufacturing-plan.txt"
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"
QINGTIAN = FIXTURES / "qingtian-2024-digital-economy.txt"
# The DOCX, PDF and HTML renderings of each TXT document that has golden files
# (tests/fixtures/make_fixtures.py made them).
GUANGZHOU = FIXTURES / "guangzhou-2026-digital-economy.txt"
RENDERINGS = [FIXTURES / f"{path.stem}.{ext}" for path in (SEED, QINGTIAN, GUANGZHOU) for ext in ("docx", "pdf", "html")]


def bundled_rules():
    """The bundled rule set, as the default parser holds it (loaded once for the session)."""
    from policyparse.run import default_parser

    return default_parser().rules


@functools.cache
def parsed(path: Path):
    """One parse per file for the whole test session (documents are immutable)."""
    from policyparse import parse

    return parse(path)


@pytest.fixture(scope="session")
def seed_doc():
    return parsed(SEED)
