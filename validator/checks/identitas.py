"""NIK, Kartu Keluarga, name, birth date, sex and age."""

from __future__ import annotations

import polars as pl

from validator.checks.base import CheckContext, Rule
from validator.normalize import (
    DECIMAL_TAIL,
    FORMULA_ERROR,
    OTHER_DIGITS,
    digit_count,
    nik_birth_date,
    nik_date_parts,
)


def _region_rules(ctx: CheckContext, prefix: str, code_wilayah: str, code_kecamatan: str | None) -> list[Rule]:
    """NIK_WILAYAH / KK_WILAYAH: prefixes checked against every version of the list, so codes
    retired by a split (old Papua 91xx/92xx) stay valid: a NIK keeps the code that issued it."""
    r = ctx.regions
    v = pl.col(prefix)
    ok = pl.col(f"{prefix}_ok")
    # Prefixes of a usable (16-digit) ID compared as integers: no string slice per row.
    n = pl.when(ok).then(v.cast(pl.Int64, strict=False))
    prov_ok = (n // 10**14).is_in(sorted(int(c) for c in r.provinces))
    kab_ok = (n // 10**12).is_in(sorted(int(c) for c in r.kabupaten))
    out = [Rule(code_wilayah, ok & ~(prov_ok & kab_ok), value=v,
                detail=pl.when(~prov_ok).then(v.str.slice(0, 2)).otherwise(v.str.slice(0, 4)))]
    if code_kecamatan:
        out.append(Rule(code_kecamatan, ok & prov_ok & kab_ok & ~(n // 10**10).is_in(sorted(int(c) for c in r.kecamatan)),
                        value=v, detail=v.str.slice(0, 6)))
    return out


def _id_format_rules(prefix: str, empty_code: str | None, format_code: str, excel_code: str) -> list[Rule]:
    raw, v = pl.col(f"{prefix}_raw"), pl.col(prefix)
    excel, is16 = pl.col(f"{prefix}_excel"), pl.col(f"{prefix}_16")
    rules = [
        Rule(excel_code, excel, value=raw),
        Rule(format_code, v.is_not_null() & ~excel & ~is16, value=raw, actual=digit_count(v),
             # "1271O64103660011" is 16 characters: say it holds a letter, not "15 digits"; digits
             # that are not ASCII (full-width, pasted from a phone or a PDF) are told apart.
             variant=pl.when(raw.str.contains(FORMULA_ERROR)).then(pl.lit("formula_error"))
             .when(raw.str.contains(OTHER_DIGITS)).then(pl.lit("other_digits"))
             .when(raw.str.contains(DECIMAL_TAIL)).then(pl.lit("decimal"))
             .when(~pl.col(f"{prefix}_digits")).then(pl.lit("letters"))),
    ]
    if empty_code:
        rules.insert(0, Rule(empty_code, v.is_null()))
    return rules


def nik_rules(ctx: CheckContext) -> list[Rule]:
    nik, d, ok = pl.col("_nik"), pl.col("_nikd"), pl.col("_nik_ok")
    date_ok = ok & d.struct.field("valid")
    dob = pl.col("_dob")
    nik_date = pl.format("{}-{}-{}", d.struct.field("day").cast(pl.Utf8).str.zfill(2),
                         d.struct.field("month").cast(pl.Utf8).str.zfill(2),
                         d.struct.field("yy").cast(pl.Utf8).str.zfill(2))
    return [
        *_id_format_rules("_nik", "NIK_KOSONG", "NIK_FORMAT", "NIK_EXCEL"),
        *_region_rules(ctx, "_nik", "NIK_WILAYAH", "NIK_KECAMATAN"),
        Rule("NIK_TANGGAL", ok & ~d.struct.field("valid"), value=nik, detail=nik.str.slice(6, 6)),
        Rule("NIK_URUT", ok & (nik.str.slice(12, 4) == "0000"), value=nik),
        Rule("NIK_TGL_LAHIR_BEDA",
             date_ok & pl.col("_dob_ok")
             & ((d.struct.field("day") != dob.dt.day()) | (d.struct.field("month") != dob.dt.month())
                | (d.struct.field("yy") != dob.dt.year() % 100)),
             value=pl.col("_dob_raw"), expected=nik_date, actual=dob.dt.strftime("%d-%m-%Y")),
        Rule("NIK_JK_BEDA",
             date_ok & pl.col("_sex").is_not_null() & (d.struct.field("female") != (pl.col("_sex") == "P")),
             value=pl.col("_sex_raw"),
             expected=pl.when(d.struct.field("female")).then(pl.lit("P")).otherwise(pl.lit("L")),
             actual=pl.col("_sex_raw")),
    ]


def kk_rules(ctx: CheckContext) -> list[Rule]:
    return [
        *_id_format_rules("_kk", "KK_KOSONG" if ctx.household else None, "KK_FORMAT", "KK_EXCEL"),
        *_region_rules(ctx, "_kk", "KK_WILAYAH", None),
        Rule("KK_SAMA_NIK", pl.col("_kk_ok") & (pl.col("_kk") == pl.col("_nik")), value=pl.col("_kk")),
    ]


def birth_of(ctx: CheckContext) -> pl.Expr:
    """Birth date from tanggal lahir, else from the NIK (century: the most recent that has passed)."""
    d = pl.col("_nikd")
    return (pl.when(pl.col("_dob_ok")).then(pl.col("_dob"))
            .when(pl.col("_nik_ok") & d.struct.field("valid")).then(nik_birth_date(d, ctx.today))
            .otherwise(None))


def age_in_years(birth: pl.Expr, today) -> pl.Expr:
    before_birthday = (birth.dt.month() > today.month) | (
        (birth.dt.month() == today.month) & (birth.dt.day() > today.day))
    return pl.lit(today.year) - birth.dt.year() - before_birthday.cast(pl.Int32)


def person_rules(ctx: CheckContext) -> list[Rule]:
    rules = [
        Rule("NAMA_KOSONG", pl.col("_name").is_null()),
        Rule("NAMA_TIDAK_WAJAR", pl.col("_name").is_not_null() & pl.col("_name_bad"), value=pl.col("_name")),
        Rule("TGL_LAHIR_TIDAK_VALID", pl.col("_dob_raw").is_not_null() & ~pl.col("_dob_ok"),
             value=pl.col("_dob_raw")),
        Rule("JK_TIDAK_VALID", pl.col("_sex_raw").is_not_null() & pl.col("_sex").is_null(),
             value=pl.col("_sex_raw")),
    ]
    low, high = ctx.program.min_age, ctx.program.max_age
    if low is not None or high is not None:
        age = age_in_years(birth_of(ctx), ctx.today)
        below = age < low if low is not None else pl.lit(False)
        above = age > high if high is not None else pl.lit(False)
        rules.append(Rule("USIA_TIDAK_MEMENUHI", below | above, value=pl.col("_dob_raw"), actual=age,
                          variant=pl.when(above).then(pl.lit("above"))))
    return rules


__all__ = ["nik_rules", "kk_rules", "person_rules", "nik_date_parts", "age_in_years"]
