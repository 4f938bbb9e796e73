"""The newcomer's path in a real browser (Debian's chromium, driven by Playwright) against the real
server: an operator uploads the messy sample, sees the rejected rows, downloads the return
workbook; a council member looks up a NIK.

Skipped only when no browser exists here (no /usr/bin/chromium, or playwright not installed);
`.ci/run` installs chromium. Never `playwright install`: it downloads browsers."""

from __future__ import annotations

import io
import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "lists" / "pkh_medan_baru_berantakan.xlsx"

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(sync_playwright is None, reason="playwright is not installed (pip install -e '.[dev]')"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"no browser: {CHROMIUM} missing (apt-get install chromium; .ci/run does it)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The demo setup (registry, one account per role) served by uvicorn; the messy sample already sent
    for an earlier period, so the council test has a story to read whatever runs first."""
    import uvicorn

    from api import demo
    from api.app import create_app

    folder = tmp_path_factory.mktemp("browser")
    accounts = demo.setup(folder, sent=[("Operator Medan Baru", SAMPLE, "pkh", "2025-T4")])
    tokens = {role: token for _, role, _, token in reversed(accounts)}  # the first account of each role
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(*demo.paths(folder)), host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.05)
    yield {"url": f"http://127.0.0.1:{port}", "tokens": tokens, "folder": folder}
    srv.should_exit = True
    thread.join(30)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def log_in(browser, server, role: str):
    page = browser.new_context(accept_downloads=True, viewport={"width": 1366, "height": 900}).new_page()
    page.set_default_timeout(60_000)
    page.goto(server["url"] + "/")
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    page.get_by_label("Token").fill(server["tokens"][role])
    page.get_by_role("button", name="Masuk").click()
    return page


def test_operator_uploads_the_messy_sample_and_downloads_the_workbook(browser, server, tmp_path):
    import openpyxl

    page = log_in(browser, server, "operator")
    expect(page.get_by_role("heading", name="Kirim daftar penerima")).to_be_visible()
    page.get_by_label("Berkas daftar").set_input_files(str(SAMPLE))
    page.get_by_label("Program").select_option("pkh")
    page.get_by_label("Periode").fill("2026-T1")
    page.get_by_role("button", name="Kirim dan periksa").click()
    # The job page's script follows the job and opens the results when it is done.
    page.wait_for_url("**/hasil/*")
    expect(page.get_by_role("heading", name="Hasil pemeriksaan")).to_be_visible()
    rejected = page.locator("tr.st-rejected")
    expect(rejected.first).to_be_visible()
    assert rejected.count() >= 10
    expect(page.get_by_text("FAJAR MUNTHE")).to_be_visible()
    expect(page.get_by_text("tersimpan sebagai angka di Excel").first).to_be_visible()
    shot = Path(os.environ.get("BANSOS_SCREENSHOTS", tmp_path))
    shot.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot / "hasil.png"), full_page=True)

    page.get_by_label("Status").select_option("rejected")
    page.get_by_role("button", name="Saring").click()
    expect(page.locator("tr.st-accepted")).to_have_count(0)
    expect(rejected.first).to_be_visible()

    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh berkas kembali").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    sheet = openpyxl.load_workbook(io.BytesIO(target.read_bytes())).worksheets[0]
    header = next(r for r in sheet.iter_rows(values_only=True) if "STATUS" in r)
    assert {"STATUS", "KODE ALASAN", "ALASAN", "BARIS ASAL"} <= set(header)

    page.get_by_role("link", name="Riwayat pengajuan").click()
    expect(page.get_by_role("cell", name=SAMPLE.name)).to_have_count(2)  # 2025-T4 (fixture) and now 2026-T1
    page.context.close()


def test_council_looks_up_a_nik(browser, server):
    # FAJAR MUNTHE of the messy sample: account number damaged by Excel.
    page = log_in(browser, server, "council")
    expect(page.get_by_role("heading", name="Telusuri riwayat seseorang")).to_be_visible()
    page.get_by_label("NIK").fill("1271171404511017")
    page.get_by_role("button", name="Telusuri").click()
    story = page.locator("ol.story li").first
    expect(story).to_contain_text("diajukan Kecamatan Medan Baru")
    expect(story).to_contain_text("menunggu perbaikan dari kecamatan")
    expect(page.get_by_text("127117******1017")).to_be_visible()
    assert "1271171404511017" not in page.content()
    page.context.close()



def test_finance_decides_a_review_row_and_sees_it_counted(browser, server):
    # The messy sample sent for 2025-T4 by the fixture: one row the engine left for review.
    page = log_in(browser, server, "finance")
    expect(page.get_by_role("heading", name="Ringkasan per kecamatan")).to_be_visible()
    page.locator("tr", has_text="2025-T4").get_by_role("link", name="rincian").first.click()
    expect(page.get_by_role("heading", name="Rincian pengajuan")).to_be_visible()
    expect(page.get_by_role("link", name="Unduh daftar diterima (.xlsx)")).to_be_visible()
    accepted = page.locator("#jumlah-diterima span")
    decided = page.locator("#jumlah-diputuskan span")
    before = int(accepted.inner_text().replace(".", ""))
    expect(decided).to_have_text("0")
    row = page.locator("table.decide tbody tr").first
    row.get_by_label("terima").check()
    row.get_by_role("textbox").fill("KTP asli sudah dilihat di kantor")
    row.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_role("status").filter(has_text="tersimpan")).to_be_visible()
    expect(decided).to_have_text("1")
    expect(accepted).to_have_text(f"{before + 1:,}".replace(",", "."))
    expect(page.locator("table.decide")).to_contain_text("Diterima oleh Keuangan")
    expect(page.locator("table.decide")).to_contain_text("KTP asli sudah dilihat di kantor")
    page.context.close()


def _fits(page) -> bool:
    """The page is no wider than the screen (nothing to scroll sideways to find a column or a button)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_pages_fit_a_phone_screen(browser, server):
    """Operators and finance open the pages on a phone (390 px): the rows of a list become cards
    whose reason is read beside the row, the download button is whole, and no page is wider than
    the screen."""
    page = log_in(browser, server, "operator")
    page.set_viewport_size({"width": 390, "height": 900})
    page.get_by_role("link", name="Riwayat pengajuan").click()
    page.locator("tr", has_text=SAMPLE.name).get_by_role("link", name="hasil").first.click()
    expect(page.get_by_role("heading", name="Hasil pemeriksaan")).to_be_visible()
    assert _fits(page)
    button = page.get_by_role("link", name="Unduh berkas kembali").bounding_box()
    assert button["x"] >= 0 and button["x"] + button["width"] <= 390
    reason = page.locator("tr.st-rejected td[data-label=Alasan]").first.bounding_box()
    assert reason["x"] >= 0 and reason["x"] + reason["width"] <= 390
    page.context.close()
    page = log_in(browser, server, "finance")
    page.set_viewport_size({"width": 390, "height": 900})
    for path in ("/keuangan", "/keuangan/batch", "/telusur"):
        page.goto(server["url"] + path)
        assert _fits(page), path
    page.context.close()
