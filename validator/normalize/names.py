"""Recipient names: what is shown, the key names are matched on, and placeholder names."""

from __future__ import annotations

import re

import polars as pl
from rapidfuzz import fuzz, process

from validator.normalize.ids import INVISIBLE

# Degrees written with dots ("S.Pd", "S. Pd.I", "A.Ma.Pd"); the first dot is required so that
# a plain "S PD" in an already normalised key is never read as a degree (keeps name_key idempotent).
_DOTTED_TITLES = (
    "S.PD.I S.PD S.AG S.SOS S.E S.H S.KOM S.T S.IP S.KM S.KEP A.MA.PD A.MA A.MD AMA.PD M.PD M.SI "
    "M.M M.AG"
).split()
_TITLES = (
    "H HJ HAJI HAJJAH HAJAH HADJI HADJAH DRS DRA DR IR PROF SPD SPDI SAG SSOS SE SH SKOM ST SIP "
    "SKM SKEP AMD AMAPD MPD MSI MM MAG USTADZ USTAD UST USTADZAH USTAZAH BPK BAPAK IBU NY "
    "NYONYA TN SDR SDRI ALM ALMH ALMARHUM ALMARHUMAH TGK TEUNGKU"
).split()
_MUHAMMAD = (
    "M MUH MUHD MOH MOHD MHD MOCH MOCHAMAD MOCHAMMAD MOHAMAD MOHAMMAD MOHAMMED MUHAMAD MUHAMMED "
    "MUHAMMAD MUHAMAT MUHAMMAT"
).split()
_APOSTROPHES = ["'", "`", "\u2018", "\u2019", "\u00b4"]
# Old (Soewandi) and new spelling meet in one form: OE=U, CH=KH, Y=J, DJ=J and C=TJ. Y goes to J
# before DJ is read, so new DY/TY meet old DJ/TJ; C is folded into TJ (not TJ into C) and D runs
# before J go whole, so no rewrite can create a pair still to rewrite: one pass reaches a fixed
# point, which keeps name_key idempotent.
_SPELLING = {"OE": "U", "CH": "KH", "Y": "J", "C": "TJ"}
_D_BEFORE_J = "D+J"
_FINAL_Y = r"Y\b"
_SPACES = r"\s{2,}|[^\S ]"  # only what is not already a single plain space
_INVISIBLE = f"[{INVISIBLE}]"  # zero-width characters pasted with a name


def _dotted(title: str) -> str:
    """Regex for one dotted degree: first separator a dot, later dots optional."""
    first, *rest = title.split(".")
    tail = "".join(rf"\s*\.?\s*{part}" for part in rest[1:])
    return rf"\b{first}\s*\.\s*{rest[0]}{tail}\b"


def _spell(name: pl.Expr) -> pl.Expr:
    """Spelling-variant folding of upper-case text."""
    return name.str.replace_all(_FINAL_Y, "I").str.replace_many(_SPELLING, leftmost=True).str.replace_all(_D_BEFORE_J, "J")


def _spelled(words: list[str]) -> list[str]:
    """The word list in the spelling name_key compares in, longest first for regex alternation."""
    out = pl.Series(words).to_frame("w").select(_spell(pl.col("w"))).to_series().to_list()
    return sorted(set(out), key=lambda w: (-len(w), w))


_DOTTED_RE = "|".join(_dotted(t) for t in sorted(_DOTTED_TITLES, key=len, reverse=True))
# Dots, commas and the rest become one space; a dotted degree goes with them in the same pass.
# Runs that are just one plain space are left alone: far fewer replacements, same result.
_JUNK = rf"(?:{_DOTTED_RE}|[^\p{{L}}\p{{N}}])"
_JUNK_NOT_SPACE = rf"(?:{_DOTTED_RE}|[^\p{{L}}\p{{N}} ])"
_PUNCT_RE = rf" ?{_JUNK_NOT_SPACE}{_JUNK}*| {{2,}}{_JUNK}*"
# Titles anywhere, and BIN/BINTI with the father's name after it, both simply go. A title takes
# the space before it, so a following " BIN" still has its own space to be found by.
_DROP_RE = rf" ?\b(?:{'|'.join(_spelled(_TITLES))})\b| (?:BINTI|BIN|BTE|BT)(?: .*)?$"
# ST. before a name is SITI (ST. AMINAH, HJ. ST. AMINAH), the way lists in Sumatra write it; the
# degree S.T. comes after the name ("BUDI, S.T.") and still goes with the titles.
_SITI_RE = rf"^((?:(?:{'|'.join(_spelled(_TITLES))}) )*)ST "
# Degrees after the comma that ends a name ("ABDUL MANAF, M.A", "AHMAD, Lc", "RINA, Sp.A",
# "SITI, S.Pd., M.Pd"): dotted abbreviations, or degrees written without dots. Read before the
# spelling and Muhammad rules, which would take M.A for MUHAMMAD A and Lc for LTJ. A word after a
# comma that is neither ("NASUTION, ALI") stays.
_UNDOTTED_DEGREES = (
    "LC MA MT MH MKES MKOM MHUM MPSI MBA PHD SSI SKES SHUM SPSI SSTP STP SFARM APT SPA SPOG SPPD SPB "
    "SE SH ST SPD SPDI SAG SSOS SKOM SIP SKM SKEP SKED AMD AMK AMKEB AMDKEB AMAPD MPD MSI MM MAG"
)
# Written with dots: each one known, so that "ROSMA, BR. PANE" or "HASANUDDIN, M. NUR" keep
# their words.
_DOTTED_DEGREES = (
    "S.PD.I S.PD.SD S.PD S.AG S.SOS S.E S.H S.KOM S.T S.IP S.KM S.KEP S.SI S.KES S.FARM S.PSI S.HUM S.STP "
    "S.TR S.P S.PT S.IKOM S.I.KOM S.KED A.MD.KEB A.MD.KEP A.MD.KOM A.MD.FARM A.MD A.MA.PD A.MA M.PD.I M.PD "
    "M.SI M.M M.AG M.A M.T M.H M.KES M.KOM M.HUM M.PSI M.SC M.KEP M.AP M.E SP.A SP.PD SP.OG SP.B SP.M "
    "SP.KK SP.S SP.JP PH.D B.SC B.A"
).split()
_DEGREE = (r"(?:" + "|".join(r"\s*\.\s*".join(d.split(".")) for d in sorted(_DOTTED_DEGREES, key=len, reverse=True))
           + rf"|{'|'.join(_UNDOTTED_DEGREES.split())})\b")
_DEGREES_AFTER_COMMA = rf",[\s,]*(?:{_DEGREE}\.?[\s,]*)+$"
_MUHAMMAD_SPELLED = _spelled(_MUHAMMAD)
_MUHAMMAD_RE = rf"\b(?:{'|'.join(_MUHAMMAD_SPELLED)}) "

_SEP = r"[^\p{L}\p{N}]*"
_PLACEHOLDER_WORDS = [
    f"TIDAK{_SEP}ADA", f"TDK{_SEP}ADA", f"BELUM{_SEP}ADA", f"N{_SEP}N", f"X(?:{_SEP}X)*",
    f"N{_SEP}A", "NULL", "NONE", "KOSONG",
]  # fmt: skip
_ODD_NAME = rf"(?i)\d|^{_SEP}(?:{'|'.join(_PLACEHOLDER_WORDS)}){_SEP}$"
_TWO_LETTERS = r"(?s)\p{L}.*\p{L}"


def display_name(text: pl.Expr) -> pl.Expr:
    """Name as shown in results: upper-cased, whitespace collapsed and stripped, empty → null."""
    out = text.str.replace_all(_INVISIBLE, "").str.replace_all(_SPACES, " ").str.strip_chars().str.to_uppercase()
    return out.replace("", None)


def name_key(text: pl.Expr) -> pl.Expr:
    """Key for matching names: no titles, Muhammad variants merged, old spelling folded."""
    out = text.str.replace_all(_INVISIBLE, "").str.to_uppercase().str.replace_many(_APOSTROPHES, [""] * len(_APOSTROPHES))
    out = out.str.replace(_DEGREES_AFTER_COMMA, "")
    # HERY and HERI, RUDY and RUDI, OEY and OEI: a word's last Y is an I (before Y becomes J, so
    # that RUDY does not end in the old spelling DJ).
    out = out.str.replace_all(_FINAL_Y, "I").str.replace_many(_SPELLING, leftmost=True)
    out = out.str.replace_all(_PUNCT_RE, " ").str.replace_all(_D_BEFORE_J, "J").str.strip_chars()
    out = out.str.replace(_SITI_RE, "${1}SITI ")
    # Staged: the key before title removal is needed again for a name that is only a title.
    f = pl.field
    s = pl.struct(out.alias("full"))
    s = s.struct.with_fields(bare=f("full").str.replace_all(_DROP_RE, "").str.strip_chars(" "))
    key = pl.when(f("bare").str.len_bytes() > 0).then(f("bare")).otherwise(f("full"))
    # A Muhammad variant counts as Muhammad unless it is a last initial ("AHMAD M").
    key = key.str.replace_all(_MUHAMMAD_RE, "MUHAMMAD ").replace(_MUHAMMAD_SPELLED, "MUHAMMAD")
    # ABD. RAHMAN is ABDUL RAHMAN; BORU (a Batak woman's clan word) is written BR. as often.
    key = key.str.replace_all(r"\bABD\b", "ABDUL").str.replace_all(r"\bBORU\b", "BR")
    return s.struct.with_fields(key=key.replace("", None)).struct.field("key")


# The father's name after BIN/BINTI ("ALI BIN HASAN" -> HASAN), and the word alone.
_FATHER = r"(?i)\b(?:BINTI|BIN|BTE|BT)\.?\s+(.+)$"
BIN_WORD = r"(?i)\s(?:BINTI|BIN|BTE|BT)\.?\s"


def father_key(text: pl.Expr) -> pl.Expr:
    """Name key of the father's name given after BIN/BINTI, else null."""
    return name_key(text.str.extract(_FATHER, 1))


def name_key_with_father(text: pl.Expr) -> pl.Expr:
    """Name key keeping the father's name, without the word BIN/BINTI: "RAHMAT BIN SULAIMAN" and
    "RAHMAT SULAIMAN" (a registry writing the father's name without the word) are one name."""
    return name_key(text.str.replace(BIN_WORD, " "))


def is_placeholder_name(text: pl.Expr) -> pl.Expr:
    """True for a name that is no name: digits, under two letters, or a placeholder word."""
    s = pl.struct(text.alias("t"))
    f = pl.field("t")
    odd = f.str.contains(_ODD_NAME) | ~f.str.contains(_TWO_LETTERS)
    flag = (f.str.contains(r"\S") & odd).fill_null(False)
    return s.struct.with_fields(flag=flag).struct.field("flag")


_DOUBLED = re.compile(r"(\w)\1+")
# Letters written for one sound in Indonesian names, folded for the comparison only (names_alike):
# YUSUF and YUSUP, RIZKI and RISKI, ZAINAL and ZAENAL, RAHMAT and RAHMAD, KHAIRUL and HAIRUL,
# TAUFIQ and TAUFIK, SOFYAN and SOFIAN (Y is J in the key), DZULKIFLI and ZULKIFLI, FATHUR and
# FATUR, and the old spelling of Chinese-Indonesian names: TJHIN and CHIN (KHIN in the key).
# Only where the two spellings are one name: F/V and P at a word's end (FENI and PENI are two
# names), Z and S inside a word (ZAID and SAID are two), J and I after F or P (MARJO and MARIO).
_SOUNDS = [(re.compile(p), r) for p, r in (
    (r"DZ", "Z"), (r"\BZ", "S"), (r"TJH", "H"), (r"KH", "H"), (r"TH", "T"), (r"Q", "K"), (r"[FV]\b", "P"),
    (r"AE", "AI"), (r"D\b", "T"), (r"(?<=[FP])J(?=[AIUEO])", "I"),
)]


def _sounded(key: str) -> str:
    for pattern, repl in _SOUNDS:
        key = pattern.sub(repl, key)
    return key


def names_alike(frame: pl.DataFrame, a: str, b: str, threshold: float) -> pl.Series:
    """Two name keys are one name spelled differently: alike as a whole (token_sort_ratio), and
    every word of the shorter name alike to a word of the other. A one-letter slip in a long
    word passes (AMINA, AMINAH); another first name under the same surname does not (DEDI and
    DEWI SIMANJUNTAK, SITI AMINAH and SITI AISYAH: alike as a whole, a spouse or another person).
    Names split into a different number of words (ERNA WATI, ERNAWATI; ABDUL RAHMAN,
    ABDURRAHMAN) are compared without their spaces instead of word by word."""
    if frame.height == 0:
        return pl.Series(dtype=pl.Boolean)
    # Alike as written, or with one sound's letters folded: KH is the H of KHAIRUL/HAIRUL but the
    # K of MIKHAEL/MIKAEL (CH in the key), so the folded comparison alone would part the latter.
    left, right = frame[a].fill_null("").to_list(), frame[b].fill_null("").to_list()
    return _alike(left, right, threshold) | _alike([_sounded(k) for k in left], [_sounded(k) for k in right], threshold)


def _alike(left: list[str], right: list[str], threshold: float) -> pl.Series:
    """names_alike on two lists of keys."""
    # EDDY and EDI, YENNY and YENI, HASSAN and HASAN: a doubled letter is one (on these few
    # pairs only, in Python: polars' regex has no back-references).
    keys = pl.DataFrame({x: [_DOUBLED.sub(r"\1", k) for k in side] for x, side in (("a", left), ("b", right))},
                        schema={"a": pl.Utf8, "b": pl.Utf8})
    whole = pl.Series(process.cpdist(keys["a"].to_list(), keys["b"].to_list(), scorer=fuzz.token_sort_ratio,
                                     workers=1), dtype=pl.Float64)
    words = keys.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_i"),
        *(pl.col(x).str.split(" ").alias(f"_{x}") for x in ("a", "b")),
    ).select("_i", pl.when(pl.col("_a").list.len() <= pl.col("_b").list.len()).then("_a").otherwise("_b").alias("_s"),
             pl.when(pl.col("_a").list.len() <= pl.col("_b").list.len()).then("_b").otherwise("_a").alias("_l"))
    pairs = words.explode("_s").explode("_l")
    pairs = pairs.with_columns(pl.Series("_r", process.cpdist(pairs["_s"].fill_null("").to_list(),
                                                              pairs["_l"].fill_null("").to_list(),
                                                              scorer=fuzz.ratio, workers=1), dtype=pl.Float64))
    # An initial stands for any word it begins: ENDANG S is ENDANG SRI, ABDUL R is ABDUL RAHMAN.
    s, longer = pl.col("_s").fill_null(""), pl.col("_l").fill_null("")
    initial = ((s.str.len_chars() == 1) & longer.str.starts_with(s)) | ((longer.str.len_chars() == 1) & s.str.starts_with(longer))
    pairs = pairs.with_columns(pl.when(initial).then(100.0).otherwise(pl.col("_r")).alias("_r"))
    weakest = (pairs.group_by("_i", "_s").agg(pl.col("_r").max()).group_by("_i").agg(pl.col("_r").min())
               .sort("_i")["_r"])
    joined = pl.Series(process.cpdist(keys["a"].str.replace_all(" ", "").to_list(),
                                      keys["b"].str.replace_all(" ", "").to_list(), scorer=fuzz.ratio, workers=1),
                       dtype=pl.Float64)
    split_apart = keys["a"].str.count_matches(" ") != keys["b"].str.count_matches(" ")
    words_alike = pl.select(pl.when(split_apart).then(joined).otherwise(weakest) >= threshold * 100).to_series()
    # Written apart, the sorted words no longer line up: the joined letters say it is one name.
    # With an initial (A. RAHMAN, ABDUL RAHMAN) the whole is short of letters by design: the
    # words, one for one, say it.
    initials = keys.select(pl.any_horizontal(pl.col(x).str.contains(r"(?:^| )\S(?: |$)") for x in ("a", "b")))
    return ((whole >= threshold * 100) | (split_apart & (joined >= threshold * 100))
            | (~split_apart & initials.to_series())) & words_alike
