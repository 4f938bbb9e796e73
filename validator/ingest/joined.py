"""A list whose columns all sit in one cell per row, joined by a delimiter.

A CSV opened in Excel with another list separator than the one it was written with (Indonesian
regional settings use ";", many systems write ","), then saved as .xlsx, keeps each line in one
cell: "NO;NIK;NO. KK;NAMA;…". Such a sheet is split back into its columns before it is read."""

from __future__ import annotations

import csv

import polars as pl

from validator.ingest.grid import Grid, grid_from_columns
from validator.ingest.layout import HEADER_SCAN_ROWS, map_header

DELIMITERS = ";,\t|"


def _joined_header(grid: Grid, header_map: dict[str, str]) -> tuple[int, str] | None:
    """(column, delimiter) of a header row that is one cell naming a NIK column among others,
    with a row under it joined the same way (a note line above a real header is not a list)."""
    head = grid.head_rows(HEADER_SCAN_ROWS + 5)
    for i, row in enumerate(head[:HEADER_SCAN_ROWS]):
        filled = [j for j, c in enumerate(row) if c]
        if len(filled) != 1:
            continue
        cell = row[filled[0]]
        delimiter = max(DELIMITERS, key=cell.count)
        if cell.count(delimiter) < 2:
            continue
        parts = next(csv.reader([cell], delimiter=delimiter))
        if "nik" not in map_header([p.strip() for p in parts], header_map):
            continue
        below = [r for r in head[i + 1:i + 6] if any(r)]
        if any(sum(1 for c in r if c) == 1 and r[filled[0]].count(delimiter) >= 2 for r in below):
            return filled[0], delimiter
    return None


def split_joined(grid: Grid, header_map: dict[str, str]) -> Grid:
    """The grid with a joined column split into its columns (cells as text); else the grid as is."""
    found = _joined_header(grid, header_map)
    if found is None:
        return grid
    j, delimiter = found
    cells = grid.frame.get_column(f"c{j}").to_list()
    split = [next(csv.reader([v], delimiter=delimiter)) if v and delimiter in v else [v] for v in cells]
    width = max(len(p) for p in split)
    parts = [pl.Series([p[k] if k < len(p) and p[k] != "" else None for p in split], dtype=pl.Utf8)
             for k in range(width)]
    texts = [grid.frame.get_column(f"c{k}") for k in range(j)] + parts + [
        grid.frame.get_column(f"c{k}") for k in range(j + 1, grid.width)]
    nums = [grid.frame.get_column(f"n{k}") for k in range(j)] + [None] * width + [
        grid.frame.get_column(f"n{k}") for k in range(j + 1, grid.width)]
    out = grid_from_columns(texts, nums, int(grid.frame.get_column("_row")[0]) if grid.frame.height else 1,
                            grid.sheet)
    out.formulas_without_values = grid.formulas_without_values
    out.joined = delimiter
    return out
