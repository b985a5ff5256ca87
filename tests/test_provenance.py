"""Every extracted fact points back at the text it came from."""
import pytest

from conftest import QINGTIAN, RENDERINGS, SEED, parsed
from pipeline import to_dict


@pytest.fixture(scope="module", params=[SEED, QINGTIAN, *RENDERINGS], ids=lambda p: p.name)
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
    h = doc.header
    for field in [h.issuer, h.notice_title, h.title, *h.recipients, *h.cc]:
        assert doc.text[field.start:field.end] == field.value


def test_the_dataset_record_keeps_the_offsets(doc):
    data = to_dict(doc)
    text = data["document"]["text"]
    for t in data["targets"]:
        assert text[t["start"]:t["end"]] == t["text"]
    start, end = data["document"]["provenance"]["title"]
    assert text[start:end] == data["document"]["title"]
