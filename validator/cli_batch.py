"""`bansos batch check|approve|verify`: the disbursement gate from the command line.

Exit status: 0 the gate passed / the batch was approved / every file is intact; 3 the gate failed,
approval was refused, or verify found an edited or missing file; 2 bad input (unknown program,
no live list, store missing); 1 an internal error."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from validator.console import console
from validator.errors import UserError

batch_app = typer.Typer(no_args_is_help=True, help="Gerbang pencairan / the disbursement gate.")
out = console()
err = console(stderr=True)

Program = Annotated[str, typer.Option("--program", help="Program: pkh, bpnt, bst, kube, maghrib_mengaji, …")]
Period = Annotated[str, typer.Option("--period", help="Periode penyaluran, mis. 2026-T1")]
StorePath = Annotated[Path, typer.Option("--store", help="Basis data riwayat (berkas DuckDB)")]
GATE_FAILED = 3  # the command was right; the batch is not ready (or not intact)
SHOWN = 20  # offending rows printed per expectation; the Data Docs and the API hold more


def _rupiah(n: float | None) -> str:
    return "-" if n is None else "Rp" + f"{int(n):,}".replace(",", ".")


def _open(store: Path):
    from validator.store import Store

    if not store.exists():
        raise UserError(f"Basis data riwayat {store} belum ada. Periksa jalur --store.",
                        f"History store {store} does not exist.", code="store_missing")
    return Store(store)


@batch_app.command("check")
def check_cmd(program: Program, period: Period, store: StorePath,
              pagu: Annotated[str | None, typer.Option("--pagu", help="Pagu anggaran batch (Rupiah), mis. 1.500.000.000")] = None,
              kuota: Annotated[str | None, typer.Option("--kuota", help="Kuota penerima batch, mis. 2.500")] = None,
              out_dir: Annotated[Path | None, typer.Option("--out", help="Folder batch (bawaan: <store>_files/batches)")] = None,
              ) -> None:
    """Periksa batch (semua kecamatan, keputusan keuangan diterapkan) dengan Great Expectations."""
    from validator.batch import service
    from validator.rulebook import load_rules

    limits = service.parse_number(pagu, "Pagu"), service.parse_number(kuota, "Kuota")
    rules = load_rules()
    with _open(store) as db:
        done = service.check(db, rules, program, period, pagu=limits[0], kuota=limits[1],
                             root=out_dir or service.default_root(store), actor=getpass.getuser())
    batch, last = done["batch"], done["check"]
    result = last["result"]
    if out_dir is not None and Path(batch["folder"]).parent != out_dir.resolve():
        out.print(f"Catatan: versi {batch['id']} sudah memakai folder {batch['folder']} sejak pemeriksaan "
                  f"pertamanya, jadi --out {out_dir} tidak dipakai: semua pemeriksaan satu versi disimpan di satu "
                  "folder. / This version keeps the folder of its first check; --out was not used.",
                  highlight=False)
    t = Table(title=f"Gerbang pencairan {batch['id']} — pemeriksaan ke-{last['seq']}")
    for col in ("Pemeriksaan / expectation", "Hasil", "Baris bermasalah"):
        t.add_column(col)
    for e in result["expectations"]:
        verdict = ("[green]LULUS[/]" if e["success"] else "[red]GAGAL[/]" if e["success"] is False
                   else f"[yellow]TIDAK DIPERIKSA[/] ({e['skipped']})")
        t.add_row(e["title"], verdict, str(e["unexpected_count"]) if e["unexpected_count"] else "-")
    out.print(t)
    for e in result["expectations"]:
        if e["rows"]:
            out.print(f"[bold]{e['title']}[/] — {e['unexpected_count']} baris:", highlight=False)
            for r in e["rows"][:SHOWN]:
                detail = f" ({r['detail']})" if r["detail"] else ""
                out.print(_row_line(r, detail), highlight=False)
            if e["unexpected_count"] > SHOWN:
                out.print(f"  … dan {e['unexpected_count'] - SHOWN} baris lain (lihat Data Docs)", highlight=False)
    out.print(f"Baris dibayar / rows to pay: {result['pay_rows']}, jumlah / total {_rupiah(result['total'])}; "
              f"pagu {_rupiah(last['pagu'])}, kuota {last['kuota'] if last['kuota'] is not None else '-'}",
              highlight=False)
    earlier = result.get("paid_before") or {}
    if earlier.get("rows"):
        left_pagu = None if last["pagu"] is None else last["pagu"] - earlier["amount"]
        left_kuota = None if last["kuota"] is None else last["kuota"] - earlier["rows"]
        out.print(f"Sudah dibayar pada versi yang disetujui sebelumnya / paid by earlier approved versions: "
                  f"{earlier['rows']} penerima, {_rupiah(earlier['amount'])}; {earlier['live_rows']} baris daftar "
                  "aktif tidak dibayar lagi, dan pagu serta kuota versi ini dikurangi sebesar itu: sisa pagu "
                  f"{_rupiah(left_pagu)}, sisa kuota {left_kuota if left_kuota is not None else '-'}.",
                  highlight=False)
        if earlier.get("amount_changed"):
            out.print(f"[yellow]Perhatian[/]: {earlier['amount_changed']} penerima yang sudah dibayar kini tertulis "
                      "dengan nominal lain; selisihnya tidak dibayar oleh batch ini, selesaikan di luar batch. / "
                      "Paid people whose amount has changed: the difference is not paid by this batch.",
                      highlight=False)
            for r in earlier["amount_changed_rows"][:SHOWN]:
                out.print(_row_line(r, f": dibayar {_rupiah(r['paid'])}, kini {_rupiah(r['now'])}"), highlight=False)
    if result.get("period_unrecognised"):
        out.print("[yellow]Perhatian[/]: periode batch ini tidak berbentuk 2026-03, 2026-T1, 2026-S1 atau 2026, sehingga "
                  "pembayaran untuk bulan atau tahap yang sama di batch lain tidak terdeteksi; minta kecamatan mengirim "
                  "ulang dengan periode yang benar. / The period is of no known form: payments for the same months by "
                  "other batches cannot be seen.", highlight=False)
    other = earlier.get("other_periods") or {}
    if other.get("live_rows"):
        out.print(f"[yellow]Tidak dibayar lagi[/]: {other['live_rows']} baris ({_rupiah(other['amount'])}) sudah dibayar "
                  f"oleh batch {', '.join(other['batches'])} yang disetujui untuk periode yang tumpang tindih dengan "
                  "periode ini; periksa apakah daftar periode ini memang perlu dibayar (bulan yang belum dibayar: "
                  "kirim daftarnya per bulan, mis. 2026-02 dan 2026-03). / Left out: already paid by approved "
                  "batches of this program for an overlapping period.", highlight=False)
        for r in other["list"][:SHOWN]:
            out.print(_row_line(r), highlight=False)
    elsewhere = result.get("paid_elsewhere") or {}
    if elsewhere.get("rows"):
        out.print(f"[yellow]Tidak dibayar[/]: {elsewhere['rows']} baris ({_rupiah(elsewhere['amount'])}) sudah dibayar "
                  "program lain yang tidak boleh diterima bersamaan untuk periode yang sama; kecamatan perlu "
                  "mengeluarkannya dari daftar. / Left out: already paid by a mutually exclusive program.",
                  highlight=False)
        for r in elsewhere["list"][:SHOWN]:
            out.print(_row_line(r), highlight=False)
    out.print(f"Data Docs: {Path(last['docs']) / 'index.html'}", highlight=False)
    if not result["passed"]:
        err.print(f"Gerbang GAGAL: batch {batch['id']} belum dapat disetujui. / The gate failed.", highlight=False)
        raise SystemExit(GATE_FAILED)
    if result["pay_rows"] == 0 and (earlier.get("rows") or elsewhere.get("rows")):
        out.print(f"Gerbang lulus, tetapi batch {batch['id']} tidak membayar siapa pun yang belum dibayar versi "
                  "sebelumnya atau program lain: tidak ada yang perlu disetujui. / Nobody new to pay: nothing to "
                  "approve.",
                  highlight=False)
        return
    out.print(f"[green]Gerbang LULUS[/]: batch {batch['id']} dapat disetujui (bansos batch approve). / The gate passed.",
              highlight=False)


def _row_line(r: dict, tail: str = "") -> str:
    """One offending or left-out row as finance reads it: where it is, the NIK masked."""
    return f"  kecamatan {r['kecamatan']} baris {r['row']} NIK {r['nik_masked']}{tail}"


@batch_app.command("approve")
def approve_cmd(program: Program, period: Period, store: StorePath,
                by: Annotated[str | None, typer.Option("--by", help="Nama yang menyetujui (bawaan: pengguna sistem)")] = None,
                ) -> None:
    """Setujui dan bekukan versi terbaru batch jika pemeriksaan terakhirnya lulus."""
    from validator.batch import service
    from validator.rulebook import load_rules

    rules = load_rules()
    with _open(store) as db:
        try:
            manifest = service.approve(db, rules, program, period, actor=by or getpass.getuser())
        except service.GateRefused as exc:
            err.print(f"[bold red]Ditolak:[/] {exc.line()}", highlight=False, soft_wrap=True)
            raise SystemExit(GATE_FAILED) from None
    out.print(f"Batch {manifest['batch_id']} disetujui dan dibekukan / approved and frozen: "
              f"{manifest['rows_paid']} penerima, {_rupiah(manifest['total_amount'])}.", highlight=False)
    for name in [*manifest["files"], "manifest.json"]:
        out.print(f"  {Path(manifest['folder']) / name}", highlight=False)
    out.print(f"sha256 manifest: {manifest['manifest_sha256']}", highlight=False)


@batch_app.command("verify")
def verify_cmd(program: Program, period: Period, store: StorePath) -> None:
    """Periksa bahwa berkas pencairan dan manifest batch yang disetujui tidak diubah."""
    from validator.batch.verify import verify
    from validator.rulebook import load_rules

    rules = load_rules()
    with _open(store) as db:
        result = verify(db, rules, program, period)
    for b in result["batches"]:
        if not b["problems"]:
            out.print(f"[green]UTUH[/] {b['batch_id']}: manifest dan berkas sesuai / intact.", highlight=False)
        for p in b["problems"]:
            err.print(f"[bold red]DIUBAH[/] {b['batch_id']}: {p['message']} / {p['message_en']}",
                      highlight=False, soft_wrap=True)
    if not result["ok"]:
        raise SystemExit(GATE_FAILED)
