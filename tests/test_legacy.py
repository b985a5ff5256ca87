"""Legacy Word (.doc) and WPS (.wps) files go through LibreOffice; without it, one line says
what to install."""
import shutil

import pytest

from conftest import FIXTURES, QINGTIAN, parsed
from policyparse import UnsupportedFormat, parse
from policyparse.ingest import legacy

needs_libreoffice = pytest.mark.skipif(legacy.soffice() is None, reason="LibreOffice (soffice) is not installed")


def facts(doc):
    return [(t.text, t.value_base, t.kind) for t in doc.targets], [(r.seq, r.task, r.units_raw) for r in doc.annex_rows]


@needs_libreoffice
@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_a_word_97_file_reads_as_its_docx(tmp_path, suffix):
    path = tmp_path / f"{QINGTIAN.stem}{suffix}"  # WPS Office saves .wps in the Word binary format
    shutil.copy(FIXTURES / "qingtian.doc", path)
    assert facts(parse(path)) == facts(parsed(FIXTURES / f"{QINGTIAN.stem}.docx"))


def test_without_libreoffice_the_error_names_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(legacy, "soffice", lambda: None)
    path = tmp_path / "plan.doc"
    shutil.copy(FIXTURES / "qingtian.doc", path)
    with pytest.raises(UnsupportedFormat) as info:
        parse(path)
    assert info.value.reason.startswith("reading .doc files needs LibreOffice, which is not installed")
    assert "apt-get install libreoffice-writer-nogui" in info.value.reason


def test_a_docx_saved_under_a_doc_name_needs_no_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setattr(legacy, "soffice", lambda: None)
    path = tmp_path / f"{QINGTIAN.stem}.doc"
    shutil.copy(FIXTURES / f"{QINGTIAN.stem}.docx", path)
    assert facts(parse(path)) == facts(parsed(FIXTURES / f"{QINGTIAN.stem}.docx"))
