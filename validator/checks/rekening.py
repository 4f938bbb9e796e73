"""Bank account, bank and account holder; amount."""

from __future__ import annotations

import polars as pl

from validator.checks.base import CheckContext, Rule
from validator.normalize import (
    DECIMAL_TAIL,
    FORMULA_ERROR,
    OTHER_DIGITS,
    is_placeholder_name,
    is_scientific,
    names_alike,
)

# A placeholder account: one digit repeated, or a straight run of at least five digits up or
# down (the digit cycle read from any digit). Every such string up to this length is listed, so
# a hash look-up replaces per-row string work.
_MIN_RUN = 5
_MAX_PATTERN = 64
_PATTERNS = sorted(
    {str(d) * n for d in range(10) for n in range(1, _MAX_PATTERN + 1)}
    | {(cycle * 8)[start:start + n] for cycle in ("0123456789", "9876543210")
       for start in range(10) for n in range(_MIN_RUN, _MAX_PATTERN + 1)})


# The cash channel written where a bank would be: PT Pos Indonesia pays BST in cash.
_CASH_WORDS = r"(?:PT\.?\s*)?(?:KANTOR\s*)?POS(?:\s*IND(?:ONESIA|O)?)?\b|(?:TUNAI|CASH|POSINDO)\b"
CASH = rf"(?i)^\s*(?:{_CASH_WORDS})"
# Words in the account cell that say there is no account: the cash channel, or none yet. Without
# a digit in the cell, the row has no account, as if it were empty ("POS 7140382915" is an account
# with letters).
NO_ACCOUNT = (rf"(?i)^\W*(?:{_CASH_WORDS}|(?:MELALUI|VIA|LEWAT)\s+(?:PT\.?\s*)?POS\b"
              r"|(?:TIDAK|TDK|BELUM|BLM)\s*(?:ADA|PUNYA)\b|NIHIL\b|KOSONG\b|NON\s*-?\s*REK(?:ENING)?\b"
              r"|TANPA\s+REK(?:ENING)?\b)")


def program_banks(ctx: CheckContext) -> list[str]:
    return ctx.rules.program_banks(ctx.program)


def account_columns(ctx: CheckContext) -> list[pl.Expr]:
    """Per-row account facts, computed once and shared by the REKENING_* rules."""
    acct = pl.col("_acct")
    digits = pl.col("_acct_digits")
    n = acct.str.len_chars()
    bank = pl.col("_bank")
    lengths = {b.name: b.digits for b in ctx.rules.banks if b.digits}
    # Bank and length as one integer, checked against every allowed pair: no list column per row.
    code = {name: i for i, name in enumerate(lengths)}
    allowed = [code[name] * 1000 + d for name, ds in lengths.items() for d in ds]
    bank_len = bank.replace_strict(code, default=None, return_dtype=pl.Int64) * 1000 + n.cast(pl.Int64)
    return [
        digits.alias("_acct_is_digits"),
        n.alias("_acct_len"),
        (digits & acct.is_in(_PATTERNS)).fill_null(False).alias("_acct_pattern"),
        bank.is_in(program_banks(ctx)).fill_null(False).alias("_bank_ok"),
        bank.replace_strict({k: "/".join(map(str, v)) for k, v in lengths.items()},
                            default=None, return_dtype=pl.Utf8).alias("_acct_expected"),
        bank_len.is_in(allowed).fill_null(False).alias("_acct_fits"),
    ]


def account_rules(ctx: CheckContext) -> list[Rule]:
    transfer = ctx.program.payment == "transfer"
    acct, raw = pl.col("_acct"), pl.col("_acct_raw")
    present = acct.is_not_null()
    digits, n, pattern = pl.col("_acct_is_digits"), pl.col("_acct_len"), pl.col("_acct_pattern")
    rules = [
        Rule("REKENING_KOSONG", pl.lit(transfer) & ~present),
        Rule("REKENING_HURUF", present & ~digits, value=raw,
             # "2,1010E+14": Excel's scientific notation saved to text, not a typing slip.
             variant=pl.when(raw.str.contains(FORMULA_ERROR)).then(pl.lit("formula_error"))
             .when(is_scientific(raw)).then(pl.lit("scientific"))
             .when(raw.str.contains(OTHER_DIGITS)).then(pl.lit("other_digits"))),
        Rule("REKENING_POLA", pattern, value=raw),
    ]
    if not ctx.has("nama_bank"):
        ctx.skip("BANK_TIDAK_DIKENAL", "tidak ada kolom bank; bank dan panjang rekening tidak diperiksa",
                 "no bank column; bank and account length not checked")
        return rules
    bank, expected, fits = pl.col("_bank"), pl.col("_acct_expected"), pl.col("_acct_fits")
    known = expected.is_not_null()
    judged = digits & pl.col("_bank_ok") & ~pattern
    # Excel drops leading zeros of a number and keeps 15 significant digits.
    excel = judged & pl.col("_acct_num") & ((known & ~fits) | (n > 15))
    rules += [
        # Judged where the program pays by transfer, an account is given, or a bank is named: a
        # bank the program does not pay through is wrong even on a row paid in cash.
        # A row paid in cash may name its channel instead of a bank ("PT POS INDONESIA", "TUNAI").
        Rule("BANK_TIDAK_DIKENAL", (pl.lit(transfer) | present | pl.col("_bank_raw").is_not_null())
             & ~pl.col("_bank_ok") & (~(~present & pl.col("_bank_raw").str.contains(CASH).fill_null(False))
                                       if ctx.program.cash_channel else pl.lit(True)),
             value=pl.col("_bank_raw").fill_null(""),
             variant=pl.when(pl.col("_bank_raw").is_null()).then(pl.lit("empty"))),
        Rule("REKENING_EXCEL", excel, value=raw, bank=bank, expected=expected, actual=n,
             # More than 15 digits: the digits after the 15th are gone whatever the bank's length.
             # More digits than the bank uses: no zero was lost, the number is wrong.
             variant=pl.when(n > 15).then(pl.lit("too_long")).when(n > bank.replace_strict(
                 {b.name: max(b.digits) for b in ctx.rules.banks if b.digits}, default=None,
                 return_dtype=pl.UInt32)).then(pl.lit("longer"))),
        Rule("REKENING_PANJANG", judged & ~excel & known & ~fits, value=raw, bank=bank, expected=expected,
             actual=n, variant=pl.when(raw.str.contains(DECIMAL_TAIL)).then(pl.lit("decimal"))),
    ]
    return rules


def holder_mismatch(frame: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    """NAMA_REKENING_BEDA: rows whose account-holder name is not the recipient's.

    Only names without a finding of their own are compared, and only rows whose normalised
    names differ are scored (rapidfuzz compares the pairs in C, not per row in Python)."""
    cand = frame.filter(
        pl.col("_holder_key").is_not_null() & pl.col("_name_key").is_not_null() & ~pl.col("_name_bad")
        & (pl.col("_holder_key") != pl.col("_name_key")) & ~pl.col("_group_holder")
        # Nor is the cash channel written as the holder of a row paid in cash (PT POS INDONESIA).
        & ~(pl.lit(ctx.program.cash_channel) & pl.col("_acct").is_null()
            & pl.col("_holder_raw").str.contains(CASH).fill_null(False))
    ).select("_idx", "_holder_raw", "_name", "_holder_key", "_name_key")
    # A holder cell that holds no name ("-", "TIDAK ADA", digits) is not compared, as for the
    # recipient's own name.
    cand = cand.filter(~is_placeholder_name(pl.col("_holder_raw")))
    if cand.height == 0:
        return cand.select("_idx", "_holder_raw", "_name")
    # The same test as the registry's name (DTKS_NAMA_BEDA): spelling, initials and words written
    # apart pass; a name of which the holder is only a part (SANTOSO for BUDI SANTOSO, often a
    # relative's account) or another first name does not.
    return cand.filter(~names_alike(cand, "_holder_key", "_name_key", ctx.program.name_similarity)).select(
        "_idx", "_holder_raw", "_name")


def amount_rules(ctx: CheckContext) -> list[Rule]:
    amount, raw = pl.col("_amount"), pl.col("_amount_raw")
    rules = [Rule("NOMINAL_TIDAK_VALID", raw.is_not_null() & (amount.is_null() | (amount <= 0)), value=raw)]
    rule = ctx.program.amount
    if rule is None:
        return rules
    if not ctx.has("nominal"):
        ctx.skip("NOMINAL_TIDAK_SESUAI", "tidak ada kolom nominal", "no amount column")
        return rules
    if rule.allowed is not None:
        bad = ~amount.is_in([float(a) for a in rule.allowed])
    else:
        bad = pl.lit(False)
        if rule.min is not None:
            bad = bad | (amount < rule.min)
        if rule.max is not None:
            bad = bad | (amount > rule.max)
        if rule.step:
            bad = bad | ((amount / rule.step).round(0) * rule.step - amount).abs().gt(0.001)
    rules.append(Rule("NOMINAL_TIDAK_SESUAI", (amount > 0) & bad, value=raw))
    return rules
