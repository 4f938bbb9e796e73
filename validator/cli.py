"""The `bansos` command (contracts §1)."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from validator.console import console
from validator.errors import (
    STATUS_TEXT,
    UserError,
    disk_full,
    disk_full_error,
    mask_echo,
    thousands,
)

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Validasi daftar penerima bansos / Validate bansos recipient lists.")
out = console()
err = console(stderr=True)



@app.callback()
def _root() -> None:
    """Validasi daftar penerima bansos / Validate bansos recipient lists."""


STAGES = {"read": "Membaca berkas", "checks": "Memeriksa baris", "write": "Menulis hasil"}


def _progress():
    """A progress bar on stderr when a person is watching; silent in scripts."""
    if not err.is_terminal:
        return None, lambda stage, frac: None
    bar = Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err,
                   transient=True)
    task = bar.add_task("Membaca berkas", total=1.0)

    def update(stage: str, frac: float) -> None:
        bar.update(task, completed=frac, description=STAGES.get(stage, stage))

    return bar, update


@app.command()
def validate(
    # (Readability is checked by the reader, which says so in Indonesian; click would in English.)
    input: Annotated[Path, typer.Argument(help="Daftar: .xlsx, .csv atau .parquet", readable=False)],
    program: Annotated[str, typer.Option("--program", help="Program: pkh, bpnt, bst, kube, maghrib_mengaji, …")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder hasil (result.json, result.xlsx)")],
    kecamatan: Annotated[str | None, typer.Option(help="Kode kecamatan pengirim, mis. 12.71.17")] = None,
    period: Annotated[str | None, typer.Option(help="Periode penyaluran, mis. 2026-T1 atau 2026-03")] = None,
    registry: Annotated[Path | None, typer.Option(help="Ekstrak DTKS/DTSEN (CSV/Parquet)")] = None,
    exclusions: Annotated[Path | None, typer.Option(help="Daftar pengecualian (CSV/Parquet)")] = None,
    store: Annotated[Path | None, typer.Option(help="Basis data riwayat (berkas DuckDB)")] = None,
) -> None:
    """Periksa satu daftar penerima dan tulis result.json serta result.xlsx."""
    from validator.engine import record_outcome
    from validator.engine import validate as run
    from validator.reports import write_outputs
    from validator.store import Store
    from validator.store import run as run_sql

    bar, update = _progress()
    if bar:
        bar.start()
    db = None
    done = False
    new_store = store is not None and not store.exists()
    try:
        # The store stays open (and locked against other writers) from the cross-submission
        # checks until the submission is recorded, so two lists cannot miss each other.
        db = Store(store) if store is not None else None
        # A store holding no list yet (made by an import, or left empty by a run that was killed)
        # is as new for this list: nothing to compare it with.
        empty = db is not None and not new_store and not run_sql(db.con, "SELECT count(*) FROM submissions")[0][0]
        outcome = run(input, program, kecamatan=kecamatan, period=period, registry=registry,
                      exclusions=exclusions, store=db, progress=update)
        outcome.recorded = db is not None
        if new_store:  # the first list of a store, or a mistyped path: either way, say so
            outcome.listing.warnings.append({
                "code": "store_new",
                "message": f"Basis data riwayat {store} belum ada dan dibuat baru: daftar ini tidak dibandingkan dengan "
                           "pengajuan lain. Jika seharusnya sudah ada, periksa jalur --store.",
                "message_en": f"History store {store} did not exist and was created: this list was compared with no "
                              "other submission. If it should exist, check --store."})
        elif empty:
            outcome.listing.warnings.append({
                "code": "store_new",
                "message": f"Basis data riwayat {store} belum berisi daftar apa pun: daftar ini tidak dibandingkan dengan "
                           "pengajuan lain. Jika seharusnya sudah berisi, periksa jalur --store.",
                "message_en": f"History store {store} holds no list yet: this list was compared with no other "
                              "submission. If it should hold some, check --store."})
        update("write", 0.9)
        try:
            paths = write_outputs(outcome, out_dir,
                                  commit=(lambda: record_outcome(db, outcome)) if db is not None else None)
        finally:
            if outcome.committed:
                _finished.append(out_dir)
        update("write", 1.0)
        done = True
    finally:
        if db is not None:
            db.close()
        if new_store and not done and store is not None and not _finished:
            # A run that failed leaves no new store behind: nothing was recorded in it, and the
            # next run must still warn that the store is new (a mistyped path shows there).
            for leftover in (store, store.with_name(store.name + ".wal")):
                leftover.unlink(missing_ok=True)
        if bar:
            bar.stop()
    _print_summary(outcome, paths)


def _print_summary(outcome, paths) -> None:
    s = outcome.summary
    t = Table(title=f"{outcome.program.name} — {outcome.file_name}", show_header=True)
    t.add_column("Status")
    t.add_column("Baris", justify="right")
    t.add_row("[green]DITERIMA[/] (accepted)", thousands(s["accepted"]))
    t.add_row("[yellow]PERIKSA[/] (review)", thousands(s["review"]))
    t.add_row("[red]DITOLAK[/] (rejected)", thousands(s["rejected"]))
    t.add_row("[bold]Jumlah baris data[/]", f"[bold]{thousands(s['rows'])}[/]")
    t.add_row("Baris dilewati, bukan data (skipped)", thousands(s["skipped_rows"]))
    out.print(t)
    if s["by_code"]:
        codes = Table(show_header=True)
        codes.add_column("Kode alasan")
        codes.add_column("Jumlah", justify="right")
        codes.add_column("Arti")
        for code, n in s["by_code"].items():
            codes.add_row(code, thousands(n), outcome.rules.catalog[code].title_id)
        out.print(codes)
    for w in outcome.listing.warnings:
        out.print(f"[yellow]Perhatian:[/] {w['message']}", highlight=False)
    if outcome.checks_skipped:
        out.print("Pemeriksaan yang tidak dijalankan / checks not run:")
        for c in outcome.checks_skipped:
            out.print(f"  - {c['reason']}", highlight=False)
    if outcome.compared_to:
        c = outcome.compared_to["counts"]
        out.print(f"Dibanding kiriman sebelumnya / compared to the previous list: diperbaiki {thousands(c['fixed'])}, "
                  f"masih bermasalah {thousands(c['still_failing'])}, baru bermasalah {thousands(c['newly_failing'])}, "
                  f"ditambah {thousands(c['added'])}, dihapus {thousands(c['removed'])}"
                  + (f" (dan {thousands(n)} baris tanpa NIK terbaca)" if (n := outcome.compared_to["removed_rows_without_nik"])
                     else ""))
    if outcome.recorded:
        out.print(f"Tercatat sebagai pengajuan / recorded as submission {outcome.submission_id}")
    out.print(f"Hasil / results: {paths['json']}  {paths['xlsx']}")


@app.command()
def history(
    nik: Annotated[str, typer.Argument(help="NIK 16 digit")],
    store: Annotated[Path, typer.Option(help="Basis data riwayat (berkas DuckDB)")],
) -> None:
    """Riwayat satu NIK di semua pengajuan: status dan alasan dari waktu ke waktu."""
    import getpass

    from validator.store import Store
    from validator.store.history import history_of, mask_nik, record_lookup

    digits = "".join(ch for ch in nik if ch.isdigit())
    if len(digits) != 16:
        raise UserError("NIK harus 16 digit angka.", "A NIK has 16 digits.", code="bad_nik")
    masked = mask_nik(digits)
    if store.is_dir():
        raise UserError(f"{store} adalah folder, bukan berkas basis data riwayat. Periksa jalur --store.",
                        f"{store} is a folder, not a history store file. Check --store.", code="store_is_folder")
    if not store.is_file():  # a mistyped path must not answer "not found" from a new, empty store
        raise UserError(f"Basis data riwayat {store} belum ada. Periksa jalur --store.",
                        f"History store {store} does not exist. Check --store.", code="store_missing")
    with Store(store) as db:
        events = history_of(db, digits)
        with db.transaction():
            record_lookup(db, getpass.getuser(), "cli", digits)
    if events.height == 0:
        out.print(f"NIK {masked} tidak ditemukan di pengajuan mana pun. / Not found in any submission.")
        return
    from validator.rulebook import load_rules
    from validator.wilayah import load_regions

    regions, catalog = load_regions(), load_rules().catalog
    t = Table(title=f"Riwayat NIK {masked}")
    for col in ("Waktu", "Program", "Periode", "Kecamatan", "Baris", "Status", "Alasan"):
        t.add_column(col)
    for e in events.iter_rows(named=True):
        status = STATUS_TEXT.get(e["status"], e["status"]) + (" (diganti kiriman baru)" if e["superseded"] else "")
        t.add_row(e["created_at"].strftime("%d-%m-%Y %H:%M"), e["program"], e["period"],
                  regions.describe(e["kecamatan"]), str(e["row"]), status,
                  # The code's title, not the finding's message: a message quotes the cell (an
                  # account number, the KK, the registry's KK), which a look-up must not show.
                  "\n".join(f"{c}: {catalog[c].title_id if c in catalog else c}" for c in e["codes"]) or "-")
    out.print(t)


def _mount_registry_commands() -> None:
    from validator.cli_registry import exclusions_app, registry_app

    app.add_typer(registry_app, name="registry", help="Data DTKS/DTSEN / the social registry.")
    app.add_typer(exclusions_app, name="exclusions", help="Daftar pengecualian / exclusion lists.")


_mount_registry_commands()


def _mount_api_commands() -> None:
    # `user add` and `serve` live with the API (api/cli.py); FastAPI loads only when `serve` runs.
    from api.cli import serve, user_app

    app.add_typer(user_app, name="user", help="Akun API dan web / API and web accounts.")
    app.command("serve")(serve)


_mount_api_commands()


def _mount_batch_commands() -> None:
    # Great Expectations loads only when `batch check` runs (validator/batch/gate.py).
    from validator.cli_batch import batch_app

    app.add_typer(batch_app, name="batch", help="Gerbang pencairan / the disbursement gate.")


_mount_batch_commands()





USAGE_TEXT = [  # click's usage errors, in the operator's language
    (r"Missing option '([^']+)'", "opsi {0} wajib diisi"),
    (r"Missing argument '([^']+)'", "{0} wajib diisi"),
    (r"No such option: (\S+)", "opsi {0} tidak dikenal"),
    (r"No such command '([^']+)'", "perintah '{0}' tidak dikenal"),
    (r"(?i)Invalid value for '(-[^']+)': (?:file|path|directory) '([^']+)' is not readable", "berkas {1} untuk {0} "
     "tidak dapat dibaca: tidak ada izin membaca. Minta izin baca kepada pemiliknya, atau salin berkas ke folder Anda"),
    (r"(?i)Invalid value for '([^']+)': (?:file|path|directory) '([^']+)' is not readable", "berkas {1} "
     "tidak dapat dibaca: tidak ada izin membaca. Minta izin baca kepada pemiliknya, atau salin berkas ke folder Anda"),
    (r"(?i)Invalid value for '([^']+)': (?:file|path|directory) '([^']+)' does not exist", "berkas {1} untuk {0} "
     "tidak ditemukan. Periksa nama dan foldernya"),
    (r"Invalid value for '([^']+)': (.*)", "nilai {0} tidak sah ({1})"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", "ada isian yang tidak dikenal: {0}"),
]


def _usage_line(exc: Exception) -> str:
    """One line: what is wrong in Indonesian (click's own words after it), and where help is."""
    import re

    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    said = next((text.format(*m.groups()) for pattern, text in USAGE_TEXT if (m := re.search(pattern, message))),
                "perintah tidak lengkap atau salah tulis")
    ctx = getattr(exc, "ctx", None)
    where = f"{ctx.command_path} --help" if ctx is not None else "bansos --help"
    # click quotes what was typed ("Got unexpected extra argument (1271…)"): a NIK is masked.
    return mask_echo(f"Kesalahan: {said}. Lihat {where}. / {message or 'Incomplete or mistyped command.'}")


_interrupted = False


def _on_interrupt(signum, frame) -> None:
    global _interrupted
    _interrupted = True
    raise KeyboardInterrupt


# Set once a run has recorded its list: a Ctrl+C after that point must not say nothing changed.
_finished: list[Path] = []


def _cancelled() -> None:
    if _finished:
        err.print("Dihentikan setelah daftar tercatat di riwayat; berkas hasil ada di "
                  f"{_finished[-1]} bila sempat ditulis. / Stopped after the list was recorded.")
    else:
        err.print("Dibatalkan: tidak ada hasil yang ditulis dan riwayat tidak berubah. / Cancelled; nothing was written.")
    sys.exit(130)


PRIVATE_UMASK = 0o077


def main() -> None:
    import signal

    # Everything bansos writes holds personal data (result files, the store and its WAL, the
    # server's uploads and results): readable by the account that runs it only, whatever umask
    # the shell had (a common 022 made them readable by every local user).
    os.umask(PRIVATE_UMASK)
    # Ctrl+C may surface as another exception from inside a library (a worker thread, DuckDB);
    # remembering it keeps the message "cancelled", not "internal error".
    signal.signal(signal.SIGINT, _on_interrupt)
    try:
        # typer turns Ctrl+C into Exit(130), which standalone_mode=False hands back as a value.
        code = app(standalone_mode=False)
    except UserError as exc:
        err.print(f"[bold red]Kesalahan:[/] {exc.line()}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        _cancelled()
    except Exception as exc:  # a usage error from click, or a bug
        if _interrupted:
            _cancelled()
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # click's usage errors
            err.print(_usage_line(exc), highlight=False, soft_wrap=True, markup=False)
            sys.exit(exc.exit_code)
        if disk_full(exc):  # DuckDB says so in its own words, from wherever it was writing
            said = disk_full_error("basis data riwayat", "Riwayat tidak berubah." if not _finished
                                   else "Daftar sudah tercatat di riwayat.")
            err.print(f"[bold red]Kesalahan:[/] {said.line()}", highlight=False, soft_wrap=True)
            sys.exit(2)
        if os.environ.get("BANSOS_DEBUG"):
            traceback.print_exc()
        err.print("[bold red]Kesalahan internal:[/] validasi berhenti karena kesalahan program, bukan karena "
                  f"data Anda ({type(exc).__name__}). Tidak ada hasil yang ditulis. Laporkan ke admin Dinas "
                  "Sosial. / Internal error; nothing was written.", highlight=False, soft_wrap=True)
        sys.exit(1)
    if _interrupted or code == 130:
        _cancelled()
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
