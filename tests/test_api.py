"""The HTTP API as contracts §7 says: roles, the job lifecycle, look-ups, the error envelope."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from api.accounts import create_user
from api.app import create_app
from validator.store import Store, run

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "lists" / "pkh_medan_baru_berantakan.xlsx"
ROLES = ["none", "operator", "other_operator", "finance", "council", "admin"]


def wait_job(client: TestClient, headers: dict, job_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        if state["state"] in ("done", "failed"):
            return state
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {state}")


def upload(client: TestClient, headers: dict, content: bytes, name: str, program: str = "pkh",
           period: str = "2026-T1"):
    return client.post("/api/v1/submissions", headers=headers, files={"file": (name, io.BytesIO(content))},
                       data={"program": program, "period": period})


def assert_envelope(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "message_en"}
    assert all(isinstance(v, str) and v for v in body["error"].values())
    if code:
        assert body["error"]["code"] == code
    return body["error"]


class Api:
    """A running app on a temporary store, with one account per role and the messy sample sent."""

    def __init__(self, tmp: Path):
        self.store_path = tmp / "riwayat.duckdb"
        with Store(self.store_path) as db:
            tokens = {
                "operator": create_user(db, "Operator Medan Baru", "operator", "12.71.17")[1],
                "other_operator": create_user(db, "Operator Medan Sunggal", "operator", "127102")[1],
                "finance": create_user(db, "Keuangan Dinsos", "finance")[1],
                "council": create_user(db, "Anggota DPRD", "council")[1],
                "admin": create_user(db, "Admin", "admin")[1],
            }
        self.headers = {role: {"Authorization": f"Bearer {t}"} for role, t in tokens.items()} | {"none": {}}
        self.app = create_app(self.store_path, tmp / "data")

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        view = self.app.state.ctx.view()
        try:
            return run(view.con, sql, params)
        finally:
            view.close()

    def client_from(self, ip: str) -> TestClient:
        """Another client address on the running app (the lifespan already ran)."""
        return TestClient(self.app, client=(ip, 40000))


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    a = Api(tmp_path_factory.mktemp("api"))
    with TestClient(a.app) as client:
        a.client = client
        r = upload(client, a.headers["operator"], SAMPLE.read_bytes(), SAMPLE.name)
        assert r.status_code == 202, r.text
        a.sent = r.json()
        a.job = wait_job(client, a.headers["operator"], a.sent["job_id"])
        yield a


def test_job_lifecycle_messy_sample(api):
    assert api.job == {"state": "done", "progress": 1.0, "submission_id": api.sent["submission_id"]}
    sid = api.sent["submission_id"]
    h = api.headers["operator"]
    full = api.client.get(f"/api/v1/submissions/{sid}", headers=h).json()
    assert full["submission_id"] == sid and full["kecamatan"] == "127117" and full["program"] == "pkh"
    assert full["summary"]["rows"] == 40 and full["total_rows"] == 40 and len(full["rows"]) == 40
    rejected = api.client.get(f"/api/v1/submissions/{sid}?status=rejected&per_page=5&page=2", headers=h).json()
    assert rejected["total_rows"] == full["summary"]["rejected"] == 14
    assert (rejected["page"], rejected["per_page"], rejected["pages"]) == (2, 5, 3)
    assert len(rejected["rows"]) == 5 and {r["status"] for r in rejected["rows"]} == {"rejected"}
    by_code = api.client.get(f"/api/v1/submissions/{sid}?code=nik_excel", headers=h).json()
    assert by_code["total_rows"] == full["summary"]["by_code"]["NIK_EXCEL"]
    # An empty filter, as the results page writes its links, is no filter.
    assert api.client.get(f"/api/v1/submissions/{sid}?status=&code=NIK_EXCEL", headers=h).json()["total_rows"] \
        == by_code["total_rows"]
    assert all(any(f["code"] == "NIK_EXCEL" for f in r["findings"]) for r in by_code["rows"])
    wb = api.client.get(f"/api/v1/submissions/{sid}/workbook", headers=h)
    assert wb.status_code == 200 and wb.headers["content-type"].startswith("application/vnd.openxml")
    sheet = openpyxl.load_workbook(io.BytesIO(wb.content)).worksheets[0]
    header = next(r for r in sheet.iter_rows(values_only=True) if "STATUS" in r)
    assert {"STATUS", "KODE ALASAN", "ALASAN", "BARIS ASAL"} <= set(header)
    # Recorded in the store under the id the client was given, upload kept under a safe name.
    assert api.query("SELECT kecamatan, rows FROM submissions WHERE id = ?", [sid]) == [("127117", 40)]
    assert (api.app.state.ctx.upload_dir(sid) / SAMPLE.name).exists()


@pytest.mark.parametrize(("raw", "safe"), [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\op\\daftar pkh.xlsx", "daftar pkh.xlsx"),
    ("a" * 300 + ".xlsx", "a" * 115 + ".xlsx"),  # 120 characters in all
    ("..", "daftar"),
    ("dаftar<>|.csv", "d_ftar_.csv"),
])
def test_upload_names_are_sanitised(raw, safe):
    from api.services import safe_file_name

    assert safe_file_name(raw) == safe


def test_unreadable_file_fails_the_job_with_the_error(api):
    h = api.headers["operator"]
    r = upload(api.client, h, b"ini bukan spreadsheet", "daftar.xlsx")
    assert r.status_code == 202
    state = wait_job(api.client, h, r.json()["job_id"])
    assert state["state"] == "failed" and state["submission_id"] == r.json()["submission_id"]
    assert set(state["error"]) == {"code", "message", "message_en"} and state["error"]["code"] != "internal_error"
    assert_envelope(api.client.get(f"/api/v1/submissions/{state['submission_id']}", headers=h), 409, "job_failed")


def test_invalid_data_is_not_an_error(api):
    """A list where every row is wrong is a finished job with findings, not a failure."""
    h = api.headers["operator"]
    csv = b"NIK,Nama,No Rekening\n123,,abc\n"
    state = wait_job(api.client, h, upload(api.client, h, csv, "salah.csv", period="2026-07").json()["job_id"])
    assert state["state"] == "done"
    result = api.client.get(f"/api/v1/submissions/{state['submission_id']}", headers=h).json()
    assert result["summary"]["rejected"] == 1


def test_results_of_a_queued_job_are_not_ready(api, monkeypatch):
    monkeypatch.setattr(api.app.state.ctx.worker, "submit", lambda job_id: None)  # never runs
    h = api.headers["operator"]
    sent = upload(api.client, h, SAMPLE.read_bytes(), SAMPLE.name, period="2026-09").json()
    assert api.client.get(f"/api/v1/jobs/{sent['job_id']}", headers=h).json()["state"] == "queued"
    assert_envelope(api.client.get(f"/api/v1/submissions/{sent['submission_id']}", headers=h), 409, "not_ready")


def test_uploads_and_lookups_side_by_side(api):
    """Request threads and the worker share the store: nothing breaks, every job lands."""
    from concurrent.futures import ThreadPoolExecutor

    h, fin = api.headers["operator"], api.headers["finance"]

    def send(i: int) -> str:
        return upload(api.client, h, SAMPLE.read_bytes(), SAMPLE.name, period=f"2027-{i + 1:02d}").json()["job_id"]

    def look(_: int) -> int:
        return api.client.get("/api/v1/lookup?nik=1271171404511017", headers=fin).status_code

    with ThreadPoolExecutor(8) as pool:
        sent = list(pool.map(send, range(4)))
        looked = list(pool.map(look, range(16)))
    assert looked == [200] * 16
    assert [wait_job(api.client, h, j)["state"] for j in sent] == ["done"] * 4


def _request(api, role: str, endpoint: str):
    c, h, sid = api.client, api.headers[role], api.sent["submission_id"]
    nik = "1271171404511017"
    match endpoint:
        case "upload":
            return upload(c, h, b"NIK,Nama\n1271175506800001,SITI\n", "kecil.csv", period="2026-08")
        case "job":
            return c.get(f"/api/v1/jobs/{api.sent['job_id']}", headers=h)
        case "result":
            return c.get(f"/api/v1/submissions/{sid}", headers=h)
        case "workbook":
            return c.get(f"/api/v1/submissions/{sid}/workbook", headers=h)
        case "lookup":
            return c.get(f"/api/v1/lookup?nik={nik}", headers=h)
        case "status":
            return api.client_from(f"10.1.0.{ROLES.index(role)}").post(
                "/api/v1/status", headers=h, json={"nik": nik, "tanggal_lahir": "1951-04-14"})


MATRIX = {  # endpoint: status per role, in the order of ROLES
    "upload":   [401, 202, 202, 403, 403, 403],
    "job":      [401, 200, 404, 200, 403, 403],
    "result":   [401, 200, 404, 200, 403, 403],
    "workbook": [401, 200, 404, 200, 403, 403],
    "lookup":   [401, 403, 403, 200, 200, 403],
    "status":   [200, 200, 200, 200, 200, 200],
}


@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_role_matrix(api, endpoint):
    got = [_request(api, role, endpoint).status_code for role in ROLES]
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, MATRIX[endpoint], strict=True))


def test_other_kecamatan_gets_404_exactly_as_unknown_id(api):
    h = api.headers["other_operator"]
    sid = api.sent["submission_id"]
    theirs = api.client.get(f"/api/v1/submissions/{sid}", headers=h)
    unknown = api.client.get("/api/v1/submissions/0000000000000000", headers=h)
    assert theirs.status_code == unknown.status_code == 404 and theirs.json() == unknown.json()
    wb = api.client.get(f"/api/v1/submissions/{sid}/workbook", headers=h)
    assert wb.json() == unknown.json()


@pytest.mark.parametrize(("role", "call", "status", "code"), [
    ("none", lambda c, h: c.get("/api/v1/lookup?nik=1271171404511017", headers=h), 401, "unauthorized"),
    ("none", lambda c, h: c.get("/api/v1/lookup?nik=1", headers={"Authorization": "Bearer salah"}), 401, "bad_token"),
    ("operator", lambda c, h: c.get("/api/v1/lookup?nik=1271171404511017", headers=h), 403, "forbidden"),
    ("finance", lambda c, h: c.get("/api/v1/jobs/tidakada", headers=h), 404, "not_found"),
    ("none", lambda c, h: c.get("/tidak/ada"), 404, "not_found"),
    ("none", lambda c, h: c.delete("/api/v1/status"), 405, "method_not_allowed"),
    ("finance", lambda c, h: c.get("/api/v1/lookup?nik=12345", headers=h), 422, "bad_nik"),
    # Sixteen Arabic-Indic digits are digits to Python's \d, not a NIK.
    ("finance", lambda c, h: c.get("/api/v1/lookup?nik=" + "\u0661" * 16, headers=h), 422, "bad_nik"),
    ("none", lambda c, h: c.post("/api/v1/status", json={"nik": "\uff11" * 16, "tanggal_lahir": "1980-06-15"}),
     422, "bad_nik"),
    ("finance", lambda c, h: c.get("/api/v1/lookup", headers=h), 422, "invalid_request"),
    ("operator", lambda c, h: c.get("/api/v1/submissions/x?per_page=5000", headers=h), 422, "invalid_request"),
    ("operator", lambda c, h: c.get("/api/v1/submissions/x?status=ok", headers=h), 422, "invalid_request"),
    ("operator", lambda c, h: upload(c, h, b"x", "a.csv", program="tidakada"), 422, "bad_program"),
    ("operator", lambda c, h: upload(c, h, b"x", "a.csv", period="../../"), 422, "bad_period"),
    # A NIK typed as the period: refused, not stored and shown on every page of the list.
    ("operator", lambda c, h: upload(c, h, b"x", "a.csv", period="1271026004481014"), 422, "bad_period"),
    ("operator", lambda c, h: c.post("/api/v1/submissions", headers=h, data={"program": "pkh"}), 422, "invalid_request"),
])
def test_error_envelope(api, role, call, status, code):
    assert_envelope(call(api.client, api.headers[role]), status, code)


def test_validation_error_names_the_field_in_indonesian(api):
    r = api.client.post("/api/v1/submissions", headers=api.headers["operator"],
                        files={"file": ("a.csv", io.BytesIO(b"x"))}, data={"program": "pkh"})
    assert "periode" in assert_envelope(r, 422)["message"]
    r = api.client_from("10.2.0.1").post("/api/v1/status", json={"nik": "1271171404511017"})
    assert "tanggal lahir" in assert_envelope(r, 422)["message"]


def test_internal_error_is_an_envelope_without_details(api, monkeypatch):
    from api import lookups

    def broken(store, nik, *_):
        raise RuntimeError(f"kueri gagal untuk {nik}")

    monkeypatch.setattr(lookups, "story_rows", broken)
    r = api.client.get("/api/v1/lookup?nik=1271171404511017", headers=api.headers["finance"])
    err = assert_envelope(r, 500, "internal_error")
    assert "1271171404511017" not in r.text and "RuntimeError" not in r.text and "Traceback" not in r.text
    assert "server" in err["message"]


def test_lookup_masks_and_is_recorded(api):
    nik = "1271171404511017"  # FAJAR MUNTHE: rejected, account number damaged by Excel
    r = api.client.get(f"/api/v1/lookup?nik={nik}", headers=api.headers["council"])
    assert r.status_code == 200
    body = r.json()
    assert body["nik_masked"] == "127117******1017"
    assert nik not in r.text and "712049365" not in r.text  # no full NIK, no account number
    [event] = [e for e in body["events"] if e["period"] == "2026-T1"]
    assert event["status"] == "rejected" and event["kecamatan"] == "127117"
    assert event["next_step"] == "menunggu perbaikan dari kecamatan"
    assert event["reasons"] == [{"code": "REKENING_EXCEL", "message": "Nomor rekening rusak oleh format angka Excel"}]
    logged = api.query("SELECT actor, channel, nik_masked FROM lookups WHERE actor = 'Anggota DPRD'")
    assert ("Anggota DPRD", "api", "127117******1017") in logged
    assert not api.query("SELECT * FROM lookups WHERE nik_masked = ?", [nik])


def test_lookup_reads_the_nik_index(api):
    """The look-up's first query must stay a point query on the ART index of row_results(nik): a
    join in it made DuckDB scan the whole table (60 ms at a million rows instead of 1)."""
    from api.lookups import ROWS_OF_NIK

    plan = api.query("EXPLAIN ANALYZE " + ROWS_OF_NIK, ["1271171404511017"])[0][1]
    assert "Index Scan" in plan, plan


def test_lookup_records_share_commits_and_all_land(api):
    from concurrent.futures import ThreadPoolExecutor

    from api import audit

    ctx = api.app.state.ctx

    def one(i: int) -> None:
        view = ctx.view()
        try:
            audit.record(ctx, view, [audit.entry("uji-audit", "api", f"127117140451{i:04d}")])
        finally:
            view.close()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, range(200)))
    assert api.query("SELECT count(*), count(DISTINCT nik_sha256) FROM lookups WHERE actor = 'uji-audit'") == [(200, 200)]
    assert not api.query("SELECT * FROM lookups WHERE actor = 'uji-audit' AND nik_masked NOT LIKE '127117******%'")


def _person(api, status: str) -> tuple[str, str]:
    """A NIK of the sample with a readable birth date and this status; the date as ISO text."""
    nik, born = api.query("""SELECT nik, tanggal_lahir FROM row_results WHERE submission_id = ? AND nik_ok
                             AND tanggal_lahir IS NOT NULL AND status = ? ORDER BY row LIMIT 1""",
                          [api.sent["submission_id"], status])[0]
    return nik, born.isoformat()


def test_status_unknown_nik_and_wrong_date_answer_alike(api):
    c = api.client_from("10.3.0.1")
    nik, born = _person(api, "accepted")
    unknown = c.post("/api/v1/status", json={"nik": "1271170101010001", "tanggal_lahir": born})
    wrong_date = c.post("/api/v1/status", json={"nik": nik, "tanggal_lahir": "1900-01-01"})
    assert unknown.status_code == wrong_date.status_code == 200
    assert unknown.json() == wrong_date.json() and unknown.json()["stage"] == "tidak_ditemukan"
    y, m, d = born.split("-")
    right = c.post("/api/v1/status", json={"nik": nik, "tanggal_lahir": f"{d}-{m}-{y}"}).json()
    assert right["stage"] == "disetujui_untuk_pencairan"
    assert nik not in json.dumps(right)
    logged = api.query("SELECT count(*) FROM lookups WHERE channel = 'status' AND actor = '10.3.0.1'")
    assert logged == [(3,)]


def test_status_names_the_kind_of_fix(api):
    nik = "1271171404511017"
    born = api.query("SELECT tanggal_lahir FROM row_results WHERE nik = ? AND submission_id = ?",
                     [nik, api.sent["submission_id"]])[0][0]
    r = api.client_from("10.4.0.1").post("/api/v1/status", json={"nik": nik, "tanggal_lahir": born.isoformat()})
    body = r.json()
    assert body["stage"] == "perlu_diperbaiki_kecamatan" and body["fix"] == "data rekening bank"
    assert "712049365" not in r.text and "FAJAR" not in r.text


def test_status_is_rate_limited_per_client(api):
    c = api.client_from("10.5.0.1")
    body = {"nik": "1271170101010001", "tanggal_lahir": "01-01-1990"}
    assert [c.post("/api/v1/status", json=body).status_code for _ in range(10)] == [200] * 10
    r = c.post("/api/v1/status", json=body)
    assert_envelope(r, 429, "rate_limited")
    assert int(r.headers["Retry-After"]) >= 1
    assert api.client_from("10.5.0.2").post("/api/v1/status", json=body).status_code == 200


def test_rate_limiter_window():
    from api.ratelimit import RateLimiter

    now = [0.0]
    limiter = RateLimiter(2, window=60, clock=lambda: now[0])
    assert [limiter.allow("a"), limiter.allow("a")] == [None, None]
    assert limiter.allow("a") == pytest.approx(60)
    now[0] = 60.5
    assert limiter.allow("a") is None


def test_registry_ineligible_person(tmp_path):
    """A person the registry says has died: not something the kecamatan can fix."""
    from validator.registry import import_registry

    scenario = Path(__file__).resolve().parents[1] / "sample_data" / "scenario"
    a = Api(tmp_path)
    with Store(a.store_path) as db:
        import_registry(scenario / "dtks.csv", db)
    with TestClient(a.app) as c:
        h = a.headers["operator"]
        r = upload(c, h, (scenario / "1_pkh_medan_baru.csv").read_bytes(), "1_pkh_medan_baru.csv")
        assert wait_job(c, h, r.json()["job_id"])["state"] == "done"
        answer = c.post("/api/v1/status", json={"nik": "1271171301730016", "tanggal_lahir": "13-01-1973"}).json()
        assert answer["stage"] == "tidak_memenuhi_syarat" and "fix" not in answer
        events = c.get("/api/v1/lookup?nik=1271171301730016", headers=a.headers["finance"]).json()["events"]
        assert [r["code"] for r in events[0]["reasons"]] == ["DTKS_MENINGGAL"]


def test_openapi_docs_without_cdn(api):
    docs = api.client.get("/docs")
    assert docs.status_code == 200 and "cdn." not in docs.text
    js = next(part.split('"')[0] for part in docs.text.split("src=\"")[1:] if "swagger-ui-bundle" in part)
    assert api.client.get(js).status_code == 200
    paths = api.client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/submissions", "/api/v1/jobs/{job_id}", "/api/v1/submissions/{submission_id}",
            "/api/v1/submissions/{submission_id}/workbook", "/api/v1/lookup", "/api/v1/status"} <= set(paths)


def test_jobs_left_queued_run_at_the_next_start(tmp_path):
    """A server stopped with jobs in the queue validates them when it starts again."""
    from api import jobs

    a = Api(tmp_path)
    folder = tmp_path / "data" / "uploads" / "feedfacefeedface"  # as api.context.ApiContext.upload_dir
    folder.mkdir(parents=True)
    (folder / SAMPLE.name).write_bytes(SAMPLE.read_bytes())
    with Store(a.store_path) as db:
        user_id = run(db.con, "SELECT id FROM users WHERE role = 'operator' AND kecamatan = '127117'")[0][0]
        job_id = jobs.create_job(db, submission_id="feedfacefeedface", user_id=user_id, program="pkh",
                                 period="2026-T1", kecamatan="127117", file_name=SAMPLE.name)
    with TestClient(a.app) as c:
        assert wait_job(c, a.headers["operator"], job_id)["state"] == "done"
        assert c.get("/api/v1/submissions/feedfacefeedface", headers=a.headers["finance"]).status_code == 200


def test_access_log_masks_nik():
    import logging

    from api.logs import MaskNik

    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", "/api/v1/lookup?nik=1271171404511017", "1.1", 200), None)
    MaskNik().filter(record)
    # A query value is never logged (tests/test_logs.py has every form of NIK the look-up accepts).
    assert record.getMessage().endswith('"GET /api/v1/lookup?nik=*** HTTP/1.1" 200')


@pytest.mark.parametrize(("text", "masked"), [
    ("/api/v1/lookup?nik=1271.1714.0451.1017", "nik=127117******1017"),
    ("/api/v1/lookup?nik=1271-1714-0451-1017", "nik=127117******1017"),
    ("/api/v1/lookup?nik=1271%201714%200451%201017", "nik=127117******1017"),
    ("/api/v1/lookup?nik=1271+1714+0451+1017", "nik=127117******1017"),
    ("rekening 300-201-000-123-507", "rekening ************507"),
    ("2026-11-22 15:09:47 127.0.0.1:8765 v1.2.3", "2026-11-22 15:09:47 127.0.0.1:8765 v1.2.3"),
])
def test_log_masking_covers_ids_typed_with_separators(text, masked):
    from api.logs import mask_digits

    out = mask_digits(text)
    assert masked in out and "0451" not in out and "000-123" not in out


def test_user_error_keeps_its_code(api, monkeypatch):
    from api import lookups
    from validator.errors import UserError

    def busy(store, nik, cache=None, household=frozenset(), partners=None):
        raise UserError("Basis data riwayat sedang dipakai.", "The store is busy.", code="store_busy")

    monkeypatch.setattr(lookups, "story_rows", busy)
    r = api.client.get("/api/v1/lookup?nik=1271171404511017", headers=api.headers["finance"])
    assert assert_envelope(r, 503, "store_busy")["message_en"] == "The store is busy."


def test_responses_with_personal_data_are_never_cached(api):
    """Results, workbooks, look-ups and pages carry NIKs: a shared office browser must not keep
    them (no-store, also over a handler's own header); the static style sheet may be cached."""
    sid, h = api.sent["submission_id"], api.headers["operator"]
    for path in (f"/api/v1/submissions/{sid}", f"/api/v1/submissions/{sid}/workbook", "/api/v1/nope"):
        r = api.client.get(path, headers=h)
        assert r.headers["cache-control"] == "no-store" and r.headers["pragma"] == "no-cache", path
    page = TestClient(api.app)
    token = h["Authorization"].removeprefix("Bearer ")
    assert page.post("/masuk", data={"token": token}, follow_redirects=False).headers["cache-control"] == "no-store"
    assert page.get(f"/hasil/{sid}").headers["cache-control"] == "no-store"
    assert "no-store" not in page.get("/static/style.css").headers.get("cache-control", "")


def test_an_internal_error_on_a_page_is_a_page(api, monkeypatch):
    """A person's browser gets the error page in Indonesian, not the JSON envelope, and no details."""
    from fastapi.testclient import TestClient

    from api import lookups

    def broken(store, nik, *_):
        raise RuntimeError(f"kueri gagal untuk {nik}")

    monkeypatch.setattr(lookups, "story_rows", broken)
    c = TestClient(api.app, raise_server_exceptions=False)
    token = api.headers["council"]["Authorization"].removeprefix("Bearer ")
    assert c.post("/masuk", data={"token": token}, follow_redirects=False).status_code == 303
    r = c.post("/telusur", data={"nik": "1271171404511017"}, headers={"Accept": "text/html"})
    assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")
    assert "1271171404511017" not in r.text and "RuntimeError" not in r.text and "server" in r.text
