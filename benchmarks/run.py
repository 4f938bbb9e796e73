"""`make bench`: generate seeded data, time every case in fresh processes, rewrite RESULTS.md."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
ROOT = HERE.parent


@dataclass
class Result:
    name: str
    rows: int
    times: list[float]
    peak_mb: float

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def ensure_list(rows: int, fmt: str) -> Path:
    """A seeded pkh list (about 10% of rows with one injected error each), made once."""
    DATA.mkdir(exist_ok=True)
    path = DATA / f"pkh_{rows}.{fmt}"
    if not path.exists():
        subprocess.run([sys.executable, "-m", "sample_data.generate", "--rows", str(rows), "--format", fmt,
                        "--program", "pkh", "--seed", "4242", "--error-rate", "0.1", "--out", str(path)],
                       check=True, cwd=ROOT)
    return path


def ensure_list_with_registry(rows: int, registry_rows: int) -> Path:
    """A seeded list and, beside it, a registry extract (Parquet) holding its people and others."""
    DATA.mkdir(exist_ok=True)
    path = DATA / f"pkh_{rows}_reg.csv"
    registry = path.with_name(path.stem + "_dtks.parquet")
    if not (path.exists() and registry.exists()):
        subprocess.run([sys.executable, "-m", "sample_data.generate", "--rows", str(rows), "--format", "csv",
                        "--program", "pkh", "--seed", "4243", "--error-rate", "0.1", "--out", str(path),
                        "--registry-rows", str(registry_rows), "--registry-out", str(registry)],
                       check=True, cwd=ROOT)
    return path


def run_case(case: str, path: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one run in a fresh process."""
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.cases", case, str(path)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"case {case} on {path.name} failed:\n{err}")
    return json.loads(out)["seconds"], usage.ru_maxrss / 1024


def measure(name: str, case: str, path: Path, rows: int, runs: int) -> Result:
    times, peak = [], 0.0
    for _ in range(runs):
        secs, mb = run_case(case, path)
        times.append(secs)
        peak = max(peak, mb)
    r = Result(name, rows, times, peak)
    print(f"{name:<34} {r.median:8.2f} s  ({min(times):.2f}–{max(times):.2f})  peak {peak:,.0f} MB", flush=True)
    return r


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(next(line for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    return {"cores": str(os.cpu_count()), "memory": mem, "cpu": cpu, "python": platform.python_version(),
            "os": platform.platform()}


def versions() -> str:
    names = ["polars", "python-calamine", "xlsxwriter", "duckdb", "rapidfuzz", "pydantic"]
    out = []
    for n in names:
        try:
            out.append(f"{n} {metadata.version(n)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(out)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="100,000 rows only, 3 runs (a smoke run)")
    args = ap.parse_args()
    runs = 3 if args.quick else args.runs
    big = 100_000 if args.quick else 1_000_000

    results: dict[str, Result] = {}
    for rows in sorted({100_000, big}):
        csv_path = ensure_list(rows, "csv")
        results[f"floor_{rows}"] = measure(f"floor: polars reads CSV, {rows:,}", "floor_csv", csv_path, rows, runs)
        results[f"engine_{rows}"] = measure(f"bansos: read + all checks, {rows:,}", "engine", csv_path, rows, runs)
        results[f"e2e_{rows}"] = measure(f"bansos: + result files, {rows:,}", "end_to_end", csv_path, rows,
                                         max(1, runs - 2))
    xlsx = ensure_list(100_000, "xlsx")
    results["xlsx_100000"] = measure("bansos: xlsx end to end, 100,000", "end_to_end", xlsx, 100_000, runs)
    registry_rows = 2_000_000 if args.quick else 20_000_000
    joined = ensure_list_with_registry(big, registry_rows)
    results["registry_join"] = measure(f"bansos: + registry of {registry_rows:,} (Parquet), {big:,}",
                                       "registry_join", joined, big, max(1, runs - 2))
    from benchmarks.registry_import import ensure_registry

    registry_csv = ensure_registry(registry_rows, 20260102)
    results["registry_import"] = measure(f"bansos registry import, CSV of {registry_rows:,}", "registry_import",
                                         registry_csv, registry_rows, 1)
    write_results(results, big, runs)


def write_results(results: dict[str, Result], big: int, runs: int) -> None:
    m = machine()
    ratio_big = results[f"engine_{big}"].median / results[f"floor_{big}"].median
    ratio_small = results["engine_100000"].median / results["floor_100000"].median
    xlsx = results["xlsx_100000"]
    engine_big = results[f"engine_{big}"]
    join = results["registry_join"]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}. "
        f"Median of {runs} runs (min–max), each in a fresh process; peak RSS of that process.",
        "",
        f"- Machine: {m['cores']} cores, {m['memory']}, {m['cpu']}; Python {m['python']}; {m['os']}",
        f"- Libraries: {versions()}",
        "- Data: seeded synthetic pkh lists from `sample_data.generate` (one kecamatan, about 10% of rows"
        " with one injected error each). Times are the work inside the process (imports excluded).",
        "",
        "| case | rows | median s | min–max s | peak MB |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in results.values():
        lines.append(f"| {r.name} | {r.rows:,} | {r.median:.2f} | {min(r.times):.2f}–{max(r.times):.2f} | {r.peak_mb:,.0f} |")
    lines += [
        "",
        "## Targets",
        "",
        "| target | measured | verdict |",
        "|---|---|---|",
        f"| read + all checks ≤ 3× floor at {big:,} rows | {ratio_big:.1f}× | {verdict(ratio_big <= 3)} |",
        f"| peak memory ≤ 3 GB at {big:,} rows | {engine_big.peak_mb:,.0f} MB | {verdict(engine_big.peak_mb <= 3072)} |",
        f"| 100,000-row xlsx end to end ≤ 8 s | {xlsx.median:.2f} s | {verdict(xlsx.median <= 8)} |",
        f"| list {big:,} × registry ({join.name.split('of ')[1].split(' ')[0]} rows) ≤ 15 s | {join.median:.2f} s "
        f"| {verdict(join.median <= 15)} |",
        f"| same, peak memory ≤ 6 GB | {join.peak_mb:,.0f} MB | {verdict(join.peak_mb <= 6144)} |",
        f"| registry import of a CSV ({results['registry_import'].rows:,} rows) ≤ 2 min | "
        f"{results['registry_import'].median:.1f} s | {verdict(results['registry_import'].median <= 120)} |",
        f"| (for reference) read + all checks / floor at 100,000 rows | {ratio_small:.1f}× | - |",
        "",
    ]
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text(encoding="utf-8").strip(), ""]
    (HERE / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"\nwrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
