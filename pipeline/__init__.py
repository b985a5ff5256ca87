"""policyparse: Chinese government plan notices into traceable datasets.

The public API:
    parse(path) -> Document        one document through every stage
    to_dict(document) -> dict      the dataset record (what DIR/<doc_id>.json holds)
    frames([to_dict(d), ...])      the combined tables as pandas DataFrames
    to_spacy(document)             a spaCy Doc with the targets, indicators and units as Spans
"""
from pipeline.emit import frames, to_dict
from pipeline.errors import InputError, PolicyParseError, UnsupportedFormat
from pipeline.model import SCHEMA_VERSION, Document
from pipeline.run import parse
from pipeline.spacy_view import to_spacy

__all__ = ["parse", "to_dict", "frames", "to_spacy", "Document", "SCHEMA_VERSION", "PolicyParseError", "InputError",
           "UnsupportedFormat"]
