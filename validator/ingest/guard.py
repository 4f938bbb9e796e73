"""Refuse hostile workbooks before calamine opens them: zip bombs, XML entity tricks, encrypted files.

An xlsx or ods is a zip of XML parts. The zip's directory declares each part's size, so a part
that would inflate to gigabytes is refused from the directory alone. A directory can lie, though
(calamine inflates whatever the compressed bytes hold): every part is then inflated once here, a
megabyte at a time and kept nowhere, and a part that holds more than it declares is refused.
A DTD (where entity definitions live, as in "billion laughs" or an external entity) can only stand
before the root element, so the first few kilobytes of each XML part tell whether one is there.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from validator.errors import UserError, env_number

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted xlsx/xlsm is an OLE container holding these streams (ECMA-376 encryption).
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
PROLOG_BYTES = 4096


def max_unzipped_bytes() -> int:
    """All parts together, inflated. A 100,000-row xlsx holds about 150 MB of XML."""
    return int(env_number("BANSOS_MAX_UNZIPPED_MB", 2048) * 1024 * 1024)


# Sheet XML compresses about 10-30 times; a bomb compresses a thousand times. A part must be
# both this compressed and bigger than BOMB_MIN_BYTES to be refused on ratio alone.
MAX_RATIO = 200
BOMB_MIN_BYTES = 64 * 1024 * 1024


ZIP_MAGIC = b"PK\x03\x04"


def container(path: Path) -> str:
    """What the file is by its first bytes, whatever its name says: "zip" (xlsx, xlsm, ods),
    "ole" (xls, or an encrypted xlsx), "empty", or "other" (text: a CSV or a web page saved
    with an Excel name)."""
    with path.open("rb") as fh:
        magic = fh.read(8)
    if not magic:
        return "empty"
    if magic.startswith(ZIP_MAGIC):
        return "zip"
    return "ole" if magic == OLE_MAGIC else "other"


def check_workbook(path: Path) -> None:
    """Raise a UserError for a workbook calamine must not open; return for any other file."""
    with path.open("rb") as fh:
        magic = fh.read(8)
    if not magic:
        raise UserError(f"Berkas {path.name} kosong (0 byte). Simpan ulang daftar di Excel lalu kirim lagi.",
                        f"{path.name} is empty (0 bytes). Save the list again in Excel and send it again.",
                        code="file_empty")
    # An encrypted xlsx/xlsm/xlsb is no zip but an OLE container (an .xls always is one), whatever
    # the file is named.
    if magic == OLE_MAGIC:
        if _holds(path, ENCRYPTED_STREAM):
            raise protected(path)
        return
    if not magic.startswith(ZIP_MAGIC) or not zipfile.is_zipfile(path):
        return  # calamine's own error says it is not a workbook
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _check_sizes(path, infos)
            for info in infos:
                if _inflates_beyond(zf, info):
                    raise _refused(path, "size_lies")
                if info.filename.lower().endswith((".xml", ".rels")) and _has_dtd(zf, info):
                    raise _refused(path, "xml_entities")
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        raise _refused(path, "broken") from None


def _check_sizes(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    if sum(i.file_size for i in infos) > max_unzipped_bytes():
        raise _refused(path, "too_big_unzipped")
    for i in infos:
        if i.file_size > BOMB_MIN_BYTES and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise _refused(path, "bomb")


CHUNK = 1 << 20


def _inflates_beyond(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether the part's compressed bytes inflate to more than the size the directory declares.

    The compressed bytes are read from the file as a reader takes them (compress_size bytes after
    the part's local header) and inflated in steps that stop one byte past the declared size:
    nothing beyond that is ever produced, whatever the bytes hold."""
    if info.compress_type == zipfile.ZIP_STORED:
        return info.compress_size > info.file_size
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise NotImplementedError(info.compress_type)  # Excel and LibreOffice write only these two
    fp = zf.fp
    fp.seek(info.header_offset)
    local = fp.read(30)
    if len(local) < 30 or local[:4] != ZIP_MAGIC:
        raise zipfile.BadZipFile(info.filename)
    fp.seek(info.header_offset + 30 + int.from_bytes(local[26:28], "little") + int.from_bytes(local[28:30], "little"))
    inflate, room, left = zlib.decompressobj(-15), info.file_size + 1, info.compress_size
    while left > 0 and room > 0:
        chunk = fp.read(min(CHUNK, left))
        if not chunk:
            break
        left -= len(chunk)
        while chunk and room > 0:
            room -= len(inflate.decompress(chunk, min(room, CHUNK)))
            chunk = inflate.unconsumed_tail
    return room <= 0


def _has_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    with zf.open(info) as part:
        head = part.read(PROLOG_BYTES)
    upper = head.upper()
    return b"<!DOCTYPE" in upper or b"<!ENTITY" in upper


def _holds(path: Path, needle: bytes, limit: int = 64 * 1024 * 1024) -> bool:
    # The OLE directory sits anywhere in the file; an encrypted list is a few MB at most.
    with path.open("rb") as fh:
        return needle in fh.read(limit)


def protected(path: Path) -> UserError:
    return UserError(
        f"Berkas {path.name} dilindungi kata sandi. Buka di Excel, hapus kata sandinya, simpan, lalu kirim lagi.",
        f"{path.name} is password-protected. Remove the password in Excel and send it again.",
        code="file_protected",
    )


REASONS = {
    "too_big_unzipped": (
        "isinya terlalu besar setelah dibuka (lebih dari {mb} MB data di dalam berkas zip). Simpan ulang daftar "
        "di Excel sebagai .xlsx biasa, atau pecah per kecamatan",
        "it inflates to more than {mb} MB. Save the list again in Excel as a plain .xlsx, or split it"),
    "bomb": (
        "salah satu bagiannya mengembang lebih dari {ratio} kali saat dibuka (ciri berkas 'zip bomb', bukan "
        "daftar biasa). Buka berkas di Excel dan simpan ulang sebagai .xlsx",
        "one of its parts inflates more than {ratio} times (a zip bomb, not a plain list). Open it in Excel and "
        "save it again as .xlsx"),
    "size_lies": (
        "salah satu bagiannya berisi lebih banyak data daripada ukuran yang tercatat di berkas zip (berkas "
        "dimanipulasi atau rusak, bukan simpanan Excel). Buka berkas di Excel dan simpan ulang sebagai .xlsx",
        "one of its parts holds more data than the size its zip directory declares (a tampered or damaged file, "
        "not one Excel saved). Open it in Excel and save it again as .xlsx"),
    "xml_entities": (
        "berisi definisi entitas XML (DOCTYPE/ENTITY) yang tidak pernah dibuat oleh Excel atau LibreOffice. "
        "Buka berkas di Excel dan simpan ulang sebagai .xlsx",
        "it holds XML entity definitions (DOCTYPE/ENTITY) that Excel and LibreOffice never write. "
        "Open it in Excel and save it again as .xlsx"),
    "broken": (
        "rusak (isi zip tidak dapat dibuka). Buka di Excel dan simpan ulang sebagai .xlsx",
        "it is damaged (its zip content cannot be opened). Open it in Excel and save it again as .xlsx"),
}


def _refused(path: Path, why: str) -> UserError:
    mb = max_unzipped_bytes() // (1024 * 1024)
    text_id, text_en = REASONS[why]
    return UserError(f"Berkas {path.name} ditolak: " + text_id.format(mb=mb, ratio=MAX_RATIO) + ".",
                     f"{path.name} was refused: " + text_en.format(mb=mb, ratio=MAX_RATIO) + ".",
                     code="file_refused")
