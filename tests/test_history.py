"""Submissions over time: supersede, duplicates across kecamatan and programs, diffs, safe writes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import TODAY, make_rows, write_csv
from validator.engine import record_outcome, validate
from validator.rulebook import load_rules
from validator.store import Store
from validator.store.history import periods_overlap

ROOT = Path(__file__).resolve().parent.parent
A, B = "127117", "127102"  # Medan Baru, Medan Sunggal
SITI = {}  # the base row
SITI_KK = "1271170101100001"
BUDI = {"nik": "1271171506750002", "kk": "1271170101100002", "nama": "BUDI SANTOSO", "tgl": "15-06-1975",
        "jk": "L", "rek": "300201000987654"}


def submit(tmp_path, store_path, program, kecamatan, period, rows, rules=None, name="l.csv"):
    headers, body = make_rows(program, rows)
    path = write_csv(tmp_path / name, headers, body)
    with Store(store_path) as db:
        outcome = validate(path, program, kecamatan=kecamatan, period=period, store=db, today=TODAY,
                           rules=rules)
        record_outcome(db, outcome)
    return outcome


def codes(outcome, idx=0):
    return set(outcome.findings.filter(_idx=idx)["code"])


def test_resubmission_supersedes_and_is_never_its_own_duplicate(tmp_path):
    db = tmp_path / "h.duckdb"
    first = submit(tmp_path, db, "pkh", A, "2026-T1", [SITI, BUDI])
    second = submit(tmp_path, db, "pkh", A, "2026-T1", [SITI, BUDI])
    assert not {"GANDA_ANTAR_KECAMATAN", "GANDA_ANTAR_PROGRAM"} & set(second.findings["code"])
    with Store(db, read_only=True) as s:
        rows = s.con.execute("SELECT id, superseded_by FROM submissions ORDER BY created_at").fetchall()
    assert rows == [(first.submission_id, second.submission_id), (second.submission_id, None)]


def test_same_nik_from_another_kecamatan_names_it(tmp_path):
    db = tmp_path / "h.duckdb"
    submit(tmp_path, db, "pkh", A, "2026-T1", [SITI])
    other = submit(tmp_path, db, "pkh", B, "2026-T1", [dict(SITI, kec="Medan Sunggal")])
    f = other.findings.filter(code="GANDA_ANTAR_KECAMATAN")
    assert f.height == 1
    assert "Medan Baru (12.71.17)" in f["message"][0] and "baris 2" in f["message"][0]
    assert "row 2" in f["message_en"][0] and "baris" not in f["message_en"][0]
    # A different period is another list altogether.
    later = submit(tmp_path, db, "pkh", B, "2026-T2", [dict(SITI, kec="Medan Sunggal")])
    assert "GANDA_ANTAR_KECAMATAN" not in set(later.findings["code"])


def test_a_rejected_row_elsewhere_does_not_block(tmp_path):
    db = tmp_path / "h.duckdb"
    submit(tmp_path, db, "pkh", A, "2026-T1", [dict(SITI, rek="30020100O123507")])  # rejected there
    other = submit(tmp_path, db, "pkh", B, "2026-T1", [dict(SITI, kec="Medan Sunggal")])
    assert "GANDA_ANTAR_KECAMATAN" not in set(other.findings["code"])


def test_only_the_latest_list_of_a_kecamatan_counts(tmp_path):
    db = tmp_path / "h.duckdb"
    submit(tmp_path, db, "pkh", A, "2026-T1", [SITI, BUDI])
    submit(tmp_path, db, "pkh", A, "2026-T1", [BUDI])  # SITI dropped by the resubmission
    other = submit(tmp_path, db, "pkh", B, "2026-T1", [dict(SITI, kec="Medan Sunggal")])
    assert "GANDA_ANTAR_KECAMATAN" not in set(other.findings["code"])


def test_a_kk_repeated_in_the_list_is_still_matched_with_an_exclusive_programs_family(tmp_path):
    """Two rows of one family in a PKH list (GANDA_KK) whose KK a live BST list holds: both rows
    are told the family is on BST too, so deleting one row does not lead to a second rejection."""
    db = tmp_path / "h.duckdb"
    submit(tmp_path, db, "bst", A, "2026-03", [dict(SITI, nominal="300000")])
    pkh = submit(tmp_path, db, "pkh", B, "2026-T1", [dict(BUDI, kk=SITI_KK, kec="Medan Sunggal"),
                                                      dict(BUDI, nik="1271171506750003", kk=SITI_KK, kec="Medan Sunggal",
                                                           rek="300201000987655")])
    assert {"GANDA_KK", "GANDA_ANTAR_PROGRAM"} <= codes(pkh, 0) and {"GANDA_KK", "GANDA_ANTAR_PROGRAM"} <= codes(pkh, 1)


def test_exclusive_programs_both_ways_and_by_kk(tmp_path):
    db = tmp_path / "h.duckdb"
    submit(tmp_path, db, "bst", A, "2026-03", [dict(SITI, nominal="300000")])
    pkh = submit(tmp_path, db, "pkh", B, "2026-T1", [dict(SITI, kec="Medan Sunggal")])
    assert "GANDA_ANTAR_PROGRAM" in codes(pkh)  # March lies in the first quarter
    # Household programs match on the KK too: another member of the same, live, PKH family.
    live_pkh = submit(tmp_path, db, "pkh", A, "2026-T2", [SITI], name="t2.csv")
    assert not codes(live_pkh)
    same_family = dict(BUDI, kk=SITI_KK, kec="Medan Sunggal", nominal="300000")
    bst_b = submit(tmp_path, db, "bst", B, "2026-05", [same_family], name="b.csv")
    assert "GANDA_ANTAR_PROGRAM" in codes(bst_b)
    [by_kk] = bst_b.findings.filter(code="GANDA_ANTAR_PROGRAM").iter_rows(named=True)
    assert "Medan Baru (12.71.17), PKH 2026-T2" in by_kk["message"] and "(nomor KK sama: anggota keluarga)" in by_kk["message"]
    assert by_kk["value"] == BUDI["nik"]  # this row's NIK: the match was its family's KK
    [by_nik] = pkh.findings.filter(code="GANDA_ANTAR_PROGRAM").iter_rows(named=True)
    assert "nomor KK" not in by_nik["message"] and by_nik["value"] == "1271175506800001"
    # PKH and BPNT may be combined.
    bpnt = submit(tmp_path, db, "bpnt", A, "2026-05", [dict(SITI, nominal="200000")])
    assert "GANDA_ANTAR_PROGRAM" not in codes(bpnt)


def test_exclusivity_declared_on_one_side_holds_both_ways(tmp_path):
    rules_dir = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules_dir)
    for name, partners in (("bst", []), ("pkh", ["bst"]), ("bpnt", [])):
        path = rules_dir / "programs" / f"{name}.yaml"
        data = yaml.safe_load(path.read_text())
        data["exclusive_with"] = partners
        path.write_text(yaml.safe_dump(data, allow_unicode=True))
    rules = load_rules(rules_dir)
    db = tmp_path / "h.duckdb"
    submit(tmp_path, db, "pkh", A, "2026-T1", [SITI], rules=rules)
    bst = submit(tmp_path, db, "bst", B, "2026-02", [dict(SITI, kec="Medan Sunggal", nominal="300000")],
                 rules=rules)
    assert "GANDA_ANTAR_PROGRAM" in codes(bst)


def test_resubmission_diff(tmp_path):
    db = tmp_path / "h.duckdb"
    third = dict(BUDI, nik="1271171506750003", kk="1271170101100003", nama="ANI", rek="300201000111222")
    submit(tmp_path, db, "pkh", A, "2026-T1", [dict(SITI, rek="30020100O123507"), BUDI, third])
    fourth = dict(BUDI, nik="1271171506750004", kk="1271170101100004", nama="DEWI", rek="300201000333444")
    again = submit(tmp_path, db, "pkh", A, "2026-T1",
                   [SITI, dict(BUDI, rek="3002010009876"), fourth])
    diff = again.compared_to
    assert diff["counts"] == {"fixed": 1, "still_failing": 0, "newly_failing": 1, "added": 1, "removed": 1}
    assert diff["rows"]["fixed"][0]["nik"] == "1271175506800001"
    assert diff["rows"]["newly_failing"][0]["codes"] == "REKENING_PANJANG"


def test_the_same_list_again_with_a_repeated_nik_adds_and_removes_nothing(tmp_path):
    db = tmp_path / "h.duckdb"
    rows = [SITI, BUDI, dict(BUDI, nama="BUDI S", rek="300201000111222")]
    submit(tmp_path, db, "pkh", A, "2026-T1", rows)
    again = submit(tmp_path, db, "pkh", A, "2026-T1", rows)
    # Both rows of the repeated NIK are matched, row for row: both still fail (GANDA_NIK).
    assert again.compared_to["counts"] == {"fixed": 0, "still_failing": 2, "newly_failing": 0, "added": 0,
                                           "removed": 0}


def test_a_duplicate_pasted_in_is_added_and_one_deleted_is_removed(tmp_path):
    """Every row is accounted for: a second row of a NIK pasted in is added (and rejected), the
    deleted twin of a repeated NIK is removed, not lost from the diff."""
    db = tmp_path / "h.duckdb"
    submit(tmp_path, db, "pkh", A, "2026-T1", [SITI, BUDI, dict(BUDI, nama="BUDI S", rek="300201000111222")])
    again = submit(tmp_path, db, "pkh", A, "2026-T1", [SITI, BUDI, dict(SITI, rek="300201000111333")])
    diff = again.compared_to
    assert diff["counts"] == {"fixed": 1, "still_failing": 0, "newly_failing": 1, "added": 1, "removed": 1}
    assert [r["row"] for r in diff["rows"]["added"]] == [4] and [r["row"] for r in diff["rows"]["removed"]] == [4]
    assert diff["rows"]["added"][0]["nik"] == "1271175506800001" and diff["rows"]["removed"][0]["nik"] == BUDI["nik"]


@pytest.mark.parametrize("a,b,same", [("2026-03", "2026-T1", True), ("2026-04", "2026-T1", False),
                                      ("2026-T2", "2026-S1", True), ("2026", "2026-11", True),
                                      ("2025-T1", "2026-T1", False), ("tahap-1", "TAHAP-1", True),
                                      ("2026-13", "2026", False), ("2026-13", "2026-13", True)])
def test_periods_overlap(a, b, same):
    assert periods_overlap(a, b) is same


@pytest.mark.parametrize(("period", "warned"), [("2026-T1", False), ("2026-03", False), ("2026", False),
                                                ("2026-13", True), ("kemarin", True)])
def test_a_period_of_no_known_form_is_warned_about(tmp_path, period, warned):
    headers, body = make_rows("pkh", [{}])
    outcome = validate(write_csv(tmp_path / "l.csv", headers, body), "pkh", kecamatan=A, period=period, today=TODAY)
    notes = [w for w in outcome.listing.warnings if w["code"] == "period_unrecognised"]
    assert bool(notes) is warned and all(period in w["message"] for w in notes)


def test_store_needs_kecamatan_and_period(tmp_path):
    headers, body = make_rows("pkh", [SITI])
    path = write_csv(tmp_path / "l.csv", headers, body)
    r = subprocess.run([sys.executable, "-m", "validator.cli", "validate", str(path), "--program", "pkh",
                        "--out", str(tmp_path / "o"), "--store", str(tmp_path / "h.duckdb")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "--kecamatan dan --period" in r.stderr


def test_cli_records_and_history_shows_the_story(tmp_path):
    db = tmp_path / "h.duckdb"
    headers, body = make_rows("pkh", [dict(SITI, rek="30020100O123507")])
    path = write_csv(tmp_path / "l.csv", headers, body)
    base = [sys.executable, "-m", "validator.cli"]
    r = subprocess.run(base + ["validate", str(path), "--program", "pkh", "--kecamatan", "12.71.17",
                               "--period", "2026-T1", "--out", str(tmp_path / "o"), "--store", str(db)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    result = json.loads((tmp_path / "o" / "result.json").read_text())
    assert result["submission_id"] and "history" not in result["checks_skipped"]
    h = subprocess.run(base + ["history", "1271175506800001", "--store", str(db)],
                       capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "200"})
    assert h.returncode == 0, h.stderr
    assert "127117******0001" in h.stdout and "REKENING_HURUF" in h.stdout and "ditolak" in h.stdout
    assert "1271175506800001" not in h.stdout  # masked
    with Store(db, read_only=True) as s:
        assert s.con.execute("SELECT count(*), min(nik_masked) FROM lookups").fetchall() == [(1, "127117******0001")]


def _script(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "script.py"
    p.write_text(textwrap.dedent(body))
    return p


def test_killed_mid_write_leaves_the_previous_state(tmp_path):
    db = tmp_path / "h.duckdb"
    submit(tmp_path, db, "pkh", A, "2026-T1", [SITI])
    headers, body = make_rows("pkh", [SITI, BUDI])
    path = write_csv(tmp_path / "again.csv", headers, body)
    marker = tmp_path / "inside"
    script = _script(tmp_path, f"""
        import sys, time
        from pathlib import Path
        import validator.store.history as h
        original = h.record
        def slow_record(store, submission, rows, findings):
            con = store.con
            real = store.transaction
            def paused_transaction():
                import contextlib
                @contextlib.contextmanager
                def cm():
                    with real() as c:
                        yield c
                        Path({str(marker)!r}).write_text("x")
                        time.sleep(60)  # killed here, after the inserts, before COMMIT
                return cm()
            store.transaction = paused_transaction
            return original(store, submission, rows, findings)
        h.record = slow_record
        sys.argv = ["bansos", "validate", {str(path)!r}, "--program", "pkh", "--kecamatan", "127117",
                    "--period", "2026-T1", "--out", {str(tmp_path / "o2")!r}, "--store", {str(db)!r}]
        from validator.cli import main
        main()
    """)
    proc = subprocess.Popen([sys.executable, str(script)], cwd=ROOT)
    deadline = time.time() + 60
    while not marker.exists() and time.time() < deadline:
        time.sleep(0.1)
    assert marker.exists(), "the writer never reached the transaction"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(db, read_only=True) as s:
        subs = s.con.execute("SELECT count(*), count(superseded_by) FROM submissions").fetchall()[0]
        rows = s.con.execute("SELECT count(*) FROM row_results").fetchall()[0][0]
    assert subs == (1, 0) and rows == 1
    assert not (tmp_path / "o2" / "result.json").exists()


def test_a_busy_store_waits_then_fails_clearly(tmp_path):
    db = tmp_path / "h.duckdb"
    Store(db).close()
    holder = _script(tmp_path, f"""
        import time, duckdb
        con = duckdb.connect({str(db)!r})
        print("holding", flush=True)
        time.sleep(30)
    """)
    proc = subprocess.Popen([sys.executable, str(holder)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "holding"
        headers, body = make_rows("pkh", [SITI])
        path = write_csv(tmp_path / "l.csv", headers, body)
        r = subprocess.run([sys.executable, "-m", "validator.cli", "validate", str(path), "--program", "pkh",
                            "--kecamatan", "127117", "--period", "2026-T1", "--out", str(tmp_path / "o"),
                            "--store", str(db)], capture_output=True, text=True, timeout=120,
                           env={**os.environ, "BANSOS_STORE_WAIT": "1"})
        assert r.returncode == 2 and "sedang dipakai" in r.stderr
        assert not (tmp_path / "o" / "result.json").exists()
    finally:
        proc.kill()
        proc.wait()


def test_rows_keep_bank_and_account_and_the_latest_decision_counts(tmp_path):
    db = tmp_path / "h.duckdb"
    outcome = submit(tmp_path, db, "pkh", A, "2026-T1", [SITI, BUDI])
    sid = outcome.submission_id
    with Store(db) as s:
        rows = s.con.execute("SELECT row, bank, no_rekening FROM row_results ORDER BY row").fetchall()
        assert rows[1][1:] == ("BRI", "300201000987654")
        s.con.execute("INSERT INTO decisions VALUES (?, 2, 'rejected', 'a', 'u', 'U', TIMESTAMP '2026-01-01')", [sid])
        s.con.execute("INSERT INTO decisions VALUES (?, 2, 'accepted', 'b', 'u', 'U', TIMESTAMP '2026-01-02')", [sid])
        eff = s.con.execute("SELECT row, status, effective_status, decision_note FROM effective_rows "
                            "ORDER BY row").fetchall()
    engine_status = dict(outcome.row_results().select("row", "status").iter_rows())
    assert eff[0] == (2, engine_status[2], "accepted", "b")
    assert eff[1] == (3, engine_status[3], engine_status[3], None)


def test_lookup_audit_keeps_a_keyed_digest_not_a_plain_hash(tmp_path):
    """A plain SHA-256 of a NIK can be reversed by trying every plausible NIK; the store's key
    makes the digest stable within the store and useless outside it."""
    import hashlib

    from validator.store.history import record_lookup

    nik = "1271175506800001"
    with Store(tmp_path / "a.duckdb") as a, Store(tmp_path / "b.duckdb") as b:
        record_lookup(a, "uji", "cli", nik)
        record_lookup(a, "uji", "cli", nik)
        record_lookup(b, "uji", "cli", nik)
        digests_a = [r[0] for r in a.con.execute("SELECT nik_sha256 FROM lookups").fetchall()]
        digest_b = b.con.execute("SELECT nik_sha256 FROM lookups").fetchall()[0][0]
        masked = a.con.execute("SELECT DISTINCT nik_masked FROM lookups").fetchall()
    assert digests_a[0] == digests_a[1] != digest_b
    assert hashlib.sha256(nik.encode()).hexdigest() not in (*digests_a, digest_b)
    assert masked == [("127117******0001",)]


def test_a_store_made_before_name_searches_were_recorded_takes_them(tmp_path):
    """The lookups table of an older store gains the search columns when it is opened."""
    from validator.store.history import record_lookup

    path = tmp_path / "lama.duckdb"
    with Store(path) as s:
        s.con.execute("ALTER TABLE lookups DROP COLUMN search_masked")
        s.con.execute("ALTER TABLE lookups DROP COLUMN search_sha256")
        s.con.execute("INSERT INTO lookups VALUES (now(), 'lama', 'cli', '127117******0001', 'x')")
    with Store(path) as s:
        record_lookup(s, "uji", "cli", "1271175506800001")
        rows = s.con.execute("SELECT actor, nik_masked, search_masked FROM lookups ORDER BY actor").fetchall()
    assert rows == [("lama", "127117******0001", None), ("uji", "127117******0001", None)]


@pytest.mark.parametrize(("typed", "canonical"), [
    ("2026-T1", "2026-T1"), ("2026-t1", "2026-T1"), ("2026 T1", "2026-T1"), ("2026-Q1", "2026-T1"),
    ("2026-TW1", "2026-T1"), ("2026-TAHAP-1", "2026-T1"), ("2026/T1", "2026-T1"), ("2026-3", "2026-03"),
    ("2026 03", "2026-03"), ("2026-s2", "2026-S2"), (" 2026 ", "2026"), ("2026-13", "2026-13"),
    ("tahap-1", "tahap-1")])
def test_canonical_period(typed, canonical):
    from validator.store.history import canonical_period

    assert canonical_period(typed) == canonical


def test_a_period_spelled_differently_is_the_same_list_to_replace(tmp_path):
    db = tmp_path / "h.duckdb"
    first = submit(tmp_path, db, "pkh", A, "2026-T1", [SITI])
    again = submit(tmp_path, db, "pkh", A, "2026 t1", [SITI], name="lagi.csv")
    assert again.period == "2026-T1" and again.compared_to["submission_id"] == first.submission_id
    with Store(db) as store:
        live = store.con.execute("SELECT id, period FROM submissions WHERE superseded_by IS NULL").fetchall()
    assert live == [(again.submission_id, "2026-T1")]


def test_the_diff_matches_a_retyped_damaged_nik_by_name(tmp_path):
    from tests.conftest import TODAY, make_rows, write_xlsx
    from validator.engine import record_outcome, validate
    from validator.store import Store

    good = {"nik": "1271175506800001"}
    other = {"nik": "1271171506750002", "kk": "1271170101100002", "nama": "BUDI SANTOSO", "jk": "L",
             "tgl": "15-06-1975", "rek": "300201000987654"}
    damaged = {**other, "nik": 1271171506750010}  # a numeric cell ending in 0: NIK_EXCEL
    with Store(tmp_path / "h.duckdb") as s:
        for n, rows in enumerate(([good, damaged], [good, other])):
            headers, body = make_rows("pkh", rows)
            path = write_xlsx(tmp_path / f"l{n}.xlsx", headers, body)
            outcome = validate(path, "pkh", kecamatan="127117", period="2026-T1", store=s, today=TODAY)
            record_outcome(s, outcome)
    assert outcome.compared_to["counts"] == {"fixed": 1, "still_failing": 0, "newly_failing": 0,
                                             "added": 0, "removed": 0}
    assert outcome.compared_to["unmatched_rows_without_nik"] == 0


def test_a_row_finance_rejected_blocks_nobody_and_history_shows_the_decision(tmp_path):
    from validator.store.history import history_of

    db = tmp_path / "h.duckdb"
    first = submit(tmp_path, db, "pkh", A, "2026-T1", [SITI, BUDI])
    with Store(db) as s:  # finance rejects SITI's row (row 2) in Medan Baru's list
        s.con.execute("INSERT INTO decisions VALUES (?, 2, 'rejected', 'pindah', 'u', 'U', TIMESTAMP '2026-01-01')",
                      [first.submission_id])
    other = submit(tmp_path, db, "pkh", B, "2026-T1", [SITI])
    assert "GANDA_ANTAR_KECAMATAN" not in set(other.findings["code"])
    with Store(db) as s:
        seen = history_of(s, "1271175506800001").select("kecamatan", "status").rows()
    assert seen[0] == (A, "rejected")


def _people(n: int) -> list[dict]:
    """n different people of Medan Baru, each accepted on a pkh list."""
    return [{"nik": f"127117150675{k:04d}", "jk": "L", "tgl": "15-06-1975", "kk": f"127117010110{k:04d}",
             "rek": f"3002010{k:08d}", "nama": name} for k, name in enumerate(NAMES[:n], 1)]


NAMES = ["ABDUL", "BUDIMAN", "CHAIRUL", "DARWIS", "ERWIN", "FIRMAN", "GUNAWAN", "HERMAN", "IRWAN", "JOKO",
         "KUSNADI", "LUKMAN", "MARDIANTO", "NASRUL", "OKTAVIANUS", "PARLINDUNGAN", "QOMARUDDIN", "RUSLAN",
         "SYAHRIAL", "TAUFIK", "USMAN", "VIKTOR", "WAHYUDI", "YUSRIZAL"]


def test_a_resubmission_of_a_few_rows_over_a_long_list_is_told_loudly(tmp_path):
    """Only the corrected rows sent as if they were the list (the return workbook's rows copied
    out, its verdict columns deleted): the live list shrinks to those rows, so the kecamatan and
    finance are told in the result, not only by the diff's count."""
    db = tmp_path / "h.duckdb"
    everyone = _people(24)
    first = submit(tmp_path, db, "pkh", "127117", "2026-T1", everyone)
    assert first.summary["accepted"] == 24 and not [w for w in first.listing.warnings if w["code"] == "list_shrunk"]
    few = submit(tmp_path, db, "pkh", "127117", "2026-T1", everyone[:5], name="perbaikan.csv")
    shrunk = [w for w in few.listing.warnings if w["code"] == "list_shrunk"]
    assert len(shrunk) == 1 and "berisi 5 baris" in shrunk[0]["message"] and "berisi 24 baris" in shrunk[0]["message"]
    assert "19 baris tidak lagi diajukan" in shrunk[0]["message"] and "daftar lengkap" in shrunk[0]["message"]
    assert few.compared_to["counts"]["removed"] == 19
    # The whole list again, less a few rows: no warning.
    again = submit(tmp_path, db, "pkh", "127117", "2026-T1", everyone[:20], name="lengkap.csv")
    assert not [w for w in again.listing.warnings if w["code"] == "list_shrunk"]


def test_the_diff_counts_a_deleted_row_whose_nik_could_not_be_read(tmp_path):
    db = tmp_path / "h.duckdb"
    people = _people(4)
    people[2]["nik"] = "12711715067500"  # 14 digits: NIK_FORMAT, no NIK to match by
    submit(tmp_path, db, "pkh", "127117", "2026-T1", people)
    again = submit(tmp_path, db, "pkh", "127117", "2026-T1", people[:2] + people[3:], name="tanpa.csv")
    assert again.compared_to["counts"]["removed"] == 0
    assert again.compared_to["removed_rows_without_nik"] == 1
    assert again.compared_to["unmatched_rows_without_nik"] == 0


def test_rows_without_a_nik_that_stay_are_not_counted_as_removed(tmp_path):
    """Two rows without a readable NIK and of one name cannot be matched by name (the name is not
    on one row only): sent again unchanged, nothing was removed."""
    db = tmp_path / "h.duckdb"
    people = _people(4)
    for k in (1, 2):
        people[k] = dict(people[k], nik="12711715067500", nama="SITI ROHANI")
    submit(tmp_path, db, "pkh", "127117", "2026-T1", people)
    again = submit(tmp_path, db, "pkh", "127117", "2026-T1", people, name="lagi.csv")
    assert again.compared_to["removed_rows_without_nik"] == 0
    assert again.compared_to["counts"]["removed"] == again.compared_to["counts"]["added"] == 0
