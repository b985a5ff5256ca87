"""Ingest and normalise: encodings we accept, bytes we refuse with a reason."""
import codecs

import pytest

from conftest import SEED
from policyparse import InputError, UnsupportedFormat, parse
from policyparse.ingest import ingest
from policyparse.normalise import normalise

SAMPLE = "乐清市人民政府\n\n2023年乐清市制造业转型升级行动计划\n\n一、总体要求\n新增高新技术企业130家。\n"


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030"), ("utf-16", "utf-16"),
])
def test_accepted_encodings_give_the_same_text(tmp_path, encoding, expected):
    raw = ingest(write(tmp_path, "plan.txt", SAMPLE.encode(encoding)))
    assert raw.encoding == expected
    assert normalise(raw.text).text == SAMPLE


def test_gbk_seed_parses_to_the_same_dataset_as_utf8(tmp_path, seed_doc):
    gbk = write(tmp_path, "yueqing-2023-manufacturing-plan.txt", SEED.read_text(encoding="utf-8").encode("gb18030"))
    doc = parse(gbk)
    assert doc.encoding == "gb18030"
    assert doc.text == seed_doc.text
    assert doc.targets == seed_doc.targets
    assert doc.responsibilities == seed_doc.responsibilities


def test_crlf_becomes_lf_and_offsets_map_back_to_the_file():
    raw = "\ufeff一、总体要求\r\n新增企业3家。\r\n"
    n = normalise(raw)
    assert n.text == "一、总体要求\n新增企业3家。\n"
    i = n.text.index("3")
    assert raw[n.to_raw_offset(i)] == "3"
    assert [raw[n.to_raw_offset(j)] for j in range(len(n.text))] == list(n.text)


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\n \t\n", "no text"),
    ("junk.txt", bytes(range(256)) * 4, "binary data"),
    ("nul.txt", "新增企业3家".encode() + b"\x00\x00", "binary data"),
    ("latin.txt", "Kunden über Größe, naïve façade".encode("latin-1") * 20, "undecodable"),
    ("bad-bom.txt", codecs.BOM_UTF8 + b"\xff\xfe\xfa", "undecodable bytes at offset"),
])
def test_bad_bytes_are_refused_with_a_reason(tmp_path, name, data, reason):
    with pytest.raises(InputError) as info:
        ingest(write(tmp_path, name, data))
    assert reason in info.value.reason
    assert str(info.value).startswith(str(tmp_path / name))


def test_missing_file_and_unknown_type_and_huge_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        ingest(tmp_path / "nope.txt")
    with pytest.raises(UnsupportedFormat, match="unsupported file type '.xls'"):
        ingest(write(tmp_path, "plan.xls", b"x"))
    with pytest.raises(InputError, match="file too large"):
        ingest(write(tmp_path, "big.txt", "新增企业3家。\n".encode() * 100), max_bytes=1000)
