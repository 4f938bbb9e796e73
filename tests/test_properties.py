"""Invariants over generated input: every NIK gets a verdict, no row is ever lost."""

from __future__ import annotations

import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import TODAY, make_rows, write_csv, write_xlsx
from validator.engine import validate
from validator.ingest import read_list

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NIK16 = st.text(alphabet=string.digits, min_size=16, max_size=16)


@SETTINGS
@given(st.lists(NIK16, min_size=1, max_size=40))
def test_any_16_digit_nik_gets_a_verdict(niks):
    with tempfile.TemporaryDirectory() as d:
        headers, rows = make_rows("pkh", [{"nik": n, "tgl": "", "jk": ""} for n in niks])
        outcome = validate(write_csv(Path(d) / "l.csv", headers, rows), "pkh", today=TODAY)
    assert outcome.rows.height == len(niks)
    assert set(outcome.rows["status"]) <= {"accepted", "review", "rejected"}
    codes = set(outcome.findings["code"])
    # A 16-digit text NIK is never empty, malformed or Excel-damaged.
    assert not codes & {"NIK_KOSONG", "NIK_FORMAT", "NIK_EXCEL"}


@SETTINGS
@given(st.lists(st.tuples(st.integers(1, 31), st.integers(0, 99), st.integers(0, 99)), min_size=1, max_size=30))
def test_nik_date_rule_is_symmetric_for_women(dates):
    """NIK_TANGGAL fires for day DD exactly when it fires for day DD+40 (same month, year)."""
    men = [f"127117{d:02d}{m:02d}{y:02d}0001" for d, m, y in dates]
    women = [f"127117{d + 40:02d}{m:02d}{y:02d}0001" for d, m, y in dates]
    with tempfile.TemporaryDirectory() as tmp:
        verdicts = []
        for niks in (men, women):
            headers, rows = make_rows("pkh", [{"nik": n, "tgl": "", "jk": ""} for n in niks])
            out = validate(write_csv(Path(tmp) / "l.csv", headers, rows), "pkh", today=TODAY)
            bad = set(out.findings.filter(code="NIK_TANGGAL")["_idx"].to_list())
            verdicts.append([i in bad for i in range(len(niks))])
    assert verdicts[0] == verdicts[1]


CELL = st.one_of(st.just(""), st.text(alphabet=string.ascii_letters + string.digits + " .,-/'", max_size=12),
                 st.sampled_from(["JUMLAH", "Mengetahui,", "Camat Medan Baru", "NIP. 19700101 199003 1 001",
                                  "1", "2", "3"]))


@SETTINGS
@given(st.lists(st.lists(CELL, min_size=4, max_size=4), min_size=1, max_size=30), st.booleans())
def test_reader_accounts_for_every_row(body, as_xlsx):
    """Every row below the header is either a data row or a skipped row with a reason."""
    headers = ["NIK", "Nama", "Alamat", "Keterangan"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("l.xlsx" if as_xlsx else "l.csv")
        (write_xlsx if as_xlsx else write_csv)(path, headers, body)
        from validator.rulebook import load_rules

        rules = load_rules()
        listing = read_list(path, rules.header_map(rules.program("pkh")))
    # Trailing blank rows of a sheet are not rows the operator sees; every other row is accounted for.
    last = max((i for i, r in enumerate(body) if any(c.strip() for c in r)), default=-1)
    seen = sorted(listing.frame["_row"].to_list() + [s["row"] for s in listing.skipped if s["row"] > 1])
    expected = list(range(2, 2 + last + 1))
    assert seen[: len(expected)] == expected
    assert all(s["row"] >= 2 + last + 1 or s["row"] in expected for s in listing.skipped if s["row"] > 1)


HEADER_TEXT = st.text(alphabet=string.ascii_letters + string.digits + " ._-*:()/\t", max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(HEADER_TEXT, st.sampled_from(
    ["NO. KK *)", "NIK*", "NAMA:", "Nominal (Rp)", " No_Rek ", "TGL LAHIR (dd-mm-yyyy)", "N I K", "JUMLAH (Rp.) :"])),
    min_size=1, max_size=20))
def test_the_vectorised_header_key_is_header_key(cells):
    import polars as pl

    from validator.rulebook import header_key, header_key_expr

    assert pl.select(header_key_expr(pl.Series(cells, dtype=pl.Utf8))).to_series().to_list() == [
        header_key(c) for c in cells]
