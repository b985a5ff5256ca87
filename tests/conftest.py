from pathlib import Path

import pytest
from hypothesis import settings

# The first example loads jieba's dictionary and spaCy: no per-example deadline.
settings.register_profile("policyparse", deadline=None)
settings.load_profile("policyparse")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "yueqing-2023-manufacturing-plan.txt"
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture(scope="session")
def seed_doc():
    from pipeline import parse

    return parse(SEED)
