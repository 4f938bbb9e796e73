"""The raw grid every reader produces: cell text per column, whether Excel stored it as a number."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass
class Grid:
    """All cells of one sheet as text.

    `frame` has columns c0..cN (Utf8, the cell as the operator sees it, exact digits for
    integral numbers), n0..nN (Boolean: Excel stored the cell as a number) and `_row`
    (the 1-based row number the operator sees).
    """

    frame: pl.DataFrame
    sheet: str | None
    width: int
    header_given: bool = False  # Parquet: the first row is the header by construction
    formulas_without_values: int = 0  # xlsx: formula cells with no saved value (read as empty)
    joined: str | None = None  # the delimiter, when every column sat in one cell (ingest/joined.py)
    hidden: frozenset[int] = frozenset()  # xlsx: 0-based columns the sheet hides
    visible: bool = True  # xlsx: the sheet is not hidden
    date1904: bool = False  # xlsx: the workbook counts date serials from 1904 (Mac Excel's option)
    # xlsx: a return workbook's Ringkasan sheet, sent back with it, counts this many data rows and
    # rows set aside in the list first sent (more rows than the limit: the list sheet holds only
    # the rows with findings).
    summary_rows: tuple[int, int] | None = None

    def text(self, j: int) -> str:
        return f"c{j}"

    def num(self, j: int) -> str:
        return f"n{j}"

    def head_rows(self, n: int) -> list[list[str]]:
        """The first n rows as lists of stripped strings (for header detection)."""
        part = self.frame.head(n).select([pl.col(f"c{j}").fill_null("") for j in range(self.width)])
        return [[str(v).strip() for v in row] for row in part.iter_rows()]


def grid_from_columns(texts: list[list[str | None] | pl.Series], nums: list[list[bool] | pl.Series | None],
                      first_row: int, sheet: str | None, header_given: bool = False) -> Grid:
    height = len(texts[0]) if texts else 0
    data: dict[str, pl.Series] = {}
    for j, (t, n) in enumerate(zip(texts, nums, strict=True)):
        data[f"c{j}"] = t if isinstance(t, pl.Series) else pl.Series(f"c{j}", t, dtype=pl.Utf8)
        data[f"c{j}"] = data[f"c{j}"].alias(f"c{j}")
        data[f"n{j}"] = (pl.Series(f"n{j}", n, dtype=pl.Boolean).alias(f"n{j}") if n is not None
                         else pl.repeat(False, height, eager=True).alias(f"n{j}"))
    frame = pl.DataFrame(data, height=height).with_columns(
        pl.int_range(first_row, first_row + height, dtype=pl.Int32).alias("_row")
    )
    return Grid(frame=frame, sheet=sheet, width=len(texts), header_given=header_given)
