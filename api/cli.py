"""`bansos user add` and `bansos serve` (contracts §1); mounted on the `bansos` app by validator/cli.py.

Only typer is imported here: FastAPI and uvicorn load when `serve` runs, so other commands stay quick."""

from __future__ import annotations

import os
import signal
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

    # Open the store once here so a busy or broken file stops with one clear line (exit 2)
    # instead of a traceback from the server's start-up.
    Store(store).close()
    # Ctrl+C is how a server is stopped: uvicorn shuts down cleanly and hands the signal back,
    # which is no cancelled validation ("nothing was written" would be wrong here).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        uvicorn.run(create_app(store, data_dir), host=host, port=port)
    except KeyboardInterrupt:
        pass
    typer.echo("Server dihentikan. / Server stopped.", err=True)
