"""The core checks written as a Dinsos data team would write them in the tools they would otherwise
use: Great Expectations (GX Core 1.x) on pandas, and pandera on pandas. Benchmark peers only.

Core checks (the same meaning in every peer, and as our engine has them):

- ``nik_16``: NIK is exactly 16 digits (ours: NIK_KOSONG, NIK_FORMAT, NIK_EXCEL);
- ``nik_tanggal``: digits 7-12 of a 16-digit NIK are a date DDMMYY, day 01-31 or 41-71 (women),
  month 01-12, the day existing in the month (29 February when YY % 4 == 0) (ours: NIK_TANGGAL);
- ``nik_wilayah``: digits 1-2 of a 16-digit NIK are a province and digits 1-4 a kabupaten/kota of
  the Kemendagri list, every version of it (validator/data/wilayah.parquet, levels 1 and 2)
  (ours: NIK_WILAYAH);
- ``rekening_panjang``: the account of a BRI/MANDIRI/BNI/BTN/BSI row has that bank's length; only
  accounts of digits that are not placeholders are judged (ours: REKENING_PANJANG; an empty account,
  one with letters, or a placeholder has a finding of its own there);
- ``ganda_nik``: a 16-digit NIK on more than one row, every such row (ours: GANDA_NIK);
- ``ganda_rekening``: an account held under more than one NIK, among rows with a 16-digit NIK and a
  clean account (ours: GANDA_REKENING).

Each function returns {check: failing rows}, plus "rows". Reading the CSV is part of each run, as it
is of ours. pandas, pandera and great_expectations are imported here only (and only by
benchmarks.cases and benchmarks.check_peers): nothing in validator/ or api/ may import them.
"""

# No `from __future__ import annotations`: pandera reads the DataFrameModel's annotations, and the
# model is defined inside pandera_pandas_checks (so that importing this module imports no peer).
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WILAYAH = ROOT / "validator" / "data" / "wilayah.parquet"

NIK, BANK, ACCOUNT = "NIK", "Bank", "No Rekening"
CHECKS = ("nik_16", "nik_tanggal", "nik_wilayah", "rekening_panjang", "ganda_nik", "ganda_rekening")

# Account lengths per bank (rules/banks.yaml, the banks of the pkh program; check_peers compares).
BANK_DIGITS = {"BRI": 15, "MANDIRI": 13, "BNI": 10, "BTN": 16, "BSI": 10}

NIK_16 = r"^\d{16}$"
# DDMMYY with the women's day (+40), as one regular expression: every day 01-28 (41-68) in every
# month; 29 (69) in every month but February, and in February when YY % 4 == 0; 30 (70) in every
# month but February; 31 (71) in the months of 31 days.
_LEAP_YY = r"(?:[02468][048]|[13579][26])"
NIK_DATE = (
    r"(?:(?:0[1-9]|1\d|2[0-8]|4[1-9]|5\d|6[0-8])(?:0[1-9]|1[0-2])\d\d"
    rf"|(?:29|69)(?:(?:0[13-9]|1[0-2])\d\d|02{_LEAP_YY})"
    r"|(?:30|70)(?:0[13-9]|1[0-2])\d\d"
    r"|(?:31|71)(?:0[13578]|1[02])\d\d)"
)
NIK_WITH_DATE = rf"^\d{{6}}{NIK_DATE}\d{{4}}$"
ACCOUNT_DIGITS = r"^\d+$"

# Placeholder accounts (ours: REKENING_POLA): one digit repeated, or a straight run up or down of
# at least 5 digits from any start ("1234567890", "98765"). Listed up to 32 digits: far longer
# than any account, and a list lets both tools use a plain set-membership check.
_MAX_PLACEHOLDER = 32


def placeholder_accounts() -> list[str]:
    up, down = "0123456789" * 8, "9876543210" * 8
    out = {str(d) * n for d in range(10) for n in range(1, _MAX_PLACEHOLDER + 1)}
    for start in range(10):
        for n in range(5, _MAX_PLACEHOLDER + 1):
            out.add(up[start:start + n])
            out.add(down[9 - start:9 - start + n])
    return sorted(out)


def region_codes() -> tuple[list[str], list[str]]:
    """(province codes, kabupaten/kota codes): levels 1 and 2 of the Kemendagri list."""
    import pandas as pd

    t = pd.read_parquet(WILAYAH, columns=["kode", "level"])
    return (t.loc[t["level"] == 1, "kode"].tolist(), t.loc[t["level"] == 2, "kode"].tolist())


def read_list(path: str | Path):
    """The list as text, as pandas reads it: every column a string, empty cells as "".

    engine="pyarrow" (documented in pandas' read_csv) reads a million rows in about 1 s here where
    the default C engine takes about 4 s: the peers get the faster reader."""
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False, engine="pyarrow")


# --------------------------------------------------------------------------------------------
# Great Expectations (GX Core 1.x)
# --------------------------------------------------------------------------------------------


# COMPLETE gives the failing rows' indices; the values and the pandas query string it also builds
# by default are not needed here (both documented result_format options; about 0.6 s at 1M rows).
RESULT_FORMAT = {"result_format": "COMPLETE", "return_unexpected_index_query": False,
                 "exclude_unexpected_values": True}


def gx_core_checks(path: str | Path) -> dict[str, int]:
    """The core checks as an ExpectationSuite of built-in Expectations, validated through a
    Validation Definition on a whole-dataframe Batch of an ephemeral Data Context.

    GX judges each Expectation on its own, so "one problem, one finding" is applied afterwards to
    the unexpected row indices (result_format COMPLETE): a row whose NIK is not 16 digits is not
    also counted for its date, region or duplicates, and so on."""
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.expectations.row_conditions import Column

    table = read_list(path)
    provinces, kabupaten = region_codes()
    # Only the columns the suite checks go into the Batch: GX filters the whole frame again for
    # every conditional metric, and with all 12 columns the run takes 60% longer at 1M rows.
    df = table[[NIK, BANK, ACCOUNT]].copy()
    # GX has no "prefix is in a set" Expectation: the prefixes become columns of their own, then
    # ExpectColumnValuesToBeInSet checks them against the Kemendagri codes.
    df["NIK provinsi"] = df[NIK].str.slice(0, 2)
    df["NIK kabupaten"] = df[NIK].str.slice(0, 4)

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch_definition = (context.data_sources.add_pandas("daftar")
                        .add_dataframe_asset("pkh")
                        .add_batch_definition_whole_dataframe("seluruh"))
    suite = context.suites.add(gx.ExpectationSuite(name="inti"))
    expectations = {
        "nik_16": gxe.ExpectColumnValuesToMatchRegex(column=NIK, regex=NIK_16),
        "nik_date": gxe.ExpectColumnValuesToMatchRegex(column=NIK, regex=NIK_WITH_DATE),
        "nik_prov": gxe.ExpectColumnValuesToBeInSet(column="NIK provinsi", value_set=provinces),
        "nik_kab": gxe.ExpectColumnValuesToBeInSet(column="NIK kabupaten", value_set=kabupaten),
        "nik_unique": gxe.ExpectColumnValuesToBeUnique(column=NIK),
        "acct_digits": gxe.ExpectColumnValuesToMatchRegex(column=ACCOUNT, regex=ACCOUNT_DIGITS),
        "acct_placeholder": gxe.ExpectColumnValuesToNotBeInSet(column=ACCOUNT,
                                                               value_set=placeholder_accounts()),
        **{f"len_{bank}": gxe.ExpectColumnValueLengthsToEqual(
            column=ACCOUNT, value=digits, row_condition=Column(BANK) == bank)
           for bank, digits in BANK_DIGITS.items()},
        "acct_unique": gxe.ExpectColumnValuesToBeUnique(column=ACCOUNT),
    }
    for e in expectations.values():
        suite.add_expectation(e)
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name="validasi", data=batch_definition, suite=suite))
    result = validation.run(batch_parameters={"dataframe": df},
                            result_format=RESULT_FORMAT)

    rows_of: dict[str, set] = {}
    for name, e in expectations.items():
        r = next(x for x in result.results if x.expectation_config.id == e.id)
        rows_of[name] = set(r.result.get("unexpected_index_list") or [])
    bad_nik = rows_of["nik_16"]
    bad_acct = rows_of["acct_digits"] | rows_of["acct_placeholder"]
    length = set().union(*(rows_of[f"len_{b}"] for b in BANK_DIGITS)) - bad_acct
    return {
        "rows": len(table),
        "nik_16": len(bad_nik),
        "nik_tanggal": len(rows_of["nik_date"] - bad_nik),
        "nik_wilayah": len((rows_of["nik_prov"] | rows_of["nik_kab"]) - bad_nik),
        "rekening_panjang": len(length),
        "ganda_nik": len(rows_of["nik_unique"] - bad_nik),
        "ganda_rekening": len(rows_of["acct_unique"] - bad_acct - length - bad_nik),
    }


# --------------------------------------------------------------------------------------------
# pandera on pandas
# --------------------------------------------------------------------------------------------


def pandera_pandas_checks(path: str | Path) -> dict[str, int]:
    """The core checks as a pandera DataFrameModel, validated lazily (every failure collected).

    Built-in checks where pandera has one (str_matches); the others are vectorised custom checks
    (each takes the whole Series or DataFrame and returns a boolean Series, the form pandera's docs
    teach), never element-wise Python functions."""
    import pandas as pd
    import pandera.pandas as pa
    from pandera.typing.pandas import Series

    df = read_list(path)
    provinces, kabupaten = region_codes()
    placeholders = placeholder_accounts()

    def nik_ok(nik: pd.Series) -> pd.Series:
        return nik.str.fullmatch(r"\d{16}")

    def account_facts(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
        """(clean: digits and no placeholder, wrong length for its bank)."""
        acct, bank = frame[ACCOUNT], frame[BANK]
        clean = acct.str.fullmatch(r"\d+") & ~acct.isin(placeholders)
        n = acct.str.len()
        # One comparison per bank: Series.map(dict) on Arrow strings is ten times slower.
        wrong = pd.Series(False, index=frame.index)
        for name, digits in BANK_DIGITS.items():
            wrong |= (bank == name) & (n != digits)
        return clean, clean & wrong

    class DaftarPenerima(pa.DataFrameModel):
        nik: Series[str] = pa.Field(alias=NIK, str_matches=NIK_16)
        bank: Series[str] = pa.Field(alias=BANK)
        rekening: Series[str] = pa.Field(alias=ACCOUNT)

        @pa.check(NIK, name="nik_tanggal")
        def nik_tanggal(cls, nik: Series[str]) -> Series[bool]:
            return ~nik_ok(nik) | nik.str.fullmatch(NIK_WITH_DATE[1:-1])

        @pa.check(NIK, name="nik_wilayah")
        def nik_wilayah(cls, nik: Series[str]) -> Series[bool]:
            return ~nik_ok(nik) | (nik.str.slice(0, 2).isin(provinces)
                                   & nik.str.slice(0, 4).isin(kabupaten))

        @pa.check(NIK, name="ganda_nik")
        def ganda_nik(cls, nik: Series[str]) -> Series[bool]:
            return ~(nik_ok(nik) & nik.duplicated(keep=False))

        @pa.dataframe_check(name="rekening_panjang")
        def rekening_panjang(cls, frame: pd.DataFrame) -> Series[bool]:
            return ~account_facts(frame)[1]

        @pa.dataframe_check(name="ganda_rekening")
        def ganda_rekening(cls, frame: pd.DataFrame) -> Series[bool]:
            clean, wrong = account_facts(frame)
            pool = frame.loc[nik_ok(frame[NIK]) & clean & ~wrong, [ACCOUNT, NIK]]
            holders = pool.groupby(ACCOUNT, sort=False)[NIK].transform("nunique")
            return pd.Series(~frame.index.isin(pool.index[holders.to_numpy() > 1]), index=frame.index)

        class Config:
            strict = False

    try:
        DaftarPenerima.validate(df, lazy=True)
        failures = pd.DataFrame({"check": [], "index": []})
    except pa.errors.SchemaErrors as err:
        failures = err.failure_cases
    counts = failures.groupby("check")["index"].nunique().to_dict()
    builtin = next((c for c in counts if str(c).startswith("str_matches")), None)
    out = {"rows": len(df), "nik_16": int(counts.get(builtin, 0))}
    for name in CHECKS[1:]:
        out[name] = int(counts.get(name, 0))
    return out


__all__ = ["gx_core_checks", "pandera_pandas_checks", "CHECKS", "BANK_DIGITS", "NIK_DATE",
           "placeholder_accounts", "region_codes"]
