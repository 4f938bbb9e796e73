"""`bansos registry …` and `bansos exclusions …`: load the registry and exclusion lists into the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from validator.console import console

registry_app = typer.Typer(add_completion=False, no_args_is_help=True)
exclusions_app = typer.Typer(add_completion=False, no_args_is_help=True)
out = console()

StoreOpt = Annotated[Path, typer.Option("--store", help="Basis data riwayat (berkas DuckDB)")]


@registry_app.callback()
def _registry() -> None:
    """Registri sosial DTKS/DTSEN / social registry extracts."""


@exclusions_app.callback()
def _exclusions() -> None:
    """Daftar pengecualian (ASN, TNI, POLRI, …) / exclusion lists."""


def print_report(report) -> None:
    """The report, Indonesian first, English dimmed below; values printed verbatim, never as markup."""
    for line in report.lines_id():
        out.print(line, markup=False, highlight=False, soft_wrap=True)
    out.print()
    for line in report.lines_en():
        out.print(line, style="dim", markup=False, highlight=False, soft_wrap=True)


@registry_app.command("import")
def registry_import(
    file: Annotated[Path, typer.Argument(help="Ekstrak DTKS/DTSEN: .csv (UTF-8, koma/titik koma) atau .parquet")],
    store: StoreOpt,
) -> None:
    """Periksa ekstrak lalu ganti registri (semua atau tidak sama sekali) / check, then replace the registry."""
    from validator.errors import thousands
    from validator.ingest import check_file
    from validator.registry import import_registry
    from validator.store import Store

    check_file(file, ".csv atau .parquet")  # before the store is opened: a wrong path creates no empty store
    with Store(store) as db:
        report = import_registry(file, db)
    print_report(report)
    rows = thousands(report.rows)
    secs = report.timings.get("check", 0) + report.timings.get("import", 0)
    secs_id = f"{secs:.1f}".replace(".", ",")
    out.print(f"\nRegistri diganti: {rows} baris dari {Path(file).name} ({secs_id} detik). "
              "/ Registry replaced.", markup=False, highlight=False, soft_wrap=True)


@registry_app.command("check")
def registry_check(
    file: Annotated[Path, typer.Argument(help="Ekstrak DTKS/DTSEN: .csv atau .parquet")],
    sample: Annotated[int | None, typer.Option("--sample", help="Periksa hanya N baris pertama")] = None,
) -> None:
    """Periksa ekstrak tanpa mengimpornya / check an extract without importing it."""
    from validator.registry import check_extract

    print_report(check_extract(file, sample_rows=sample))


@exclusions_app.command("import")
def exclusions_import(
    file: Annotated[Path, typer.Argument(help="Daftar pengecualian: .csv atau .parquet (nik, kategori, keterangan)")],
    store: StoreOpt,
) -> None:
    """Ganti daftar pengecualian di basis data riwayat / replace the exclusion list."""
    from validator.ingest import check_file
    from validator.registry import import_exclusions
    from validator.store import Store

    check_file(file, ".csv atau .parquet")  # before the store is opened: a wrong path creates no empty store
    with Store(store) as db:
        res = import_exclusions(file, db)
    t = Table(title=f"Daftar pengecualian {res['file']}: {res['rows']} NIK",
              caption="Daftar lama diganti / exclusion list replaced")
    t.add_column("Kategori")
    t.add_column("NIK", justify="right")
    for kat, n in res["by_kategori"].items():
        t.add_row(kat, str(n))
    out.print(t)
    notes = [(res["skipped_empty_nik"], "baris tanpa NIK dilewati / rows without NIK skipped"),
             (res["malformed_nik"], "NIK bukan 16 digit (disimpan, tidak akan cocok) / NIK not 16 digits"),
             (res["empty_kategori"], "baris tanpa kategori / rows without kategori")]
    for n, text in notes:
        if n:
            out.print(f"Perhatian: {n} {text}", markup=False, highlight=False, soft_wrap=True)
