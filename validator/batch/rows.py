"""The rows of a batch: every kecamatan's live list for a program and period, decisions applied."""

from __future__ import annotations

import datetime as dt
import hashlib

import polars as pl

from validator.batch import paid
from validator.checks.base import CheckContext
from validator.checks.rekening import account_columns, program_banks
from validator.errors import UserError
from validator.rulebook import Program, Rulebook
from validator.store import Store, query
from validator.store.history import mask_nik
from validator.wilayah import load_regions

# The latest complete, not superseded list of each kecamatan; every row with its effective status
# (finance's latest decision, else the engine's), read from the one view every reader uses.
LIVE_ROWS = """
WITH live AS (
    SELECT id, kecamatan, rule_set_version FROM submissions
    WHERE state = 'complete' AND superseded_by IS NULL AND program = ? AND period = ?
    QUALIFY row_number() OVER (PARTITION BY kecamatan ORDER BY created_at DESC) = 1)
SELECT l.kecamatan, l.id AS submission_id, l.rule_set_version, e.row, e.nik, e.no_kk, e.nama,
       e.tanggal_lahir, e.nominal, e.bank, e.no_rekening, e.status, e.effective_status
FROM live l JOIN effective_rows e ON e.submission_id = l.id
ORDER BY l.kecamatan, e.row"""

PAY = "accepted"
# An accepted row whose person an earlier approved version of the same program paid, for this
# period or one overlapping it.
PAID_BEFORE = "paid_before"
# An accepted (or review) row whose person, or family, an approved version of a program excluding
# this one paid for an overlapping period: left out of the batch, as the kecamatan cannot be paid
# twice and finance could not otherwise take the row out (it is not theirs to decide).
PAID_ELSEWHERE = "paid_elsewhere"


def paid_before(store: Store, program: Program, period: str) -> pl.DataFrame:
    """(nik, no_kk, nominal, batch_id, same_period) of every row the approved versions of this
    program paid for this period or one overlapping it (paid.paid_before)."""
    return paid.paid_before(store, program.id, period)


def mark_paid_before(rows: pl.DataFrame, before: pl.DataFrame, program: Program) -> pl.DataFrame:
    """Rows of people an approved version already paid (the same NIK, or in a household program
    the same KK), accepted or still in review, get the effective status `paid_before`: the next
    version does not pay them again, and finance need not decide them again."""
    if before.height == 0:
        return rows
    return rows.with_columns(
        pl.when(pl.col("effective_status").is_in([PAY, "review"]) & paid_by(before, program)).then(pl.lit(PAID_BEFORE))
        .otherwise(pl.col("effective_status")).alias("effective_status"))


def paid_by(before: pl.DataFrame, program: Program) -> pl.Expr:
    """Whether a row's person (the same NIK), or in a household program family (the same KK), is
    among the rows `before` paid."""
    done = pl.col("nik").is_in(before["nik"].drop_nulls().implode())
    if program.unit == "household":
        done = done | pl.col("no_kk").is_in(before["no_kk"].drop_nulls().implode())
    return done.fill_null(False)


def mark_paid_elsewhere(rows: pl.DataFrame, elsewhere: pl.DataFrame) -> pl.DataFrame:
    """`paid_elsewhere`: the row's person (or family) an approved version of a program excluding
    this one paid for an overlapping period (paid.paid_by_exclusive). Accepted or review rows among
    them get the effective status `paid_elsewhere`: the batch leaves them out (the check lists
    them), and the rest of the batch is not held up by one kecamatan's row."""
    hit = pl.col("nik").is_in(elsewhere["nik"].drop_nulls().implode())
    kks = elsewhere["no_kk"].drop_nulls()
    if kks.len():
        hit = hit | pl.col("no_kk").is_in(kks.implode())
    rows = rows.with_columns(hit.fill_null(False).alias("paid_elsewhere"))
    return rows.with_columns(
        pl.when(pl.col("effective_status").is_in([PAY, "review"]) & pl.col("paid_elsewhere")).then(pl.lit(PAID_ELSEWHERE))
        .otherwise(pl.col("effective_status")).alias("effective_status"))


def live_rows(store: Store, program: Program, period: str) -> pl.DataFrame:
    """The live rows, those an earlier approved version paid marked `paid_before`."""
    rows = query(store.con, LIVE_ROWS, [program.id, period])
    if rows.height == 0:
        raise UserError(
            f"Belum ada daftar aktif {program.name} periode {period} dari kecamatan mana pun: "
            "tidak ada yang dapat diperiksa.",
            f"No live list of {program.id} for period {period}: nothing to check.", code="empty_batch")
    return mark_paid_before(rows, paid_before(store, program, period), program)


def fingerprint(rows: pl.DataFrame) -> str:
    """What the gate saw: approval is refused when the rows changed since the last check (a new
    list, a finance decision), so the paid list is exactly the checked one."""
    cols = ["submission_id", "row", "nik", "no_kk", "nama", "nominal", "bank", "no_rekening",
            "effective_status"] + (["paid_elsewhere"] if "paid_elsewhere" in rows.columns else [])
    return hashlib.sha256(rows.select(cols).sort("submission_id", "row").write_csv().encode()).hexdigest()


def _ids(column: pl.Expr) -> pl.Expr:
    # A number per distinct value: uniqueness is judged on it, so the report Great Expectations
    # writes never holds a NIK or KK number (personal data), only these stand-ins.
    return column.rank("dense").cast(pl.Int64)


def gate_frame(rows: pl.DataFrame, rules: Rulebook, program: Program) -> pl.DataFrame:
    """The columns the suite judges, with no full ID numbers in them.

    Account validity is the engine's own logic (validator/checks/rekening.py): digits, not a
    placeholder run, and a length the bank uses (rules/banks.yaml)."""
    ctx = CheckContext(rules=rules, program=program, regions=load_regions(), today=dt.date.today())
    known = {b.name for b in rules.banks}
    transfer = program.payment == "transfer"
    frame = rows.with_columns(
        pl.col("no_rekening").alias("_acct"),
        pl.when(pl.col("bank").is_in(list(known))).then(pl.col("bank")).alias("_bank"),
        # prepare.py's fact, which account_columns reads; the store keeps the cleaned account.
        pl.col("no_rekening").str.contains(r"^\d+$").alias("_acct_digits"),
    ).with_columns(account_columns(ctx))
    present = pl.col("_acct").is_not_null()
    fits = pl.col("_acct_expected").is_null() | pl.col("_acct_fits")
    valid = pl.col("_acct_is_digits") & ~pl.col("_acct_pattern") & fits
    return frame.select(
        pl.col("kecamatan"),
        pl.col("row").alias("baris"),
        pl.col("nik").map_elements(mask_nik, return_dtype=pl.Utf8).alias("nik_samaran"),
        _ids(pl.col("nik")).alias("nik_id"),
        _ids(pl.col("no_kk")).alias("kk_id"),
        # A cash program's row without bank and account is paid at the post office: not judged.
        pl.when(pl.col("bank").is_not_null()).then(pl.col("bank"))
          .when(pl.lit(transfer) | present).then(pl.lit("(kosong)")).alias("bank"),
        pl.when(present).then(valid).when(pl.lit(transfer)).then(pl.lit(False)).alias("rekening_sah"),
        _account_note(program).alias("rekening_catatan"),
        pl.col("nominal"),
        pl.col("effective_status").alias("status"),
        (pl.col("paid_elsewhere") if "paid_elsewhere" in rows.columns else pl.lit(False)).alias("dibayar_program_lain"),
    )


def _account_note(program: Program) -> pl.Expr:
    """Why an account fails, in Indonesian, for the offending-row lists (never the number itself)."""
    acct, n = pl.col("_acct"), pl.col("_acct_len").cast(pl.Utf8)
    return (pl.when(acct.is_null()).then(pl.lit("rekening kosong"))
            .when(~pl.col("_acct_is_digits")).then(pl.lit("rekening berisi selain angka"))
            .when(pl.col("_acct_pattern")).then(pl.lit("rekening isian sementara"))
            .when(pl.col("_acct_expected").is_not_null() & ~pl.col("_acct_fits"))
            .then(pl.format("rekening {} harus {} digit, tertulis {} digit", pl.col("_bank"),
                            pl.col("_acct_expected"), n)))


def banks_of(rules: Rulebook, program: Program) -> list[str]:
    ctx = CheckContext(rules=rules, program=program, regions=None, today=dt.date.today())  # type: ignore[arg-type]
    return program_banks(ctx)
