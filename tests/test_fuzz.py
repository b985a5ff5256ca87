"""Property-based fuzzing of ingest (hypothesis; the coverage-guided atheris target in
tests/fuzz runs the same `one_input` under CI): text in any accepted encoding reads back as
written, any bytes are read or refused with a reason, any file name gives a doc_id that names
a file inside the output folder."""
from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import QINGTIAN, ROOT
from policyparse.emit import is_safe_id, member
from policyparse.errors import InputError
from policyparse.ingest import txt
from policyparse.run import doc_id_for

sys.path.insert(0, str(ROOT / "tests" / "fuzz"))
from fuzz_ingest import SUFFIXES, one_input

CONTROL = "".join(sorted(txt.CONTROL_CHARACTERS))
# Text as notices hold it: Chinese, digits, punctuation, line breaks, and anything else Unicode has.
NOTICE_TEXT = st.text(st.one_of(st.sampled_from(list(QINGTIAN.read_text(encoding="utf-8"))),
                                st.characters(blacklist_categories=("Cs",), blacklist_characters=CONTROL)),
                      min_size=1, max_size=300)


@given(NOTICE_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_text_in_an_accepted_encoding_reads_back_as_written(text, encoding):
    assert txt.decode("plan.txt", text.encode(encoding)) == (text, encoding)


@given(st.text(st.sampled_from(list(QINGTIAN.read_text(encoding="utf-8").replace("\t", ""))), min_size=20,
               max_size=300))
def test_a_gbk_notice_reads_back_as_written(text):
    assert txt.decode("plan.txt", text.encode("gbk")) == (text, "utf-8" if text.isascii() else "gb18030")


@given(st.binary(max_size=400))
def test_any_bytes_are_text_or_refused_with_a_reason(data):
    try:
        text, encoding = txt.decode("plan.txt", data)
    except InputError as exc:
        assert exc.reason and "\n" not in exc.reason
        return
    assert encoding in ("utf-8", "utf-8-sig", "utf-16", "gb18030")
    assert not set(text) & set(CONTROL)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_any_bytes_under_any_name_parse_or_are_refused(data):
    one_input(data)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([SUFFIXES.index(".txt"), SUFFIXES.index(".html")]), NOTICE_TEXT)
def test_any_notice_text_goes_through_the_whole_parse(kind, text):
    one_input(bytes([kind]) + QINGTIAN.read_bytes()[:600] + text.encode("utf-8"))


@given(st.text(min_size=1, max_size=300))
def test_any_file_name_gives_a_doc_id_that_names_a_file_in_the_output_folder(name):
    doc_id = doc_id_for(name)
    assert is_safe_id(doc_id)
    out = Path("/srv/out")
    assert member(out, doc_id, ".json").parent == out
