"""What the server holds for its lifetime: the one open store, the write lock, folders, the worker."""

from __future__ import annotations

import threading
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


@dataclass
class ApiContext:
    store: Store
    data_dir: Path
    rules: Rulebook  # read once at start: restart the server to apply changed rule files
    limiter: RateLimiter = field(default_factory=lambda: RateLimiter(10))  # citizen status, per IP
    # Every write goes through this lock: DuckDB lets only one of two transactions that touch the
    # same rows commit, and a job's progress, a look-up record and a submission must all land.
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    worker: object = None  # api.jobs.JobWorker, set by create_app
    max_upload_bytes: int = 200 * 1024 * 1024  # a list upload; env BANSOS_MAX_UPLOAD_MB
    # Council and finance look-ups per account and minute: enough for real casework, too few to
    # walk a kecamatan's NIKs.
    lookup_limiter: RateLimiter = field(default_factory=lambda: RateLimiter(60))

    def view(self) -> StoreView:
        return StoreView(self.store)

    def upload_dir(self, submission_id: str) -> Path:
        return self.data_dir / "uploads" / submission_id

    def result_dir(self, submission_id: str) -> Path:
        return self.data_dir / "results" / submission_id
