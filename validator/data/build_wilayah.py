"""Build the compact region-code table shipped with the package from the Kemendagri CSV files.

Run once when the source data changes:
    python -m validator.data.build_wilayah PATH/TO/wilayah
where PATH holds wilayah_2025.csv and wilayah_historis.csv (see WILAYAH_SOURCE.md).
"""

import sys
from pathlib import Path

import polars as pl

HERE = Path(__file__).parent


def build(source_dir: Path, target: Path = HERE / "wilayah.parquet") -> pl.DataFrame:
    hist = pl.read_csv(source_dir / "wilayah_historis.csv", infer_schema=False)
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
