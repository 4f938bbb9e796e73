"""Views of one validation: result.json, the return workbook, the terminal summary."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from validator.errors import UserError
from validator.reports.result_json import render_json
from validator.reports.workbook import write_workbook

__all__ = ["write_outputs"]


def write_outputs(outcome, out_dir: Path, extra: dict | None = None,
                  commit: Callable[[], None] | None = None) -> dict[str, Path]:
    """Write result.json and result.xlsx into out_dir, both or neither (temp files, then rename).

    `commit` (recording the submission in the store) runs after the workbook is written and
    before the files appear: if it fails, no result files are left behind."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"Folder keluaran {out_dir} tidak dapat dibuat ({exc.strerror}). Pilih folder lain.",
                        f"Output folder {out_dir} cannot be created.", code="out_dir") from None
    final = {"json": out_dir / "result.json", "xlsx": out_dir / "result.xlsx"}
    # A rename that is bound to fail must fail before the store is changed: checked first.
    for path in final.values():
        if path.is_dir():
            raise UserError(f"{path} adalah folder, jadi hasil tidak dapat ditulis ke sana. Pilih folder keluaran lain "
                            "atau pindahkan folder itu.", f"{path} is a folder; results cannot be written there.",
                            code="out_dir")
    tmp = {k: p.with_name(f".{p.name}.{os.getpid()}.tmp") for k, p in final.items()}
    try:
        t0 = time.perf_counter()
        write_workbook(outcome, tmp["xlsx"])
        outcome.timings["write"] = time.perf_counter() - t0
        if commit is not None:
            commit()
        data = render_json(outcome, extra)
        tmp["json"].write_bytes(data)
        for k in ("xlsx", "json"):
            os.replace(tmp[k], final[k])
    except OSError as exc:
        raise UserError(f"Hasil tidak dapat ditulis ke {out_dir} ({exc.strerror}). Periksa ruang disk dan izin folder.",
                        f"Results could not be written to {out_dir}.", code="out_dir") from None
    finally:
        for p in tmp.values():
            p.unlink(missing_ok=True)
    return final
