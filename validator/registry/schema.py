"""What a valid registry row is (contracts §4): a pandera schema over the normalised extract."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from validator.checks.registri import DECEASED

# Status values of DTKS/DTSEN extracts the registry checks understand; anything else is counted.
STATUS_DIKENAL = ("aktif", "meninggal", "pindah")
# The DTKS_MENINGGAL check also reads "meninggal dunia", "wafat", "almarhum", … (DECEASED) as deceased.

# Check name -> (Indonesian label, English label). `<column>_kosong` are pandera's not-null checks.
CHECKS: dict[str, tuple[str, str]] = {
    "nik_kosong": ("NIK kosong", "NIK empty"),
    "nik_16_digit": ("NIK bukan 16 digit (tetap disimpan, tidak dapat dicocokkan)",
                     "NIK not 16 digits (kept, cannot be matched)"),
    "no_kk_16_digit": ("Nomor KK bukan 16 digit", "KK number not 16 digits"),
    "nama_kosong": ("Nama kosong", "Name empty"),
    "tanggal_lahir_terbaca": ("Tanggal lahir tidak terbaca (disimpan kosong)",
                              "Birth date unreadable (stored empty)"),
    "jenis_kelamin_dikenal": ("Jenis kelamin tidak dikenali (disimpan kosong)",
                              "Sex not recognised (stored empty)"),
    "kode_wilayah_10_digit": ("Kode wilayah bukan 10 digit kode desa/kelurahan",
                              "Region code is not a 10-digit village code"),
    "desil_terbaca": ("Desil bukan bilangan bulat (disimpan kosong)",
                      "Decile not an integer (stored empty)"),
    "desil_1_10": ("Desil di luar 1–10", "Decile outside 1–10"),
    "status_kosong": ("Status kosong", "Status empty"),
    "status_dikenal": ("Status tidak dikenal", "Unknown status"),
}


def base_column(column: str) -> str:
    """`tanggal_lahir_teks` (the text as written) reports as `tanggal_lahir`."""
    return column.removesuffix("_teks")


def _read_when_written(data: pa.PolarsData, parsed: str) -> pl.LazyFrame:
    # Text was written but nothing could be read from it: the normalised column is null.
    return data.lazyframe.select(pl.col(data.key).is_null() | pl.col(parsed).is_not_null())


class RegistryRow(pa.DataFrameModel):
    """One person of an extract after normalisation, with the text of fields normalising may empty.

    Every column but nik may be absent (a missing column is a warning, not a failed row); empty
    values are allowed where contracts §4 says "may be empty".
    """

    nik: str = pa.Field(nullable=False)
    no_kk: str = pa.Field(nullable=True, required=False)
    nama: str = pa.Field(nullable=False, required=False)
    tanggal_lahir: pl.Date = pa.Field(nullable=True, required=False)
    tanggal_lahir_teks: str = pa.Field(nullable=True, required=False)
    jenis_kelamin: str = pa.Field(nullable=True, required=False)
    jenis_kelamin_teks: str = pa.Field(nullable=True, required=False)
    kode_wilayah: str = pa.Field(nullable=True, required=False)
    kode_wilayah_teks: str = pa.Field(nullable=True, required=False)
    desil: pl.Int32 = pa.Field(nullable=True, required=False)
    desil_teks: str = pa.Field(nullable=True, required=False)
    status: str = pa.Field(nullable=False, required=False)

    @pa.check("nik", name="nik_16_digit")
    def _nik(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key).str.contains(r"^\d{16}$"))

    @pa.check("no_kk", name="no_kk_16_digit")
    def _kk(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key).str.contains(r"^\d{16}$"))

    @pa.check("tanggal_lahir_teks", name="tanggal_lahir_terbaca")
    def _tgl(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return _read_when_written(data, "tanggal_lahir")

    @pa.check("jenis_kelamin_teks", name="jenis_kelamin_dikenal")
    def _jk(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return _read_when_written(data, "jenis_kelamin")

    @pa.check("kode_wilayah", name="kode_wilayah_10_digit")
    def _wilayah(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key).str.contains(r"^\d{10}$"))

    @pa.check("desil_teks", name="desil_terbaca")
    def _desil_angka(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return _read_when_written(data, "desil")

    @pa.check("desil", name="desil_1_10")
    def _desil(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key).is_between(1, 10))

    @pa.check("status", name="status_dikenal")
    def _status(cls, data: pa.PolarsData) -> pl.LazyFrame:
        status = pl.col(data.key)
        return data.lazyframe.select(status.is_in(STATUS_DIKENAL) | status.str.contains(DECEASED))

    class Config:
        strict = False
