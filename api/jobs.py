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


INTERRUPTED = {"code": "interrupted",
               "message": "Validasi terputus karena server berhenti (dimatikan atau mati listrik) sebelum selesai. "
                          "Daftar ini tidak tercatat. Kirim ulang berkas yang sama.",
               "message_en": "Validation was cut off because the server stopped before it finished. "
                             "The list was not recorded. Send the same file again."}


def recover_interrupted(ctx: ApiContext, store: Store) -> list[str]:
    """Settle the jobs a killed server left `running`; return their ids.

    Result files appear (renamed into place, json last) only after the submission is committed,
    so a job whose result.json exists finished everything but its own state: it is done. Any
    other was cut off: its job fails with a message saying so, and a submission it may already
    have committed (killed between the commit and the rename) is marked failed, the list it
    replaced made live again, so no reader sees a list without its results. Leftover temporary
    files go."""
    from validator.reports import remove_temp

    interrupted = run(store.con, "SELECT id, submission_id FROM jobs WHERE state = 'running'")
    for job_id, sid in interrupted:
        folder = ctx.result_dir(sid)
        if (folder / "result.json").exists():
            set_state(store, job_id, "done", 1.0)
            continue
        with store.transaction():
            run(store.con, "UPDATE submissions SET state = 'failed' WHERE id = ?", [sid])
            run(store.con, "UPDATE submissions SET superseded_by = NULL WHERE superseded_by = ?", [sid])
            set_state(store, job_id, "failed", 1.0, INTERRUPTED)
        for leftover in folder.glob("*") if folder.exists() else ():
            remove_temp(leftover)  # xlsxwriter's parts are a folder
        log.warning("job %s was interrupted by a server stop; marked failed", job_id)
    return [job_id for job_id, _ in interrupted]


class JobWorker:
    """Runs queued jobs one after another in a daemon thread."""

    def __init__(self, ctx: ApiContext):
        self.ctx = ctx
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.thread = threading.Thread(target=self._loop, name="bansos-jobs", daemon=True)
        self.stopping = threading.Event()

    def start(self) -> None:
        # Jobs a stopped server left queued run now (their upload is on disk); a job it was
        # running when it stopped is settled first (see recover_interrupted).
        view = self.ctx.view()
        try:
            with self.ctx.write_lock:
                recover_interrupted(self.ctx, view)
            pending = run(view.con, "SELECT id FROM jobs WHERE state = 'queued' ORDER BY created_at")
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
            with ctx.lists_lock:  # the live lists stay as checked until this one is recorded
                outcome = validate(ctx.upload_dir(sid) / job["file_name"], job["program"],
                                   kecamatan=job["kecamatan"], period=job["period"], store=view,
                                   rules=ctx.rules,
                                   progress=lambda stage, frac: self._set(view, job_id, "running",
                                                                          0.05 + 0.85 * frac))
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
