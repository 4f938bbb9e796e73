"""Social registry (DTKS/DTSEN) and exclusion lists: the list joined in DuckDB, findings back in polars."""

from __future__ import annotations

import duckdb
import polars as pl
from rapidfuzz import fuzz, process

from validator.checks.base import CheckContext
from validator.normalize import BIN_WORD, father_key, name_key, name_key_with_father, names_alike
from validator.store import query, registered
from validator.store.history import mask_name, mask_nik


def list_rows(prepared: pl.DataFrame, findings: pl.DataFrame) -> pl.DataFrame:
    """Registry checks need a readable NIK (a 16-digit NIK with a bad date is still looked up).

    A KK or name with a finding of its own (KK_SAMA_NIK, NAMA_TIDAK_WAJAR, …) is not compared
    with the registry: one problem, one finding. A KK repeated on another row of the list
    (GANDA_KK) is not a fault of the cell: it is still compared with the registry (DTKS_KK_BEDA
    tells which row holds the wrong family) and with other programs' lists (GANDA_ANTAR_PROGRAM)."""
    own = ~pl.col("code").str.starts_with("GANDA_")
    kk_faulty = findings.filter((pl.col("field") == "no_kk") & own)["_idx"].unique()
    name_faulty = findings.filter((pl.col("field") == "nama") & own)["_idx"].unique()
    return prepared.lazy().filter(pl.col("_nik_ok")).select(
        "_idx", pl.col("_nik").alias("nik"),
        pl.when(pl.col("_kk_ok") & ~pl.col("_idx").is_in(kk_faulty.implode())).then(pl.col("_kk")).alias("kk"),
        pl.col("_name").alias("nama"), "_name_key",
        (pl.col("_name_bad") | pl.col("_idx").is_in(name_faulty.implode())).alias("_name_bad"),
    ).collect()


KEYS = "bansos_list_keys"
# A status that marks the person deceased (lower case): "meninggal", "Meninggal Dunia", "Sudah
# Meninggal", "Tidak Aktif (Meninggal)", "wafat", "almarhum", "alm.", "mati".
# (Letters around the word, not \b: "meninggal_dunia" has an underscore, a word character.)
_DEATH = r"(meninggal|wafat|almarhum|almarhumah|alm|mati)([^a-z]|$)"
DECEASED = r"(^|[^a-z])" + _DEATH
# A death word negated or said of a relative is not the person's: "aktif (suami meninggal)",
# "Aktif - istri sudah wafat", "Aktif (Suami: Meninggal)", "tidak meninggal". A negation or a
# relative joined to the death word by punctuation alone is a role and a status of the record's
# own person: "Tidak (Meninggal)", "TIDAK - MENINGGAL DUNIA", "Istri - Meninggal Dunia", "ibu:
# meninggal" stay deaths; a relative so joined is another person only after the record's own
# active status. ("Kepala keluarga meninggal" stays a death: the record may be the head's own.)
# Removed before DECEASED is looked for.
_RELATIVE = r"(suami|istri|isteri|ayah|bapak|ibu|anak|pasangan|orang ?tua|ortu)(nya)?"
_ALREADY = r"(sudah|sdh|telah|yang|yg)"
NOT_THE_PERSON = (
    r"(^|[^a-z])("
    r"(tidak|belum|bukan)\s+"  # a negation: "tidak meninggal"
    rf"|{_RELATIVE}\s+({_ALREADY}\s+)?"  # a relative, by spaces: "suami meninggal", "istri sudah wafat"
    # a relative after the person's own active status: "Aktif (Suami: Meninggal)", "aktif; istri yg meninggal"
    rf"|(aktif|hidup|layak)[^a-z]+{_RELATIVE}[^a-z]+({_ALREADY}[^a-z]+)?"
    r")" + _DEATH)


def deceased(status: pl.Expr) -> pl.Expr:
    """Whether a (lower-case) registry status marks the person deceased; null stays null."""
    return status.str.replace_all(NOT_THE_PERSON, " ").str.contains(DECEASED)


DECEASED_SQL = f"regexp_matches(regexp_replace(r.status, '{NOT_THE_PERSON}', ' ', 'g'), '{DECEASED}')"
# The registry column each check reads (contracts §4): without it the check cannot run.
COLUMN_CHECKS = {"no_kk": "DTKS_KK_BEDA", "nama": "DTKS_NAMA_BEDA", "desil": "DTKS_DESIL",
                 "status": "DTKS_MENINGGAL"}


def applies(code: str, ctx: CheckContext) -> bool:
    """Whether the program runs this registry check at all (membership "no" switches off
    DTKS_TIDAK_TERDAFTAR and DTKS_DESIL; no desil cut-off switches off DTKS_DESIL)."""
    if code == "DTKS_TIDAK_TERDAFTAR":
        return ctx.program.registry_required
    if code == "DTKS_DESIL":
        return ctx.program.registry_required and ctx.program.desil_max is not None
    return True


def registry_matches(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame, registry_sql: str) -> pl.DataFrame:
    """One registry row per list row (left join). When a NIK repeats in the registry, a record
    marking the person deceased comes first, then the highest desil: a stale record must not hide
    a death or a desil above the cut-off (the import reports repeated NIKs). Then the record with
    the list's KK, then the record with the list's name, then by name and KK: the same files give
    the same verdict whatever their order."""
    # (`registry_sql` may refer to the list's keys as `bansos_list_keys`, registered here.)
    keys = rows.select("_idx", "nik", "kk", "nama").to_arrow()  # handed to DuckDB without copying
    with registered(con, **{KEYS: keys}):
        return query(con, f"""
            SELECT k._idx, r.nik IS NOT NULL AS found, r.nama AS reg_nama, r.no_kk AS reg_kk,
                   r.status AS reg_status, r.desil AS reg_desil, r.kode_wilayah AS reg_wilayah
            FROM bansos_list_keys k LEFT JOIN {registry_sql} r ON r.nik = k.nik
            QUALIFY row_number() OVER (PARTITION BY k._idx
                                       ORDER BY {DECEASED_SQL} DESC
                                                NULLS LAST, r.desil DESC NULLS LAST,
                                                (r.no_kk = k.kk) DESC NULLS LAST, (r.nama = k.nama) DESC NULLS LAST,
                                                r.nama NULLS LAST,
                                                r.no_kk NULLS LAST) = 1
        """)


def registry_findings(rows: pl.DataFrame, ctx: CheckContext, con: duckdb.DuckDBPyConnection,
                      registry_sql: str) -> dict[str, pl.DataFrame]:
    """Findings per code as (_idx, value, expected, actual, detail) frames; `rows` from list_rows."""
    if rows.height == 0:
        return {}
    m = rows.join(registry_matches(con, rows, registry_sql).with_columns(pl.col("_idx").cast(pl.UInt32)),
                  on="_idx", how="left")
    program = ctx.program
    out: dict[str, pl.DataFrame] = {}
    found = pl.col("found").fill_null(False)
    if program.registry_required:
        out["DTKS_TIDAK_TERDAFTAR"] = m.filter(~found).select("_idx", pl.col("nik").alias("value"))
        if program.desil_max is not None:
            out["DTKS_DESIL"] = m.filter(found & (pl.col("reg_desil") > program.desil_max)).select(
                "_idx", pl.col("nik").alias("value"), pl.col("reg_desil").cast(pl.Utf8).alias("actual"),
                pl.lit(str(program.desil_max)).alias("expected"))
    status = pl.col("reg_status").fill_null("")
    out["DTKS_MENINGGAL"] = m.filter(found & deceased(status).fill_null(False)).select(
        "_idx", pl.col("nik").alias("value"))
    kk_bad = found & pl.col("kk").is_not_null() & pl.col("reg_kk").str.contains(r"^[0-9]{16}$").fill_null(False) & (
        pl.col("kk") != pl.col("reg_kk"))
    out["DTKS_KK_BEDA"] = m.filter(kk_bad).select(
        "_idx", pl.col("kk").alias("value"), pl.col("reg_kk").alias("expected"))
    out["DTKS_NAMA_BEDA"] = _name_mismatch(m.filter(found & ~pl.col("_name_bad") & pl.col("reg_nama").is_not_null()),
                                           program.name_similarity)
    out = {code: frame for code, frame in out.items() if frame.height and ctx.enabled(code)}
    return _masked_elsewhere(out, m, ctx.sender)


def _masked_elsewhere(out: dict[str, pl.DataFrame], m: pl.DataFrame, sender: str | None) -> dict[str, pl.DataFrame]:
    """The registry's name and KK are quoted whole only for residents of the sending kecamatan
    (the registry's region code, else the NIK's): a list is no way to read the registry record of
    anyone a kecamatan does not serve, so for others they are masked ('S*** A***',
    127102******0012). Without a kecamatan (a local run on one's own extract) nothing is masked."""
    if sender is None:
        return out
    region = pl.coalesce(pl.col("reg_wilayah"), pl.col("nik"))
    others = m.filter(~region.str.starts_with(sender).fill_null(False))
    elsewhere = others["_idx"]
    # Nor is it a way to guess one: a NIK of another kecamatan listed on many rows, each with
    # another KK or name, would tell by the one row without a finding which guess is the
    # registry's. Such a NIK is compared on its first row only (the others are GANDA_NIK).
    guesses = others.sort("_idx").filter(pl.int_range(pl.len()).over("nik") > 0)["_idx"]
    masks = {"DTKS_NAMA_BEDA": mask_name, "DTKS_KK_BEDA": mask_nik}
    for code, mask in masks.items():
        if code in out:
            hide = pl.col("_idx").is_in(elsewhere.implode())
            out[code] = out[code].filter(~pl.col("_idx").is_in(guesses.implode())).with_columns(
                pl.when(hide).then(pl.col("expected").map_elements(mask, return_dtype=pl.Utf8))
                .otherwise(pl.col("expected")).alias("expected"))
    return out


FATHER_SIMILARITY = 0.7


def _name_mismatch(m: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Names that differ beyond spelling variation: compared after the same Indonesian name
    normalisation as the list (titles, Muhammad/M./Moh., old spelling), then scored.

    The key leaves out BIN/BINTI and the father's name; where either side has them, the names also
    match with the father's name kept and only the word dropped ("RAHMAT BIN SULAIMAN" and
    "RAHMAT SULAIMAN"), and two different fathers named on both sides are two people, as in
    DUGAAN_GANDA."""
    m = m.with_columns(name_key(pl.col("reg_nama")).alias("_reg_key")).filter(pl.col("_reg_key").is_not_null())
    out = pl.col("_idx"), pl.col("nama").alias("value"), pl.col("reg_nama").alias("expected")
    fathered = pl.col("nama").str.contains(BIN_WORD) | pl.col("reg_nama").str.contains(BIN_WORD)
    cand = m.filter(~fathered & (pl.col("_reg_key") != pl.col("_name_key")))
    plain = cand.filter(~names_alike(cand, "_name_key", "_reg_key", threshold))
    fam = m.filter(fathered).with_columns(
        name_key_with_father(pl.col("nama")).alias("_name_full"), name_key_with_father(pl.col("reg_nama")).alias("_reg_full"),
        father_key(pl.col("nama").str.to_uppercase()).alias("_father"),
        father_key(pl.col("reg_nama").str.to_uppercase()).alias("_reg_father"))
    if fam.height == 0:
        return plain.select(out)
    both = fam["_father"].is_not_null() & fam["_reg_father"].is_not_null()
    fathers = process.cpdist(fam["_father"].fill_null("").to_list(), fam["_reg_father"].fill_null("").to_list(),
                             scorer=fuzz.token_set_ratio, workers=1)
    # Fathers' names are compared more loosely than the person's (SULAIMAN, SULEMAN): only a
    # father clearly different (HASAN, UMAR) makes two people.
    differ = ~(names_alike(fam, "_name_key", "_reg_key", threshold) | names_alike(fam, "_name_full", "_reg_full", threshold)) | (
        both & (pl.Series(fathers, dtype=pl.Float64) < FATHER_SIMILARITY * 100))
    return pl.concat([plain.select(out), fam.filter(differ).select(out)])


def exclusion_findings(rows: pl.DataFrame, ctx: CheckContext, con: duckdb.DuckDBPyConnection,
                       exclusions_sql: str) -> dict[str, pl.DataFrame]:
    if not ctx.enabled("DAFTAR_PENGECUALIAN"):
        return {}
    if rows.height == 0:
        return {}
    with registered(con, **{KEYS: rows.select("_idx", "nik").to_arrow()}):
        hits = query(con, f"""
            SELECT k._idx, k.nik AS value,
                   string_agg(DISTINCT nullif(trim(replace(e.kategori, '_', ' ')), ''), ', '
                              ORDER BY nullif(trim(replace(e.kategori, '_', ' ')), '')) AS detail
            FROM bansos_list_keys k JOIN {exclusions_sql} e ON e.nik = k.nik
            GROUP BY k._idx, k.nik
        """)
    # An exclusion row without a category: the message leaves the category out.
    hits = hits.with_columns(pl.col("_idx").cast(pl.UInt32),
                             pl.when(pl.col("detail").is_null()).then(pl.lit("no_category")).alias("variant"))
    return {"DAFTAR_PENGECUALIAN": hits} if hits.height else {}
