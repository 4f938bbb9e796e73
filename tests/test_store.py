"""The history store's helpers (validator/store)."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from validator.store import registered


def test_a_failure_inside_a_transaction_is_told_not_the_release_of_its_tables():
    """A full disk aborts the transaction mid-INSERT; DuckDB then refuses even to release the
    registered table. The first error is the one that reaches the user (disk full: exit 2), not
    "transaction is aborted" (an internal error)."""
    con = duckdb.connect()
    con.execute("CREATE TABLE t (a INTEGER PRIMARY KEY)")
    con.execute("INSERT INTO t VALUES (1)")
    con.execute("BEGIN")
    with pytest.raises(duckdb.ConstraintException), registered(con, bansos_x=pa.table({"a": [1]})):
        con.execute("INSERT INTO t SELECT * FROM bansos_x")
    con.execute("ROLLBACK")
    with registered(con, bansos_x=pa.table({"a": [2]})):
        assert con.execute("SELECT a FROM bansos_x").fetchall() == [(2,)]
    with pytest.raises(duckdb.CatalogException):
        con.execute("SELECT a FROM bansos_x")  # released after the block


def test_a_store_held_by_the_demo_server_is_told_at_once(tmp_path):
    """`make run` serves through `python -m api.demo`: a command on its store is told at once that
    a server holds it, as for `bansos serve`, not after half a minute of waiting."""
    import subprocess
    import sys
    import time

    from validator.errors import UserError
    from validator.store import Store

    path = tmp_path / "riwayat.duckdb"
    Store(path).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('ok', flush=True); time.sleep(60)", str(path), "-m", "api.demo"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        t0 = time.monotonic()
        with pytest.raises(UserError) as busy:
            Store(path)
        assert busy.value.code == "store_busy" and f"server bansos (PID {holder.pid})" in busy.value.message_id
        assert time.monotonic() - t0 < 10
    finally:
        holder.kill()
        holder.wait(10)
