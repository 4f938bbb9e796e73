"""Kemendagri region codes (every version since 2016): the sets NIK and KK prefixes are checked against."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import polars as pl

DATA = Path(__file__).parent / "data" / "wilayah.parquet"


def place_key(name: str) -> str:
    """A kecamatan's name as compared: 'Kec. Medan Baru' and 'MEDAN BARU' are the same kecamatan.

    Only the designation 'Kecamatan'/'Kec.' is dropped: 'Kota' begins the names of kecamatan
    ('Kota Baru', 'Kota Juang'), so 'Baru' alone must not match 'Kota Baru'."""
    t = re.sub(r"[^A-Z0-9 ]+", " ", str(name).upper())
    t = re.sub(r"^\s*(KECAMATAN|KEC)\b", " ", t)
    return " ".join(t.split())


def code_digits(text: str) -> str:
    return re.sub(r"\D", "", str(text))


def dotted(code: str) -> str:
    """A region code as Kemendagri writes it: 12.71.17, 12.71.17.1001."""
    d = code_digits(code)
    return ".".join([d[:2], d[2:4], d[4:6], d[6:]][: 1 + (len(d) > 2) + (len(d) > 4) + (len(d) > 6)])


@dataclass(frozen=True)
class Regions:
    provinces: frozenset[str]
    kabupaten: frozenset[str]
    kecamatan: frozenset[str]
    names: dict[str, str]  # code -> name (latest version holding it)
    kecamatan_by_key: dict[str, tuple[str, ...]]  # place_key(name) -> kecamatan codes
    source: Path = DATA
    # Kecamatan codes a place can be named or sent by today: every code of the source's versions
    # (2016 on). The codes from before 2016 added for NIKs issued then (Kalimantan Utara under 64,
    # the kecamatan renumbered by the splits of 2012-2015) are valid NIK prefixes only: a name
    # such as "Pangandaran" is today's 32.18.09, never the 32.07.22 it was until 2012.
    named_kecamatan: frozenset[str] = frozenset()
    current_kecamatan: frozenset[str] = frozenset()  # in the latest version (2025)

    @cached_property
    def village_keys(self) -> dict[str, frozenset[str]]:
        """Kecamatan code -> place_key of each desa/kelurahan in it, every version. Read on first
        use only: a cell naming two places ("Merdeka, Medan Baru") is the only one that needs it."""
        t = pl.read_parquet(self.source, columns=["kode", "nama", "level"]).filter(pl.col("level") == 4)
        out: dict[str, set[str]] = {}
        for code, name in zip(t["kode"], t["nama"], strict=True):
            out.setdefault(code_digits(code)[:6], set()).add(place_key(name))
        return {k: frozenset(v) for k, v in out.items()}

    @cached_property
    def kecamatan_by_compact_key(self) -> dict[str, tuple[str, ...]]:
        """The same, with the spaces of the key removed ('PERCUTSEITUAN')."""
        out: dict[str, list[str]] = {}
        for key, codes in self.kecamatan_by_key.items():
            out.setdefault(key.replace(" ", ""), []).extend(codes)
        return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}

    def name(self, code: str) -> str:
        return self.names.get(code_digits(code), code)

    def describe(self, code: str) -> str:
        """'Medan Baru (12.71.17)'."""
        return f"{self.names.get(code_digits(code), '?')} ({dotted(code)})"


@lru_cache(maxsize=1)
def load_regions(path: Path = DATA) -> Regions:
    # Current codes first: a name looked up ("Pangandaran") is today's kecamatan before the code
    # it had before its kabupaten was split (retired codes stay valid NIK prefixes all the same).
    t = (pl.read_parquet(path, columns=["kode", "nama", "level", "current", "first_seen"]).filter(pl.col("level") <= 3)
         .sort(["current", "kode"], descending=[True, False]))
    by_level = {lvl: frozenset(t.filter(pl.col("level") == lvl)["kode"]) for lvl in (1, 2, 3)}
    names = dict(zip(t["kode"], t["nama"], strict=True))
    named = t.filter((pl.col("level") == 3) & (pl.col("first_seen") >= 2016))
    by_key: dict[str, list[str]] = {}
    for code, name in zip(named["kode"], named["nama"], strict=True):
        by_key.setdefault(place_key(name), []).append(code)
    return Regions(by_level[1], by_level[2], by_level[3], names,
                   {k: tuple(v) for k, v in by_key.items()}, path, frozenset(named["kode"]),
                   frozenset(named.filter(pl.col("current"))["kode"]))


def normalise_kecamatan_code(text: str | None) -> str | None:
    """'12.71.17' or '127117' -> '127117'; anything else -> None."""
    if not text:
        return None
    d = code_digits(text)
    return d if len(d) == 6 else None
