"""Build the compact region-code table shipped with the package from the Kemendagri CSV files.

Run once when the source data changes:
    python -m validator.data.build_wilayah PATH/TO/wilayah
where PATH holds wilayah_2025.csv and wilayah_historis.csv (see WILAYAH_SOURCE.md).
"""

import sys
from pathlib import Path

import polars as pl

HERE = Path(__file__).parent

# Codes retired before the oldest version of the source (2016): Kalimantan Utara was formed from
# Kalimantan Timur in 2012 (UU 20/2012) and its kabupaten/kota moved from 64.xx to 65.xx
# (Permendagri 66/2011 lists them under 64; Permendagri 18/2013 under 65). A NIK keeps the code
# of the region that issued it, so NIKs and KKs issued there before 2013 still begin 6404, 6473...
# old code -> current code; the kecamatan under them keep their own two digits.
KALTARA_BEFORE_2013 = {
    "64.04": "65.01",  # Kabupaten Bulungan
    "64.05": "65.03",  # Kabupaten Nunukan
    "64.06": "65.02",  # Kabupaten Malinau
    "64.10": "65.04",  # Kabupaten Tana Tidung
    "64.73": "65.71",  # Kota Tarakan
}


def _before_2016(hist: pl.DataFrame) -> pl.DataFrame:
    """The kabupaten/kota and kecamatan codes of KALTARA_BEFORE_2013, named as today, in the
    columns of wilayah_historis.csv (seen 2011-2012)."""
    rows = []
    for old, new in KALTARA_BEFORE_2013.items():
        under = hist.filter((pl.col("kode") == new) | pl.col("kode").str.starts_with(new + ".")
                            & pl.col("level").is_in(["3"]))
        for code, name, level in under.select("kode", "nama", "level").unique("kode").iter_rows():
            rows.append({"kode": old + code[len(new):], "nama": name, "level": level,
                         "first_seen": "2011", "last_seen": "2012", "versions": "2011"})
    return pl.DataFrame(rows, schema=dict.fromkeys(hist.columns, pl.Utf8))


# Kecamatan codes of Permendagri 18/2013 that no version of the source holds: the kecamatan of the
# kabupaten formed 2012-2015 (Pangandaran from Ciamis, Pesisir Barat from Lampung Barat, Malaka
# from Belu, Mahakam Ulu from Kutai Barat, ...) were renumbered under their new kabupaten, and
# NIKs issued before the split keep the old code (WILAYAH_SOURCE.md names the source).
BEFORE_2016_FILE = HERE / "kecamatan_before_2016.csv"


def _renumbered(hist: pl.DataFrame) -> pl.DataFrame:
    """The codes of BEFORE_2016_FILE, named as in 2013, in the columns of wilayah_historis.csv."""
    old = pl.read_csv(BEFORE_2016_FILE, infer_schema=False)
    return old.select("kode", "nama", pl.lit("3").alias("level"), pl.lit("2013").alias("first_seen"),
                      pl.lit("2015").alias("last_seen"), pl.lit("2013").alias("versions")).select(hist.columns)


def build(source_dir: Path, target: Path = HERE / "wilayah.parquet") -> pl.DataFrame:
    hist = pl.read_csv(source_dir / "wilayah_historis.csv", infer_schema=False)
    for old in (_before_2016(hist), _renumbered(hist)):
        hist = pl.concat([hist, old.filter(~pl.col("kode").is_in(hist["kode"].implode()))])
    current = set(pl.read_csv(source_dir / "wilayah_2025.csv", infer_schema=False)["kode"])
    table = (
        hist.select(
            # Digits only: NIK and KK prefixes are compared without the dots.
            pl.col("kode").str.replace_all(".", "", literal=True).alias("kode"),
            pl.col("nama"),
            pl.col("level").cast(pl.Int8),
            pl.col("first_seen").cast(pl.Int16),
            pl.col("last_seen").cast(pl.Int16),
            pl.col("kode").is_in(list(current)).alias("current"),
        )
        .sort("kode")
    )
    table.write_parquet(target, compression="zstd", compression_level=19)
    return table


if __name__ == "__main__":
    out = build(Path(sys.argv[1]))
    print(out.group_by("level").len().sort("level"))
