"""Indonesian wording of the pages: dates, numbers, statuses and a person's story."""

from __future__ import annotations

import datetime as dt

from validator.errors import STATUS_TEXT

BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember"]
CHANNEL_TEXT = {"api": "penelusuran NIK (API)", "api-name": "penelusuran nama (API)",
                "web": "penelusuran NIK (halaman web)", "web-name": "penelusuran nama (halaman web)",
                "status": "status warga (publik)", "cli": "baris perintah"}
JOB_TEXT = {"queued": "menunggu giliran", "running": "sedang diperiksa", "done": "selesai", "failed": "gagal"}


def tanggal(value: dt.date | dt.datetime | str | None, with_time: bool = False) -> str:
    """'3 Maret 2026' (with the time: '3 Maret 2026, 14.05', as Indonesians write it)."""
    if value is None:
        return "-"
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    out = f"{value.day} {BULAN[value.month - 1]} {value.year}"
    if with_time and isinstance(value, dt.datetime):
        out += f", {value.hour:02d}.{value.minute:02d}"
    return out


def angka(n: int | float | None) -> str:
    """Thousands with a dot: 12.345."""
    return "-" if n is None else f"{int(n):,}".replace(",", ".")


def persen(rate: float | None) -> str:
    """A share as a percentage with a decimal comma: 0.071 -> '7,1%'."""
    return "-" if rate is None else f"{rate * 100:.1f}%".replace(".", ",")


def rupiah(n: int | float | None) -> str:
    return "-" if n is None else "Rp" + angka(n)


def _mid_sentence(title: str) -> str:
    """A reason's title inside a sentence: 'Nomor KK kosong' -> 'nomor KK kosong', but an
    abbreviation keeps its capitals ('NIK ganda dalam daftar', never 'nIK ganda')."""
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


def story(event: dict, kecamatan_name: str, program_name: str) -> str:
    """One event of a look-up as a sentence: 'diajukan Kecamatan Medan Baru, 3 Maret 2026;
    ditolak: nomor rekening rusak oleh format angka Excel; menunggu perbaikan dari kecamatan'."""
    parts = [f"{program_name} periode {event['period']}: diajukan Kecamatan {kecamatan_name}, "
             f"{tanggal(event['time'])}"]
    engine = event.get("engine_status", event["status"])
    reasons = [_mid_sentence(r["message"]) for r in event["reasons"]]
    parts.append(f"{STATUS_TEXT[engine]}: {', '.join(reasons)}" if reasons and engine != "accepted"
                 else STATUS_TEXT[engine])
    decision = event.get("decision")
    if decision and (event.get("superseded") or "berkas pencairan" in event["next_step"]):
        # The decision, then what came after it (the list replaced, the person paid).
        parts.append(f"keputusan Dinas Sosial, {tanggal(decision['decided_at'])}: "
                     f"{STATUS_TEXT.get(decision['decision'], decision['decision'])}; {event['next_step']}")
    elif decision:  # finance's decision on a review row is the step that counts now
        parts.append(f"keputusan Dinas Sosial, {tanggal(decision['decided_at'])}: {event['next_step']}")
    else:
        parts.append(event["next_step"])
    return "; ".join(parts)
