"""Finance: every kecamatan's live list side by side, the reasons behind held rows, and decisions
on rows the engine left for review. The effective status of a row is finance's latest decision on
it, else the engine's status: overview, drill-down and the accepted list all read the store's
`effective_rows` view, as look-ups, citizen status and the disbursement batch do."""

from __future__ import annotations

import datetime as dt

from api.accounts import User
from api.context import ApiContext
from api.errors import api_error
from validator.batch import paid
from validator.errors import STATUS_TEXT, UserError, mask_echo
from validator.store import Store, run
from validator.store.history import canonical_period
from validator.wilayah import load_regions


def _program(ctx: ApiContext, program: str) -> str:
    try:
        ctx.rules.program(program)
    except UserError as exc:
        raise api_error(422, "bad_program", exc.message_id, exc.message_en) from None
    return program


def overview(ctx: ApiContext, store: Store, program: str, period: str) -> dict:
    """Per kecamatan, its live list for the program and period: counts and amounts after decisions."""
    program, period = _program(ctx, program), canonical_period(period)
    subs = run(store.con, """
        SELECT s.kecamatan, s.id, s.file_name, s.created_at, count(r.row),
               count(*) FILTER (r.effective_status = 'accepted'), count(*) FILTER (r.effective_status = 'review'),
               count(*) FILTER (r.effective_status = 'rejected'), count(r.decision),
               coalesce(sum(r.nominal) FILTER (r.effective_status = 'accepted'), 0),
               coalesce(sum(r.nominal) FILTER (r.effective_status <> 'accepted'), 0)
        FROM submissions s
        LEFT JOIN effective_rows r ON r.submission_id = s.id
        WHERE s.state = 'complete' AND s.superseded_by IS NULL AND s.program = ? AND s.period = ?
        GROUP BY s.kecamatan, s.id, s.file_name, s.created_at  -- not ALL: DuckDB refuses it with QUALIFY
        QUALIFY row_number() OVER (PARTITION BY s.kecamatan ORDER BY s.created_at DESC) = 1
        ORDER BY s.kecamatan
    """, [program, period])
    codes: dict[str, dict[str, int]] = {}
    if subs:
        ids = [s[1] for s in subs]
        for sid, code, n in run(store.con, f"""
                SELECT submission_id, code, count(DISTINCT row) FROM findings
                WHERE submission_id IN ({', '.join('?' * len(ids))}) GROUP BY ALL ORDER BY 3 DESC, 2""", ids):
            codes.setdefault(sid, {})[code] = n
    regions = load_regions()
    keys = ["rows", "accepted", "review", "rejected", "decided", "amount_accepted", "amount_held"]
    out = []
    for kec, sid, file_name, created, *numbers in subs:
        out.append({"kecamatan": kec, "kecamatan_name": regions.describe(kec), "submission_id": sid,
                    "file_name": file_name, "created_at": created.isoformat(timespec="seconds")}
                   | dict(zip(keys, numbers, strict=True)) | {"by_code": codes.get(sid, {})})
    totals = {k: sum(o[k] for o in out) for k in keys}
    return {"program": program, "period": period, "kecamatan": out, "totals": totals}


def _live_submission(store: Store, submission_id: str) -> tuple:
    """(id, the list that is live now in its place, or None when it is live itself).

    A list replaced twice names the latest one, not the one in between."""
    found = run(store.con, """
        SELECT s.id, CASE WHEN s.superseded_by IS NOT NULL THEN coalesce(
                   (SELECT l.id FROM submissions l WHERE l.state = 'complete' AND l.superseded_by IS NULL
                      AND l.program = s.program AND l.period = s.period AND l.kecamatan = s.kecamatan
                    ORDER BY l.created_at DESC LIMIT 1), s.superseded_by) END
        FROM submissions s WHERE s.id = ? AND s.state = 'complete'""", [submission_id])
    if not found:
        withdrawn = run(store.con, "SELECT withdrawn_by, withdrawn_at FROM submissions WHERE id = ? AND state = 'withdrawn'",
                        [submission_id])
        if withdrawn:
            by, at = withdrawn[0]
            raise api_error(409, "withdrawn", f"Daftar ini sudah ditarik oleh {by} pada {at:%d-%m-%Y %H.%M}: tidak "
                            "dihitung lagi dan tidak ada yang perlu diputuskan.",
                            "This list was withdrawn: it counts no more and needs no decision.")
        raise api_error(404, "not_found", "Pengajuan tidak ditemukan.", "Submission not found.")
    return found[0]


ROWS_SHOWN = 1000  # a drill-down lists at most this many rows and says so; the exports hold them all
ROW_KEYS = ["row", "nik", "nama", "nominal", "status", "effective_status", "decision_note", "decided_by",
            "decided_at", "messages"]


def reasons(ctx: ApiContext, store: Store, submission_id: str, code: str | None,
            status: str | None = None) -> dict:
    """Codes of a list with their rows counted; with `code`, the rows that carry it (and that
    code's messages); with `status`, the rows the engine gave that status (and all their messages)."""
    _live_submission(store, submission_id)
    catalog = ctx.rules.catalog
    counts = run(store.con, """SELECT code, any_value(severity), count(DISTINCT row) FROM findings
                               WHERE submission_id = ? GROUP BY code ORDER BY 3 DESC, 1""", [submission_id])
    out = {"submission_id": submission_id, "codes": [
        {"code": c, "title": catalog[c].title_id if c in catalog else c, "severity": sev, "rows": n}
        for c, sev, n in counts]}
    if code or status:
        code = code.strip().upper() if code else None
        found = run(store.con, f"""
            SELECT r.row, r.nik, r.nama, r.nominal, r.status, r.effective_status, r.decision_note,
                   r.decided_by, r.decided_at,
                   coalesce(list(f.message ORDER BY f.message) FILTER (f.message IS NOT NULL), [])
            FROM effective_rows r
            {"JOIN" if code else "LEFT JOIN"} findings f ON f.submission_id = r.submission_id AND f.row = r.row
                {"AND f.code = ?" if code else ""}
            WHERE r.submission_id = ? {"AND r.status = ?" if status else ""}
            GROUP BY ALL ORDER BY r.row LIMIT ?""",
                    [*([code] if code else []), submission_id, *([status] if status else []), ROWS_SHOWN + 1])
        out |= {"code": code, "status": status, "truncated": len(found) > ROWS_SHOWN,
                "rows": [dict(zip(ROW_KEYS, r, strict=True)) for r in found[:ROWS_SHOWN]]}
        for r in out["rows"]:
            r["decided_at"] = r["decided_at"].isoformat(timespec="seconds") if r["decided_at"] else None
    return out


def submission_summary(store: Store, submission_id: str) -> dict:
    """A list's scope and its rows counted by effective status (finance's decisions included)."""
    found = run(store.con, """
        SELECT s.id, s.program, s.period, s.kecamatan, s.file_name, s.created_at, s.superseded_by,
               count(r.row), count(*) FILTER (r.effective_status = 'accepted'),
               count(*) FILTER (r.effective_status = 'review'), count(*) FILTER (r.effective_status = 'rejected'),
               count(r.decision), coalesce(sum(r.nominal) FILTER (r.effective_status = 'accepted'), 0)
        FROM submissions s LEFT JOIN effective_rows r ON r.submission_id = s.id
        WHERE s.id = ? AND s.state = 'complete' GROUP BY ALL""", [submission_id])
    if not found:
        raise api_error(404, "not_found", "Pengajuan tidak ditemukan.", "Submission not found.")
    keys = ["submission_id", "program", "period", "kecamatan", "file_name", "created_at", "superseded_by",
            "rows", "accepted", "review", "rejected", "decided", "amount_accepted"]
    return dict(zip(keys, found[0], strict=True))


def decide(ctx: ApiContext, store: Store, user: User, submission_id: str, row: int, decision: str,
           note: str) -> dict:
    """Record finance's decision on a review row; rows the engine accepted or rejected are not
    finance's to overturn here (a rejection is fixed by the kecamatan and sent again)."""
    _, superseded_by = _live_submission(store, submission_id)
    if superseded_by is not None:
        raise api_error(409, "superseded", "Daftar ini sudah digantikan oleh kiriman ulang kecamatan; "
                        f"putuskan pada pengajuan {superseded_by}.",
                        "This list was replaced by a resubmission; decide on the newer one.")
    found = run(store.con, "SELECT status FROM row_results WHERE submission_id = ? AND row = ?",
                [submission_id, row])
    if not found:
        typed = mask_echo(row)  # a NIK typed as the row number is not quoted back whole
        raise api_error(404, "row_not_found", f"Baris {typed} tidak ada dalam pengajuan ini.",
                        f"Row {typed} is not in this submission.")
    if found[0][0] != "review":
        raise api_error(409, "not_review", f"Baris {row} berstatus '{STATUS_TEXT.get(found[0][0], found[0][0])}', bukan 'perlu "
                        "diperiksa': hanya baris yang perlu diperiksa yang dapat diputuskan keuangan.",
                        "Only rows with status 'review' can be decided.")
    now = dt.datetime.now()
    with ctx.write_lock:
        run(store.con, "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?)",
            [submission_id, row, decision, note, user.id, user.name, now])
    return {"submission_id": submission_id, "row": row, "status": "review", "decision": decision,
            "note": note, "decided_by": user.name, "decided_at": now.isoformat(timespec="seconds")}


def with_decisions(store: Store, submission_id: str, doc: dict) -> dict:
    """A page of result.json with finance's decisions: each row keeps the engine's `status` (the
    contract's field) and gains `effective_status` and `decision` (who, when, note, or null)."""
    if not doc["rows"]:
        return doc
    latest = {row: {"decision": d, "note": n, "decided_by": u, "decided_at": t.isoformat(timespec="seconds")}
              for row, d, n, u, t in run(store.con, """
                  SELECT row, decision, decision_note, decided_by, decided_at FROM effective_rows
                  WHERE submission_id = ? AND decision IS NOT NULL""", [submission_id])}
    rows = [r | {"effective_status": latest[r["row"]]["decision"] if r["row"] in latest else r["status"],
                 "decision": latest.get(r["row"])} for r in doc["rows"]]
    return doc | {"rows": rows}


def accepted_rows(ctx: ApiContext, store: Store, submission_id: str) -> list[tuple]:
    """(row, nik, no_kk, nama, tanggal_lahir, bank, no_rekening, nominal, note, paid by) of the rows
    whose effective status is accepted: what payment needs, in the order of exports.HEADERS. "Paid
    by" names the approved batch versions of the same program and period that already paid the
    person (or, in a household program, the family), so this list is never paid from a second time."""
    _live_submission(store, submission_id)
    rows = run(store.con, """
        SELECT e.row, e.nik, e.no_kk, e.nama, e.tanggal_lahir, e.bank, e.no_rekening, e.nominal, e.decision_note,
               e.sheet
        FROM effective_rows e WHERE e.submission_id = ? AND e.effective_status = 'accepted' ORDER BY e.row""",
               [submission_id])
    versions, household = _paid_scope(ctx, store, submission_id)
    by = paid.paid_rows_of_list(store, submission_id, versions, household) if rows else {}
    return [(*r[:-1], ", ".join(b for b, _ in by[(r[-1], r[0])]) if (r[-1], r[0]) in by else None) for r in rows]


def _paid_scope(ctx: ApiContext, store: Store, submission_id: str) -> tuple[list[str], bool]:
    """The approved batch versions of the submission's program and period (empty: nothing was
    paid, and no list's rows need reading), and whether the program pays a family once."""
    found = run(store.con, "SELECT program, period FROM submissions WHERE id = ?", [submission_id])
    if not found:
        return [], False
    program, period = found[0]
    rule_set = ctx.rules.programs.get(program)
    return paid.approved_versions(store, program, period), rule_set is not None and rule_set.unit == "household"


def paid_summary(ctx: ApiContext, store: Store, submission_id: str) -> tuple[int, list[str]]:
    """How many of the list's rows are people (or, in a household program, families) an approved
    batch of its program and period already paid, and which batches: one aggregate query."""
    return paid.paid_count_of_list(store, submission_id, *_paid_scope(ctx, store, submission_id))


def paid_by_rows(ctx: ApiContext, store: Store, submission_id: str,
                 rows: list[int] | None = None) -> dict[tuple, list[tuple[str, str]]]:
    """(version, "nik" or "kk") of the approved batch versions that already paid each row's person
    or, in a household program, family, keyed by (sheet, row); rows nobody paid are left out. With
    `rows`, only those rows (a page of the list)."""
    if rows == []:
        return {}
    return paid.paid_rows_of_list(store, submission_id, *_paid_scope(ctx, store, submission_id), rows)


def paid_elsewhere_rows(ctx: ApiContext, store: Store, submission_id: str,
                        rows: list[int] | None = None) -> dict[tuple, list[tuple[str, str]]]:
    """(version, "nik" or "kk") of the approved batch versions of programs excluding this one that
    paid each row's person or family for an overlapping period, keyed by (sheet, row): rows the
    batch leaves out as `paid_elsewhere`. With `rows`, only those rows."""
    found = run(store.con, "SELECT program, period FROM submissions WHERE id = ?", [submission_id])
    if rows == [] or not found or (rule_set := ctx.rules.programs.get(found[0][0])) is None:
        return {}
    return paid.paid_elsewhere_of_list(store, ctx.rules, rule_set, found[0][1], submission_id, rows)


def with_paid_by(ctx: ApiContext, store: Store, submission_id: str, doc: dict) -> dict:
    """A page of result.json whose rows each gain `paid_by`: the approved batch versions of the
    same program and period that already paid the row's person or family (empty when none), and
    `paid_elsewhere`: those of a program excluding this one (the gate will not pay the row)."""
    if not doc["rows"]:
        return doc
    shown = [r["row"] for r in doc["rows"]]
    by, elsewhere = paid_by_rows(ctx, store, submission_id, shown), paid_elsewhere_rows(ctx, store, submission_id, shown)
    return doc | {"rows": [r | {"paid_by": [b for b, _ in by.get((r.get("sheet"), r["row"]), [])],
                                "paid_elsewhere": [b for b, _ in elsewhere.get((r.get("sheet"), r["row"]), [])]}
                           for r in doc["rows"]]}


def periods(store: Store) -> list[dict]:
    """Program and period pairs that have live lists, newest first: what the overview can show."""
    found = run(store.con, """
        SELECT program, period, count(DISTINCT kecamatan), max(created_at) FROM submissions
        WHERE state = 'complete' AND superseded_by IS NULL GROUP BY ALL ORDER BY 4 DESC, 1, 2""")
    return [{"program": p, "period": q, "kecamatan": n, "latest": t.isoformat(timespec="seconds")}
            for p, q, n, t in found]
