"""Background validation of uploaded lists: the jobs table and one worker thread.

One worker is enough: submissions of the same program and period must be checked against each
other in order (a list recorded while another is being checked would be missed), and the engine
itself uses both cores for a big list."""

from __future__ import annotations

import datetime as dt
import json
import logging
import queue
import threading
import uuid

from api.context import ApiContext
from validator.errors import UserError
from validator.store import Store, run

log = logging.getLogger("bansos.api")

INTERNAL_ERROR = {"code": "internal_error",
                  "message": "Validasi berhenti karena kesalahan program, bukan karena data Anda. "
                             "Kirim ulang berkas nanti atau hubungi admin Dinas Sosial.",
                  "message_en": "Validation stopped because of a program error, not your data."}
JOB_COLUMNS = ["id", "submission_id", "user_id", "state", "progress", "error", "created_at",
               "updated_at", "program", "period", "kecamatan", "file_name"]


def create_job(store: Store, *, submission_id: str, user_id: str, program: str, period: str,
               kecamatan: str, file_name: str) -> str:
    job_id = uuid.uuid4().hex[:16]
    now = dt.datetime.now()
    run(store.con, "INSERT INTO jobs VALUES (?, ?, ?, 'queued', 0.0, NULL, ?, ?, ?, ?, ?, ?)",
        [job_id, submission_id, user_id, now, now, program, period, kecamatan, file_name])
    return job_id


def get_job(store: Store, job_id: str, by: str = "id") -> dict | None:
    column = {"id": "id", "submission": "submission_id"}[by]
    found = run(store.con, f"SELECT {', '.join(JOB_COLUMNS)} FROM jobs WHERE {column} = ?", [job_id])
    if not found:
        return None
    job = dict(zip(JOB_COLUMNS, found[0], strict=True))
    job["error"] = json.loads(job["error"]) if job["error"] else None
    return job


def set_state(store: Store, job_id: str, state: str, progress: float, error: dict | None = None) -> None:
    run(store.con, "UPDATE jobs SET state = ?, progress = ?, error = ?, updated_at = ? WHERE id = ?",
        [state, round(progress, 3), json.dumps(error, ensure_ascii=False) if error else None,
         dt.datetime.now(), job_id])


class JobWorker:
    """Runs queued jobs one after another in a daemon thread."""

    def __init__(self, ctx: ApiContext):
        self.ctx = ctx
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.thread = threading.Thread(target=self._loop, name="bansos-jobs", daemon=True)
        self.stopping = threading.Event()

    def start(self) -> None:
        # Jobs a stopped server left queued or half done are run again: their upload is on disk.
        view = self.ctx.view()
        try:
            pending = run(view.con, "SELECT id FROM jobs WHERE state IN ('queued', 'running') ORDER BY created_at")
        finally:
            view.close()
        for (job_id,) in pending:
            self.queue.put(job_id)
        self.thread.start()

    def submit(self, job_id: str) -> None:
        self.queue.put(job_id)

    def stop(self, timeout: float = 60.0) -> None:
        """Finish the job at hand; jobs still queued stay so in the store and run at the next start."""
        self.stopping.set()
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join(timeout)

    def _loop(self) -> None:
        while (job_id := self.queue.get()) is not None and not self.stopping.is_set():
            view = self.ctx.view()
            try:
                self._run(view, job_id)
            except Exception as exc:  # never let one job stop the worker
                log.error("job %s failed: %s", job_id, type(exc).__name__)
                self._set(view, job_id, "failed", 1.0, INTERNAL_ERROR)
            finally:
                view.close()

    def _set(self, view: Store, job_id: str, state: str, progress: float, error: dict | None = None) -> None:
        with self.ctx.write_lock:
            set_state(view, job_id, state, progress, error)

    def _run(self, view: Store, job_id: str) -> None:
        from validator.engine import record_outcome, validate
        from validator.reports import write_outputs

        job = get_job(view, job_id)
        if job is None:
            return
        ctx, sid = self.ctx, job["submission_id"]
        self._set(view, job_id, "running", 0.05)
        try:
            outcome = validate(ctx.upload_dir(sid) / job["file_name"], job["program"],
                               kecamatan=job["kecamatan"], period=job["period"], store=view,
                               rules=ctx.rules,
                               progress=lambda stage, frac: self._set(view, job_id, "running", 0.05 + 0.85 * frac))
            outcome.submission_id = sid  # the id the client was given at upload
            outcome.recorded = True

            def commit() -> None:
                with ctx.write_lock:
                    record_outcome(view, outcome)

            write_outputs(outcome, ctx.result_dir(sid), commit=commit)
        except UserError as exc:
            # A mistake in the file (unreadable, no NIK column, …): the operator reads why.
            self._set(view, job_id, "failed", 1.0, {"code": exc.code, "message": exc.message_id,
                                                    "message_en": exc.message_en or exc.message_id})
            return
        self._set(view, job_id, "done", 1.0)
