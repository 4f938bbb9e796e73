"""Parquet reader: typed columns become cell text the same way Excel cells do."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from validator.errors import UserError
from validator.ingest.grid import Grid, grid_from_columns


def _as_text(s: pl.Series) -> tuple[pl.Series, pl.Series | None]:
    if s.dtype == pl.Utf8:
        return s, None
    if s.dtype.is_integer():
        return s.cast(pl.Utf8), None  # exact digits, no float on the way
    if s.dtype.is_float():
        # A float column already went through a number type: treat it like a numeric Excel cell.
        integral = s.is_not_nan() & (s == s.floor()) & (s.abs() < 1e18)
        text = pl.select(
            pl.when(integral).then(s.cast(pl.Int64, strict=False).cast(pl.Utf8)).otherwise(s.cast(pl.Utf8))
        ).to_series()
        return text, s.is_not_null()
    if s.dtype == pl.Date:
        return s.dt.to_string("%Y-%m-%d"), None
    if s.dtype == pl.Datetime:
        return s.dt.to_string("%Y-%m-%d %H:%M:%S").str.replace(r" 00:00:00$", ""), None
    return s.cast(pl.Utf8, strict=False), None


def read_parquet(path: Path) -> Grid:
    try:
        frame = pl.read_parquet(path)
    except Exception:
        raise UserError(
            f"Berkas {path.name} tidak dapat dibaca sebagai Parquet. Kirim daftar sebagai .xlsx atau .csv.",
            f"{path.name} cannot be read as Parquet. Send the list as .xlsx or .csv.",
            code="file_unreadable",
        ) from None
    texts, nums = [], []
    for name in frame.columns:
        text, num = _as_text(frame.get_column(name))
        # The column names are the header: put them in row 1, like a sheet.
        texts.append(pl.concat([pl.Series([str(name)], dtype=pl.Utf8), text.alias(name)]))
        nums.append(None if num is None else pl.concat([pl.Series([False]), num]))
    return grid_from_columns(texts, nums, 1, None, header_given=True)
