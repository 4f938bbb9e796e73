"""The history store: one DuckDB file holding the registry, exclusion lists and every submission."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl

from validator.errors import UserError, disk_full, disk_full_error

SCHEMA_VERSION = "1"
LOOKUP_COLUMNS = "time, actor, channel, nik_masked, nik_sha256, search_masked, search_sha256"
# How long a command waits for another process that holds the store before giving up.
LOCK_WAIT_SECONDS = float(os.environ.get("BANSOS_STORE_WAIT", "30"))

DDL = [
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    # One row a person of the social registry (DTKS / DTSEN), as of the latest import.
    """CREATE TABLE IF NOT EXISTS registry (
        nik VARCHAR, no_kk VARCHAR, nama VARCHAR, tanggal_lahir DATE, jenis_kelamin VARCHAR,
        kode_wilayah VARCHAR, desil INTEGER, status VARCHAR, nik_valid BOOLEAN)""",
    """CREATE TABLE IF NOT EXISTS registry_imports (
        id VARCHAR PRIMARY KEY, file_name VARCHAR, sha256 VARCHAR, imported_at TIMESTAMP,
        rows BIGINT, malformed_nik BIGINT, report JSON)""",
    """CREATE TABLE IF NOT EXISTS exclusions (
        nik VARCHAR, kategori VARCHAR, keterangan VARCHAR, file_name VARCHAR, imported_at TIMESTAMP)""",
    # A submission is recorded whole or not at all (one transaction); state says which.
    """CREATE TABLE IF NOT EXISTS submissions (
        id VARCHAR PRIMARY KEY, program VARCHAR, period VARCHAR, kecamatan VARCHAR,
        file_name VARCHAR, sha256 VARCHAR, created_at TIMESTAMP, rule_set_version VARCHAR,
        rows INTEGER, accepted INTEGER, review INTEGER, rejected INTEGER,
        superseded_by VARCHAR, state VARCHAR)""",
    # A list withdrawn by its kecamatan or finance (sent for the wrong period or program): state
    # 'withdrawn', never live again; who and when are kept.
    "ALTER TABLE submissions ADD COLUMN IF NOT EXISTS withdrawn_at TIMESTAMP",
    "ALTER TABLE submissions ADD COLUMN IF NOT EXISTS withdrawn_by VARCHAR",
    """CREATE TABLE IF NOT EXISTS row_results (
        submission_id VARCHAR, row INTEGER, sheet VARCHAR, nik VARCHAR, nik_ok BOOLEAN,
        no_kk VARCHAR, nama VARCHAR, tanggal_lahir DATE, status VARCHAR, nominal DOUBLE,
        bank VARCHAR, no_rekening VARCHAR)""",
    # Stores made before the bank and account were kept per row gain the columns (empty for old rows).
    "ALTER TABLE row_results ADD COLUMN IF NOT EXISTS bank VARCHAR",
    "ALTER TABLE row_results ADD COLUMN IF NOT EXISTS no_rekening VARCHAR",
    # The row's findings as 'CODE:severity', sorted (empty: none), so that a look-up of one NIK
    # reads its rows and their reasons from the NIK index alone. NULL on rows recorded before the
    # column existed: for those the reader goes to `findings`, which stays the full record.
    "ALTER TABLE row_results ADD COLUMN IF NOT EXISTS finding_codes VARCHAR[]",
    """CREATE TABLE IF NOT EXISTS findings (
        submission_id VARCHAR, row INTEGER, code VARCHAR, severity VARCHAR, field VARCHAR,
        value VARCHAR, message VARCHAR, message_en VARCHAR)""",
    # A council look-up or a citizen's status question is a point query on one NIK among millions of
    # rows of history: an ART index answers it without scanning.
    "CREATE INDEX IF NOT EXISTS row_results_nik ON row_results (nik)",
    # Every look-up of a person (history, council, citizen status): who, when, which NIK (masked).
    """CREATE TABLE IF NOT EXISTS lookups (
        time TIMESTAMP, actor VARCHAR, channel VARCHAR, nik_masked VARCHAR, nik_sha256 VARCHAR)""",
    # A name search also records what was searched: the name masked and as the keyed digest of its
    # folded form (LOOKUP_COLUMNS), and the kecamatan; a search that found nobody has only these.
    "ALTER TABLE lookups ADD COLUMN IF NOT EXISTS search_masked VARCHAR",
    "ALTER TABLE lookups ADD COLUMN IF NOT EXISTS search_sha256 VARCHAR",
    # Accounts of the HTTP API (api/): only the SHA-256 of a token is kept, never the token.
    """CREATE TABLE IF NOT EXISTS users (
        id VARCHAR PRIMARY KEY, name VARCHAR, role VARCHAR, kecamatan VARCHAR,
        token_sha256 VARCHAR UNIQUE, created_at TIMESTAMP, disabled BOOLEAN DEFAULT false)""",
    # One background validation of an uploaded list; the scope columns let a restarted server
    # pick up jobs that were still queued.
    """CREATE TABLE IF NOT EXISTS jobs (
        id VARCHAR PRIMARY KEY, submission_id VARCHAR, user_id VARCHAR, state VARCHAR,
        progress DOUBLE, error JSON, created_at TIMESTAMP, updated_at TIMESTAMP,
        program VARCHAR, period VARCHAR, kecamatan VARCHAR, file_name VARCHAR)""",
    # Finance's decision on a row the engine left for review. Rows are never rewritten: the
    # latest decision of a row is its effective status, and earlier ones stay as the audit trail.
    """CREATE TABLE IF NOT EXISTS decisions (
        submission_id VARCHAR, row INTEGER, decision VARCHAR, note VARCHAR, user_id VARCHAR,
        user_name VARCHAR, time TIMESTAMP)""",
    # The disbursement gate (validator/batch/): one row per batch version of a program and period.
    # An approved version is frozen: a later check opens version n+1 and leaves it as it was.
    """CREATE TABLE IF NOT EXISTS batches (
        id VARCHAR PRIMARY KEY, program VARCHAR, period VARCHAR, version INTEGER, folder VARCHAR,
        pagu DOUBLE, kuota INTEGER, created_at TIMESTAMP, created_by VARCHAR, state VARCHAR,
        approved_at TIMESTAMP, approved_by VARCHAR, manifest_sha256 VARCHAR, previous_batch VARCHAR)""",
    # The rows an approved version paid (NIK, KK, amount): a later version of the same program and
    # period pays only the others, so nobody is paid twice when a list changes after approval.
    """CREATE TABLE IF NOT EXISTS paid_rows (
        batch_id VARCHAR, program VARCHAR, period VARCHAR, nik VARCHAR, no_kk VARCHAR, nominal DOUBLE)""",
    # A login to the web pages: its cookie names the session, which logging out ends here, so a
    # copied cookie is worth nothing after "Keluar" (the id is kept hashed, like tokens).
    """CREATE TABLE IF NOT EXISTS page_sessions (
        sid_sha256 VARCHAR PRIMARY KEY, user_id VARCHAR, created_at TIMESTAMP, ended_at TIMESTAMP)""",
    "CREATE INDEX IF NOT EXISTS paid_rows_nik ON paid_rows (nik)",  # the council look-up's point query
    # ...and its family's, in a household program (one payment a family: validator/batch/paid.py)
    "CREATE INDEX IF NOT EXISTS paid_rows_kk ON paid_rows (no_kk)",
    # Every run of the gate on a batch version: what it saw (fingerprint of the rows), what it found.
    """CREATE TABLE IF NOT EXISTS batch_checks (
        batch_id VARCHAR, seq INTEGER, time TIMESTAMP, actor VARCHAR, passed BOOLEAN,
        fingerprint VARCHAR, pagu DOUBLE, kuota INTEGER, docs VARCHAR, result JSON)""",
    # Every row with its effective status: finance's latest decision when there is one, else the
    # engine's. Finance pages, look-ups, citizen status, exports and the disbursement batch read
    # this one view so that they can never disagree.
    """CREATE OR REPLACE VIEW effective_rows AS
        SELECT r.*, coalesce(d.decision, r.status) AS effective_status, d.decision,
               d.note AS decision_note, d.user_name AS decided_by, d.time AS decided_at
        FROM row_results r LEFT JOIN (
            SELECT * FROM decisions
            QUALIFY row_number() OVER (PARTITION BY submission_id, row ORDER BY time DESC) = 1) d
          ON d.submission_id = r.submission_id AND d.row = r.row""",
]


# The columns a new submission is written with (those added later, withdrawn_*, stay empty).
SUBMISSION_COLUMNS = ("id, program, period, kecamatan, file_name, sha256, created_at, rule_set_version, rows, "
                      "accepted, review, rejected, superseded_by, state")

# Paths DuckDB would open as a data file, not as a store.
NOT_A_STORE = {".csv", ".tsv", ".txt", ".parquet", ".json", ".ndjson", ".jsonl", ".xlsx", ".xls", ".ods",
               ".zip", ".gz"}


@contextlib.contextmanager
def registered(con: duckdb.DuckDBPyConnection, **tables) -> Iterator[None]:
    """Arrow tables (or frames) readable by SQL under these names for the block, released after.

    Releasing raises nothing of its own: after a failure inside a transaction (a full disk) DuckDB
    refuses even that ("transaction is aborted"), and the first error is the one to tell."""
    for name, table in tables.items():
        con.register(name, table)
    try:
        yield
    finally:
        for name in tables:
            with contextlib.suppress(duckdb.Error):
                con.unregister(name)


def run(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    """Run SQL to completion (DuckDB keeps a half-read result open and refuses other work)."""
    return con.execute(sql, params or []).fetchall()


def query(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    """Run SQL and return a polars frame (through Arrow, no Python objects per row)."""
    return con.sql(sql, params=params or None).pl()


def _locked(exc: Exception) -> bool:
    return "lock" in str(exc).lower()


def _holding_server(exc: Exception) -> int | None:
    """The PID of a server holding the store's lock (DuckDB names the holder's PID): `bansos
    serve`, or the demo server of `make run` (`python -m api.demo`)."""
    m = re.search(r"\(PID (\d+)\)", str(exc)) if _locked(exc) else None
    if m is None:
        return None
    try:
        argv = Path(f"/proc/{m.group(1)}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    return int(m.group(1)) if b"serve" in argv or b"api.demo" in argv else None


class Store:
    """A connection to the store file; use as a context manager."""

    def __init__(self, path: Path, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        self._audit_key: bytes | None = None
        self.con = self._connect()
        if not read_only:
            self._migrate()

    def _refuse_other_files(self) -> None:
        """DuckDB opens a .csv or .parquet path as a database held in memory: a store given as
        one would take every write and keep none. Existing files must be DuckDB files."""
        wrong_kind = self.path.suffix.lower() in NOT_A_STORE
        if not wrong_kind and self.path.is_file() and self.path.stat().st_size > 0:
            with self.path.open("rb") as fh:
                wrong_kind = fh.read(12)[8:12] != b"DUCK"
        if wrong_kind:
            raise UserError(
                f"Berkas {self.path.name} bukan basis data riwayat (berkas DuckDB, mis. riwayat.duckdb). "
                "Periksa jalur --store: mungkin tertukar dengan daftar atau ekstrak registri.",
                f"{self.path.name} is not a history store (a DuckDB file). Check --store.", code="store_unreadable")

    def _connect(self) -> duckdb.DuckDBPyConnection:
        self._refuse_other_files()
        if self.read_only and not self.path.exists():
            raise UserError(
                f"Basis data riwayat {self.path} belum ada. Periksa jalurnya, atau buat dengan mengimpor DTKS "
                "atau memvalidasi daftar dengan --store.",
                f"History store {self.path} does not exist yet.", code="store_missing")
        if not self.read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        delay = 0.05
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=self.read_only)
                if not self.read_only:
                    # Personal data: the owner's alone, even where the umask is open (`bansos` sets
                    # 077), and a store made before that (0644) is closed up the first time it is
                    # written, with its WAL. Only the owner may change a mode; others are left.
                    for f in (self.path, self.path.with_name(self.path.name + ".wal")):
                        with contextlib.suppress(OSError):
                            st = f.stat()
                            if st.st_uid == os.getuid() and st.st_mode & 0o077:
                                f.chmod(0o600)
                return con
            except duckdb.IOException as exc:
                # A server holds its store for as long as it runs: waiting for it is no use.
                if not _locked(exc) or time.monotonic() > deadline or _holding_server(exc):
                    raise self._busy_or_broken(exc) from None
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
            except duckdb.Error as exc:
                raise self._busy_or_broken(exc) from None

    def _busy_or_broken(self, exc: Exception) -> UserError:
        server = _holding_server(exc)
        if server:
            return UserError(
                f"Basis data riwayat {self.path.name} sedang dipakai oleh server bansos (PID {server}), "
                "yang memegangnya selama berjalan. Pakai halaman web atau API server itu, atau hentikan server dulu "
                "lalu ulangi perintah ini.",
                f"The history store {self.path.name} is held by a running bansos server (PID {server}). Use its web "
                "pages or API, or stop the server and try again.", code="store_busy")
        if _locked(exc):
            return UserError(
                f"Basis data riwayat {self.path.name} sedang dipakai proses lain lebih dari "
                f"{LOCK_WAIT_SECONDS:.0f} detik. Tunggu validasi lain selesai, lalu ulangi.",
                f"The history store {self.path.name} is busy in another process. Wait and try again.",
                code="store_busy")
        if disk_full(exc):
            return disk_full_error(f"basis data riwayat {self.path.name}", "Riwayat tidak berubah.",
                                   f"the history store {self.path.name}")
        where = self.path if self.path.exists() else self.path.parent
        if not self.read_only and where.exists() and not os.access(where, os.W_OK):
            # A good store on a read-only disk or without write permission is not "not a store".
            return UserError(
                f"Basis data riwayat {self.path.name} tidak dapat ditulis (tidak ada izin menulis, atau disk hanya "
                "dapat dibaca). Beri izin menulis atau salin ke folder yang dapat ditulis, lalu ulangi.",
                f"The history store {self.path.name} cannot be written (no write permission, or a read-only "
                "disk). Allow writing or copy it to a writable folder, then try again.", code="store_not_writable")
        return UserError(
            f"Berkas {self.path.name} bukan basis data riwayat yang dapat dibuka. "
            "Periksa jalur --store.",
            f"{self.path.name} is not a history store that can be opened.", code="store_unreadable")

    def _migrate(self) -> None:
        with self.transaction():
            for ddl in DDL:
                run(self.con, ddl)
            run(self.con, "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
            # The key of the keyed NIK hash in the look-up audit (see nik_digest): made once per
            # store. A NIK has so little entropy that a plain SHA-256 of it could be reversed by
            # trying every plausible NIK; without this key the digest cannot.
            run(self.con, "INSERT OR IGNORE INTO meta VALUES ('audit_key', ?)", [secrets.token_hex(32)])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: a crash or an error inside leaves the store as it was."""
        run(self.con, "BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            run(self.con, "ROLLBACK")
            raise
        run(self.con, "COMMIT")

    def nik_digest(self, nik: str) -> str:
        """HMAC-SHA256 of a NIK under this store's audit key: the same NIK always gives the same
        digest (an auditor can find every look-up of one person), and it cannot be reversed
        without the key."""
        if self._audit_key is None:
            found = run(self.con, "SELECT value FROM meta WHERE key = 'audit_key'")
            if not found:
                raise RuntimeError("store has no audit key (opened read-only before its first migration)")
            self._audit_key = bytes.fromhex(found[0][0])
        return hmac.new(self._audit_key, nik.encode(), hashlib.sha256).hexdigest()

    def has_registry(self) -> bool:
        return bool(run(self.con, "SELECT count(*) > 0 FROM registry")[0][0])

    def has_exclusions(self) -> bool:
        return bool(run(self.con, "SELECT count(*) > 0 FROM exclusions")[0][0])

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
