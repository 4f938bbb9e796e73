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
