"""The rush before a deadline, on loopback: 20 kecamatan upload 10,000-row lists at once while
council members make 50 look-ups. Every upload must be validated once, every look-up answered,
and the store must hold exactly what was sent.

`python -m benchmarks.load` prints a summary and, on its last line, the figures as JSON (read by
`make bench`). Bounded: fixed counts, one seeded data set, a deadline for the whole run. Exit 1
when a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx

from benchmarks.server import serve

UPLOADS = 20
ROWS = 10_000
LOOKUPS = 50
LOOKUP_ACCOUNTS = 5  # 10 look-ups each: inside the per-account limit, which stays on
DEADLINE = 600.0  # seconds for the whole run
PERIOD = "2026-T1"


def _lists(folder: Path) -> tuple[list[tuple[str, Path]], list[str]]:
    """One seeded list per kecamatan of Kota Medan, and NIKs to look up (some in the lists, some not)."""
    from sample_data.generate import generate_list, kecamatan_codes, write_list

    kecamatan = kecamatan_codes("1271")[:UPLOADS]
    if len(kecamatan) < UPLOADS:
        raise SystemExit(f"only {len(kecamatan)} kecamatan codes for {UPLOADS} uploads")
    out, niks = [], []
    for i, kode in enumerate(kecamatan):
        frame = generate_list("pkh", ROWS, seed=7000 + i, kecamatan=kode).frame
        path = folder / f"pkh_{kode}.csv"
        write_list(frame, path)
        out.append((kode, path))
        niks += [n for n in frame["NIK"].to_list()[:50] if n and n.isdigit() and len(n) == 16][:2]
    niks += [f"1271{i:012d}" for i in range(LOOKUPS)]  # unknown people: the same work, no events
    return out, niks[:LOOKUPS]


def _accounts(store: Path, kecamatan: list[str]) -> tuple[dict[str, str], list[str]]:
    from api.accounts import create_user
    from validator.store import Store

    with Store(store) as db:
        operators = {k: create_user(db, f"Operator {k}", "operator", k)[1] for k in kecamatan}
        council = [create_user(db, f"Anggota DPRD {i}", "council")[1] for i in range(LOOKUP_ACCOUNTS)]
    return operators, council


def _upload(url: str, token: str, path: Path, stop_at: float) -> dict:
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, timeout=120) as c:
        t0 = time.perf_counter()
        with path.open("rb") as fh:
            r = c.post("/api/v1/submissions", headers=auth, files={"file": (path.name, fh)},
                       data={"program": "pkh", "period": PERIOD})
        accepted = time.perf_counter() - t0
        if r.status_code != 202:
            return {"ok": False, "why": f"upload {r.status_code}: {r.text[:200]}"}
        sent = r.json()
        while time.monotonic() < stop_at:
            job = c.get(f"/api/v1/jobs/{sent['job_id']}", headers=auth).json()
            if job["state"] in ("done", "failed"):
                break
            time.sleep(0.25)
        else:
            return {"ok": False, "why": "deadline", **sent}
        ready = time.perf_counter() - t0
        page = c.get(f"/api/v1/submissions/{sent['submission_id']}", params={"per_page": 1}, headers=auth)
        rows = page.json()["summary"]["rows"] if page.status_code == 200 else None
        return {"ok": job["state"] == "done" and rows == ROWS, "why": job.get("error") or f"rows {rows}",
                "accepted_s": accepted, "ready_s": ready, **sent}


def _lookup(url: str, token: str, nik: str) -> dict:
    with httpx.Client(base_url=url, timeout=60) as c:
        t0 = time.perf_counter()
        r = c.get("/api/v1/lookup", params={"nik": nik}, headers={"Authorization": f"Bearer {token}"})
        return {"ok": r.status_code == 200, "why": r.status_code, "ms": (time.perf_counter() - t0) * 1000}


def _store_counts(store: Path, sids: list[str]) -> dict:
    from validator.store import Store, run

    with Store(store, read_only=True) as db:
        subs = run(db.con, "SELECT id, state, rows, superseded_by FROM submissions")
        per = dict(run(db.con, "SELECT submission_id, count(*) FROM row_results GROUP BY 1"))
        jobs = dict(run(db.con, "SELECT state, count(*) FROM jobs GROUP BY 1"))
        lookups = run(db.con, "SELECT count(*) FROM lookups")[0][0]
    ids = [s[0] for s in subs]
    return {
        "submissions": len(subs), "distinct": len(set(ids)), "same_ids": sorted(ids) == sorted(sids),
        "complete": sum(s[1] == "complete" for s in subs), "superseded": sum(s[3] is not None for s in subs),
        "rows_match": all(per.get(i) == r == ROWS for i, _, r, _ in subs), "jobs": jobs, "lookups": lookups,
    }


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]


def main() -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.load")
    ap.parse_args()
    stop_at = time.monotonic() + DEADLINE
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lists, niks = _lists(folder)
        operators, council = _accounts(folder / "store.duckdb", [k for k, _ in lists])
        proc, url = serve(folder / "store.duckdb", folder / "files")
        try:
            t0 = time.perf_counter()
            with ThreadPoolExecutor(UPLOADS + LOOKUPS) as pool:
                ups = [pool.submit(_upload, url, operators[k], p, stop_at) for k, p in lists]
                looks = [pool.submit(_lookup, url, council[i % LOOKUP_ACCOUNTS], nik) for i, nik in enumerate(niks)]
                uploads = [f.result() for f in ups]
                lookups = [f.result() for f in looks]
            wall = time.perf_counter() - t0
            alive = httpx.get(url + "/api/v1/jobs/x", timeout=10).status_code == 401
        finally:
            proc.terminate()
            proc.wait(60)
        counts = _store_counts(folder / "store.duckdb", [u.get("submission_id") for u in uploads])

    failures = [u["why"] for u in uploads if not u["ok"]] + [f"lookup {x['why']}" for x in lookups if not x["ok"]]
    expected = {"submissions": UPLOADS, "distinct": UPLOADS, "same_ids": True, "complete": UPLOADS,
                "superseded": 0, "rows_match": True, "jobs": {"done": UPLOADS}, "lookups": LOOKUPS}
    failures += [f"store {k}: {counts[k]} (expected {v})" for k, v in expected.items() if counts[k] != v]
    if not alive:
        failures.append("server not answering after the run")
    ready = [u["ready_s"] for u in uploads if u["ok"]]
    accepted = [u["accepted_s"] for u in uploads if u["ok"]]
    ms = [x["ms"] for x in lookups if x["ok"]]
    figures = {
        "uploads": UPLOADS, "rows_each": ROWS, "lookups": LOOKUPS, "wall_s": round(wall, 2),
        "rows_per_s": round(UPLOADS * ROWS / wall), "upload_accepted_p95_s": round(pct(accepted, 0.95), 3) if accepted else None,
        "ready_p50_s": round(statistics.median(ready), 2) if ready else None,
        "ready_max_s": round(max(ready), 2) if ready else None,
        "lookup_p50_ms": round(statistics.median(ms), 1) if ms else None,
        "lookup_p95_ms": round(pct(ms, 0.95), 1) if ms else None, "lookup_max_ms": round(max(ms), 1) if ms else None,
        "store": counts, "ok": not failures, "failures": failures[:10],
    }
    print(f"{UPLOADS} uploads of {ROWS:,} rows and {LOOKUPS} look-ups at once: all validated in {wall:.1f} s "
          f"({figures['rows_per_s']:,} rows/s); upload accepted p95 {figures['upload_accepted_p95_s']} s, "
          f"ready p50 {figures['ready_p50_s']} s / max {figures['ready_max_s']} s; look-up p50 "
          f"{figures['lookup_p50_ms']} ms, p95 {figures['lookup_p95_ms']} ms", file=sys.stderr)
    for f in failures:
        print("FAIL", f, file=sys.stderr)
    print(json.dumps(figures))
    return 0 if not failures else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
