"""Finance, council name look-up and admin endpoints: role matrix, decisions, exports, audit."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from test_api import ROLES, SAMPLE, Api, assert_envelope, upload, wait_job

from validator.store import SUBMISSION_COLUMNS, run

SCENARIO = Path(__file__).resolve().parents[1] / "sample_data" / "scenario"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def send(client: TestClient, headers: dict, path: Path, period: str, program: str = "pkh") -> str:
    r = upload(client, headers, path.read_bytes(), path.name, program=program, period=period)
    assert r.status_code == 202, r.text
    state = wait_job(client, headers, r.json()["job_id"])
    assert state["state"] == "done", state
    return state["submission_id"]


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    a = Api(tmp_path_factory.mktemp("api_finance"))
    with TestClient(a.app) as client:
        a.client = client
        op, other = a.headers["operator"], a.headers["other_operator"]
        a.sid = send(client, op, SAMPLE, "2026-T1")  # the messy sample: all three statuses
        a.sunggal = send(client, other, SCENARIO / "2_pkh_medan_sunggal.csv", "2026-T1")
        a.first = send(client, op, SCENARIO / "1_pkh_medan_baru.csv", "2026-05")
        a.fixed = send(client, op, SCENARIO / "4_pkh_medan_baru_perbaikan.csv", "2026-05")
        yield a


def _row(api, sid: str, status: str, offset: int = 0) -> int:
    return api.query("SELECT row FROM row_results WHERE submission_id = ? AND status = ? ORDER BY row "
                     "LIMIT 1 OFFSET ?", [sid, status, offset])[0][0]


def _kec(overview: dict, code: str) -> dict:
    return next(k for k in overview["kecamatan"] if k["kecamatan"] == code)


def test_overview_side_by_side(api):
    r = api.client.get("/api/v1/finance/overview?program=pkh&period=2026-T1", headers=api.headers["finance"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert [k["kecamatan"] for k in body["kecamatan"]] == ["127102", "127117"]
    baru = _kec(body, "127117")
    assert baru["submission_id"] == api.sid and baru["rows"] == 40
    assert baru["accepted"] + baru["review"] + baru["rejected"] == 40
    amounts = api.query("""SELECT coalesce(sum(nominal) FILTER (status = 'accepted'), 0),
                                  coalesce(sum(nominal) FILTER (status <> 'accepted'), 0)
                           FROM row_results WHERE submission_id = ?""", [api.sid])[0]
    assert (baru["amount_accepted"], baru["amount_held"]) == pytest.approx(amounts)
    assert baru["by_code"]["NIK_EXCEL"] >= 1
    assert body["totals"]["rows"] == sum(k["rows"] for k in body["kecamatan"])
    listed = api.client.get("/api/v1/finance/periods", headers=api.headers["finance"]).json()
    assert {"program": "pkh", "period": "2026-T1", "kecamatan": 2}.items() <= next(
        p for p in listed if p["period"] == "2026-T1").items()
    assert_envelope(api.client.get("/api/v1/finance/overview?program=tidakada&period=2026-T1",
                                   headers=api.headers["finance"]), 422, "bad_program")


def test_reasons_drill_down(api):
    h = api.headers["finance"]
    body = api.client.get(f"/api/v1/finance/submissions/{api.sid}/reasons", headers=h).json()
    codes = {c["code"]: c for c in body["codes"]}
    assert codes["NIK_EXCEL"]["rows"] >= 1 and codes["NIK_EXCEL"]["title"]
    rows = api.client.get(f"/api/v1/finance/submissions/{api.sid}/reasons?code=nik_excel", headers=h).json()
    assert len(rows["rows"]) == codes["NIK_EXCEL"]["rows"] and all(r["messages"] for r in rows["rows"])
    review = api.client.get(f"/api/v1/finance/submissions/{api.sid}/reasons?status=review", headers=h).json()
    assert review["rows"] and {r["status"] for r in review["rows"]} == {"review"} and not review["truncated"]
    assert all(r["messages"] for r in review["rows"])


def test_decision_changes_overview_and_export(api):
    h = api.headers["finance"]
    before = _kec(api.client.get("/api/v1/finance/overview?program=pkh&period=2026-T1", headers=h).json(), "127117")
    row = _row(api, api.sid, "review")
    r = api.client.post(f"/api/v1/submissions/{api.sid}/rows/{row}/decision", headers=h,
                        json={"decision": "accepted", "note": "=dicek manual, KTP asli dilihat"})
    assert r.status_code == 200, r.text
    assert r.json()["decided_by"] == "Keuangan Dinsos"
    after = _kec(api.client.get("/api/v1/finance/overview?program=pkh&period=2026-T1", headers=h).json(), "127117")
    assert (after["accepted"], after["review"], after["decided"]) == (
        before["accepted"] + 1, before["review"] - 1, before["decided"] + 1)
    nominal = api.query("SELECT nominal FROM row_results WHERE submission_id = ? AND row = ?", [api.sid, row])[0][0]
    assert after["amount_accepted"] == pytest.approx(before["amount_accepted"] + (nominal or 0))
    text = api.client.get(f"/api/v1/submissions/{api.sid}/accepted.csv", headers=h).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][:2] == ["BARIS", "NIK"] and str(row) in [line[0] for line in lines[1:]]
    assert len(lines) - 1 == after["accepted"]
    assert not [c for line in lines for c in line if c.startswith(FORMULA_START)]
    assert any(c == "'=dicek manual, KTP asli dilihat" for line in lines for c in line)
    # The kecamatan reads the decision and its note.
    seen = api.client.get(f"/api/v1/submissions/{api.sid}/decisions", headers=api.headers["operator"]).json()
    assert {"row": row, "decision": "accepted", "note": "=dicek manual, KTP asli dilihat",
            "decided_by": "Keuangan Dinsos"}.items() <= seen[-1].items()


def test_xlsx_export_ids_are_text_and_no_formula(api):
    r = api.client.get(f"/api/v1/submissions/{api.sid}/accepted.xlsx", headers=api.headers["finance"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxml")
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["BARIS", "NIK", "NO KK", "NAMA"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    niks = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert niks and all(c.data_type == "s" and len(c.value) == 16 for c in niks if c.value)
    assert not [c for c in cells if c.data_type == "f"]
    quoted = [c for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULA_START)]
    assert all(c.quotePrefix for c in quoted)


def test_deciding_a_non_review_row_is_a_conflict(api):
    h = api.headers["finance"]
    row = _row(api, api.sid, "rejected")
    r = api.client.post(f"/api/v1/submissions/{api.sid}/rows/{row}/decision", headers=h,
                        json={"decision": "accepted", "note": ""})
    assert_envelope(r, 409, "not_review")
    r = api.client.post(f"/api/v1/submissions/{api.sid}/rows/99999/decision", headers=h, json={"decision": "accepted"})
    assert_envelope(r, 404, "row_not_found")
    r = api.client.post(f"/api/v1/submissions/{api.sid}/rows/{row}/decision", headers=h, json={"decision": "ok"})
    assert "keputusan" in assert_envelope(r, 422, "invalid_request")["message"]
    r = api.client.post(f"/api/v1/submissions/{api.first}/rows/1/decision", headers=h, json={"decision": "accepted"})
    assert_envelope(r, 409, "superseded")


def test_errors_quote_no_nik_typed_in_the_wrong_field(api):
    nik, masked = "1271171911750016", "127117******0016"
    fin, council = api.headers["finance"], api.headers["council"]
    answers = [
        (api.client.get(f"/api/v1/finance/overview?program={nik}&period=2026-T1", headers=fin), 422, "bad_program"),
        (api.client.get("/api/v1/finance/overview?program=1271%201719%201175%200016&period=2026-T1", headers=fin),
         422, "bad_program"),
        (api.client.post(f"/api/v1/submissions/{api.sid}/rows/{nik}/decision", headers=fin,
                         json={"decision": "accepted"}), 404, "row_not_found"),
        (api.client.get(f"/api/v1/lookup/by-name?nama=fajar&kecamatan={nik}", headers=council), 422, "bad_kecamatan"),
        (api.client.get("/api/v1/lookup/by-name?nama=fajar&kecamatan=1271%201719%201175%200016", headers=council),
         422, "bad_kecamatan"),
        (upload(api.client, api.headers["operator"], b"NIK\n1\n", "a.csv", program=nik), 422, "bad_program"),
    ]
    for r, status, code in answers:
        err = assert_envelope(r, status, code)
        assert nik not in r.text and "1175 0016" not in r.text, r.text
        assert masked in err["message"] and masked in err["message_en"], err
    too_long = api.client.get(f"/api/v1/lookup/by-name?nama=fajar&kecamatan=Medan%20{nik}", headers=council)
    assert_envelope(too_long, 422, "invalid_request") and nik not in too_long.text
    # A mistyped program or a 6-digit kecamatan code is still quoted as typed: that is the help.
    assert "'pkhh'" in assert_envelope(api.client.get("/api/v1/finance/overview?program=pkhh&period=2026-T1",
                                                      headers=fin), 422, "bad_program")["message"]
    assert "'999999'" in assert_envelope(api.client.get("/api/v1/lookup/by-name?nama=fajar&kecamatan=999999",
                                                        headers=council), 422, "bad_kecamatan")["message"]


def test_diff_of_a_resubmission(api):
    h = api.headers["operator"]
    r = api.client.get(f"/api/v1/submissions/{api.fixed}/diff", headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["submission_id"] == api.first and body["counts"]["fixed"] >= 1
    assert_envelope(api.client.get(f"/api/v1/submissions/{api.first}/diff", headers=h), 404, "no_previous")


def _request(api, role: str, endpoint: str):
    c, h, sid = api.client, api.headers[role], api.sid
    match endpoint:
        case "overview":
            return c.get("/api/v1/finance/overview?program=pkh&period=2026-T1", headers=h)
        case "reasons":
            return c.get(f"/api/v1/finance/submissions/{sid}/reasons", headers=h)
        case "review_rows":
            return c.get(f"/api/v1/finance/submissions/{sid}/reasons?status=review", headers=h)
        case "decision":
            row = _row(api, sid, "review")  # the sample has one; deciding again is allowed
            return c.post(f"/api/v1/submissions/{sid}/rows/{row}/decision", headers=h,
                          json={"decision": "accepted", "note": "matriks peran"})
        case "accepted_csv":
            return c.get(f"/api/v1/submissions/{sid}/accepted.csv", headers=h)
        case "accepted_xlsx":
            return c.get(f"/api/v1/submissions/{sid}/accepted.xlsx", headers=h)
        case "diff":
            return c.get(f"/api/v1/submissions/{api.fixed}/diff", headers=h)
        case "periods":
            return c.get("/api/v1/finance/periods", headers=h)
        case "decisions":
            return c.get(f"/api/v1/submissions/{sid}/decisions", headers=h)
        case "users":
            return c.get("/api/v1/admin/users", headers=h)
        case "add_user":
            return c.post("/api/v1/admin/users", headers=h, json={"name": f"Anggota {role}", "role": "council"})
        case "disable":
            made = api.query("SELECT id FROM users WHERE name = 'Operator Medan Sunggal'")[0][0]
            target = made if role != "admin" else "tidakada"  # keep the other operator usable
            return c.post(f"/api/v1/admin/users/{target}/disable", headers=h)
        case "audit":
            return c.get("/api/v1/admin/lookups", headers=h)
        case "registry":  # an empty file: admin gets the import's own error, the others never get that far
            return c.post("/api/v1/admin/registry", headers=h, files={"file": ("kosong.csv", b"")})
        case "exclusions":
            return c.post("/api/v1/admin/exclusions", headers=h, files={"file": ("kosong.csv", b"")})
        case "by_name":
            return c.get("/api/v1/lookup/by-name?nama=fajar%20munthe&kecamatan=127117", headers=h)


MATRIX = {  # endpoint: status per role, in the order of ROLES
    "overview":      [401, 403, 403, 200, 403, 403],
    "reasons":       [401, 403, 403, 200, 403, 403],
    "review_rows":   [401, 403, 403, 200, 403, 403],
    "decision":      [401, 403, 403, 200, 403, 403],
    "accepted_csv":  [401, 403, 403, 200, 403, 403],
    "accepted_xlsx": [401, 403, 403, 200, 403, 403],
    "diff":          [401, 200, 404, 200, 403, 403],
    "by_name":       [401, 403, 403, 200, 200, 403],
    "periods":       [401, 403, 403, 200, 403, 403],
    "decisions":     [401, 200, 404, 200, 403, 403],
    "users":         [401, 403, 403, 403, 403, 200],
    "add_user":      [401, 403, 403, 403, 403, 201],
    "disable":       [401, 403, 403, 403, 403, 404],
    "audit":         [401, 403, 403, 403, 403, 200],
    "registry":      [401, 403, 403, 403, 403, 400],
    "exclusions":    [401, 403, 403, 403, 403, 400],
}


@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_role_matrix(api, endpoint):
    answers = [_request(api, role, endpoint) for role in ROLES]
    got = [r.status_code for r in answers]
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, MATRIX[endpoint], strict=True))
    for r in answers:
        if r.status_code >= 400:  # refusals carry the envelope too, never FastAPI's own body
            assert_envelope(r, r.status_code)


def test_lookup_by_name_masks_and_records(api):
    h = api.headers["council"]
    r = api.client.get("/api/v1/lookup/by-name?nama=fajar%20munthe&kecamatan=12.71.17", headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [m["nik_masked"] for m in body["matches"]] == ["127117******1017"]
    [event] = [e for e in body["matches"][0]["events"] if e["period"] == "2026-T1"]
    assert event["status"] == "rejected" and event["reasons"][0]["code"] == "REKENING_EXCEL"
    assert "1271171404511017" not in r.text and "712049365" not in r.text
    nobody = api.client.get("/api/v1/lookup/by-name?nama=Tidak%20Ada%20Orang&kecamatan=127117", headers=h)
    assert nobody.json()["matches"] == []
    logged = api.query("SELECT nik_masked, search_masked, search_sha256 FROM lookups "
                       "WHERE channel = 'api-name' AND actor = 'Anggota DPRD'")
    assert ("127117******1017", "nama f*** m***, kecamatan 127117") in [r[:2] for r in logged]
    # A search that found nobody still says what was searched: the name masked, the kecamatan.
    assert ("-", "nama T*** A*** O***, kecamatan 127117") in [r[:2] for r in logged]
    assert not [r for r in logged if "fajar" in repr(r).lower() or "orang" in repr(r).lower()]
    assert_envelope(api.client.get("/api/v1/lookup/by-name?nama=fajar&kecamatan=999999", headers=h),
                    422, "bad_kecamatan")
    assert_envelope(api.client.get("/api/v1/lookup/by-name?nama=fajar&kecamatan=Atlantis", headers=h),
                    422, "bad_kecamatan")
    by_place = api.client.get("/api/v1/lookup/by-name?nama=FAJAR%20MUNTHE&kecamatan=Kec.%20Medan%20Baru", headers=h)
    assert by_place.json()["kecamatan"] == "127117" and len(by_place.json()["matches"]) == 1
    titled = api.client.get("/api/v1/lookup/by-name?nama=H.%20Fajar%20Munthe,%20S.Pd&kecamatan=127117", headers=h)
    assert [m["nik_masked"] for m in titled.json()["matches"]] == ["127117******1017"]  # titles dropped


def test_name_searches_are_recorded_with_a_keyed_digest_of_the_name(api):
    h = api.headers["council"]
    for typed in ("Nama Tak Dikenal", "NAMA  TAK DIKENAL", "nama tak dikenal"):
        assert api.client.get(f"/api/v1/lookup/by-name?nama={typed}&kecamatan=127117", headers=h).json()["matches"] == []
    assert api.client.get("/api/v1/lookup/by-name?nama=Nama%20Lain&kecamatan=127117", headers=h).status_code == 200
    digests = api.query("SELECT search_sha256 FROM lookups WHERE lower(search_masked) IN "
                        "('nama n*** t*** d***, kecamatan 127117', 'nama n*** l***, kecamatan 127117')")
    assert len(digests) == 4 and len({d for (d,) in digests}) == 2  # one name, however typed; another name
    audit = api.client.get("/api/v1/admin/lookups?per_page=5", headers=api.headers["admin"]).json()["items"]
    assert audit[0]["search"] == "nama N*** L***, kecamatan 127117" and audit[0]["nik_masked"] == "-"


def test_admin_creates_and_disables_a_user(api):
    h = api.headers["admin"]
    r = api.client.post("/api/v1/admin/users", headers=h,
                        json={"name": "Operator Sementara", "role": "operator", "kecamatan": "12.71.17"})
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["kecamatan"] == "127117" and made["disabled"] is False
    mine = {"Authorization": f"Bearer {made['token']}"}
    assert api.client.get(f"/api/v1/submissions/{api.sid}", headers=mine).status_code == 200
    listed = api.client.get("/api/v1/admin/users", headers=h).json()
    assert made["id"] in [u["id"] for u in listed] and not any("token" in u for u in listed)
    assert api.client.post(f"/api/v1/admin/users/{made['id']}/disable", headers=h).json()["disabled"] is True
    assert_envelope(api.client.get(f"/api/v1/submissions/{api.sid}", headers=mine), 401, "bad_token")
    assert_envelope(api.client.post("/api/v1/admin/users", headers=h, json={"name": "X", "role": "operator"}),
                    422, "operator_needs_kecamatan")
    assert_envelope(api.client.post("/api/v1/admin/users/tidakada/disable", headers=h), 404, "not_found")
    admin_id = api.query("SELECT id FROM users WHERE name = 'Admin'")[0][0]
    assert_envelope(api.client.post(f"/api/v1/admin/users/{admin_id}/disable", headers=h), 409, "self_disable")


def test_admin_lookup_audit_is_paged(api):
    api.client.get("/api/v1/lookup?nik=1271171404511017", headers=api.headers["council"])
    body = api.client.get("/api/v1/admin/lookups?per_page=2", headers=api.headers["admin"]).json()
    assert body["total"] >= 1 and len(body["items"]) <= 2 and body["page"] == 1
    assert set(body["items"][0]) == {"time", "actor", "channel", "nik_masked", "search"}
    assert not [i for i in body["items"] if "*" not in i["nik_masked"] and i["nik_masked"] != "-"]


def test_admin_registry_import_feeds_new_uploads(tmp_path):
    a = Api(tmp_path)
    with TestClient(a.app) as c:
        h = a.headers["admin"]
        r = c.post("/api/v1/admin/registry", headers=h,
                   files={"file": ("dtks.csv", (SCENARIO / "dtks.csv").read_bytes())})
        assert r.status_code == 200, r.text
        assert r.json()["rows"] > 0 and r.json()["import_id"]
        r = c.post("/api/v1/admin/exclusions", headers=h,
                   files={"file": ("pengecualian.csv", (SCENARIO / "pengecualian.csv").read_bytes())})
        assert r.status_code == 200 and r.json()["rows"] > 0, r.text
        assert not list((tmp_path / "data" / "imports").iterdir())  # the uploaded copy is gone
        sid = send(c, a.headers["operator"], SCENARIO / "1_pkh_medan_baru.csv", "2026-T1")
        result = c.get(f"/api/v1/submissions/{sid}", headers=a.headers["finance"]).json()
        assert "registry" not in result["checks_skipped"]
        assert {"DTKS_MENINGGAL", "DAFTAR_PENGECUALIAN"} <= set(result["summary"]["by_code"])
        bad = c.post("/api/v1/admin/registry", headers=h, files={"file": ("kosong.csv", b"")})
        assert bad.status_code >= 400 and set(bad.json()) == {"error"}


def test_new_paths_are_in_openapi(api):
    paths = set(api.client.get("/openapi.json").json()["paths"])
    assert {"/api/v1/finance/overview", "/api/v1/finance/periods",
            "/api/v1/finance/submissions/{submission_id}/reasons",
            "/api/v1/submissions/{submission_id}/rows/{row}/decision",
            "/api/v1/submissions/{submission_id}/decisions",
            "/api/v1/submissions/{submission_id}/accepted.csv", "/api/v1/submissions/{submission_id}/accepted.xlsx",
            "/api/v1/submissions/{submission_id}/diff", "/api/v1/lookup/by-name", "/api/v1/admin/users",
            "/api/v1/admin/users/{user_id}/disable", "/api/v1/admin/lookups", "/api/v1/admin/registry",
            "/api/v1/admin/exclusions"} <= paths


def _decided_list(api, tmp_path) -> tuple[str, dict[str, int]]:
    """A list of two rows the engine leaves for review (sex in the NIK differs from the column);
    finance accepts the first and rejects the second."""
    from conftest import make_rows, write_csv

    headers, body = make_rows("pkh", [
        {"jk": "L"},
        {"nik": "1271175707850002", "tgl": "17-07-1985", "jk": "L", "nama": "RINA WATI", "rek": "300201000123515",
         "kk": "1271170101100002"}])
    sid = send(api.client, api.headers["operator"], write_csv(tmp_path / "jk.csv", headers, body), "2026-07")
    rows = dict(api.query("SELECT nik, row FROM row_results WHERE submission_id = ? AND status = 'review'", [sid]))
    assert set(rows) == {"1271175506800001", "1271175707850002"}
    h = api.headers["finance"]
    for nik, decision, note in (("1271175506800001", "accepted", "-KTP asli dilihat"),
                                ("1271175707850002", "rejected", "KTP 1271175707850002 bukan miliknya")):
        r = api.client.post(f"/api/v1/submissions/{sid}/rows/{rows[nik]}/decision", headers=h,
                            json={"decision": decision, "note": note})
        assert r.status_code == 200, r.text
    return sid, rows


@pytest.fixture(scope="module")
def decided(api, tmp_path_factory):
    return _decided_list(api, tmp_path_factory.mktemp("decided"))


def test_submission_rows_carry_the_decision(api, decided):
    sid, rows = decided
    doc = api.client.get(f"/api/v1/submissions/{sid}", headers=api.headers["operator"]).json()
    by_row = {r["row"]: r for r in doc["rows"]}
    accepted, rejected = by_row[rows["1271175506800001"]], by_row[rows["1271175707850002"]]
    assert (accepted["status"], accepted["effective_status"]) == ("review", "accepted")
    assert {"decision": "accepted", "note": "-KTP asli dilihat", "decided_by": "Keuangan Dinsos"}.items() \
        <= accepted["decision"].items() and accepted["decision"]["decided_at"]
    assert (rejected["status"], rejected["effective_status"], rejected["decision"]["decision"]) == (
        "review", "rejected", "rejected")
    assert {"row", "sheet", "nik", "nama", "status", "findings"} <= set(accepted)  # the contract's fields stay
    only_review = api.client.get(f"/api/v1/submissions/{sid}?status=review", headers=api.headers["finance"]).json()
    assert only_review["total_rows"] == 2  # the filter is on the engine's status, as the contract says


def test_lookup_tells_finance_decisions_without_the_note(api, decided):
    h = api.headers["council"]
    yes = api.client.get("/api/v1/lookup?nik=1271175506800001", headers=h).json()
    [event] = [e for e in yes["events"] if e["period"] == "2026-07"]
    assert (event["status"], event["engine_status"]) == ("accepted", "review")
    assert event["decision"]["decision"] == "accepted" and event["decision"]["decided_by"] == "Keuangan Dinsos"
    assert event["next_step"].startswith("diterima setelah diperiksa Dinas Sosial")
    r = api.client.get("/api/v1/lookup?nik=1271175707850002", headers=h)
    [event] = [e for e in r.json()["events"] if e["period"] == "2026-07"]
    assert event["status"] == "rejected"
    assert event["next_step"].startswith("ditolak setelah pemeriksaan Dinas Sosial (data kependudukan")
    assert "bukan miliknya" not in r.text and "1271175707850002" not in r.text


def test_citizen_status_follows_finance_decisions(api, decided):
    c = api.client_from("10.9.0.1")
    yes = c.post("/api/v1/status", json={"nik": "1271175506800001", "tanggal_lahir": "15-06-1980"}).json()
    assert yes["stage"] == "disetujui_untuk_pencairan" and "diterima Dinas Sosial" in yes["message"]
    assert "menunggu persetujuan pencairan" in yes["message"]
    r = c.post("/api/v1/status", json={"nik": "1271175707850002", "tanggal_lahir": "1985-07-17"})
    no = r.json()
    assert no["stage"] == "tidak_memenuhi_syarat" and no["reason"].startswith("data kependudukan")
    assert "bukan miliknya" not in r.text and "RINA" not in r.text and "1271175707850002" not in r.text


def test_export_has_bank_and_account_as_text_and_no_formulas(api, decided):
    sid, rows = decided
    h = api.headers["finance"]
    lines = list(csv.reader(io.StringIO(
        api.client.get(f"/api/v1/submissions/{sid}/accepted.csv", headers=h).content.decode("utf-8-sig"))))
    assert lines[0] == ["BARIS", "NIK", "NO KK", "NAMA", "TANGGAL LAHIR", "BANK", "NO REKENING", "NOMINAL",
                        "CATATAN KEPUTUSAN", "SUDAH DIBAYAR OLEH BATCH"]
    assert lines[1][9] == ""  # no batch approved yet
    assert [line[0] for line in lines[1:]] == [str(rows["1271175506800001"])]  # the rejected row is not paid
    assert lines[1][5:7] == ["BRI", "300201000123507"] and lines[1][8] == "'-KTP asli dilihat"
    r = api.client.get(f"/api/v1/submissions/{sid}/accepted.xlsx", headers=h)
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = {header[i]: cell for i, cell in enumerate(sheet[2])}
    assert row["NO REKENING"].value == "300201000123507" and row["NO REKENING"].data_type == "s"
    assert row["NIK"].value == "1271175506800001" and row["BANK"].value == "BRI"
    assert row["CATATAN KEPUTUSAN"].value == "-KTP asli dilihat" and row["CATATAN KEPUTUSAN"].quotePrefix
    assert not [c for r_ in sheet.iter_rows() for c in r_ if c.data_type == "f"]


@pytest.mark.parametrize(("cell", "quoted"), [("=1+1", True), ("+62811", True), ("-5", True), ("@SUM(A1)", True),
                                              ("\tx", True), ("\rx", True), ("BRI", False), ("0012", False)])
def test_export_cells_are_formula_safe(cell, quoted):
    from api import exports

    row = (1, cell, cell, cell, None, cell, cell, 600000.0, cell)
    text = exports.accepted_csv([row]).decode("utf-8-sig")
    body = list(csv.reader(io.StringIO(text)))[1]
    assert body[1] == ("'" + cell if quoted else cell) and body[7] == "600000"
    sheet = openpyxl.load_workbook(io.BytesIO(exports.accepted_xlsx([row], "t"))).worksheets[0]
    cells = list(sheet[2])
    assert not [c for c in cells if c.data_type == "f"]
    # openpyxl leaves Excel's escape of a carriage return (_x000D_) as it is; Excel reads it back as \r.
    assert all(c.value.replace("_x000D_", "\r") == cell and c.data_type == "s" and bool(c.quotePrefix) == quoted
               for c in cells[1:4] + cells[5:7])


def test_lookups_see_writes_made_after_they_were_cached(api, tmp_path):
    """The server keeps submissions and 'which lists have decisions' between requests (accounts
    too: test_admin_creates_and_disables_a_user); a decision and a resubmission must show on the
    very next look-up."""
    from conftest import make_rows, write_csv

    nik = "1271175506800001"
    headers, body = make_rows("pkh", [{"jk": "L"}])  # a woman's NIK marked L: review
    first = send(api.client, api.headers["operator"], write_csv(tmp_path / "a.csv", headers, body), "2026-08")
    council, h = api.headers["council"], api.headers["finance"]

    def events() -> list[dict]:  # this period's, oldest first
        found = api.client.get(f"/api/v1/lookup?nik={nik}", headers=council).json()["events"]
        return [e for e in found if e["period"] == "2026-08"]

    [event] = events()
    assert (event["status"], event["decision"]) == ("review", None)
    row = api.query("SELECT row FROM row_results WHERE submission_id = ? AND nik = ?", [first, nik])[0][0]
    assert api.client.post(f"/api/v1/submissions/{first}/rows/{row}/decision", headers=h,
                           json={"decision": "accepted", "note": "KTP dilihat"}).status_code == 200
    [event] = events()
    assert (event["status"], event["decision"]["decision"], event["superseded"]) == ("accepted", "accepted", False)
    send(api.client, api.headers["operator"], write_csv(tmp_path / "b.csv", headers, body), "2026-08")
    before, now = events()
    assert (before["superseded"], before["status"]) == (True, "accepted")
    assert (now["superseded"], now["status"], now["decision"]) == (False, "review", None)


def test_store_cache_drops_what_a_write_may_have_changed():
    from api.context import StoreCache, WriteLock

    lock = WriteLock()
    cache, loads = StoreCache(lock), []

    def load(value):
        return lambda: loads.append(value) or value

    assert cache.get(("k",), load(1)) == 1 and cache.get(("k",), load(2)) == 1 and loads == [1]
    with lock.keeping_caches():  # the look-up audit: nothing cached changes
        pass
    assert cache.peek(("k",)) == 1
    with lock:
        pass
    assert cache.peek(("k",)) is None and cache.get(("k",), load(3)) == 3
    assert cache.get(("none",), load(None)) is None and cache.get(("none",), load(None)) is None
    assert loads == [1, 3, None, None]  # an unknown value is asked again, never kept

    def write_during_load():  # a write that lands while the value is read: the value is not kept
        with lock:
            pass
        return "stale"

    assert cache.get(("w",), write_during_load) == "stale" and cache.peek(("w",)) is None


def test_rows_keep_their_codes_and_older_rows_are_read_from_findings(api):
    """row_results.finding_codes holds each row's findings as the findings table does; a row
    recorded before the column existed (NULL) tells the same story from `findings`."""
    per_row = dict(api.query("""SELECT row, list(DISTINCT code || ':' || severity ORDER BY code || ':' || severity)
                                FROM findings WHERE submission_id = ? GROUP BY row""", [api.sid]))
    kept = dict(api.query("SELECT row, finding_codes FROM row_results WHERE submission_id = ?", [api.sid]))
    assert per_row and {row: codes for row, codes in kept.items() if codes} == per_row
    assert all(codes == [] for row, codes in kept.items() if row not in per_row)

    nik, row = api.query("""SELECT nik, row FROM row_results WHERE submission_id = ? AND nik_ok
                            AND len(finding_codes) >= 1 LIMIT 1""", [api.sid])[0]
    h = api.headers["council"]
    now = api.client.get(f"/api/v1/lookup?nik={nik}", headers=h).json()
    view = api.app.state.ctx.view()
    try:
        run(view.con, "UPDATE row_results SET finding_codes = NULL WHERE submission_id = ? AND row = ?", [api.sid, row])
        older = api.client.get(f"/api/v1/lookup?nik={nik}", headers=h).json()
    finally:
        run(view.con, "UPDATE row_results SET finding_codes = ? WHERE submission_id = ? AND row = ?",
            [kept[row], api.sid, row])
        view.close()
    assert [len(e["reasons"]) for e in now["events"]] and now == older


def test_a_list_replaced_twice_points_to_the_live_one(tmp_path):
    import datetime as dt

    from api.finance import _live_submission
    from validator.store import Store

    with Store(tmp_path / "h.duckdb") as s:
        t = dt.datetime(2026, 11, 1)
        for k, (sid, by) in enumerate([("a1", "b2"), ("b2", "c3"), ("c3", None)]):
            s.con.execute(f"INSERT INTO submissions ({SUBMISSION_COLUMNS}) VALUES (?, 'pkh', '2026-T1', '127117', 'l.csv', '', ?, 'v', "
                          "1, 1, 0, 0, ?, 'complete')", [sid, t + dt.timedelta(hours=k), by])
        assert [_live_submission(s, sid)[1] for sid in ("a1", "b2", "c3")] == ["c3", "c3", None]
