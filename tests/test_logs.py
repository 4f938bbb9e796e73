"""The access log holds no ID in any form the look-up accepts: tabs, no-break spaces, mixed or
doubled separators, percent-encoded digits; query values are not logged at all, paths are masked."""

from __future__ import annotations

import logging
import re
import socket

import pytest
from uvicorn.protocols.utils import get_path_with_query_string

from api.accounts import create_user
from api.app import create_app
from api.logs import MaskNik, mask_target
from tests.test_privacy import debug_log, serve  # noqa: F401  (debug_log is a fixture)
from validator.store import Store

NIK = "1271174704890013"
# Raw query strings as a client sends them (the look-up takes each as the NIK above, or refuses it
# only after uvicorn has logged it).
BYPASSES = [
    "nik=1271%091747%090489%090013",  # tab
    "nik=1271%C2%A01747%C2%A00489%C2%A00013",  # no-break space
    "nik=1271%201747.0489-0013",  # mixed separators
    "nik=1271..1747..0489..0013",  # doubled separators
    "nik=127117%20%20470489%20%200013",  # two spaces between pieces
    "nik=%31%32%37%31%31%37%34%37%30%34%38%39%30%30%31%33",  # percent-encoded digits
    "nik=%2531%2532%2537%2531%2531%2537%2534%2537%2530%2534%2538%2539%2530%2530%2531%2533",  # twice
    "nik=1271+1747+0489+0013",
    "nik=" + NIK,
    "NIK=" + NIK + "&nik=" + NIK,
    NIK,  # a bare key
    "x=1&" + NIK + "=1",
]


def exposed(text: str) -> bool:
    """Does the text hold 8 or more of the NIK's digits in order, whatever lies between them?"""
    digits = "".join(re.findall(r"\d", text))
    return any(NIK[i:i + 8] in digits for i in range(len(NIK) - 7))


def access_line(path: str, query: str) -> str:
    """The line uvicorn's access log writes for this request, after the mask."""
    scope = {"path": path, "query_string": query.encode("ascii")}
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", get_path_with_query_string(scope), "1.1", 200), None)
    MaskNik().filter(record)
    return record.getMessage()


@pytest.mark.parametrize("query", BYPASSES)
def test_access_log_hides_every_form_of_a_nik(query):
    line = access_line("/api/v1/lookup", query)
    assert not exposed(line), line
    assert line.startswith('127.0.0.1:5000 - "GET /api/v1/lookup?') and line.endswith('HTTP/1.1" 200')


@pytest.mark.parametrize("path", [
    f"/api/v1/submissions/{NIK}", "/api/v1/submissions/1271\t1747\t0489\t0013/workbook",
    "/api/v1/submissions/1271\xa01747\xa00489\xa00013", "/x/1271 1747.0489-0013", "/x/1271..1747..0489..0013",
    "/x/127117  470489  0013", f"/x/abc{NIK}def", "/x/%31%32%37%31%31%37%34%37%30%34%38%39%30%30%31%33",
])
def test_paths_are_masked_too(path):
    line = access_line(path, "")
    assert not exposed(line), line


def test_log_keeps_what_is_useful():
    # Paging and filters stay readable; ids keep their digits; a decoded newline cannot forge a line.
    assert mask_target("/api/v1/submissions/3f2a8b1234567c9d?status=review&page=2&per_page=100&code=NIK_GANDA") \
        == "/api/v1/submissions/3f2a8b1234567c9d?status=review&page=2&per_page=100&code=NIK_GANDA"
    assert mask_target("/api/v1/batches/pkh_2026-03_v1/summary") == "/api/v1/batches/pkh_2026-03_v1/summary"
    assert mask_target("/api/v1/finance/overview?program=pkh&period=2026-T1") \
        == "/api/v1/finance/overview?program=pkh&period=2026-T1"
    # A name is personal data too; a safe key with an ID in it is hidden all the same.
    assert mask_target("/api/v1/lookup/by-name?nama=SITI+AMINAH&kecamatan=12.71.17") \
        == "/api/v1/lookup/by-name?nama=***&kecamatan=***"
    assert mask_target(f"/api/v1/finance/overview?program={NIK}&period=") \
        == "/api/v1/finance/overview?program=***&period="
    assert "\n" not in mask_target("/x%0A127.0.0.1 - \"GET /forged HTTP/1.1\" 200")


def test_real_server_access_log(tmp_path, debug_log):  # noqa: F811
    """uvicorn itself, the raw request lines sent byte for byte (an HTTP client would re-encode them)."""
    store_path = tmp_path / "riwayat.duckdb"
    with Store(store_path) as db:
        token = create_user(db, "Anggota DPRD", "council")[1]
    srv, thread, url = serve(create_app(store_path, tmp_path / "data"))
    port = int(url.rsplit(":", 1)[1])
    try:
        for query in BYPASSES[:6]:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
                s.sendall(f"GET /api/v1/lookup?{query} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                          "Connection: close\r\n\r\n".encode("ascii"))
                answer = b""
                while chunk := s.recv(65536):
                    answer += chunk
            assert answer.startswith(b"HTTP/1.1 200"), answer[:200]  # each form is a look-up the API accepts
    finally:
        srv.should_exit = True
        thread.join(30)
    log = debug_log.getvalue()
    assert log.count("GET /api/v1/lookup?nik=*** HTTP/1.1") == 6, log
    assert not exposed(log), [line for line in log.splitlines() if exposed(line)]
