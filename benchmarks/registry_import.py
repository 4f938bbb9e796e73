"""Time `import_registry` on a seeded registry CSV: `python -m benchmarks.registry_import [--rows N]`."""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
TARGET_SECONDS = {20_000_000: 120.0}  # the target of the registry-import issue (2-core machine)


def _write(path: Path, rows: int, seed: int) -> None:
    from sample_data.generate import write_registry

    tmp = path.with_suffix(".partial.csv")
    write_registry(tmp, rows, seed)
    tmp.rename(path)  # an interrupted run never leaves a short file under the real name


def ensure_registry(rows: int, seed: int) -> Path:
    """The extract, generated once; in a child process so its memory is not counted below."""
    DATA.mkdir(exist_ok=True)
    path = DATA / f"registry_{rows}.csv"
    if not path.exists():
        t0 = time.perf_counter()
        child = multiprocessing.get_context("spawn").Process(target=_write, args=(path, rows, seed))
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit(f"generating {path.name} failed")
        print(f"generated {path.name} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.registry_import", description=__doc__)
    ap.add_argument("--rows", type=int, default=20_000_000)
    ap.add_argument("--seed", type=int, default=20260102)
    a = ap.parse_args(argv)
    path = ensure_registry(a.rows, a.seed)

    from validator.registry import import_registry
    from validator.store import Store

    with tempfile.TemporaryDirectory(dir=DATA) as tmp:
        with Store(Path(tmp) / "bench.duckdb") as store:
            t0 = time.perf_counter()
            report = import_registry(path, store)
            seconds = time.perf_counter() - t0
            stored = store.con.execute("SELECT count(*) FROM registry").fetchone()[0]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    size_mb = path.stat().st_size / 1e6
    print(f"{path.name}: {report.rows:,} rows ({size_mb:,.0f} MB), {stored:,} stored")
    print(f"import_registry: {seconds:.1f} s (check {report.timings.get('check', 0):.1f} s, "
          f"insert {report.timings.get('import', 0):.1f} s), {report.rows / seconds:,.0f} rows/s")
    print(f"peak RSS: {peak_mb:,.0f} MB")
    target = TARGET_SECONDS.get(a.rows)
    if target:
        print(f"target {target:.0f} s: {'PASS' if seconds <= target else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
