"""`bansos user add` and `bansos serve` (contracts §1); mounted on the `bansos` app by validator/cli.py.

Only typer is imported here: FastAPI and uvicorn load when `serve` runs, so other commands stay quick."""

from __future__ import annotations

import errno
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Annotated

import typer

user_app = typer.Typer(add_completion=False, no_args_is_help=True)


@user_app.callback()
def _users() -> None:
    """Akun API dan halaman web / API and web accounts."""


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Option("--name", help="Nama pemilik akun")],
    role: Annotated[str, typer.Option("--role", help="operator, finance, council atau admin")],
    store: Annotated[Path, typer.Option("--store", help="Basis data riwayat (berkas DuckDB)")],
    kecamatan: Annotated[str | None, typer.Option("--kecamatan", help="Kode kecamatan (wajib untuk operator), mis. 12.71.17")] = None,
) -> None:
    """Buat akun baru dan cetak tokennya sekali (hanya hash-nya yang disimpan)."""
    from api.accounts import ROLE_TEXT, create_user
    from validator.store import Store

    with Store(store) as db:
        user, token = create_user(db, name, role, kecamatan)
    where = f", kecamatan {user.kecamatan}" if user.kecamatan else ""
    typer.echo(f"Akun dibuat / account created: {user.name} ({ROLE_TEXT[user.role]}{where}).")
    typer.echo("Simpan token ini sekarang; token tidak dapat ditampilkan lagi. / "
               "Keep this token now; it cannot be shown again.")
    # The token alone on the last line, so scripts can take it with `tail -n 1`.
    typer.echo(token)


def check_port(host: str, port: int, again: str) -> None:
    """The port is free to listen on, else one clear line before anything starts (uvicorn would
    say it in English after the start-up, and the demo would already have printed its tokens).
    `again` is the command to run with another port."""
    from validator.errors import UserError

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: a closing socket is no user
        try:
            s.bind((host, port))
        except OSError as exc:
            busy = exc.errno == errno.EADDRINUSE
            raise UserError(
                (f"Port {port} di {host} sudah dipakai program lain. Hentikan program itu, atau jalankan dengan "
                 f"port lain: {again}." if busy else
                 f"Tidak dapat mendengarkan di {host}:{port} ({exc.strerror}). Periksa alamat dan port, atau "
                 f"jalankan dengan port lain: {again}."),
                (f"Port {port} on {host} is in use by another program. Stop it, or run with another port: {again}."
                 if busy else f"Cannot listen on {host}:{port} ({exc.strerror}); try {again}."),
                code="port_busy") from None


def check_rules() -> None:
    """Load the rule files before the server starts: a broken shared file (catalog, banks,
    columns) stops it with its list of problems (exit 2) instead of a traceback from start-up, and
    a broken program file is said on stderr, since the server starts without that program."""
    from validator.rulebook import load_rules

    rules = load_rules()
    for program, problems in sorted(rules.broken.items()):
        print(f"Peringatan: program '{program}' tidak tersedia karena berkas aturannya bermasalah / program "
              f"'{program}' is unavailable, its rule file has problems:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)


def serve(
    store: Annotated[Path | None, typer.Option("--store", help="Basis data riwayat (berkas DuckDB); atau env BANSOS_STORE")] = None,
    host: Annotated[str, typer.Option("--host", help="Alamat yang didengarkan")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port")] = 8000,
    data_dir: Annotated[Path | None, typer.Option("--data", help="Folder unggahan dan hasil (bawaan: di samping --store)")] = None,
) -> None:
    """Jalankan API HTTP (dokumentasi di /docs)."""
    import uvicorn

    from api.app import create_app
    from validator.errors import UserError

    store = store or (Path(os.environ["BANSOS_STORE"]) if os.environ.get("BANSOS_STORE") else None)
    if store is None:
        raise UserError("Tentukan basis data riwayat dengan --store PATH atau env BANSOS_STORE.",
                        "Give the history store with --store PATH or env BANSOS_STORE.", code="store_needed")
    from validator.store import Store

    if not 0 < port < 65536:
        raise UserError(f"Port {port} tidak sah: pilih angka 1 sampai 65535, mis. --port 8000.",
                        f"Port {port} is not valid: choose 1 to 65535, e.g. --port 8000.", code="bad_port")
    if not Path(store).exists():
        # A path mistyped would start a new, empty store that knows no account: every token would
        # then be refused with nothing pointing at the path.
        raise UserError(f"Basis data riwayat {store} belum ada. Periksa jalur --store; untuk memulai yang baru, buat "
                        f"dulu akun pertama dengan: bansos user add --name NAMA --role admin --store {store}",
                        f"History store {store} does not exist. Check --store; to start a new one, create the first "
                        f"account with bansos user add … --store {store}", code="store_missing")
    # Open the store once here so a busy or broken file stops with one clear line (exit 2)
    # instead of a traceback from the server's start-up.
    Store(store).close()
    check_rules()
    check_port(host, port, f"bansos serve --port {port + 1}")
    # Ctrl+C is how a server is stopped: uvicorn shuts down cleanly and hands the signal back,
    # which is no cancelled validation ("nothing was written" would be wrong here).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        uvicorn.run(create_app(store, data_dir), host=host, port=port)
    except KeyboardInterrupt:
        pass
    typer.echo("Server dihentikan. / Server stopped.", err=True)
