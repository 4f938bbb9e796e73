"""Hostile and careless files, made on demand (nothing binary is committed).

`python -m tests.hostile_corpus DIR` writes them; tests call `make_corpus(tmp)`. Each entry says
what the validator must do with it: `ok` (exit 0, results written) or `refused` (exit 2, one
Indonesian line, nothing written), with the error code when one is fixed.
"""

from __future__ import annotations

import csv
import io
import random
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

HEADERS = ["NIK", "No KK", "Nama", "Tanggal Lahir", "Jenis Kelamin", "Kecamatan", "Bank",
           "No Rekening", "Nominal"]
ROW = ["1271175506800001", "1271170101100001", "SITI AMINAH", "15-06-1980", "P", "Medan Baru",
       "BRI", "300201000123507", "600000"]


@dataclass(frozen=True)
class Hostile:
    path: Path
    expect: str  # "ok" or "refused"
    code: str | None = None  # the UserError code when refused
    upload_name: str | None = None  # the file name the API client sends, when it differs
    recorded: bool = True  # False: validated without a store, refused when it would be recorded (API)


def rows(n: int, seed: int = 7) -> list[list[str]]:
    """n distinct plausible rows (sequence numbers change the NIK, KK and account)."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        r = list(ROW)
        r[0] = f"127117{rnd.choice(['55', '15'])}0680{i % 10000:04d}"[:16]
        r[1] = f"1271170101{i % 1000000:06d}"
        r[7] = f"3002010{i % 100000000:08d}"
        out.append(r)
    return out


def csv_text(table: list[list[str]], sep: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows(table)
    return out.getvalue()


def xlsx(path: Path, table: list[list[str]]) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("DAFTAR")
    for r, row in enumerate(table):
        for c, v in enumerate(row):
            ws.write_string(r, c, v)
    wb.close()
    return path


def rezip(src: Path, dst: Path, replace: dict[str, bytes], *, level: int = 6) -> Path:
    """A copy of an xlsx with some parts replaced (bombs and entity tricks go in here)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zout:
        for info in zin.infolist():
            data = replace.get(info.filename, zin.read(info.filename))
            zout.writestr(info.filename, data)
    return dst


def zip_bomb(src: Path, dst: Path, inflated_mb: int) -> Path:
    """sheet1.xml padded with whitespace to `inflated_mb` MB; deflate shrinks it about 1000 times.

    Written with a streaming compressor so making it needs no such memory either."""
    with zipfile.ZipFile(src) as zin:
        sheet = zin.read("xl/worksheets/sheet1.xml")
        others = [(i.filename, zin.read(i.filename)) for i in zin.infolist()
                  if i.filename != "xl/worksheets/sheet1.xml"]
    cut = sheet.index(b"<sheetData>") + len(b"<sheetData>")
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in others:
            zout.writestr(name, data)
        with zout.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(sheet[:cut])
            pad = b" " * (1 << 20)
            for _ in range(inflated_mb):
                part.write(pad)
            part.write(sheet[cut:])
    return dst


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>NIK</t></is></c><c r="B1" t="inlineStr"><is><t>Nama</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>1271175506800001</t></is></c><c r="B2" t="inlineStr"><is><t>&xxe;</t></is></c></row>
</sheetData></worksheet>"""


def ods(path: Path, table: list[list[str | int]], *, null_date: str | None = None) -> Path:
    """An OpenDocument spreadsheet written by hand: a zip with mimetype first, stored. An int is a
    number cell; `null_date` the day serial 0 stands for (LibreOffice's 1899-12-30 by default)."""
    cells = "".join(
        "<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
            if isinstance(v, int) else
            f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
            for v in row) + "</table:table-row>" for row in table)
    settings = (f'<table:calculation-settings><table:null-date table:date-value="{null_date}"/>'
                "</table:calculation-settings>") if null_date else ""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet>{settings}<table:table table:name="DAFTAR">{cells}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def xls(path: Path, table: list[list[str | int]], *, dates_1904: bool = False) -> Path:
    """Excel 97-2003 (BIFF8 in an OLE container), written by xlwt."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    book.dates_1904 = dates_1904
    sheet = book.add_sheet("DAFTAR")
    for r, row in enumerate(table):
        for c, v in enumerate(row):
            sheet.write(r, c, v)
    book.save(str(path))
    return path


def far_cell(path: Path, table: list[list[str]], row: int, col: int, text: str = " ") -> Path:
    """The table, and one more cell far away (0-based row and column)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("DAFTAR")
    for r, values in enumerate(table):
        sheet.write_row(r, 0, values)
    sheet.write_string(row, col, text)
    book.close()
    return path


def encrypted_xlsx(src: Path, dst: Path, password: str = "rahasia") -> Path:
    """A real password-protected xlsx: ECMA-376 agile encryption in an OLE container."""
    import msoffcrypto.format.ooxml

    with src.open("rb") as fin, dst.open("wb") as fout:
        msoffcrypto.format.ooxml.OOXMLFile(fin).encrypt(password, fout)
    return dst


def make_corpus(folder: Path, *, bomb_mb: int = 1024) -> dict[str, Hostile]:
    """Write every hostile file into `folder`; a few seconds in all."""
    folder.mkdir(parents=True, exist_ok=True)
    good = [HEADERS, *rows(5)]
    base = xlsx(folder / "_base.xlsx", good)
    rnd = random.Random(42)
    c: dict[str, Hostile] = {}

    def put(name: str, data: bytes | str, expect: str, code: str | None = None, **kw) -> None:
        p = folder / name
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        c[name.replace(".", "_")] = Hostile(p, expect, code, **kw)

    put("kosong.csv", b"", "refused", "file_empty")
    put("kosong.xlsx", b"", "refused")
    put("judul_saja.csv", csv_text([HEADERS]), "ok", recorded=False)  # no rows: never replaces a live list
    put("tanpa_nik.csv", csv_text([HEADERS[1:], ROW[1:]]), "refused", "no_nik_column")
    put("sampah.csv", bytes(rnd.getrandbits(8) for _ in range(4096)) + b"\x00", "refused")
    put("sampah.xlsx", bytes(rnd.getrandbits(8) for _ in range(4096)), "refused")
    put("sampah.parquet", b"PAR1" + bytes(rnd.getrandbits(8) for _ in range(512)), "refused")
    c["lama"] = Hostile(xls(folder / "lama.xls", good), "ok")
    c["libreoffice"] = Hostile(ods(folder / "libreoffice.ods", good), "ok")
    c["berkata_sandi"] = Hostile(encrypted_xlsx(base, folder / "berkata_sandi.xlsx"), "refused", "file_protected")
    c["bom_zip"] = Hostile(zip_bomb(base, folder / "bom_zip.xlsx", bomb_mb), "refused", "file_refused")
    c["bom_ukuran_palsu"] = Hostile(lying_sizes(base, folder / "bom_ukuran_palsu.xlsx", 300), "refused", "file_refused")
    c["tawa_miliar"] = Hostile(rezip(base, folder / "tawa_miliar.xlsx", {"xl/sharedStrings.xml": BILLION_LAUGHS}),
                               "refused", "file_refused")
    c["entitas_luar"] = Hostile(rezip(base, folder / "entitas_luar.xlsx", {"xl/worksheets/sheet1.xml": EXTERNAL_ENTITY}),
                                "refused", "file_refused")
    # One space typed in the sheet's last cell: calamine would ask for 17 billion cells and abort.
    # A space is dropped before reading; anything else there is refused, naming the cell.
    c["sel_terjauh"] = Hostile(far_cell(folder / "sel_terjauh.xlsx", good, 1048575, 16383), "ok")
    c["sel_terjauh_isi"] = Hostile(far_cell(folder / "sel_terjauh_isi.xlsx", good, 1048575, 16383, "x"), "refused",
                                   "sheet_too_big")
    long_cell = [HEADERS, *rows(3)]
    long_cell[2][2] = "SITI " + "A" * 100_000
    put("sel_panjang.csv", csv_text(long_cell), "ok")
    c["sel_panjang_xlsx"] = Hostile(xlsx(folder / "sel_panjang_xlsx.xlsx", long_cell[:2] + [[v[:32767] for v in long_cell[2]]]), "ok")
    extra = [f"KOLOM {i}" for i in range(1, 1000 - len(HEADERS) + 1)]
    put("seribu_kolom.csv", csv_text([HEADERS + extra, *[r + ["x"] * len(extra) for r in rows(20)]]), "ok")
    mixed = csv_text([HEADERS, *rows(4)], ";").encode("utf-8")
    mixed += "1271171506750002;1271170101100002;JOSÉ NUÑEZ;15-06-1975;L;Medan Baru;BRI;300201000123599;600000\r\n".encode("cp1252")
    mixed += "1271171506750003;1271170101100003;SÜMÄRNÏ ☺;15-06-1975;P;Medan Baru;BRI;300201000123598;600000\r\n".encode()
    put("campur_encoding.csv", mixed, "ok")
    put("kutip_rusak.csv", '\r\n'.join([",".join(HEADERS), ",".join(ROW), ",".join(ROW[:2] + ['"SITI "UCOK AMINAH'] + ROW[3:]),
                                          ",".join(ROW)]) + "\r\n", "ok")
    # The same 2,000 rows pasted ten times: duplicate searches must not grow with the square.
    put("tempel_sepuluh_kali.csv", csv_text([HEADERS]) + csv_text(rows(2000)) * 10, "ok")
    put("utf16.csv", ("\ufeff" + csv_text([HEADERS, *rows(3)], "\t")).encode("utf-16-le"), "ok")
    put("nama_panjang.csv", csv_text([HEADERS, *rows(2)]), "ok", upload_name="A" * 496 + ".csv")
    put("nama_folder.csv", csv_text([HEADERS, *rows(2)]), "ok", upload_name="../../../etc/cron.d/..\\..\\daftar.csv")
    base.unlink()
    return c


def big_csv(path: Path, megabytes: float, seed: int = 11) -> Path:
    """A realistic list of about `megabytes` MB from the seeded sample generator (the 200 MB
    case, scaled: about 7,200 rows per MB)."""
    from sample_data.generate import make_list, write_list

    write_list(make_list("pkh", max(1, int(megabytes * 7200)), seed=seed), path)
    return path


def lying_sizes(src: Path, dst: Path, inflated_mb: int, declared: int = 100_000) -> Path:
    """A zip bomb whose directory lies: sheet1.xml padded to `inflated_mb` MB, its declared size
    (in the local header and in the central directory) patched down to `declared` bytes."""
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(src) as zin:
        sheet = zin.read(part)
        others = [(i.filename, zin.read(i.filename)) for i in zin.infolist() if i.filename != part]
    cut = sheet.index(b"<sheetData>") + len(b"<sheetData>")
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in others:
            zout.writestr(name, data)
        with zout.open(part, "w") as out:
            out.write(sheet[:cut])
            for _ in range(inflated_mb):
                out.write(b" " * (1 << 20))
            out.write(sheet[cut:])
    data = bytearray(dst.read_bytes())
    for magic, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        at = data.find(magic)
        while at >= 0:
            n = int.from_bytes(data[at + name_len_at:at + name_len_at + 2], "little")
            if bytes(data[at + name_at:at + name_at + n]) == part.encode():
                data[at + size_at:at + size_at + 4] = declared.to_bytes(4, "little")
            at = data.find(magic, at + 4)
    dst.write_bytes(bytes(data))
    return dst


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "out/hostile")
    for name, h in make_corpus(target).items():
        print(f"{name:20} {h.expect:8} {h.path.stat().st_size:>12,} B  {h.path.name}")
