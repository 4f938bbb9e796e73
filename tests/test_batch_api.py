"""The disbursement gate over HTTP and in the finance pages: finance only (others 403 with the
envelope), 409 when approval is refused, Data Docs and frozen files behind the login."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from test_api import ROLES, Api, assert_envelope
from test_batch import BARU, KUOTA, PAGU, fill_bad, fill_good

from validator.store import Store


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    a = Api(tmp_path_factory.mktemp("batch_api"))
    with Store(a.store_path) as db:
        fill_good(db)
        fill_bad(db)
    with TestClient(a.app) as client:
        a.client = client
        h = a.headers["finance"]
        a.bad = client.post("/api/v1/batches/check", headers=h,
                            json={"program": "pkh", "period": "2026-T2", "pagu": 1000, "kuota": 1})
        a.good = client.post("/api/v1/batches/check", headers=h,
                             json={"program": "pkh", "period": "2026-T1", "pagu": PAGU, "kuota": KUOTA})
        yield a


def page_client(api, role: str) -> TestClient:
    c = TestClient(api.app)
    token = api.headers[role]["Authorization"].removeprefix("Bearer ")
    assert c.post("/masuk", data={"token": token}, follow_redirects=False).status_code == 303
    return c


ENDPOINTS = [
    ("get", "/api/v1/batches"),
    ("post", "/api/v1/batches/check"),
    ("get", "/api/v1/batches/pkh_2026-T1_v1"),
    ("get", "/api/v1/batches/pkh_2026-T1_v1/summary"),
    ("post", "/api/v1/batches/pkh_2026-T1_v1/approve"),
    ("get", "/api/v1/batches/pkh_2026-T1_v1/verify"),
    ("get", "/api/v1/batches/pkh_2026-T1_v1/files/manifest.json"),
    ("get", "/api/v1/batches/pkh_2026-T1_v1/docs/index.html"),
    ("get", "/api/v1/batches/pkh_2026-T1_v1/checks/1/docs/index.html"),
]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "finance"])
@pytest.mark.parametrize("method,path", ENDPOINTS)
def test_only_finance(api, role, method, path):
    body = {"json": {"program": "pkh", "period": "2026-T1"}} if method == "post" else {}
    r = getattr(api.client, method)(path, headers=api.headers[role], **body)
    assert_envelope(r, 401 if role == "none" else 403)


def test_check_answers_each_expectation(api):
    assert api.bad.status_code == 200, api.bad.text
    check = api.bad.json()["check"]
    assert check["passed"] is False and check["seq"] == 1
    failed = {e["key"]: e for e in check["result"]["expectations"] if e["success"] is False}
    assert {"nik_unik", "tidak_ada_review", "pagu", "kuota"} <= set(failed)
    assert {(r["kecamatan"], r["row"]) for r in failed["tidak_ada_review"]["rows"]} == {(BARU, 10)}
    assert "docs" not in check and "fingerprint" not in check
    assert "1271174506800999" not in api.bad.text and "30020100" not in api.bad.text  # masked, no accounts
    assert api.good.json()["check"]["passed"] is True


def test_approval_refused_on_a_failing_gate(api):
    bid = api.bad.json()["batch"]["id"]
    assert_envelope(api.client.post(f"/api/v1/batches/{bid}/approve", headers=api.headers["finance"]), 409,
                    "gate_failed")


def test_approve_verify_download(api):
    h = api.headers["finance"]
    bid = api.good.json()["batch"]["id"]
    r = api.client.post(f"/api/v1/batches/{bid}/approve", headers=h)
    assert r.status_code == 200, r.text
    m = r.json()
    assert m["rows_paid"] == 9 and m["approved_by"] == "Keuangan Dinsos" and "folder" not in m
    assert_envelope(api.client.post(f"/api/v1/batches/{bid}/approve", headers=h), 409, "already_approved")
    assert api.client.get(f"/api/v1/batches/{bid}/verify", headers=h).json() == {
        "batch_id": bid, "ok": True, "problems": []}
    csv = api.client.get(f"/api/v1/batches/{bid}/files/pencairan_{bid}.csv", headers=h)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.content.startswith(b"\xef\xbb\xbfNO,KODE KECAMATAN")
    assert api.client.get(f"/api/v1/batches/{bid}/files/manifest.json", headers=h).json()["batch_id"] == bid
    assert_envelope(api.client.get(f"/api/v1/batches/{bid}/files/riwayat.duckdb", headers=h), 404)
    listed = api.client.get("/api/v1/batches?program=pkh&period=2026-T1", headers=h).json()
    assert [b["state"] for b in listed] == ["approved"] and listed[0]["latest_check"]["passed"] is True


def test_data_docs_behind_the_login(api):
    h = api.headers["finance"]
    bid = api.good.json()["batch"]["id"]
    index = api.client.get(f"/api/v1/batches/{bid}/docs/index.html", headers=h)
    assert index.status_code == 200 and "gerbang_pencairan_pkh_2026_T1" in index.text
    assert_envelope(api.client.get(f"/api/v1/batches/{bid}/docs/..%2F..%2Friwayat.duckdb", headers=h), 404)
    assert_envelope(api.client.get(f"/api/v1/batches/{bid}/checks/9/docs/index.html", headers=h), 404)


def test_summary_and_bad_requests(api):
    h = api.headers["finance"]
    bid = api.good.json()["batch"]["id"]
    s = api.client.get(f"/api/v1/batches/{bid}/summary", headers=h).json()
    assert s["counts"]["accepted"] == 9 and {k["kecamatan"] for k in s["kecamatan"]} == {BARU, "127102"}
    assert_envelope(api.client.get("/api/v1/batches/tidak_ada/summary", headers=h), 404, "batch_not_found")
    bad = api.client.post("/api/v1/batches/check", headers=h, json={"program": "zakat", "period": "2026-T1"})
    assert_envelope(bad, 400)
    assert "tidak dikenal" in bad.json()["error"]["message"]
    assert_envelope(api.client.post("/api/v1/batches/check", headers=h,
                                    json={"program": "pkh", "period": "2026-T1", "pagu": -1}), 422)
    empty = api.client.post("/api/v1/batches/check", headers=h, json={"program": "bst", "period": "2026-T1"})
    assert_envelope(empty, 400, "empty_batch")


def test_pages_for_finance(api):
    c = page_client(api, "finance")
    bid = api.bad.json()["batch"]["id"]
    listing = c.get("/keuangan/batch?scope=pkh|2026-T2")
    assert listing.status_code == 200 and "Gerbang pencairan" in listing.text and bid in listing.text
    detail = c.get(f"/keuangan/batch/{bid}")
    assert detail.status_code == 200 and "GAGAL" in detail.text and "127117******0999" in detail.text
    assert "1271174506800999" not in detail.text and "Setujui batch" not in detail.text
    # A failing row names its kecamatan and links to that kecamatan's list, where it is decided.
    assert "Medan Baru (12.71.17)" in detail.text
    assert re.search(r'href="/keuangan/pengajuan/[^"#]+#baris-\d+"', detail.text)
    page = api.bad.json()["check"]["result"]["docs_page"]
    assert page.startswith("validations/") and f"/keuangan/batch/{bid}/laporan/1/{page}" in detail.text
    report = c.get(f"/keuangan/batch/{bid}/laporan/1/{page}")
    missing = c.get(f"/keuangan/batch/{bid}/laporan/99/{page}")
    assert missing.status_code == 404 and "tidak punya pemeriksaan nomor 99" in missing.text
    nik = c.get(f"/keuangan/batch/{bid}/laporan/1271174911640016/{page}")
    assert nik.status_code == 404 and "1271174911640016" not in nik.text
    assert report.status_code == 200 and "gerbang_pencairan_pkh_2026_T2" in report.text
    assert "script-src 'none'" in report.headers["content-security-policy"]
    summary = c.get(f"/keuangan/batch/{api.good.json()['batch']['id']}/ringkasan?cetak=1")
    assert summary.status_code == 200 and summary.text.count("<svg") == 3 and "/static/batch.css" in summary.text
    # Percentages as Indonesians write them: a decimal comma.
    assert re.search(r"\d+,\d%", summary.text) and not re.search(r"\d\.\d%", summary.text)  # the charts' too
    assert "@media print" in c.get("/static/batch.css").text
    refused = c.post(f"/keuangan/batch/{bid}/setujui")
    assert refused.status_code == 409 and "tidak dapat disetujui" in refused.text
    rerun = c.post("/keuangan/batch/periksa", data={"scope": "pkh|2026-T2", "pagu": "Rp 1.000.000", "kuota": "2"},
                   follow_redirects=False)
    assert rerun.status_code == 303 and rerun.headers["location"] == f"/keuangan/batch/{bid}"
    assert c.post("/keuangan/batch/periksa", data={"scope": "pkh|2026-T2", "pagu": "banyak"}).status_code == 400


def test_pages_refuse_other_roles(api):
    for role in ("operator", "council", "admin"):
        assert page_client(api, role).get("/keuangan/batch").status_code == 403
    anonymous = TestClient(api.app).get("/keuangan/batch", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/masuk")


def test_paths_are_in_openapi(api):
    paths = set(api.client.get("/openapi.json").json()["paths"])
    assert {p for _, p in ENDPOINTS if "pkh_" not in p} | {"/api/v1/batches/{batch_id}/approve"} <= paths
    assert not any(p.startswith("/keuangan") for p in paths)


def _period_api(tmp_path, period: str):
    """A fresh API whose store holds the good lists for `period`."""
    from test_api import Api

    a = Api(tmp_path)
    with Store(a.store_path) as db:
        fill_good(db, period=period)
    return a


def _check(client, h, period: str):
    return client.post("/api/v1/batches/check", headers=h,
                       json={"program": "pkh", "period": period, "pagu": PAGU, "kuota": KUOTA})


def _check_and_approve(client, h, period: str) -> str:
    bid = _check(client, h, period).json()["batch"]["id"]
    assert client.post(f"/api/v1/batches/{bid}/approve", headers=h).status_code == 200
    return bid


def _approved_then_a_new_person(a, client, period: str) -> None:
    """Version 1 of the period approved, then Medan Tuntungan sends a list of one new person."""
    from test_batch import add_list, row

    _check_and_approve(client, a.headers["finance"], period)
    with Store(a.store_path) as db:
        add_list(db, f"tuntungan-{period}", "127101", period, [row(2, "127101")], minutes=9)


def test_the_pages_say_what_an_approved_version_already_paid(tmp_path):
    a = _period_api(tmp_path, "2026-S1")
    with TestClient(a.app) as client:
        h = a.headers["finance"]
        _approved_then_a_new_person(a, client, "2026-S1")
        second = _check(client, h, "2026-S1")
        bid = second.json()["batch"]["id"]
        assert second.json()["check"]["result"]["pay_rows"] == 1
        c = TestClient(a.app)
        token = h["Authorization"].removeprefix("Bearer ")
        assert c.post("/masuk", data={"token": token}, follow_redirects=False).status_code == 303
        detail = c.get(f"/keuangan/batch/{bid}")
        assert detail.status_code == 200 and "Sudah dibayar pada versi yang disetujui sebelumnya" in detail.text
        summary = c.get(f"/keuangan/batch/{bid}/ringkasan")
        assert summary.status_code == 200 and "sudah dibayar di versi sebelumnya" in summary.text
        s = client.get(f"/api/v1/batches/{bid}/summary", headers=h).json()
        earlier = second.json()["check"]["result"]["paid_before"]["live_rows"]
        assert s["counts"]["paid_before"] == earlier
        assert s["amount_held"] == sum(k["amount_held"] for k in s["kecamatan"])
        assert all(k["accepted"] + k["review"] + k["rejected"] + k["paid_before"] == k["rows"] for k in s["kecamatan"])


def test_a_submissions_accepted_export_names_the_batch_that_paid_each_person(tmp_path):
    import csv
    import io

    a = _period_api(tmp_path, "2026-S2")
    with TestClient(a.app) as client:
        h = a.headers["finance"]
        bid = _check_and_approve(client, h, "2026-S2")
        from test_batch import nik

        seen = client.get(f"/api/v1/lookup?nik={nik(BARU, 4)}", headers=a.headers["council"]).json()["events"]
        assert seen[-1]["next_step"].startswith(f"masuk berkas pencairan {bid} yang disetujui")
        text = client.get("/api/v1/submissions/baru-2026-S2/accepted.csv", headers=h).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][-1] == "SUDAH DIBAYAR OLEH BATCH" and {line[-1] for line in lines[1:]} == {bid}


def test_the_api_reads_a_pagu_as_the_page_does_and_refuses_what_it_cannot_be(tmp_path):
    a = _period_api(tmp_path, "2026-S3")
    with TestClient(a.app) as client:
        h = a.headers["finance"]

        def check(pagu, kuota=None):
            return client.post("/api/v1/batches/check", headers=h,
                               json={"program": "pkh", "period": "2026-S3", "pagu": pagu, "kuota": kuota})

        typed = check("Rp 40.000.000", "2.500")
        assert typed.status_code == 200, typed.text
        assert (typed.json()["batch"]["pagu"], typed.json()["batch"]["kuota"]) == (40_000_000, 2500)
        assert check(40_000_000.0).status_code == 200
        assert check(None, 2500.000001).status_code == 422  # never rounded
        assert check(None, 12.345).status_code == 422 and check(999.999).status_code == 422  # no thousands dot in JSON
        fraction = check(40_000_000.5)
        assert fraction.status_code == 422 and fraction.json()["error"]["code"] == "bad_number"
        for huge in ({"pagu": 10**30}, {"kuota": 2**31}):
            r = check(huge.get("pagu"), huge.get("kuota"))
            assert r.status_code == 422 and "terlalu besar" in r.json()["error"]["message"], r.text
        readable = check(2 * 10**15).json()["error"]["message"]
        assert "Pagu yang diisi terlalu besar (paling banyak Rp1.000.000.000.000.000)" in readable
        pasted = check(1271171404511017).json()["error"]["message"]  # a NIK pasted into the field
        assert "1271171404511017" not in pasted and "1.271.171.404.511.017" not in pasted
        assert check(True).status_code == 422  # a yes/no is no amount
        listed = check([1])
        assert listed.status_code == 422 and listed.json()["error"]["message"] == "Isian 'pagu' tidak sah."
        assert listed.json()["error"]["message_en"] == "Field 'pagu': invalid."


def test_a_kuota_below_what_was_paid_fails_the_gate_and_the_page_says_by_how_much(tmp_path):
    from test_batch import add_list, row

    a = _period_api(tmp_path, "2026-S4")
    with TestClient(a.app) as client:
        h = a.headers["finance"]
        _approved_then_a_new_person(a, client, "2026-S4")
        with Store(a.store_path) as db:
            # Medan Baru resends its list with one paid person's amount changed.
            add_list(db, "baru-s4", BARU, "2026-S4", [row(2, BARU, status="review")] + [row(r, BARU) for r in range(3, 7)]
                     + [row(7, BARU, status="rejected"), row(8, BARU, nominal=650_000.0)], minutes=10)
        topup = client.post("/api/v1/batches/check", headers=h,
                            json={"program": "pkh", "period": "2026-S4", "kuota": 1})
        assert topup.status_code == 200 and not topup.json()["check"]["passed"]
        bid = topup.json()["batch"]["id"]
        c = TestClient(a.app)
        token = h["Authorization"].removeprefix("Bearer ")
        assert c.post("/masuk", data={"token": token}, follow_redirects=False).status_code == 303
        page = c.get(f"/keuangan/batch/{bid}").text
        assert "Sisa kuota: <b>0</b>" in page and "lebih kecil dari yang sudah dibayar versi sebelumnya" in page
        assert "Nominal berubah untuk <b>1</b> penerima" in page and "dibayar Rp600.000, kini Rp650.000" in page
        # A review row of a person version 1 paid: marked, so finance sees no decision is needed.
        drill = c.get("/keuangan/pengajuan/baru-s4").text
        assert 'id="baris-2"' in drill and "Sudah dibayar (batch pkh_2026-S4_v1)" in drill
