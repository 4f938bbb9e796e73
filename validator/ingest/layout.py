"""Find the header row, map columns to fields, and set aside rows that are not data."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import polars as pl

from validator.errors import UserError
from validator.ingest.grid import Grid
from validator.normalize import plain_digits
from validator.rulebook import header_key, header_key_expr, header_words

HEADER_SCAN_ROWS = 40
# The note above the table of a partial return workbook (only the rows with findings of a list of
# more than 20,000 rows). Sent back alone it would replace the whole list with those rows.
PARTIAL_NOTE = "sheet ini hanya memuat"
_PARTIAL = re.compile(rf"(?i){PARTIAL_NOTE} [\d.,]+ baris yang perlu diperbaiki")
# A list longer than this comes back (result.xlsx) with only its rows with findings.
FULL_SHEET_LIMIT = 20_000
# The columns the return workbook adds; BARIS ASAL is each row's number in the file first sent.
VERDICT_HEADERS = ("STATUS", "KODE ALASAN", "ALASAN", "BARIS ASAL")
# Fields whose cells can be numbers in Excel; their "stored as number" flag is kept.
NUMERIC_AWARE = {"nik", "no_kk", "no_rekening", "tanggal_lahir", "nominal", "tempat_tanggal_lahir"}
SEQUENCE_HEADERS = {"NO", "NOMOR", "NOURUT", "NOMORURUT", "NOURT"}

WHY_TEXT = {
    "title": ("judul di atas tabel", "title above the table"),
    "header": ("lanjutan judul kolom", "second header row"),
    "column_numbers": ("baris nomor kolom (1, 2, 3, …)", "column-numbering row (1, 2, 3, …)"),
    "repeated_header": ("judul kolom berulang", "repeated header row"),
    "blank": ("baris kosong", "blank row"),
    "section": ("judul bagian (mis. KELURAHAN …)", "section heading (e.g. KELURAHAN …)"),
    "total": ("baris JUMLAH/TOTAL", "JUMLAH/TOTAL row"),
    "signature": ("blok tanda tangan", "signature block"),
    "notes": ("catatan/keterangan di bawah tabel", "notes below the table"),
    "other_table": ("tabel lain di bawah daftar, tidak diperiksa", "another table below the list, not checked"),
}

_TOTAL = r"^\W*(?:SUB\s*|GRAND\s*)?(JUMLAH|TOTAL|JML)\b|^\W*SUBTOTAL\b"
# "Medan, 2 Januari 2026", or with the day left blank to be written by hand.
_PLACE_DATE = r"^[A-Z .'-]{3,},\s*(?:\d{1,2})?\s+[A-Z]+\s+\d{4}\s*$"
_HEADS = r"KEPALA\s+(?:DESA|DINAS|BIDANG|SEKSI|KELURAHAN|LINGKUNGAN|DUSUN|KANTOR|UPTD?|BAGIAN|SUB\s*BAG\w*)"
_SIGNATURE = (
    r"\b(MENGETAHUI|DIKETAHUI|DIPERIKSA|DIVERIFIKASI|MENYETUJUI|CAMAT|LURAH|" + _HEADS + r"|NIP\b|NIP\.|TTD\b|"
    r"TANDA\s+TANGAN|DISETUJUI|DIBUAT\s+OLEH|YANG\s+MEMBUAT|YANG\s+MENYERAHKAN|YANG\s+MENERIMA|PETUGAS|"
    r"OPERATOR|SEKRETARIS|PENDAMPING|KOORDINATOR|KASI\b|PLT\b|A\.\s*N\.|AN\.\s)|" + _PLACE_DATE
)
# How a signature line begins (used where the line stands alone on its row).
_SIGNATURE_LINE = (r"^\W*(MENGETAHUI|DIKETAHUI|DIPERIKSA|DIVERIFIKASI|MENYETUJUI|NIP\b|NIP\.|CAMAT\b|LURAH\b|"
                   + _HEADS + r"\b|A\.\s*N\.|PLT\.?\s|DISETUJUI|DIBUAT\s+OLEH|YANG\s+MEMBUAT|YANG\s+MENYERAHKAN|"
                   r"TTD\b)|" + _PLACE_DATE)
# Notes under the table: "Keterangan :", "Catatan: data per 1 Maret", "Sumber: SIKS-NG", "NB:".
# A footnote marked "*)" likewise.
_NOTES = r"^\W*(?:KETERANGAN|KET\s*[.:]|CATATAN|SUMBER\s*(?:DATA)?\s*:|N\.?\s*B\s*[.:])|^\s*\*+\s*\)"
# A line that groups the rows below it: "KELURAHAN : MERDEKA", "Kecamatan Medan Baru", "DESA X".
_SECTION = r"^\W*(?:(?:KELURAHAN|DESA|KECAMATAN|LINGKUNGAN|DUSUN|NAGARI|GAMPONG|JORONG|KELOMPOK)\b|KEL\.|KEC\.)"
# The title of a list that is not this one, typed above a second table with the list's own header:
# substitutes, reserves, people struck off or rejected, the pendamping.
_OTHER_LIST = (r"\b(?:CADANGAN|CORET|DICORET|DI\s*HAPUS|HAPUS|GUGUR|TIDAK\s+LAYAK|TIDAK\s+MEMENUHI|DIKELUARKAN|"
               r"DITOLAK|GRADUASI|NON\s*-?\s*AKTIF|TIDAK\s+AKTIF|TIDAK\s+DITEMUKAN)\b")
# (Not PENGGANTI, MENINGGAL or PINDAH: "KPM PENGGANTI" and the heirs of one who died are paid.)
# A title naming people to be paid: after another table, the list's header under it resumes the list.
_RECIPIENTS = r"\b(?:PENGGANTI|PENERIMA|USULAN|TAMBAHAN|KPM\s+BARU)\b"
# A page's title repeated inside the list ("DAFTAR PENERIMA …", "Halaman 2", "TAHAP I TAHUN 2026").
_TITLE = (r"^\W*(?:(?:DAFTAR|REKAPITULASI|REKAP|HALAMAN|LAMPIRAN|TAHAP\s+[IV1-4]+|TAHUN\s+(?:ANGGARAN\s+)?\d{4}"
          r"|PEMERINTAH|DINAS|KEMENTERIAN|PROVINSI|KABUPATEN|KOTA\s+[A-Z]+|PERIODE|NOMOR\s*:)\b|HAL\.)")
# A cell with something in it: a letter or a digit (a line of "-----" or "=====" is empty).
_SOMETHING = r"[\p{L}\p{N}]"
# A column's number or letter, as the row under a header numbers the columns: 1, (2), A, (b).
_COLUMN_MARK = r"^\(?(\d{1,2}|[A-Za-z])\)?$"
# A list marker before a heading: "A | KELURAHAN …", "B. KEL. BABURA", "II. Kelurahan Darat", "3) DESA …".
_LIST_MARKER = r"^\W*(?:[A-Z]|[IVX]{1,4}|\d{1,3})[.)]?\s+"
# An ID column that holds a signature line ("NIP. 19700101 199003 1 005") has six digits but no ID;
# nor does a NIP written without the word (birth date, start of service, sex, serial: 18 digits).
_NIP = r"(?i)\bNIP\b|^\s*(?:19|20)\d{6}\s+\d{6}\s+[12]\s+\d{3}\s*$"
# A "label : value" line (KECAMATAN | : | MEDAN BARU, Kelurahan | : Merdeka) of a page's heading.
_LABEL_LINE = r"^\W*[A-Z][A-Z .]{2,30}?\s*:"
_SECTION_KV = _SECTION + r"[^:]{0,30}:"
_KV_TITLE = r"^\W*(?:PROGRAM|BULAN|TAHUN|TAHAP|PERIODE|KABUPATEN|KOTA|PROVINSI|BANK\s+PENYALUR|JENIS\s+BANTUAN)\b"


@dataclass
class ListData:
    """One list as read: data rows with their fields, and what was set aside."""

    frame: pl.DataFrame  # _idx, _row, c*/n* cells, and one column per mapped field
    fields: dict[str, int]  # field -> column index in the sheet
    headers: list[str]  # the operator's header text per column
    header_row: int
    sheet: str | None
    skipped: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    # The header's rows as the operator wrote them (row number, cells): a label row above the
    # header, the header, sub-headers, the column numbers. The return workbook writes them back.
    header_block: list[tuple[int, list[str]]] = field(default_factory=list)
    # Rows of another table below the list (other_table), as typed (_row, c*): not recipients, but
    # the operator's, so the return workbook writes them back on their rows.
    aside: pl.DataFrame | None = None
    # The workbook's serial numbers count days from 1904-01-01 (a number typed in the birth-date
    # column of such a workbook is a different date than in the usual 1900 system).
    date1904: bool = False
    # Other sheets of the workbook that also hold a list (not checked, said in a warning): the
    # return workbook carries them as they are.
    other_sheets: list[Grid] = field(default_factory=list)

    @property
    def present(self) -> set[str]:
        """Fields the frame holds: mapped columns, plus those split out of a combined birth column
        and a group's name read from its "NAMA KELOMPOK : …" line."""
        return set(self.fields) | ({"tanggal_lahir", "tempat_lahir", "nama_kelompok"} & set(self.frame.columns))


# A header whose first words are a known header ("NIK KPM", "NO. REK BRI", "NOMINAL RP") names the
# same field, unless the next word says it belongs to someone else ("NIK IBU", "NAMA KPM LAMA")...
_OTHER_PERSON = {"IBU", "AYAH", "ANAK", "ISTRI", "SUAMI", "PASANGAN", "WALI", "AHLI", "PENDAMPING",
                 "PETUGAS", "OPERATOR", "KETUA", "ART", "LAMA", "ORANG", "ORTU", "BENDAHARA", "KOORDINATOR",
                 "LURAH", "PENGGANTI", "ALMARHUM", "ALMARHUMAH"}
# ... or, after a one-word header ("NAMA", "ALAMAT", "NIK"), to something else ("NAMA MASJID",
# "ALAMAT KANTOR"). After a longer header the next word only narrows it: "NAMA ANGGOTA KUBE",
# "NAMA REKENING BANK", "NAMA DESA/KELURAHAN".
_OTHER_THING = {"KELOMPOK", "DESA", "KEL", "KELURAHAN", "KEC", "KECAMATAN", "KAB", "KABUPATEN", "PROV",
                "PROVINSI", "KOTA", "DUSUN", "LINGKUNGAN", "PROGRAM", "USAHA", "LEMBAGA", "SEKOLAH",
                "TEMPAT", "JALAN", "BANK", "REKENING", "PEMILIK", "KOMPONEN", "KANTOR", "CABANG", "EMAIL",
                "DESIL", "ASAL",
                # the place a teacher teaches (maghrib mengaji), the group (KUBE)
                "MASJID", "MESJID", "MUSHOLLA", "MUSHOLA", "MUSHALLA", "MUSHALA", "MUSALA", "SURAU", "LANGGAR",
                "TPQ", "TPA", "RUMAH", "MAJELIS", "MADRASAH", "PONDOK", "PESANTREN", "KUBE"}
# "JUMLAH …" names the amount, but not when it counts people or things ("JUMLAH ANGGOTA KELUARGA",
# "JUMLAH BUMIL", "JUMLAH BULAN").
_COUNTED = {"ANGGOTA", "KELUARGA", "JIWA", "TANGGUNGAN", "ORANG", "ANAK", "ART", "KK", "PENERIMA", "KPM",
            "KOMPONEN", "BULAN", "TAHAP", "HARI", "MINGGU", "TAHUN", "KALI", "PAKET", "UNIT", "KG", "LITER",
            "BALITA", "LANSIA", "DISABILITAS", "BUMIL", "APRAS", "SD", "SMP", "SMA", "SANTRI", "MURID",
            "PENGAJAR", "PESERTA", "SISWA", "GURU", "DESIL"}


def _exact(cells: list[str], header_map: dict[str, str]) -> dict[str, int]:
    """Fields whose header is written exactly (no 'starts with' matching). When two columns name
    one field, the more usual spelling wins ("NIK" over "NIK PENGURUS", "NO KK" over "NIK KK"),
    then the first column."""
    rank = getattr(header_map, "rank", {})
    found: dict[str, int] = {}
    best: dict[str, int] = {}
    for j, cell in enumerate(cells):
        key = header_key(cell) if cell else ""
        f = header_map.get(key) if key else None
        if f and (f not in found or rank.get(key, 0) < best[f]):
            found[f] = j
            best[f] = rank.get(key, 0)
    return found


def map_header(cells: list[str], header_map: dict[str, str]) -> dict[str, int]:
    """Exact headers first, then headers that start with a known one ('NIK KPM')."""
    found = _exact(cells, header_map)
    taken = set(found.values())
    prefixes = getattr(header_map, "prefixes", [])
    for j, cell in enumerate(cells):
        if not cell or j in taken:
            continue
        words = header_words(cell)
        for known, f in prefixes:
            n = len(known)
            if len(words) >= n and words[:n] == known:
                # Equal words ("L-P", "TEMPAT & TGL LAHIR"): the header, punctuation aside.
                after = words[n] if len(words) > n else None
                counts = f == "nominal" and n == 1 and known[0] in ("JUMLAH", "TOTAL", "JML", "JLH") \
                    and after in _COUNTED
                other = after in _OTHER_PERSON or (n == 1 and after in _OTHER_THING)
                if not other and f not in found and not counts:
                    found[f] = j
                    taken.add(j)
                break
    return found


def find_header(rows: list[list[str]], header_map: dict[str, str]) -> tuple[int, dict[str, int]]:
    best_i, best, best_score = -1, {}, 0
    with_nik: list[tuple[int, dict[str, int]]] = []
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = map_header(row, header_map)
        score = len(found) + (3 if "nik" in found else 0)
        if "nik" in found:
            with_nik.append((i, found))
        if score > best_score:
            best_i, best, best_score = i, found, score
    # A header with recipients under it (IDs in its NIK column) comes before the page header
    # repeated further down, even when that repeat names a field more (a two-row header's top
    # row names fewer fields on its own).
    for i, found in with_nik:
        if i >= best_i:
            break
        j = found["nik"]
        if any(j < len(r) and sum(ch.isdigit() for ch in r[j]) >= 6 for r in rows[i + 1:best_i]):
            return i, found
    # Header cells merged down make the lower row of a two-row header name as much as the upper
    # (and its sub-headers more): the header starts at the top row that names the NIK column there.
    while best_i > 0:
        above = map_header(rows[best_i - 1], header_map)
        if "nik" not in best or above.get("nik") != best["nik"]:
            break
        best_i, best = best_i - 1, above
    return best_i, best


def headers_shown(cells: list[str]) -> tuple[str, str]:
    """The headers read, for a message (Indonesian, English). A row holding a number of eight digits
    or more (a NIK, a KK, an account) is a person's row, not a header (a list sent without its
    header row): its cells are personal data and are not repeated in a message, a log or a job
    record."""
    if any(sum(ch.isdigit() for ch in str(c)) >= 8 for c in cells if c):
        return ("(baris teratas berisi data penerima, bukan judul kolom: tambahkan baris judul di atasnya)",
                "(the top row holds a recipient's data, not headers: add a header row above it)")
    shown = ", ".join(str(c) for c in cells if c)[:200] or "-"
    return shown, shown


def _no_nik_column(grid: Grid, rows: list[list[str]]) -> UserError:
    seen = next((r for r in rows if sum(1 for c in r if c) >= 2), [])
    shown, shown_en = headers_shown(seen)
    sheet = f" (sheet {grid.sheet})" if grid.sheet else ""
    return UserError(
        f"Kolom NIK tidak ditemukan{sheet}. Beri judul kolom 'NIK' (atau 'No. NIK', 'NIK KTP', "
        f"'Nomor Induk Kependudukan') pada baris judul tabel, di {HEADER_SCAN_ROWS} baris pertama sheet. "
        f"Judul yang terbaca: {shown}",
        f"No NIK column found{sheet}. Give the column the header 'NIK'. Headers read: {shown_en}",
        code="no_nik_column",
    )


def locate(grid: Grid, header_map: dict[str, str]) -> tuple[int, dict[str, int], list[list[str]]]:
    rows = grid.head_rows(HEADER_SCAN_ROWS)
    i, found = find_header(rows, header_map)
    if "nik" not in found:
        raise _no_nik_column(grid, rows)
    if grid.hidden and any(j in grid.hidden for j in found.values()):
        # A hidden column (an old NIK kept out of sight, a helper column) gives way to a visible
        # one naming the same field: the operator checks and fixes what they can see.
        visible = map_header([c if j not in grid.hidden else "" for j, c in enumerate(rows[i])], header_map)
        for f, j in list(found.items()):
            if j in grid.hidden and f in visible and visible[f] not in found.values():
                found[f] = visible[f]
    return i, found, rows


def _second_header_row(rows: list[list[str]], i: int, found: dict[str, int],
                       header_map: dict[str, str]) -> tuple[dict[str, int], set[int], bool]:
    """Fields named in a second header row, and the header row's columns they replace.

    Two forms: sub-headers under merged cells whose own header cell is empty (TEMPAT | TANGGAL
    under TTL), and sub-headers under a group label spanning several columns (BANK | NO. REKENING
    under REKENING), which replace the label. A second header row has at least two cells, each
    sub-header written exactly as a header: a line such as "Kecamatan Medan Baru" under the
    header is a section heading, not a header. Sub-headers that name no field (BUMIL | SD | SMP
    under KOMPONEN) make a header row too when every other cell of the row is empty or repeats the
    merged header above it. The flag says whether the row below is a header row."""
    if i + 1 >= len(rows):
        return {}, set(), False
    top, below_cells = rows[i], rows[i + 1]
    if sum(1 for c in below_cells if c) < 2 or any(sum(ch.isdigit() for ch in c) >= 6 for c in below_cells):
        return {}, set(), False
    def top_cell(j: int) -> str:
        return top[j] if j < len(top) else ""

    # A group label: a header cell with empty cells to its right, all with sub-headers below.
    groups: dict[int, range] = {}
    for j, cell in enumerate(top):
        k = j + 1
        while cell and k < len(below_cells) and not top_cell(k) and below_cells[k]:
            k += 1
        if k > j + 1 and below_cells[j]:
            groups[j] = range(j, k)
    grouped = {j for g in groups.values() for j in g}
    named = _under_labels(below_cells, {j: (top[j], g) for j, g in groups.items()}, header_map)
    below = _exact(named, header_map)
    # Under a merged "TEMPAT/TGL LAHIR" the sub-headers are often just "TEMPAT" and "TANGGAL".
    with_lahir = _exact([f"{c} LAHIR" if c else "" for c in below_cells], header_map)
    below = {**{f: j for f, j in with_lahir.items() if f in ("tempat_lahir", "tanggal_lahir")}, **below}
    # A label is replaced only by sub-headers of its own group (TTL over TEMPAT | TANGGAL does not
    # replace JENIS KELAMIN over L | P beside it).
    replaced = {j for f, j in found.items() if j in groups and any(bj in groups[j] for bj in below.values())}
    kept = {f: j for f, j in found.items() if j not in replaced}
    used = set(kept.values())
    extra = {f: j for f, j in below.items() if f not in kept and j not in used and (not top_cell(j) or j in grouped)}
    # REKENING over BANK | NOMOR: the label's own field goes to the one sub-column whose
    # sub-header names no field ("NOMOR", "NO."), rather than being lost.
    for f, j in found.items():
        if j in replaced and f not in extra and j in groups:
            free = [c for c in groups[j] if c not in extra.values()]
            if len(free) == 1:
                extra[f] = free[0]
    if extra:
        return extra, replaced, True
    labels = [j for j, c in enumerate(below_cells) if c and j in grouped]
    others_repeat = all(not c or j in grouped or c == top_cell(j) for j, c in enumerate(below_cells))
    if len(labels) >= 2 and others_repeat and all(re.search(r"[A-Za-z]", below_cells[j]) for j in labels):
        return {}, set(), True
    return {}, set(), False


_SEX_PAIRS = {("L", "P"), ("LK", "PR"), ("LAKILAKI", "PEREMPUAN"), ("LAKI", "PEREMPUAN"), ("PRIA", "WANITA")}


def _sex_ticks(rows: list[list[str]], i: int, found: dict[str, int]) -> tuple[int, int] | None:
    """The (male, female) columns when JENIS KELAMIN spans two sub-columns L | P ticked per row."""
    j = found.get("jenis_kelamin")
    if j is None or i + 1 >= len(rows) or j + 1 >= len(rows[i + 1]):
        return None
    top, below = rows[i], rows[i + 1]
    if (header_key(below[j]), header_key(below[j + 1])) not in _SEX_PAIRS:
        return None
    if j + 1 < len(top) and top[j + 1] and top[j + 1] != top[j]:
        return None
    return j, j + 1


# A group label naming someone other than the recipient (IBU KANDUNG, ORANG TUA/WALI, AHLI WARIS,
# PENDAMPING, KEPALA KELUARGA) or something else (MASJID/MUSHOLLA): the NIK and NAMA under it are
# theirs, not the recipient's.
_NOT_RECIPIENT = (_OTHER_PERSON | {"KEPALA", "KANDUNG", "WARIS", "MERTUA", "SAUDARA"} | {
    "MASJID", "MESJID", "MUSHOLLA", "MUSHOLA", "MUSHALLA", "MUSHALA", "MUSALA", "SURAU", "LANGGAR", "TPQ", "TPA",
    "MAJELIS", "MADRASAH", "PONDOK", "PESANTREN", "SEKOLAH", "LEMBAGA", "KANTOR", "USAHA"}) - {"PENGGANTI"}


def _under_labels(sub: list[str], labels: dict[int, tuple[str, range]], header_map: dict[str, str]) -> list[str]:
    """Sub-headers as read with their group labels: NAMA under KELOMPOK is "NAMA KELOMPOK", NAMA
    under ANGGOTA "NAMA ANGGOTA", NOMOR under REKENING "NOMOR REKENING" (two NAMA sub-headers,
    two fields); under a label that names another person or thing a sub-header names nothing."""
    named = list(sub)
    for label, span in labels.values():
        # Under a birth-date label (TTL, TEMPAT/TGL LAHIR) "TEMPAT" and "TANGGAL" mean "... LAHIR".
        birth = header_map.get(header_key(label)) in ("tempat_tanggal_lahir", "tanggal_lahir")
        words = header_words(label)
        # A label is a few words ("IBU KANDUNG", "ORANG TUA/WALI"); a longer line is a title.
        other = len(words) <= 3 and bool(set(words) & _NOT_RECIPIENT)
        for c in span:
            if c >= len(sub) or not sub[c]:
                continue
            composed = f"{sub[c]} {label}"
            if header_map.get(header_key(composed)):
                named[c] = composed
            elif birth and header_map.get(header_key(f"{sub[c]} LAHIR")) in ("tempat_lahir", "tanggal_lahir"):
                named[c] = f"{sub[c]} LAHIR"
            elif other:
                named[c] = ""
    return named


def _spans(upper: list[str], lower: list[str]) -> dict[int, range]:
    """Each cell of the row above the header and the columns it stands over (up to the next)."""
    spans: dict[int, range] = {}
    for j, cell in enumerate(upper):
        if not cell:
            continue
        k = j + 1
        while k < len(lower) and not (upper[k] if k < len(upper) else ""):
            k += 1
        spans[j] = range(j, k)
    return spans


def _group_labels(upper: list[str], lower: list[str]) -> bool:
    """Whether the row above the header holds group labels (KPM | IBU KANDUNG over NIK | NAMA |
    NIK | NAMA), as opposed to a title over the whole table."""
    filled = sum(1 for c in lower if c)
    # (A letterhead typed above the right-hand columns is the row's only cell: no label row; nor is
    # a line of "KECAMATAN : MEDAN BARU | TAHUN : 2026", a title written as key and value.)
    if sum(1 for c in upper if c) < 2 or any(":" in c for c in upper):
        return False
    return any(1 < len(span) <= max(2, int(filled * 0.8)) and len(header_words(upper[j])) <= 4
               and sum(1 for c in span if c < len(lower) and lower[c]) > 1
               for j, span in _spans(upper, lower).items())


def _label_fields(upper: list[str], lower: list[str], found: dict[str, int],
                  header_map: dict[str, str]) -> dict[str, int]:
    """The header's fields with the group labels of the row above it read in: a sub-header is
    read with its label when the two name a field together (NAMA under KELOMPOK is "NAMA
    KELOMPOK", NAMA under ANGGOTA "NAMA ANGGOTA"), and a label's field the header does not name
    ("DATA REKENING" over BANK | NOMOR | ATAS NAMA) goes to the one sub-column of its span whose
    sub-header names no field."""
    spans = _spans(upper, lower)
    named = _under_labels(lower, {j: (upper[j], span) for j, span in spans.items() if len(span) > 1}, header_map)
    out = map_header(named, header_map) if named != list(lower) else dict(found)
    taken = set(out.values())
    # (A label written exactly as a header: "KECAMATAN : MEDAN BARU" above the table is a title.)
    for f, j in _exact(upper, header_map).items():
        if f in out:
            continue
        span = spans.get(j, range(j, j + 1))
        free = [c for c in span if c < len(lower) and lower[c] and c not in taken]
        if len(span) > 1 and len(free) == 1:
            out[f] = free[0]
            taken.add(free[0])
    return out


_DAY, _MONTH, _YEAR = {"TGL", "TANGGAL", "HARI", "HR", "TG", "DD"}, {"BLN", "BULAN", "BL", "MM"}, \
    {"THN", "TAHUN", "TH", "YYYY", "YY"}


def _date_parts(cells: list[str]) -> tuple[int, int, int] | None:
    """Columns of a birth date typed in three cells (TGL | BLN | THN, side by side)."""
    keys = [header_key(c) if c else "" for c in cells]
    for j in range(len(keys) - 2):
        if keys[j] in _DAY and keys[j + 1] in _MONTH and keys[j + 2] in _YEAR:
            return j, j + 1, j + 2
    return None


def _header_above(cells: list[str], header_map: dict[str, str]) -> bool:
    """The upper row of a two-row header (NO | DATA PENERIMA | TANGGAL LAHIR over the real
    headers), as opposed to a title line: several cells, at least one a header as written."""
    return sum(1 for c in cells if c) >= 2 and bool(_exact(cells, header_map))


def _column_numbers(cells: list[str]) -> bool:
    """The row of column numbers (1 2 3 …, (1) (2) …) or letters (A B C …, (a) (b) …) under a header."""
    vals = [c for c in cells if c]
    if len(vals) < 3:
        return False
    nums = []
    for v in vals:
        m = re.fullmatch(_COLUMN_MARK, v)
        if not m:
            return False
        mark = m.group(1)
        nums.append(int(mark) if mark.isdigit() else ord(mark.upper()) - 64)
    return nums == sorted(nums) and len(set(nums)) == len(nums)


def _partial_rows(grid: Grid, headers: list[str], at: int) -> bool:
    """The rows of a partial return workbook without its note (deleted, or the rows copied to a
    new file), or only the rows with findings of a whole one: the verdict columns are there, no row
    says DITERIMA (only rows with findings are listed), and either the workbook's own Ringkasan,
    sent back with it and fitting its rows, counts more data rows than the limit (the writer makes
    a partial sheet exactly then), or the rows themselves are those of a partial sheet: most not
    on the row BARIS ASAL names, fewer than half the next row of another, and at the median more
    than a few hundred rows above their BARIS ASAL."""
    keys = [h.strip().upper() for h in headers]
    n = len(VERDICT_HEADERS)
    starts = [j for j in range(len(keys) - n + 1) if tuple(keys[j:j + n]) == VERDICT_HEADERS]
    if not starts:
        return False
    body = grid.frame.slice(at + 1).select(
        pl.col(f"c{starts[-1]}").str.strip_chars().str.to_uppercase().alias("status"),
        pl.col(f"c{starts[-1] + n - 1}").str.strip_chars().cast(pl.Int64, strict=False).alias("origin"),
        pl.col("_row").cast(pl.Int64)).filter(pl.col("origin").is_not_null())
    if body.height == 0 or (body["status"] == "DITERIMA").any():
        return False
    # Room for a list's rows under its header (at, the same row in a whole list sent back).
    slack = max(FULL_SHEET_LIMIT // 40, 2)
    if grid.summary_rows is not None:
        count, set_aside = grid.summary_rows
        # The Ringkasan that came back with the list counts its rows when it fits them (not one
        # pasted from another return workbook): a list of more rows than the limit came back as
        # only its rows with findings. (A whole list of about the limit's length, every row flagged
        # and some rows deleted or sorted, looks like a partial one by its rows alone.)
        if body["origin"].max() <= count + set_aside + at + 1 + slack and count > FULL_SHEET_LIMIT:
            return True
    # By the rows alone, whatever the length: a whole list sent back keeps its rows on their own
    # rows, one after another; edited (rows deleted, added, sorted), most stay one after another.
    # Rows with findings only, listed one after another (a partial sheet, or the rows with findings
    # filtered out of a whole list), sit ever further above their BARIS ASAL, with rows missing
    # between them.
    if (body["origin"] != body["_row"]).sum() * 2 <= body.height:
        return False
    origins = body["origin"].unique().sort()
    runs = (origins.diff() == 1).sum() / max(origins.len() - 1, 1)
    return runs < 0.5 and ((body["origin"] - body["_row"]).median() or 0) > slack


def build_list(grid: Grid, header_map: dict[str, str]) -> ListData:
    i, found, rows = locate(grid, header_map)
    headers = [c for c in rows[i]] + [""] * (grid.width - len(rows[i]))
    skipped: list[dict] = []
    sheet = grid.sheet
    header_row = i + 1  # rows are 1-based, and the grid starts at row 1
    if any(_PARTIAL.search(cell) for row in rows[:i] for cell in row) or _partial_rows(grid, headers, i):
        raise UserError(
            "Berkas ini adalah hasil validasi sebagian: hanya berisi baris yang perlu diperbaiki dari daftar "
            "yang lebih besar. Jika dikirim, daftar kecamatan akan tergantikan oleh baris-baris ini saja. "
            "Perbaiki baris-baris itu di berkas asli (nomornya di kolom BARIS ASAL), lalu kirim berkas asli "
            "yang lengkap. Jika berkas ini sebenarnya daftar lengkap kecamatan (berisi semua penerima, bukan "
            "hanya yang bermasalah), hapus kolom STATUS, KODE ALASAN, ALASAN dan BARIS ASAL, lalu kirim lagi.",
            "This is a partial result workbook (only the rows with findings of a larger list); sent alone it "
            "would replace the whole list. Fix those rows in the original file and send that whole file. If "
            "this file is in fact the kecamatan's whole list (every recipient, not only those with findings), "
            "delete the STATUS, KODE ALASAN, ALASAN and BARIS ASAL columns and send it again.",
            code="partial_return_workbook")
    for k in range(i):
        why = ("title" if k < i - 1 or not _header_above(rows[k], header_map) else "header") if any(rows[k]) \
            else "blank"
        skipped.append({"row": k + 1, "sheet": sheet, "why": why})
    label_row = i >= 1 and (_header_above(rows[i - 1], header_map) or _group_labels(rows[i - 1], rows[i]))
    if label_row:
        found = _label_fields(rows[i - 1], rows[i], found, header_map)
    body_start = i + 1
    # A header merged down over several rows repeats itself on the rows below (the merged text is
    # carried into each): those rows are the header too, and sub-headers may follow them.
    top = i
    while (top + 1 < len(rows) and any(rows[top + 1])
           and all(not c or (j < len(rows[i]) and c == rows[i][j]) for j, c in enumerate(rows[top + 1]))):
        top += 1
        skipped.append({"row": top + 1, "sheet": sheet, "why": "header"})
        body_start += 1
    extra, replaced, two_rows = _second_header_row(rows, top, found, header_map)
    if two_rows:
        for f in [f for f, j in found.items() if j in replaced]:
            del found[f]
        for f, j in extra.items():
            found[f] = j
            headers[j] = rows[top + 1][j] if j in replaced or not headers[j] else headers[j]
        # Sub-headers that name no field (BUMIL | SD under KOMPONEN) still name their columns.
        for j, sub in enumerate(rows[top + 1]):
            if sub and j not in found.values() and sub != headers[j]:
                headers[j] = sub
        skipped.append({"row": top + 2, "sheet": sheet, "why": "header"})
        body_start += 1
    ticks = _sex_ticks(rows, top, found) if two_rows else None
    # TANGGAL LAHIR over TGL | BLN | THN: the birth date is the three cells read together.
    sub_row = rows[top + 1] if two_rows else (rows[i] if label_row else None)
    date_parts = _date_parts(sub_row) if sub_row else None
    if date_parts:
        if found.get("tempat_tanggal_lahir") in date_parts:
            del found["tempat_tanggal_lahir"]
        found["tanggal_lahir"] = date_parts[0]
    if body_start < len(rows) and _column_numbers(rows[body_start]):
        skipped.append({"row": body_start + 1, "sheet": sheet, "why": "column_numbers"})
        body_start += 1

    body = grid.frame.slice(body_start)
    why = _classify(body, grid.width, found, headers, header_map, rows[top + 1] if two_rows else None, rows[i])
    out_pos = why.is_not_null().arg_true()
    for row, reason in body.select("_row").with_columns(why).filter(pl.col("_why").is_not_null()).iter_rows():
        skipped.append({"row": row, "sheet": sheet, "why": reason})
    # Copying every column of a million rows costs more than the rest of reading: filter only when
    # rows must go from the middle; a total and signatures at the end are cut off by a slice.
    if out_pos.len() == 0:
        data = body
    elif out_pos[0] == body.height - out_pos.len():
        data = body.slice(0, out_pos[0])
    else:
        data = body.filter(why.is_null())
    data = data.with_columns(pl.int_range(0, pl.len(), dtype=pl.UInt32).alias("_idx"))
    data = data.with_columns(_field_columns(found))
    if date_parts:
        data = data.with_columns(
            pl.concat_str([pl.col(f"c{j}").str.strip_chars() for j in date_parts], separator="-").alias("tanggal_lahir"),
            pl.lit(False).alias("tanggal_lahir__num"))
    if ticks is not None:
        # JENIS KELAMIN over L | P with a tick under one: the sex is the column that is ticked.
        # "-", "0" or "TIDAK" in the other column marks it as not ticked.
        male, female = (~pl.col(f"c{j}").str.strip_chars().str.to_uppercase().fill_null("")
                        .is_in(["", "-", "0", "TIDAK", "TDK", "N", "NO"]) for j in ticks)
        data = data.with_columns(pl.when(male & female).then(pl.lit("L dan P")).when(male).then(pl.lit("L"))
                                 .when(female).then(pl.lit("P")).otherwise(None).alias("jenis_kelamin"))
    if "tempat_tanggal_lahir" in found and "tanggal_lahir" not in found:
        data = data.with_columns(_split_ttl(found))
    # A group-name column left empty while the groups stand on lines of their own: the lines.
    unnamed = "nama_kelompok" in found and data.height > 0 and data.select(
        pl.col("nama_kelompok").str.strip_chars().replace("", None).is_null().all()).item()
    if "nama_kelompok" not in found or unnamed:
        lined, group_rows = _group_lines(data.drop("nama_kelompok", strict=False), grid, body[out_pos], rows[:i])
        if group_rows or not unnamed:
            data = lined
        if group_rows and unnamed:
            found = {f: j for f, j in found.items() if f != "nama_kelompok"}
        for item in skipped:  # "NAMA KELOMPOK : …" groups the rows below it: a section, not a blank
            if item["row"] in group_rows:
                item["why"] = "section"
    other = why == "other_table"
    # (Gathered by position: a filter would pass over every row of every column of a long list.)
    aside = (body.select("_row", *[f"c{j}" for j in range(grid.width)])[other.arg_true()] if other.any()
             else None)
    skipped.sort(key=lambda s: s["row"])
    block_start = i - 1 if label_row else i
    return ListData(frame=data, fields=found, headers=headers, header_row=header_row,
                    sheet=sheet, skipped=skipped, warnings=_other_table_warning(skipped, data["_row"]), aside=aside,
                    date1904=grid.date1904,
                    header_block=[(k + 1, list(rows[k])) for k in range(block_start, min(body_start, len(rows)))])


# A line naming the group of the rows below it (KUBE lists written one group after another):
# "NAMA KELOMPOK : KUBE RUKUN JAYA 1", "Kelompok: Mawar", "NAMA KUBE : MELATI". The colon is needed:
# "KELOMPOK USAHA BERSAMA" is a title.
_GROUP_LINE = r"(?i)^\W*(?:NAMA\s+)?(?:KELOMPOK|KUBE)(?:\s+KUBE)?\s*:\s*(\S.*?)\s*$"


def _group_lines(data: pl.DataFrame, grid: Grid, aside: pl.DataFrame,
                 above: list[list[str]]) -> tuple[pl.DataFrame, set[int]]:
    """The group's name for each row from the "NAMA KELOMPOK : …" line above it (above the header,
    or among the rows set aside below it), when the list has no group-name column; and the row
    numbers of those lines."""
    lines = [(k + 1, " ".join(c for c in r if c)) for k, r in enumerate(above)]
    if aside.height:
        lines += aside.select("_row", pl.concat_str([pl.col(f"c{j}").str.strip_chars() for j in range(grid.width)],
                                                   separator=" ", ignore_nulls=True)).iter_rows()
    groups = [(row, m.group(1)) for row, text in lines if (m := re.match(_GROUP_LINE, text or ""))]
    if not groups or data.height == 0:
        return data, set()
    names = pl.DataFrame(groups, schema={"_row": pl.Int32, "nama_kelompok": pl.Utf8}, orient="row").sort("_row")
    return data.join_asof(names, on="_row", strategy="backward"), {row for row, _ in groups}


def _other_table_warning(skipped: list[dict], data_rows: pl.Series) -> list[dict]:
    """Say where each table under the list begins and how many of its rows went unchecked: if
    they are recipients after all, the operator must move them into the list."""
    rows = sorted(s["row"] for s in skipped if s["why"] == "other_table")
    if not rows:  # (the common case: a long list is not copied into Python for nothing)
        return []
    listed = data_rows.to_list()
    runs: list[list[int]] = []
    for r in rows:  # a new table where list rows stand between two of its rows
        if not runs or bisect.bisect_left(listed, r) != bisect.bisect_left(listed, runs[-1][-1]):
            runs.append([r])
        else:
            runs[-1].append(r)
    n = len(rows) - len(runs)
    if n == 0:  # headers alone: nothing went unchecked
        return []
    # At most ten tables named; the rest counted (a list with hundreds would make one huge line).
    more = max(0, len(runs) - 10)
    heads = series_text([str(run[0]) for run in runs[:10]] + ([f"{more} tabel lainnya"] if more else []), "dan")
    heads_en = series_text([str(run[0]) for run in runs[:10]] + ([f"{more} more tables"] if more else []), "and")
    spans = [str(run[1]) if len(run) == 2 else f"{run[1]}–{run[-1]}" for run in runs[:10] if len(run) > 1]
    rest = sum(len(r) - 1 for r in runs[10:])
    spans_en = spans + ([f"{rest} more"] if more else [])
    spans += [f"{rest} baris lainnya"] if more else []
    one = n == 1
    return [{
        "code": "other_table",
        "message": f"Di bawah daftar ada tabel lain dengan judul kolomnya sendiri (baris {heads}); {n} barisnya "
                   f"(baris {series_text(spans, 'dan')}) tidak diperiksa sebagai penerima. Jika mereka penerima, "
                   "pindahkan baris-baris itu ke dalam daftar di atas lalu kirim lagi.",
        "message_en": f"Below the list there is another table with its own header (row {heads_en}); its {n} "
                      f"{'row' if one else 'rows'} ({'row' if one else 'rows'} {series_text(spans_en, 'and')}) "
                      f"{'was' if one else 'were'} not checked as recipients. If they are recipients, move them "
                      "into the list above and send it again.",
    }]


def series_text(items: list[str], word: str) -> str:
    """'A', 'A dan B', 'A, B, dan C' (a comma before the last word of a longer series, as EYD asks)."""
    return f" {word} ".join(items) if len(items) <= 2 else ", ".join(items[:-1]) + f", {word} {items[-1]}"


def _field_columns(found: dict[str, int]) -> list[pl.Expr]:
    exprs = []
    for f, j in found.items():
        exprs.append(pl.col(f"c{j}").alias(f))
        if f in NUMERIC_AWARE:
            exprs.append(pl.col(f"n{j}").alias(f"{f}__num"))
    return exprs


# The date is the last part of "MEDAN, 12-03-1970", "MEDAN 12 Maret 1970" or "Medan / 1970-03-12".
_TTL_DATE = (r"(\d{1,2}\s*[-/. ]\s*(?:\d{1,2}|[A-Za-z]{3,10})\s*[-/. ]\s*\d{2,4}"
             r"|\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{2}:\d{2}(?::\d{2})?)?|\d{5,8})\s*$")


def _split_ttl(found: dict[str, int]) -> list[pl.Expr]:
    ttl = pl.col("tempat_tanggal_lahir").str.strip_chars().str.strip_chars_end(". ")  # "…, 12 MEI 1971."
    date = ttl.str.extract(_TTL_DATE, 1)
    place = (pl.when(date.is_not_null())
             .then(ttl.str.slice(0, ttl.str.len_chars() - date.str.len_chars()))
             .otherwise(ttl.str.extract(r"^([^,/]*)", 1))
             .str.strip_chars(" ,/-\t"))
    out = [pl.when(date.is_not_null()).then(date).otherwise(
        # An unparseable remainder is still the date part the operator typed.
        ttl.str.extract(r"[,/]\s*(.+)$", 1)).alias("tanggal_lahir"),
        pl.col("tempat_tanggal_lahir__num").alias("tanggal_lahir__num")]
    if "tempat_lahir" not in found:
        out.append(place.replace("", None).alias("tempat_lahir"))
    return out


def _classify(body: pl.DataFrame, width: int, found: dict[str, int], headers: list[str],
              header_map: dict[str, str] | None = None, sub_row: list[str] | None = None,
              typed_header: list[str] | None = None) -> pl.Series:
    """Why each row below the header is not data (null for data rows).

    Only rows without an ID number can be non-data, and those are few: the text tests run on
    them alone, so a million-row list pays for one cheap digit count per row."""
    # (A sub-header "NO." under REKENING names the account column, not the row numbers.)
    seq_cols = {j for j, h in enumerate(headers) if header_key(h) in SEQUENCE_HEADERS and j not in found.values()}
    content = [j for j in range(width) if j not in seq_cols]
    cell = {j: pl.col(f"c{j}").str.strip_chars() for j in range(width)}
    id_cols = [found[f] for f in ("nik", "no_kk", "no_rekening") if f in found]
    # Six digits in a row: an ID typed with separators merely becomes a candidate, and candidates
    # with several filled cells stay data.
    # A cell of plain digits (a cheap cast) settles most rows, and the first ID column (the NIK)
    # settles nearly all: each further column and the regex look only at the rows still open.
    # (Nor is a group's number in a "NAMA KELOMPOK : KUBE-1271170001" line typed in the NIK column.)
    has_id = pl.any_horizontal([(pl.col(f"c{j}").str.contains(r"\d{6}") & ~pl.col(f"c{j}").str.contains(_NIP)
                                 & ~pl.col(f"c{j}").str.contains(_GROUP_LINE)).fill_null(False) for j in id_cols])
    why = pl.repeat(None, body.height, dtype=pl.Utf8, eager=True).alias("_why")
    rest = pl.DataFrame({"_i": pl.int_range(0, body.height, dtype=pl.UInt32, eager=True)})
    for j in id_cols:
        cells = body.get_column(f"c{j}") if rest.height == body.height else body.get_column(f"c{j}").gather(rest["_i"])
        c = pl.col(cells.name)
        plain = cells.to_frame().select(plain_digits(c) & (c.str.len_bytes() >= 6)).to_series()
        rest = rest.filter(~plain.fill_null(False))
        if rest.height == 0:
            return why
    cand_idx = rest.with_columns(body[rest["_i"]].select(has_id.alias("has_id")).to_series()).filter(
        ~pl.col("has_id")).select("_i")
    if cand_idx.height == 0:
        return why
    cand = body[cand_idx["_i"]]
    # A numbering column counts when it holds words: a section heading is often typed there. A
    # cell of dashes, equals signs or dots only (a separator line typed across the table) is empty.
    filled = [cell[j].fill_null("").str.contains(_SOMETHING) for j in content] + [
        cell[j].fill_null("").str.contains(r"[A-Za-z]{3}") for j in seq_cols]
    cand_idx = cand_idx.with_columns(
        cand.select((pl.sum_horizontal(filled) if filled else pl.lit(0)).alias("n_filled")).to_series())
    joined = pl.concat_str([cell[j] for j in range(width)], separator=" ", ignore_nulls=True).str.to_uppercase()
    # A heading's words after its list marker (the marker often sits in the NO column).
    headline = joined.str.replace(_LIST_MARKER, "")
    # A repeated header may spell a column another recognised way ("Nomor KK" for "NO KK").
    spellings: dict[str, set[str]] = {}
    for k, f in (header_map or {}).items():
        spellings.setdefault(f, set()).add(k)
    mapped_keys = [(j, [header_key(headers[j]), *sorted(spellings.get(f, ()))]) for f, j in found.items()
                   if headers[j]]
    # (Evaluated on the candidate rows only, with the header key of rulebook.py in vectorised form.)
    repeats = pl.sum_horizontal([
        header_key_expr(cell[j].fill_null("")).is_in(keys) for j, keys in mapped_keys
    ]) if mapped_keys else pl.lit(0)
    n = pl.lit(cand_idx["n_filled"])
    # The second header row repeated on a later page (BUMIL | SD | SMP, BANK | NO.): every filled
    # cell as in that row, at least two of them.
    filled_cells = pl.sum_horizontal([cell[j].fill_null("").str.contains(_SOMETHING) for j in range(width)])
    sub = [(j, v.upper()) for j, v in enumerate(sub_row or []) if v and j < width]
    sub_repeat = (pl.sum_horizontal([cell[j].fill_null("").str.to_uppercase().eq(v) for j, v in sub]) if sub
                  else pl.lit(0))
    sub_repeat = (sub_repeat >= 2) & (sub_repeat == filled_cells)
    # A one-cell line of words in an ID column (a page title typed in column A holding the NIK).
    id_text = pl.any_horizontal([
        cell[j].fill_null("").str.contains(r"[A-Za-z]{3}") & ~cell[j].fill_null("").str.contains(r"\d{6}")
        for j in id_cols]) if id_cols else pl.lit(False)
    row_pos = pl.lit(cand_idx["_i"])
    # A total without its label: the amount (a number or a SUM) with no one to pay it to. The NIK
    # cell may hold a count (=COUNTA(B2:B21) gives 20) and the name cell "20 KPM".
    counts = {"nik": r"^\d{0,5}$", "nama": r"(?i)^(?:\d+\s*(?:KPM|ORANG|JIWA|KK|PENERIMA|KELUARGA|RTS|PM)?\.?)?$"}
    nobody = pl.all_horizontal([cell[found[f]].fill_null("").str.contains(counts[f]) for f in ("nik", "nama")
                                if f in found])
    # (An amount: digits, "Rp", a SUM; not "Medan, 2 Maret 2026" typed in the amount column.)
    amount_cell = cell[found["nominal"]].fill_null("") if "nominal" in found else pl.lit("")
    looks_amount = ((amount_cell.str.contains(r"[1-9]") & ~amount_cell.str.contains(r"[A-Za-z]{3,}"))
                    | amount_cell.str.contains(r"(?i)^\s*=?\s*SUM\("))  # a 0 on an unused template row is no total
    unlabelled_total = (n <= 3) & nobody & looks_amount if "nominal" in found else pl.lit(False)
    # The label may sit in the NO, NIK, KK or name column with a count of recipients left of it
    # (=COUNTA in the NO or NIK column); with a name beside it, a row is a person ("JML ART 4" in
    # a note is no total).
    label_cols = sorted(seq_cols | {found[f] for f in ("nik", "no_kk", "nama") if f in found})
    total_cell = pl.any_horizontal([cell[j].fill_null("").str.to_uppercase().str.contains(_TOTAL)
                                    for j in label_cols]) if label_cols else pl.lit(False)
    name_cell = cell[found["nama"]].fill_null("") if "nama" in found else pl.lit("")
    no_name = name_cell.str.contains(counts["nama"]) | name_cell.str.to_uppercase().str.contains(_TOTAL)
    total = joined.str.contains(_TOTAL) | unlabelled_total | ((n <= 5) & total_cell & no_name)
    # The signature block comes after the list: after its last row with an ID (or, in a list
    # with no IDs typed at all, its last row of three or more cells). A word such as SEKRETARIS,
    # PETUGAS or "a.n." on a row inside the list is a jabatan, a job or a note, not a signature.
    cand_pos = set(cand_idx["_i"].to_list())
    last_data = body.height - 1
    while last_data >= 0 and last_data in cand_pos:
        last_data -= 1
    if last_data < 0:
        wide = cand_idx.filter(pl.col("n_filled") >= 3)["_i"]
        last_data = wide.max() if wide.len() else -1
    after_list = row_pos > last_data
    ends_list = after_list & (n <= 2) & joined.str.contains(_SIGNATURE)
    # A one-cell line that begins like a signature line ("Mengetahui,", "NIP. 1970…", "Camat …")
    # is one wherever it stands, e.g. above a late addition to the list; it starts no block there.
    # (Two signers side by side, "Mengetahui, | Pendamping PKH", make a row of two such cells;
    # "KEPALA DESA LAMA | L" is a person with a sex.)
    signer_cells = pl.sum_horizontal([cell[j].fill_null("").str.to_uppercase().str.contains(_SIGNATURE)
                                      for j in content]) if content else pl.lit(0)
    marker = ends_list | (((n <= 1) | ((n == 2) & (signer_cells == 2))) & joined.str.contains(_SIGNATURE_LINE))
    # The block starts at its first marker ("Mengetahui", "Camat …"), not at a total.
    first_footer = cand.select(pl.when(ends_list).then(row_pos).min()).item()
    # Notes ("Keterangan :" and the numbered lines under it) likewise, before or after the block.
    notes_line = (n <= 2) & joined.str.contains(_NOTES)
    first_notes = cand.select(pl.when(after_list & notes_line).then(row_pos).min()).item()
    sig_at = first_footer if first_footer is not None else body.height
    notes_at = first_notes if first_notes is not None else body.height
    # A row belongs to the later of the two blocks that began above it.
    footer = (row_pos >= sig_at) & ((row_pos < notes_at) | pl.lit(sig_at > notes_at))
    in_notes = (row_pos >= notes_at) & ((row_pos < sig_at) | pl.lit(notes_at > sig_at))
    # The page furniture Excel prints again on every page, typed into the list: a title line, the
    # "1 2 3 …" row under a repeated header.
    small = pl.sum_horizontal([cell[j].fill_null("").str.contains(_COLUMN_MARK) for j in content]) \
        if content else pl.lit(0)
    # No NIK, KK, name or account: nothing identifies a recipient (e.g. a spacer row that only
    # shows the kelurahan of a merged cell over it).
    identity = [found[f] for f in ("nik", "no_kk", "nama", "no_rekening") if f in found]
    no_one = pl.all_horizontal([cell[j].fill_null("").eq("") for j in identity]) if identity else pl.lit(False)
    # A heading line is one cell; with a second cell (a sex, a jabatan) it is a person whose name
    # happens to begin "DESA …" or "KELOMPOK …".
    heading = n <= 1
    # "NIK" in the NIK column is a header, whatever else the row names: the header of a second
    # table below the list (a recap of the pendamping) is not a recipient.
    nik_keys = dict(mapped_keys).get(found.get("nik", -1), [])
    nik_header = (header_key_expr(cell[found["nik"]].fill_null("")).is_in(nik_keys)
                  if nik_keys else pl.lit(False))
    reasons = cand.select(
        pl.when(n == 0).then(pl.lit("blank"))
        .when(repeats >= max(2, (len(mapped_keys) + 1) // 2)).then(pl.lit("repeated_header"))
        .when(nik_header & (n >= 2)).then(pl.lit("repeated_header"))
        .when(sub_repeat).then(pl.lit("repeated_header"))
        .when((n <= 2) & joined.str.contains(_GROUP_LINE)).then(pl.lit("section"))
        .when(total).then(pl.lit("total"))
        .when(marker).then(pl.lit("signature"))
        .when(((n <= 1) | after_list) & notes_line).then(pl.lit("notes"))
        .when(in_notes & (n <= 2)).then(pl.lit("notes"))
        .when(footer & (n <= 2)).then(pl.lit("signature"))
        .when(heading & (joined.str.contains(_SECTION) | headline.str.contains(_SECTION))).then(pl.lit("section"))
        .when(heading & (joined.str.contains(_TITLE) | headline.str.contains(_TITLE))).then(pl.lit("title"))
        # The same headings written "label : value" over two or three cells (KELURAHAN | : DARAT).
        # (Without the colon, a second cell is a person's: DESA PURNAMASARI | P.)
        .when((n <= 3) & (joined.str.contains(_SECTION_KV) | headline.str.contains(_SECTION_KV)))
        .then(pl.lit("section"))
        .when((n <= 3) & joined.str.contains(_LABEL_LINE) & joined.str.contains(_TITLE + "|" + _KV_TITLE))
        .then(pl.lit("title"))
        .when((filled_cells == 1) & id_text).then(pl.lit("title"))
        .when((n >= 3) & (small == n)).then(pl.lit("column_numbers"))
        # The lower row of a two-row header, repeated on a later page (TEMPAT | TANGGAL).
        .when((n >= 2) & (repeats == n)).then(pl.lit("repeated_header"))
        .when((n <= 2) & no_one).then(pl.lit("blank"))
        .otherwise(None).alias("_why")
    ).to_series()
    # A signature block inside the list (each page or kelurahan signed): the signer's name between
    # "Mengetahui"/"Lurah …" and "NIP …", a few rows apart, is part of it, not a recipient.
    signed = [p for p, r in zip(cand_idx["_i"].to_list(), reasons.to_list(), strict=True) if r == "signature"]
    gaps = {q for a, b in zip(signed, signed[1:], strict=False) if b - a <= 4 for q in range(a + 1, b)}
    if gaps:
        short = dict(cand.select(row_pos, n).filter(pl.lit(cand_idx["_i"]).is_in(sorted(gaps))).iter_rows())
        at = {p: k for k, p in enumerate(cand_idx["_i"].to_list()) if p in short}
        fill = [at[p] for p, size in short.items() if size <= 2 and reasons[at[p]] in (None, "title")]
        if fill:
            reasons = reasons.scatter(fill, "signature")
    why = why.scatter(cand_idx["_i"], reasons)
    # A second table under the list (a recap of the pendamping, a DAFTAR KPM YANG DIHAPUS): a row
    # naming the NIK column by its header, below at least one data row, that is not the list's
    # header repeated on a later page, or that is but under a title naming a list of people not
    # paid. Its rows are no recipients, IDs and all. (A signature block inside the list is no
    # sign: lists made of each kelurahan's signed block are common.)
    first_data = 0
    while first_data in cand_pos:
        first_data += 1
    # The list's header repeated on a later page writes most headers again, each in its own
    # column (as the header was typed, or as read with its sub-headers), a typo or two aside;
    # another table's header shares a few ("NO", "NIK", "NAMA") and adds its own.
    field_at = {j: set(keys) for j, keys in mapped_keys}
    refs = [[(j, {header_key(h), *field_at.get(j, ())}) for j, h in enumerate(ref) if h and j < width]
            for ref in (headers, typed_header or [])]

    def own_header(cells: list[str]) -> bool:
        filled = sum(1 for v in cells if any(ch.isalnum() for ch in v))  # as _SOMETHING
        for place_keys in refs:
            same = sum(1 for j, keys in place_keys if header_key(cells[j]) in keys)
            if place_keys and same * 3 >= len(place_keys) * 2 and filled - same <= max(1, len(place_keys) // 3):
                return True
        return False

    def names_other_list(line: str) -> bool:
        """A title of people not paid; not a note, not a scope ("… TIDAK TERMASUK KPM DIHAPUS")."""
        return (bool(re.search(_OTHER_LIST, line)) and not re.search(_NOTES, line)
                and not re.search(r"\bTERMASUK\b", line))

    # (Rows naming the NIK column by its header are few: the test runs on them in Python.)
    starts = [(row[0], own_header([str(v).strip() for v in row[1:]])) for row in cand.select(
        row_pos.alias("p"), *[pl.col(f"c{j}").fill_null("") for j in range(width)],
        (nik_header & (n >= 2) & (row_pos > first_data)).alias("_h")).filter(pl.col("_h")).drop("_h").iter_rows()]
    # Titles of short rows by position, to read the lines above a header.
    lines = dict(cand.select(row_pos.alias("p"), pl.when(n <= 2).then(joined).alias("t")).drop_nulls().iter_rows())
    # Another table runs to the end of the sheet, or until the list's own header comes again under
    # a title naming recipients ("DAFTAR KPM PENGGANTI" after "DAFTAR KPM DIHAPUS").
    ranges: list[tuple[int, int]] = []
    open_at = None
    for p, own in starts:
        titles = [lines.get(q, "") for q in range(p - 1, p - 6, -1)]  # nearest first
        named = any(names_other_list(t) for t in titles)
        # The nearest title that names either kind of list decides whether the list resumes.
        nearest = next((t for t in titles if names_other_list(t) or re.search(_RECIPIENTS, t)), "")
        if open_at is None and (not own or named):
            open_at = p
        elif open_at is not None and own and nearest and not names_other_list(nearest):
            ranges.append((open_at, p))
            open_at = None
    if open_at is not None:
        ranges.append((open_at, body.height))
    if not ranges:
        return why
    pos = pl.int_range(pl.len(), dtype=pl.Int64)
    inside = pl.any_horizontal([(pos >= a) & (pos < b) for a, b in ranges])
    first = pos.is_in([a for a, _ in ranges])
    return why.to_frame().select(pl.when(inside & (pl.col("_why").is_null() | first)).then(pl.lit("other_table"))
                                 .otherwise(pl.col("_why")).alias("_why")).to_series()
