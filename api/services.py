"""Submissions and jobs: what the routes call. Access rules live here, next to the data they guard."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import shutil
from pathlib import Path
from typing import BinaryIO

from api import jobs
from api.accounts import User
from api.context import ApiContext
from api.errors import api_error
from validator.errors import UserError, env_number, id_as_period
from validator.store import Store, run
from validator.store.history import new_submission_id

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # far above a 100,000-row list (about 15 MB as xlsx)


def max_upload_bytes(megabytes: float | None = None) -> int:
    """The upload limit: the create_app argument, else env BANSOS_MAX_UPLOAD_MB, else 200 MB."""
    if megabytes is None:
        megabytes = env_number("BANSOS_MAX_UPLOAD_MB", MAX_UPLOAD_BYTES / 2**20)
    return int(megabytes * 2**20)


def too_large(limit: int, import_: bool = False) -> Exception:
    mb = f"{limit / 2**20:g}"
    if import_:  # a registry extract or an exclusion list: CSV or Parquet, and the CLI has no limit
        return api_error(413, "too_large", f"Berkas lebih dari {mb} MB. Simpan ekstrak sebagai Parquet (jauh lebih "
                         "kecil dari CSV), atau impor di server dengan: bansos registry import BERKAS --store PATH.",
                         f"The file is larger than {mb} MB. Save the extract as Parquet, or import it on the server "
                         "with: bansos registry import FILE --store PATH.")
    return api_error(413, "too_large", f"Berkas lebih dari {mb} MB. Pecah daftar per kecamatan atau per bulan, "
                     "atau simpan sebagai .xlsx (lebih kecil dari .csv), lalu kirim lagi.",
                     f"The file is larger than {mb} MB. Split the list, or save it as .xlsx, and send it again.")
NAME_LIMIT = 120


def safe_file_name(name: str | None) -> str:
    """The client's file name without folders or odd characters, at most 120 characters, the
    extension kept (the engine picks its reader by it)."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^\w.\- ]+", "_", base, flags=re.ASCII).strip(" .")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = ext[:10]
    stem = (stem or "daftar")[: NAME_LIMIT - len(ext) - 1]
    return f"{stem}.{ext}" if ext else stem[:NAME_LIMIT]


def _not_found() -> Exception:
    return api_error(404, "not_found", "Pengajuan tidak ditemukan.", "Submission not found.")


def start_submission(ctx: ApiContext, store: Store, user: User, *, file: BinaryIO, file_name: str | None,
                     program: str, period: str) -> tuple[str, str]:
    """Keep the upload, queue its validation; the job answers how far it got."""
    try:
        program = ctx.rules.program(program).id
    except UserError as exc:
        raise api_error(422, "bad_program", exc.message_id, exc.message_en) from None
    period = period.strip()
    if (wrong := id_as_period(period)) is not None:
        raise api_error(422, "bad_period", wrong.message_id, wrong.message_en)
    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z\-/ ]{0,19}", period):
        raise api_error(422, "bad_period", "Periode tidak sah. Tulis misalnya 2026-T1 atau 2026-03.",
                        "Invalid period; write e.g. 2026-T1 or 2026-03.")
    sid = new_submission_id()
    name = safe_file_name(file_name)
    folder = ctx.upload_dir(sid)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    size, limit = 0, ctx.max_upload_bytes
    with target.open("wb") as out:
        while chunk := file.read(1024 * 1024):
            size += len(chunk)
            if size > limit:
                break
            out.write(chunk)
    if size > limit:
        shutil.rmtree(folder, ignore_errors=True)
        raise too_large(limit)
    with ctx.write_lock:
        job_id = jobs.create_job(store, submission_id=sid, user_id=user.id, program=program,
                                 period=period, kecamatan=user.kecamatan, file_name=name)
    ctx.worker.submit(job_id)
    return sid, job_id


def job_state(store: Store, user: User, job_id: str) -> dict:
    """The submitter and finance see a job; for anyone else it does not exist."""
    job = jobs.get_job(store, job_id)
    if job is None or (user.role != "finance" and job["user_id"] != user.id):
        raise api_error(404, "not_found", "Pekerjaan tidak ditemukan.", "Job not found.")
    return {"state": job["state"], "progress": job["progress"], "submission_id": job["submission_id"],
            "error": job["error"]}


def _kecamatan_of(store: Store, submission_id: str) -> tuple[str | None, dict | None]:
    job = jobs.get_job(store, submission_id, by="submission")
    if job is not None:
        return job["kecamatan"], job
    found = run(store.con, "SELECT kecamatan FROM submissions WHERE id = ?", [submission_id])
    return (found[0][0] if found else None), None


def _result_dir(ctx: ApiContext, store: Store, user: User, submission_id: str) -> Path:
    """Where a submission's results are, for a user allowed to see them.

    An operator of another kecamatan gets the same 404 as for an id that does not exist, so ids
    cannot be probed."""
    kecamatan, job = _kecamatan_of(store, submission_id)
    if kecamatan is None or (user.role == "operator" and kecamatan != user.kecamatan):
        raise _not_found()
    folder = ctx.result_dir(submission_id)
    if (folder / "result.json").exists():
        return folder
    if job is not None and job["state"] in ("queued", "running"):
        raise api_error(409, "not_ready", "Validasi belum selesai. Lihat kemajuan di /api/v1/jobs/" + job["id"] + ".",
                        "Validation has not finished yet.")
    if job is not None and job["state"] == "failed":
        raise api_error(409, "job_failed", "Validasi berkas ini gagal; lihat alasannya di /api/v1/jobs/" + job["id"] + ".",
                        "Validation of this file failed; see the job for why.")
    raise api_error(404, "no_result", "Hasil pengajuan ini tidak tersimpan di server (dikirim lewat baris perintah).",
                    "This submission's results are not kept on the server.")


@functools.lru_cache(maxsize=4)
def _load_result(path: str, mtime_ns: int) -> dict:
    # A big list's result.json is parsed once, not on every page a client asks for.
    return json.loads(Path(path).read_bytes())


def submission_page(ctx: ApiContext, store: Store, user: User, submission_id: str, *, page: int,
                    per_page: int, status: str | None, code: str | None) -> dict:
    path = _result_dir(ctx, store, user, submission_id) / "result.json"
    doc = _load_result(str(path), path.stat().st_mtime_ns)
    rows = doc["rows"]
    if status:
        rows = [r for r in rows if r["status"] == status]
    if code:
        code = code.strip().upper()
        rows = [r for r in rows if any(f["code"] == code for f in r["findings"])]
    start = (page - 1) * per_page
    head = {k: v for k, v in doc.items() if k != "rows"}
    return head | {"page": page, "per_page": per_page, "total_rows": len(rows),
                   "pages": max(1, -(-len(rows) // per_page)), "rows": rows[start:start + per_page]}


def list_warnings(ctx: ApiContext, submission_id: str) -> list[dict]:
    """The warnings of a list's result.json (a column not found, a sheet not read, …), for pages
    that read the store rather than the result; none when the result is not kept on the server."""
    path = ctx.result_dir(submission_id) / "result.json"
    if not path.exists():
        return []
    return _load_result(str(path), path.stat().st_mtime_ns).get("warnings") or []


def workbook_path(ctx: ApiContext, store: Store, user: User, submission_id: str) -> Path:
    return _result_dir(ctx, store, user, submission_id) / "result.xlsx"


def download_name(store: Store, submission_id: str, kind: str, suffix: str) -> str:
    """'hasil_pkh_2026-T1_127117_3f9a1c.xlsx': what the file is, for a Downloads folder full of them;
    a list no longer live says so in the name ('diterima-digantikan_…', '…-ditarik_…'), so a file
    handed on later cannot pass for the live list."""
    found = run(store.con, """SELECT program, period, kecamatan,
                                     CASE WHEN state = 'withdrawn' THEN 'ditarik'
                                          WHEN superseded_by IS NOT NULL THEN 'digantikan' END
                              FROM submissions WHERE id = ?""", [submission_id])
    program, period, kecamatan, gone = found[0] if found else (None, None, None, None)
    parts = [f"{kind}-{gone}" if gone else kind, program, period, kecamatan, submission_id[:6]]
    return "_".join(re.sub(r"[^A-Za-z0-9.-]+", "-", str(x)) for x in parts if x) + suffix


def submission_diff(ctx: ApiContext, store: Store, user: User, submission_id: str) -> dict:
    """The resubmission diff kept in result.json: what changed since the list this one replaced."""
    path = _result_dir(ctx, store, user, submission_id) / "result.json"
    doc = _load_result(str(path), path.stat().st_mtime_ns)
    if doc.get("compared_to") is None:
        raise api_error(404, "no_previous", "Pengajuan ini tidak menggantikan daftar sebelumnya (kiriman pertama "
                        "untuk kecamatan, program dan periode ini), jadi tidak ada perbandingan.",
                        "This submission replaced no earlier list, so there is no diff.")
    return doc["compared_to"]


def decisions_of(store: Store, user: User, submission_id: str) -> list[dict]:
    """Finance's decisions on a submission's review rows, oldest first, earlier ones kept: the
    kecamatan reads what finance decided and why."""
    kecamatan, _ = _kecamatan_of(store, submission_id)
    if kecamatan is None or (user.role == "operator" and kecamatan != user.kecamatan):
        raise _not_found()
    found = run(store.con, """SELECT row, decision, note, user_name, time FROM decisions
                              WHERE submission_id = ? ORDER BY time, row""", [submission_id])
    return [{"row": r, "decision": d, "note": n, "decided_by": u, "decided_at": t.isoformat(timespec="seconds")}
            for r, d, n, u, t in found]


def withdraw_submission(ctx: ApiContext, store: Store, user: User, submission_id: str) -> dict:
    """Take a live list back (sent for the wrong period or program, or the wrong file): it stops
    counting everywhere (finance's batch and gate, the checks across lists, look-ups) and the list
    it had replaced, if any, is live again. Its kecamatan's operators and finance may do it; people
    an approved batch already paid stay paid. The list itself, its results and who withdrew it
    when are kept."""
    kecamatan, job = _kecamatan_of(store, submission_id)
    if kecamatan is None or (user.role == "operator" and kecamatan != user.kecamatan):
        raise _not_found()
    # (Waits for a list being checked against the live lists to be recorded first.)
    with ctx.lists_lock, ctx.write_lock:
        found = run(store.con, "SELECT state, superseded_by FROM submissions WHERE id = ?", [submission_id])
        if job is not None and job["state"] == "failed" or found and found[0][0] == "failed":
            raise api_error(409, "job_failed", "Berkas ini tidak dapat divalidasi, jadi daftarnya tidak pernah berlaku "
                            "dan tidak perlu ditarik.", "This file could not be validated: its list never counted.")
        if not found:
            raise api_error(409, "not_ready", "Validasi daftar ini belum selesai; tunggu hingga selesai.",
                            "Validation of this list has not finished.")
        state, superseded_by = found[0]
        if state == "withdrawn":
            raise api_error(409, "withdrawn", "Daftar ini sudah ditarik.", "This list was already withdrawn.")
        if state != "complete" or superseded_by is not None:
            raise api_error(409, "not_live", "Daftar ini sudah tidak berlaku (digantikan kiriman ulang), jadi tidak "
                            "perlu ditarik. Tarik daftar yang berlaku bila perlu.",
                            "This list is no longer live (it was replaced); withdraw the live one if needed.")
        now = dt.datetime.now()
        with store.transaction():
            run(store.con, "UPDATE submissions SET state = 'withdrawn', withdrawn_at = ?, withdrawn_by = ? WHERE id = ?",
                [now, user.name, submission_id])
            restored = run(store.con, """UPDATE submissions SET superseded_by = NULL
                                         WHERE superseded_by = ? AND state = 'complete' RETURNING id""", [submission_id])
    return {"submission_id": submission_id, "state": "withdrawn", "withdrawn_by": user.name,
            "withdrawn_at": now.isoformat(timespec="seconds"), "restored": restored[0][0] if restored else None,
            "flagged_elsewhere": flagged_elsewhere(store, submission_id)}


def flagged_elsewhere(store: Store, submission_id: str) -> list[dict]:
    """Live lists with rows rejected as being on this one (GANDA_ANTAR_KECAMATAN, GANDA_ANTAR_PROGRAM):
    once this list is withdrawn those rows stay rejected until their kecamatan sends the list again
    (the checks run when a list is sent). A finding names no list, so this is what could have made
    it: a list sent after this one, for an overlapping period, holding the row's person (or its
    KK) — of this program for GANDA_ANTAR_KECAMATAN, of another for GANDA_ANTAR_PROGRAM."""
    from validator.store.history import periods_overlap

    own = run(store.con, "SELECT program, period, created_at FROM submissions WHERE id = ?", [submission_id])
    if not own:
        return []
    program, period, created = own[0]
    rows: dict[tuple, set[int]] = {}
    for sid, theirs, their_period, kec, code, row in run(store.con, """
        SELECT DISTINCT s.id, s.program, s.period, s.kecamatan, f.code, r.row
        FROM findings f
        JOIN row_results r ON r.submission_id = f.submission_id AND r.row = f.row
        JOIN submissions s ON s.id = f.submission_id
        WHERE f.code IN ('GANDA_ANTAR_KECAMATAN', 'GANDA_ANTAR_PROGRAM') AND s.state = 'complete'
          AND s.superseded_by IS NULL AND s.id <> ? AND s.created_at > ?
          AND (r.nik IN (SELECT nik FROM row_results WHERE submission_id = ? AND nik_ok)
               OR r.no_kk IN (SELECT no_kk FROM row_results WHERE submission_id = ? AND no_kk IS NOT NULL))
        ORDER BY s.kecamatan, s.program""", [submission_id, created, submission_id, submission_id]):
        if periods_overlap(their_period, period) and (theirs == program) == (code == "GANDA_ANTAR_KECAMATAN"):
            rows.setdefault((sid, theirs, their_period, kec), set()).add(row)
    return [{"submission_id": sid, "program": p, "period": t, "kecamatan": k, "rows": len(found)}
            for (sid, p, t, k), found in rows.items()]
