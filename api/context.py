"""What the server holds for its lifetime: the one open store, the write lock, folders, the worker."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from api.ratelimit import RateLimiter
from validator.rulebook import Rulebook
from validator.store import Store


class StoreView(Store):
    """A cursor on the server's one open store, for one thread.

    DuckDB connections are not thread-safe; `cursor()` gives a connection of its own to the same
    database (and the same file lock), so request threads and the worker read side by side."""

    def __init__(self, parent: Store):
        self.path = parent.path
        self.read_only = parent.read_only
        self._audit_key = parent._audit_key
        self.con = parent.con.cursor()


IDLE_VIEWS = 8  # cursors kept between requests: about the requests the server answers at once


class WriteLock:
    """The server's one write lock. Leaving it counts as a change to the store: `generation` goes
    up, and what `StoreCache` keeps from before is dropped. A write that changes nothing a cache
    keeps (the look-up audit) takes the lock with `keeping_caches()`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.generation = 0

    def __enter__(self) -> WriteLock:
        self._lock.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.generation += 1  # under the lock: writers never race on it
        self._lock.release()

    @contextlib.contextmanager
    def keeping_caches(self) -> Iterator[None]:
        with self._lock:
            yield


class StoreCache:
    """Small facts read on every request (an account by its token, a submission's program and
    kecamatan, which submissions finance decided on), kept until the next write.

    Every write in the server goes through `WriteLock`, and the store file is locked to this
    process, so nothing else can change them behind its back. An entry is tagged with the
    generation read *before* its query: a write that lands during the query makes it stale at
    once, never the other way round."""

    def __init__(self, lock: WriteLock, max_entries: int = 100_000):
        self._lock, self._max = lock, max_entries
        self._mutex = threading.Lock()
        self._generation, self._entries = lock.generation, {}

    def peek(self, key: tuple) -> object | None:
        """The kept value, or None when there is none (yet, or any more)."""
        generation = self._lock.generation
        with self._mutex:
            return self._entries.get(key) if self._generation == generation else None

    def get(self, key: tuple, load: Callable[[], object]) -> object:
        """The kept value, else `load()`'s, kept unless it is None (an unknown token stays unknown
        at no cost to the cache)."""
        generation = self._lock.generation
        with self._mutex:
            if self._generation == generation and key in self._entries:
                return self._entries[key]
        value = load()
        if value is None:
            return value
        with self._mutex:
            if self._generation != generation:
                if self._generation > generation:
                    return value  # read before a newer write: not kept
                self._generation, self._entries = generation, {}
            if len(self._entries) < self._max:
                self._entries[key] = value
        return value


@dataclass
class ApiContext:
    store: Store
    data_dir: Path
    rules: Rulebook  # read once at start: restart the server to apply changed rule files
    limiter: RateLimiter = field(default_factory=lambda: RateLimiter(10))  # citizen status, per IP
    # Every write goes through this lock: DuckDB lets only one of two transactions that touch the
    # same rows commit, and a job's progress, a look-up record and a submission must all land.
    write_lock: WriteLock = field(default_factory=WriteLock)
    worker: object = None  # api.jobs.JobWorker, set by create_app
    # Held by the job worker from checking a list against the live lists until it is recorded, and
    # by a withdrawal: a list withdrawn (and the one it replaced made live again) in between would
    # leave the list checked against lists that no longer count, or blind to the one that does.
    lists_lock: threading.Lock = field(default_factory=threading.Lock)
    max_upload_bytes: int = 200 * 1024 * 1024  # a list upload; env BANSOS_MAX_UPLOAD_MB
    # Council and finance look-ups per account and minute: enough for real casework, too few to
    # walk a kecamatan's NIKs.
    lookup_limiter: RateLimiter = field(default_factory=lambda: RateLimiter(60))

    cache: StoreCache = field(init=False)

    def __post_init__(self) -> None:
        self.cache = StoreCache(self.write_lock)

    _idle_views: list[StoreView] = field(init=False, default_factory=list)
    _views_lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def view(self) -> StoreView:
        return StoreView(self.store)

    def borrow_view(self) -> StoreView:
        """A cursor for one request: an idle one when there is one (making and closing a cursor
        costs about as much as a point query)."""
        with self._views_lock:
            if self._idle_views:
                return self._idle_views.pop()
        return self.view()

    def give_back(self, view: StoreView, clean: bool = True) -> None:
        """After the request: kept for the next one, unless the request failed (its cursor may be
        left in any state) or enough are idle already."""
        with self._views_lock:
            if clean and len(self._idle_views) < IDLE_VIEWS:
                self._idle_views.append(view)
                return
        view.close()

    def close_views(self) -> None:
        with self._views_lock:
            idle, self._idle_views[:] = list(self._idle_views), []
        for view in idle:
            view.close()

    def upload_dir(self, submission_id: str) -> Path:
        return self.data_dir / "uploads" / submission_id

    def result_dir(self, submission_id: str) -> Path:
        return self.data_dir / "results" / submission_id
