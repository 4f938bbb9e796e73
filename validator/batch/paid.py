"""Who the approved disbursement files already paid: one definition for the gate, the results
page, the submission API, the accepted export and the look-ups, so that none of them can say
"waiting for payment" of a row the gate will not pay.

A row counts as paid in its program and period when an approved batch version of that program,
for that period or one overlapping it, holds the row's NIK, or, in a household program (one
payment a family), the row's KK: the gate then leaves the row out of the next version as
`paid_before`, and every page says why."""

from __future__ import annotations

import polars as pl

from validator.store import Store, query, run

# The rows the approved versions paid (the batches table is small; paid_rows grows every period).
APPROVED_PAID = """SELECT p.* FROM paid_rows p JOIN batches b ON b.id = p.batch_id AND b.state = 'approved'"""


def paid_before(store: Store, program_id: str, period: str) -> pl.DataFrame:
    """(nik, no_kk, nominal, batch_id, same_period) of every row the approved versions of this
    program paid for this period: its own versions (same_period), and those of a period
    overlapping it (approved_versions)."""
    versions = approved_versions(store, program_id, period)
    if not versions:
        return pl.DataFrame(schema={"nik": pl.Utf8, "no_kk": pl.Utf8, "nominal": pl.Float64, "batch_id": pl.Utf8,
                                    "same_period": pl.Boolean})
    return query(store.con, """SELECT p.nik, p.no_kk, p.nominal, p.batch_id, b.period = ? AS same_period
                               FROM paid_rows p JOIN batches b ON b.id = p.batch_id
                               WHERE list_contains(?, p.batch_id)""", [period, versions])


def exclusive_how(program_id: str, period: str, paid_program: str, paid_period: str,
                  partners, household) -> str | None:
    """How a payment by `paid_program` for `paid_period` bars a row of this program and period:
    "kk" when both programs pay a family once (the whole family is barred), "nik" when the person
    only, None when the programs may be combined or the periods do not overlap (2026-03 lies in
    2026-T1). `partners`: the programs excluding this one; `household`: the household programs."""
    from validator.store.history import periods_overlap

    if paid_program not in partners or not periods_overlap(paid_period, period):
        return None
    return "kk" if program_id in household and paid_program in household else "nik"


def exclusive_versions(store: Store, rules, program, period: str) -> tuple[list[str], list[str]]:
    """The approved versions of the programs excluding this one (programs.md, symmetric) for a
    period overlapping this one: those that count by NIK only, and those that count by KK as well
    (exclusive_how)."""
    partners = sorted(rules.exclusive_partners(program.id))
    if not partners:
        return [], []
    household = {p.id for p in rules.programs.values() if p.unit == "household"}
    by_nik, by_kk = [], []
    for bid, partner, their in run(store.con, f"""SELECT id, program, period FROM batches WHERE state = 'approved'
                                               AND program IN ({', '.join('?' * len(partners))}) ORDER BY id""",
                                  partners):
        how = exclusive_how(program.id, period, partner, their, partners, household)
        if how is not None:
            (by_kk if how == "kk" else by_nik).append(bid)
    return by_nik, by_kk


def paid_by_exclusive(store: Store, rules, program, period: str) -> pl.DataFrame:
    """(nik, no_kk or null) of the people, or in household programs the families, that approved
    versions of the programs excluding this one paid for an overlapping period. GANDA_ANTAR_PROGRAM
    sees only live lists; a person paid by PKH and since left off its list would otherwise be paid
    by BST as well."""
    by_nik, by_kk = exclusive_versions(store, rules, program, period)
    if not by_nik + by_kk:
        return pl.DataFrame(schema={"nik": pl.Utf8, "no_kk": pl.Utf8})
    return query(store.con, """SELECT nik, CASE WHEN list_contains(?, batch_id) THEN no_kk END AS no_kk
                               FROM paid_rows WHERE list_contains(?, batch_id)""", [by_kk, by_nik + by_kk])


def paid_elsewhere_of_list(store: Store, rules, program, period: str, submission_id: str,
                           rows: list[int] | None = None) -> dict[tuple, list[tuple[str, str]]]:
    """(version, "nik" or "kk") of the approved versions of programs excluding this one that paid
    each row's person (or family), keyed by (sheet, row): the rows the batch leaves out as
    `paid_elsewhere`, the same people as paid_by_exclusive."""
    by_nik, by_kk = exclusive_versions(store, rules, program, period)
    found = paid_rows_of_list(store, submission_id, by_nik, False, rows)
    for key, hits in paid_rows_of_list(store, submission_id, by_kk, True, rows).items():
        found[key] = sorted(found.get(key, []) + hits)
    return found


def approved_versions(store: Store, program_id: str, period: str) -> list[str]:
    """The approved batch versions of a program that paid for this period, oldest first (empty:
    nothing paid): the period's own, and those of a period overlapping it. A quarter paid covers
    its months: after pkh 2026-T1 is paid, a list sent for pkh 2026-03 must not pay March again
    (nor, the other way round, a quarter a month of which was paid)."""
    from validator.store.history import periods_overlap

    return [b for b, theirs in run(store.con, "SELECT id, period FROM batches WHERE program = ? AND state = 'approved'"
                                              " ORDER BY id", [program_id]) if periods_overlap(theirs, period)]


def _hits(household: bool, rows: list[int] | None) -> tuple[str, int]:
    """SQL of (sheet, row, batch_id, 'nik' or 'kk') for the readable rows of one list that an approved version
    paid: by NIK, and in a household program by KK as well. Two equality joins, not one join on
    "NIK or KK" (DuckDB would compare every pair). Parameters: the approved version ids, the
    submission id (twice when household), then `rows` when given."""
    picked = " AND r.row IN (SELECT unnest(?::INTEGER[]))" if rows is not None else ""
    by = [("nik", "nik")] + ([("no_kk", "kk")] if household else [])
    return " UNION ".join(
        f"""SELECT r.sheet, r.row, p.batch_id, '{how}' AS how FROM row_results r
            JOIN (SELECT {key}, batch_id FROM paid_rows WHERE list_contains(?, batch_id)) p ON p.{key} = r.{key}
            WHERE r.submission_id = ? AND r.nik_ok{picked}""" for key, how in by), len(by)


def paid_rows_of_list(store: Store, submission_id: str, versions: list[str], household: bool,
                      rows: list[int] | None = None) -> dict[tuple, list[tuple[str, str]]]:
    """(version, "nik" or "kk") of the approved versions that paid each row of a list, keyed by
    (sheet, row), oldest version first; "kk" when the version paid another member of the row's
    family and not this NIK. Rows nobody paid are left out. With `rows`, only those rows (a page):
    one query, never one a row."""
    if not versions or rows == []:
        return {}
    sql, n = _hits(household, rows)
    one = [versions, submission_id] + ([sorted(set(rows))] if rows is not None else [])
    found: dict[tuple, dict[str, str]] = {}
    for sheet, row, batch, how in run(store.con, f"SELECT * FROM ({sql}) ORDER BY batch_id, how DESC", one * n):
        found.setdefault((sheet, row), {}).setdefault(batch, how)  # "nik" sorts after "kk": DESC puts it first
    return {key: list(by.items()) for key, by in found.items()}


def paid_count_of_list(store: Store, submission_id: str, versions: list[str], household: bool) -> tuple[int, list[str]]:
    """How many rows of a list an approved version paid, and which versions: one aggregate query."""
    if not versions:
        return 0, []
    sql, n = _hits(household, None)
    count, batches = run(store.con, f"SELECT count(DISTINCT (sheet, row)), list(DISTINCT batch_id ORDER BY batch_id)"
                                    f" FROM ({sql})", [versions, submission_id] * n)[0]
    return count, batches or []


def paid_of_person(store: Store, nik: str, kks: list[str]) -> list[tuple[str, str, str, str, str]]:
    """(program, period, batch_id, "nik" or "kk", the NIK or KK matched) of the approved versions
    that paid this NIK, or a family with one of these KKs, oldest version first. Point queries on
    the NIK's and the KK's index, then the small batches table. The caller matches a KK to the row
    that holds it, in a household program only."""
    found = [(*r, "nik", nik) for r in run(store.con, "SELECT program, period, batch_id FROM paid_rows WHERE nik = ?",
                                           [nik])]
    if kks:
        found += [(p, q, b, "kk", kk) for p, q, b, kk in run(store.con, f"""
            SELECT program, period, batch_id, no_kk FROM paid_rows WHERE no_kk IN ({', '.join('?' * len(kks))})""", kks)]
    if not found:
        return []
    approved = {b for (b,) in run(store.con, "SELECT id FROM batches WHERE state = 'approved'")}
    return sorted((f for f in found if f[2] in approved), key=lambda f: (f[2], f[3] != "nik"))
