"""The web pages: login with a token and a session cookie, role pages in Indonesian, the public catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.accounts import create_user
from api.app import create_app
from validator.rulebook import load_rules
from validator.store import Store

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "lists" / "pkh_medan_baru_berantakan.xlsx"
ACCOUNTS = {"operator": ("Operator Medan Baru", "operator", "12.71.17"),
            "other_operator": ("Operator Medan Sunggal", "operator", "12.71.02"),
            "finance": ("Keuangan Dinsos", "finance", None), "council": ("Anggota DPRD", "council", None),
            "admin": ("Admin", "admin", None)}


class Site:
    def __init__(self, tmp: Path):
        store = tmp / "riwayat.duckdb"
        with Store(store) as db:
            self.tokens = {key: create_user(db, *account)[1] for key, account in ACCOUNTS.items()}
        self.app = create_app(store, tmp / "data")

    def client(self, role: str | None = None) -> TestClient:
        """A browser of its own (cookie jar) on the running app, logged in as `role`."""
        c = TestClient(self.app)
        if role:
            r = c.post("/masuk", data={"token": self.tokens[role]}, follow_redirects=False)
            assert r.status_code == 303 and "bansos_sesi" in r.cookies
        return c


def wait_done(client: TestClient, job_id: str, timeout: float = 60) -> dict:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(f"/pekerjaan/{job_id}/keadaan").json()
        if state["state"] in ("done", "failed"):
            return state
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {state}")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    s = Site(tmp_path_factory.mktemp("pages"))
    with TestClient(s.app):  # runs the lifespan: store open, worker started
        op = s.client("operator")
        r = op.post("/unggah", files={"file": (SAMPLE.name, SAMPLE.read_bytes())},
                    data={"program": "pkh", "period": "2026-T1"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/pekerjaan/")
        s.job_id = r.headers["location"].rsplit("/", 1)[1]
        state = wait_done(op, s.job_id)
        assert state["state"] == "done", state
        s.sid = state["submission_id"]
        yield s


def _next_of(response) -> str:
    from urllib.parse import parse_qs, urlsplit

    location = urlsplit(response.headers["location"])
    assert location.path == "/masuk"
    return parse_qs(location.query)["next"][0]


def test_pages_without_login_redirect_to_login(site):
    c = site.client()
    for path in ("/unggah", "/riwayat", f"/hasil/{site.sid}", f"/hasil/{site.sid}/berkas", "/telusur", "/keuangan",
                 f"/keuangan/pengajuan/{site.sid}", "/admin/akun", "/admin/impor", "/admin/penelusuran"):
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 303 and _next_of(r) == path, path
    # A results filter survives the login.
    r = c.get(f"/hasil/{site.sid}?status=rejected&code=NIK_EXCEL", follow_redirects=False)
    assert _next_of(r) == f"/hasil/{site.sid}?status=rejected&code=NIK_EXCEL"
    assert c.get("/", follow_redirects=False).headers["location"] == "/masuk"
    assert "Tempel token" in c.get("/masuk").text


def test_wrong_token_is_refused_in_indonesian(site):
    r = site.client().post("/masuk", data={"token": "bukan-token"}, follow_redirects=False)
    assert r.status_code == 401 and "Token tidak dikenal" in r.text and "bansos_sesi" not in r.cookies


def test_login_goes_back_to_the_page_asked_for_and_logout_ends_the_session(site):
    c = site.client()
    r = c.post("/masuk", data={"token": site.tokens["operator"], "next": "/riwayat"}, follow_redirects=False)
    assert r.headers["location"] == "/riwayat"
    # Only a path on this site, never another host.
    r = c.post("/masuk", data={"token": site.tokens["operator"], "next": "//evil.example"}, follow_redirects=False)
    assert r.headers["location"] == "/unggah"
    copied = c.cookies["bansos_sesi"]
    assert c.post("/keluar", follow_redirects=False).headers["location"] == "/masuk"
    assert c.get("/riwayat", follow_redirects=False).status_code == 303
    # The cookie copied before logging out opens nothing afterwards: the session ended in the store.
    thief = site.client()
    thief.cookies.set("bansos_sesi", copied)
    assert thief.get("/riwayat", follow_redirects=False).status_code == 303
    # Another login's session stays open.
    other = site.client("operator")
    assert other.get("/riwayat", follow_redirects=False).status_code == 200


def test_session_cookie_is_signed(site):
    value = site.client("operator").cookies["bansos_sesi"]
    good, forged = site.client(), site.client()
    good.cookies.set("bansos_sesi", value)
    forged.cookies.set("bansos_sesi", value[:-3] + ("xyz" if not value.endswith("xyz") else "abc"))
    assert good.get("/riwayat", follow_redirects=False).status_code == 200
    assert forged.get("/riwayat", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(("role", "home"), [("operator", "/unggah"), ("finance", "/keuangan"),
                                            ("council", "/telusur"), ("admin", "/admin/akun")])
def test_each_role_lands_on_its_page(site, role, home):
    assert site.client(role).get("/", follow_redirects=False).headers["location"] == home


def test_upload_page_lists_the_programs(site):
    text = site.client("operator").get("/unggah").text
    # No program is chosen for the operator: a PKH list must not go out as the first one listed.
    assert '<option value="" selected disabled>— pilih program —</option>' in text
    assert "Kirim daftar penerima" in text and "Medan Baru (12.71.17)" in text
    for program in load_rules().programs.values():
        assert f'value="{program.id}"' in text


def test_upload_with_a_bad_period_says_why(site):
    r = site.client("operator").post("/unggah", files={"file": ("a.csv", b"NIK\n1")},
                                     data={"program": "pkh", "period": "../../"})
    assert r.status_code == 422 and "Periode tidak sah" in r.text


def test_job_page_shows_progress_and_links_the_result(site):
    text = site.client("operator").get(f"/pekerjaan/{site.job_id}").text
    assert "Pemeriksaan daftar" in text and 'role="progressbar"' in text and "/static/job.js" in text
    assert f"/hasil/{site.sid}" in text and "selesai" in text


def test_results_page_lists_rejected_rows_with_reasons(site):
    c = site.client("operator")
    text = c.get(f"/hasil/{site.sid}").text
    assert "Hasil pemeriksaan" in text and "Program Keluarga Harapan" in text
    assert "Unduh berkas kembali" in text and f"/hasil/{site.sid}/berkas" in text
    assert re.search(r"<span>14</span>ditolak", text)
    assert "FAJAR MUNTHE" in text and "tersimpan sebagai angka di Excel" in text
    only_code = c.get(f"/hasil/{site.sid}?code=NIK_EXCEL").text
    assert only_code.count('class="finding') >= 5 and "FAJAR MUNTHE" not in only_code
    accepted = c.get(f"/hasil/{site.sid}?status=accepted").text
    assert "tidak ada temuan" in accepted and 'class="badge rejected"' not in accepted
    # The rows set aside are listed with their reason, and the code filter names each code.
    assert "Baris yang dilewati, bukan data penerima (14)" in text and "blok tanda tangan" in text
    assert f"NIK_EXCEL — {load_rules().catalog['NIK_EXCEL'].title_id} (5)" in text
    # Each code says what the kecamatan must do, with the program's values filled in.
    assert "Yang harus dilakukan: Format kolom NIK sebagai Teks, lalu ketik ulang NIK dari KTP/KK." in text
    assert "{" not in re.sub(r"<style.*?</style>|<script.*?</script>", "", text, flags=re.S).split("Yang harus")[1][:400]


def test_results_page_shows_the_lists_warnings_and_a_failed_file_goes_to_its_job(site):
    op = site.client("operator")
    csv_text = "NO,NIK,NAMA,BANK,NO REKENING,NOMINAL\n1,1271175708850001,SITI,BRI,123401000456503,600000\n"
    r = op.post("/unggah", files={"file": ("tanpa_kk.csv", csv_text.encode())},
                data={"program": "pkh", "period": "2026-T3"}, follow_redirects=False)
    job_id = r.headers["location"].rsplit("/", 1)[1]
    state = wait_done(op, job_id)
    page = op.get(f"/hasil/{state['submission_id']}").text
    assert "Peringatan" in page and "Kolom No. KK tidak ditemukan" in page
    drill = site.client("finance").get(f"/keuangan/pengajuan/{state['submission_id']}").text
    assert "Peringatan pada berkas ini" in drill and "Kolom No. KK tidak ditemukan" in drill
    r = op.post("/unggah", files={"file": ("rusak.xlsx", b"PK\x03\x04 bukan excel")},
                data={"program": "pkh", "period": "2026-T4"}, follow_redirects=False)
    job_id = r.headers["location"].rsplit("/", 1)[1]
    state = wait_done(op, job_id)
    assert state["state"] == "failed" and "Error" not in state["error"]["message"]
    r = op.get(f"/hasil/{state['submission_id']}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/pekerjaan/{job_id}"
    # The job page of a failed file: no bar that looks complete, no "this page updates itself".
    job_page = op.get(f"/pekerjaan/{job_id}").text
    assert re.search(r'class="bar"[^>]*\bhidden\b', job_page) and re.search(r'id="live-hint"[^>]*\bhidden\b', job_page)


def test_results_are_paged(site):
    c = site.client("operator")
    text = c.get(f"/hasil/{site.sid}?status=accepted&page=1").text
    rows = text.count('<tr class="st-accepted">')
    assert 0 < rows <= 50
    # A page past the last (an old link) shows the last page, not an empty one.
    past = c.get(f"/hasil/{site.sid}?status=accepted&page=99").text
    assert "Tidak ada baris" not in past and past.count('<tr class="st-accepted">') > 0


def test_download_of_the_return_workbook(site):
    r = site.client("operator").get(f"/hasil/{site.sid}/berkas")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxml")
    assert r.content[:2] == b"PK"
    # Named for what it is, for a Downloads folder full of them.
    assert f'filename="hasil_pkh_2026-T1_127117_{site.sid[:6]}.xlsx"' in r.headers["content-disposition"]


def test_other_kecamatan_cannot_open_the_result(site):
    c = site.client("other_operator")
    for path in (f"/hasil/{site.sid}", f"/hasil/{site.sid}/berkas", f"/pekerjaan/{site.job_id}"):
        r = c.get(path)
        assert r.status_code == 404 and "FAJAR" not in r.text, path
    r = c.get(f"/pekerjaan/{site.job_id}/keadaan")
    assert r.status_code == 404 and set(r.json()["error"]) == {"code", "message", "message_en"}
    assert site.sid not in c.get("/riwayat").text


def test_council_and_admin_cannot_open_results(site):
    for role in ("council", "admin"):
        assert site.client(role).get(f"/hasil/{site.sid}").status_code == 403
        r = site.client(role).get(f"/pekerjaan/{site.job_id}/keadaan")
        assert r.status_code == 403 and "state" not in r.json() and r.json()["error"]["code"] == "forbidden"


def test_history_lists_the_kecamatan_submissions(site):
    text = site.client("operator").get("/riwayat").text
    assert "Riwayat pengajuan" in text and f"/hasil/{site.sid}" in text and SAMPLE.name in text


def test_council_lookup_tells_the_story_and_is_recorded(site):
    c = site.client("council")
    assert "Telusuri riwayat" in c.get("/telusur").text
    r = c.post("/telusur", data={"nik": "1271171404511017"})
    assert r.status_code == 200
    assert "127117******1017" in r.text and "1271171404511017" not in r.text and "712049365" not in r.text
    assert "diajukan Kecamatan Medan Baru" in r.text
    assert "ditolak: nomor rekening rusak oleh format angka Excel" in r.text
    assert "menunggu perbaikan dari kecamatan" in r.text
    view = site.app.state.ctx.view()
    try:
        logged = view.con.execute("SELECT actor, nik_masked, channel FROM lookups WHERE actor = 'Anggota DPRD'").fetchall()
    finally:
        view.close()
    assert ("Anggota DPRD", "127117******1017", "web") in logged  # the page, not the API
    assert "NIK harus 16 angka" in c.post("/telusur", data={"nik": "123"}).text


def test_operator_cannot_look_up(site):
    assert site.client("operator").post("/telusur", data={"nik": "1271171404511017"}).status_code == 403


def test_finance_overview(site):
    text = site.client("finance").get("/keuangan").text
    assert "Ringkasan per kecamatan" in text and "Medan Baru (12.71.17)" in text and f"/hasil/{site.sid}" in text
    assert site.client("finance").get(f"/hasil/{site.sid}").status_code == 200


def test_public_catalogue_lists_every_program_and_code(site):
    r = site.client().get("/aturan")
    assert r.status_code == 200 and "Standar layanan" in r.text
    rules = load_rules()
    for program in rules.programs.values():
        assert program.name in r.text
        section = r.text.split(f'id="{program.id}"', 1)[1].split("</section>", 1)[0]
        for code in rules.catalog:
            assert (f"<code>{code}</code>" in section) == rules.enabled(program, code), (program.id, code)
    assert "{" not in r.text.split("<main>", 1)[1]  # every action template filled in


def test_static_assets_are_shipped(site):
    c = site.client()
    assert c.get("/static/style.css").status_code == 200
    assert c.get("/static/job.js").status_code == 200
    assert "http" not in c.get("/masuk").text.split("<body>", 1)[0].replace('http-equiv', '')  # no CDN


def test_demo_setup_makes_an_account_per_role_and_queues_the_samples(tmp_path, capsys):
    from api import demo

    accounts = demo.setup(tmp_path / "demo")
    assert {role for _, role, _, _ in accounts} == {"operator", "finance", "council", "admin"}
    assert ("Operator Medan Sunggal", "operator", "127102") in [a[:3] for a in accounts]
    demo.print_accounts(accounts, "http://127.0.0.1:8000/")
    printed = capsys.readouterr().out
    assert all(token in printed for *_, token in accounts)
    assert "kecamatan 12.71.02" in printed and f"a NIK to look up: {demo.sample_nik()}" in printed
    with Store(demo.paths(tmp_path / "demo")[0]) as db:
        assert db.has_registry() and db.has_exclusions()
        queued = db.con.execute("SELECT program, kecamatan, state FROM jobs ORDER BY program").fetchall()
    assert queued == [("bst", "127102", "queued"), ("pkh", "127117", "queued")]


def test_cells_of_the_list_are_escaped(site):
    """A name typed as HTML in the operator's file is shown as text, never run."""
    op = site.client("operator")
    csv = b"NIK,Nama,No Rekening\n123,<script>alert(1)</script>,abc\n"
    r = op.post("/unggah", files={"file": ("xss.csv", csv)}, data={"program": "pkh", "period": "2026-05"},
                follow_redirects=False)
    state = wait_done(op, r.headers["location"].rsplit("/", 1)[1])
    text = op.get(f"/hasil/{state['submission_id']}").text.lower()  # the engine upper-cases names
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>alert" not in text


def _review_row(site) -> int:
    view = site.app.state.ctx.view()
    try:
        return view.con.execute("SELECT min(row) FROM row_results WHERE submission_id = ? AND status = 'review'",
                                [site.sid]).fetchone()[0]
    finally:
        view.close()


def _count(text: str, element_id: str) -> int:
    return int(re.search(rf'id="{element_id}"><span>([\d.]+)</span>', text)[1].replace(".", ""))


def test_finance_drill_down_lists_reasons_and_review_rows(site):
    c = site.client("finance")
    assert f"/keuangan/pengajuan/{site.sid}" in c.get("/keuangan").text
    text = c.get(f"/keuangan/pengajuan/{site.sid}").text
    assert "Rincian pengajuan" in text and "Medan Baru (12.71.17)" in text
    assert "<code>NIK_EXCEL</code>" in text and "Baris yang menunggu keputusan keuangan" in text
    assert f'id="baris-{_review_row(site)}"' in text and 'name="decision" value="accepted"' in text
    assert f"/keuangan/pengajuan/{site.sid}/diterima.xlsx" in text and "diterima.csv" in text
    by_code = c.get(f"/keuangan/pengajuan/{site.sid}?kode=nik_excel").text
    assert "Baris dengan kode <code>NIK_EXCEL</code>" in by_code and "tersimpan sebagai angka di Excel" in by_code
    assert "tidak perlu keputusan" in by_code  # rejected rows get no decide form


def test_finance_decides_on_the_page_and_sees_it_counted(site):
    c = site.client("finance")
    row = _review_row(site)
    before = c.get(f"/keuangan/pengajuan/{site.sid}").text
    r = c.post(f"/keuangan/pengajuan/{site.sid}/baris/{row}", data={"decision": "accepted", "note": "KTP asli dilihat"},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/keuangan/pengajuan/{site.sid}?done={row}")
    after = c.get(r.headers["location"]).text
    assert "Keputusan untuk baris" in after and "Diterima oleh <strong>Keuangan Dinsos</strong>" in after
    assert "KTP asli dilihat" in after
    assert _count(after, "jumlah-diterima") == _count(before, "jumlah-diterima") + 1
    assert _count(after, "jumlah-diputuskan") == _count(before, "jumlah-diputuskan") + 1
    csv_text = c.get(f"/keuangan/pengajuan/{site.sid}/diterima.csv").content.decode("utf-8-sig")
    assert f"\r\n{row}," in csv_text and "NO REKENING" in csv_text.splitlines()[0]
    xlsx = c.get(f"/keuangan/pengajuan/{site.sid}/diterima.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    rejected_row = int(re.search(r'<tr id="baris-(\d+)" class="st-rejected', c.get(
        f"/keuangan/pengajuan/{site.sid}?kode=NIK_EXCEL").text)[1])
    refused = c.post(f"/keuangan/pengajuan/{site.sid}/baris/{rejected_row}", data={"decision": "accepted"})
    assert refused.status_code == 409 and "dapat diputuskan keuangan" in refused.text


@pytest.mark.parametrize("role", ["operator", "other_operator", "council", "admin"])
def test_finance_pages_refuse_other_roles(site, role):
    c = site.client(role)
    for path in (f"/keuangan/pengajuan/{site.sid}", f"/keuangan/pengajuan/{site.sid}/diterima.csv",
                 f"/keuangan/pengajuan/{site.sid}/diterima.xlsx"):
        r = c.get(path)
        assert r.status_code == 403 and "keuangan Dinas Sosial" in r.text, path
    r = c.post(f"/keuangan/pengajuan/{site.sid}/baris/{_review_row(site)}", data={"decision": "rejected"})
    assert r.status_code == 403


def test_finance_drill_down_of_an_unknown_submission(site):
    c = site.client("finance")
    assert c.get("/keuangan/pengajuan/tidakada").status_code == 404
    assert c.get("/keuangan/pengajuan/tidakada/diterima.csv").status_code == 404
    assert c.get(f"/keuangan/pengajuan/{site.sid}/diterima.pdf").status_code == 404


def test_admin_adds_a_user_sees_the_token_once_and_disables_it(site):
    c = site.client("admin")
    assert "Tambah akun" in c.get("/admin/akun").text and "Operator Medan Baru" in c.get("/admin/akun").text
    r = c.post("/admin/akun", data={"name": "Operator Sementara", "role": "operator", "kecamatan": "12.71.17"})
    assert r.status_code == 200 and "tidak dapat ditampilkan lagi" in r.text
    token = re.search(r'<code id="token-baru">([^<]+)</code>', r.text)[1]
    assert token not in c.get("/admin/akun").text  # shown once, never again
    newcomer = site.client()
    assert newcomer.post("/masuk", data={"token": token}, follow_redirects=False).status_code == 303
    assert newcomer.get("/unggah").status_code == 200
    made = re.search(r'action="/admin/akun/([0-9a-f]+)/nonaktif"[^>]*>\s*<button[^>]*aria-label="Nonaktifkan '
                     r'Operator Sementara"', c.get("/admin/akun").text)[1]
    page = c.get("/admin/akun").text
    # The browser asks before disabling (static/confirm.js reads data-confirm).
    assert 'data-confirm="Nonaktifkan akun Operator Sementara?' in page and "/static/confirm.js" in page
    assert "data-confirm" in c.get("/static/confirm.js").text
    r = c.post(f"/admin/akun/{made}/nonaktif", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/admin/akun?nonaktif=")
    assert "dinonaktifkan" in c.get(r.headers["location"]).text
    assert newcomer.get("/unggah", follow_redirects=False).status_code == 303  # the session ends at once
    refused = c.post("/admin/akun", data={"name": "Tanpa Kecamatan", "role": "operator"})
    assert refused.status_code == 422 and "kecamatan" in refused.text.lower()
    assert c.post("/admin/akun/tidakada/nonaktif").status_code == 404


def test_admin_imports_registry_and_exclusions_on_the_page(tmp_path):
    scenario = Path(__file__).resolve().parents[1] / "sample_data" / "scenario"
    s = Site(tmp_path)
    with TestClient(s.app):
        c = s.client("admin")
        assert "Impor registri" in c.get("/admin/impor").text
        r = c.post("/admin/impor/registri", files={"file": ("dtks.csv", (scenario / "dtks.csv").read_bytes())})
        assert r.status_code == 200 and "berhasil diimpor" in r.text, r.text[-2000:]
        r = c.post("/admin/impor/pengecualian",
                   files={"file": ("pengecualian.csv", (scenario / "pengecualian.csv").read_bytes())})
        assert r.status_code == 200 and "Daftar pengecualian berhasil diimpor" in r.text
        bad = c.post("/admin/impor/registri", files={"file": ("kosong.csv", b"")})
        assert bad.status_code >= 400 and "Ekstrak DTKS/DTSEN:" in bad.text
        assert c.post("/admin/impor/lainnya", files={"file": ("a.csv", b"x")}).status_code == 404


def test_admin_reads_the_lookup_audit(site):
    site.client("council").post("/telusur", data={"nik": "1271171404511017"})
    site.client("council").post("/telusur/nama", data={"nama": "Tidak Ada Orang", "kecamatan": "12.71.17"})
    text = site.client("admin").get("/admin/penelusuran").text
    assert "Catatan penelusuran" in text and "127117******1017" in text and "Anggota DPRD" in text
    assert "penelusuran NIK (halaman web)" in text and "nama T*** A*** O***, kecamatan 127117" in text
    assert "Tidak Ada Orang" not in text
    assert "1271171404511017" not in text
    assert site.client("admin").get("/admin/penelusuran?page=999999999999").status_code == 200


@pytest.mark.parametrize("role", ["operator", "finance", "council"])
def test_admin_pages_refuse_other_roles(site, role):
    c = site.client(role)
    for path in ("/admin/akun", "/admin/impor", "/admin/penelusuran"):
        r = c.get(path)
        assert r.status_code == 403 and "admin Dinas Sosial" in r.text, path
    assert c.post("/admin/akun", data={"name": "X", "role": "admin"}).status_code == 403
    assert c.post("/admin/akun/x/nonaktif").status_code == 403
    assert c.post("/admin/impor/registri", files={"file": ("a.csv", b"x")}).status_code == 403
    assert "/admin/akun" not in c.get("/aturan").text  # no admin links in the menu either


def test_council_looks_up_by_name_and_kecamatan(site):
    c = site.client("council")
    r = c.post("/telusur/nama", data={"nama": "h. fajar munthe", "kecamatan": "Medan Baru"})
    assert r.status_code == 200
    assert "FAJAR MUNTHE" in r.text and "127117******1017" in r.text and "1271171404511017" not in r.text
    assert "712049365" not in r.text and "menunggu perbaikan dari kecamatan" in r.text
    nobody = c.post("/telusur/nama", data={"nama": "Tidak Ada Orang", "kecamatan": "12.71.17"})
    assert "Tidak ada orang dengan nama ini" in nobody.text
    # A NIK typed into the name field is neither refilled nor shown whole.
    typed = c.post("/telusur/nama", data={"nama": "1271171404511017", "kecamatan": "12.71.17"})
    assert "1271171404511017" not in typed.text and "127117******1017" in typed.text
    bad = c.post("/telusur/nama", data={"nama": "fajar", "kecamatan": "Atlantis"})
    assert bad.status_code == 422 and "tidak dikenal" in bad.text
    view = site.app.state.ctx.view()
    try:
        logged = view.con.execute("SELECT nik_masked, search_masked FROM lookups WHERE channel = 'web-name'").fetchall()
    finally:
        view.close()
    # Recorded as the page's (not the API's), each with what was searched, the name masked.
    assert ("127117******1017", "nama h*** f*** m***, kecamatan 127117") in logged
    assert ("-", "nama T*** A*** O***, kecamatan 127117") in logged
    assert site.client("operator").post("/telusur/nama", data={"nama": "fajar", "kecamatan": "127117"}).status_code == 403


def test_name_form_quotes_and_refills_no_nik(site):
    c = site.client("council")
    nik = "1271171911750016"
    for data in ({"nama": "fajar", "kecamatan": nik}, {"nama": nik, "kecamatan": "Atlantis"},
                 {"nama": "fajar", "kecamatan": "1271 1719 1175 0016"}):
        r = c.post("/telusur/nama", data=data)
        assert r.status_code == 422 and nik not in r.text and "1175 0016" not in r.text, r.text
    r = c.post("/telusur/nama", data={"nama": "fajar", "kecamatan": "Atlantis"})
    assert 'value="fajar"' in r.text and 'value="Atlantis"' in r.text  # an honest typo comes back to fix


def test_council_story_tells_the_finance_decision(site):
    row = _review_row(site)
    r = site.client("finance").post(f"/keuangan/pengajuan/{site.sid}/baris/{row}",
                                    data={"decision": "rejected", "note": "rekening bukan atas nama penerima"})
    assert r.status_code == 200  # followed back to the drill-down
    view = site.app.state.ctx.view()
    try:
        nik = view.con.execute("SELECT nik FROM row_results WHERE submission_id = ? AND row = ?", [site.sid, row]).fetchone()[0]
    finally:
        view.close()
    text = site.client("council").post("/telusur", data={"nik": nik}).text
    assert "keputusan Dinas Sosial" in text and "ditolak setelah pemeriksaan Dinas Sosial" in text
    assert "rekening bukan atas nama" not in text and nik not in text


def test_a_browser_gets_errors_as_pages_and_clients_get_the_envelope(site):
    """A person sees an Indonesian page, never raw JSON; API clients keep the envelope."""
    op = site.client("operator")
    html = {"Accept": "text/html,application/xhtml+xml"}
    r = op.get("/tidak-ada-halaman-ini", headers=html)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "Tidak ditemukan" in r.text
    big = b"x" * 64
    r = op.post("/unggah", headers={**html, "Content-Length": str(10**10)}, content=big)
    assert r.status_code == 413 and r.headers["content-type"].startswith("text/html")
    assert "200 MB" in r.text or "MB" in r.text
    r = op.get("/api/v1/submissions/tidak-ada", headers=html)  # the API wants a bearer token
    assert r.status_code == 401 and r.json()["error"]["code"]
    r = op.get("/tidak-ada-halaman-ini")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_a_resent_list_says_what_changed_since_the_list_it_replaced(site):
    """The operator fixes a row and sends the list again: the new results page says how many rows
    were fixed, still fail, fail anew, were added or removed, and which rows; a page past the last
    shows the last."""
    op = site.client("operator")
    head = "NIK,No KK,Nama,Tanggal Lahir,Jenis Kelamin,Bank,No Rekening,Nominal\n"
    good = "1271175506800001,1271170101100001,SITI AMINAH,15-06-1980,P,BRI,300201000123507,600000\n"
    bad = "1271171506750002,1271170101100002,BUDI SANTOSO,15-06-1975,L,BRI,12345,600000\n"
    gone = "1271176102900003,1271170101100003,ANI LUBIS,21-02-1990,P,BRI,300201000123509,600000\n"

    def send(body: str) -> str:
        r = op.post("/unggah", files={"file": ("daftar.csv", (head + body).encode())},
                    data={"program": "pkh", "period": "2026-T4"}, follow_redirects=False)
        return wait_done(op, r.headers["location"].rsplit("/", 1)[1])["submission_id"]

    first = send(good + bad + gone)
    assert 'id="diff"' not in op.get(f"/hasil/{first}").text
    again = send(good + bad.replace(",12345,", ",300201000123508,"))
    page = op.get(f"/hasil/{again}?status=accepted").text
    assert 'id="diff"' in page and "1 diperbaiki" in page and "0 baru bermasalah" in page and "1 dihapus" in page
    assert "Diperbaiki: baris 3" in page and "Dihapus: baris 4 (nomor baris di daftar sebelumnya)" in page
    last = op.get(f"/hasil/{again}?status=accepted&page=9").text
    assert "SITI AMINAH" in last and "Tidak ada baris untuk saringan ini" not in last


def test_an_error_page_keeps_the_signed_in_header(site):
    """A request the app refuses before the page runs (a malformed query) is an error page; the
    operator still sees their name and Keluar, not a page that looks logged out."""
    op = site.client("operator")
    r = op.get(f"/hasil/{site.sid}?page=abc", headers={"Accept": "text/html"})
    assert r.status_code == 422 and "<html" in r.text
    assert "Operator Medan Baru" in r.text and "/keluar" in r.text
    anonymous = site.client().get(f"/hasil/{site.sid}?page=abc", headers={"Accept": "text/html"})
    assert "Operator Medan Baru" not in anonymous.text


def test_logging_in_and_out_does_not_wait_for_a_long_write(site):
    """A registry import holds the store's write lock for a minute: logging in and out must not
    wait for it (page sessions have a lock of their own)."""
    import threading

    lock = site.app.state.ctx.write_lock
    held, release = threading.Event(), threading.Event()

    def importing():
        with lock:
            held.set()
            release.wait(30)

    t = threading.Thread(target=importing)
    t.start()
    assert held.wait(10)
    done = {}

    def log_in_and_out():
        c = site.client("operator")
        done["out"] = c.post("/keluar", follow_redirects=False).status_code

    try:
        worker = threading.Thread(target=log_in_and_out)
        worker.start()
        worker.join(15)
        assert done.get("out") == 303, "logging in or out waited for the store's write lock"
    finally:
        release.set()
        t.join()


def test_a_form_posted_from_another_site_is_refused_the_login_too(tmp_path):
    """Login CSRF: a hostile page posting the attacker's token to /masuk would sign a real operator
    into the attacker's account. A browser names the sending page in Origin; another site's is
    refused (403, a page in Indonesian); this server's own, and a client sending none, pass."""
    from fastapi.testclient import TestClient
    from test_api import Api

    a = Api(tmp_path)
    token = a.headers["operator"]["Authorization"].removeprefix("Bearer ")
    with TestClient(a.app) as c:
        evil = c.post("/masuk", data={"token": token}, headers={"Origin": "https://evil.example", "Accept": "text/html"},
                      follow_redirects=False)
        assert evil.status_code == 403 and "dikirim dari situs lain" in evil.text and "bansos_sesi" not in evil.headers.get("set-cookie", "")
        api = c.post("/api/v1/status", json={"nik": "1271171404511017", "tanggal_lahir": "1951-04-14"},
                     headers={"Origin": "null"})
        assert api.status_code == 403 and api.json()["error"]["code"] == "cross_site"
        own = c.post("/masuk", data={"token": token}, headers={"Origin": "http://testserver"}, follow_redirects=False)
        assert own.status_code == 303 and "bansos_sesi" in own.headers.get("set-cookie", "")
        proxied = c.post("/masuk", data={"token": token}, follow_redirects=False,
                         headers={"Origin": "https://bansos.dinsos.example", "X-Forwarded-Host": "bansos.dinsos.example"})
        assert proxied.status_code == 303
        assert c.post("/masuk", data={"token": token}, follow_redirects=False).status_code == 303  # no Origin: a script
        # A proxy writing the default port into Host, or rewriting Host altogether: a browser's own
        # Sec-Fetch-Site says same-origin, and the default port is the same port.
        assert c.post("/masuk", data={"token": token}, follow_redirects=False,
                      headers={"Origin": "https://bansos.example", "Host": "bansos.example:443"}).status_code == 303
        assert c.post("/masuk", data={"token": token}, follow_redirects=False,
                      headers={"Origin": "https://bansos.example", "Host": "127.0.0.1:8000",
                               "Sec-Fetch-Site": "same-origin"}).status_code == 303
        cross = c.post("/masuk", data={"token": token}, follow_redirects=False,
                       headers={"Origin": "http://testserver", "Sec-Fetch-Site": "cross-site"})
        assert cross.status_code == 403
        sibling = c.post("/masuk", data={"token": token}, follow_redirects=False,
                         headers={"Origin": "https://evil.pemkomedan.go.id", "Host": "bansos.pemkomedan.go.id",
                                  "Sec-Fetch-Site": "same-site"})
        assert sibling.status_code == 403  # another app of the same domain is another site here
