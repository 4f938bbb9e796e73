"""CSV reader: comma, semicolon or tab; UTF-8 (with or without BOM), UTF-16 or Windows-1252."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import polars as pl

from validator.errors import UserError
from validator.ingest.grid import Grid, grid_from_columns

_SNIFF_BYTES = 64 * 1024
_DELIMITERS = [";", ",", "\t", "|"]


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


def _empty(path: Path) -> UserError:
    return UserError(
        f"Berkas {path.name} kosong. Isi daftar penerima lalu kirim lagi.",
        f"{path.name} is empty. Fill in the recipient list and send it again.",
        code="file_empty",
    )


def _head_encoding(head: bytes) -> str | None:
    """The encoding the first bytes show, or None when they are not UTF-8 (then: Windows-1252)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for cut in range(4):  # the sample may end inside a multi-byte character
        try:
            head[: len(head) - cut].decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError:
            continue
    return None


# Excel's hidden first line naming the delimiter ("sep=;"), in lists and in registry extracts.
SEP_LINE = re.compile(r'"?sep=(.)"?\s*', re.IGNORECASE)


def read_delimited(path: Path) -> Grid:
    with path.open("rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if not head.strip() and path.stat().st_size <= _SNIFF_BYTES:
        raise _empty(path)
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError(
            f"Berkas {path.name} bukan teks CSV (berisi data biner). Simpan daftar sebagai .xlsx atau .csv lalu kirim lagi.",
            f"{path.name} is not CSV text (binary content). Save the list as .xlsx or .csv and send it again.",
            code="file_unreadable",
        )
    encoding = _head_encoding(head)
    # Lines ended by a carriage return alone (old Mac programs): polars splits lines at "\n" only,
    # so the text is rewritten with "\n" ends before it is read.
    # (A line break inside a quoted field may be "\n" or "\r\n": lone carriage returns outnumber them.)
    lone_cr = head.count(b"\r") - head.count(b"\r\n")
    cr_only = lone_cr > 0 and lone_cr > head.count(b"\n")
    if encoding == "utf-8" and not cr_only:
        try:
            # The common case: polars reads the file itself; invalid UTF-8 further on raises.
            return _grid(path, head.decode("utf-8", errors="ignore"), None)
        except pl.exceptions.ComputeError:
            # Invalid UTF-8 further on (then Windows-1252), or a stray quote (then UTF-8 still).
            encoding = "utf-8" if _is_utf8(path) else None
    raw = path.read_bytes()
    text = (raw.decode(encoding, errors="replace") if encoding
            else raw.decode("cp1252", errors="replace"))
    if text.startswith("\ufeff"):
        text = text[1:]
    if cr_only:
        text = re.sub(r"\r(?!\n)", "\n", text)
    if not text.strip():
        raise _empty(path)
    return _grid(path, text[:_SNIFF_BYTES], io.BytesIO(text.encode("utf-8")))


def _grid(path: Path, sample: str, transcoded: io.BytesIO | None) -> Grid:
    lines = sample.splitlines()
    # Excel writes (and hides) a first line "sep=;" naming the delimiter: the operator's row 1 is
    # the line after it.
    sep = SEP_LINE.fullmatch(lines[0]) if lines else None
    delimiter = sep.group(1) if sep else sniff_delimiter(sample)
    hidden = 1 if sep else 0
    # polars takes the width of a CSV from its first row, and title lines above the header are
    # narrower: read those few lines with the csv module, and the body from the first widest row.
    head = list(csv.reader(lines[hidden:hidden + 60], delimiter=delimiter))
    widest = max((len(r) for r in head), default=1)
    start = next((i for i, r in enumerate(head) if len(r) == widest), 0)
    # Every field as text: a NIK never passes through a number type.
    body = _read_all_text(transcoded or path, delimiter, hidden + start, strict=transcoded is None)
    width = max(body.width, widest)
    texts: list = []
    for j in range(width):
        pre = [(r[j] if j < len(r) and r[j] != "" else None) for r in head[:start]]
        col = body.get_column(body.columns[j]) if j < body.width else pl.repeat(None, body.height, dtype=pl.Utf8, eager=True)
        texts.append(pl.concat([pl.Series(pre, dtype=pl.Utf8), col]) if pre else col)
    if '="' in sample or _in_tail(transcoded or path, b'="'):
        texts = [_formula_text(t) for t in texts]
    return grid_from_columns(texts, [None] * width, 1, None)


def _in_tail(source, needle: bytes) -> bool:
    """The needle in the file's last 64 KB (an export may start using a form after its first rows)."""
    if isinstance(source, io.BytesIO):
        data = source.getbuffer()
        return needle in bytes(data[-_SNIFF_BYTES:])
    with source.open("rb") as fh:
        fh.seek(max(0, source.stat().st_size - _SNIFF_BYTES))
        return needle in fh.read()


def _formula_text(col: pl.Series) -> pl.Series:
    """="1271175506800001": web systems write IDs so that Excel keeps them as text, and Excel
    shows the text between the quotes. The cell is that text (a NIK kept whole, not 'letters')."""
    if not col.str.contains('="', literal=True).any():
        return col
    inner = col.str.extract(r'^="(.*)"$', 1).str.replace_all('""', '"', literal=True)
    return pl.select(pl.coalesce(inner, col)).to_series().alias(col.name)


def _is_utf8(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _read_all_text(source, delimiter: str, skip_rows: int, strict: bool) -> pl.DataFrame:
    def read(quote: str | None) -> pl.DataFrame:
        if isinstance(source, io.BytesIO):
            source.seek(0)
        return pl.read_csv(source, skip_rows=skip_rows, has_header=False, separator=delimiter,
                           infer_schema=False, truncate_ragged_lines=True, raise_if_empty=False,
                           quote_char=quote, encoding="utf8" if strict else "utf8-lossy")

    if strict:
        return read('"')  # a failure here sends the caller to the lenient path
    try:
        return read('"')
    except pl.exceptions.ComputeError:
        pass
    # A stray quote ("SITI "UCOK" AMINAH") breaks quoting for the rest of the file: read the
    # quotes as ordinary characters; fields with the delimiter inside quotes are then split,
    # which the row's findings show.
    try:
        return read(None)
    except pl.exceptions.ComputeError:
        raise UserError(
            "Berkas CSV tidak dapat dibaca: tanda kutip (\") tidak berpasangan atau baris rusak. Buka di Excel, "
            "simpan ulang sebagai .csv atau .xlsx, lalu kirim lagi.",
            "The CSV cannot be read: unbalanced quotes or broken lines. Open it in Excel, save it again as "
            ".csv or .xlsx, and send it again.", code="file_unreadable") from None
