"""The README walk-through: two kecamatan, two programs that exclude each other, a registry, an
exclusion list and a resubmission. Seeded; writes sample_data/scenario/.

    python -m sample_data.scenario
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from sample_data.generate import generate_list, make_registry

OUT = Path(__file__).resolve().parent / "scenario"
MEDAN_BARU, MEDAN_SUNGGAL = "127117", "127102"


def _set(frame: pl.DataFrame, i: int, **values: str) -> pl.DataFrame:
    """The same frame with some cells of row i replaced."""
    cols = [pl.when(pl.int_range(pl.len()) == i).then(pl.lit(v)).otherwise(pl.col(c)).alias(c)
            for c, v in values.items()]
    return frame.with_columns(cols)


def _person(frame: pl.DataFrame, i: int) -> dict[str, str]:
    return frame.row(i, named=True)


def build(out: Path = OUT) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    mb = generate_list("pkh", 12, seed=7101, error_rate=0.0, kecamatan=MEDAN_BARU)
    ms = generate_list("pkh", 8, seed=7102, error_rate=0.0, kecamatan=MEDAN_SUNGGAL, seq_base=100)
    bst = generate_list("bst", 6, seed=7103, error_rate=0.0, kecamatan=MEDAN_SUNGGAL, seq_base=200,
                        cash_share=0.0)
    newcomer = generate_list("pkh", 1, seed=7104, error_rate=0.0, kecamatan=MEDAN_BARU, seq_base=300)

    # Step 1, Medan Baru PKH: one account short of a digit (data rows start at row 2).
    good_account = mb.frame["No Rekening"][1]
    pkh_mb = _set(mb.frame, 1, **{"No Rekening": good_account[:-1]})

    # Step 2, Medan Sunggal PKH: a person already on Medan Baru's list.
    moved = _person(mb.frame, 6)
    pkh_ms = _set(ms.frame, 0, **{**{k: moved[k] for k in ("NIK", "No KK", "Nama", "Tempat Lahir",
                                                            "Tanggal Lahir", "Jenis Kelamin")},
                                  "Kecamatan": "MEDAN SUNGGAL"})

    # Step 3, Medan Sunggal BST: one PKH recipient by NIK, one by family (same KK).
    twice = _person(mb.frame, 7)
    bst_ms = _set(bst.frame, 0, **{k: twice[k] for k in ("NIK", "No KK", "Nama", "Tempat Lahir",
                                                          "Tanggal Lahir", "Jenis Kelamin")})
    family_kk = mb.frame["No KK"][8]
    bst_ms = _set(bst_ms, 1, **{"No KK": family_kk})

    # Step 4, Medan Baru again: the account fixed, the deceased person removed, a newcomer added.
    pkh_mb_v2 = pl.concat([_set(mb.frame, 1, **{"No Rekening": good_account}).filter(
        pl.int_range(pl.len()) != 2), newcomer.frame])

    # The registry knows everyone, except row 4's person; row 3's person died; row 5 is desil 8.
    people = pl.concat([mb.truth(), ms.truth(), bst.truth(), newcomer.truth()]).unique("nik", keep="first",
                                                                                     maintain_order=True)
    mb_nik = mb.frame["NIK"]
    people = people.with_columns(
        pl.when(pl.col("nik") == mb_nik[2]).then(pl.lit("meninggal")).otherwise(pl.col("status")).alias("status"),
        pl.when(pl.col("nik") == mb_nik[3]).then(pl.lit(8, pl.Int8)).otherwise(pl.col("desil")).alias("desil"),
        pl.when(pl.col("nik") == bst.frame["NIK"][1]).then(pl.lit(family_kk)).otherwise(pl.col("no_kk"))
        .alias("no_kk"),
    ).filter(pl.col("nik") != mb_nik[4])
    registry = make_registry(200, seed=7105, kecamatan="1271", people=people)

    paths = {
        "registry": out / "dtks.csv",
        "exclusions": out / "pengecualian.csv",
        "step1": out / "1_pkh_medan_baru.csv",
        "step2": out / "2_pkh_medan_sunggal.csv",
        "step3": out / "3_bst_medan_sunggal.csv",
        "step4": out / "4_pkh_medan_baru_perbaikan.csv",
    }
    registry.write_csv(paths["registry"])
    pl.DataFrame({"nik": [mb_nik[5]], "kategori": ["ASN"], "keterangan": ["Guru PNS"]}).write_csv(paths["exclusions"])
    for key, frame in (("step1", pkh_mb), ("step2", pkh_ms), ("step3", bst_ms), ("step4", pkh_mb_v2)):
        frame.write_csv(paths[key])
    return paths


if __name__ == "__main__":
    for name, path in build().items():
        print(f"{name:<10} {path}")
