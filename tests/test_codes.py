"""Every per-list reason code: rows that fire it, and near misses that must not."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import codes_by_row, run_rows

OTHER = {"nik": "1271171506750002", "kk": "1271170101100002", "nama": "BUDI SANTOSO",
         "tgl": "15-06-1975", "jk": "L", "rek": "300201000987654"}
KUBE_MEMBER = [{"nik": f"12711715067{i}0003", "kk": f"127117010110{i}001", "nama": f"ANGGOTA {'ABCDEFGHIJKLMNOP'[i]}",
                "tgl": f"15-06-197{i}", "jk": "L", "rek": f"30020100012{i}507", "jabatan": "ANGGOTA",
                "kelompok": "KUBE MAWAR"} for i in range(1, 8)]


def kube_group(n: int, leaders: int = 1, name: str = "KUBE MAWAR") -> list[dict]:
    rows = [dict(m, kelompok=name) for m in KUBE_MEMBER[:n]]
    for r in rows[:leaders]:
        r["jabatan"] = "KETUA"
    return rows


# (id, code, program, rows, row indices that must carry the code; every other row must not)
CASES = [
    ("nik empty", "NIK_KOSONG", "pkh", [{"nik": ""}], [0]),
    ("nik dash only", "NIK_KOSONG", "pkh", [{"nik": "-"}], [0]),
    ("nik with spaces is fine", "NIK_KOSONG", "pkh", [{"nik": " 1271175506800001 "}], []),
    ("nik 15 digits", "NIK_FORMAT", "pkh", [{"nik": "127117550680001"}], [0]),
    ("nik letter O", "NIK_FORMAT", "pkh", [{"nik": "12711755068O0001"}], [0]),
    ("nik 17 digits", "NIK_FORMAT", "pkh", [{"nik": "12711755068000011"}], [0]),
    ("nik with dashes and dots is fine", "NIK_FORMAT", "pkh", [{"nik": "1271-1755.0680-0001"}], []),
    ("nik apostrophe is fine", "NIK_FORMAT", "pkh", [{"nik": "'1271175506800001"}], []),
    ("nik numeric ending 0", "NIK_EXCEL", "pkh", [{"nik": 1271175506800010}], [0]),
    ("nik scientific text", "NIK_EXCEL", "pkh", [{"nik": "1.27117E+15"}], [0]),
    ("nik scientific comma", "NIK_EXCEL", "pkh", [{"nik": "1,27117E+15"}], [0]),
    ("nik numeric not ending 0", "NIK_EXCEL", "pkh", [{"nik": 1271175506800001}], []),
    ("nik numeric ending 0 is not NIK_FORMAT", "NIK_FORMAT", "pkh", [{"nik": 1271175506800010}], []),
    ("nik unknown province", "NIK_WILAYAH", "pkh", [{"nik": "9971175506800001"}], [0]),
    ("nik unknown kabupaten", "NIK_WILAYAH", "pkh", [{"nik": "1299175506800001"}], [0]),
    ("nik old papua code valid", "NIK_WILAYAH", "pkh", [{"nik": "9101015506800001"}], []),
    # Kalimantan Utara's kabupaten were 64.xx until 2012: NIKs issued then keep 6404, 6473...
    ("nik kaltara code before 2013 valid", "NIK_WILAYAH", "pkh", [{"nik": "6473015506800001"}], []),
    ("nik kaltara kecamatan before 2013 valid", "NIK_KECAMATAN", "pkh", [{"nik": "6404015506800001"}], []),
    ("kk kaltara code before 2013 valid", "KK_WILAYAH", "pkh", [{"kk": "6405010101100022"}], []),
    # Kecamatan renumbered when their kabupaten was split (2012-2015): Pangandaran's were Ciamis
    # 32.07.20-28 and 36, Pesisir Barat's Lampung Barat 18.04.01..., Mahakam Ulu's Kutai Barat 64.07.01...
    ("nik kecamatan of a kabupaten split after 2012 valid", "NIK_KECAMATAN", "pkh",
     [{"nik": n} for n in ("3207225503700002", "1804015506800001", "6407015506800001", "3207365506800001")], []),
    ("nik unknown kecamatan", "NIK_KECAMATAN", "pkh", [{"nik": "1271995506800001"}], [0]),
    ("nik unknown province not kecamatan", "NIK_KECAMATAN", "pkh", [{"nik": "9971175506800001"}], []),
    ("nik day 32", "NIK_TANGGAL", "pkh", [{"nik": "1271173206800001", "tgl": ""}], [0]),
    ("nik day 72", "NIK_TANGGAL", "pkh", [{"nik": "1271177206800001", "tgl": ""}], [0]),
    ("nik 29 feb 01", "NIK_TANGGAL", "pkh", [{"nik": "1271172902010001", "tgl": "", "jk": "L"}], [0]),
    ("nik month 13", "NIK_TANGGAL", "pkh", [{"nik": "1271171513800001", "tgl": "", "jk": "L"}], [0]),
    ("nik 29 feb 00 leap", "NIK_TANGGAL", "pkh", [{"nik": "1271172902000001", "tgl": "", "jk": "L"}], []),
    ("nik female 29 feb 00", "NIK_TANGGAL", "pkh", [{"nik": "1271176902000001", "tgl": ""}], []),
    ("nik serial 0000", "NIK_URUT", "pkh", [{"nik": "1271175506800000"}], [0]),
    ("nik serial 0001", "NIK_URUT", "pkh", [{"nik": "1271175506800001"}], []),
    ("birth date differs", "NIK_TGL_LAHIR_BEDA", "pkh", [{"tgl": "16-06-1980"}], [0]),
    ("birth date same, Indonesian month", "NIK_TGL_LAHIR_BEDA", "pkh", [{"tgl": "15 Juni 1980"}], []),
    ("birth date invalid is not compared", "NIK_TGL_LAHIR_BEDA", "pkh", [{"tgl": "31-02-1980"}], []),
    ("sex differs", "NIK_JK_BEDA", "pkh", [{"jk": "L"}], [0]),
    ("sex same spelled out", "NIK_JK_BEDA", "pkh", [{"jk": "Perempuan"}], []),
    ("kk empty household", "KK_KOSONG", "pkh", [{"kk": ""}], [0]),
    ("kk empty individual program", "KK_KOSONG", "maghrib_mengaji", [{"kk": ""}], []),
    ("kk 15 digits", "KK_FORMAT", "pkh", [{"kk": "127117010110001"}], [0]),
    ("kk dotted is fine", "KK_FORMAT", "pkh", [{"kk": "1271.1701.0110.0001"}], []),
    ("kk numeric ending 0", "KK_EXCEL", "pkh", [{"kk": 1271170101100010}], [0]),
    ("kk numeric exact", "KK_EXCEL", "pkh", [{"kk": 1271170101100011}], []),
    ("kk unknown region", "KK_WILAYAH", "pkh", [{"kk": "9971170101100001"}], [0]),
    ("kk malformed is not region-checked", "KK_WILAYAH", "pkh", [{"kk": "99711701011"}], []),
    ("kk equals nik", "KK_SAMA_NIK", "pkh", [{"kk": "1271175506800001"}], [0]),
    ("kk differs from nik", "KK_SAMA_NIK", "pkh", [{}], []),
    ("name empty", "NAMA_KOSONG", "pkh", [{"nama": "  "}], [0]),
    ("name present", "NAMA_KOSONG", "pkh", [{"nama": "SITI"}], []),
    ("name dash", "NAMA_TIDAK_WAJAR", "pkh", [{"nama": "-"}], [0]),
    ("name digits", "NAMA_TIDAK_WAJAR", "pkh", [{"nama": "SITI 2"}], [0]),
    ("name NN", "NAMA_TIDAK_WAJAR", "pkh", [{"nama": "NN"}], [0]),
    ("name TIDAK ADA", "NAMA_TIDAK_WAJAR", "pkh", [{"nama": "tidak ada"}], [0]),
    ("name with titles", "NAMA_TIDAK_WAJAR", "pkh", [{"nama": "Hj. Siti Aminah, S.Pd"}], []),
    ("birth date impossible", "TGL_LAHIR_TIDAK_VALID", "pkh", [{"tgl": "31-02-1980"}], [0]),
    ("birth date words", "TGL_LAHIR_TIDAK_VALID", "pkh", [{"tgl": "kemarin"}], [0]),
    ("birth date future", "TGL_LAHIR_TIDAK_VALID", "pkh", [{"tgl": "15-06-2030"}], [0]),
    ("birth date 130 years ago", "TGL_LAHIR_TIDAK_VALID", "pkh", [{"tgl": "15-06-1890"}], [0]),
    ("birth date exactly 120 years ago", "TGL_LAHIR_TIDAK_VALID", "pkh", [{"tgl": "22-11-1906"}], []),
    ("birth date 120 years and a day", "TGL_LAHIR_TIDAK_VALID", "pkh", [{"tgl": "21-11-1906"}], [0]),
    ("two-digit year later this year is last century", "TGL_LAHIR_TIDAK_VALID", "pkh",
     [{"nik": "1271171512260001", "tgl": "15-12-26"}], []),
    ("birth date slashes 2-digit year", "TGL_LAHIR_TIDAK_VALID", "pkh", [{"tgl": "15/06/80"}], []),
    ("birth date ISO", "TGL_LAHIR_TIDAK_VALID", "pkh", [{"tgl": "1980-06-15"}], []),
    ("birth date 15-Jun-80", "TGL_LAHIR_TIDAK_VALID", "pkh", [{"tgl": "15-Jun-80"}], []),
    ("birth date excel serial", "NIK_TGL_LAHIR_BEDA", "pkh", [{"tgl": 29387}], []),
    ("birth date empty is no finding", "TGL_LAHIR_TIDAK_VALID", "pkh", [{"tgl": ""}], []),
    ("sex X", "JK_TIDAK_VALID", "pkh", [{"jk": "X"}], [0]),
    ("sex WANITA", "JK_TIDAK_VALID", "pkh", [{"jk": "WANITA"}], []),
    ("sex PR", "JK_TIDAK_VALID", "pkh", [{"jk": "Pr"}], []),
    ("too young kube", "USIA_TIDAK_MEMENUHI", "maghrib_mengaji",
     [{"nik": "1271175506150001", "tgl": "15-06-2015"}], [0]),
    ("too young from nik only", "USIA_TIDAK_MEMENUHI", "maghrib_mengaji",
     [{"nik": "1271175506150001", "tgl": ""}], [0]),
    ("just 17", "USIA_TIDAK_MEMENUHI", "maghrib_mengaji",
     [{"nik": "1271175506090001", "tgl": "15-06-2009"}], []),
    ("no age rule in pkh", "USIA_TIDAK_MEMENUHI", "pkh",
     [{"nik": "1271175506150001", "tgl": "15-06-2015"}], []),
    ("account empty transfer", "REKENING_KOSONG", "pkh", [{"rek": ""}], [0]),
    ("account empty cash allowed", "REKENING_KOSONG", "bst", [{"rek": "", "bank": ""}], []),
    ("account letter O", "REKENING_HURUF", "pkh", [{"rek": "30020100O123507"}], [0]),
    ("account with dashes", "REKENING_HURUF", "pkh", [{"rek": "3002-0100-0123-507"}], []),
    ("account too short", "REKENING_PANJANG", "pkh", [{"rek": "30020100012350"}], [0]),
    ("account Mandiri 13", "REKENING_PANJANG", "pkh", [{"bank": "Bank Mandiri", "rek": "1060012345987"}], []),
    ("account unknown length bank", "REKENING_PANJANG", "maghrib_mengaji", [{"bank": "Bank Sumut", "rek": "1234"}], []),
    ("account unknown bank not judged", "REKENING_PANJANG", "pkh", [{"bank": "BANK ANTAH", "rek": "1234"}], []),
    ("account numeric lost zero", "REKENING_EXCEL", "pkh", [{"bank": "BNI", "rek": 312345678}], [0]),
    ("account numeric 16 digits", "REKENING_EXCEL", "pkh", [{"bank": "BTN", "rek": 3002010001235070}], [0]),
    ("account numeric right length", "REKENING_EXCEL", "pkh", [{"rek": 300201000123507}], []),
    ("account numeric wrong is not PANJANG", "REKENING_PANJANG", "pkh", [{"bank": "BNI", "rek": 312345678}], []),
    ("account one digit", "REKENING_POLA", "pkh", [{"rek": "111111111111111"}], [0]),
    ("account straight run", "REKENING_POLA", "pkh", [{"rek": "123456789012345"}], [0]),
    ("account descending run", "REKENING_POLA", "bpnt", [{"bank": "BNI", "rek": "9876543210"}], [0]),
    ("account ordinary", "REKENING_POLA", "pkh", [{}], []),
    ("bank unknown", "BANK_TIDAK_DIKENAL", "pkh", [{"bank": "BANK ANTAH"}], [0]),
    ("bank not of program", "BANK_TIDAK_DIKENAL", "pkh", [{"bank": "Bank Sumut", "rek": "1234567890"}], [0]),
    # Other banks named like a program's: Bank Mandiri Taspen, Bank Raya (BRI Agro), a BPR.
    ("bank named like a program bank", "BANK_TIDAK_DIKENAL", "pkh",
     [{"bank": b} for b in ("Bank Mandiri Taspen", "BRI AGRO", "BPR BRI")], [0, 1, 2]),
    # KUBE pays through "any known" bank: the spec's table, not the banks known only by name.
    ("bank not paying under banks: any", "BANK_TIDAK_DIKENAL", "kube",
     [{"bank": b} for b in ("Bank Mandiri Taspen", "Bank Raya", "BPR", "BRI", "Bank Sumut")], [0, 1, 2]),
    ("bank initials written with dots", "BANK_TIDAK_DIKENAL", "pkh", [{"bank": b} for b in ("B.R.I", "B. R. I.")], []),
    ("bank empty with account", "BANK_TIDAK_DIKENAL", "bst", [{"bank": ""}], [0]),
    ("cash channel named on a cash row", "BANK_TIDAK_DIKENAL", "bst",
     [{"bank": b, "rek": ""} for b in ("PT POS INDONESIA", "Kantor Pos", "POS", "TUNAI", "PT. Pos Indonesia (Persero)")],
     []),
    ("cash channel written as one word", "BANK_TIDAK_DIKENAL", "bst", [{"bank": "Kantorpos", "rek": ""}], []),
    # The account cell saying there is none ("TUNAI", "BELUM ADA") is no account: no REKENING_HURUF,
    # and the cash channel named as the bank is no finding either.
    *[(f"no account: {rek}", code, "bst", [{"bank": "PT POS INDONESIA", "rek": rek}], [])
      for rek in ("TUNAI", "POS", "NON REKENING", "BELUM ADA", "Melalui PT Pos", "NIHIL")
      for code in ("REKENING_HURUF", "BANK_TIDAK_DIKENAL")],
    ("no account in a transfer program is empty", "REKENING_KOSONG", "pkh", [{"rek": "BELUM ADA"}], [0]),
    ("a number after POS is an account with letters", "REKENING_HURUF", "bst",
     [{"bank": "BSI", "rek": "POS 7140382915"}, {"bank": "BSI", "rek": "CASH 7140382916"}], [0, 1]),
    ("the cash channel as holder of a transfer row", "NAMA_REKENING_BEDA", "pkh",
     [{"Nama Rekening": "PT POS INDONESIA", "_extra_headers": ["Nama Rekening"]}], [0]),
    ("no account in a transfer program is no letters", "REKENING_HURUF", "pkh", [{"rek": "BELUM ADA"}], []),
    # Whole words only: a word that merely begins like one is letters in an account cell.
    ("a word beginning CASH or TUNAI is no such word", "REKENING_HURUF", "bst",
     [{"bank": "BSI", "rek": r} for r in ("CASHBACK", "TUNAIKAN", "POSITIF")], [0, 1, 2]),
    ("an account with letters is still one", "REKENING_HURUF", "bst", [{"rek": "30020100O123507"}], [0]),
    ("cash channel in a transfer program", "BANK_TIDAK_DIKENAL", "pkh", [{"bank": "PT POS INDONESIA"}], [0]),
    ("cash channel in a group program paid to accounts", "BANK_TIDAK_DIKENAL", "kube",
     [dict(m, bank="PT POS INDONESIA", rek="") for m in kube_group(5)], [0, 1, 2, 3, 4]),
    ("cash channel with an account", "BANK_TIDAK_DIKENAL", "bst", [{"bank": "PT POS INDONESIA"}], [0]),
    ("a word beginning POS is no channel", "BANK_TIDAK_DIKENAL", "bst", [{"bank": "POSITIF BANK", "rek": ""}], [0]),
    ("bank full legal name", "BANK_TIDAK_DIKENAL", "pkh", [{"bank": "PT. Bank Rakyat Indonesia (Persero) Tbk"}], []),
    ("bank with branch", "BANK_TIDAK_DIKENAL", "pkh", [{"bank": "BRI Unit Medan Baru"}], []),
    ("bank ex BRIS is BSI", "BANK_TIDAK_DIKENAL", "pkh", [{"bank": "BRI Syariah", "rek": "7123456789"}], []),
    ("holder name differs", "NAMA_REKENING_BEDA", "pkh",
     [{"Nama Rekening": "JOKO SUSILO", "_extra_headers": ["Nama Rekening"]}], [0]),
    ("holder name with title and old spelling", "NAMA_REKENING_BEDA", "pkh",
     [{"nama": "SUKARNO", "Nama Rekening": "Drs. Soekarno", "_extra_headers": ["Nama Rekening"],
       "nik": "1271171506800001", "jk": "L"}], []),
    # Part of the name is not the name: the surname alone is often a relative's account.
    ("the cash channel as holder of a cash row", "NAMA_REKENING_BEDA", "bst",
     [{"bank": "PT POS INDONESIA", "rek": "", "Nama Rekening": "PT POS INDONESIA", "_extra_headers": ["Nama Rekening"]}],
     []),
    ("holder is only the surname", "NAMA_REKENING_BEDA", "pkh",
     [{"Nama Rekening": "AMINAH", "_extra_headers": ["Nama Rekening"]}], [0]),
    ("holder another first name", "NAMA_REKENING_BEDA", "pkh",
     [{"Nama Rekening": "SITI AISYAH", "_extra_headers": ["Nama Rekening"]}], [0]),
    ("holder with an initial and doubled letters", "NAMA_REKENING_BEDA", "pkh",
     [{"nama": "SITI AMINAH NASUTION", "Nama Rekening": "SITI AMMINAH N", "_extra_headers": ["Nama Rekening"]}], []),
    ("amount letter", "NOMINAL_TIDAK_VALID", "pkh", [{"nominal": "600.00o"}], [0]),
    ("amount negative", "NOMINAL_TIDAK_VALID", "pkh", [{"nominal": "-600.000"}], [0]),
    ("amount zero", "NOMINAL_TIDAK_VALID", "pkh", [{"nominal": "0"}], [0]),
    ("amount Rp with cents", "NOMINAL_TIDAK_VALID", "pkh", [{"nominal": "Rp. 600.000,00"}], []),
    ("amount in words of thousands and millions", "NOMINAL_TIDAK_VALID", "pkh",
     [{"nominal": n} for n in ("Rp600rb", "600 ribu", "600K", "1,2 jt", "1,5 juta")], []),
    ("amount of only a word", "NOMINAL_TIDAK_VALID", "pkh", [{"nominal": n} for n in ("rb", "jt", "600,")], [0, 1, 2]),
    ("amount off step", "NOMINAL_TIDAK_SESUAI", "pkh", [{"nominal": "610000"}], [0]),
    ("amount above max", "NOMINAL_TIDAK_SESUAI", "pkh", [{"nominal": "3.025.000"}], [0]),
    ("amount on step", "NOMINAL_TIDAK_SESUAI", "pkh", [{"nominal": "Rp 625.000"}], []),
    ("amount not allowed bpnt", "NOMINAL_TIDAK_SESUAI", "bpnt", [{"nominal": "300000"}], [0]),
    ("amount allowed bpnt", "NOMINAL_TIDAK_SESUAI", "bpnt", [{"nominal": "400,000"}], []),
    ("amount in words compared as its value", "NOMINAL_TIDAK_SESUAI", "bpnt",
     [{"nominal": "400rb"}, {"nominal": "300 ribu"}], [1]),
    ("other kecamatan", "KECAMATAN_BEDA", "pkh", [{"kec": "Medan Sunggal"}], [0]),
    ("own kecamatan with prefix", "KECAMATAN_BEDA", "pkh", [{"kec": "Kec. Medan Baru"}], []),
    ("own kecamatan as code", "KECAMATAN_BEDA", "pkh", [{"kec": "12.71.17"}], []),
    ("own kecamatan, name and code", "KECAMATAN_BEDA", "pkh", [{"kec": "Medan Baru (127117)"}, {"kec": "12.71.17 - Medan Baru"}], []),
    ("own kecamatan with its kota or kelurahan", "KECAMATAN_BEDA", "pkh",
     [{"kec": k} for k in ("Medan Baru Kota Medan", "MEDAN BARU - KOTA MEDAN", "Kecamatan Medan Baru, Kota Medan",
                           "12.71.17.1001", "Medan Baru / Padang Bulan")], []),
    ("another kecamatan with its kota", "KECAMATAN_BEDA", "pkh", [{"kec": "Medan Sunggal, Kota Medan"}], [0]),
    ("two kecamatan in one cell are none", "KECAMATAN_BEDA", "pkh", [{"kec": "Medan Baru / Medan Selayang"}], [0]),
    # Kelurahan Merdeka lies in Medan Baru (Kecamatan Merdeka is in Karo): the cell is the sender's.
    ("own kelurahan named like a kecamatan elsewhere", "KECAMATAN_BEDA", "pkh",
     [{"kec": "Merdeka, Medan Baru"}, {"kec": "Merdeka / Medan Baru"}, {"kec": "Medan Baru (Merdeka)"}], []),
    ("Kecamatan Merdeka of Karo alone is another", "KECAMATAN_BEDA", "pkh", [{"kec": "Merdeka, Karo"}], [0]),
    ("a kecamatan with KOTA in its name, with its kota", "KECAMATAN_BEDA", "pkh",
     [{"kec": k} for k in ("Medan Baru - Medan", "MEDAN BARU KOTA MEDAN")], []),
    # A kelurahan named like a kecamatan elsewhere (Merdeka) beside its own kecamatan: not judged.
    ("a kelurahan before its kecamatan", "WILAYAH_DI_LUAR_PROGRAM", "maghrib_mengaji",
     [{"kec": "Merdeka, Medan Baru"}, {"kec": "Merdeka / Medan Baru"}], []),
    ("another name beside the own code", "KECAMATAN_BEDA", "pkh", [{"kec": "Medan Sunggal (127117)"}], [0]),
    ("another code beside the own name", "KECAMATAN_BEDA", "pkh", [{"kec": "Medan Baru (12.71.02)"}], [0]),
    ("outside Kota Medan", "WILAYAH_DI_LUAR_PROGRAM", "maghrib_mengaji", [{"kec": "Percut Sei Tuan"}], [0]),
    ("inside Kota Medan", "WILAYAH_DI_LUAR_PROGRAM", "maghrib_mengaji", [{"kec": "Medan Sunggal"}], []),
    ("outside, written with its kabupaten", "WILAYAH_DI_LUAR_PROGRAM", "maghrib_mengaji",
     [{"kec": k} for k in ("Percut Sei Tuan, Deli Serdang", "Kec. Percut Sei Tuan Kab. Deli Serdang",
                           "PERCUT SEI TUAN - DELI SERDANG")], [0, 1, 2]),
    ("pkh has no area", "WILAYAH_DI_LUAR_PROGRAM", "pkh", [{"kec": "Percut Sei Tuan"}], []),
    ("group too small", "KELOMPOK_TIDAK_SESUAI", "kube", kube_group(4), [0, 1, 2, 3]),
    ("group two leaders", "KELOMPOK_TIDAK_SESUAI", "kube", kube_group(5, leaders=2), [0, 1, 2, 3, 4]),
    ("group fine", "KELOMPOK_TIDAK_SESUAI", "kube", kube_group(5), []),
    # Five rows, four people (one listed twice): too small; the same ketua twice is one ketua.
    ("group one person twice", "KELOMPOK_TIDAK_SESUAI", "kube", kube_group(4) + [kube_group(4)[3]],
     [0, 1, 2, 3, 4]),
    ("group ketua twice is one ketua", "KELOMPOK_TIDAK_SESUAI", "kube", kube_group(6) + [kube_group(6)[0]], []),
    ("same nik twice", "GANDA_NIK", "pkh", [{}, {"kk": "1271170101100002"}], [0, 1]),
    ("different niks", "GANDA_NIK", "pkh", [{}, OTHER], []),
    ("same kk different nik", "GANDA_KK", "pkh", [{}, {**OTHER, "kk": "1271170101100001"}], [0, 1]),
    ("a kk that is a nik is not compared", "GANDA_KK", "pkh",
     [{"kk": "1271175506800001"}, {**OTHER, "kk": "1271175506800001"}], []),
    ("a kk of an unknown region is not compared", "GANDA_KK", "pkh",
     [{"kk": "9971170101100007"}, {**OTHER, "kk": "9971170101100007"}], []),
    ("same kk individual program", "GANDA_KK", "maghrib_mengaji", [{}, {**OTHER, "kk": "1271170101100001"}], []),
    ("same nik and kk is GANDA_NIK only", "GANDA_KK", "pkh", [{}, {}], []),
    ("same account different nik", "GANDA_REKENING", "pkh", [{}, {**OTHER, "rek": "300201000123507"}], [0, 1]),
    # KUBE is paid to the group's account (programs.md): its members may all give it.
    ("a group's account on its members", "GANDA_REKENING", "kube",
     [dict(m, rek="300201000123509") for m in kube_group(5)], []),
    ("one account for two groups", "GANDA_REKENING", "kube",
     [dict(m, rek="300201000123509") for m in kube_group(5)]
     + [dict(m, rek="300201000123509", nik=m["nik"][:-1] + "9", kk=m["kk"][:-1] + "9", nama=m["nama"] + " B")
        for m in kube_group(5, name="KUBE MELATI")], list(range(10))),
    ("a group's account held by the group", "NAMA_REKENING_BEDA", "kube",
     [dict(m, rek="300201000123509", **{"Nama Rekening": "KUBE MAWAR", "_extra_headers": ["Nama Rekening"]})
      for m in kube_group(5)], []),
    ("the group's bank named on the ketua's row only", "BANK_TIDAK_DIKENAL", "kube",
     [dict(m, rek="300201000123509", bank="BRI" if i == 0 else "") for i, m in enumerate(kube_group(5))], []),
    ("a member's own account without a bank", "BANK_TIDAK_DIKENAL", "kube",
     [dict(m, bank="BRI" if i else "") for i, m in enumerate(kube_group(5))], [0]),
    ("the group's account given once, held by the group", "NAMA_REKENING_BEDA", "kube",
     [dict(m, **({"Nama Rekening": "KUBE MAWAR", "rek": "300201000123509"} if i == 0 else {"Nama Rekening": m["nama"]}),
           _extra_headers=["Nama Rekening"]) for i, m in enumerate(kube_group(5))], []),
    ("the group's account held as KUBE and the group's name", "NAMA_REKENING_BEDA", "kube",
     [dict(m, **({"Nama Rekening": "KUBE MELATI", "rek": "300201000123509"} if i == 0 else {"Nama Rekening": m["nama"]}),
           _extra_headers=["Nama Rekening"]) for i, m in enumerate(kube_group(5, name="MELATI"))], []),
    ("a holder whose name begins with the group's", "NAMA_REKENING_BEDA", "kube",
     [dict(m, **{"Nama Rekening": "MAWARDI" if i == 4 else m["nama"], "_extra_headers": ["Nama Rekening"]})
      for i, m in enumerate(kube_group(5, name="MAWAR"))], [4]),
    ("two members sharing one account where the others give their own", "GANDA_REKENING", "kube",
     [dict(m, rek="300201000123504" if i >= 3 else m["rek"]) for i, m in enumerate(kube_group(5))], [3, 4]),
    ("a member's own account held by another", "NAMA_REKENING_BEDA", "kube",
     [dict(m, **{"Nama Rekening": "JOKO SUSILO" if i == 0 else m["nama"], "_extra_headers": ["Nama Rekening"]})
      for i, m in enumerate(kube_group(5))], [0]),
    ("same faulty account", "GANDA_REKENING", "pkh",
     [{"rek": "30020100O123507"}, {**OTHER, "rek": "30020100O123507"}], []),
    ("same name and birth date", "DUGAAN_GANDA", "pkh",
     [{}, {**OTHER, "nama": "Siti Aminah", "tgl": "15-06-1980", "jk": "P"}], [0, 1]),
    ("same name and date, different fathers", "DUGAAN_GANDA", "pkh",
     [{"nama": "SITI BINTI HASAN"}, {**OTHER, "nama": "Siti binti Umar", "tgl": "15-06-1980", "jk": "P"}], []),
    ("same name and date, one without the father", "DUGAAN_GANDA", "pkh",
     [{"nama": "SITI AMINAH BINTI HASAN"}, {**OTHER, "nama": "Siti Aminah", "tgl": "15-06-1980", "jk": "P"}], [0, 1]),
    ("same name, date and father", "DUGAAN_GANDA", "pkh",
     [{"nama": "SITI BINTI HASAN"}, {**OTHER, "nama": "Hj. Siti bt. Hasan", "tgl": "15-06-1980", "jk": "P"}], [0, 1]),
    ("same father written differently", "DUGAAN_GANDA", "pkh",
     [{"nama": "SITI BINTI M. YUSUF"}, {**OTHER, "nama": "Siti binti Muhammad Yusuf", "tgl": "15-06-1980", "jk": "P"}],
     [0, 1]),
    ("same father with a clan name", "DUGAAN_GANDA", "pkh",
     [{"nama": "SITI BINTI ABDULLAH"}, {**OTHER, "nama": "SITI BINTI ABDULLAH SIREGAR", "tgl": "15-06-1980",
                                        "jk": "P"}], [0, 1]),
    ("nik one digit apart, similar name", "DUGAAN_GANDA", "pkh",
     [{}, {**OTHER, "nik": "1271175506800007", "nama": "SITI AMINA", "tgl": "", "jk": "P"}], [0, 1]),
    ("nik one digit apart, other name", "DUGAAN_GANDA", "pkh",
     [{}, {**OTHER, "nik": "1271175506800007", "tgl": ""}], []),
]


@pytest.mark.parametrize("code,program,rows,fires", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_code(tmp_path, code, program, rows, fires):
    outcome = run_rows(tmp_path, program, rows)
    got = [i for i, codes in enumerate(codes_by_row(outcome)) if code in codes]
    assert got == fires, codes_by_row(outcome)


def test_related_rows_name_each_other(tmp_path):
    outcome = run_rows(tmp_path, "pkh", [{}, OTHER, {"kk": "1271170101100009"}])
    dup = outcome.findings.filter(code="GANDA_NIK").sort("_idx")
    assert dup["related"].to_list() == [[4], [2]]  # header on row 1: data rows 2, 3, 4


def test_one_problem_one_finding_for_bad_names(tmp_path):
    # An empty name is not also a holder-name mismatch or a probable duplicate.
    outcome = run_rows(tmp_path, "pkh", [{"nama": "", "Nama Rekening": "JOKO", "_extra_headers": ["Nama Rekening"]}])
    assert codes_by_row(outcome)[0] == {"NAMA_KOSONG"}


def test_holder_name_mismatch(tmp_path):
    rows = [{"Nama Rekening": "JOKO SUSILO", "_extra_headers": ["Nama Rekening"]},
            {**OTHER, "Nama Rekening": "Budi Santoso, S.Pd", "_extra_headers": ["Nama Rekening"]}]
    outcome = run_rows(tmp_path, "pkh", rows)
    assert ["NAMA_REKENING_BEDA" in c for c in codes_by_row(outcome)] == [True, False]


def test_outside_area_from_sender_when_no_column(tmp_path):
    from tests.conftest import TODAY, make_rows, write_csv
    from validator.engine import validate

    headers, body = make_rows("maghrib_mengaji", [{}])
    keep = [i for i, h in enumerate(headers) if h != "Kecamatan"]
    path = write_csv(tmp_path / "l.csv", [headers[i] for i in keep], [[r[i] for i in keep] for r in body])
    inside = validate(path, "maghrib_mengaji", kecamatan="12.71.17", today=TODAY)
    outside = validate(path, "maghrib_mengaji", kecamatan="12.07.02", today=TODAY)
    assert "WILAYAH_DI_LUAR_PROGRAM" not in set(inside.findings["code"])
    assert "WILAYAH_DI_LUAR_PROGRAM" in set(outside.findings["code"])


def test_bank_named_on_a_cash_row_is_still_judged_and_bank_codes_are_banks(tmp_path):
    from tests.conftest import codes_by_row, run_rows

    outcome = run_rows(tmp_path, "bst", [
        {"bank": "BCA", "rek": ""},  # bst may pay cash, but BCA is not a bank it pays through
        {"nik": "1271174506800002", "tgl": "05-06-1980", "kk": "1271170101100002", "nama": "RINA WATI",
         "bank": "", "rek": ""},  # cash, no bank named: nothing to judge
        {"nik": "1271174506800003", "tgl": "05-06-1980", "kk": "1271170101100003", "nama": "DEWI SARTIKA",
         "bank": "002", "rek": "300201000123523"}])  # BRI's bank code
    assert codes_by_row(outcome) == [{"BANK_TIDAK_DIKENAL"}, set(), set()]


def test_a_kecamatan_name_typed_without_its_spaces_is_found(tmp_path):
    from tests.conftest import codes_by_row, run_rows

    outcome = run_rows(tmp_path, "maghrib_mengaji", [{"kec": "PERCUT SEITUAN"}])
    assert codes_by_row(outcome) == [{"KECAMATAN_BEDA", "WILAYAH_DI_LUAR_PROGRAM"}]


@pytest.mark.parametrize(("today", "flagged"), [
    (dt.date(2026, 11, 29), True),   # born 30 Nov 2009 (NIK only): 16 until tomorrow
    (dt.date(2026, 11, 30), False),  # 17 today
])
def test_age_from_the_nik_uses_the_real_day_of_birth(tmp_path, today, flagged):
    outcome = run_rows(tmp_path, "maghrib_mengaji", [{"nik": "1271173011090001", "tgl": ""}], today=today)
    assert ("USIA_TIDAK_MEMENUHI" in codes_by_row(outcome)[0]) is flagged


def test_a_list_validated_on_29_february(tmp_path):
    outcome = run_rows(tmp_path, "pkh", [{"tgl": "29-02-1908"}, {"tgl": "28-02-1908"}], today=dt.date(2028, 2, 29))
    assert [("TGL_LAHIR_TIDAK_VALID" in c) for c in codes_by_row(outcome)] == [False, True]


@pytest.mark.parametrize(("program", "row", "code", "words"), [
    ("pkh", {"bank": ""}, "BANK_TIDAK_DIKENAL", "Nama bank kosong"),
    ("pkh", {"nik": "12711755068O0001"}, "NIK_FORMAT", "berisi huruf atau tanda selain angka"),
    ("pkh", {"nik": "127117550680001"}, "NIK_FORMAT", "(15 digit)"),
    ("pkh", {"kk": "12711701011O0001"}, "KK_FORMAT", "berisi huruf"),
    ("pkh", {"bank": "BANK ANTAH"}, "BANK_TIDAK_DIKENAL", "Bank 'BANK ANTAH' tidak dikenali"),
    ("pkh", {"rek": "3,00201E+14"}, "REKENING_HURUF", "notasi ilmiah"),
    ("pkh", {"rek": "30020100O123507"}, "REKENING_HURUF", "berisi huruf"),
    ("bst", {"bank": "BTN", "rek": 1234567812345678}, "REKENING_EXCEL", "dengan 16 digit"),
    ("bst", {"bank": "BRI", "rek": 30020100012350}, "REKENING_EXCEL", "angka 0 di depannya hilang"),
    # A digit too many in a number cell is no lost zero: the message must not say one was lost.
    ("pkh", {"bank": "BNI", "rek": 10293847561}, "REKENING_EXCEL", "panjangnya 11 digit, padahal rekening BNI harus 10"),
])
def test_messages_fit_the_case(tmp_path, program, row, code, words):
    outcome = run_rows(tmp_path, program, [row])
    found = outcome.findings.filter(code=code)
    assert found.height == 1 and words in found["message"][0], found["message"].to_list()
    assert "''" not in found["message"][0] and "  " not in found["message"][0]


def test_a_kube_member_without_a_group_name_is_told_so(tmp_path):
    rows = kube_group(5) + [dict(KUBE_MEMBER[5], kelompok="")]
    outcome = run_rows(tmp_path, "kube", rows)
    found = outcome.findings.filter(code="KELOMPOK_TIDAK_SESUAI")
    assert found["_idx"].to_list() == [5]
    assert found["message"][0].startswith("Nama kelompok kosong") and "  " not in found["message"][0]
    assert found["message_en"][0].startswith("The group name is empty")


def test_a_group_name_typed_on_its_first_row_only_covers_the_rows_below(tmp_path):
    # Two groups, each named once on its leader's row, the members' cells left blank.
    first = kube_group(5)
    second = [dict(m, nik=m["nik"][:-4] + "0009", kk=m["kk"][:-4] + "0009", rek=m["rek"][:-3] + "509",
                   nama=m["nama"] + " B") for m in kube_group(6, name="KUBE MELATI")]
    rows = [dict(r, kelompok=r["kelompok"] if i == 0 else "") for group in (first, second)
            for i, r in enumerate(group)]
    outcome = run_rows(tmp_path, "kube", rows)
    assert "KELOMPOK_TIDAK_SESUAI" not in set(outcome.findings["code"].to_list())
    # The same layout with a group one member short: its rows, and only they, are told so.
    outcome = run_rows(tmp_path, "kube", rows[:4] + rows[5:])
    found = outcome.findings.filter(code="KELOMPOK_TIDAK_SESUAI")
    assert sorted(found["_idx"].to_list()) == [0, 1, 2, 3]
    assert set(found["value"].to_list()) == {"KUBE MAWAR"}


def test_a_nameless_group_after_a_blank_row_is_not_taken_into_the_group_above(tmp_path):
    """Groups named on their first row only and separated by a blank row: a block below a blank
    row whose name was never typed is a group nobody named, not five more members of the group
    above (which would then look like a sound group of ten)."""
    from tests.conftest import KEYS

    first = kube_group(5)
    second = [dict(m, nik=m["nik"][:-4] + "0009", kk=m["kk"][:-4] + "0009", rek=m["rek"][:-3] + "509",
                   nama=m["nama"] + " B", jabatan="ANGGOTA") for m in kube_group(5)]
    blank = dict.fromkeys([*KEYS, "jabatan", "kelompok"], "")
    rows = [dict(r, kelompok=r["kelompok"] if i == 0 else "") for i, r in enumerate(first)]
    rows += [blank] + [dict(r, kelompok="") for r in second]
    outcome = run_rows(tmp_path, "kube", rows)
    found = outcome.findings.filter(code="KELOMPOK_TIDAK_SESUAI")
    assert sorted(found["_idx"].to_list()) == [5, 6, 7, 8, 9]
    assert all(m.startswith("Nama kelompok kosong") for m in found["message"].to_list())


@pytest.mark.parametrize("holder", ["TIDAK ADA", "-", "12345"])
def test_a_holder_cell_without_a_name_is_not_compared(tmp_path, holder):
    outcome = run_rows(tmp_path, "pkh", [{"Nama Rekening": holder, "_extra_headers": ["Nama Rekening"]}])
    assert "NAMA_REKENING_BEDA" not in codes_by_row(outcome)[0]


def _related(outcome, code):
    per = {}
    for idx, c, rel in outcome.findings.select("_idx", "code", "related").iter_rows():
        if c == code:
            per[idx] = rel
    return [per.get(i) for i in sorted(outcome.rows["_idx"].to_list())]


def test_probable_duplicate_one_digit_apart_names_every_row_of_a_repeated_nik(tmp_path):
    a = {"nik": "1271171103851791", "nama": "HENDRA GUNAWAN", "jk": "L", "tgl": "11-03-1985"}
    rows = [a, {**a, "rek": "300201000123509"}, {**a, "nik": "1271171103851794", "nama": "HENDRA GUNAWANN",
                                                 "tgl": "05-05-1975", "rek": "300201000123511"}]
    outcome = run_rows(tmp_path, "maghrib_mengaji", rows)
    assert _related(outcome, "DUGAAN_GANDA") == [[4], [4], [2, 3]]


def test_same_name_and_day_a_hundred_years_apart_is_not_a_probable_duplicate(tmp_path):
    rows = [{"nik": "1271174101254078", "nama": "SITI RAHMAH", "tgl": "01-01-1925"},
            {"nik": "1271174101258424", "nama": "SITI RAHMAH", "tgl": "01-01-2025", "kk": "1271170101100002",
             "rek": "300201000987654"}]
    assert "DUGAAN_GANDA" not in set(run_rows(tmp_path, "pkh", rows).findings["code"].to_list())
    rows[1]["tgl"] = ""  # the NIK's 010125 alone may be 1925: still a probable duplicate
    assert "DUGAAN_GANDA" in set(run_rows(tmp_path, "pkh", rows).findings["code"].to_list())


ZW, BOM, NNBSP = "\u200b", "\ufeff", "\u202f"


@pytest.mark.parametrize("row,codes", [
    # Invisible characters pasted from web pages, WhatsApp or a PDF are typing noise in every cell.
    ({"tgl": "15-06-1980" + ZW}, set()),
    ({"tgl": BOM + "15-06-1980"}, set()),
    ({"tgl": f"15{NNBSP}Juni 1980"}, set()),
    ({"nominal": ZW + "600.000"}, set()),
    ({"nominal": BOM + "600000"}, set()),
    ({"jk": "P" + ZW}, set()),
    ({"jk": BOM + "P"}, set()),
    ({"nama": "SITI" + ZW + " AMINAH"}, set()),
    ({"nama": ZW}, {"NAMA_KOSONG"}),
    # A dash alone is a cell not filled in (README), for a date, a sex, an amount, a bank.
    ({"tgl": "-"}, set()),
    ({"tgl": " \u2013 "}, set()),
    ({"nominal": "-"}, {"NOMINAL_TIDAK_VALID"}),  # Excel's accounting format shows zero as "-"
    ({"jk": "-"}, set()),
    # ISO date-times and a time with AM/PM, as exports write them.
    ({"tgl": "1980-06-15T00:00:00"}, set()),
    ({"tgl": "1980-06-15T00:00:00Z"}, set()),
    ({"tgl": "15/06/1980 8:30 AM"}, set()),
    ({"tgl": "'15-06-1980"}, set()),
    # Month spellings: abbreviation and the pre-1972 spelling of older documents.
    ({"tgl": "15 Djuni 1980"}, set()),
    ({"nik": "1271171208800001", "tgl": "12 Agust 1980"}, {"NIK_JK_BEDA"}),
    # Digits that are not 0-9 (full-width) are not an account a bank can take, and not a NIK.
    ({"rek": "３００２０１０００１２３５０７"}, {"REKENING_HURUF"}),
    ({"nik": "１２７１１７５５０６８００００１"}, {"NIK_FORMAT"}),
])
def test_pasted_and_unfilled_cells(tmp_path, row, codes):
    assert codes_by_row(run_rows(tmp_path, "pkh", [row]))[0] == codes



def test_an_account_in_full_width_digits_is_told_to_be_retyped_and_is_no_duplicate(tmp_path):
    wide = "".join(chr(ord(c) + 0xFEE0) for c in BASE_ACCOUNT)
    outcome = run_rows(tmp_path, "pkh", [{"rek": wide}, {**OTHER, "rek": BASE_ACCOUNT}])
    assert codes_by_row(outcome) == [{"REKENING_HURUF"}, set()]
    message = outcome.findings.filter(code="REKENING_HURUF")["message"][0]
    assert "bukan angka 0–9 biasa" in message and "keyboard" in message
    arabic = run_rows(tmp_path, "pkh", [{"nik": "١٢٧١١٧٥٥٠٦٨٠٠٠٠١"}])
    assert "bukan angka 0–9 biasa" in arabic.findings.filter(code="NIK_FORMAT")["message"][0]


BASE_ACCOUNT = "300201000123507"


@pytest.mark.parametrize("row,code,words", [
    ({"nik": "1271175506800001.0"}, "NIK_FORMAT", "angka desimal"),
    ({"kk": "1271170101100001.0"}, "KK_FORMAT", "angka desimal"),
    ({"rek": "300201000123507.0"}, "REKENING_PANJANG", "angka desimal"),
    # An Excel error value is a failed formula, not letters typed for digits.
    ({"nik": "#N/A"}, "NIK_FORMAT", "kesalahan rumus Excel"),
    ({"kk": " #REF! "}, "KK_FORMAT", "kesalahan rumus Excel"),
    ({"rek": "#VALUE!"}, "REKENING_HURUF", "kesalahan rumus Excel"),
])
def test_an_id_with_a_decimal_tail_or_an_excel_error_is_told_so(tmp_path, row, code, words):
    outcome = run_rows(tmp_path, "pkh", [row])
    found = outcome.findings.filter(code=code)
    assert found.height == 1 and words in found["message"][0], found["message"].to_list()
    assert "huruf O" not in found["message"][0]


def test_a_kube_list_without_a_jabatan_column_checks_sizes_and_says_so(tmp_path):
    from tests.conftest import make_rows, write_csv
    from validator.engine import validate

    headers, body = make_rows("kube", kube_group(5) + [dict(m, kelompok="KUBE MELATI") for m in KUBE_MEMBER[5:7]])
    keep = [i for i, h in enumerate(headers) if h != "Jabatan"]
    path = write_csv(tmp_path / "l.csv", [headers[i] for i in keep], [[r[i] for i in keep] for r in body])
    outcome = validate(path, "kube", kecamatan="127117", today=dt.date(2026, 11, 22))
    found = outcome.findings.filter(code="KELOMPOK_TIDAK_SESUAI")
    assert sorted(found["_idx"].to_list()) == [5, 6]  # KUBE MELATI has 2 members; KUBE MAWAR is fine
    assert found["message"][0].startswith("Kelompok KUBE MELATI beranggotakan 2 orang, padahal")
    assert any(w["code"] == "column_missing" and w["field"] == "jabatan" for w in outcome.listing.warnings)


def test_ka_kelompok_is_the_leader(tmp_path):
    rows = kube_group(5)
    rows[0]["jabatan"] = "Ka. Kelompok"
    assert "KELOMPOK_TIDAK_SESUAI" not in run_rows(tmp_path, "kube", rows).findings["code"].to_list()


def test_an_area_check_that_cannot_run_is_listed(tmp_path):
    outcome = run_rows(tmp_path, "maghrib_mengaji", [{}], kecamatan=None)
    # The test list has a kecamatan column: the check runs.
    assert "WILAYAH_DI_LUAR_PROGRAM" not in [s["check"] for s in outcome.checks_skipped]
    from tests.conftest import make_rows, write_csv
    from validator.engine import validate

    headers, body = make_rows("maghrib_mengaji", [{}])
    keep = [i for i, h in enumerate(headers) if h != "Kecamatan"]
    path = write_csv(tmp_path / "nokec.csv", [headers[i] for i in keep], [[r[i] for i in keep] for r in body])
    outcome = validate(path, "maghrib_mengaji", today=dt.date(2026, 11, 22))
    assert "WILAYAH_DI_LUAR_PROGRAM" in [s["check"] for s in outcome.checks_skipped]


def test_a_group_larger_than_the_rows_named_says_how_many_more(tmp_path):
    from validator.checks.ganda import MAX_RELATED

    outcome = run_rows(tmp_path, "pkh", [{}] * (MAX_RELATED + 10))
    last = outcome.findings.filter(code="GANDA_NIK").sort("_idx")[-1]
    assert last["related"][0].len() == MAX_RELATED
    assert last["message"][0].endswith(", dan 9 baris lainnya."), last["message"][0]
    assert last["message_en"][0].endswith(", and 9 more.")
    small = run_rows(tmp_path, "pkh", [{}, {}])
    assert "lainnya" not in small.findings.filter(code="GANDA_NIK")["message"][0]


def test_a_probable_duplicate_says_which_reason_holds(tmp_path):
    same = run_rows(tmp_path, "pkh", [{}, {**OTHER, "nama": "Siti Aminah", "tgl": "15-06-1980", "jk": "P"}])
    assert "nama dan tanggal lahirnya sama" in same.findings.filter(code="DUGAAN_GANDA")["message"][0]
    near = run_rows(tmp_path, "pkh", [{}, {**OTHER, "nik": "1271175506800007", "nama": "SITI AMINA", "tgl": "",
                                          "jk": "P"}])
    assert "hanya berbeda satu digit" in near.findings.filter(code="DUGAAN_GANDA")["message"][0]


def test_groups_written_one_after_another_under_a_name_line_are_checked(tmp_path):
    from tests.conftest import make_rows, write_xlsx
    from validator.engine import validate

    first = kube_group(5)
    second = [dict(m, nik=m["nik"][:-4] + "0009", kk=m["kk"][:-4] + "0009", rek=m["rek"][:-3] + "509",
                   nama=m["nama"] + " B") for m in kube_group(4, name="KUBE MELATI")]
    headers, body = make_rows("kube", first + second)
    k = headers.index("Nama Kelompok")
    headers = headers[:k] + headers[k + 1:]
    body = [r[:k] + r[k + 1:] for r in body]
    pad = [""] * (len(headers) - 1)
    lines = [["NAMA KELOMPOK : KUBE MAWAR", *pad], headers, *body[:5], ["", *pad],
             ["Nama Kelompok: KUBE MELATI", *pad], headers, *body[5:]]
    outcome = validate(write_xlsx(tmp_path / "kube.xlsx", ["DAFTAR CALON PENERIMA KUBE 2026", *pad], lines),
                       "kube", kecamatan="127117")
    assert outcome.rows.height == 9 and "nama_kelompok" in outcome.listing.present
    assert [(s["row"], s["why"]) for s in outcome.listing.skipped if s["why"] == "section"] == [(2, "section"), (10, "section")]
    found = outcome.findings.filter(code="KELOMPOK_TIDAK_SESUAI")
    assert set(found["value"].to_list()) == {"KUBE MELATI"} and found.height == 4  # four members: too few


def test_how_many_more_is_written_the_indonesian_way(tmp_path):
    """1.234, not 1234: the count of rows not named follows the Indonesian number style."""
    from validator.checks.ganda import MAX_RELATED

    outcome = run_rows(tmp_path, "pkh", [{}] * (MAX_RELATED + 1_235))
    last = outcome.findings.filter(code="GANDA_NIK").sort("_idx")[-1]
    assert last["message"][0].endswith(", dan 1.234 baris lainnya."), last["message"][0]
    assert last["message_en"][0].endswith(", and 1234 more.")


def test_a_date_column_written_month_first_is_read_so_and_said(tmp_path):
    """07/31/1998 and 12/25/1970 (a CSV saved with English settings): the column is month first,
    read so, and the result says it; a day-first column with one such slip stays day-first."""
    women = [{"nik": f"127117{d + 40:02d}{m:02d}{y % 100:02d}000{i}", "kk": f"127117010110000{i}",
              "tgl": f"{m:02d}/{d:02d}/{y}", "rek": f"30020100012350{i}"}
             for i, (d, m, y) in enumerate([(31, 7, 1968), (25, 12, 1970), (9, 7, 1960), (2, 1, 1980)], 1)]
    outcome = run_rows(tmp_path, "pkh", women)
    assert codes_by_row(outcome) == [set()] * 4
    assert "dates_month_first" in [w["code"] for w in outcome.listing.warnings]
    day_first = [dict(w, tgl=f"{w['tgl'][3:5]}-{w['tgl'][:2]}-{w['tgl'][6:]}") for w in women[:3]]
    slip = run_rows(tmp_path, "pkh", day_first + [dict(women[3], tgl="01/31/1980")])
    assert "dates_month_first" not in [w["code"] for w in slip.listing.warnings]
    assert codes_by_row(slip)[:3] == [set()] * 3 and "TGL_LAHIR_TIDAK_VALID" in codes_by_row(slip)[3]
    # Every day in the first part 12 or under, two slips: the NIKs say day-first, so it stays so.
    small = [{"nik": f"127117{d:02d}{m:02d}{y % 100:02d}000{i}", "kk": f"127117010110000{i}", "jk": "L",
              "tgl": tgl, "rek": f"30020100012350{i}"}
             for i, (d, m, y, tgl) in enumerate([(5, 6, 1980, "05/06/1980"), (7, 1, 1990, "07/01/1990"),
                                                 (5, 3, 1985, "05/13/1985"), (3, 4, 1970, "03/14/1970")], 1)]
    # Date cells saved as text month first (07/09/1960) beside dates typed day first (13-05-1980),
    # as LibreOffice writes a return workbook to CSV: each read its own way.
    mixed = [dict(w, tgl=f"{w['tgl'][3:5]}-{w['tgl'][:2]}-{w['tgl'][6:]}") if i >= 2 else w for i, w in enumerate(women)]
    both = run_rows(tmp_path, "pkh", mixed)
    assert codes_by_row(both) == [set()] * 4 and "dates_month_first" in [w["code"] for w in both.listing.warnings]
    kept = run_rows(tmp_path, "pkh", small)
    assert "dates_month_first" not in [w["code"] for w in kept.listing.warnings]
    assert codes_by_row(kept)[:2] == [set()] * 2 and all("TGL_LAHIR_TIDAK_VALID" in c for c in codes_by_row(kept)[2:])


def test_a_kecamatan_named_with_kota_and_its_kota_is_its_own(tmp_path):
    """Medan Kota (12.71.01) written 'Medan Kota - Medan' or 'MEDAN KOTA KOTA MEDAN' by its own
    operator: the KOTA inside the name is not where the kota begins."""
    from tests.conftest import make_rows, write_csv
    from validator.engine import validate

    rows = [{"kec": k} for k in ("Medan Kota - Medan", "Medan Kota / Kota Medan", "MEDAN KOTA KOTA MEDAN")]
    outcome = validate(write_csv(tmp_path / "l.csv", *make_rows("pkh", rows)), "pkh", kecamatan="127101",
                       today=dt.date(2026, 11, 22))
    assert "KECAMATAN_BEDA" not in set(outcome.findings["code"])


def test_kecamatan_names_holding_a_slash_and_cells_of_many_kota_words(monkeypatch):
    """Official names hold a '/' (Konda/Kondaga, Tiro/Truseb): split at commas and dashes first.
    A cell repeating KOTA looks each prefix up once: work linear in the cell, never exponential."""
    import importlib

    from validator.wilayah import load_regions

    prepare = importlib.import_module("validator.checks.prepare")  # (the package exports a function of that name)
    regions = load_regions()
    assert prepare.resolve_kecamatan(regions, "Konda/Kondaga Kab Tolikara", ["9504"]) == "950412"
    assert prepare.resolve_kecamatan(regions, "Tiro/Truseb", ["1107"]) == "110721"
    assert prepare.resolve_kecamatan(regions, "Tiro/Truseb - Pidie", ["1107"]) != "110716"
    calls = []
    looked_up = prepare._kecamatan_named
    monkeypatch.setattr(prepare, "_kecamatan_named", lambda *a: calls.append(a) or looked_up(*a))
    assert prepare.resolve_kecamatan(regions, "A KOTA " * 30 + "B", []) is None
    assert len(calls) <= 31


def test_a_kecamatan_name_finds_todays_code_before_the_one_it_had_before_a_split():
    """Pangandaran was Ciamis 32.07.22 until 2012 and is 32.18.09 now; Tanjung Selor was 64.04.05."""
    from validator.checks.prepare import resolve_kecamatan
    from validator.wilayah import load_regions

    regions = load_regions()
    assert {"320722", "321809"} <= regions.kecamatan and regions.name("320722") == "Pangandaran"
    assert resolve_kecamatan(regions, "Pangandaran", []) == "321809"
    # ... also for a sender of the kabupaten it was split from (Ciamis), where the retired code
    # would lie "near": a name is never read as a code retired before 2016.
    assert resolve_kecamatan(regions, "Pangandaran", ["3207"]) == "321809"
    assert resolve_kecamatan(regions, "Tanjung Selor", ["6404"]) == "650105"
    assert resolve_kecamatan(regions, "Bengkunat", ["1813"]) is None  # its 2013 name: unknown, not judged
    assert "320722" not in regions.named_kecamatan and "321809" in regions.named_kecamatan


def test_a_kecamatan_beside_its_kabupaten_named_like_a_kecamatan_there():
    """"Batee, Pidie": Batee is also a village in Kecamatan Pidie, but Pidie is first the kabupaten
    holding Kecamatan Batee; the cell is Batee. A village beside its kecamatan stays that kecamatan."""
    from validator.checks.prepare import resolve_kecamatan
    from validator.wilayah import load_regions

    regions = load_regions()
    assert resolve_kecamatan(regions, "Batee, Pidie", ["1107"]) == "110703"
    assert resolve_kecamatan(regions, "Winong, Kab. Pati", ["3318"]) == "331804"
    # Both readings fit "Winong, Pati" (Kec. Winong of Kab. Pati; desa Winong of Kec. Pati): the
    # sender's own kecamatan wins, so Kec. Pati's operator writing its desa is not KECAMATAN_BEDA.
    assert resolve_kecamatan(regions, "Winong, Pati", ["331810", "3318"]) == "331810"
    assert resolve_kecamatan(regions, "Winong, Pati", ["331804", "3318"]) == "331804"
    assert resolve_kecamatan(regions, "Merdeka, Medan Baru", ["1271"]) == "127117"


def test_a_kecamatan_code_retired_before_2016_sends_no_list_and_names_todays(tmp_path):
    from tests.conftest import make_rows, write_csv
    from validator.engine import validate
    from validator.errors import UserError

    headers, body = make_rows("pkh", [{}])
    with pytest.raises(UserError) as refused:
        validate(write_csv(tmp_path / "l.csv", headers, body), "pkh", kecamatan="32.07.22")
    assert refused.value.code == "bad_kecamatan" and "sudah tidak berlaku" in refused.value.message_id
    assert "Kode Pangandaran sekarang 32.18.09" in refused.value.message_id
    # A code retired since 2016 (Merauke, 91.01.01 until Papua Selatan) still sends: lists and
    # accounts recorded under it stay reachable.
    assert validate(write_csv(tmp_path / "l.csv", headers, body), "pkh", kecamatan="91.01.01").summary["rows"] == 1
