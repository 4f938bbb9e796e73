"""Do the benchmark peers check what our engine checks? Needs the bench extra (pandas, pandera,
great-expectations), so it is not part of `make test`:

    python -m benchmarks.check_peers [--rows 2000] [--seed 4242] [--error-rate 0.2]

On a generated list (sample_data.generate) it asserts that GX, pandera and our engine report the
same number of failing rows for every core check (benchmarks/peers.py), and that the peers' NIK date
expression accepts exactly the DDMMYY values our engine accepts (all 1,000,000 of them).
"""

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

# Our reason codes for each core check (one problem, one finding: see benchmarks/peers.py).
OURS = {
    "nik_16": ("NIK_KOSONG", "NIK_FORMAT", "NIK_EXCEL"),
    "nik_tanggal": ("NIK_TANGGAL",),
    "nik_wilayah": ("NIK_WILAYAH",),
    "rekening_panjang": ("REKENING_PANJANG",),
    "ganda_nik": ("GANDA_NIK",),
    "ganda_rekening": ("GANDA_REKENING",),
}
TODAY = dt.date(2026, 11, 22)


def ours(path: Path) -> dict[str, int]:
    import polars as pl

    from validator.engine import validate

    outcome = validate(path, "pkh", kecamatan="127117", today=TODAY)
    f = outcome.findings
    out = {"rows": outcome.rows.height}
    for check, codes in OURS.items():
        out[check] = f.filter(pl.col("code").is_in(codes))["_idx"].n_unique()
    return out


def check_date_expression() -> None:
    """The peers' DDMMYY expression against our engine's NIK date rule, on every six digits."""
    import pandas as pd
    import polars as pl

    from benchmarks.peers import NIK_WITH_DATE
    from validator.normalize import nik_date_parts

    six = pl.int_range(0, 1_000_000, eager=True).cast(pl.String).str.zfill(6)
    niks = pl.select(pl.concat_str([pl.lit("127117"), six, pl.lit("0001")]).alias("n")).to_series()
    theirs = pd.Series(niks.to_list(), dtype="str").str.contains(NIK_WITH_DATE).to_numpy()
    valid = (niks.to_frame("n").select(nik_date_parts(pl.col("n")).struct.field("valid"))
             .to_series().to_numpy())
    differ = int((theirs != valid).sum())
    assert differ == 0, f"peers' NIK date expression differs from ours on {differ} of 1,000,000 DDMMYY"
    print(f"NIK date expression: agrees with ours on all 1,000,000 DDMMYY ({int(valid.sum()):,} valid)")


def check_bank_lengths() -> None:
    from benchmarks.peers import BANK_DIGITS
    from validator.rulebook import load_rules

    rules = load_rules()
    program = rules.program("pkh")
    ours_ = {b.name: b.digits for b in rules.banks if b.name in program.banks and b.digits}
    assert ours_ == {k: [v] for k, v in BANK_DIGITS.items()}, (ours_, BANK_DIGITS)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.check_peers")
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("--error-rate", type=float, default=0.2)
    a = ap.parse_args(argv)

    from benchmarks.peers import CHECKS, gx_core_checks, pandera_pandas_checks
    from sample_data.generate import make_list, write_list

    check_bank_lengths()
    check_date_expression()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"pkh_{a.rows}.csv"
        write_list(make_list("pkh", a.rows, seed=a.seed, error_rate=a.error_rate), path, "csv")
        results = {"ours": ours(path), "gx": gx_core_checks(path),
                   "pandera": pandera_pandas_checks(path)}

    names = list(results)
    print(f"{'check':<18}" + "".join(f"{n:>10}" for n in names))
    failed = []
    for check in ("rows", *CHECKS):
        values = [results[n][check] for n in names]
        print(f"{check:<18}" + "".join(f"{v:>10}" for v in values))
        if len(set(values)) != 1:
            failed.append(check)
    if failed:
        print(f"FAIL: the peers and our engine disagree on {', '.join(failed)}", file=sys.stderr)
        return 1
    if not all(results["ours"][c] for c in CHECKS):
        print("FAIL: the list has no failing row for some check; raise --error-rate", file=sys.stderr)
        return 1
    print("PASS: GX, pandera and our engine agree on every core check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
