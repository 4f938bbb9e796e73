"""`make run`: a living demo system in out/demo/ — the sample registry and exclusions imported, one
account per role (tokens printed), two sample lists sent — then the server on 127.0.0.1:8000.

    python -m api.demo [--dir out/demo] [--host 127.0.0.1] [--port 8000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
from pathlib import Path

from api import jobs
from api.accounts import ROLE_TEXT, create_user
from api.context import ApiContext
from validator.store import Store
from validator.store.history import new_submission_id
from validator.wilayah import dotted

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data"
# (name, role, kecamatan); the first of each role is the one a newcomer logs in with.
ACCOUNTS = [
    ("Operator Medan Baru", "operator", "12.71.17"),
    ("Keuangan Dinas Sosial", "finance", None),
    ("Anggota DPRD Kota Medan", "council", None),
    ("Admin Dinas Sosial", "admin", None),
    ("Operator Medan Sunggal", "operator", "12.71.02"),
]
# Lists "sent earlier" by the two kecamatan, so history, finance and look-ups have something to show.
SENT = [("Operator Medan Baru", SAMPLES / "lists" / "pkh_medan_baru.xlsx", "pkh", "2026-T1"),
        ("Operator Medan Sunggal", SAMPLES / "lists" / "bst_medan_sunggal.csv", "bst", "2026-T1")]


def paths(folder: Path) -> tuple[Path, Path]:
    """(store, data folder) of a demo folder."""
    return folder / "riwayat.duckdb", folder / "data"


def setup(folder: Path, *, sent: list = SENT) -> list[tuple[str, str, str | None, str]]:
    """Build the demo store from nothing; returns (name, role, kecamatan, token) per account.

    The sample lists are queued as jobs: the server validates them as soon as it starts, exactly as
    uploads left queued by a stopped server."""
    from validator.registry import import_exclusions, import_registry
    from validator.rulebook import load_rules

    store_path, data_dir = paths(folder)
    folder.mkdir(parents=True, exist_ok=True)
    accounts = []
    with Store(store_path) as db:
        import_registry(SAMPLES / "registry" / "dtks_sample.csv", db)
        import_exclusions(SAMPLES / "registry" / "pengecualian.csv", db)
        users = {}
        for name, role, kecamatan in ACCOUNTS:
            user, token = create_user(db, name, role, kecamatan)
            users[name] = user
            accounts.append((name, role, user.kecamatan, token))
        ctx = ApiContext(store=db, data_dir=data_dir, rules=load_rules())
        for who, file, program, period in sent:
            sid = new_submission_id()
            ctx.upload_dir(sid).mkdir(parents=True)
            shutil.copyfile(file, ctx.upload_dir(sid) / file.name)
            jobs.create_job(db, submission_id=sid, user_id=users[who].id, program=program, period=period,
                            kecamatan=users[who].kecamatan, file_name=file.name)
    return accounts


def sample_nik() -> str | None:
    """A NIK of a list the demo sends, so a council member has someone to look up at once."""
    import csv

    with (SAMPLES / "lists" / "bst_medan_sunggal.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            nik = (row.get("NIK") or "").strip()
            if len(nik) == 16 and nik.isdigit():
                return nik
    return None


def print_accounts(accounts, url: str) -> None:
    line = "=" * 78
    print(line)
    print(f"  Demo bansos-validator: buka {url} lalu masuk dengan salah satu token di bawah.")
    print(f"  Open {url} and log in with one of these tokens.")
    print(line)
    for name, role, kecamatan, token in accounts:
        where = f", kecamatan {dotted(kecamatan)}" if kecamatan else ""
        print(f"  {name} ({ROLE_TEXT[role]}{where})")
        print(f"      {token}")
    print(line)
    print("  Coba unggah / try uploading: sample_data/lists/pkh_medan_baru_berantakan.xlsx")
    nik = sample_nik()
    if nik:
        print(f"  NIK untuk ditelusuri (dewan, keuangan) / a NIK to look up: {nik}")
    print("  Aturan program (tanpa login): " + url + "aturan    API: " + url + "docs")
    print("  Data demo dibuat ulang setiap `make run`: token dan unggahan sebelumnya tidak berlaku lagi.")
    print("  Demo data is rebuilt on every `make run`: earlier tokens and uploads are gone.")
    print("  Tekan Ctrl+C untuk berhenti / press Ctrl+C to stop.")
    print(line, flush=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Demo server with sample data")
    ap.add_argument("--dir", type=Path, default=ROOT / "out" / "demo")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8000)
    args = ap.parse_args(argv)
    os.umask(0o077)  # as `bansos` does: what the server writes is its account's alone

    import uvicorn

    from api.app import create_app
    from api.cli import check_port, check_rules
    from validator.errors import UserError

    try:  # before the demo store is rebuilt and tokens printed that would open another program's page
        check_rules()
        check_port(args.host, args.port, f"make run PORT={args.port + 1}")
    except UserError as exc:
        print(f"Kesalahan: {exc.message_id} / {exc.message_en}", file=sys.stderr)
        raise SystemExit(2) from None
    # Fresh every run: tokens are shown only once, so a reused store would leave no usable token.
    shutil.rmtree(args.dir, ignore_errors=True)
    accounts = setup(args.dir)
    print_accounts(accounts, f"http://{args.host}:{args.port}/")
    store_path, data_dir = paths(args.dir)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        uvicorn.run(create_app(store_path, data_dir), host=args.host, port=args.port)
    except KeyboardInterrupt:
        pass
    print("Server demo dihentikan. / Demo server stopped.", file=sys.stderr)


if __name__ == "__main__":
    main()
