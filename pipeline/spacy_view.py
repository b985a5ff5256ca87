"""A parsed document as a spaCy Doc, for users who want spaCy's tools (displacy, Matcher,
their own components) on top of our results: words are our jieba words, the targets are
Spans in doc.spans["targets"] (labelled with their kind), their indicators in
doc.spans["indicators"], and responsibility units in doc.spans["units"] (labelled with
their role)."""
from __future__ import annotations

from policyparse.extractors.nlp import doc_from_words
from policyparse.extractors.text import token_bounds
from policyparse.model import Document
from policyparse.rules import Rules


def to_spacy(document: Document, rules: Rules | None = None):
    """`rules`: the rule set whose words cut the text (the bundled rules by default)."""
    if rules is None:
        from policyparse.run import default_parser

        rules = default_parser().rules
    text = document.text
    cuts = token_bounds(text, rules)
    for t in document.targets:
        cuts |= {t.start, t.end}
        if t.indicator_start is not None and t.indicator_end is not None:
            cuts |= {t.indicator_start, t.indicator_end}
    for r in document.responsibilities:
        cuts |= {r.start, r.end}
    doc = doc_from_words(text, sorted(cuts), rules)
    doc.spans["targets"] = [doc.char_span(t.start, t.end, label=t.kind) for t in document.targets]
    doc.spans["indicators"] = [doc.char_span(t.indicator_start, t.indicator_end, label="INDICATOR")
                               for t in document.targets if t.indicator_start is not None]
    doc.spans["units"] = [doc.char_span(r.start, r.end, label=r.role) for r in document.responsibilities]
    return doc
