"""A person's story for council and finance, and the citizen's own status: both recorded.

Neither answer quotes a finding's message: messages can hold account numbers and other rows'
details. Reasons are the catalogue's titles of the codes."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import polars as pl

from api.accounts import User
from api.context import ApiContext
from api.errors import api_error
from validator.errors import UserError
from validator.normalize import name_key
from validator.store import Store, query, run
from validator.store.history import history_of, mask_nik, record_lookup
from validator.wilayah import load_regions, place_key

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
    return {"nik_masked": mask_nik(digits), "events": _events(ctx, events)}


def _events(ctx: ApiContext, events) -> list[dict]:
    """history_of's frame as the look-up answers it: catalogue titles, never finding messages."""
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
    return out


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


MAX_NAME_MATCHES = 20  # a name common enough to match more needs a NIK to tell people apart


def _kecamatan_code(store: Store, text: str, regions, parse_kecamatan) -> str | None:
    """A Kemendagri code, or a kecamatan's name as a council member would write it ('Medan Baru').
    Names repeat across Indonesia, so a name counts among the kecamatan that sent lists here."""
    if not text or any(ch.isdigit() for ch in text):
        try:
            return parse_kecamatan(text, regions)
        except UserError as exc:
            raise api_error(422, exc.code, exc.message_id, exc.message_en) from None
    codes = set(regions.kecamatan_by_key.get(place_key(text), ()))
    sent = {c for (c,) in run(store.con, "SELECT DISTINCT kecamatan FROM submissions")} & codes
    if len(sent) == 1 or (len(codes) == 1 and not sent):
        return (sent or codes).pop()
    if len(sent) > 1:
        options = ", ".join(regions.describe(c) for c in sorted(sent))
        raise api_error(422, "ambiguous_kecamatan", f"Ada beberapa kecamatan bernama '{text}': {options}. "
                        "Tulis kodenya.", f"Several kecamatan are named '{text}'; give the code.")
    raise api_error(422, "bad_kecamatan", f"Kecamatan '{text}' tidak dikenal. Tulis namanya seperti di KTP atau "
                    "kode Kemendagri 6 angka, misalnya 12.71.17.", f"Unknown kecamatan '{text}'.")


def by_name(ctx: ApiContext, store: Store, user: User, nama: str, kecamatan: str) -> dict:
    """People listed by a kecamatan under this name, matched as the engine matches names (titles
    dropped, Muhammad variants and old spelling folded), each with the NIK look-up's story."""
    from validator.engine import parse_kecamatan  # the engine is heavy; only this path needs it

    regions = load_regions()
    code = _kecamatan_code(store, kecamatan.strip(), regions, parse_kecamatan)
    key = pl.select(name_key(pl.lit(nama))).item()
    if code is None or key is None or len(key.replace(" ", "")) < 3:
        raise api_error(422, "bad_name", "Tulis nama (paling sedikit 3 huruf) dan kecamatan.",
                        "Give a name of at least 3 letters and a kecamatan.")
    names = query(store.con, """
        SELECT DISTINCT r.nama FROM row_results r
        JOIN submissions s ON s.id = r.submission_id AND s.state = 'complete'
        WHERE s.kecamatan = ? AND r.nik_ok AND r.nama IS NOT NULL""", [code])
    same = names.filter(name_key(pl.col("nama")) == key)["nama"].to_list() if names.height else []
    people = run(store.con, """
        SELECT r.nik, min(r.nama) FROM row_results r
        JOIN submissions s ON s.id = r.submission_id AND s.state = 'complete'
        WHERE s.kecamatan = ? AND r.nik_ok AND list_contains(?::VARCHAR[], r.nama)
        GROUP BY r.nik ORDER BY r.nik LIMIT ?""", [code, same, MAX_NAME_MATCHES + 1]) if same else []
    matches = [{"nik_masked": mask_nik(nik), "nama": shown, "events": _events(ctx, history_of(store, nik))}
               for nik, shown in people[:MAX_NAME_MATCHES]]
    for nik, _ in people[:MAX_NAME_MATCHES]:
        _record(ctx, store, user.name, "api-name", nik)
    if not people:  # a look-up that found nobody is recorded too
        with ctx.write_lock:
            record_lookup(store, user.name, "api-name", "-", None)
    return {"kecamatan": code, "kecamatan_name": regions.describe(code), "matches": matches,
            "truncated": len(people) > MAX_NAME_MATCHES}
