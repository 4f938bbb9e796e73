"""A person's story for council and finance, and the citizen's own status: both recorded.

Both read the store's `effective_rows` view, so finance's decision on a review row shows here as it
does on the finance pages. Neither answer quotes a finding's message nor a decision's note: both
are free text that can hold account numbers and other rows' details. Reasons are the catalogue's
titles of the codes."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from api import audit
from api.accounts import User
from api.context import ApiContext, StoreCache
from api.errors import api_error
from api.ratelimit import check_lookup
from validator.batch.paid import exclusive_how, paid_of_person
from validator.errors import UserError, mask_echo
from validator.normalize import name_key
from validator.store import Store, query, run
from validator.store.history import mask_nik, periods_overlap
from validator.wilayah import load_regions, place_key

NEXT_STEP = {"rejected": "menunggu perbaikan dari kecamatan",
             "review": "menunggu pemeriksaan Dinas Sosial",
             "accepted": "lolos pemeriksaan; menunggu persetujuan pencairan oleh Dinas Sosial"}
PAID_STEP = ("masuk berkas pencairan {batch} yang disetujui Dinas Sosial; disalurkan melalui penyalur (bank atau "
             "kantor pos)")
FAMILY_PAID_STEP = ("keluarganya (nomor KK yang sama) sudah masuk berkas pencairan {batch} yang disetujui Dinas "
                    "Sosial lewat anggota keluarga lain; program ini membayar satu kali per keluarga, jadi baris "
                    "ini tidak dibayar lagi")
SUPERSEDED_STEP = "digantikan oleh daftar yang dikirim ulang kecamatan (lihat peristiwa sesudahnya)"
WITHDRAWN_STEP = "daftar ini ditarik oleh kecamatan atau Dinas Sosial; tidak berlaku lagi"
ELSEWHERE_STEP = ("terdaftar juga di daftar kecamatan lain atau program lain yang berlaku untuk periode ini; tidak ada "
                  "data yang perlu diperbaiki, tetapi salah satu daftar harus mengeluarkan orang ini")
CROSS_LIST = {"GANDA_ANTAR_KECAMATAN", "GANDA_ANTAR_PROGRAM"}
PAID_ELSEWHERE_STEP = ("sudah dibayar lewat berkas pencairan {batch} yang disetujui, dari program yang tidak boleh "
                       "diterima bersamaan dengan program ini untuk periode yang sama; baris ini tidak akan dibayar "
                       "(kecamatan perlu mengeluarkannya dari daftar)")
INELIGIBLE_STEP = "tidak memenuhi syarat menurut DTKS/DTSEN atau daftar pengecualian"
# Finance deciding a row is not the approval of the disbursement file, which comes after.
DECIDED_STEP = {"accepted": "diterima setelah diperiksa Dinas Sosial; menunggu persetujuan pencairan",
                "rejected": "ditolak setelah pemeriksaan Dinas Sosial ({kinds})"}

# Rejections that no correction by the kecamatan can lift: the registry or the exclusion list says no.
INELIGIBLE = {"DTKS_MENINGGAL", "DTKS_DESIL", "DAFTAR_PENGECUALIAN", "DTKS_TIDAK_TERDAFTAR"}
# What kind of fix a rejection waits for (or what kind of reason finance rejected for), by the
# code's family in the catalogue.
FIX_KIND = {"nik": "data kependudukan (NIK, nomor KK, nama, tanggal lahir atau usia)",
            "kk": "data kependudukan (NIK, nomor KK, nama, tanggal lahir atau usia)",
            "identitas": "data kependudukan (NIK, nomor KK, nama, tanggal lahir atau usia)",
            "rekening": "data rekening bank", "nominal": "nominal bantuan",
            "wilayah": "data wilayah atau kelompok", "ganda": "data ganda (terdaftar lebih dari sekali)",
            "antar_daftar": "data ganda dengan daftar kecamatan atau program lain",
            "registri": "data yang berbeda dengan DTKS/DTSEN"}
# The same kinds in English, for message_en.
KIND_EN = {"data kependudukan (NIK, nomor KK, nama, tanggal lahir atau usia)":
           "civil registration data (NIK, KK number, name, birth date or age)",
           "data rekening bank": "bank account data", "nominal bantuan": "the amount of aid",
           "data wilayah atau kelompok": "region or group data",
           "data ganda (terdaftar lebih dari sekali)": "duplicate data (listed more than once)",
           "data ganda dengan daftar kecamatan atau program lain": "duplicates with another kecamatan's or program's list",
           "data yang berbeda dengan DTKS/DTSEN": "data that differs from the DTKS/DTSEN registry",
           "data pengajuan": "the submitted data"}
NOT_FOUND = {"stage": "tidak_ditemukan",
             "message": "Data tidak ditemukan untuk NIK dan tanggal lahir ini. Periksa kembali keduanya, atau "
                        "tanyakan ke kantor kecamatan apakah nama Anda sudah diajukan.",
             "message_en": "No data found for this NIK and birth date. Check both again, or ask the kecamatan "
                           "office whether your name was submitted."}

# A look-up is a point query among millions of rows; each statement below answers from the NIK's
# ART index or from a small table, and none joins: DuckDB would push a join's filter into the
# row_results scan and read all of it instead of using the index.
ROWS_OF_NIK = """SELECT submission_id, row, status, nik_ok, tanggal_lahir, no_kk, finding_codes FROM row_results
                 WHERE nik = ?"""
ROW_KEYS = ["submission_id", "row", "engine_status", "nik_ok", "tanggal_lahir", "no_kk", "finding_codes"]


def _partners(ctx: ApiContext) -> dict[str, frozenset[str]]:
    """Each program's mutually exclusive partners (programs.md: symmetric)."""
    return {p: frozenset(ctx.rules.exclusive_partners(p)) for p in ctx.rules.programs}


def _household(ctx: ApiContext) -> frozenset[str]:
    """The programs that pay a family once (by KK)."""
    return frozenset(p for p, rule_set in ctx.rules.programs.items() if rule_set.unit == "household")


def _in(values) -> str:
    return ", ".join("?" * len(values))


def nik_digits(nik: str) -> str:
    digits = re.sub(r"[\s.\-]", "", nik or "")
    if not re.fullmatch(r"[0-9]{16}", digits):  # ASCII digits: \d would take Arabic-Indic ones too
        raise api_error(422, "bad_nik", "NIK harus 16 angka.", "A NIK has 16 digits.")
    return digits


def _record(ctx: ApiContext, store: Store, actor: str, channel: str, nik: str) -> None:
    audit.record(ctx, store, [audit.entry(actor, channel, nik)])


# A withdrawn list is read too: a person it held may have been paid before it was withdrawn (the
# payment stands), and its rows are told as no longer live.
SUBMISSION = """SELECT created_at, program, period, kecamatan, superseded_by IS NOT NULL OR state = 'withdrawn',
                       state = 'withdrawn'
                FROM submissions WHERE state IN ('complete', 'withdrawn') AND id = ?"""


def story_rows(store: Store, nik: str, cache: StoreCache | None = None,
               household: frozenset[str] = frozenset(), partners: dict[str, frozenset[str]] | None = None) -> list[dict]:
    """Every row that held this NIK on a recorded list, oldest first: engine and effective status,
    finance's decision, and the (code, severity) pairs of its findings.

    With the server's `cache`, what the rows share with every other look-up (their submission,
    whether finance decided anything on it) is read once per write, not once per look-up."""
    rows = [dict(zip(ROW_KEYS, r, strict=True)) for r in run(store.con, ROWS_OF_NIK, [nik])]
    if not rows:
        return rows
    sids, nums = sorted({r["submission_id"] for r in rows}), sorted({r["row"] for r in rows})
    subs = {sid: meta for sid in sids if (meta := _submission(store, sid, cache)) is not None}
    codes = _codes(store, rows)
    decided = _decisions(store, nik, sids, nums, cache)
    # The approved batch versions that paid this person, or (in a household program, which pays a
    # family once) this person's family: point queries on the NIK's and the KK's index.
    kks = sorted({r["no_kk"] for r in rows if r["no_kk"] and r["submission_id"] in subs
                  and subs[r["submission_id"]][1] in household})
    # Keyed by (program, period), and for the family by the KK too: a KK the person had on another
    # list (a typo since corrected, a family since split) says nothing of this row.
    paid: dict[tuple, str] = {}
    for program, period, bid, how, matched in paid_of_person(store, nik, kks):
        paid.setdefault((program, period) if how == "nik" else (program, period, matched), bid)
    out = []
    for r in rows:
        key = (r["submission_id"], r["row"])
        kk = r.pop("no_kk")
        del r["finding_codes"]  # now in `codes`
        if r["submission_id"] not in subs:
            continue
        created, program, period, kecamatan, superseded, withdrawn = subs[r["submission_id"]]
        # Paid by this program for this period or one overlapping it (a quarter holds its months).
        own = [(k, bid) for k, bid in paid.items() if k[0] == program and periods_overlap(k[1], period)]
        by_nik = next((bid for k, bid in own if len(k) == 2), None)
        by_kk = next((bid for k, bid in own if len(k) == 3 and k[2] == kk), None) if program in household and kk else None
        # Paid by a program excluding this one for an overlapping period: the batch leaves this
        # row out (paid_elsewhere), so no answer may say it waits for payment.
        # The gate's own rule (paid.exclusive_how): the family counts when both programs pay a
        # family once, and only a payment to this row's KK.
        elsewhere = next((bid for k, bid in paid.items()
                          if (how := exclusive_how(program, period, k[0], k[1], (partners or {}).get(program, ()),
                                                   household)) and (len(k) == 2 or (how == "kk" and k[2] == kk))),
                         None)
        decision = decided.get(key, {"status": r["engine_status"], "decision": None, "decided_by": None,
                                     "decided_at": None})
        out.append(r | decision | {"created_at": created, "program": program, "period": period,
                                   "kecamatan": kecamatan, "superseded": superseded, "withdrawn": withdrawn,
                                   "paid_by": by_nik or by_kk,
                                   "paid_as": "nik" if by_nik else "kk" if by_kk else None,
                                   "paid_elsewhere": None if by_nik or by_kk else elsewhere,
                                   "codes": list(dict.fromkeys(codes.get(key, [])))})
    return sorted(out, key=lambda r: (r["created_at"], r["row"]))


def _codes(store: Store, rows: list[dict]) -> dict[tuple, list[tuple[str, str]]]:
    """(code, severity) pairs of each row's findings, sorted by code: kept on the row itself, or,
    for a row recorded before row_results kept them, read from `findings`."""
    codes = {(r["submission_id"], r["row"]): [tuple(c.split(":", 1)) for c in r["finding_codes"]]
             for r in rows if r["finding_codes"] is not None}
    older = [r for r in rows if r["finding_codes"] is None]
    if older:
        sids, nums = sorted({r["submission_id"] for r in older}), sorted({r["row"] for r in older})
        for sid, row, code, severity in run(store.con, f"""
                SELECT DISTINCT submission_id, row, code, severity FROM findings
                WHERE submission_id IN ({_in(sids)}) AND row IN ({_in(nums)}) ORDER BY code""", [*sids, *nums]):
            codes.setdefault((sid, row), []).append((code, severity))
    return codes


def _submission(store: Store, sid: str, cache: StoreCache | None) -> tuple | None:
    """(created_at, program, period, kecamatan, superseded or withdrawn, withdrawn) of a recorded
    submission (complete or withdrawn), else None."""
    def load() -> tuple | None:
        found = run(store.con, SUBMISSION, [sid])
        return found[0] if found else None

    return cache.get(("submission", sid), load) if cache is not None else load()


def _decisions(store: Store, nik: str, sids: list[str], nums: list[int],
               cache: StoreCache | None) -> dict[tuple, dict]:
    """Finance's decisions on these rows as the effective_rows view resolves them (the latest one
    counts). Most rows have none: a cheap look at the decisions table comes first (with the cache,
    at which submissions have any), and the view, which costs a few milliseconds, is read only for
    a person finance decided on."""
    if cache is not None:
        decided = cache.get(("decided_submissions",), lambda: frozenset(
            sid for (sid,) in run(store.con, "SELECT DISTINCT submission_id FROM decisions")))
        if decided.isdisjoint(sids):
            return {}
    if not run(store.con, f"""SELECT 1 FROM decisions WHERE submission_id IN ({_in(sids)}) AND row IN ({_in(nums)})
                              LIMIT 1""", [*sids, *nums]):
        return {}
    return {(sid, row): {"status": status, "decision": decision, "decided_by": by, "decided_at": at}
            for sid, row, status, decision, by, at in run(store.con, """
                SELECT submission_id, row, effective_status, decision, decided_by, decided_at
                FROM effective_rows WHERE nik = ?""", [nik])}


def lookup(ctx: ApiContext, store: Store, user: User, nik: str, channel: str = "api") -> dict:
    check_lookup(ctx.lookup_limiter, user.id)
    digits = nik_digits(nik)
    rows = story_rows(store, digits, ctx.cache, _household(ctx), _partners(ctx))
    _record(ctx, store, user.name, channel, digits)  # "web" from the look-up page
    return {"nik_masked": mask_nik(digits), "events": _events(ctx, rows)}


def _kinds(ctx: ApiContext, codes: list[tuple[str, str]], severity: str | None = None) -> str:
    """The kinds of reason behind codes, in words a citizen reads ('data rekening bank')."""
    catalog = ctx.rules.catalog
    kinds = sorted({FIX_KIND.get(catalog[c].family, "data pengajuan") for c, sev in codes
                    if c in catalog and (severity is None or sev == severity)})
    return "; ".join(kinds) or "data pengajuan"


def _kinds_en(kinds: str) -> str:
    """_kinds() in English."""
    return "; ".join(KIND_EN.get(k, k) for k in kinds.split("; "))


def _paid(r: dict) -> bool:
    """The person on this row was paid by an approved batch version of its program and period:
    told before anything else, on a list since replaced too, whatever a later list says (the
    payment happened). A family paid through another member counts only for a row the gate leaves
    out for it: accepted or in review, on the live list."""
    if not r.get("paid_by"):
        return False
    return r.get("paid_as") != "kk" or (r["status"] in ("accepted", "review") and not r["superseded"])


def _paid_elsewhere(r: dict) -> bool:
    """A program excluding this one paid the person for the period, and the gate refuses to pay
    this row for it (accepted or in review)."""
    return bool(r.get("paid_elsewhere")) and r["status"] in ("accepted", "review")


def _elsewhere(r: dict) -> bool:
    """Rejected only because the person is on another live list (another kecamatan's, or a program
    excluding this one): nothing in the row to fix; one of the two lists must drop the person."""
    rejects = {c for c, sev in r["codes"] if sev == "reject"}
    return r["status"] == "rejected" and bool(rejects) and rejects <= CROSS_LIST


def _next_step(ctx: ApiContext, r: dict) -> str:
    if _paid(r):
        return (FAMILY_PAID_STEP if r.get("paid_as") == "kk" else PAID_STEP).format(batch=r["paid_by"])
    if r["superseded"]:
        return WITHDRAWN_STEP if r.get("withdrawn") else SUPERSEDED_STEP
    if _paid_elsewhere(r):
        return PAID_ELSEWHERE_STEP.format(batch=r["paid_elsewhere"])
    if _elsewhere(r) and not r["decision"]:
        return ELSEWHERE_STEP
    if r["decision"]:
        return DECIDED_STEP[r["decision"]].format(kinds=_kinds(ctx, r["codes"]))
    if r["status"] == "rejected" and {c for c, sev in r["codes"] if sev == "reject"} & INELIGIBLE:
        return INELIGIBLE_STEP
    return NEXT_STEP[r["status"]]


def _events(ctx: ApiContext, rows: list[dict]) -> list[dict]:
    """story_rows as the look-up answers them: the effective status (finance's decision over the
    engine's), catalogue titles, who decided and when; never a finding's message or a note."""
    regions, catalog = load_regions(), ctx.rules.catalog
    out = []
    for r in rows:
        decided = {"decision": r["decision"], "decided_by": r["decided_by"],
                   "decided_at": r["decided_at"].isoformat(timespec="seconds")} if r["decision"] else None
        out.append({
            "time": r["created_at"].isoformat(timespec="seconds"), "program": r["program"],
            "period": r["period"], "kecamatan": r["kecamatan"],
            "kecamatan_name": regions.describe(r["kecamatan"]), "status": r["status"],
            "superseded": r["superseded"], "withdrawn": bool(r.get("withdrawn")),
            "reasons": [{"code": c, "message": catalog[c].title_id if c in catalog else c}
                        for c in dict.fromkeys(c for c, _ in r["codes"])],
            "next_step": _next_step(ctx, r), "engine_status": r["engine_status"], "decision": decided,
        })
    return out


def parse_birth_date(text: str) -> dt.date:
    """ISO (1951-04-14) or as Indonesians write it (14-04-1951, 14/04/1951)."""
    t = text.strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t, flags=re.ASCII):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", t, flags=re.ASCII):
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
    rows = [r for r in story_rows(store, digits, ctx.cache, _household(ctx), _partners(ctx)) if r["nik_ok"]]
    latest = _citizen_row(rows)
    if latest is None or latest["tanggal_lahir"] != born:
        return dict(NOT_FOUND)
    return _stage(ctx, latest)


def _citizen_row(rows: list[dict]) -> dict | None:
    """The row a citizen's question is about: the latest on a live list, leaving out a row rejected
    only for being on another live list while that other row stands (it is the one that counts);
    with no live row left, the latest the person was paid on (a payment stays a payment when the
    kecamatan later sends its list without the person). Oldest first in, one out."""
    live = [r for r in rows if not r["superseded"]]
    # The other row counts only when it is this person's, on a list for the same period: a family
    # member's (the KK matched), a list since resent without the person, or another quarter's
    # list leave this row's answer to this row.
    standing = [r for r in live if not (_elsewhere(r) and any(
        not _elsewhere(o) and periods_overlap(o["period"], r["period"]) for o in live))]
    if not standing:
        standing = [r for r in rows if r.get("paid_by") and r.get("paid_as") != "kk"]
    if not standing:
        return None
    latest = max(standing, key=lambda r: r["created_at"])
    # Paid by one program for the period, then sent on another program's list for it (a KUBE row in
    # review after BST paid): the payment is the answer. Answers never name the program, so
    # "still being checked" would tell the person a payment made is held up.
    # (A payment to this person: a family member's payment says nothing of another program's row.)
    paid = [r for r in standing if _paid(r) and r.get("paid_as") == "nik"
            and periods_overlap(r["period"], latest["period"])]
    return latest if _paid(latest) or not paid else max(paid, key=lambda r: r["created_at"])


def _stage(ctx: ApiContext, r: dict) -> dict:
    """The citizen's stage of one row: an approved disbursement file of its program and period
    first (the person was paid, whatever a list sent later says), then finance's decision, then
    the engine's status."""
    # The family paid through another member: the gate leaves out this row only while it is
    # accepted or in review (a rejected row is told its own reason, below).
    if _paid(r) and r.get("paid_as") == "kk":
        return {"stage": "disetujui_untuk_pencairan", "in_approved_disbursement": False,
                "family_in_approved_disbursement": True,
                "message": f"Keluarga Anda (nomor KK yang sama) sudah termasuk dalam berkas pencairan periode "
                           f"{r['period']} yang disetujui Dinas Sosial, atas nama anggota keluarga lain. Bantuan "
                           "program ini diberikan satu kali per keluarga, jadi tidak dibayarkan lagi atas nama Anda. "
                           "Tanyakan kepada anggota keluarga itu, atau kepada pendamping.",
                "message_en": f"Your family (the same KK number) is already in the disbursement file for period "
                              f"{r['period']} approved by the Dinas Sosial, under another family member's name. This "
                              "program pays once per family, so it is not paid again in your name. Ask that family "
                              "member, or the program's facilitator (pendamping)."}
    if _paid(r):
        # Neither the program nor the batch is named: today's answers never name the program,
        # and the batch id would (pkh_2026-T1_v1). The period is the person's own question.
        return {"stage": "disetujui_untuk_pencairan", "in_approved_disbursement": True,
                "message": f"Anda termasuk dalam berkas pencairan periode {r['period']} yang sudah disetujui "
                           "Dinas Sosial. Bantuan dibayarkan melalui penyalur (bank atau kantor pos); jadwal "
                           "dan tempatnya diumumkan oleh pendamping atau penyalur.",
                "message_en": f"You are in the disbursement file for period {r['period']} approved by the Dinas "
                              "Sosial. The aid is paid through the distributor (a bank or the post office); the "
                              "facilitator or the distributor announces when and where."}
    if _paid_elsewhere(r):
        return {"stage": "tidak_memenuhi_syarat", "reason": "sudah menerima bantuan lain pada periode ini",
                "message": "Anda sudah menerima bantuan lain untuk periode ini yang tidak dapat diterima bersamaan "
                           "dengan bantuan ini, sehingga bantuan ini tidak dibayarkan. Untuk pertanyaan, datangi "
                           "kantor kecamatan atau Dinas Sosial dengan KTP dan KK.",
                "message_en": "You already receive other aid for this period that cannot be received together with "
                              "this aid, so this aid is not paid. For questions, go to the kecamatan office or the "
                              "Dinas Sosial with your KTP and KK."}
    if r["decision"] == "rejected":
        kinds = _kinds(ctx, r["codes"])
        return {"stage": "tidak_memenuhi_syarat", "reason": kinds,
                # (Finance also rejects data that can be fixed: not "not eligible" as such.)
                "message": f"Setelah pemeriksaan Dinas Sosial, pengajuan Anda untuk periode ini ditolak (jenis "
                           f"alasan: {kinds}). Tanyakan ke kantor kecamatan apakah data dapat diperbaiki dan "
                           "diajukan lagi; untuk keberatan, datangi kantor kecamatan atau Dinas Sosial dengan KTP "
                           "dan KK.",
                "message_en": f"After review by the Dinas Sosial, your submission for this period was rejected "
                              f"(kind of reason: {_kinds_en(kinds)}). Ask the kecamatan office whether the data can "
                              "be fixed and submitted again; to object, go to the kecamatan office or the Dinas "
                              "Sosial with your KTP and KK."}
    if r["status"] == "accepted":
        # Not yet in an approved disbursement file: the gate (pagu, kuota, approval) comes after.
        checked = "sudah diperiksa dan diterima Dinas Sosial" if r["decision"] else "lolos pemeriksaan"
        checked_en = "was reviewed and accepted by the Dinas Sosial" if r["decision"] else "passed the checks"
        return {"stage": "disetujui_untuk_pencairan",
                "message": f"Data Anda {checked}, dan kini menunggu persetujuan pencairan oleh Dinas Sosial. "
                           "Jadwal pencairan diumumkan oleh pendamping atau penyalur (bank atau kantor pos) "
                           "setelah disetujui.",
                "message_en": f"Your data {checked_en} and now waits for the Dinas Sosial to approve the "
                              "disbursement. The facilitator or the distributor (a bank or the post office) announces "
                              "the schedule once it is approved."}
    if r["status"] == "review":
        return {"stage": "diajukan",
                "message": "Anda sudah diajukan oleh kecamatan; data Anda sedang diperiksa Dinas Sosial.",
                "message_en": "The kecamatan has submitted you; the Dinas Sosial is reviewing your data."}
    if {c for c, sev in r["codes"] if sev == "reject"} & INELIGIBLE:
        return {"stage": "tidak_memenuhi_syarat", "reason": "data DTKS/DTSEN atau daftar pengecualian",
                "message": "Menurut DTKS/DTSEN atau daftar pengecualian Dinas Sosial, Anda belum memenuhi syarat "
                           "program ini. Jika data Anda keliru atau keadaan keluarga sudah berubah, usulkan "
                           "pemutakhiran data melalui kantor desa/kelurahan; untuk keberatan, datangi kantor "
                           "kecamatan atau Dinas Sosial dengan KTP dan KK.",
                "message_en": "According to the DTKS/DTSEN social registry or the Dinas Sosial's exclusion list, you "
                              "are not yet eligible for this program. If your data is wrong or your family's "
                              "situation has changed, ask for an update through the desa/kelurahan office; to object, "
                              "go to the kecamatan office or the Dinas Sosial with your KTP and KK."}
    if _elsewhere(r):
        return {"stage": "perlu_diperbaiki_kecamatan", "fix": "data ganda dengan daftar lain",
                "message": "Anda juga tercantum di daftar kecamatan lain atau program lain untuk periode ini, "
                           "sehingga hanya satu yang dapat dibayar. Tanyakan ke kantor kecamatan atau pendamping "
                           "daftar mana yang berlaku untuk Anda.",
                "message_en": "You are also on another kecamatan's or program's list for this period, so only one "
                              "can be paid. Ask the kecamatan office or the facilitator which list applies to you."}
    fix = _kinds(ctx, r["codes"], "reject")
    return {"stage": "perlu_diperbaiki_kecamatan", "fix": fix,
            # (An age or an area outside the program may mean not eligible: no promise of payment.)
            "message": f"Anda sudah diajukan, tetapi ada data yang harus diperiksa atau diperbaiki kecamatan ({fix}) "
                       "sebelum dapat dibayar. Tanyakan ke kantor kecamatan atau pendamping.",
            "message_en": f"You were submitted, but the kecamatan must check or fix some data ({_kinds_en(fix)}) "
                          "before it can be paid. Ask the kecamatan office or the facilitator."}


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
    typed = mask_echo(text, 7)  # quoted back: a NIK typed here by mistake is masked
    if len(sent) > 1:
        options = ", ".join(regions.describe(c) for c in sorted(sent))
        raise api_error(422, "ambiguous_kecamatan", f"Ada beberapa kecamatan bernama '{typed}': {options}. "
                        "Tulis kodenya.", f"Several kecamatan are named '{typed}'; give the code.")
    raise api_error(422, "bad_kecamatan", f"Kecamatan '{typed}' tidak dikenal. Tulis namanya seperti di KTP atau "
                    "kode Kemendagri 6 angka, misalnya 12.71.17.", f"Unknown kecamatan '{typed}'.")


def by_name(ctx: ApiContext, store: Store, user: User, nama: str, kecamatan: str,
            channel: str = "api-name") -> dict:
    """People listed by a kecamatan under this name, matched as the engine matches names (titles
    dropped, Muhammad variants and old spelling folded), each with the NIK look-up's story."""
    from validator.engine import parse_kecamatan  # the engine is heavy; only this path needs it

    check_lookup(ctx.lookup_limiter, user.id)

    regions = load_regions()
    code = _kecamatan_code(store, kecamatan.strip(), regions, parse_kecamatan)
    key = pl.select(name_key(pl.lit(nama))).item()
    if code is None or key is None or len(key.replace(" ", "")) < 3:
        raise api_error(422, "bad_name", "Tulis nama (paling sedikit 3 huruf) dan kecamatan.",
                        "Give a name of at least 3 letters and a kecamatan.")
    names = query(store.con, """
        SELECT DISTINCT r.nama FROM row_results r
        JOIN submissions s ON s.id = r.submission_id AND s.state IN ('complete', 'withdrawn')
        WHERE s.kecamatan = ? AND r.nik_ok AND r.nama IS NOT NULL""", [code])
    same = names.filter(name_key(pl.col("nama")) == key)["nama"].to_list() if names.height else []
    people = run(store.con, """
        SELECT r.nik, min(r.nama) FROM row_results r
        JOIN submissions s ON s.id = r.submission_id AND s.state IN ('complete', 'withdrawn')
        WHERE s.kecamatan = ? AND r.nik_ok AND list_contains(?::VARCHAR[], r.nama)
        GROUP BY r.nik ORDER BY r.nik LIMIT ?""", [code, same, MAX_NAME_MATCHES + 1]) if same else []
    matches = [{"nik_masked": mask_nik(nik), "nama": shown, "events": _events(ctx, story_rows(store, nik, ctx.cache, _household(ctx), _partners(ctx)))}
               for nik, shown in people[:MAX_NAME_MATCHES]]
    # One record per person shown, each with what was searched (the name masked and digested);
    # a search that found nobody is recorded too, with the search alone.
    search = (nama, key, code)
    audit.record(ctx, store, [audit.entry(user.name, channel, nik, search) for nik, _ in people[:MAX_NAME_MATCHES]]
                 or [audit.entry(user.name, channel, None, search)])
    return {"kecamatan": code, "kecamatan_name": regions.describe(code), "matches": matches,
            "truncated": len(people) > MAX_NAME_MATCHES}
