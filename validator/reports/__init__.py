"""Views of one validation: result.json, the return workbook, the terminal summary."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

from xlsxwriter.exceptions import FileCreateError

from validator.errors import UserError
from validator.reports.result_json import render_json
from validator.reports.workbook import write_workbook

__all__ = ["remove_temp", "sweep_dead", "write_outputs"]


def write_outputs(outcome, out_dir: Path, extra: dict | None = None,
                  commit: Callable[[], None] | None = None) -> dict[str, Path]:
    """Write result.json and result.xlsx into out_dir, both or neither (temp files, then rename).

    `commit` (recording the submission in the store) runs after both files are written and before
    they appear: if it fails, no result files are left behind; if the files cannot be written,
    the store is not changed."""
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"{out_dir} adalah berkas, bukan folder. Untuk --out, pilih sebuah folder (akan dibuat bila "
                        "belum ada).", f"{out_dir} is a file, not a folder. Give --out a folder (it is created if "
                        "missing).", code="out_dir")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"Folder keluaran {out_dir} tidak dapat dibuat ({_why(exc)}). Pilih folder lain.",
                        f"Output folder {out_dir} cannot be created ({exc.strerror}).", code="out_dir") from None
    _sweep(out_dir)
    final = {"json": out_dir / "result.json", "xlsx": out_dir / "result.xlsx"}
    # A rename that is bound to fail must fail before the store is changed: checked first.
    for path in final.values():
        if path.is_dir():
            raise UserError(f"{path} adalah folder, jadi hasil tidak dapat ditulis ke sana. Pilih folder keluaran lain "
                            "atau pindahkan folder itu.", f"{path} is a folder; results cannot be written there.",
                            code="out_dir")
    tmp = {k: p.with_name(f".{p.name}.{os.getpid()}.tmp") for k, p in final.items()}
    # xlsxwriter keeps each sheet's XML (every NIK of the list) in temp files until it zips them:
    # they go in a folder of this run beside the results, so a run killed mid-write leaves them
    # where the next run's sweep finds them, not in /tmp for good.
    parts = out_dir / f".result.parts.{os.getpid()}.tmp"
    committed = False
    try:
        parts.mkdir(mode=0o700, exist_ok=True)
        t0 = time.perf_counter()
        write_workbook(outcome, tmp["xlsx"], tmpdir=parts)
        outcome.timings["write"] = time.perf_counter() - t0
        # Both files are on disk before the store changes: a full disk or a bad folder stops the
        # run with the store as it was. The result.json written now is kept if the final one
        # (with the store's timing) cannot be written after the commit: its space is taken.
        early = render_json(outcome, extra)
        tmp["json"].write_bytes(early)
        with _finish_uninterrupted():
            if commit is not None:
                commit()
                committed = True
                # The store has replaced the earlier list: its result files go at once, before the
                # final result.json is rendered (half a second on a big list), so a run killed now
                # leaves no results rather than the replaced list's. A run that fails or is killed
                # before recording leaves them as they were.
                # (Renamed first, both at once in effect: deleting a big result.json takes a
                # moment, during which a kill would leave the earlier result.xlsx alone.)
                stale = [final[k].with_name(f".{final[k].name}.{os.getpid()}.old") for k in ("xlsx", "json")]
                for k, old in zip(("xlsx", "json"), stale, strict=True):
                    if final[k].exists():
                        os.replace(final[k], old)
                for old in stale:
                    old.unlink(missing_ok=True)
                try:
                    tmp["json"].write_bytes(render_json(outcome, extra))
                except OSError:
                    tmp["json"].write_bytes(early)
            for k in ("xlsx", "json"):
                os.replace(tmp[k], final[k])
    except (OSError, FileCreateError) as exc:
        # xlsxwriter reports a file it cannot create as FileCreateError, carrying the OSError.
        cause = exc if isinstance(exc, OSError) else (exc.__context__ if isinstance(exc.__context__, OSError)
                                                       else OSError(errno.EACCES, "Permission denied"))
        if committed:
            raise UserError(
                f"Daftar sudah tercatat di riwayat (pengajuan {outcome.submission_id}), tetapi berkas hasil tidak dapat "
                f"ditulis ke {out_dir} ({_why(cause)}). Periksa ruang disk dan izin folder, lalu jalankan validasi lagi "
                "untuk mendapatkan berkas hasil.",
                f"The list was recorded (submission {outcome.submission_id}), but the result files could not be "
                f"written to {out_dir} ({cause.strerror}). Free space or fix the folder, then validate again to get "
                "them.", code="out_dir") from None
        raise UserError(f"Hasil tidak dapat ditulis ke {out_dir} ({_why(cause)}). Periksa ruang disk dan izin "
                        "folder, atau pilih folder keluaran lain.",
                        f"Results could not be written to {out_dir} ({cause.strerror}).", code="out_dir") from None
    finally:
        outcome.committed = committed
        for p in tmp.values():
            with contextlib.suppress(OSError):  # on a read-only disk there is nothing to remove
                p.unlink(missing_ok=True)
        shutil.rmtree(parts, ignore_errors=True)
    return final


@contextlib.contextmanager
def _finish_uninterrupted():
    """Ctrl+C between recording the submission and putting its result files in place would leave
    the store changed and no results: the few milliseconds of that step finish first (the
    interrupt is dropped; the run completes). Only the main thread can hold signals."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: None)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


_WHY = {errno.EACCES: "tidak ada izin menulis", errno.EPERM: "tidak ada izin menulis",
        errno.ENOENT: "folder itu tidak ada dan tidak dapat dibuat di sana",
        errno.ENOSPC: "disk penuh", errno.EROFS: "disk hanya dapat dibaca", errno.ENOTDIR: "salah satu bagian jalurnya adalah berkas, bukan folder",
        errno.ENAMETOOLONG: "nama terlalu panjang", errno.EDQUOT: "kuota disk habis"}


def _why(exc: OSError) -> str:
    """The reason in Indonesian (the system's own words for an uncommon one)."""
    return _WHY.get(exc.errno or 0, exc.strerror or "galat sistem")


_TEMP = re.compile(r"^\.result\.(?:json|xlsx|parts)\.(\d+)\.(?:tmp|old)$")


def remove_temp(path: Path) -> None:
    """A temp file, or a folder of them (xlsxwriter's parts), gone."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _sweep(out_dir: Path) -> None:
    """Remove temp files a killed run left behind (its process is gone); another live run's stay."""
    sweep_dead(out_dir, _TEMP)


def sweep_dead(folder: Path, pattern: re.Pattern) -> None:
    """Remove the temp files and folders in `folder` whose name matches `pattern` (its group 1 the
    process id that made them) and whose process is gone; a live run's stay."""
    if not folder.is_dir():
        return
    for p in folder.iterdir():
        m = pattern.match(p.name)
        if not m:
            continue
        try:
            os.kill(int(m.group(1)), 0)
        except ProcessLookupError:
            remove_temp(p)
        except (PermissionError, OverflowError, OSError):
            pass
