"""The ready sample lists validate as their generator says: injected errors found, rows skipped."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import TODAY
from validator.engine import validate

LISTS = Path(__file__).resolve().parent.parent / "sample_data" / "lists"
MANIFEST = list(csv.DictReader((LISTS / "manifest.csv").open(encoding="utf-8")))


def _read(path: Path) -> list[dict]:
    return list(csv.DictReader(path.open(encoding="utf-8"))) if path.exists() else []


def _codes_by_row(outcome) -> dict[int, set[str]]:
    row_of = dict(zip(outcome.rows["_idx"].to_list(), outcome.rows["row"].to_list(), strict=True))
    got: dict[int, set[str]] = {}
    for idx, code in outcome.findings.select("_idx", "code").iter_rows():
        got.setdefault(row_of[idx], set()).add(code)
    return got


@pytest.mark.parametrize("entry", MANIFEST, ids=[m["file"] for m in MANIFEST])
def test_sample_list_findings_match_the_injected_errors(entry):
    path = LISTS / entry["file"]
    outcome = validate(path, entry["program"], kecamatan=entry["kecamatan"], today=TODAY)
    assert outcome.rows.height == int(entry["data_rows"])
    assert outcome.listing.header_row == int(entry["header_row"])
    got = _codes_by_row(outcome)
    expected = _read(path.with_name(path.stem + ".expected.csv"))
    assert expected, "the generator records what it injected"
    missing = [(int(e["row"]), e["code"]) for e in expected if e["code"] not in got.get(int(e["row"]), set())]
    assert not missing
    # Rows the generator left clean carry no finding at all.
    injected_rows = {int(e["row"]) for e in expected}
    unexpected = {r: c for r, c in got.items() if r not in injected_rows}
    assert not unexpected


def test_messy_sample_skips_exactly_the_non_data_rows():
    path = LISTS / "pkh_medan_baru_berantakan.xlsx"
    outcome = validate(path, "pkh", kecamatan="12.71.17", today=TODAY)
    want = [(int(r["row"]), r["why"]) for r in _read(path.with_name(path.stem + ".skipped.csv"))]
    below = [(s["row"], s["why"]) for s in outcome.listing.skipped if s["row"] > outcome.listing.header_row]
    assert below == want
    above = [s for s in outcome.listing.skipped if s["row"] < outcome.listing.header_row]
    # Every row above the header is accounted for: the title block, and the empty line under it.
    assert [s["row"] for s in above] == list(range(1, outcome.listing.header_row))
    assert {s["why"] for s in above} == {"title", "blank"}
    assert {s["why"] for s in outcome.listing.skipped} >= {"title", "column_numbers", "blank", "total", "signature"}
    assert outcome.listing.sheet == "DAFTAR KPM"
    # No skipped row is also a data row.
    assert not {s["row"] for s in outcome.listing.skipped} & set(outcome.rows["row"].to_list())


@pytest.mark.parametrize("entry", [m for m in MANIFEST if m["file"].endswith(".xlsx")],
                         ids=[m["file"] for m in MANIFEST if m["file"].endswith(".xlsx")])
def test_the_return_workbook_sent_back_unchanged_gets_the_same_verdicts(entry, tmp_path):
    """The operator's loop: result.xlsx comes back, is fixed, and is sent again. Sent back as it
    is, every row keeps its number and its reasons: an ID damaged by Excel is written back as
    text, marked, and is not taken for a good one; the Ringkasan sheet is not a second list."""
    from validator.reports import write_outputs

    first = validate(LISTS / entry["file"], entry["program"], kecamatan=entry["kecamatan"], today=TODAY)
    paths = write_outputs(first, tmp_path / "o")
    again = validate(paths["xlsx"], entry["program"], kecamatan=entry["kecamatan"], today=TODAY)
    assert again.rows["row"].to_list() == first.rows["row"].to_list()
    assert _codes_by_row(again) == _codes_by_row(first)
    assert not [w for w in again.listing.warnings if w["code"] == "sheet_not_read"]
    assert "KETIK ULANG" not in " ".join(again.findings["message"].to_list())
