"""People an approved disbursement batch already paid, as the kecamatan's results page, the
submission API and the citizen status tell it: a real upload of the messy sample, finance's
decision on its review row, a batch checked and approved by the gate, then a resubmission."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from test_api import SAMPLE, Api, upload, wait_job

from api import finance
from validator.batch import paid as paid_module
from validator.store import run

PERIOD = "2026-T1"


def _page_client(a: Api, role: str) -> TestClient:
    c = TestClient(a.app)
    token = a.headers[role]["Authorization"].removeprefix("Bearer ")
    assert c.post("/masuk", data={"token": token}, follow_redirects=False).status_code == 303
    return c


def _send(a: Api, period: str = PERIOD) -> str:
    h = a.headers["operator"]
    r = upload(a.client, h, SAMPLE.read_bytes(), SAMPLE.name, period=period)
    assert r.status_code == 202, r.text
    assert wait_job(a.client, h, r.json()["job_id"])["state"] == "done"
    return r.json()["submission_id"]


def _paid_count(text: str) -> int | None:
    m = re.search(r'id="paid-count" href="[^"]*"><span>([\d.]+)</span>', text)
    return int(m[1].replace(".", "")) if m else None


@pytest.fixture(scope="module")
def paid(tmp_path_factory):
    a = Api(tmp_path_factory.mktemp("paid_marks"))
    with TestClient(a.app) as client:
        a.client = client
        a.sid = _send(a)
        a.before = _page_client(a, "operator").get(f"/hasil/{a.sid}?status=accepted").text
        fin = a.headers["finance"]
        # Finance accepts the review row, so the gate has nothing left to decide, and approves.
        review = a.query("SELECT row FROM row_results WHERE submission_id = ? AND status = 'review'", [a.sid])
        for (row,) in review:
            r = client.post(f"/api/v1/submissions/{a.sid}/rows/{row}/decision", headers=fin,
                            json={"decision": "accepted", "note": "dicek"})
            assert r.status_code == 200, r.text
        check = client.post("/api/v1/batches/check", headers=fin,
                            json={"program": "pkh", "period": PERIOD, "pagu": 1e12, "kuota": 1000})
        assert check.status_code == 200 and check.json()["check"]["passed"], check.text
        a.bid = check.json()["batch"]["id"]
        approved = client.post(f"/api/v1/batches/{a.bid}/approve", headers=fin)
        assert approved.status_code == 200, approved.text
        a.rows_paid = approved.json()["rows_paid"]
        a.paid_niks = {n for (n,) in a.query("SELECT nik FROM paid_rows WHERE batch_id = ?", [a.bid])}
        yield a


def test_the_results_page_marks_and_counts_the_rows_an_approved_batch_paid(paid):
    assert "Sudah dibayar" not in paid.before and _paid_count(paid.before) is None
    c = _page_client(paid, "operator")
    page = c.get(f"/hasil/{paid.sid}").text
    assert _paid_count(page) == paid.rows_paid == len(paid.paid_niks)
    assert f"<code>{paid.bid}</code>" in page and "approved disbursement batch" in page
    # The review row finance accepted has findings: listed by default, with its mark.
    assert f"Sudah dibayar (batch {paid.bid})" in page
    accepted = c.get(f"/hasil/{paid.sid}?status=accepted").text
    assert accepted.count(f"Sudah dibayar (batch {paid.bid})") == accepted.count('<tr class="st-accepted">') > 0
    only = c.get(f"/hasil/{paid.sid}?dibayar=1").text
    assert only.count("Sudah dibayar (batch") == paid.rows_paid
    assert f'<p class="meta">{paid.rows_paid} baris</p>' in only
    assert 'name="dibayar" value="1" checked' in only and "hapus saringan" in only
    # Rejected rows were not paid: none of them carries the mark.
    rejected = c.get(f"/hasil/{paid.sid}?status=rejected").text
    assert '<tr class="st-rejected">' in rejected and "Sudah dibayar (batch" not in rejected
    assert c.get(f"/hasil/{paid.sid}?status=rejected&dibayar=1").text.count("<tr class=") == 0


def test_finance_sees_the_marks_and_another_kecamatan_still_gets_404(paid):
    assert _paid_count(_page_client(paid, "finance").get(f"/hasil/{paid.sid}").text) == paid.rows_paid
    other = _page_client(paid, "other_operator").get(f"/hasil/{paid.sid}?dibayar=1")
    assert other.status_code == 404 and paid.bid not in other.text


def test_submission_rows_in_the_api_name_the_paying_batch(paid):
    doc = paid.client.get(f"/api/v1/submissions/{paid.sid}?per_page=1000", headers=paid.headers["operator"]).json()
    marked = {r["row"] for r in doc["rows"] if r["paid_by"] == [paid.bid]}
    assert len(marked) == paid.rows_paid and all(r["paid_by"] == [] for r in doc["rows"] if r["row"] not in marked)
    assert all(r["effective_status"] == "accepted" for r in doc["rows"] if r["row"] in marked)


def test_paid_rows_are_read_per_page_not_per_row(paid, monkeypatch):
    """However many rows the page lists, paid_rows is read twice (the list's count, the page's
    marks), each after a look at the submission and the small batches table; the marks of rows an
    exclusive program paid look at the submission and the batches table once more, and read
    paid_rows only when such a program approved a batch (none here); the API once per page of rows."""
    calls: list[str] = []

    def counting(con, sql, params=None):
        calls.append(sql)
        return run(con, sql, params)

    monkeypatch.setattr(finance, "run", counting)
    monkeypatch.setattr(paid_module, "run", counting)
    c = _page_client(paid, "operator")
    for query in ("?status=accepted", "?dibayar=1"):
        calls.clear()
        page = c.get(f"/hasil/{paid.sid}{query}").text
        assert page.count("Sudah dibayar (batch") > 2
        assert sum("paid_rows" in sql for sql in calls) == 2 and len(calls) == 8, query
    calls.clear()
    doc = paid.client.get(f"/api/v1/submissions/{paid.sid}?per_page=1000", headers=paid.headers["operator"]).json()
    assert len(doc["rows"]) > 2 and sum("paid_rows" in sql for sql in calls) == 1
    # An unknown list, and a period nobody approved: the submission and the batches table answer,
    # the list's rows are not read.
    ctx = paid.app.state.ctx
    view = ctx.view()
    try:
        calls.clear()
        assert finance.paid_summary(ctx, view, "tidak-ada") == (0, [])
        assert len(calls) == 1 and "paid_rows" not in calls[0]
        other = paid.query("SELECT id FROM submissions WHERE period <> ? LIMIT 1", [PERIOD])
        if other:
            calls.clear()
            assert finance.paid_summary(ctx, view, other[0][0]) == (0, [])
            assert len(calls) == 2 and not any("paid_rows" in sql for sql in calls)
    finally:
        view.close()


def _person(paid, sid: str, status: str) -> tuple[str, str]:
    nik, born = paid.query("""SELECT nik, tanggal_lahir FROM row_results WHERE submission_id = ? AND nik_ok
                               AND tanggal_lahir IS NOT NULL AND status = ? ORDER BY row LIMIT 1""", [sid, status])[0]
    return nik, born.isoformat()


def test_citizen_status_says_the_person_is_in_an_approved_disbursement_file(paid):
    c = paid.client_from("10.7.0.1")
    nik, born = _person(paid, paid.sid, "accepted")
    assert nik in paid.paid_niks
    r = c.post("/api/v1/status", json={"nik": nik, "tanggal_lahir": born})
    body = r.json()
    assert body["stage"] == "disetujui_untuk_pencairan" and body["in_approved_disbursement"] is True
    assert f"berkas pencairan periode {PERIOD} yang sudah disetujui" in body["message"]
    assert set(body) == {"stage", "message", "message_en", "in_approved_disbursement"}
    # No more than before: no NIK, name, program, batch id or account in the answer.
    name = paid.query("SELECT nama FROM row_results WHERE nik = ? LIMIT 1", [nik])[0][0]
    for secret in (nik, name, paid.bid, "pkh", "PKH", "Keluarga Harapan"):
        assert secret not in r.text
    # Unknown NIK and wrong date still answer alike, without the new field.
    wrong = c.post("/api/v1/status", json={"nik": nik, "tanggal_lahir": "1900-01-01"}).json()
    assert wrong["stage"] == "tidak_ditemukan" and "in_approved_disbursement" not in wrong
    # A rejected person was not paid: the answer is as before.
    rejected, born_r = _person(paid, paid.sid, "rejected")
    assert rejected not in paid.paid_niks
    other = c.post("/api/v1/status", json={"nik": rejected, "tanggal_lahir": born_r}).json()
    assert "in_approved_disbursement" not in other and other["stage"] == "perlu_diperbaiki_kecamatan"


def test_a_resubmission_and_another_period(paid):
    """The kecamatan resends the list for the approved period: the new list's rows of people the
    batch paid carry the mark too. A list for another period carries none, and the citizen status
    answers for the latest list (the new period, not paid yet)."""
    again = _send(paid)
    c = _page_client(paid, "operator")
    page = c.get(f"/hasil/{again}").text
    assert _paid_count(page) == paid.rows_paid
    later = _send(paid, "2026-T2")
    assert _paid_count(c.get(f"/hasil/{later}").text) is None
    assert "Sudah dibayar" not in c.get(f"/hasil/{later}?status=accepted").text
    nik, born = _person(paid, later, "accepted")
    body = paid.client_from("10.7.0.2").post("/api/v1/status", json={"nik": nik, "tanggal_lahir": born}).json()
    assert body["stage"] == "disetujui_untuk_pencairan" and "in_approved_disbursement" not in body
    assert json.dumps(body).count("2026-T1") == 0


def test_citizen_stage_after_payment_wins_over_a_later_list(rules):
    """Paid for the period, then the kecamatan's resent list has the person rejected (or finance
    rejected the new row): the citizen is told about the approved file, as the payment happened."""
    from api.lookups import _stage

    class Ctx:
        pass

    ctx = Ctx()
    ctx.rules = rules
    row = {"paid_by": "pkh_2026-T1_v1", "period": PERIOD, "decision": "rejected", "status": "rejected",
           "codes": [("REKENING_PANJANG", "reject")]}
    body = _stage(ctx, row)
    assert body["stage"] == "disetujui_untuk_pencairan" and body["in_approved_disbursement"] is True
    assert "pkh" not in body["message"] and PERIOD in body["message"]
    assert "in_approved_disbursement" not in _stage(ctx, row | {"paid_by": None})


def _family_member(paid) -> tuple[str, str, str]:
    """A new list for the paid period holding the spouse of a paid person: another NIK (a woman's,
    day + 40), the same KK; the person paid is not on it. (NIK, birth date, batch)."""
    nik, kk, born, bank, account, amount = paid.query("""
        SELECT r.nik, r.no_kk, r.tanggal_lahir, r.bank, r.no_rekening, r.nominal FROM row_results r
        JOIN paid_rows p ON p.nik = r.nik AND p.batch_id = ?
        WHERE r.submission_id = ? AND r.no_kk IS NOT NULL AND r.tanggal_lahir IS NOT NULL
          AND r.no_rekening IS NOT NULL AND r.nominal IS NOT NULL ORDER BY r.row LIMIT 1""", [paid.bid, paid.sid])[0]
    day = int(nik[6:8]) % 40
    spouse = f"{nik[:6]}{day + 40:02d}{nik[8:12]}0987"
    spouse_born = born.replace(day=day).strftime("%d-%m-%Y")
    other_account = account[:-3] + ("739" if account[-3:] != "739" else "841")
    csv = ("NIK;No KK;Nama;Tanggal Lahir;Jenis Kelamin;Bank;No Rekening;Nominal\n"
           f"'{spouse};'{kk};SITI RAHMAWATI;{spouse_born};P;{bank};'{other_account};{int(amount)}\n")
    r = upload(paid.client, paid.headers["operator"], csv.encode(), "susulan.csv", period=PERIOD)
    assert r.status_code == 202, r.text
    assert wait_job(paid.client, paid.headers["operator"], r.json()["job_id"])["state"] == "done"
    sid = r.json()["submission_id"]
    assert paid.query("SELECT status FROM row_results WHERE submission_id = ?", [sid]) == [("accepted",)]
    return sid, spouse, born.replace(day=day).isoformat()


def test_a_household_paid_through_another_member_is_told_as_such(paid):
    """PKH pays a family once: the gate leaves out a row whose KK an approved version paid, so the
    results page, the API, the accepted export, the council look-up and the citizen status say
    the family was paid, not "waiting for payment"."""
    sid, spouse, born = _family_member(paid)
    assert spouse not in paid.paid_niks
    page = _page_client(paid, "operator").get(f"/hasil/{sid}?status=accepted").text
    assert _paid_count(page) == 1 and f"Keluarga (KK sama) sudah dibayar (batch {paid.bid})" in page
    assert "satu kali per keluarga" in page and f"Sudah dibayar (batch {paid.bid})" not in page
    doc = paid.client.get(f"/api/v1/submissions/{sid}", headers=paid.headers["operator"]).json()
    assert [r["paid_by"] for r in doc["rows"]] == [[paid.bid]]
    export = paid.client.get(f"/api/v1/submissions/{sid}/accepted.csv", headers=paid.headers["finance"])
    assert export.status_code == 200 and paid.bid in export.text.splitlines()[-1]
    story = paid.client.get(f"/api/v1/lookup?nik={spouse}", headers=paid.headers["council"]).json()
    steps = [e["next_step"] for e in story["events"]]
    assert len(steps) == 1 and "keluarganya (nomor KK yang sama) sudah masuk berkas pencairan" in steps[0]
    body = paid.client_from("10.7.0.3").post("/api/v1/status", json={"nik": spouse, "tanggal_lahir": born}).json()
    assert body["stage"] == "disetujui_untuk_pencairan" and body["in_approved_disbursement"] is False
    assert body["family_in_approved_disbursement"] is True and "satu kali per keluarga" in body["message"]
    # The gate agrees: the next version leaves the spouse out as paid before.
    check = paid.client.post("/api/v1/batches/check", headers=paid.headers["finance"],
                             json={"program": "pkh", "period": PERIOD, "pagu": 1e12, "kuota": 1000})
    assert check.status_code == 200, check.text
    assert paid.query("SELECT count(*) FROM paid_rows WHERE nik = ?", [spouse]) == [(0,)]


def test_an_individual_program_pays_each_person_so_a_shared_kk_is_not_paid(tmp_path):
    """The shared definition on its own: by NIK always, by KK only for a household program."""
    from validator.batch import paid as p
    from validator.store import Store

    with Store(tmp_path / "s.duckdb") as store:
        store.con.execute("INSERT INTO batches (id, program, period, state) VALUES ('x_v1', 'x', 'T', 'approved'),"
                          " ('x_v2', 'x', 'T', 'open')")
        store.con.execute("INSERT INTO paid_rows VALUES ('x_v1', 'x', 'T', '1111', 'K1', 1), "
                          "('x_v2', 'x', 'T', '2222', 'K2', 1)")
        store.con.execute("INSERT INTO row_results (submission_id, row, sheet, nik, nik_ok, no_kk) VALUES "
                          "('s', 2, NULL, '1111', true, 'K9'), ('s', 3, NULL, '3333', true, 'K1'), "
                          "('s', 4, NULL, '2222', true, 'K2'), ('s', 5, NULL, '1111', false, 'K1')")
        versions = p.approved_versions(store, "x", "T")
        assert versions == ["x_v1"]
        assert p.paid_rows_of_list(store, "s", versions, household=False) == {(None, 2): [("x_v1", "nik")]}
        assert p.paid_rows_of_list(store, "s", versions, household=True) == {
            (None, 2): [("x_v1", "nik")], (None, 3): [("x_v1", "kk")]}
        assert p.paid_rows_of_list(store, "s", versions, True, rows=[3, 4]) == {(None, 3): [("x_v1", "kk")]}
        assert p.paid_count_of_list(store, "s", versions, True) == (2, ["x_v1"])
        assert p.paid_of_person(store, "3333", ["K1"]) == [("x", "T", "x_v1", "kk", "K1")]
        assert p.paid_of_person(store, "2222", ["K2"]) == []  # only an open version holds it


def test_a_kk_the_person_had_on_another_list_marks_nothing(tmp_path, rules):
    """The family mark goes by the row's own KK: a KK typed wrong on an earlier list (since
    corrected) that belongs to a family paid in the period says nothing of the live row, which
    the gate pays; and a rejected row is told its own reason, not the family's payment."""
    from api.lookups import _stage, story_rows
    from validator.batch import paid as p
    from validator.store import Store

    person = "1271175505900002"
    with Store(tmp_path / "s.duckdb") as store:
        c = store.con
        c.execute("INSERT INTO batches (id, program, period, state) VALUES ('pkh_T1_v1', 'pkh', 'T1', 'approved')")
        c.execute("INSERT INTO paid_rows VALUES ('pkh_T1_v1', 'pkh', 'T1', '1271170101800001', 'KK_LAIN', 1), "
                  "('pkh_T1_v1', 'pkh', 'T1', '1271170101800003', 'KK_ISTRI', 1)")
        c.execute("""INSERT INTO submissions (id, program, period, kecamatan, created_at, superseded_by, state) VALUES
                     ('s1', 'pkh', 'T1', '127117', TIMESTAMP '2026-01-01', 's2', 'complete'),
                     ('s2', 'pkh', 'T1', '127117', TIMESTAMP '2026-01-02', NULL, 'complete')""")
        c.execute(f"""INSERT INTO row_results (submission_id, row, sheet, nik, nik_ok, no_kk, tanggal_lahir, status,
                                               finding_codes) VALUES
                      ('s1', 2, NULL, '{person}', true, 'KK_LAIN', DATE '1990-05-15', 'accepted', []),
                      ('s2', 2, NULL, '{person}', true, 'KK_SENDIRI', DATE '1990-05-15', 'accepted', [])""")
        rows = story_rows(store, person, None, frozenset({"pkh"}))
        assert [(r["superseded"], r["paid_as"]) for r in rows] == [(True, "kk"), (False, None)]
        assert p.paid_rows_of_list(store, "s2", ["pkh_T1_v1"], True) == {}

    class Ctx:
        pass

    ctx = Ctx()
    ctx.rules = rules
    rejected = {"paid_by": "pkh_T1_v1", "paid_as": "kk", "period": "T1", "decision": None, "status": "rejected",
                "superseded": False, "codes": [("DAFTAR_PENGECUALIAN", "reject")]}
    assert _stage(ctx, rejected)["stage"] == "tidak_memenuhi_syarat"
    assert _stage(ctx, rejected | {"status": "review"})["family_in_approved_disbursement"] is True


def _row(**kw) -> dict:
    import datetime as dt

    base = {"paid_by": None, "paid_as": None, "period": "2026-T1", "decision": None, "status": "accepted",
            "superseded": False, "codes": [], "created_at": dt.datetime(2026, 1, 1), "nik_ok": True}
    return base | kw


def test_what_the_council_and_the_citizen_are_told_follows_the_payment(rules):
    """A payment stays a payment: on a list since replaced, on a row back in review, and when the
    kecamatan later sends its list without the person. A row rejected only for being on another
    live list is not what a citizen's answer is about while the other row stands."""
    import datetime as dt

    from api.lookups import ELSEWHERE_STEP, _citizen_row, _next_step, _stage
    from api.pages.text import story

    class Ctx:
        pass

    ctx = Ctx()
    ctx.rules = rules
    paid_before = _row(paid_by="pkh_2026-T1_v1", paid_as="nik", superseded=True)
    assert "masuk berkas pencairan pkh_2026-T1_v1" in _next_step(ctx, paid_before)
    assert _citizen_row([paid_before]) is paid_before
    assert _stage(ctx, paid_before)["in_approved_disbursement"] is True
    in_review = _row(paid_by="pkh_2026-T1_v1", paid_as="nik", status="review")
    assert "masuk berkas pencairan" in _next_step(ctx, in_review)
    # Another kecamatan's list holds the person too: nothing to fix in the row.
    here = _row(created_at=dt.datetime(2026, 1, 1))
    there = _row(status="rejected", codes=[("GANDA_ANTAR_KECAMATAN", "reject")], created_at=dt.datetime(2026, 2, 1))
    assert _next_step(ctx, there) == ELSEWHERE_STEP
    assert _citizen_row([here, there]) is here
    alone = _stage(ctx, there)
    assert alone["stage"] == "perlu_diperbaiki_kecamatan" and "daftar mana yang berlaku" in alone["message"]
    # A row with a fault of its own besides is told its fault.
    both = there | {"codes": [("GANDA_ANTAR_KECAMATAN", "reject"), ("REKENING_PANJANG", "reject")]}
    assert _next_step(ctx, both) != ELSEWHERE_STEP and _citizen_row([here, both]) is both
    # The page: finance's decision on a list since replaced says the decision, then the replacement.
    event = {"period": "2026-T1", "time": "2026-01-01T10:00:00", "status": "rejected", "engine_status": "review",
             "reasons": [], "superseded": True, "next_step": _next_step(ctx, _row(superseded=True)),
             "decision": {"decision": "rejected", "decided_by": "K", "decided_at": "2026-01-02T10:00:00"}}
    sentence = story(event, "Medan Baru", "PKH")
    assert "keputusan Dinas Sosial, 2 Januari 2026: ditolak; digantikan oleh daftar" in sentence


def test_a_payment_by_one_program_is_the_answer_while_another_programs_row_is_checked(rules):
    """BST paid the person for 2026-T1; a KUBE list for 2026-T1 then holds them, in review: the
    citizen is told of the payment, not that their data is still being checked. A list for a later
    period is about that period."""
    import datetime as dt

    from api.lookups import _citizen_row

    bst = _row(paid_by="bst_2026-T1_v1", paid_as="nik", program="bst")
    kube = _row(status="review", program="kube", created_at=dt.datetime(2026, 2, 1))
    assert _citizen_row([bst, kube]) is bst
    later = _row(status="review", program="kube", period="2026-T2", created_at=dt.datetime(2026, 4, 1))
    assert _citizen_row([bst, kube, later]) is later
    # A family member's payment (BPNT pays a family once) says nothing of the person's own PKH row.
    family = _row(paid_by="bpnt_2026-T1_v1", paid_as="kk", program="bpnt")
    pkh = _row(status="review", program="pkh", created_at=dt.datetime(2026, 2, 1))
    assert _citizen_row([family, pkh]) is pkh


def test_a_duplicate_row_is_set_aside_only_for_a_standing_row_of_the_same_period():
    """Paid in 2026-T1 and 2026-T2, rejected in 2026-T3 for a family member on another program's
    list: the citizen asking now is told about T3, not that T2 was paid."""
    import datetime as dt

    from api.lookups import _citizen_row

    t1 = _row(period="2026-T1", paid_by="pkh_2026-T1_v1", paid_as="nik", created_at=dt.datetime(2026, 1, 1))
    t2 = _row(period="2026-T2", paid_by="pkh_2026-T2_v1", paid_as="nik", created_at=dt.datetime(2026, 4, 1))
    t3 = _row(period="2026-T3", status="rejected", codes=[("GANDA_ANTAR_PROGRAM", "reject")],
              created_at=dt.datetime(2026, 7, 1))
    assert _citizen_row([t1, t2, t3]) is t3
    march = _row(period="2026-03", created_at=dt.datetime(2026, 2, 1))
    assert _citizen_row([t1, march | {"status": "rejected", "codes": [("GANDA_ANTAR_PROGRAM", "reject")]}]) is t1


def test_a_row_an_exclusive_program_already_paid_is_not_told_waiting_for_payment(tmp_path, rules):
    """PKH paid the person for 2026-T1; a BST list of March holds them too (PKH and BST exclude each
    other): the gate will not pay that row, so the council is told why and the citizen is told
    they already received another aid; a BPNT row (not exclusive with PKH) is unaffected."""
    from api.lookups import NEXT_STEP, PAID_ELSEWHERE_STEP, _next_step, _stage, story_rows
    from validator.store import Store

    person, spouse, other = "1271175505900002", "1271176505920003", "1271176505920004"
    partners = {p: frozenset(rules.exclusive_partners(p)) for p in rules.programs}
    with Store(tmp_path / "s.duckdb") as store:
        c = store.con
        c.execute("INSERT INTO batches (id, program, period, state) VALUES ('pkh_2026-T1_v1', 'pkh', '2026-T1', "
                  "'approved')")
        c.execute(f"INSERT INTO paid_rows VALUES ('pkh_2026-T1_v1', 'pkh', '2026-T1', '{person}', 'KK1', 1)")
        c.execute("""INSERT INTO submissions (id, program, period, kecamatan, created_at, superseded_by, state) VALUES
                     ('bst1', 'bst', '2026-03', '127117', TIMESTAMP '2026-03-01', NULL, 'complete'),
                     ('bpnt1', 'bpnt', '2026-03', '127117', TIMESTAMP '2026-03-02', NULL, 'complete')""")
        c.execute(f"""INSERT INTO row_results (submission_id, row, sheet, nik, nik_ok, no_kk, tanggal_lahir, status,
                                               finding_codes) VALUES
                      ('bst1', 2, NULL, '{person}', true, 'KK1', DATE '1990-05-15', 'accepted', []),
                      ('bpnt1', 2, NULL, '{person}', true, 'KK1', DATE '1990-05-15', 'accepted', []),
                      ('bst1', 3, NULL, '{spouse}', true, 'KK1', DATE '1992-05-25', 'accepted', []),
                      ('bst1', 4, NULL, '{other}', true, 'KK2', DATE '1992-05-25', 'accepted', [])""")
        households = frozenset({"pkh", "bpnt", "bst"})
        rows = {r["program"]: r for r in story_rows(store, person, None, households, partners)}
        # PKH and BST each pay a family once: the spouse's BST row (same KK) is not paid either,
        # as the gate's paid_by_exclusive says; another family's row is.
        [wife] = story_rows(store, spouse, None, households, partners)
        [stranger] = story_rows(store, other, None, households, partners)
    assert wife["paid_elsewhere"] == "pkh_2026-T1_v1" and stranger["paid_elsewhere"] is None

    class Ctx:
        pass

    ctx = Ctx()
    ctx.rules = rules
    assert rows["bst"]["paid_elsewhere"] == "pkh_2026-T1_v1" and rows["bpnt"]["paid_elsewhere"] is None
    assert _next_step(ctx, rows["bst"]) == PAID_ELSEWHERE_STEP.format(batch="pkh_2026-T1_v1")
    told = _stage(ctx, rows["bst"])
    assert told["stage"] == "tidak_memenuhi_syarat" and "sudah menerima bantuan lain" in told["message"]
    assert "pkh" not in told["message"].lower() and _next_step(ctx, rows["bpnt"]) == NEXT_STEP["accepted"]


def test_rows_an_exclusive_program_paid_are_marked_on_the_page_and_in_the_api(paid):
    """BST (exclusive with PKH, both household programs) paid one person of a later PKH list, and
    another member of a second row's family: the gate will not pay those rows
    (tidak_dibayar_program_lain), so the kecamatan's page and the API say so on exactly those rows."""
    sid = _send(paid, "2026-T3")
    (nik1, row1), (kk2, row2) = paid.query("""SELECT nik, row FROM row_results WHERE submission_id = ?
                                              AND status = 'accepted' AND nik_ok ORDER BY row LIMIT 1""", [sid])[0], \
        paid.query("""SELECT no_kk, row FROM row_results WHERE submission_id = ? AND status = 'accepted' AND nik_ok
                      AND no_kk IS NOT NULL ORDER BY row DESC LIMIT 1""", [sid])[0]
    ctx = paid.app.state.ctx
    with ctx.write_lock:
        ctx.store.con.execute("INSERT INTO batches (id, program, period, state) VALUES "
                              "('bst_2026-09_v1', 'bst', '2026-09', 'approved')")
        ctx.store.con.execute("INSERT INTO paid_rows VALUES ('bst_2026-09_v1', 'bst', '2026-09', ?, NULL, 1), "
                              "('bst_2026-09_v1', 'bst', '2026-09', '3', ?, 1)", [nik1, kk2])
    try:
        page = _page_client(paid, "operator").get(f"/hasil/{sid}?status=accepted").text
        assert page.count("dibayar program lain (batch bst_2026-09_v1)") == 2
        assert "Sudah dibayar program lain (batch bst_2026-09_v1)" in page
        assert "Keluarga (KK sama) dibayar program lain (batch bst_2026-09_v1)" in page
        doc = paid.client.get(f"/api/v1/submissions/{sid}?per_page=1000", headers=paid.headers["operator"]).json()
        marked = {r["row"] for r in doc["rows"] if r["paid_elsewhere"] == ["bst_2026-09_v1"]}
        assert marked == {row1, row2} and all(r["paid_by"] == [] for r in doc["rows"])
        # The gate's own list of such people is the same one.
        view = ctx.view()
        try:
            gate = paid_module.paid_by_exclusive(view, ctx.rules, ctx.rules.programs["pkh"], "2026-T3")
        finally:
            view.close()
        assert sorted(gate["nik"].to_list()) == sorted([nik1, "3"]) and gate["no_kk"].to_list().count(kk2) == 1
    finally:
        with ctx.write_lock:
            ctx.store.con.execute("DELETE FROM paid_rows WHERE batch_id = 'bst_2026-09_v1'")
            ctx.store.con.execute("DELETE FROM batches WHERE id = 'bst_2026-09_v1'")


def test_a_reason_inside_the_lookup_sentence_keeps_an_abbreviation_whole():
    """'NIK ganda dalam daftar' is told mid-sentence as it is, never 'nIK ganda'; an ordinary
    title starts lower case."""
    from api.pages.text import story

    event = {"period": "2026-T1", "time": "2026-01-01T10:00:00", "status": "rejected",
             "reasons": [{"code": "GANDA_NIK", "message": "NIK ganda dalam daftar"},
                         {"code": "KK_KOSONG", "message": "Nomor KK kosong"}], "next_step": "menunggu perbaikan"}
    sentence = story(event, "Medan Baru", "PKH")
    assert "ditolak: NIK ganda dalam daftar, nomor KK kosong;" in sentence


BASE_ROW = {"paid_by": None, "paid_as": None, "period": "2026-T1", "decision": None, "status": "accepted",
            "superseded": False, "codes": [], "paid_elsewhere": None}
STAGE_ROWS = {
    "family paid": {"paid_by": "pkh_T1_v1", "paid_as": "kk"},
    "paid": {"paid_by": "pkh_T1_v1"},
    "paid by an exclusive program": {"paid_elsewhere": "bst_T1_v1"},
    "rejected by finance": {"decision": "rejected", "status": "review", "codes": [("DTKS_NAMA_BEDA", "review")]},
    "accepted": {}, "approved by finance": {"decision": "approved", "status": "review"},
    "in review": {"status": "review", "codes": [("DUGAAN_GANDA", "review")]},
    "ineligible": {"status": "rejected", "codes": [("DTKS_MENINGGAL", "reject")]},
    "on another list": {"status": "rejected", "codes": [("GANDA_ANTAR_KECAMATAN", "reject")]},
    "to fix": {"status": "rejected", "codes": [("REKENING_PANJANG", "reject"), ("NIK_TANGGAL", "reject")]},
}


@pytest.mark.parametrize("kind", STAGE_ROWS)
def test_every_citizen_answer_has_its_english(rules, kind):
    from api.lookups import KIND_EN, NOT_FOUND, _stage

    class Ctx:
        pass

    ctx = Ctx()
    ctx.rules = rules
    answer = _stage(ctx, BASE_ROW | STAGE_ROWS[kind])
    assert answer["message"] and answer["message_en"] and answer["message"] != answer["message_en"]
    # Every kind of reason is put into English, not left in Indonesian inside the English message.
    assert not any(kind_id in answer["message_en"] for kind_id in KIND_EN)
    assert NOT_FOUND["message_en"]


def test_a_list_for_a_month_of_the_paid_quarter_carries_the_marks(paid):
    """2026-03 lies in the approved 2026-T1: its rows of people the quarter's batch paid are marked
    as paid on the results page, and the council look-up says which batch paid them."""
    month = _send(paid, "2026-03")
    c = _page_client(paid, "operator")
    assert _paid_count(c.get(f"/hasil/{month}").text) == paid.rows_paid
    nik = next(n for (n,) in paid.query("SELECT nik FROM row_results WHERE submission_id = ? AND status = 'accepted'",
                                        [month]) if n in paid.paid_niks)
    events = paid.client.get("/api/v1/lookup", params={"nik": nik}, headers=paid.headers["council"]).json()["events"]
    march = [e for e in events if e["period"] == "2026-03"]
    assert march and all(paid.bid in e["next_step"] for e in march)
    # Finance checks the month: the page says which batch already paid those rows.
    fin = paid.headers["finance"]
    check = paid.client.post("/api/v1/batches/check", headers=fin,
                             json={"program": "pkh", "period": "2026-03", "pagu": 1e12, "kuota": 1000})
    assert check.status_code == 200, check.text
    other = check.json()["check"]["result"]["paid_before"]["other_periods"]
    assert other["batches"] == [paid.bid] and other["live_rows"] == paid.rows_paid
    page = _page_client(paid, "finance").get(f"/keuangan/batch/{check.json()['batch']['id']}").text
    assert 'id="paid-other-period"' in page and paid.bid in page and 'id="period-unrecognised"' not in page
