"""The `bansos` command (contracts §1)."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from validator.errors import UserError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Validasi daftar penerima bansos / Validate bansos recipient lists.")
out = Console()
err = Console(stderr=True)



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
    input: Annotated[Path, typer.Argument(help="Daftar: .xlsx, .csv atau .parquet")],
    program: Annotated[str, typer.Option("--program", help="Program: pkh, bpnt, bst, kube, maghrib_mengaji, …")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder hasil (result.json, result.xlsx)")],
    kecamatan: Annotated[str | None, typer.Option(help="Kode kecamatan pengirim, mis. 12.71.17")] = None,
    period: Annotated[str | None, typer.Option(help="Periode penyaluran, mis. 2026-T1 atau 2026-03")] = None,
    registry: Annotated[Path | None, typer.Option(help="Ekstrak DTKS/DTSEN (CSV/Parquet)")] = None,
    exclusions: Annotated[Path | None, typer.Option(help="Daftar pengecualian (CSV/Parquet)")] = None,
    store: Annotated[Path | None, typer.Option(help="Basis data riwayat (berkas DuckDB)")] = None,
) -> None:
    """Periksa satu daftar penerima dan tulis result.json serta result.xlsx."""
    from validator.engine import validate as run
    from validator.reports import write_outputs

    bar, update = _progress()
    if bar:
        bar.start()
    try:
        outcome = run(input, program, kecamatan=kecamatan, period=period, progress=update)
        unavailable = []
        for name, given in (("registry", registry), ("exclusions", exclusions), ("history", store)):
            if given is not None:
                unavailable.append(name)
        for item in outcome.checks_skipped:
            if item["check"] in unavailable:
                item["reason"] = "belum tersedia di versi ini"
                item["reason_en"] = "not available yet in this version"
        update("write", 0.9)
        paths = write_outputs(outcome, out_dir)
        update("write", 1.0)
    finally:
        if bar:
            bar.stop()
    _print_summary(outcome, paths)


def _print_summary(outcome, paths) -> None:
    s = outcome.summary
    t = Table(title=f"{outcome.program.name} — {outcome.file_name}", show_header=True)
    t.add_column("Status")
    t.add_column("Baris", justify="right")
    t.add_row("[green]DITERIMA[/] (accepted)", str(s["accepted"]))
    t.add_row("[yellow]PERIKSA[/] (review)", str(s["review"]))
    t.add_row("[red]DITOLAK[/] (rejected)", str(s["rejected"]))
    t.add_row("Dilewati (skipped)", str(s["skipped_rows"]))
    t.add_row("[bold]Jumlah baris data[/]", f"[bold]{s['rows']}[/]")
    out.print(t)
    if s["by_code"]:
        codes = Table(show_header=True)
        codes.add_column("Kode alasan")
        codes.add_column("Jumlah", justify="right")
        codes.add_column("Arti")
        for code, n in s["by_code"].items():
            codes.add_row(code, str(n), outcome.rules.catalog[code].title_id)
        out.print(codes)
    for w in outcome.listing.warnings:
        out.print(f"[yellow]Perhatian:[/] {w['message']}", highlight=False)
    skipped = sorted({c["check"] for c in outcome.checks_skipped})
    if skipped:
        out.print(f"Pemeriksaan tidak dijalankan / checks skipped: {', '.join(skipped)}")
    out.print(f"Hasil / results: {paths['json']}  {paths['xlsx']}")


def main() -> None:
    try:
        app(standalone_mode=False)
    except UserError as exc:
        err.print(f"[bold red]Galat:[/] {exc.line()}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        err.print("Dibatalkan / aborted.")
        sys.exit(130)
    except Exception as exc:  # a usage error from click, or a bug
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # click's usage errors
            exc.show()
            sys.exit(exc.exit_code)
        if os.environ.get("BANSOS_DEBUG"):
            traceback.print_exc()
        err.print("[bold red]Galat internal:[/] validasi berhenti karena kesalahan program, bukan karena "
                  f"data Anda ({type(exc).__name__}). Tidak ada hasil yang ditulis. Laporkan ke admin Dinas "
                  "Sosial. / Internal error; nothing was written.", highlight=False, soft_wrap=True)
        sys.exit(1)
    sys.exit(0)


if __name__ == "__main__":
    main()
