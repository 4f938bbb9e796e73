"""The look-up audit record, written with group commit.

Every look-up of a person is in the `lookups` table before its answer leaves the server. A commit
is the dearest part of a look-up, so concurrent look-ups share one: each request queues its
record and takes the store's write lock; whoever holds the lock writes everything queued in one
INSERT, and a request whose record an earlier holder already wrote just returns."""

from __future__ import annotations

import datetime as dt
import threading

from api.context import ApiContext
from validator.store import LOOKUP_COLUMNS, Store, run
from validator.store.history import lookup_row

_QUEUES: dict[int, list[_Entry]] = {}  # per server (its write lock): records not yet written
_QUEUE_LOCK = threading.Lock()


class _Entry:
    __slots__ = ("values", "state")

    def __init__(self, values: list):
        self.values = values
        self.state = "queued"  # then "written" or "failed"


def entry(actor: str, channel: str, nik: str | None, search: tuple[str, str, str] | None = None) -> tuple:
    """A look-up to record, timed now: `record` turns it into a row of `lookups` (the NIK masked
    and as the store's keyed digest; it never reaches the store in full). None for a search that
    found nobody. `search`: a name search's (name, folded name key, kecamatan code), recorded
    masked and as a keyed digest (history.lookup_row)."""
    return dt.datetime.now(), actor, channel, nik, search


def record(ctx: ApiContext, store: Store, rows: list[tuple]) -> None:
    """Write these look-up records, sharing the commit with look-ups running at the same time.
    Returns once they are committed; raises if the write that carried them failed."""
    mine = [_Entry(lookup_row(store, actor, channel, nik, time, search))
            for time, actor, channel, nik, search in rows]
    with _QUEUE_LOCK:
        queue = _QUEUES.setdefault(id(ctx.write_lock), [])
        queue.extend(mine)
    with ctx.write_lock.keeping_caches():  # look-up records are in no cache
        with _QUEUE_LOCK:
            batch, queue[:] = queue[:], []
        if batch:
            try:
                run(store.con, f"INSERT INTO lookups ({LOOKUP_COLUMNS}) VALUES "
                    + ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * len(batch)),
                    [v for e in batch for v in e.values])
            except BaseException:
                for e in batch:
                    e.state = "failed"
                raise
            for e in batch:
                e.state = "written"
    if any(e.state != "written" for e in mine):
        raise RuntimeError("look-up record not written")  # the holder that carried it failed
