"""Registry extracts (contracts §4) and exclusion lists (§5): normalised in DuckDB, checked in batches."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import os
import re
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import NamedTuple

import duckdb
import polars as pl
from pandera.errors import SchemaErrors

from validator.errors import UserError, disk_full, disk_full_error, thousands
from validator.ingest import check_file, sha256_of
from validator.ingest.delimited import SEP_LINE
from validator.ingest.layout import headers_shown
from validator.registry.schema import CHECKS, RegistryRow, base_column
from validator.store import Store, run
from validator.wilayah import load_regions

FIELDS = ("nik", "no_kk", "nama", "tanggal_lahir", "jenis_kelamin", "kode_wilayah", "desil", "status")
# Normalising may empty these; the check pass also carries the text as written (`<field>_teks`).
TEXT_KEPT = ("tanggal_lahir", "jenis_kelamin", "desil", "kode_wilayah")
EMPTY_ALLOWED = ("no_kk", "tanggal_lahir", "jenis_kelamin", "kode_wilayah", "desil")
EXCLUSION_FIELDS = ("nik", "kategori", "keterangan")
# 2 cores: batches this size keep the check pass near DuckDB's scan speed and well under 1 GB.
BATCH_ROWS = 500_000
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S")
SEX_L = ("L", "LK", "LAKILAKI", "LAKI", "PRIA", "M", "MALE")
SEX_P = ("P", "PR", "PEREMPUAN", "WANITA", "W", "F", "FEMALE")


@dataclass(frozen=True)
class Source:
    """One file as DuckDB reads it: the table function and the header as written."""

    path: Path
    kind: str  # "csv" | "parquet"
    relation: str
    columns: tuple[str, ...]
    delimiter: str | None


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _key(header: str) -> str:
    """Headers compare without case, spaces, dots, underscores or dashes ('No. KK' is no_kk)."""
    return re.sub(r"[\s._\-\ufeff]+", "", header.lower())


def _duck_error(exc: Exception) -> str:
    # Only the first line: DuckDB's later lines quote the offending row, which holds personal data.
    # A path it quotes is the server's (an upload folder): the file's name is enough.
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return re.sub(r'"[^"]*[/\\]([^"/\\]+)"', r'"\1"', first)[:200]


def _sniff_delimiter(path: Path, name: str) -> tuple[str, int]:
    """The delimiter, and the lines before the header: 1 when Excel's hidden "sep=;" line names
    the delimiter, else 0. (`path` is UTF-8; `name` the user's file.)"""
    with path.open("rb") as fh:
        head = fh.read(65536).decode("utf-8", errors="replace").lstrip("\ufeff")
    line = head.splitlines()[0] if head.strip() else ""
    if not line:
        raise UserError(f"Berkas {name} kosong.", f"{name} is empty.", code="empty_file")
    if sep := SEP_LINE.fullmatch(line):
        return sep.group(1), 1
    return max((",", ";", "\t"), key=line.count), 0  # a tie (one column) stays ","


def _read_csv(path: Path, delim: str, skip: int) -> str:
    """Every column as text: a NIK never passes through a number. skip: the header is line 1, or
    2 after a "sep=" line (the sniffer would otherwise start at a later, wider line of a ragged
    file)."""
    return (f"read_csv({_lit(str(path))}, delim={_lit(delim)}, header=true, all_varchar=true, "
            f"quote='\"', escape='\"', skip={skip})")


def _is_utf8(path: Path) -> bool:
    """Whether the first megabyte is UTF-8 (a character cut at the megabyte's edge is)."""
    size = 1 << 20
    with path.open("rb") as fh:
        head = fh.read(size)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return len(head) == size and exc.start >= len(head) - 4
    return True


def _encoding(path: Path) -> str:
    """How a CSV extract is encoded: UTF-16 by its byte-order mark (Excel's "Unicode Text"),
    UTF-8, else Windows-1252."""
    with path.open("rb") as fh:
        bom = fh.read(2)
    if bom in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    return "utf-8" if _is_utf8(path) else "cp1252"


def _mixed_newlines(path: Path) -> bool:
    """Lines ending in CRLF and in LF alone in one file (rows added in another editor), which
    DuckDB's CSV sniffer refuses."""
    crlf = lf = 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            pairs = chunk.count(b"\r\n")
            crlf, lf = crlf + pairs, lf + chunk.count(b"\n") - pairs
            if crlf and lf:
                return True
    return False


_UTF8_COPIES: dict[tuple[str, int, int, str, bool], Path] = {}
_COPY_NAME = re.compile(r"^bansos-utf8-(\d+)-")  # group 1: the process that made the copy


def _utf8_copy(path: Path, encoding: str = "cp1252", one_newline: bool = False) -> Path:
    """A Windows-1252 or UTF-16 CSV rewritten as UTF-8 beside the system's temp files (DuckDB
    reads only UTF-8, UTF-16 and Latin-1, and Latin-1 refuses 1252's quotes and dashes); with
    `one_newline`, every line end as LF. Once per file and process. It holds every NIK of the
    extract: an import removes it when done (release_utf8_copy), any other run when the process
    ends, and a copy left by a killed process is removed by the next one that makes a copy."""
    import atexit
    import tempfile

    from validator.reports import sweep_dead

    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns, encoding, one_newline)
    if key not in _UTF8_COPIES:
        sweep_dead(Path(tempfile.gettempdir()), _COPY_NAME)
        fd, name = tempfile.mkstemp(prefix=f"bansos-utf8-{os.getpid()}-", suffix=".csv")
        with open(fd, "w", encoding="utf-8", newline="") as out, path.open(
                "r", encoding=encoding, errors="replace", newline=None if one_newline else "") as src:
            for chunk in iter(lambda: src.read(1 << 22), ""):
                out.write(chunk.lstrip("\ufeff") if out.tell() == 0 else chunk)
        copy = Path(name)
        atexit.register(copy.unlink, missing_ok=True)
        _UTF8_COPIES[key] = copy
    return _UTF8_COPIES[key]


def release_utf8_copy(path: Path) -> None:
    """Remove the UTF-8 copies of this file (a server imports for days without exiting)."""
    where = str(Path(path).resolve())
    for key in [k for k in _UTF8_COPIES if k[0] == where]:
        _UTF8_COPIES.pop(key).unlink(missing_ok=True)


def open_source(con: duckdb.DuckDBPyConnection, path: Path) -> Source:
    """Reads only the header (CSV) or the schema (Parquet); a file DuckDB cannot open is a UserError."""
    path = Path(path)
    check_file(path, ".csv atau .parquet")  # missing, a folder, a pipe or a device, unreadable: each told as such
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        kind, delim, readable = "parquet", None, path
        relation = f"read_parquet({_lit(str(path))})"
    elif suffix in (".csv", ".txt"):
        # Windows-1252 or UTF-16 (Excel's "Unicode Text"): read from a UTF-8 copy.
        encoding = _encoding(path)
        readable = path if encoding == "utf-8" else _utf8_copy(path, encoding)
        kind, (delim, skip) = "csv", _sniff_delimiter(readable, path.name)
        relation = _read_csv(readable, delim, skip)
    else:
        raise UserError(f"Berkas {path.name} bukan CSV atau Parquet.",
                        f"{path.name} is neither CSV nor Parquet.", code="bad_format")
    # (On a cursor of its own: a file that fails here must not abort the caller's transaction.)
    probe = con.cursor()
    try:
        try:
            columns = tuple(r[0] for r in probe.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall())
        except duckdb.Error:
            if kind != "csv" or not _mixed_newlines(readable):
                raise
            # CRLF and LF line ends in one file: read from a copy with one kind.
            readable = _utf8_copy(path, encoding, one_newline=True)
            relation = _read_csv(readable, delim, skip)
            columns = tuple(r[0] for r in probe.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall())
    except duckdb.Error as exc:
        advice = ("Periksa bahwa berkas UTF-8 dan setiap baris punya kolom sebanyak baris judul." if kind == "csv"
                  else "Berkas itu rusak atau bukan Parquet; ekspor ulang dari sumbernya.")
        ragged = _first_ragged_line(readable, delim, skip) if kind == "csv" else None
        if ragged is not None:
            line, got, want, lines = ragged
            advice = (f"Tanda kutip (\") di baris {line} tidak ditutup, sehingga baris-baris sesudahnya terbaca "
                      "sebagai satu sel: tutup atau hapus tanda kutip itu, lalu ulangi." if lines > 1 else
                      f"Baris {line} berisi {got} kolom, padahal baris judul {want} kolom: perbaiki baris itu (mis. "
                      "pemisah atau tanda kutip yang berlebih), lalu ulangi.")
        said = _duck_error(exc).replace(str(readable), path.name).replace(readable.name, path.name)
        raise UserError(f"Berkas {path.name} tidak dapat dibaca sebagai {kind.upper()} ({said}). {advice}",
                        f"{path.name} cannot be read as {kind.upper()}.", code="unreadable") from None
    finally:
        probe.close()
    return Source(path, kind, relation, columns, delim)


def _first_ragged_line(path: Path, delim: str, skip: int = 0) -> tuple[int, int, int, int] | None:
    """(line where the record starts, its columns, the header's, the lines it spans) of the first
    non-blank record whose column count differs from the header's: where DuckDB's reader gave up
    on a file without saying where. A record spanning many lines is an unclosed quote. Never
    raises: it only helps word an error already being raised."""
    try:
        return _ragged(path, delim, skip)
    except Exception:  # noqa: BLE001 - the original error is the one to report then
        return None


def _ragged(path: Path, delim: str, skip: int) -> tuple[int, int, int, int] | None:
    with path.open(newline="", encoding="utf-8", errors="replace") as fh:
        reader = csv.reader(fh, delimiter=delim)
        for _ in range(skip):
            next(reader, None)
        header = next(reader, None)
        if header is None:
            return None
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader, None)
            except csv.Error:  # the field an unclosed quote opened grew past the csv module's limit
                return start, 0, len(header), 2
            if row is None:
                return None
            if len(row) != len(header) and any(cell.strip() for cell in row):
                return start, len(row), len(header), reader.line_num - start + 1


def match_columns(src: Source, fields: tuple[str, ...], required: tuple[str, ...],
                  what: str) -> dict[str, str]:
    """field -> header as written; a missing required field stops with the columns found and needed."""
    found: dict[str, str] = {}
    for header in src.columns:
        name = next((f for f in fields if _key(f) == _key(header)), None)
        if name is None:
            continue
        if name in found:
            raise UserError(
                f"{what} {src.path.name} punya dua kolom {name} ({found[name]!r} dan {header!r}). "
                "Hapus salah satu, lalu ulangi.",
                f"{src.path.name} has two {name} columns.", code="duplicate_column")
        found[name] = header
    missing = [f for f in required if f not in found]
    if missing:
        shown, shown_en = headers_shown(src.columns) if src.columns else ("(tidak ada)", "(none)")
        raise UserError(
            f"{what} {src.path.name} tidak punya kolom {', '.join(missing)}. "
            f"Kolom yang ditemukan: {shown}. "
            f"Kolom wajib: {', '.join(required)}; kolom lain yang dipakai: "
            f"{', '.join(f for f in fields if f not in required)} (huruf besar/kecil tidak dibedakan).",
            f"{src.path.name} has no {', '.join(missing)} column. Found: {shown_en}. "
            f"Required: {', '.join(required)}.", code="missing_column")
    return found


# Fields a recipient list has and a registry extract has not (contracts §6: the bank, the
# account, the amount). With neither desil nor status, a file with one is a list given by mistake.
_LIST_ONLY = ("nama_bank", "no_rekening", "nominal")


@functools.cache
def _list_only_headers() -> frozenset[str]:
    """The headers (as header_key compares them: case, spaces, a unit such as (Rp) ignored) that
    name a list-only field in rules/columns.yaml."""
    from validator.rulebook import header_key, load_rules

    columns = load_rules().columns.fields
    return frozenset(header_key(h) for f in _LIST_ONLY for h in [f, *columns.get(f, [])])


def registry_columns(src: Source) -> dict[str, str]:
    """The registry fields of an extract (match_columns), refusing a recipient list given as the
    registry: used, it would pass everyone it holds (no desil, no status to read) and, imported,
    replace the registry with the list's rows."""
    cols = match_columns(src, FIELDS, ("nik",), "Ekstrak registri")
    from validator.rulebook import header_key

    exclusion = "desil" not in cols and "status" not in cols and any(_key(h) == "kategori" for h in src.columns)
    if exclusion or set(cols) == {"nik"}:
        # An exclusion list (nik, kategori) or a NIK column alone: imported, it would replace the
        # registry with people it knows nothing of.
        what = ("daftar pengecualian (ada kolom kategori, tanpa desil maupun status)" if exclusion
                else "daftar NIK saja (tanpa kolom nama, no_kk, desil atau status)")
        raise UserError(
            f"Berkas {src.path.name} tampaknya {what}, bukan ekstrak DTKS/DTSEN. Sebutkan ekstrak registri dari "
            "Pusdatin/SIKS-NG (kolom nik, no_kk, nama, desil, status, …); daftar pengecualian diimpor dengan "
            "bansos exclusions import.",
            f"{src.path.name} looks like an exclusion list or a bare list of NIKs, not a DTKS/DTSEN extract. "
            "Give the registry extract.", code="not_an_extract")
    listed = [h for h in src.columns if header_key(h) in _list_only_headers()]
    if listed and "desil" not in cols and "status" not in cols:
        raise UserError(
            f"Berkas {src.path.name} tampaknya daftar penerima, bukan ekstrak DTKS/DTSEN: ada kolom "
            f"{', '.join(repr(h) for h in listed[:3])} tetapi tidak ada kolom desil maupun status. Sebutkan ekstrak "
            "registri dari Pusdatin/SIKS-NG (kolom nik, no_kk, nama, desil, status, …); daftar penerima diperiksa "
            "dengan bansos validate.",
            f"{src.path.name} looks like a recipient list, not a DTKS/DTSEN extract: it has {', '.join(listed[:3])} "
            "but neither desil nor status. Give the registry extract; a list is checked with bansos validate.",
            code="not_an_extract")
    return cols


def _text(header: str | None) -> str:
    """The cell as text, trimmed, empty -> NULL; a cell written ="1271175506800001" (web exports
    keep IDs as text so in Excel) is the text between the quotes, as Excel shows it."""
    if header is None:
        return "NULL::VARCHAR"
    x = f"CAST({_ident(header)} AS VARCHAR)"
    return (f"nullif(trim(CASE WHEN starts_with({x}, '=\"') AND ends_with({x}, '\"') AND length({x}) >= 3 "
            f"THEN replace(substr({x}, 3, length({x}) - 3), '\"\"', '\"') ELSE {x} END), '')")


def _id_digits(expr: str) -> str:
    """Spaces, dots, dashes and Excel's leading apostrophe removed (reason-codes.md)."""
    # Nearly every cell is digits (and dots): a cheap path first, the regex only for the rest.
    slow = f"ltrim(regexp_replace({expr}, '[\\s\\x{{00A0}}.\\-]+', '', 'g'), '''')"
    # A float column (pandas writes a NIK column with gaps as float64) reads "1271170102800001.0".
    return (f"nullif(CASE WHEN regexp_full_match({expr}, '[0-9]{{1,17}}\\.0') THEN split_part({expr}, '.', 1) "
            f"WHEN regexp_full_match({expr}, '[0-9.]+') THEN replace({expr}, '.', '') "
            f"ELSE {slow} END, '')")


def _words(expr: str) -> str:
    """Whitespace collapsed; the regex runs only on cells holding a double or unusual space."""
    odd = " OR ".join(f"strpos({expr}, {s}) > 0"
                      for s in ("'  '", "chr(9)", "chr(10)", "chr(13)", "chr(160)"))
    return (f"nullif(CASE WHEN {odd} THEN trim(regexp_replace({expr}, '[\\s\\x{{00A0}}]+', ' ', 'g')) "
            f"ELSE {expr} END, '')")


def _normalised(src: Source, cols: dict[str, str], with_text: bool, keys: str | None = None) -> str:
    t = {f: _text(cols.get(f)) for f in FIELDS}
    # A desil of dashes is not yet ranked, as an empty cell (many exports write "-").
    t["desil"] = f"nullif(regexp_replace({t['desil']}, '^[-–—.]+$', ''), '')"
    relation = src.relation
    if keys is not None:
        # Only the NIK is normalised on every row of the extract; the other columns only on the
        # rows whose NIK the list holds (a semi-join on a table `keys` with a `nik` column).
        # A NIK already written as 16 digits matches as it is (a plain hash semi-join, fast on tens
        # of millions of rows); only the other cells go through the normalising expression.
        raw = f"CAST({_ident(cols['nik'])} AS VARCHAR)"
        relation = (f"(SELECT * FROM {src.relation} WHERE {raw} IN (SELECT nik FROM {keys}) UNION ALL "
                    f"SELECT * FROM {src.relation} WHERE length({raw}) <> 16 "
                    f"AND {_id_digits(t['nik'])} IN (SELECT nik FROM {keys}))")
    inner = ", ".join(f"{expr} AS t_{f}" for f, expr in t.items())
    formats = "[" + ", ".join(_lit(f) for f in DATE_FORMATS) + "]"
    sex_key = "regexp_replace(upper(t_jenis_kelamin), '[^A-Z]', '', 'g')"
    sql = [
        f"{_id_digits('t_nik')} AS nik",
        f"{_id_digits('t_no_kk')} AS no_kk",
        f"upper({_words('t_nama')}) AS nama",
        f"CAST(try_strptime(t_tanggal_lahir, {formats}) AS DATE) AS tanggal_lahir",
        f"CASE WHEN {sex_key} IN ({', '.join(map(_lit, SEX_L))}) THEN 'L' "
        f"WHEN {sex_key} IN ({', '.join(map(_lit, SEX_P))}) THEN 'P' END AS jenis_kelamin",
        f"{_id_digits('t_kode_wilayah')} AS kode_wilayah",
        # '3', '3.0' (a float column), '3,0', 'Desil 3', 'Desil-3', 'D3', '3 (30%)' are decile 3;
        # anything else is unreadable.
        "CASE WHEN regexp_full_match(t_desil, '(?i)((desil|d)\\s*[-:.]?\\s*)?[0-9]{1,9}([.,]0+)?(\\s*\\(.*\\))?') "
        "THEN CAST(regexp_extract(t_desil, '[0-9]+', 0) AS INTEGER) END AS desil",
        f"lower({_words('t_status')}) AS status",
    ]
    if with_text:
        sql += [f"t_{f} AS {f}_teks" for f in TEXT_KEPT]
    return f"(SELECT {', '.join(sql)} FROM (SELECT {inner} FROM {relation}))"


def scan_extract_fields(con: duckdb.DuckDBPyConnection, path: Path,
                        keys: str | None = None) -> tuple[str, set[str]]:
    """A subquery yielding the registry table's columns from an extract (DuckDB streams it), and
    the registry fields (section 4 of the contracts) the file has a column for.

    With `keys` (a table or view with a `nik` column), only the extract rows whose NIK is there."""
    src = open_source(con, path)
    cols = registry_columns(src)
    return (f"(SELECT nik, no_kk, nama, tanggal_lahir, jenis_kelamin, kode_wilayah, desil, status, "
            f"coalesce(regexp_full_match(nik, '[0-9]{{16}}'), false) AS nik_valid "
            f"FROM {_normalised(src, cols, False, keys)})"), set(cols)


class LastImport(NamedTuple):
    """What a validation needs of the registry imported last."""

    name: str  # its file name
    fields: set[str]  # the registry fields it had a column for
    unreadable: set[str]  # those whose column was mostly unreadable
    rows: int
    malformed_nik: int  # rows whose NIK is empty or not 16 digits


def imported_fields(con: duckdb.DuckDBPyConnection) -> LastImport | None:
    """The registry imported last, as a validation needs it (one read of its record)."""
    rows = con.execute("SELECT file_name, report, rows, malformed_nik FROM registry_imports "
                       "ORDER BY imported_at DESC LIMIT 1").fetchall()
    if not rows:
        return None
    name, report, n, bad = rows[0]
    report = json.loads(report or "{}")
    return LastImport(name, set(FIELDS) - set(report.get("missing_columns") or []),
                      set(report.get("unreadable_columns") or []), n or 0, bad or 0)


def unreadable_fields(con: duckdb.DuckDBPyConnection, path: Path) -> set[str]:
    """Fields whose column an extract file has but cannot be read in most of the first 10,000
    rows that fill it (a desil written 'kelas-3'): the check reading it passes those rows."""
    src = open_source(con, path)
    cols = registry_columns(src)
    if "desil" not in cols:
        return set()
    written, bad = con.execute(
        f"SELECT count(desil_teks), count(desil_teks) FILTER (WHERE desil IS NULL) "
        f"FROM (SELECT desil_teks, desil FROM {_normalised(src, cols, True)} LIMIT 10000)").fetchall()[0]
    return {"desil"} if written and bad * 2 > written else set()


def scan_extract(con: duckdb.DuckDBPyConnection, path: Path, keys: str | None = None) -> str:
    """The subquery of scan_extract_fields alone."""
    return scan_extract_fields(con, path, keys)[0]


# ---- the report ---------------------------------------------------------------------------------

MASKED = ("nik", "no_kk")  # personal data: examples show only enough to find the row
EXAMPLES = 5
# Share of malformed NIKs above which the file itself is suspect (e.g. saved through Excel).
MALFORMED_WARN = 0.01


def mask(value: str | None) -> str | None:
    """First 6 + '******' + last 4 (contract of the look-up API); short values keep 2 characters."""
    if value is None:
        return None
    return value[:6] + "******" + value[-4:] if len(value) >= 12 else value[:2] + "******"


def _pct(part: int, whole: int, en: bool) -> str:
    text = f"{100 * part / whole:.1f}%" if whole else "0%"
    return text if en else text.replace(".", ",")


@dataclass
class Example:
    row: int | None  # CSV: line number, header = 1; Parquet: 1-based row
    column: str
    value: str | None


@dataclass
class ExtractReport:
    """What check_extract found: counts per failed check, a few examples, file-wide warnings."""

    file: str
    format: str
    delimiter: str | None
    rows: int
    columns: list[str]
    missing_columns: list[str]
    ignored_columns: list[str]
    failures: dict[str, int]  # check name (schema.CHECKS) -> failing rows
    examples: dict[str, list[Example]]
    empty: dict[str, int]  # allowed-empty fields -> empty cells
    unknown_status: dict[str, int]
    region: dict[str, int]  # dotted, digits, ten_digit, kemendagri, bps
    warnings: list[dict[str, str]] = field(default_factory=list)
    sample_rows: int | None = None
    timings: dict[str, float] = field(default_factory=dict)
    import_id: str | None = None
    duplicate_nik: int | None = None  # NIKs on more than one row; counted by the import only
    # Columns there but unreadable in most rows that fill them (desil 'kelas-3'): the check reading
    # one judges only the rows it can read, and a validation using the import says so.
    unreadable_columns: list[str] = field(default_factory=list)

    @property
    def malformed_nik(self) -> int:
        """Rows whose NIK cannot be matched (empty or not 16 digits): nik_valid is false."""
        return self.failures.get("nik_kosong", 0) + self.failures.get("nik_16_digit", 0)

    @property
    def looks_bps(self) -> bool:
        return any(w["code"] == "kode_bps" for w in self.warnings)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["malformed_nik"] = self.malformed_nik
        return d

    def _lines(self, en: bool) -> list[str]:
        def t(text_id: str, text_en: str) -> str:
            return text_en if en else text_id

        def n(x: int) -> str:
            return f"{x:,}" if en else thousands(x)

        fmt = self.format.upper() + (f", {t('pemisah', 'delimiter')} '{self.delimiter}'"
                                     if self.delimiter else "")
        head = t(f"Ekstrak registri {self.file} ({fmt}): {n(self.rows)} baris",
                 f"Registry extract {self.file} ({fmt}): {n(self.rows)} rows")
        if self.sample_rows:
            head += t(f" (hanya {n(self.sample_rows)} baris pertama diperiksa)",
                      f" (first {n(self.sample_rows)} rows only)")
        out = [head]
        if self.ignored_columns:
            out.append(t("Kolom lain (diabaikan): ", "Other columns (ignored): ")
                       + ", ".join(self.ignored_columns))
        r = self.region
        if r.get("ten_digit"):
            share = _pct(r["kemendagri"], r["ten_digit"], en)
            out.append(t(f"Kode wilayah: {n(r['dotted'])} bertitik, {n(r['digits'])} angka saja; "
                         f"{share} cocok dengan kecamatan Kemendagri",
                         f"Region codes: {n(r['dotted'])} dotted, {n(r['digits'])} digits only; "
                         f"{share} match a Kemendagri kecamatan"))
        empty = ", ".join(f"{k} {n(v)}" for k, v in self.empty.items() if v)
        if empty:
            out.append(t("Kosong (diperbolehkan): ", "Empty (allowed): ") + empty)
        if self.failures:
            out.append(t("Masalah per pemeriksaan (skema RegistryRow; baris tetap diimpor):",
                         "Problems per check (RegistryRow schema; rows are still imported):"))
        elif self.rows:  # (an extract without rows is told so in the warnings, not "every row passes")
            out.append(t("Semua baris lolos pemeriksaan skema RegistryRow.",
                         "Every row passes the RegistryRow schema checks."))
        for name, count in self.failures.items():
            out.append(f"  {name}: {n(count)} — {CHECKS.get(name, (name, name))[en]}")
            ex = "; ".join(f"{t('baris', 'row')} {e.row} {e.column}="
                           f"{t('(kosong)', '(empty)') if e.value is None else e.value}"
                           for e in self.examples.get(name, []))
            if ex:
                out.append(f"      {t('contoh', 'e.g.')}: {ex}")
        if self.unknown_status:
            out.append(t("Status tidak dikenal: ", "Unknown status values: ")
                       + ", ".join(f"{k!r} {n(v)}" for k, v in self.unknown_status.items()))
        out += [t(f"Perhatian: {w['message']}", f"Warning: {w['message_en']}") for w in self.warnings]
        return out

    def lines_id(self) -> list[str]:
        """The report in Bahasa Indonesia, one line per item."""
        return self._lines(en=False)

    def lines_en(self) -> list[str]:
        """The same report in English."""
        return self._lines(en=True)


@functools.lru_cache(maxsize=1)
def _kecamatan() -> pl.Series:
    return pl.Series("kec", sorted(load_regions().kecamatan), dtype=pl.String)


def _region_counts(batch: pl.DataFrame) -> dict[str, int]:
    if "kode_wilayah" not in batch.columns:
        return {}
    kw, txt = pl.col("kode_wilayah"), pl.col("kode_wilayah_teks")
    ten = kw.str.contains(r"^\d{10}$")
    # Kemendagri desa codes are 2+2+2+4 digits and the 4-digit part starts with 1 (kelurahan) or
    # 2 (desa) (3 in a handful); BPS codes are 2+2+3+3 with kecamatan parts 010, 020, … and desa
    # parts 001, 002, …, so their 7th and 8th digits are 0. The first 6 digits alone cannot tell
    # them apart: BPS 12.75.010 reads as Kemendagri kecamatan 12.75.01 (Binjai Selatan).
    return batch.select(
        dotted=txt.str.contains(".", literal=True).sum(),
        digits=txt.str.contains(r"^\d+$").sum(),
        ten_digit=ten.sum(),
        kemendagri=(ten & kw.str.slice(0, 6).is_in(_kecamatan().implode())
                    & kw.str.slice(6, 1).is_in(["1", "2", "3"])).sum(),
        bps=(ten & (kw.str.slice(6, 2) == "00")).sum(),
    ).row(0, named=True)


class Tally:
    """Counts over batches: failures per check, the first examples, empties, region-code shapes."""

    def __init__(self, first_row: int):
        self.first_row = first_row  # row number the file shows for the first data row
        self.rows = 0
        self.failures: Counter[str] = Counter()
        self.examples: dict[str, list[Example]] = {}
        self.status: Counter[str] = Counter()
        self.empty: Counter[str] = Counter()
        self.region: Counter[str] = Counter()

    def add(self, batch: pl.DataFrame, failures: pl.DataFrame | None) -> None:
        offset, self.rows = self.rows, self.rows + batch.height
        # Empty as written: the text column where normalising may empty a cell.
        cols = {f: f"{f}_teks" if f"{f}_teks" in batch.columns else f
                for f in EMPTY_ALLOWED if f in batch.columns}
        if cols:
            self.empty.update(batch.select(pl.col(c).null_count().alias(f) for f, c in cols.items())
                              .row(0, named=True))
        self.region.update(_region_counts(batch))
        if failures is None:
            return
        fc = failures.with_columns(
            name=pl.when(pl.col("check") == "not_nullable")
            .then(pl.col("column") + "_kosong").otherwise(pl.col("check")))
        for name, count in fc.group_by("name").len().iter_rows():
            self.failures[name] += count
            have = self.examples.setdefault(name, [])
            if len(have) < EXAMPLES:
                first = fc.filter(pl.col("name") == name).sort("index").head(EXAMPLES - len(have))
                for col, value, idx in first.select("column", "failure_case", "index").iter_rows():
                    col = base_column(col)
                    have.append(Example(None if idx is None else offset + idx + self.first_row, col,
                                        mask(value) if col in MASKED else value))
        self.status.update(dict(fc.filter(pl.col("name") == "status_dikenal")
                                .group_by("failure_case").len().iter_rows()))

    def report(self, src: Source, cols: dict[str, str], sample_rows: int | None) -> ExtractReport:
        failures = {n: self.failures[n] for n in [*CHECKS, *self.failures] if self.failures.get(n)}
        missing = [f for f in FIELDS if f not in cols]
        rep = ExtractReport(
            file=src.path.name, format=src.kind, delimiter=src.delimiter, rows=self.rows,
            columns=list(src.columns), missing_columns=missing,
            ignored_columns=[c for c in src.columns if c not in cols.values()],
            failures=failures, examples={n: self.examples[n] for n in failures if n in self.examples},
            empty={f: self.empty[f] for f in EMPTY_ALLOWED if f not in missing},
            unknown_status=dict(self.status.most_common()), region=dict(self.region),
            sample_rows=sample_rows)
        written = self.rows - self.empty.get("desil", 0)
        if "desil" in cols and written and failures.get("desil_terbaca", 0) * 2 > written:
            rep.unreadable_columns = ["desil"]
        rep.warnings = _warnings(rep)
        return rep


def _warnings(rep: ExtractReport) -> list[dict[str, str]]:
    out = []

    def warn(code: str, message: str, message_en: str) -> None:
        out.append({"code": code, "message": message, "message_en": message_en})

    if rep.missing_columns:
        from validator.checks.registri import COLUMN_CHECKS

        cols = ", ".join(rep.missing_columns)
        lost = ", ".join(f"{c} → {COLUMN_CHECKS[c]}" for c in rep.missing_columns if c in COLUMN_CHECKS)
        warn("kolom_tidak_ada",
             f"kolom {cols} tidak ada di ekstrak; nilainya disimpan kosong"
             + (f", jadi pemeriksaan yang memakainya ({lost}) tidak dijalankan dan disebut di checks_skipped."
                if lost else "."),
             f"column(s) {cols} missing; stored empty" + (f", so {lost} are not run (listed in checks_skipped)."
                                                           if lost else "."))
    if rep.unreadable_columns:
        from validator.checks.registri import COLUMN_CHECKS

        cols = ", ".join(rep.unreadable_columns)
        lost = ", ".join(COLUMN_CHECKS[c] for c in rep.unreadable_columns if c in COLUMN_CHECKS)
        warn("kolom_tidak_terbaca",
             f"kolom {cols} ada, tetapi sebagian besar isinya tidak terbaca (tulis angka 1-10, misalnya 3 atau "
             f"Desil 3), jadi {lost} hanya memeriksa baris yang terbaca, dan setiap hasil validasi memberi "
             "peringatan. Perbaiki kolomnya lalu impor ulang.",
             f"column(s) {cols} are there but mostly unreadable (write a number 1-10, e.g. 3 or Desil 3), so "
             f"{lost} judges only the rows it can read, and every validation warns. Fix the column and import "
             "again.")
    if rep.rows == 0:
        warn("tanpa_baris", "ekstrak tidak berisi baris data.", "the extract holds no data rows.")
    if rep.duplicate_nik:
        warn("nik_ganda",
             f"{thousands(rep.duplicate_nik)} NIK muncul di lebih dari satu baris ekstrak; semua baris disimpan.",
             f"{rep.duplicate_nik:,} NIKs appear on more than one row; every row is stored.")
    if rep.rows and rep.malformed_nik > MALFORMED_WARN * rep.rows:
        warn("nik_rusak",
             f"{_pct(rep.malformed_nik, rep.rows, False)} NIK kosong atau bukan 16 digit; periksa apakah "
             "ekstrak pernah dibuka dan disimpan di Excel (angka 16 digit rusak).",
             f"{_pct(rep.malformed_nik, rep.rows, True)} of NIKs are empty or not 16 digits; was the "
             "extract saved through Excel?")
    r = rep.region
    ten = r.get("ten_digit", 0)
    # Low Kemendagri fit and a high BPS fit: codes are BPS, and registry rows would not line up with
    # the Kemendagri codes of lists and NIKs. Half is far from both real cases (about 100% / 0%).
    if ten and r["kemendagri"] < 0.5 * ten and r["bps"] >= 0.5 * ten:
        warn("kode_bps",
             f"kode wilayah tampaknya kode BPS (kecamatan 3 digit seperti 010, desa 001…), bukan kode "
             f"Kemendagri: hanya {_pct(r['kemendagri'], ten, False)} cocok dengan kecamatan Kemendagri. "
             "Pemeriksaan wilayah terhadap registri tidak dapat dipercaya; minta ekstrak dengan kode "
             "wilayah Kemendagri.",
             f"region codes look like BPS codes, not Kemendagri codes (only "
             f"{_pct(r['kemendagri'], ten, True)} match a Kemendagri kecamatan).")
    return out


def _validate(batch: pl.DataFrame) -> pl.DataFrame | None:
    """Every failure of every check in one batch (lazy validation), or None when all pass."""
    try:
        RegistryRow.validate(batch, lazy=True)
    except SchemaErrors as exc:
        return exc.failure_cases
    return None


def check_extract(path: Path, *, sample_rows: int | None = None) -> ExtractReport:
    """Checks an extract against RegistryRow batch by batch; counts every failure, keeps examples."""
    path = Path(path)
    t0 = time.perf_counter()
    con = duckdb.connect()
    try:
        src = open_source(con, path)
        cols = registry_columns(src)
        present = [f for f in FIELDS if f in cols]
        keep = present + [f"{f}_teks" for f in TEXT_KEPT if f in cols]
        sql = f"SELECT {', '.join(keep)} FROM {_normalised(src, cols, True)}"
        if sample_rows is not None:
            sql += f" LIMIT {int(sample_rows)}"
        tally = Tally(first_row=2 if src.kind == "csv" else 1)
        try:
            for rb in con.sql(sql).to_arrow_reader(BATCH_ROWS):
                batch = pl.from_arrow(rb)
                tally.add(batch, _validate(batch))
        except (duckdb.Error, OSError) as exc:  # DuckDB's errors reach the Arrow reader as OSError
            raise UserError(f"Ekstrak {path.name} berhenti terbaca ({_duck_error(exc)}). Periksa baris itu "
                            "(jumlah kolom, tanda kutip, UTF-8), lalu ulangi.",
                            f"{path.name} could not be read to the end.", code="unreadable") from None
    finally:
        con.close()
    report = tally.report(src, cols, sample_rows)
    report.timings["check"] = round(time.perf_counter() - t0, 2)
    return report


def _record_import(con: duckdb.DuckDBPyConnection, path: Path, sha: str, report: ExtractReport) -> str:
    import_id = uuid.uuid4().hex
    con.execute("INSERT INTO registry_imports VALUES (?, ?, ?, ?, ?, ?, ?)",
                [import_id, path.name, sha, dt.datetime.now(), report.rows, report.malformed_nik,
                 json.dumps(report.to_dict(), ensure_ascii=False)])
    return import_id


def import_registry(path: Path, store: Store) -> ExtractReport:
    """Checks the extract, then replaces the registry in one transaction (all or nothing)."""
    path = Path(path)
    try:
        return _import_registry(path, store)
    finally:
        release_utf8_copy(path)


def _import_registry(path: Path, store: Store) -> ExtractReport:
    with ThreadPoolExecutor(1) as pool:  # hashing overlaps the check pass (hashlib frees the GIL)
        digest = pool.submit(sha256_of, path) if path.is_file() else None
        report = check_extract(path)
        sha = digest.result() if digest else ""
    if report.rows == 0:
        raise UserError(f"Ekstrak {path.name} tidak berisi baris data; registri lama tetap dipakai.",
                        f"{path.name} holds no data rows; the registry was not changed.",
                        code="empty_extract")
    if report.malformed_nik * 2 > report.rows:
        # Imported, it would replace a good registry and every later list would be rejected as
        # not registered: the same refusal as for such a file given with --registry.
        raise UserError(
            f"Sebagian besar NIK di ekstrak {path.name} kosong atau bukan 16 digit ({thousands(report.malformed_nik)} dari "
            f"{thousands(report.rows)} baris), kemungkinan rusak oleh format angka Excel (1,27117E+15). Registri lama tetap "
            "dipakai. Ekspor ulang ekstrak sebagai CSV dengan kolom NIK bertipe teks, lalu impor lagi.",
            f"Most NIKs in {path.name} are empty or not 16 digits ({report.malformed_nik:,} of {report.rows:,} "
            "rows), probably damaged by Excel's number format. The registry was not changed. Export the extract "
            "again as CSV with the NIK column as text and import it again.", code="registry_nik_damaged")
    t0 = time.perf_counter()
    with store.transaction() as con:
        con.execute("DELETE FROM registry")
        try:
            inserted = run(
                con, f"INSERT INTO registry (nik, no_kk, nama, tanggal_lahir, jenis_kelamin, kode_wilayah, "
                f"desil, status, nik_valid) SELECT * FROM {scan_extract(con, path)}")[0][0]
        except duckdb.Error as exc:
            if disk_full(exc):
                raise disk_full_error(f"basis data riwayat {store.path.name}", "Registri lama tetap dipakai.",
                                      f"the history store {store.path.name}") from None
            raise UserError(f"Impor {path.name} gagal: {_duck_error(exc)}. Registri lama tetap dipakai.",
                            f"Importing {path.name} failed; the registry was not changed.",
                            code="import_failed") from None
        if inserted != report.rows:  # the file changed between the check and the import
            raise UserError(f"Berkas {path.name} berubah selama impor; ulangi. Registri lama tetap dipakai.",
                            f"{path.name} changed during the import; try again.", code="file_changed")
        # The schema sees one batch at a time; uniqueness over the whole extract is counted here.
        # A 16-digit NIK fits a BIGINT exactly: grouping on it takes half the memory of the text.
        report.duplicate_nik = run(
            con, "SELECT count(*) FROM (SELECT CAST(nik AS BIGINT) AS k FROM registry WHERE nik_valid "
            "GROUP BY k HAVING count(*) > 1)")[0][0]
        report.warnings = _warnings(report)
        report.import_id = _record_import(con, path, sha, report)
    report.timings["import"] = round(time.perf_counter() - t0, 2)
    return report


def scan_exclusions(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """A subquery yielding nik, kategori, keterangan of an exclusion list (contracts §5)."""
    src = open_source(con, path)
    cols = match_columns(src, EXCLUSION_FIELDS, ("nik", "kategori"), "Daftar pengecualian")
    t = {f: _text(cols.get(f)) for f in EXCLUSION_FIELDS}
    # 'Perangkat Desa' and 'PERANGKAT_DESA' are one category.
    kategori = f"nullif(upper(regexp_replace({t['kategori']}, '[\\s\\x{{00A0}}\\-]+', '_', 'g')), '')"
    return (f"(SELECT {_id_digits(t['nik'])} AS nik, {kategori} AS kategori, "
            f"{_words(t['keterangan'])} AS keterangan FROM {src.relation})")


def import_exclusions(path: Path, store: Store) -> dict:
    """Replaces the exclusion list in one transaction; rows without a NIK are left out and counted."""
    path = Path(path)
    try:
        return _import_exclusions(path, store)
    finally:
        release_utf8_copy(path)


def exclusion_counts(con, scan: str, path: Path, *, importing: bool) -> tuple[int, int, int, int]:
    """(rows, rows without a NIK, NIKs not of 16 digits, rows without a category) of an exclusion
    list, refusing one that would exclude nobody: no NIK at all, or NIKs mostly damaged by Excel
    (no list's NIK matches a damaged one). Imported, the list in use stays; given to a validation
    (--exclusions), the validation stops rather than pass everyone as not excluded."""
    total, no_nik, bad_nik, no_kat = run(
        con, "SELECT count(*), count(*) FILTER (nik IS NULL), "
        "count(*) FILTER (NOT regexp_full_match(nik, '[0-9]{16}')), "
        f"count(*) FILTER (nik IS NOT NULL AND kategori IS NULL) FROM {scan}")[0]
    then_id, then_en = (("Daftar lama tetap dipakai.", "The exclusion list was not changed.") if importing else
                        ("Pemeriksaan dihentikan.", "Checking stopped."))
    again = "impor lagi" if importing else "jalankan lagi"
    if total == no_nik:
        raise UserError(f"Daftar pengecualian {path.name} tidak berisi NIK; jika dipakai, tidak ada penerima yang "
                        f"dikecualikan. {then_id} Ambil ulang daftar yang berisi NIK, lalu {again}.",
                        f"{path.name} holds no NIK; used, it would exclude no one. {then_en}",
                        code="empty_exclusions")
    if bad_nik * 2 > total - no_nik:
        raise UserError(
            f"Sebagian besar NIK di daftar pengecualian {path.name} bukan 16 digit ({thousands(bad_nik)} dari "
            f"{thousands(total - no_nik)}), kemungkinan rusak oleh format angka Excel (1,27117E+15), sehingga hampir "
            f"tidak ada penerima yang dikecualikan. {then_id} Ekspor ulang sebagai CSV dengan kolom NIK bertipe teks, "
            f"lalu {again}.",
            f"Most NIKs in {path.name} are not 16 digits ({bad_nik:,} of {total - no_nik:,}), probably "
            f"damaged by Excel, so almost no one would be excluded. {then_en}", code="exclusions_nik_damaged")
    return total, no_nik, bad_nik, no_kat


def _import_exclusions(path: Path, store: Store) -> dict:
    with store.transaction() as con:
        try:
            scan = scan_exclusions(con, path)
            total, no_nik, bad_nik, no_kat = exclusion_counts(con, scan, path, importing=True)
            con.execute("DELETE FROM exclusions")
            con.execute(f"INSERT INTO exclusions SELECT nik, kategori, keterangan, ?, ? FROM {scan} "
                        "WHERE nik IS NOT NULL", [path.name, dt.datetime.now()])
            by_kat = dict(con.execute("SELECT coalesce(kategori, '(kosong)'), count(*) FROM exclusions "
                                      "GROUP BY ALL ORDER BY 2 DESC, 1").fetchall())
        except duckdb.Error as exc:
            raise UserError(f"Impor {path.name} gagal: {_duck_error(exc)}. Daftar lama tetap dipakai.",
                            f"Importing {path.name} failed; the exclusion list was not changed.",
                            code="import_failed") from None
    return {"file": path.name, "rows": total - no_nik, "skipped_empty_nik": no_nik,
            "malformed_nik": bad_nik, "empty_kategori": no_kat, "by_kategori": by_kat}
