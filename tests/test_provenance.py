"""Every extracted fact points back at the text it came from."""
import pytest

from conftest import FIXTURES, RENDERINGS, SEED, parsed
from policyparse import to_dict


@pytest.fixture(scope="module", params=[SEED, *sorted(FIXTURES.glob("*.txt")), *RENDERINGS], ids=lambda p: p.name)
def doc(request):
    return parsed(request.param)


def test_target_text_and_indicator_are_spans_of_the_document(doc):
    for t in doc.targets:
        assert doc.text[t.start:t.end] == t.text
        if t.indicator is not None:
            assert doc.text[t.indicator_start:t.indicator_end] == t.indicator


def test_target_lies_inside_its_section_or_annex_row(doc):
    sections = {s.path: s for s in doc.sections}
    rows = {r.seq: r for r in doc.annex_rows}
    for t in doc.targets:
        if t.source == "body":
            s = sections[t.section_path]
            assert s.start <= t.start and t.end <= s.end
        else:
            r = rows[t.annex_seq]
            assert r.task_start <= t.start and t.end <= r.task_end


def test_sections_rows_responsibilities_and_header_are_spans(doc):
    for s in doc.sections:
        assert doc.text[s.title_start:s.title_end] == s.title
        assert doc.text[s.start:s.end].startswith(s.number)
    for r in doc.annex_rows:
        assert doc.text[r.task_start:r.task_end] == r.task
        assert doc.text[r.units_start:r.units_end] == r.units_raw
    for r in doc.responsibilities:
        assert doc.text[r.start:r.end] == r.raw
    for r in doc.annex_rows:
        if r.measure_start is not None:
            assert doc.text[r.measure_start:r.measure_end] == r.measure
        if r.support_units_start is not None:
            assert doc.text[r.support_units_start:r.support_units_end] == r.support_units_raw
    h = doc.header
    for field in [h.issuer, h.notice_title, h.title, *h.recipients, *h.cc]:
        if field is not None:
            assert doc.text[field.start:field.end] == field.value


def test_the_dataset_record_keeps_the_offsets(doc):
    data = to_dict(doc)
    text = data["document"]["text"]
    for t in data["targets"]:
        assert text[t["start"]:t["end"]] == t["text"]
    start, end = data["document"]["provenance"]["title"]
    assert text[start:end] == data["document"]["title"]


def test_the_spacy_view_carries_targets_indicators_and_units_as_spans(doc):
    from policyparse import to_spacy

    sdoc = to_spacy(doc)
    assert sdoc.text == doc.text
    assert [(s.start_char, s.end_char, s.label_) for s in sdoc.spans["targets"]] == [
        (t.start, t.end, t.kind) for t in doc.targets]
    assert [s.text for s in sdoc.spans["indicators"]] == [t.indicator for t in doc.targets if t.indicator]
    assert [s.label_ for s in sdoc.spans["units"]] == [r.role for r in doc.responsibilities]


def test_findings_point_at_text_on_both_sides(doc):
    for f in doc.findings:
        assert 0 <= f.start <= f.end <= len(doc.text)
        if f.related_where is not None:
            assert 0 <= f.related_start <= f.related_end <= len(doc.text)
    for f in doc.findings:
        if f.code in ("lead_differs", "unit_only_in_annex", "target_differs", "target_only_in_annex"):
            row = next(r for r in doc.annex_rows if f"annex row {r.seq}" == str(f.where))
            assert row.start <= f.start and f.end <= row.end


def test_the_per_unit_view_points_at_each_mention(doc):
    for unit in to_dict(doc)["by_unit"]:
        for task in unit["tasks"]:
            assert doc.text[task["start"]:task["end"]] == task["raw"]
