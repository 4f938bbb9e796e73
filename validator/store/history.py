"""Submissions over time: live lists, duplicates across kecamatan and programs, resubmission diffs."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import polars as pl

from validator.store import LOOKUP_COLUMNS, SUBMISSION_COLUMNS, Store, query, registered, run

LIVE_STATUSES = ("accepted", "review")
DIFF_ROWS_CAP = 1000


def new_submission_id() -> str:
    return uuid.uuid4().hex[:16]


def _period_parts(period: str) -> tuple[str, str, int] | None:
    """'2026-03' -> ('2026', 'M', 3); '2026-T1'/'2026-Q1'/'2026-TAHAP-1' -> ('2026', 'T', 1);
    '2026-S2' -> ('2026', 'S', 2); '2026' -> ('2026', 'Y', 0); anything else None. ASCII digits only."""
    p = period.strip().upper()
    if m := re.fullmatch(r"([0-9]{4})[-/ ]?([0-9]{1,2})", p):
        return (m.group(1), "M", int(m.group(2))) if 1 <= int(m.group(2)) <= 12 else None
    if m := re.fullmatch(r"([0-9]{4})[-/ ]?(?:T|Q|TW|TAHAP)[-/ ]?([1-4])", p):
        return m.group(1), "T", int(m.group(2))
    if m := re.fullmatch(r"([0-9]{4})[-/ ]?S[-/ ]?([12])", p):
        return m.group(1), "S", int(m.group(2))
    if re.fullmatch(r"[0-9]{4}", p):
        return p, "Y", 0
    return None


def period_months(period: str) -> tuple[str, frozenset[int]] | None:
    """'2026-03' -> (2026, {3}); '2026-T1'/'2026-Q1' -> months 1-3; '2026-S2' -> 7-12; '2026' -> all."""
    parts = _period_parts(period)
    if parts is None:
        return None
    year, kind, n = parts
    months = {"M": range(n, n + 1), "T": range(3 * n - 2, 3 * n + 1), "S": range(6 * n - 5, 6 * n + 1),
              "Y": range(1, 13)}[kind]
    return year, frozenset(months)


def canonical_period(period: str) -> str:
    """One spelling per period, so '2026-t1', '2026 T1', '2026-Q1' and '2026-TAHAP-1' are the same
    list to replace, the same batch to pay: '2026-T1', '2026-03', '2026-S1', '2026'. A period of
    no known form stays as typed (stripped); the engine warns about it."""
    parts = _period_parts(period)
    if parts is None:
        return period.strip()
    year, kind, n = parts
    return {"M": f"{year}-{n:02d}", "T": f"{year}-T{n}", "S": f"{year}-S{n}", "Y": year}[kind]


def periods_overlap(a: str, b: str) -> bool:
    """A monthly list (2026-03) and a quarterly one (2026-T1) cover the same month: same period."""
    pa, pb = period_months(a), period_months(b)
    if pa is None or pb is None:
        return a.strip().upper() == b.strip().upper()
    return pa[0] == pb[0] and bool(pa[1] & pb[1])


def live_submissions(store: Store) -> pl.DataFrame:
    return query(store.con, """
        SELECT id, program, period, kecamatan, file_name, created_at FROM submissions
        WHERE state = 'complete' AND superseded_by IS NULL
    """)


def previous_submission(store: Store, program: str, period: str, kecamatan: str) -> dict | None:
    """The live list this submission will replace (same kecamatan, program and period)."""
    found = run(store.con, """
        SELECT id, file_name, created_at, rows, accepted, review, rejected FROM submissions
        WHERE state = 'complete' AND superseded_by IS NULL AND program = ? AND period = ? AND kecamatan = ?
        ORDER BY created_at DESC LIMIT 1
    """, [program, period, kecamatan])
    if not found:
        return None
    row = found[0]
    keys = ["id", "file_name", "created_at", "rows", "accepted", "review", "rejected"]
    return dict(zip(keys, row, strict=True))


def _describe(english: bool = False) -> pl.Expr:
    """Who else claims the person: kecamatan, program and period, the file they sent, row."""
    words = (", file {}, row {}{}", " (same KK number: a family member)") if english else (", berkas {}, baris {}{}", " (nomor KK sama: anggota keluarga)")
    return pl.format("Kecamatan {}, {} {}" + words[0],
                     pl.col("kec_name"), pl.col("program_name"), pl.col("period"),
                     pl.col("file_name"), pl.col("row").cast(pl.Utf8),
                     pl.when(pl.col("by_kk")).then(pl.lit(words[1])).otherwise(pl.lit("")))


def cross_findings(store: Store, rows: pl.DataFrame, *, program: str, period: str, kecamatan: str,
                   partners: set[str], household: bool, household_programs: set[str], regions,
                   program_names: dict[str, str]) -> dict[str, pl.DataFrame]:
    """GANDA_ANTAR_KECAMATAN and GANDA_ANTAR_PROGRAM against live lists.

    `rows` holds (_idx, nik, kk) of this list's rows with a readable NIK. Only accepted and review
    rows of live lists count: a row rejected elsewhere blocks nobody."""
    live = live_submissions(store)
    if live.height == 0 or rows.height == 0:
        return {}
    overlap = live.filter(pl.col("period").map_elements(lambda p: periods_overlap(p, period), return_dtype=pl.Boolean))
    same_program = overlap.filter((pl.col("program") == program) & (pl.col("kecamatan") != kecamatan))
    exclusive = overlap.filter(pl.col("program").is_in(list(partners)))
    out: dict[str, pl.DataFrame] = {}
    for code, subs, use_kk in (("GANDA_ANTAR_KECAMATAN", same_program, False),
                               ("GANDA_ANTAR_PROGRAM", exclusive, household)):
        if subs.height == 0:
            continue
        hits = _hits(store, rows, subs, use_kk, household_programs)
        if hits.height == 0:
            continue
        hits = hits.with_columns(
            pl.col("kecamatan").map_elements(regions.describe, return_dtype=pl.Utf8).alias("kec_name"),
            pl.col("program").replace_strict(program_names, default=pl.col("program")).alias("program_name"),
        ).with_columns(_describe().alias("d"), _describe(english=True).alias("d_en"))
        out[code] = hits.group_by("_idx").agg(
            pl.col("value").first(),
            pl.col("d").unique().sort().head(5).str.join("; ").alias("detail"),
            pl.col("d_en").unique().sort().head(5).str.join("; ").alias("detail_en")).with_columns(
            pl.col("_idx").cast(pl.UInt32))
    return out


def _hits(store: Store, rows: pl.DataFrame, subs: pl.DataFrame, use_kk: bool,
          household_programs: set[str]) -> pl.DataFrame:
    con = store.con
    with registered(con, bansos_new_rows=rows.to_arrow(),
                    bansos_subs=subs.select("id", "program", "period", "kecamatan", "file_name").to_arrow()):
        kk_match = ""
        if use_kk:
            hh = ", ".join(f"'{p}'" for p in sorted(household_programs)) or "''"
            kk_match = f"OR (n.kk IS NOT NULL AND r.no_kk = n.kk AND s.program IN ({hh}))"
        return query(con, f"""
            SELECT DISTINCT n._idx, n.nik AS value, s.id AS submission_id, s.file_name, s.program, s.period,
                   s.kecamatan, r.row,
                   NOT coalesce(r.nik_ok AND r.nik = n.nik, false) AS by_kk
            FROM bansos_subs s
            -- Live rows by their effective status: a row finance rejected blocks nobody.
            JOIN effective_rows r ON r.submission_id = s.id AND r.effective_status IN ('accepted', 'review')
            JOIN bansos_new_rows n ON (r.nik_ok AND r.nik = n.nik) {kk_match}
        """)


def compare_to(store: Store, previous: dict, current: pl.DataFrame) -> dict:
    """The resubmission diff: rows fixed, still failing, newly failing, added, removed.

    Rows are matched by NIK; a row whose NIK could not be read on one side (an Excel-damaged NIK
    retyped, a NIK still damaged) is then matched by its name, when that name is on one unmatched
    row of each list. `current` holds (row, nik, nik_ok, nama, status, codes) of the new list."""
    prev = query(store.con, """
        SELECT r.row, r.nik, r.nik_ok, r.nama, r.status,
               coalesce(string_agg(DISTINCT f.code, ', ' ORDER BY f.code), '') AS codes
        FROM row_results r LEFT JOIN findings f ON f.submission_id = r.submission_id AND f.row = r.row
        WHERE r.submission_id = ? GROUP BY r.row, r.nik, r.nik_ok, r.nama, r.status ORDER BY r.row
    """, [previous["id"]])
    cols = ["row", "nik", "nik_ok", "nama", "status", "codes"]
    now = current.select(cols).sort("row")
    prev = prev.select(cols).with_columns(pl.col("nik_ok").fill_null(False))
    # A NIK listed twice is matched row for row in order: its first row with the earlier list's
    # first, its second with the second. A second row pasted in is added; one deleted, removed.
    nth = pl.int_range(pl.len()).over("nik").alias("_nth")
    by_nik = now.filter("nik_ok").with_columns(nth).join(
        prev.filter("nik_ok").with_columns(nth), on=["nik", "_nth"], suffix="_before").drop("_nth")
    taken_now, taken_prev = by_nik["row"], by_nik["row_before"]
    rest_now = now.filter(~pl.col("row").is_in(taken_now.implode()))
    rest_prev = prev.filter(~pl.col("row").is_in(taken_prev.implode()))
    def once(rows: pl.DataFrame) -> pl.DataFrame:
        """Rows keyed by name, where the name is on one row only."""
        key = pl.col("nama").str.to_uppercase().str.replace_all(r"\s+", " ").str.strip_chars()
        return rows.filter(key.is_not_null()).with_columns(key.alias("_k")).filter(pl.len().over("_k") == 1)

    by_name = once(rest_now).join(once(rest_prev), on="_k", suffix="_before").filter(
        ~pl.col("nik_ok") | ~pl.col("nik_ok_before")).drop("_k")
    both = pl.concat([by_nik.drop("nik_ok_before", "nama_before"),
                      by_name.select(by_nik.drop("nik_ok_before", "nama_before").columns)])
    failing_now = pl.col("status") != "accepted"
    failing_before = pl.col("status_before") != "accepted"
    unmatched_now = rest_now.filter(~pl.col("row").is_in(by_name["row"].implode()))
    unmatched_prev = rest_prev.filter(~pl.col("row").is_in(by_name["row_before"].implode()))
    shown = ["row", "nik", "status", "codes"]
    groups = {
        "fixed": both.filter(failing_before & ~failing_now),
        "still_failing": both.filter(failing_before & failing_now),
        "newly_failing": both.filter(~failing_before & failing_now),
        "added": unmatched_now.filter(pl.col("nik_ok")).select(shown),
        "removed": unmatched_prev.filter(pl.col("nik_ok")).select(shown),
    }
    return {
        "submission_id": previous["id"],
        "file": previous["file_name"],
        "created_at": previous["created_at"].isoformat() if isinstance(previous["created_at"], dt.datetime)
        else str(previous["created_at"]),
        "counts": {k: v.height for k, v in groups.items()},
        "rows": {k: v.head(DIFF_ROWS_CAP).sort("row").drop("nama", "nik_ok", strict=False).to_dicts()
                 for k, v in groups.items()},
        "rows_capped_at": DIFF_ROWS_CAP,
        "unmatched_rows_without_nik": unmatched_now.filter(~pl.col("nik_ok")).height,
        # How many more rows without a readable NIK the earlier list had unmatched than this one:
        # rows taken off the list (most often rejected ones). Rows that could not be matched on
        # both sides (two such rows of one name) are not counted as gone.
        "removed_rows_without_nik": max(0, unmatched_prev.filter(~pl.col("nik_ok")).height
                                        - unmatched_now.filter(~pl.col("nik_ok")).height),
    }


def finding_codes(findings: pl.DataFrame) -> pl.DataFrame:
    """(row, finding_codes): each row's distinct 'CODE:severity', sorted, as row_results keeps them."""
    return findings.group_by("row").agg(
        pl.concat_str("code", pl.lit(":"), "severity").unique().sort().alias("finding_codes"))


def record(store: Store, submission: dict, rows: pl.DataFrame, findings: pl.DataFrame) -> None:
    """Write one submission whole, superseding the earlier list of the same kecamatan, program
    and period, in one transaction: a crash before COMMIT leaves the store as it was."""
    con = store.con
    with store.transaction():
        run(con, """
            UPDATE submissions SET superseded_by = ?
            WHERE state = 'complete' AND superseded_by IS NULL AND program = ? AND period = ? AND kecamatan = ?
        """, [submission["id"], submission["program"], submission["period"], submission["kecamatan"]])
        run(con, f"INSERT INTO submissions ({SUBMISSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 'complete')", [
            submission["id"], submission["program"], submission["period"], submission["kecamatan"],
            submission["file_name"], submission["sha256"], submission["created_at"],
            submission["rule_set_version"], submission["rows"], submission["accepted"],
            submission["review"], submission["rejected"]])
        with registered(con, bansos_rows=rows.join(finding_codes(findings), on="row", how="left").to_arrow(),
                        bansos_findings=findings.to_arrow()):
            run(con, """INSERT INTO row_results (submission_id, row, sheet, nik, nik_ok, no_kk, nama,
                           tanggal_lahir, status, nominal, bank, no_rekening, finding_codes)
                        SELECT ?, row, sheet, nik, nik_ok, no_kk, nama, tanggal_lahir, status, nominal,
                               bank, no_rekening, coalesce(finding_codes, []) FROM bansos_rows""",
                [submission["id"]])
            run(con, """INSERT INTO findings SELECT ?, row, code, severity, field, value, message,
                           message_en FROM bansos_findings""", [submission["id"]])


def history_of(store: Store, nik: str) -> pl.DataFrame:
    """Every submission that held this NIK, oldest first, with its status there (finance's latest
    decision when there is one, as the look-up page shows) and its reasons."""
    return query(store.con, """
        SELECT s.created_at, s.program, s.period, s.kecamatan, s.file_name, s.id AS submission_id,
               s.superseded_by IS NOT NULL AS superseded, r.row, r.effective_status AS status,
               coalesce(list(f.code ORDER BY f.code) FILTER (WHERE f.code IS NOT NULL), []) AS codes,
               coalesce(list(f.message ORDER BY f.code) FILTER (WHERE f.code IS NOT NULL), []) AS messages
        FROM effective_rows r
        JOIN submissions s ON s.id = r.submission_id AND s.state = 'complete'
        LEFT JOIN findings f ON f.submission_id = r.submission_id AND f.row = r.row
        WHERE r.nik = ?
        GROUP BY ALL ORDER BY s.created_at, r.row
    """, [nik])


def mask_nik(nik: str) -> str:
    """First 6 and last 4 digits: enough to recognise, not enough to misuse."""
    return nik[:6] + "*" * (len(nik) - 10) + nik[-4:] if len(nik) > 10 else "*" * len(nik)


def mask_name(name: str) -> str:
    """Each word's first letter, the rest hidden and of no telling length: 'S*** A***'."""
    return " ".join(w[0] + "***" for w in name.split()) or "-"


def lookup_row(store: Store, actor: str, channel: str, nik: str | None,
               time: dt.datetime | None = None, search: tuple[str, str, str] | None = None) -> list:
    """A row of `lookups` (LOOKUP_COLUMNS): the NIK masked and as the store's keyed digest, never
    in full ("-" and no digest for a search that found nobody). `search` is a name search's
    (name as typed, its folded key, kecamatan code): the name masked and the key's keyed digest
    (an auditor can find every search for one name, nobody can read the name back), and the
    kecamatan, which is no personal data."""
    masked, digest = (mask_nik(nik), store.nik_digest(nik)) if nik is not None else ("-", None)
    searched = searched_digest = None
    if search is not None:
        name, key, kecamatan = search
        searched = f"nama {mask_name(name)}, kecamatan {kecamatan}"
        searched_digest = store.nik_digest("nama:" + key)  # the same keyed HMAC, its own prefix
    return [time or dt.datetime.now(), actor, channel, masked, digest, searched, searched_digest]


def record_lookup(store: Store, actor: str, channel: str, nik: str) -> None:
    """One look-up of a person, recorded."""
    run(store.con, f"INSERT INTO lookups ({LOOKUP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        lookup_row(store, actor, channel, nik))
