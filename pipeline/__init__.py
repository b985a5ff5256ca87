"""policyparse: Chinese government plan notices into traceable datasets.

The public API:
    Parser(rules_dir=None)         a parser over a rule set (the bundled rules by default)
    parse(path) -> Document        one document through every stage, with the bundled rules
    to_dict(document) -> dict      the dataset record (what DIR/<doc_id>.json holds)
    frames([to_dict(d), ...])      the combined tables as pandas DataFrames
    to_spacy(document)             a spaCy Doc with the targets, indicators and units as Spans

Importing the package loads nothing: each name is imported the first time it is used.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# name → the module that defines it
_API = {
    "Parser": "policyparse.run",
    "parse": "policyparse.run",
    "to_dict": "policyparse.emit",
    "frames": "policyparse.emit",
    "to_spacy": "policyparse.spacy_view",
    "Document": "policyparse.model",
    "SCHEMA_VERSION": "policyparse.model",
    "PolicyParseError": "policyparse.errors",
    "InputError": "policyparse.errors",
    "UnsupportedFormat": "policyparse.errors",
}

__all__ = list(_API)

if TYPE_CHECKING:
    from policyparse.emit import frames, to_dict
    from policyparse.errors import InputError, PolicyParseError, UnsupportedFormat
    from policyparse.model import SCHEMA_VERSION, Document
    from policyparse.run import Parser, parse
    from policyparse.spacy_view import to_spacy


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module 'policyparse' has no attribute {name!r}")
    return getattr(importlib.import_module(_API[name]), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
