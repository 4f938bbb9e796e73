"""`bansos user add` and `bansos serve` (contracts §1)."""

from __future__ import annotations

import hashlib
import signal
import socket
import subprocess
import sys
import time

import duckdb
import httpx2
import pytest

BANSOS = [sys.executable, "-m", "validator.cli"]


def bansos(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*BANSOS, *args], capture_output=True, text=True, timeout=120)


def test_user_add_prints_the_token_last_and_stores_only_its_hash(tmp_path):
    db = tmp_path / "s.duckdb"
    r = bansos("user", "add", "--name", "Operator Medan Baru", "--role", "operator",
               "--kecamatan", "12.71.17", "--store", str(db))
    assert r.returncode == 0, r.stderr
    token = r.stdout.strip().splitlines()[-1]
    assert len(token) >= 40 and " " not in token
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT name, role, kecamatan, token_sha256, disabled FROM users").fetchall()
    assert rows == [("Operator Medan Baru", "operator", "127117",
                     hashlib.sha256(token.encode()).hexdigest(), False)]
    assert token not in str(con.execute("SELECT * FROM users").fetchall())


@pytest.mark.parametrize(("args", "needle"), [
    (["--role", "boss"], "Peran 'boss' tidak dikenal"),
    (["--role", "operator"], "harus punya kecamatan"),
    (["--role", "operator", "--kecamatan", "99.99.99"], "tidak dikenal"),
])
def test_user_add_mistakes_exit_2(tmp_path, args, needle):
    r = bansos("user", "add", "--name", "X", *args, "--store", str(tmp_path / "s.duckdb"))
    assert r.returncode == 2 and needle in r.stderr and "Traceback" not in r.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _store(path):
    """A store as `bansos user add` leaves it: `serve` refuses one that does not exist."""
    from validator.store import Store

    Store(path).close()
    return path


def test_serve_answers_with_openapi(tmp_path):
    port = _free_port()
    _store(tmp_path / "s.duckdb")
    proc = subprocess.Popen([*BANSOS, "serve", "--port", str(port), "--store", str(tmp_path / "s.duckdb")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx2.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2)
                break
            except httpx2.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read().decode()
                time.sleep(0.2)
        assert r.status_code == 200 and "/api/v1/status" in r.json()["paths"]
        missing = httpx2.get(f"http://127.0.0.1:{port}/api/v1/lookup?nik=1271171404511017", timeout=2)
        assert missing.status_code == 401 and missing.json()["error"]["code"] == "unauthorized"
        # Another command on the store the server holds is told so at once, not after 30 s of waiting.
        t0 = time.monotonic()
        r = bansos("history", "1271171404511017", "--store", str(tmp_path / "s.duckdb"))
        assert r.returncode == 2 and "sedang dipakai oleh server bansos" in r.stderr
        assert time.monotonic() - t0 < 20
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl+C: how a server is stopped
        log = proc.communicate(timeout=20)[0].decode()
    assert "lookup?nik=*** HTTP" in log and "1271171404511017" not in log  # access log: no query value
    assert proc.returncode == 0 and "Server dihentikan" in log and "Dibatalkan" not in log


def test_serve_needs_a_store(monkeypatch, tmp_path):
    monkeypatch.delenv("BANSOS_STORE", raising=False)
    r = bansos("serve")
    assert r.returncode == 2 and "BANSOS_STORE" in r.stderr and "Traceback" not in r.stderr
    # A mistyped path would start a new, empty store where every token is refused: told, nothing made.
    r = bansos("serve", "--store", str(tmp_path / "salah" / "riwayat.db"))
    assert r.returncode == 2 and "belum ada. Periksa jalur --store" in r.stderr and "bansos user add" in r.stderr
    assert not (tmp_path / "salah").exists()


@pytest.mark.parametrize("port", ["99999", "65536", "0", "-1"])
def test_serve_refuses_a_port_that_cannot_be(tmp_path, port):
    r = bansos("serve", "--store", str(_store(tmp_path / "s.duckdb")), "--port", port)
    assert r.returncode == 2 and "1 sampai 65535" in r.stderr and "internal" not in r.stderr.lower()


def test_a_port_in_use_is_told_before_anything_starts(tmp_path):
    """`bansos serve` and the demo (`make run`) on a port another program listens on: one line,
    in Indonesian first, saying how to pick another port, exit 2; the demo prints no tokens (they
    would open the other program's page) and leaves its folder alone."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        r = bansos("serve", "--store", str(_store(tmp_path / "s.duckdb")), "--port", str(port))
        assert r.returncode == 2 and f"Port {port} di 127.0.0.1 sudah dipakai" in r.stderr
        assert f"--port {port + 1}" in r.stderr and "Traceback" not in r.stderr
        demo = subprocess.run([sys.executable, "-m", "api.demo", "--port", str(port), "--dir", str(tmp_path / "demo")],
                              capture_output=True, text=True, timeout=120)
        assert demo.returncode == 2 and f"make run PORT={port + 1}" in demo.stderr
        assert "token" not in demo.stdout.lower() and not (tmp_path / "demo").exists()


def test_broken_rule_files_stop_the_server_with_their_problems_not_a_traceback(tmp_path, monkeypatch, capsys):
    """banks.yaml with a misspelt key: `bansos serve` and the demo stop before starting, listing the
    problem, exit 2; a broken program file alone lets the server start and is said on stderr."""
    import os
    import shutil
    from pathlib import Path

    rules = tmp_path / "rules"
    shutil.copytree(Path(__file__).resolve().parent.parent / "rules", rules)
    banks = rules / "banks.yaml"
    banks.write_text(banks.read_text(encoding="utf-8") + "  - name: BANK NAGARI\n    kode: ['118']\n", encoding="utf-8")
    env = os.environ | {"BANSOS_RULES": str(rules)}
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    r = subprocess.run([*BANSOS, "serve", "--store", str(_store(tmp_path / "s.duckdb")), "--port", str(port)],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert "(BANK NAGARI): kode: kunci tidak dikenal" in r.stderr
    demo = subprocess.run([sys.executable, "-m", "api.demo", "--port", str(port), "--dir", str(tmp_path / "demo")],
                          capture_output=True, text=True, timeout=120, env=env)
    assert demo.returncode == 2 and "Traceback" not in demo.stderr and "BANK NAGARI" in demo.stderr
    assert "token" not in demo.stdout.lower()

    from api.cli import check_rules

    shutil.copy(Path(__file__).resolve().parent.parent / "rules" / "banks.yaml", banks)
    (rules / "programs" / "lansia.yaml").write_text("id: lansia\nname: Lansia\n", encoding="utf-8")
    monkeypatch.setenv("BANSOS_RULES", str(rules))
    check_rules()
    said = capsys.readouterr().err
    assert "program 'lansia' tidak tersedia" in said and "version: wajib diisi" in said


@pytest.mark.parametrize("name,role,kecamatan,code", [
    ("Operator Medan Baru", "operator", "127117", "duplicate_name"),
    ("operator medan baru", "finance", None, "duplicate_name"),
    ("\u200b\u200b", "council", None, "bad_name"),
    ("Pak 1271171404511017", "council", None, "bad_name"),
    ("Baris\x00baru", "council", None, "bad_name"),
    ("Keuangan Dinsos", "finance", "127117", "kecamatan_not_for_role"),
])
def test_account_names_are_people_and_one_active_account_a_name(tmp_path, name, role, kecamatan, code):
    """The audit records who looked a person up by the account's name: two active accounts of one
    name are one actor, and a NIK or a blank typed as a name would show on every page."""
    from api.accounts import create_user
    from validator.errors import UserError
    from validator.store import Store

    with Store(tmp_path / "s.duckdb") as db:
        create_user(db, "Operator Medan Baru", "operator", "127117")
        with pytest.raises(UserError) as err:
            create_user(db, name, role, kecamatan)
        assert err.value.code == code and "1271171404511017" not in str(err.value)
