"""Normalise every field once, in one pass; the checks then only compare columns."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from validator.checks.base import CheckContext, text, text_or_dash
from validator.checks.rekening import NO_ACCOUNT
from validator.normalize import (
    EXCEL_MARK_PATTERN,
    clean_id,
    display_name,
    is_placeholder_name,
    is_scientific,
    month_first_column,
    name_key,
    nik_date_parts,
    parse_amount,
    parse_date,
    parse_sex,
    plain_digits,
)
from validator.rulebook import Rulebook, bank_key
from validator.wilayah import Regions, place_key

ID_FIELDS = {"nik": "_nik", "no_kk": "_kk", "no_rekening": "_acct"}
_RAW_COLUMN = re.compile(r"^[cn]\d+$")


def _col(ctx: CheckContext, name: str) -> pl.Expr:
    return pl.col(name) if name in ctx.fields else pl.lit(None, pl.Utf8)


def _num(ctx: CheckContext, name: str) -> pl.Expr:
    flag = f"{name}__num"
    return pl.col(flag).fill_null(False) if name in ctx.fields else pl.lit(False)


def _id_columns(frame: pl.DataFrame, ctx: CheckContext, field: str, prefix: str) -> list[pl.Series]:
    """The cell as written, clean ID text, digits only, Excel damage, 16 digits, usable, stored as
    a number: `_raw`, `prefix`, `_digits`, `_excel`, `_16`, `_ok`, `_num`.

    Most cells are plain digits already and stay as they are; only the rest (spaces, dots,
    letters, scientific notation: a few per cent) go through the text normalisation."""
    r = pl.col("r")
    part = frame.select(pl.col(f"{prefix}_raw").alias("r"), _num(ctx, field).alias("num")).with_columns(
        plain_digits(r).fill_null(False).alias("plain"), pl.lit(False).alias("sci"))
    dirty = part.select(r.is_not_null() & ~pl.col("plain")).to_series().arg_true()
    raw = part["r"]
    if dirty.len():
        # An ID the return workbook marked as damaged by Excel is read as the number it was.
        marked = part[dirty].select(r.str.contains(EXCEL_MARK_PATTERN).fill_null(False)).to_series()
        if marked.any():
            at = dirty.filter(marked)
            raw = raw.scatter(at, raw.gather(at).str.replace(EXCEL_MARK_PATTERN, ""))
            part = part.with_columns(raw.alias("r"), part["num"].scatter(at, True))
        cleaned = clean_id(r)
        if field == "no_rekening":  # "TUNAI", "BELUM ADA", "Melalui PT Pos": no account given
            cleaned = pl.when(r.str.contains(NO_ACCOUNT) & ~r.str.contains(r"\d")).then(None).otherwise(cleaned)
        fixed = part[dirty].select(cleaned.alias("r"), is_scientific(r).alias("sci"))
        # Exact here (a regex, any length): the account checks read "digits only" from it.
        fixed = fixed.with_columns(r.str.contains(r"^[0-9]+$").fill_null(False).alias("plain"))
        part = part.with_columns(part[c].scatter(dirty, fixed[c]) for c in ("r", "plain", "sci"))
    c = pl.col("r")
    is16 = pl.col("plain") & (c.str.len_bytes() == 16)
    # Excel keeps 15 significant digits: a 16-digit number stored as a number has lost its last
    # digit, which Excel shows as 0. Scientific notation in a text cell is the same damage, typed.
    excel = pl.col("sci") | (pl.col("num") & is16 & c.str.ends_with("0"))
    return [raw.alias(f"{prefix}_raw"), *part.select(
        c.alias(prefix), pl.col("plain").alias(f"{prefix}_digits"), excel.alias(f"{prefix}_excel"),
        is16.alias(f"{prefix}_16"), (is16 & ~excel).alias(f"{prefix}_ok"),
        pl.col("num").alias(f"{prefix}_num")).get_columns()]


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier; 29 Feb becomes 28 Feb in a year that is not leap."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def map_unique(values: pl.Series, fn) -> dict:
    """Apply a Python function to each distinct value (few: banks, kecamatan names)."""
    return {v: fn(v) for v in values.unique().drop_nulls().to_list()}


def resolve_bank(rules: Rulebook, written: str) -> str | None:
    key = bank_key(written)
    aliases = rules.bank_aliases
    if key in aliases:
        return aliases[key]
    # "BRI UNIT MEDAN BARU", "BANK BNI 46 CABANG MEDAN": the longest alias found as whole words.
    for alias in sorted(aliases, key=len, reverse=True):
        if re.search(rf"\b{re.escape(alias)}\b", key):
            return aliases[alias]
    # A bank code (kode bank) typed alone: "002", "2", "451".
    compact = key.replace(" ", "")
    if compact.isdigit() and len(compact) <= 3:
        return next((b.name for b in rules.banks if compact.zfill(3) in b.codes), None)
    return None


def resolve_kecamatan(regions: Regions, written: str, near: list[str]) -> str | None:
    """A kecamatan column cell as a 6-digit code: a code as written, else the name, preferring
    kecamatan inside `near` (the sender's kecamatan and kabupaten, the program's area) when names
    repeat."""
    digits = re.sub(r"\D", "", written)
    if len(digits) in (6, 10) and not re.search(r"[A-Za-z]", written):
        return digits[:6]  # a kelurahan's code (12.71.17.1001) lies in its kecamatan
    # The name with its code: "Medan Baru (127117)", "12.71.17 - Medan Baru". The code counts when
    # the name is the code's own or no kecamatan's; two kecamatan in one cell are none.
    coded = re.fullmatch(r"(.*?)\(?\b(\d{2})\.?(\d{2})\.?(\d{2})\b\)?(.*)", written.strip())
    if coded and len(digits) == 6:
        code, rest = "".join(coded.group(2, 3, 4)), f"{coded.group(1)} {coded.group(5)}".strip(" -,:;/")
        named = resolve_kecamatan(regions, rest, [code]) if rest else None
        return code if named in (None, code) else None
    found = _kecamatan_named(regions, written, near)
    if found:
        return found
    # The kecamatan with its kabupaten/kota after it: the longest part before a KOTA/KAB that names
    # one ("Medan Baru Kota Medan", "Konda/Kondaga Kab Tolikara"; KOTA may be part of the name:
    # "MEDAN KOTA KOTA MEDAN"). Each prefix is looked up, never split again: linear in the cell.
    for at in reversed([m.start() for m in re.finditer(r"(?=\s(?:KOTA|KAB(?:UPATEN)?\.?)\s)", written, re.I)]):
        found = _kecamatan_named(regions, written[:at], near)
        if found:
            return found
    # The kecamatan beside its kota, kabupaten or kelurahan: "Medan Baru, Kota Medan", "PERCUT SEI
    # TUAN - DELI SERDANG", "Medan Baru / Padang Bulan". Split at commas, dashes and brackets first,
    # then at "/" (official names hold one: Tiro/Truseb). Every part that names a kecamatan must
    # name the same one, but for a part that is a kelurahan of another part's kecamatan: "Merdeka,
    # Medan Baru" is Medan Baru (Kelurahan Merdeka lies there; Kecamatan Merdeka is in Karo), while
    # "Medan Baru / Medan Selayang" is none.
    for separators in (r",|\s[-–]\s|\(|\)", r"/"):
        parts = [p for p in re.split(separators, written) if p.strip()]
        if len(parts) > 1:
            named = {p: c for p in parts if (c := resolve_kecamatan(regions, p, near))}
            codes = set(named.values())
            if len(codes) <= 1:
                return codes.pop() if codes else None
            # "Batee, Pidie": Pidie is the kabupaten of Kecamatan Batee; "Merdeka, Medan Baru":
            # Merdeka is a kelurahan of Medan Baru. Where both readings fit ("Winong, Pati": Kec.
            # Winong of Kab. Pati, or desa Winong of Kec. Pati), the sender's own kecamatan wins.
            by_kabupaten = {c for p, c in named.items()
                            if not any(_names_kabupaten(regions, p, other) for other in codes - {c})}
            by_village = {c for p, c in named.items()
                          if not any(place_key(p) in regions.village_keys.get(other, ()) for other in codes - {c})}
            readings = [r for r in (by_kabupaten, by_village) if len(r) == 1]
            sender = near[0] if near and len(near[0]) == 6 else None
            if any(sender in r for r in readings):
                return sender
            return next(iter(readings[0])) if readings else None
    return None


_KABUPATEN_WORD = re.compile(r"^(KABUPATEN|KAB|KOTA)\s+")


def _names_kabupaten(regions: Regions, written: str, kecamatan: str) -> bool:
    """Whether the text is the name of the kabupaten/kota holding the kecamatan ("Pidie" and
    "Kab. Pidie" for 11.07; a kecamatan of the same name inside it is then not what was meant)."""
    kabupaten = place_key(regions.names.get(kecamatan[:4], ""))
    return bool(kabupaten) and _KABUPATEN_WORD.sub("", place_key(written)) == _KABUPATEN_WORD.sub("", kabupaten)


def _kecamatan_named(regions: Regions, written: str, near: list[str]) -> str | None:
    """The kecamatan whose name the text is, inside `near` first when names repeat."""
    key = place_key(written)
    # "PERCUT SEITUAN" for Percut Sei Tuan: spacing is the commonest slip in a typed name.
    codes = regions.kecamatan_by_key.get(key, ()) or regions.kecamatan_by_compact_key.get(key.replace(" ", ""), ())
    for prefix in near:
        inside = [c for c in codes if c.startswith(prefix)]
        if inside:
            return inside[0]
    return codes[0] if codes else None


MONTH_FIRST = {
    "code": "dates_month_first",
    "message": "Tanggal lahir di daftar ini ditulis bulan lebih dulu (BB/HH/TTTT, mis. 07/31/1998), seperti yang "
               "disimpan Excel atau LibreOffice berbahasa Inggris, jadi dibaca demikian. Periksa beberapa tanggal; "
               "sebaiknya tulis tanggal sebagai HH-BB-TTTT (31-07-1998).",
    "message_en": "Birth dates in this list are written month first (MM/DD/YYYY, e.g. 07/31/1998), as Excel or "
                  "LibreOffice with English settings saves them, and were read so. Check a few dates; better write "
                  "them as DD-MM-YYYY (31-07-1998).",
}


def via_unique(frame: pl.DataFrame, keys: list[str], outputs: list[pl.Expr]) -> pl.DataFrame:
    """Compute text normalisations once per distinct value, then join them back.

    Real lists repeat names, amounts, dates, sexes and banks thousands of times; regex work on
    the distinct values and one join is far cheaper than regex work on every row. Distinct
    values are found and joined by a 64-bit hash of the keys (integers hash and join several
    times faster than text); the keys are then compared, and should two ever share a hash the
    exact join on the text is used instead."""
    h = (pl.struct(keys) if len(keys) > 1 else pl.col(keys[0])).hash().alias("_h")
    part = frame.select(*keys, h)
    distinct = part.unique(subset="_h", keep="any")
    if distinct.height > frame.height // 2:
        return frame.with_columns(outputs)
    computed = distinct.with_columns(outputs)
    mapped = part.select("_h").join(computed, on="_h", how="left", maintain_order="left")
    if not all(part.get_column(k).eq_missing(mapped.get_column(k)).all() for k in keys):
        mapped = frame.select(keys).join(computed.drop("_h").unique(subset=keys), on=keys, how="left",
                                         nulls_equal=True, maintain_order="left")
    return frame.with_columns(mapped.drop([*keys, "_h"], strict=False).get_columns())


def prepare(frame: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    today = ctx.today
    # The operator's columns as read (c0, n0, …) stay with the listing for the workbook; the
    # checks work on the recognised fields only, so every step below moves fewer columns.
    frame = frame.select([c for c in frame.columns if not _RAW_COLUMN.match(c)])
    nik = pl.col("_nik")
    id_fields = [(f, ID_FIELDS[f]) for f in ("nik", "no_kk", "no_rekening")]
    out = frame.with_columns(
        *[text(_col(ctx, f)).alias(f"{p}_raw") for f, p in id_fields],
        text(_col(ctx, "nama")).alias("_name_raw"),
        text_or_dash(_col(ctx, "tanggal_lahir")).alias("_dob_raw"),
        _num(ctx, "tanggal_lahir").alias("_dob_num"),
        text_or_dash(_col(ctx, "jenis_kelamin")).alias("_sex_raw"),
        text(_col(ctx, "nominal")).alias("_amount_raw"),
        _num(ctx, "nominal").alias("_amount_num"),
        text_or_dash(_col(ctx, "nama_bank")).alias("_bank_raw"),
        text_or_dash(_col(ctx, "nama_rekening")).alias("_holder_raw"),
        text_or_dash(_col(ctx, "kecamatan")).alias("_kec_raw"),
    )
    out = out.with_columns([col for f, p in id_fields for col in _id_columns(out, ctx, f, p)])
    name = display_name(pl.col("_name_raw"))
    out = via_unique(out, ["_name_raw"], [
        name.alias("_name"),
        (name.is_null() | is_placeholder_name(pl.col("_name_raw")).fill_null(False)).alias("_name_bad"),
        name_key(pl.col("_name_raw")).alias("_name_key"),
    ])
    month_first = month_first_column(out["_dob_raw"], out["_nik"])
    if month_first:
        ctx.warnings.append(MONTH_FIRST)
    out = via_unique(out, ["_dob_raw", "_dob_num"], [parse_date(
        pl.col("_dob_raw"), pl.col("_dob_num"), today, ctx.date1904, month_first).alias("_dob")])
    out = via_unique(out, ["_sex_raw"], [parse_sex(pl.col("_sex_raw")).alias("_sex")])
    out = via_unique(out, ["_amount_raw", "_amount_num"],
                     [parse_amount(pl.col("_amount_raw"), pl.col("_amount_num")).alias("_amount")])
    if "nama_rekening" in ctx.fields:
        out = via_unique(out, ["_holder_raw"], [name_key(pl.col("_holder_raw")).alias("_holder_key")])
    else:
        out = out.with_columns(pl.lit(None, pl.Utf8).alias("_holder_key"))
    out = out.with_columns(
        pl.when(pl.col("_nik_16")).then(nik_date_parts(nik)).otherwise(None).alias("_nikd"),
        (pl.col("_dob").is_not_null()
         & (pl.col("_dob") <= pl.lit(today))
         & (pl.col("_dob") >= pl.lit(years_before(today, 120)))).alias("_dob_ok"),
    )
    banks = map_unique(out["_bank_raw"], lambda v: resolve_bank(ctx.rules, v))
    near = [p for p in ([ctx.sender, ctx.sender[:4]] if ctx.sender else []) + ctx.program.area]
    kecs = map_unique(out["_kec_raw"], lambda v: resolve_kecamatan(ctx.regions, v, near))
    own = place_key(ctx.regions.name(ctx.sender)) if ctx.sender else None
    is_sender = map_unique(out["_kec_raw"], lambda v: kecs[v] == ctx.sender or place_key(v) == own)
    return out.with_columns(
        pl.col("_bank_raw").replace_strict(banks, default=None, return_dtype=pl.Utf8).alias("_bank"),
        pl.col("_kec_raw").replace_strict(kecs, default=None, return_dtype=pl.Utf8).alias("_kec"),
        pl.col("_kec_raw").replace_strict(is_sender, default=False, return_dtype=pl.Boolean)
        .alias("_kec_is_sender"),
    )
