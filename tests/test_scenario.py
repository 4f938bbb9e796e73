"""The README walk-through, run end to end through the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sample_data.scenario import build

STEPS = [
    ("step1", "pkh", "12.71.17", "2026-T1",
     {"REKENING_PANJANG": 1, "DTKS_TIDAK_TERDAFTAR": 1, "DTKS_MENINGGAL": 1, "DTKS_DESIL": 1,
      "DAFTAR_PENGECUALIAN": 1}),
    ("step2", "pkh", "12.71.02", "2026-T1", {"GANDA_ANTAR_KECAMATAN": 1}),
    ("step3", "bst", "12.71.02", "2026-03", {"GANDA_ANTAR_PROGRAM": 2}),
    ("step4", "pkh", "12.71.17", "2026-T1", {"DTKS_TIDAK_TERDAFTAR": 1, "DTKS_DESIL": 1, "DAFTAR_PENGECUALIAN": 1}),
]


def bansos(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "validator.cli", *args], capture_output=True, text=True,
                          timeout=180, env={**os.environ, "COLUMNS": "200"})


def test_walkthrough(tmp_path: Path):
    paths = build(tmp_path / "scenario")
    store = str(tmp_path / "demo.duckdb")
    assert bansos("registry", "import", str(paths["registry"]), "--store", store).returncode == 0
    assert bansos("exclusions", "import", str(paths["exclusions"]), "--store", store).returncode == 0
    results = []
    for step, program, kec, period, expected in STEPS:
        out = tmp_path / step
        r = bansos("validate", str(paths[step]), "--program", program, "--kecamatan", kec, "--period", period,
                   "--store", store, "--out", str(out))
        assert r.returncode == 0, r.stderr
        data = json.loads((out / "result.json").read_text(encoding="utf-8"))
        assert data["summary"]["by_code"] == expected, step
        assert data["checks_skipped"] == [] or set(data["checks_skipped"]) <= {"BANK_TIDAK_DIKENAL"}
        results.append(data)
    assert results[3]["compared_to"]["counts"] == {"fixed": 1, "still_failing": 3, "newly_failing": 0,
                                                   "added": 1, "removed": 1}
    assert results[3]["compared_to"]["submission_id"] == results[0]["submission_id"]
    moved = results[1]["rows"][0]
    assert "Medan Baru (12.71.17)" in moved["findings"][0]["message"]
    h = bansos("history", moved["nik"], "--store", store)
    assert h.returncode == 0
    assert "Medan Sunggal (12.71.02)" in h.stdout and "ditolak" in h.stdout
    assert "diganti kiriman baru" in h.stdout  # Medan Baru's first list, superseded by step 4
