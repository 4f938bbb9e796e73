"""A person's story for council and finance, and the citizen's own status: both recorded.

Neither answer quotes a finding's message: messages can hold account numbers and other rows'
details. Reasons are the catalogue's titles of the codes."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from api.accounts import User
from api.context import ApiContext
from api.errors import api_error
from validator.cli import mask_nik
from validator.store import Store, run
from validator.store.history import history_of, record_lookup
from validator.wilayah import load_regions

NEXT_STEP = {"rejected": "menunggu perbaikan dari kecamatan",
             "review": "menunggu pemeriksaan Dinas Sosial",
             "accepted": "menunggu pencairan"}
SUPERSEDED_STEP = "digantikan oleh daftar yang dikirim ulang kecamatan (lihat peristiwa sesudahnya)"

# Rejections that no correction by the kecamatan can lift: the registry or the exclusion list says no.
INELIGIBLE = {"DTKS_MENINGGAL", "DTKS_DESIL", "DAFTAR_PENGECUALIAN", "DTKS_TIDAK_TERDAFTAR"}
# What kind of fix a rejection waits for, by the code's family in the catalogue.
FIX_KIND = {"nik": "data kependudukan (NIK, nomor KK, nama atau tanggal lahir)",
            "kk": "data kependudukan (NIK, nomor KK, nama atau tanggal lahir)",
            "identitas": "data kependudukan (NIK, nomor KK, nama atau tanggal lahir)",
            "rekening": "data rekening bank", "nominal": "nominal bantuan",
            "wilayah": "data wilayah atau kelompok", "ganda": "data ganda (terdaftar lebih dari sekali)",
            "antar_daftar": "terdaftar juga di kecamatan atau program lain",
            "registri": "kecocokan dengan data DTKS/DTSEN"}
NOT_FOUND = {"stage": "tidak_ditemukan",
             "message": "Data tidak ditemukan untuk NIK dan tanggal lahir ini. Periksa kembali keduanya, atau "
                        "tanyakan ke kantor kecamatan apakah nama Anda sudah diajukan."}


def nik_digits(nik: str) -> str:
    digits = re.sub(r"[\s.\-]", "", nik or "")
    if not re.fullmatch(r"\d{16}", digits):
        raise api_error(422, "bad_nik", "NIK harus 16 angka.", "A NIK has 16 digits.")
    return digits


def _record(ctx: ApiContext, store: Store, actor: str, channel: str, nik: str) -> None:
    with ctx.write_lock:
        record_lookup(store, actor, channel, mask_nik(nik), hashlib.sha256(nik.encode()).hexdigest())


def lookup(ctx: ApiContext, store: Store, user: User, nik: str) -> dict:
    digits = nik_digits(nik)
    events = history_of(store, digits)
    _record(ctx, store, user.name, "api", digits)
    regions, catalog = load_regions(), ctx.rules.catalog
    out = []
    for e in events.iter_rows(named=True):
        codes = list(dict.fromkeys(e["codes"]))
        out.append({
            "time": e["created_at"].isoformat(timespec="seconds"), "program": e["program"],
            "period": e["period"], "kecamatan": e["kecamatan"],
            "kecamatan_name": regions.describe(e["kecamatan"]), "status": e["status"],
            "superseded": e["superseded"],
            "reasons": [{"code": c, "message": catalog[c].title_id if c in catalog else c} for c in codes],
            "next_step": SUPERSEDED_STEP if e["superseded"] else NEXT_STEP[e["status"]],
        })
    return {"nik_masked": mask_nik(digits), "events": out}


def parse_birth_date(text: str) -> dt.date:
    """ISO (1951-04-14) or as Indonesians write it (14-04-1951, 14/04/1951)."""
    t = text.strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", t):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        pass
    raise api_error(422, "bad_date", "Tanggal lahir tidak sah. Tulis misalnya 14-04-1951 atau 1951-04-14.",
                    "Invalid birth date; write e.g. 14-04-1951 or 1951-04-14.")


def citizen_status(ctx: ApiContext, store: Store, client: str, nik: str, tanggal_lahir: str) -> dict:
    """The stage of the person's latest row on a live list, only if the birth date matches it.

    An unknown NIK and a wrong date answer the same, so the endpoint cannot tell anyone whether a
    NIK is on a list."""
    digits = nik_digits(nik)
    born = parse_birth_date(tanggal_lahir)
    _record(ctx, store, client, "status", digits)
    found = run(store.con, """
        SELECT r.submission_id, r.row, r.status, r.tanggal_lahir FROM row_results r
        JOIN submissions s ON s.id = r.submission_id AND s.state = 'complete' AND s.superseded_by IS NULL
        WHERE r.nik = ? AND r.nik_ok ORDER BY s.created_at DESC, r.row LIMIT 1
    """, [digits])
    if not found or found[0][3] != born:
        return dict(NOT_FOUND)
    submission_id, row, status, _ = found[0]
    if status == "accepted":
        return {"stage": "disetujui_untuk_pencairan",
                "message": "Data Anda lolos pemeriksaan dan disetujui untuk pencairan. Jadwal pencairan "
                           "diumumkan oleh pendamping atau bank penyalur."}
    if status == "review":
        return {"stage": "diajukan",
                "message": "Anda sudah diajukan oleh kecamatan; data Anda sedang diperiksa Dinas Sosial."}
    codes = {c for (c,) in run(store.con, """SELECT DISTINCT code FROM findings
                                             WHERE submission_id = ? AND row = ? AND severity = 'reject'""",
                               [submission_id, row])}
    if codes & INELIGIBLE:
        return {"stage": "tidak_memenuhi_syarat",
                "message": "Menurut data terpadu kesejahteraan sosial (DTKS/DTSEN) atau daftar pengecualian, Anda "
                           "tidak memenuhi syarat program ini. Untuk keberatan, datangi kantor kecamatan atau "
                           "Dinas Sosial dengan KTP dan KK."}
    catalog = ctx.rules.catalog
    kinds = sorted({FIX_KIND.get(catalog[c].family, "data pengajuan") for c in codes if c in catalog})
    fix = "; ".join(kinds) or "data pengajuan"
    return {"stage": "perlu_diperbaiki_kecamatan", "fix": fix,
            "message": f"Anda sudah diajukan, tetapi kecamatan perlu memperbaiki {fix} sebelum pencairan. "
                       "Tanyakan ke kantor kecamatan atau pendamping."}
