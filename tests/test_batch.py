"""The disbursement gate: each expectation failing and passing, approval only on a passing gate,
frozen files and the hash chain, `bansos batch` exit codes, and Great Expectations kept off the
upload path. Lists are written straight into the store (the engine is tested elsewhere), and each
store is checked once per module: Great Expectations is slow to start."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from validator.batch import service
from validator.batch.verify import verify
from validator.store import SUBMISSION_COLUMNS, Store, run

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "lists" / "pkh_medan_baru_berantakan.xlsx"
BARU, SUNGGAL = "127117", "127102"
PAGU, KUOTA = 6_000_000.0, 9  # the good batch pays 9 rows of 600,000: both limits hold exactly


def nik(kec: str, n: int) -> str:
    return f"{kec}{4506800000 + n}"


def row(r: int, kec: str, **over) -> dict:
    return {"row": r, "nik": nik(kec, r), "no_kk": f"{kec}{1001100000 + r}", "nama": f"PENERIMA {r}",
            "status": "accepted", "nominal": 600000.0, "bank": "BRI", "no_rekening": f"30020100{r:07d}"} | over


def add_list(db: Store, sid: str, kec: str, period: str, rows: list[dict], *, superseded_by=None,
             minutes: int = 0, findings: dict[int, str] | None = None, program: str = "pkh") -> None:
    created = dt.datetime(2026, 11, 1, 9, 0) + dt.timedelta(minutes=minutes)
    run(db.con, f"INSERT INTO submissions ({SUBMISSION_COLUMNS}) VALUES (?, ?, ?, ?, 'daftar.csv', '', ?, '2026.1+test', ?, 0, 0, 0, ?, "
        "'complete')", [sid, program, period, kec, created, len(rows), superseded_by])
    for r in rows:
        run(db.con, "INSERT INTO row_results (submission_id, row, sheet, nik, nik_ok, no_kk, nama, tanggal_lahir, "
            "status, nominal, bank, no_rekening) VALUES (?, ?, NULL, ?, true, ?, ?, NULL, ?, ?, ?, ?)",
            [sid, r["row"], r["nik"], r["no_kk"], r["nama"], r["status"], r["nominal"], r["bank"], r["no_rekening"]])
    for r, code in (findings or {}).items():
        run(db.con, "INSERT INTO findings VALUES (?, ?, ?, 'reject', 'nik', '', '', '')", [sid, r, code])


def decide(db: Store, sid: str, r: int, decision: str) -> None:
    run(db.con, "INSERT INTO decisions VALUES (?, ?, ?, 'dicek', 'u1', 'Keuangan', ?)", [sid, r, decision, dt.datetime.now()])


def fill_good(db: Store, period: str = "2026-T1") -> None:
    """Two kecamatan, decisions applied, an older list that must not count."""
    tag = "" if period == "2026-T1" else f"-{period}"  # submission ids are unique in the store
    add_list(db, f"baru{tag}", BARU, period, [row(r, BARU) for r in range(2, 7)]
             + [row(7, BARU, status="rejected"), row(8, BARU, status="review")], findings={7: "NIK_FORMAT"})
    decide(db, f"baru{tag}", 8, "accepted")  # finance accepted the review row: it is paid
    # Sunggal's first list paid a Medan Baru NIK; its resubmission replaced it.
    add_list(db, f"sunggal_lama{tag}", SUNGGAL, period, [row(2, SUNGGAL, nik=nik(BARU, 2))],
             superseded_by=f"sunggal{tag}", minutes=1)
    add_list(db, f"sunggal{tag}", SUNGGAL, period, [row(r, SUNGGAL) for r in range(2, 5)]
             + [row(5, SUNGGAL, status="rejected", nik=nik(BARU, 3))], minutes=2,
             findings={5: "GANDA_ANTAR_KECAMATAN"})


def fill_bad(db: Store, period: str = "2026-T2") -> None:
    """One failure per expectation, each on its own row."""
    add_list(db, "buruk_baru", BARU, period, [
        row(2, BARU, nik="1271174506800999"),                       # nik_unik (with Sunggal row 2)
        row(3, BARU, no_kk="1271171001100999"), row(4, BARU, no_kk="1271171001100999"),  # kk_unik
        row(5, BARU, bank="BANK SUMUT"),                             # bank_penyalur
        row(6, BARU, no_rekening="30020100000006"),                  # rekening_sah: BRI has 15 digits
        row(7, BARU, nominal=None),                                  # nominal_ada
        row(8, BARU, nominal=5_000_000.0),                           # nominal_sesuai: PKH pays at most 3,000,000
        row(9, BARU, nominal=610_000.0),                             # nominal_kelipatan: steps of 25,000
        row(10, BARU, status="review"),                              # tidak_ada_review
    ])
    add_list(db, "buruk_sunggal", SUNGGAL, period, [row(2, SUNGGAL, nik="1271174506800999")], minutes=1)


BAD_ROWS = {
    "tidak_ada_review": {(BARU, 10)},
    "nik_unik": {(BARU, 2), (SUNGGAL, 2)},
    "kk_unik": {(BARU, 3), (BARU, 4)},
    "bank_penyalur": {(BARU, 5)},
    "rekening_sah": {(BARU, 6)},
    "nominal_ada": {(BARU, 7)},
    "nominal_sesuai": {(BARU, 8)},
    "nominal_kelipatan": {(BARU, 9)},
    "pagu": set(),
    "kuota": set(),
}


@pytest.fixture(scope="module")
def gate(tmp_path_factory, rules):
    """One store, two batches: a good one (checked, then approved) and a bad one (checked)."""
    tmp = tmp_path_factory.mktemp("batch")
    path = tmp / "riwayat.duckdb"
    with Store(path) as db:
        fill_good(db)
        fill_bad(db)
        root = service.default_root(path)
        good = service.check(db, rules, "pkh", "2026-T1", pagu=PAGU, kuota=KUOTA, root=root, actor="uji")
        bad = service.check(db, rules, "pkh", "2026-T2", pagu=1_000_000, kuota=3, root=root, actor="uji")
        with pytest.raises(service.GateRefused) as refused:
            service.approve(db, rules, "pkh", "2026-T2", actor="Kabid")
        manifest = service.approve(db, rules, "pkh", "2026-T1", actor="Kabid Keuangan")
    return {"path": path, "good": good, "bad": bad, "refused": refused.value, "manifest": manifest}


def _verdicts(check: dict) -> dict:
    return {e["key"]: e for e in check["check"]["result"]["expectations"]}


@pytest.mark.parametrize("key", list(BAD_ROWS))
def test_expectation_fails_with_its_rows(gate, key):
    e = _verdicts(gate["bad"])[key]
    assert e["success"] is False
    assert {(r["kecamatan"], r["row"]) for r in e["rows"]} == BAD_ROWS[key]
    for r in e["rows"]:
        assert "*" in r["nik_masked"] and len(r["nik_masked"]) == 16


@pytest.mark.parametrize("key", list(BAD_ROWS))
def test_expectation_passes_on_a_clean_batch(gate, key):
    assert _verdicts(gate["good"])[key]["success"] is True


def test_failed_expectations_say_what_they_saw(gate):
    v = _verdicts(gate["bad"])
    assert v["pagu"]["observed"] == 6 * 600000 + 5_000_000 + 610_000  # the row without an amount adds nothing
    assert v["kuota"]["observed"] == 9
    assert "harus 15 digit, tertulis 14 digit" in v["rekening_sah"]["rows"][0]["detail"]
    assert gate["bad"]["check"]["passed"] is False and gate["good"]["check"]["passed"] is True


def test_batch_rows_are_the_live_lists_with_decisions(gate):
    result = gate["good"]["check"]["result"]
    assert result["pay_rows"] == 9 and result["total"] == 9 * 600000.0
    summary = result["summary"]
    assert summary["counts"] == {"accepted": 9, "review": 0, "rejected": 2}
    assert [(k["kecamatan"], k["accepted"], k["rejected"]) for k in summary["kecamatan"]] == [
        (SUNGGAL, 3, 1), (BARU, 6, 1)]
    assert {c["code"]: c["rows"] for c in summary["by_code"]} == {"NIK_FORMAT": 1, "GANDA_ANTAR_KECAMATAN": 1}
    assert summary["by_code"][0]["rate"] == pytest.approx(1 / 11)


def test_without_pagu_and_kuota_the_gate_cannot_pass(tmp_path, rules):
    with Store(tmp_path / "s.duckdb") as db:
        fill_good(db)
        done = service.check(db, rules, "pkh", "2026-T1", pagu=None, kuota=None, root=tmp_path / "b", actor="uji")
    v = _verdicts(done)
    assert v["pagu"]["success"] is None and v["pagu"]["skipped"] == "pagu belum diisi"
    assert done["check"]["passed"] is False


def test_data_docs_are_kept_with_the_batch_and_name_the_suite(gate):
    check = gate["good"]["check"]
    docs = Path(check["docs"])
    assert docs.parent == Path(gate["good"]["batch"]["folder"]) and docs.name == "pemeriksaan_1"
    index = (docs / "index.html").read_text()
    suite = check["result"]["suite"]
    assert suite == "gerbang_pencairan_pkh_2026_T1" and suite in index
    pages = list((docs / "validations").rglob("*.html"))
    assert [p.relative_to(docs).as_posix() for p in pages] == [check["result"]["docs_page"]]
    assert suite in check["result"]["docs_page"] and suite in pages[0].read_text()
    # The report holds masked NIKs and stand-in numbers only, never an ID number.
    text = "".join(p.read_text() for p in docs.rglob("*.html"))
    assert nik(BARU, 2) not in text and "30020100" not in text


def test_approval_refused_on_a_failing_gate(gate):
    assert gate["refused"].code == "gate_failed"
    assert "pemeriksaan terakhir gagal" in gate["refused"].message_id


def test_approval_writes_files_and_manifest(gate):
    m = gate["manifest"]
    folder = Path(m["folder"])
    assert m["program"] == "pkh" and m["period"] == "2026-T1" and m["rows_paid"] == 9
    assert m["total_amount"] == 5_400_000 and m["counts_by_status"]["rejected"] == 2
    assert m["approved_by"] == "Kabid Keuangan" and m["previous_manifest"] is None
    assert m["rule_set_version"].startswith("2026.1+")
    assert {k["kecamatan"]: k["accepted"] for k in m["by_kecamatan"]} == {BARU: 6, SUNGGAL: 3}
    on_disk = json.loads((folder / "manifest.json").read_text())
    assert on_disk["files"] == m["files"] and len(m["files"]) == 2
    rows = list(csv.reader(io.StringIO((folder / f"pencairan_{m['batch_id']}.csv").read_text("utf-8-sig"))))
    assert rows[0][:6] == ["NO", "KODE KECAMATAN", "KECAMATAN", "ID PENGAJUAN", "BARIS ASAL", "NIK"]
    assert len(rows) == 10 and nik(BARU, 8) in {r[5] for r in rows}  # the decided review row is paid
    ws = openpyxl.load_workbook(folder / f"pencairan_{m['batch_id']}.xlsx").active
    assert ws.cell(2, 6).data_type == "s" and ws.cell(2, 10).data_type == "s"  # NIK and account as text


def test_approved_version_is_frozen_and_a_new_check_opens_the_next(gate, rules, tmp_path):
    with Store(gate["path"]) as db:
        with pytest.raises(service.GateRefused) as again:
            service.approve(db, rules, "pkh", "2026-T1", actor="x")
        assert again.value.code == "already_approved"
        decide(db, "sunggal", 5, "accepted")  # a change after approval
        nxt = service.check(db, rules, "pkh", "2026-T1", pagu=None, kuota=None,
                            root=service.default_root(gate["path"]), actor="uji")
        # The period's pagu carries over to the next version (what was paid comes off it).
        assert nxt["batch"]["version"] == 2 and nxt["batch"]["pagu"] == PAGU
        assert service.get_batch(db, gate["good"]["batch"]["id"])["state"] == "approved"


def test_staging_folders_of_a_killed_check_or_approval_are_swept(tmp_path, rules):
    path = tmp_path / "s.duckdb"
    root = service.default_root(path)
    with Store(path) as db:
        fill_good(db)
        first = service.check(db, rules, "pkh", "2026-T1", pagu=PAGU, kuota=KUOTA, root=root, actor="uji")
        folder = Path(first["batch"]["folder"])
        dead = folder / f".persetujuan-999999999-{'a' * 32}"  # a killed approval: its payees' file
        (dead / "pencairan.csv").parent.mkdir(parents=True)
        (dead / "pencairan.csv").write_text("nik,rekening\n")
        dead_check = root / f".pemeriksaan-999999999-{'b' * 32}"
        dead_check.mkdir()
        live = folder / f".persetujuan-{os.getppid()}-{'c' * 32}"  # a run still going
        live.mkdir()
        service.check(db, rules, "pkh", "2026-T1", pagu=PAGU, kuota=KUOTA, root=root, actor="uji")
        assert not dead_check.exists() and not dead.exists()  # the next check sweeps both
        dead.mkdir()
        service.approve(db, rules, "pkh", "2026-T1", actor="Kabid")
    assert not dead.exists() and live.exists()
    assert not [p for p in folder.iterdir() if p.name.startswith(".") and p != live]


def test_stale_check_is_refused(tmp_path, rules):
    with Store(tmp_path / "s.duckdb") as db:
        fill_good(db)
        service.check(db, rules, "pkh", "2026-T1", pagu=PAGU, kuota=KUOTA, root=tmp_path / "b", actor="uji")
        decide(db, "baru", 8, "rejected")
        with pytest.raises(service.GateRefused) as stale:
            service.approve(db, rules, "pkh", "2026-T1", actor="x")
    assert stale.value.code == "stale_check"


def bansos(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from validator.cli import main; main()", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "COLUMNS": "200"})


def test_verify_catches_an_edited_file_and_manifest(gate):
    store = str(gate["path"])
    args = ("batch", "verify", "--program", "pkh", "--period", "2026-T1", "--store", store)
    ok = bansos(*args)
    assert ok.returncode == 0, ok.stderr
    assert "UTUH" in ok.stdout
    folder = Path(gate["manifest"]["folder"])
    for name in (f"pencairan_{gate['manifest']['batch_id']}.csv", "manifest.json"):
        path = folder / name
        original = path.read_bytes()
        try:
            path.write_bytes(original.replace(b"600000", b"900000", 1))
            bad = bansos(*args)
            assert bad.returncode == 3
            assert "telah diubah sesudah disetujui" in bad.stderr and name in bad.stderr
        finally:
            path.write_bytes(original)
    assert bansos(*args).returncode == 0


def test_cli_bad_input_exits_2_with_one_indonesian_line(gate, tmp_path):
    unknown = bansos("batch", "check", "--program", "zakat", "--period", "2026-T1", "--store", str(gate["path"]))
    assert unknown.returncode == 2 and "Program 'zakat' tidak dikenal" in unknown.stderr, unknown.stderr
    assert "Traceback" not in unknown.stderr
    missing = bansos("batch", "approve", "--program", "pkh", "--period", "2026-T1", "--store",
                     str(tmp_path / "tidak_ada.duckdb"))
    assert missing.returncode == 2 and "belum ada" in missing.stderr, missing.stderr
    nothing = bansos("batch", "verify", "--program", "pkh", "--period", "2027-T1", "--store", str(gate["path"]))
    assert nothing.returncode == 2 and "Belum ada batch" in nothing.stderr, nothing.stderr


def test_cli_check_and_approve_exit_codes(tmp_path, monkeypatch, capsys):
    from validator.cli import main

    path = tmp_path / "s.duckdb"
    with Store(path) as db:
        fill_good(db)
        fill_bad(db)

    def cli(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["bansos", "batch", *args, "--program", "pkh", "--store", str(path)])
        with pytest.raises(SystemExit) as ex:
            main()
        out = capsys.readouterr()
        return ex.value.code, out.out, out.err

    code, out, err = cli("check", "--period", "2026-T2", "--pagu", "100", "--kuota", "1")
    assert code == 3 and "Gerbang GAGAL" in err and f"kecamatan {BARU} baris 6" in out
    assert "1271174506800999" not in out + err and "127117******0999" in out  # NIKs masked on screen
    code, _, err = cli("approve", "--period", "2026-T2")
    assert code == 3 and "tidak dapat disetujui" in err
    code, _, err = cli("check", "--period", "2026-T1", "--pagu", "enam juta")
    assert code == 2 and "Pagu harus berupa angka bulat" in err
    code, out, _ = cli("check", "--period", "2026-T1", "--pagu", "Rp 6.000.000", "--kuota", "9")
    assert code == 0 and "Gerbang LULUS" in out and "index.html" in out
    code, out, _ = cli("approve", "--period", "2026-T1", "--by", "Kabid")
    assert code == 0 and "manifest.json" in out
    # A second check of an open version with another --out keeps the version's folder and says so.
    code, out, _ = cli("check", "--period", "2026-T2", "--pagu", "100", "--kuota", "1", "--out", str(tmp_path / "lain"))
    assert code == 3 and "--out" in out and "tidak dipakai" in " ".join(out.split())
    checks = sorted(p.name for p in tmp_path.rglob("pemeriksaan_*") if "T2" in str(p))
    assert checks == ["pemeriksaan_1", "pemeriksaan_2"] and not list((tmp_path / "lain").rglob("pemeriksaan_*"))


def test_manifests_form_a_hash_chain(gate, rules):
    with Store(gate["path"]) as db:
        fill_good(db, period="2026-T3")
        service.check(db, rules, "pkh", "2026-T3", pagu=PAGU, kuota=KUOTA, root=service.default_root(gate["path"]),
                      actor="uji")
        second = service.approve(db, rules, "pkh", "2026-T3", actor="Kabid")
        first = service.get_batch(db, gate["manifest"]["batch_id"])
        assert second["previous_manifest"] == {"batch_id": first["id"], "sha256": first["manifest_sha256"]}
        path = Path(first["folder"]) / "manifest.json"
        original = path.read_bytes()
        try:
            path.write_bytes(original + b" ")
            problems = verify(db, rules, "pkh", "2026-T3")["batches"][0]["problems"]
        finally:
            path.write_bytes(original)
        assert any("Rantai manifest putus" in p["message"] for p in problems)
        assert verify(db, rules, "pkh", "2026-T3")["ok"]


def test_great_expectations_stays_off_the_upload_path(tmp_path):
    code = f"""
import sys
from pathlib import Path
import validator.engine, api.app
from validator.engine import validate
from validator.reports import write_outputs
outcome = validate(Path({str(SAMPLE)!r}), "pkh", kecamatan="12.71.17", period="2026-T1")
write_outputs(outcome, Path({str(tmp_path / 'hasil')!r}))
api.app.create_app(Path({str(tmp_path / 's.duckdb')!r}))
assert outcome.summary["rows"] > 0
print(sorted(m for m in sys.modules if m.split(".")[0] in ("great_expectations", "pandas")))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "great_expectations" not in done.stdout


def test_batch_ids_of_periods_written_differently_never_collide():
    from validator.batch.service import batch_id

    ids = {batch_id("pkh", p, 1) for p in ("2026-T1", "tahap 1", "tahap/1", "tahap-1", "tahap_1")}
    assert len(ids) == 5 and "pkh_2026-T1_v1" in ids
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", i) for i in ids)


def test_a_list_sent_for_an_approved_period_is_recorded_with_a_warning(gate, tmp_path):
    import shutil

    from tests.conftest import make_rows, write_csv
    from validator.engine import record_outcome, validate

    store_path = tmp_path / "salinan.duckdb"
    shutil.copy(gate["path"], store_path)
    headers, body = make_rows("pkh", [{}])
    lst = write_csv(tmp_path / "l.csv", headers, body)
    with Store(store_path) as db:
        approved = validate(lst, "pkh", kecamatan="127117", period="2026-T1", store=db)
        record_outcome(db, approved)
        other = validate(lst, "pkh", kecamatan="127117", period="2026-10", store=db)
    [warn] = [w for w in approved.listing.warnings if w["code"] == "period_approved"]
    assert "sudah disetujui keuangan (versi 1)" in warn["message"]
    assert not [w for w in other.listing.warnings if w["code"] == "period_approved"]


def test_a_version_after_an_approved_one_pays_only_the_others(gate, rules, tmp_path):
    import shutil

    store_path = tmp_path / "salinan.duckdb"
    shutil.copy(gate["path"], store_path)
    with Store(store_path) as db:
        paid_v1 = gate["manifest"]["rows_paid"]
        amount_v1 = gate["manifest"]["total_amount"]
        assert db.con.execute("SELECT count(*) FROM paid_rows WHERE batch_id = ?",
                              [gate["manifest"]["batch_id"]]).fetchone()[0] == paid_v1
        # After approval Medan Tuntungan sends its list: one new person. Sunggal's row 5, a Medan Baru
        # person already paid by version 1, is accepted by finance now: not paid again.
        add_list(db, "tuntungan", "127101", "2026-T1", [row(2, "127101")], minutes=5)
        decide(db, "sunggal", 5, "accepted")
        # Medan Baru resends its list with one paid person's amount changed.
        add_list(db, "baru2", BARU, "2026-T1", [row(r, BARU) for r in range(2, 7)]
                 + [row(7, BARU, status="rejected"), row(8, BARU, nominal=650_000.0)], minutes=6)
        nxt = service.check(db, rules, "pkh", "2026-T1", pagu=amount_v1 + 10_000_000, kuota=paid_v1 + 5,
                            root=tmp_path / "b", actor="uji")
        result = nxt["check"]["result"]
        assert result["paid_before"]["rows"] == paid_v1 and result["paid_before"]["amount"] == amount_v1
        assert result["pay_rows"] == 1  # only the new person is paid by version 2
        assert result["paid_before"]["amount_changed"] == 1
        assert result["paid_before"]["amount_changed_rows"][0]["now"] == 650_000.0
        assert nxt["check"]["passed"], [e for e in result["expectations"] if e["success"] is not True]
        manifest = service.approve(db, rules, "pkh", "2026-T1", actor="Kabid")
        assert manifest["rows_paid"] == 1 and manifest["paid_in_earlier_versions"]["rows"] == paid_v1
        # Nothing new since version 2: nothing to approve.
        empty = service.check(db, rules, "pkh", "2026-T1", pagu=None, kuota=None, root=tmp_path / "b", actor="uji")
        assert empty["check"]["result"]["pay_rows"] == 0
        with pytest.raises(service.GateRefused) as nothing:
            service.approve(db, rules, "pkh", "2026-T1", actor="Kabid")
        assert nothing.value.code == "nothing_to_pay"
        # The pagu counts what the approved versions paid: a ceiling below their sum fails the gate.
        tight = service.check(db, rules, "pkh", "2026-T1", pagu=amount_v1, kuota=None, root=tmp_path / "b",
                              actor="uji")
        assert not tight["check"]["passed"]
        # A kuota or pagu below what was already paid (the top-up typed alone) is no crash: nothing
        # remains, so only a version paying no one could pass, and the result says by how much.
        add_list(db, "tuntungan2", "127101", "2026-T1", [row(2, "127101"), row(3, "127101")], minutes=8)
        short = service.check(db, rules, "pkh", "2026-T1", pagu=1_000_000, kuota=1, root=tmp_path / "b", actor="uji")
        result = short["check"]["result"]
        assert not short["check"]["passed"] and result["pay_rows"] == 1
        earlier = result["paid_before"]
        assert earlier["remaining"] == {"pagu": 1_000_000 - earlier["amount"], "kuota": 1 - earlier["rows"]}
        assert earlier["remaining"]["kuota"] < 0 and earlier["remaining"]["pagu"] < 0
        from validator.errors import UserError
        with pytest.raises(UserError) as huge:
            service.check(db, rules, "pkh", "2026-T1", pagu=None, kuota=10**12, root=tmp_path / "b", actor="uji")
        assert huge.value.code == "bad_kuota" and "terlalu besar" in huge.value.message_id


def test_rows_of_people_already_paid_are_paid_before_whether_accepted_or_in_review(rules):
    import polars as pl

    from validator.batch.rows import mark_paid_before

    rows = pl.DataFrame({"nik": ["A", "B", "C", "D"], "no_kk": ["K1", "K2", "K3", "K9"],
                         "effective_status": ["accepted", "review", "rejected", "accepted"]})
    before = pl.DataFrame({"nik": ["A", "B", "C", "X"], "no_kk": ["K1", "K2", "K3", "K9"], "nominal": [1.0] * 4})
    marked = mark_paid_before(rows, before, rules.program("pkh"))["effective_status"].to_list()
    # D is another member of an already-paid KK in a household program.
    assert marked == ["paid_before", "paid_before", "rejected", "paid_before"]
    individual = mark_paid_before(rows, before, rules.program("maghrib_mengaji"))["effective_status"].to_list()
    assert individual == ["paid_before", "paid_before", "rejected", "accepted"]


@pytest.mark.parametrize("typed,expected", [
    ("Rp 1.500.000.000", 1_500_000_000), ("1500000000", 1_500_000_000), ("2.500", 2500), ("Rp. 20.000.000", 20_000_000),
    ("20000000.00", 20_000_000), ("10.0", 10), ("1,500,000,000", 1_500_000_000), ("52.875.000,00", 52_875_000),
    ("Rp1.500.000.000,-", 1_500_000_000), ("2.500,-", 2500),
    ("", None),
])
def test_pagu_and_kuota_are_read_as_finance_types_them(typed, expected):
    from validator.batch.service import parse_number

    assert parse_number(typed, "Pagu") == expected


@pytest.mark.parametrize("typed", ["2500.7", "52.875.000,75", "1,5 M", "1,5", "15 jt", "NIK 1271171404511017"])
def test_a_pagu_that_cannot_be_read_exactly_is_refused_not_guessed(typed):
    """'20000000.00' was read as two billion and '1,5 M' as one rupiah: a misread pagu lets the
    gate pass a batch over budget. Anything not exactly a whole amount is refused, masked."""
    from validator.batch.service import parse_number
    from validator.errors import UserError

    with pytest.raises(UserError) as err:
        parse_number(typed, "Pagu")
    assert err.value.code == "bad_number" and "1271171404511017" not in str(err.value)


def test_a_person_an_exclusive_program_paid_is_not_paid_again(tmp_path, rules):
    """PKH paid the person for 2026-T1 and the kecamatan then dropped them from its PKH list, so
    GANDA_ANTAR_PROGRAM (live lists only) no longer sees them on the BST list of March: the BST
    batch leaves them out (listed for finance) and pays the others, instead of holding the whole
    period up on a row finance cannot decide; BPNT (not exclusive with PKH) is not concerned."""
    root = tmp_path / "berkas"
    with Store(tmp_path / "s.duckdb") as db:
        add_list(db, "pkh1", BARU, "2026-T1", [row(r, BARU) for r in range(2, 5)])
        assert service.check(db, rules, "pkh", "2026-T1", pagu=1e9, kuota=100, root=root, actor="uji")["check"]["passed"]
        service.approve(db, rules, "pkh", "2026-T1", actor="Kabid")
        add_list(db, "pkh2", BARU, "2026-T1", [row(r, BARU) for r in range(3, 5)], minutes=5)
        run(db.con, "UPDATE submissions SET superseded_by = 'pkh2' WHERE id = 'pkh1'")
        bst = [row(2, BARU, nominal=300000.0), row(9, BARU, nominal=300000.0)]
        add_list(db, "bst1", BARU, "2026-03", bst, minutes=6, program="bst")
        got = service.check(db, rules, "bst", "2026-03", pagu=1e9, kuota=100, root=root, actor="uji")["check"]
        verdict = {e["key"]: e for e in got["result"]["expectations"]}["tidak_dibayar_program_lain"]
        assert got["passed"] and verdict["success"] is True and got["result"]["pay_rows"] == 1
        left = got["result"]["paid_elsewhere"]
        assert left["rows"] == 1 and left["amount"] == 300000.0 and [r["row"] for r in left["list"]] == [2]
        assert "*" in left["list"][0]["nik_masked"]
        assert got["result"]["summary"]["counts"] == {"accepted": 1, "review": 0, "rejected": 0, "paid_elsewhere": 1}
        approved = service.approve(db, rules, "bst", "2026-03", actor="Kabid")
        paid_rows = run(db.con, "SELECT nik FROM paid_rows WHERE batch_id = ?", [approved["batch_id"]])
        assert paid_rows == [(row(9, BARU)["nik"],)]
        add_list(db, "bpnt1", BARU, "2026-T1", [row(2, BARU, nominal=200000.0)], minutes=7, program="bpnt")
        bpnt = {e["key"]: e for e in service.check(db, rules, "bpnt", "2026-T1", pagu=1e9, kuota=100, root=root,
                                                   actor="uji")["check"]["result"]["expectations"]}
        assert bpnt["tidak_dibayar_program_lain"]["success"] is True  # BPNT excludes BST only, which paid nobody


def test_a_month_of_a_quarter_already_paid_is_not_paid_again(tmp_path, rules):
    """PKH 2026-T1 approved and paid; the same list then sent for 2026-03 (a month of that quarter):
    its rows are paid_before, the check says which batch paid them, 2026-03's pagu is not reduced
    by what the quarter paid, and there is nothing to approve. A month paid first holds the
    quarter's rows back the same way; another quarter is not concerned."""
    root = tmp_path / "berkas"
    with Store(tmp_path / "s.duckdb") as db:
        add_list(db, "pkh_t1", BARU, "2026-T1", [row(r, BARU) for r in range(2, 5)])
        service.check(db, rules, "pkh", "2026-T1", pagu=1e9, kuota=100, root=root, actor="uji")
        service.approve(db, rules, "pkh", "2026-T1", actor="Kabid")
        add_list(db, "pkh_mar", BARU, "2026-03", [row(r, BARU) for r in range(2, 5)] + [row(9, BARU)], minutes=5)
        got = service.check(db, rules, "pkh", "2026-03", pagu=600000.0, kuota=1, root=root, actor="uji")["check"]
        result = got["result"]
        assert got["passed"] and result["pay_rows"] == 1  # only the person the quarter did not pay
        assert result["summary"]["counts"]["paid_before"] == 3
        assert result["paid_before"]["rows"] == 0 and result["paid_before"]["remaining"] == {"pagu": 600000.0,
                                                                                           "kuota": 1}
        other = result["paid_before"]["other_periods"]
        assert other["batches"] == ["pkh_2026-T1_v1"] and other["live_rows"] == 3 and other["amount"] == 1800000.0
        assert sorted(r["row"] for r in other["list"]) == [2, 3, 4]
        run(db.con, "DELETE FROM row_results WHERE submission_id = 'pkh_mar' AND row = 9")
        with pytest.raises(service.GateRefused) as err:
            service.check(db, rules, "pkh", "2026-03", pagu=600000.0, kuota=1, root=root, actor="uji")
            service.approve(db, rules, "pkh", "2026-03", actor="Kabid")
        assert err.value.code == "nothing_to_pay"
        # The other way round: a month paid, then its quarter; and a quarter the month is not in.
        add_list(db, "bpnt_apr", BARU, "2026-04", [row(2, BARU, nominal=200000.0)], minutes=6, program="bpnt")
        service.check(db, rules, "bpnt", "2026-04", pagu=1e9, kuota=100, root=root, actor="uji")
        service.approve(db, rules, "bpnt", "2026-04", actor="Kabid")
        assert result["period_unrecognised"] is False
        add_list(db, "pkh_maret", BARU, "maret", [row(9, BARU)], minutes=8)
        assert service.check(db, rules, "pkh", "maret", pagu=1e9, kuota=100, root=root,
                             actor="uji")["check"]["result"]["period_unrecognised"] is True
        for period, held in (("2026-T2", 1), ("2026-T1", 0)):
            add_list(db, f"bpnt_{period}", BARU, period, [row(2, BARU, nominal=200000.0)], minutes=7, program="bpnt")
            r = service.check(db, rules, "bpnt", period, pagu=1e9, kuota=100, root=root, actor="uji")["check"]["result"]
            assert r["summary"]["counts"].get("paid_before", 0) == held and r["pay_rows"] == 1 - held


def test_the_cli_check_lists_rows_left_out_as_paid_by_an_exclusive_program(tmp_path, rules, monkeypatch, capsys):
    from validator.cli import main

    path = tmp_path / "s.duckdb"
    with Store(path) as db:
        add_list(db, "pkh1", BARU, "2026-T1", [row(r, BARU) for r in range(2, 5)])
        assert service.check(db, rules, "pkh", "2026-T1", pagu=1e9, kuota=100, root=tmp_path / "b", actor="uji")["check"]["passed"]
        service.approve(db, rules, "pkh", "2026-T1", actor="Kabid")
        add_list(db, "bst1", BARU, "2026-03", [row(2, BARU, nominal=300000.0), row(9, BARU, nominal=300000.0)],
                 minutes=6, program="bst")
    monkeypatch.setattr(sys, "argv", ["bansos", "batch", "check", "--program", "bst", "--period", "2026-03",
                                      "--store", str(path), "--pagu", "1.000.000", "--kuota", "10"])
    with pytest.raises(SystemExit) as ex:
        main()
    shown = " ".join(capsys.readouterr().out.split())
    assert ex.value.code == 0 and "Gerbang LULUS" in shown
    assert "Tidak dibayar: 1 baris (Rp300.000) sudah dibayar program lain" in shown
    assert f"kecamatan {BARU} baris 2 NIK" in shown and row(2, BARU)["nik"] not in shown
