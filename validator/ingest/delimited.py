"""CSV reader: comma, semicolon or tab; UTF-8 (with or without BOM), UTF-16 or Windows-1252."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl

from validator.errors import UserError
from validator.ingest.grid import Grid, grid_from_columns

_SNIFF_BYTES = 64 * 1024
_DELIMITERS = [";", ",", "\t", "|"]


def _decode(raw: bytes) -> tuple[str, str]:
    """Return (text, encoding). Windows-1252 is the fallback: Excel on Indonesian Windows uses it."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the sample's lines most consistently into more than one field."""
    lines = [ln for ln in sample.splitlines()[:60] if ln.strip()]
    best, best_score = ",", -1.0
    for d in _DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=d)]
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        widest = max(multi)
        # Prefer many lines at the common width: title lines above the header have fewer fields.
        score = sum(1 for c in multi if c == widest) * widest
        if score > best_score:
            best, best_score = d, score
    return best


def read_delimited(path: Path) -> Grid:
    raw = path.read_bytes()
    if not raw.strip():
        raise UserError(
            f"Berkas {path.name} kosong. Isi daftar penerima lalu kirim lagi.",
            f"{path.name} is empty. Fill in the recipient list and send it again.",
            code="file_empty",
        )
    if b"\x00" in raw[:_SNIFF_BYTES] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError(
            f"Berkas {path.name} bukan teks CSV (berisi data biner). Simpan daftar sebagai .xlsx atau .csv lalu kirim lagi.",
            f"{path.name} is not CSV text (binary content). Save the list as .xlsx or .csv and send it again.",
            code="file_unreadable",
        )
    text, encoding = _decode(raw)
    sample = text[:_SNIFF_BYTES]
    delimiter = sniff_delimiter(sample)
    # polars takes the width of a CSV from its first row, and title lines above the header are
    # narrower: read those few lines with the csv module, and the body from the first widest row.
    head = list(csv.reader(sample.splitlines()[:60], delimiter=delimiter))
    widest = max((len(r) for r in head), default=1)
    start = next((i for i, r in enumerate(head) if len(r) == widest), 0)
    source: Path | io.BytesIO = path if encoding == "utf-8" else io.BytesIO(text.encode("utf-8"))
    # Every field as text: a NIK never passes through a number type.
    body = _read_all_text(source, delimiter, start)
    width = max(body.width, widest)
    texts: list = []
    for j in range(width):
        pre = [(r[j] if j < len(r) and r[j] != "" else None) for r in head[:start]]
        col = body.get_column(body.columns[j]) if j < body.width else pl.repeat(None, body.height, dtype=pl.Utf8, eager=True)
        texts.append(pl.concat([pl.Series(pre, dtype=pl.Utf8), col]) if pre else col)
    return grid_from_columns(texts, [None] * width, 1, None)


def _read_all_text(source, delimiter: str, skip_rows: int) -> pl.DataFrame:
    return pl.read_csv(
        source,
        skip_rows=skip_rows,
        has_header=False,
        separator=delimiter,
        infer_schema=False,
        truncate_ragged_lines=True,
        raise_if_empty=False,
        quote_char='"',
        encoding="utf8-lossy",
    )
