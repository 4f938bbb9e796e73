"""Any bytes under any list suffix: the readers answer with a list or a UserError, never anything
else (tests/test_properties.py covers well-formed CSV and xlsx; these are the broken ones)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validator.errors import UserError
from validator.ingest import read_list
from validator.rulebook import load_rules

HEADER_MAP = load_rules().header_map(load_rules().program("pkh"))
SUFFIXES = [".csv", ".xlsx", ".xls", ".ods", ".parquet", ".tsv"]
PARTS = ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
         "content.xml", "mimetype", "xl/_rels/workbook.xml.rels"]


def read_or_refuse(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"daftar{suffix}"
        path.write_bytes(data)
        try:
            read_list(path, HEADER_MAP)
        except UserError as exc:
            assert exc.message_id and exc.code


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048), st.sampled_from(SUFFIXES))
def test_random_bytes(data, suffix):
    read_or_refuse(data, suffix)


@st.composite
def broken_zips(draw) -> bytes:
    """Zip containers with workbook-like part names and arbitrary (often XML-ish) content."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in draw(st.lists(st.sampled_from(PARTS), min_size=1, max_size=5, unique=True)):
            body = draw(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(
                lambda t: f'<?xml version="1.0"?><worksheet><sheetData>{t}</sheetData></worksheet>'.encode())))
            z.writestr(name, body)
    return buf.getvalue()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_zips(), st.sampled_from([".xlsx", ".ods"]))
def test_broken_workbooks(data, suffix):
    read_or_refuse(data, suffix)
