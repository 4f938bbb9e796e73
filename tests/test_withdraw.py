"""Withdrawing a list sent for the wrong period, program or file (operator of its kecamatan, finance)."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from test_api import SAMPLE, Api, upload, wait_job


def _send(client, headers, period: str) -> str:
    r = upload(client, headers, SAMPLE.read_bytes(), SAMPLE.name, period=period)
    assert r.status_code == 202, r.text
    assert wait_job(client, headers, r.json()["job_id"])["state"] == "done"
    return r.json()["submission_id"]


def _live(a: Api, program: str, period: str) -> list[str]:
    return [sid for (sid,) in a.query("""SELECT id FROM submissions WHERE state = 'complete' AND superseded_by IS NULL
                                         AND program = ? AND period = ? ORDER BY created_at""", [program, period])]


def test_a_list_sent_for_the_wrong_period_is_withdrawn_and_counts_nowhere(tmp_path):
    a = Api(tmp_path)
    with TestClient(a.app) as client:
        op, fin = a.headers["operator"], a.headers["finance"]
        wrong = _send(client, op, "2026-T3")
        assert _live(a, "pkh", "2026-T3") == [wrong]
        # Another kecamatan's operator cannot even see it; the council may not withdraw.
        assert client.post(f"/api/v1/submissions/{wrong}/withdraw", headers=a.headers["other_operator"]).status_code == 404
        assert client.post(f"/api/v1/submissions/{wrong}/withdraw", headers=a.headers["council"]).status_code == 403
        done = client.post(f"/api/v1/submissions/{wrong}/withdraw", headers=op)
        assert done.status_code == 200, done.text
        assert done.json() | {"withdrawn_at": None} == {"submission_id": wrong, "state": "withdrawn", "withdrawn_at": None,
                                                        "withdrawn_by": "Operator Medan Baru", "restored": None,
                                                        "flagged_elsewhere": []}
        assert _live(a, "pkh", "2026-T3") == []
        again = client.post(f"/api/v1/submissions/{wrong}/withdraw", headers=fin)
        assert again.status_code == 409 and again.json()["error"]["code"] == "withdrawn"
        # The gate of that period sees no list now; the results stay readable for the kecamatan.
        gate = client.post("/api/v1/batches/check", headers=fin, json={"program": "pkh", "period": "2026-T3"})
        assert gate.status_code == 400 and gate.json()["error"]["code"] == "empty_batch"
        assert client.get(f"/api/v1/submissions/{wrong}", headers=op).status_code == 200
        drill = client.get(f"/api/v1/finance/submissions/{wrong}/reasons", headers=fin)
        assert drill.status_code == 409 and "sudah ditarik oleh Operator Medan Baru" in drill.json()["error"]["message"]


def test_withdrawing_a_resent_list_makes_the_one_it_replaced_live_again_and_the_pages_say_so(tmp_path):
    a = Api(tmp_path)
    with TestClient(a.app) as client:
        op = a.headers["operator"]
        first = _send(client, op, "2026-T1")
        second = _send(client, op, "2026-T1")
        assert _live(a, "pkh", "2026-T1") == [second]
        replaced = client.post(f"/api/v1/submissions/{first}/withdraw", headers=op)
        assert replaced.status_code == 409 and replaced.json()["error"]["code"] == "not_live"
        page = TestClient(a.app)
        assert page.post("/masuk", data={"token": op["Authorization"].removeprefix("Bearer ")},
                         follow_redirects=False).status_code == 303
        assert 'action="/hasil/' + second + '/tarik"' in page.get(f"/hasil/{second}").text
        unticked = page.post(f"/hasil/{second}/tarik", headers={"Accept": "text/html"})
        assert unticked.status_code == 422 and _live(a, "pkh", "2026-T1") == [second]
        done = page.post(f"/hasil/{second}/tarik", data={"yakin": "ya"}, follow_redirects=False)
        assert done.status_code == 303 and _live(a, "pkh", "2026-T1") == [first]
        shown = page.get(f"/hasil/{second}").text
        assert "Daftar ini ditarik oleh Operator Medan Baru" in shown and "/tarik" not in shown
        assert "ditarik</span>" in page.get("/riwayat").text
        # A file of a list no longer live says so in its name.
        withdrawn = page.get(f"/hasil/{second}/berkas").headers["content-disposition"]
        assert f'filename="hasil-ditarik_pkh_2026-T1_127117_{second[:6]}.xlsx"' in withdrawn
        fin = TestClient(a.app)
        assert fin.post("/masuk", data={"token": a.headers["finance"]["Authorization"].removeprefix("Bearer ")},
                        follow_redirects=False).status_code == 303
        third = _send(client, op, "2026-T1")
        old = fin.get(f"/keuangan/pengajuan/{first}")
        assert "Unduh daftar diterima (daftar lama, sudah digantikan)" in old.text and third
        named = fin.get(f"/keuangan/pengajuan/{first}/diterima.csv").headers["content-disposition"]
        assert "diterima-digantikan_pkh_2026-T1_127117" in named


def test_a_person_paid_before_the_list_was_withdrawn_is_still_told_paid(tmp_path):
    """The payment stands: the council look-up and the citizen's status still find the row (told
    as on a withdrawn list), and say the person was paid."""
    from test_batch import BARU, fill_good, nik
    from test_batch_api import _check_and_approve

    from validator.store import Store

    a = Api(tmp_path)
    paid = nik(BARU, 3)
    with Store(a.store_path) as db:
        fill_good(db, period="2026-S5")
        db.con.execute("UPDATE row_results SET tanggal_lahir = DATE '1968-05-27' WHERE nik = ?", [paid])
    born = dt.date(1968, 5, 27)
    with TestClient(a.app) as client:
        _check_and_approve(client, a.headers["finance"], "2026-S5")
        before = client.post("/api/v1/status", json={"nik": paid, "tanggal_lahir": born.isoformat()}).json()
        assert before["stage"] == "disetujui_untuk_pencairan" and before["in_approved_disbursement"] is True
        assert client.post("/api/v1/submissions/baru-2026-S5/withdraw", headers=a.headers["finance"]).status_code == 200
        after = client.post("/api/v1/status", json={"nik": paid, "tanggal_lahir": born.isoformat()}).json()
        assert after["stage"] == "disetujui_untuk_pencairan" and after["in_approved_disbursement"] is True
        events = client.get(f"/api/v1/lookup?nik={paid}", headers=a.headers["council"]).json()["events"]
        [event] = [e for e in events if e["kecamatan"] == BARU]
        assert event["withdrawn"] is True and event["superseded"] is True and "pkh_2026-S5_v1" in event["next_step"]
        # Sunggal's row 5 was rejected as a duplicate of this Medan Baru person: it stays so until
        # Sunggal sends its list again, and the withdrawal says so.
        from api.services import flagged_elsewhere

        view = a.app.state.ctx.view()
        try:
            assert flagged_elsewhere(view, "baru-2026-S5") == [
                {"submission_id": "sunggal-2026-S5", "program": "pkh", "period": "2026-S5", "kecamatan": "127102",
                 "rows": 1}]
        finally:
            view.close()


def test_a_file_that_could_not_be_validated_has_nothing_to_withdraw(tmp_path):
    a = Api(tmp_path)
    with TestClient(a.app) as client:
        op = a.headers["operator"]
        r = upload(client, op, b"Nama,Alamat\nSITI,JL MAWAR\n", "tanpa_nik.csv")
        assert wait_job(client, op, r.json()["job_id"])["state"] == "failed"
        refused = client.post(f"/api/v1/submissions/{r.json()['submission_id']}/withdraw", headers=op)
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "job_failed"
        assert "tidak pernah berlaku" in refused.json()["error"]["message"]


def test_a_withdrawal_names_only_lists_that_could_have_been_flagged_against_it(tmp_path):
    """Sunggal's row was rejected as a duplicate of Medan Baru's 2026-T1 list: withdrawing that list
    names Sunggal's; withdrawing Medan Baru's later 2026-T3 list with the same person does not (the
    finding was not against it: another period, and sent after Sunggal's)."""
    from test_batch import BARU, SUNGGAL, add_list, nik, row

    from api.services import flagged_elsewhere
    from validator.store import Store

    with Store(tmp_path / "s.duckdb") as db:
        add_list(db, "baru-t1", BARU, "2026-T1", [row(2, BARU)])
        add_list(db, "sunggal-t1", SUNGGAL, "2026-T1", [row(5, SUNGGAL, status="rejected", nik=nik(BARU, 2))],
                 minutes=2, findings={5: "GANDA_ANTAR_KECAMATAN"})
        add_list(db, "baru-t3", BARU, "2026-T3", [row(2, BARU)], minutes=5)
        assert [f["submission_id"] for f in flagged_elsewhere(db, "baru-t1")] == ["sunggal-t1"]
        assert flagged_elsewhere(db, "baru-t3") == []


def test_a_withdrawal_waits_for_a_list_being_checked_against_the_live_lists(tmp_path, monkeypatch):
    """A list is checked against the live lists (GANDA_ANTAR_*) and recorded later: a withdrawal in
    between would leave it judged against a list that no longer counts, or blind to the one made
    live again. The worker holds the lists lock from the check to the record; a withdrawal waits."""
    import threading
    import time

    import validator.engine as engine

    a = Api(tmp_path)
    seen = []
    real = engine.validate

    def watched(*args, **kwargs):
        seen.append(a.app.state.ctx.lists_lock.locked())
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "validate", watched)
    with TestClient(a.app) as client:
        ctx = a.app.state.ctx
        op = a.headers["operator"]
        sid = _send(client, op, "2026-T1")
        assert seen == [True]
        answers = []
        with ctx.lists_lock:  # as while the worker checks another list
            waiting = threading.Thread(
                target=lambda: answers.append(client.post(f"/api/v1/submissions/{sid}/withdraw", headers=op)))
            waiting.start()
            time.sleep(0.5)
            assert waiting.is_alive() and answers == [] and _live(a, "pkh", "2026-T1") == [sid]
        waiting.join(30)
        assert answers[0].status_code == 200 and _live(a, "pkh", "2026-T1") == []
