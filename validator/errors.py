"""Errors a user can act on: one bilingual message, never a traceback."""

import re


class UserError(Exception):
    """A mistake in the input or the invocation. The CLI exits 2 and prints `message_id`."""

    def __init__(self, message_id: str, message_en: str = "", code: str = "input_error"):
        # A NIK or KK inside the message (a file named after one, a NIK typed as a path or a
        # kecamatan) is masked here, once for every message: it reaches stderr, job records, logs.
        message_id, message_en = mask_nik_like(message_id), mask_nik_like(message_en)
        super().__init__(message_id)
        self.message_id = message_id
        self.message_en = message_en
        self.code = code

    def line(self) -> str:
        # A message listing several problems, one a line, gets its English on a line of its own.
        sep = "\n" if "\n" in self.message_id else " / "
        return f"{self.message_id}" + (f"{sep}{self.message_en}" if self.message_en else "")


def env_number(name: str, default: float) -> float:
    """A positive number from the environment (a limit), or one clear line saying what to set."""
    import os

    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise UserError(f"Pengaturan {name}={text!r} tidak sah: tulis angka lebih dari 0, misalnya {default:g}.",
                        f"Setting {name}={text!r} is invalid: write a number above 0, e.g. {default:g}.",
                        code="bad_setting")
    return value


# A row's status as every Indonesian text names it (CLI, pages, API errors).
STATUS_TEXT = {"accepted": "diterima", "review": "perlu diperiksa", "rejected": "ditolak"}


def thousands(n: int) -> str:
    """A count as Indonesian writes it, thousands with a dot: 20.143."""
    return f"{n:,}".replace(",", ".")


# Digits with up to four separators of any kind between them: a NIK typed "1271 1719.1175-0015"
# is one run.
_ECHO_RUN = re.compile(r"\d+(?:[\W_]{1,4}\d+)*")


def mask_echo(text: str, min_digits: int = 6) -> str:
    """What a person typed, fit to be quoted back in a message: every run of `min_digits` or more
    digits (separators inside the run included) masked, a 16-digit one as a NIK is shown
    everywhere (127117******0015), others to their last 3 digits. A typo in a program name or a
    kecamatan stays readable; a NIK, KK or account number typed into the wrong field does not
    come back whole on a screen, in an error body or on stderr."""

    def mask(m: re.Match) -> str:
        digits = re.sub(r"\D", "", m.group())
        return m.group() if len(digits) < min_digits else _masked(digits)

    return _ECHO_RUN.sub(mask, str(text))


def _masked(digits: str) -> str:
    """A run of digits as every message shows it: a 16-digit one as a NIK (127117******0015),
    any other to its last 3 digits."""
    return digits[:6] + "******" + digits[-4:] if len(digits) == 16 else "*" * (len(digits) - 3) + digits[-3:]


# Digits joined by at most one space, dot or dash: how a NIK is typed ("1271 1719 1175 0015").
_NIK_RUN = re.compile(r"\d(?:[ .\-]?\d)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")


def mask_nik_like(text: str) -> str:
    """Every NIK or KK quoted in a message masked (127117******0015): a run of 16 or more digits
    joined by at most one space, dot or dash (a longer one to its last 3). A date, a code, a file
    name's numbers or an amount written with thousands dots (2.000.000.000.000.000) stay as written."""

    def mask(m: re.Match) -> str:
        digits = re.sub(r"\D", "", m.group())
        return m.group() if len(digits) < 16 or _THOUSANDS.fullmatch(m.group()) else _masked(digits)

    return _NIK_RUN.sub(mask, str(text))


def disk_full(exc: BaseException) -> bool:
    """A write refused for want of space, however the library reports it (OSError ENOSPC,
    DuckDB's IOException or FatalException quoting the system's words)."""
    import errno

    return getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or "No space left on device" in str(exc) \
        or "Disk quota exceeded" in str(exc)


def disk_full_error(where: str, unchanged: str, where_en: str = "the history store") -> UserError:
    """One line for a full disk: where it happened, what stayed as it was, what to do."""
    return UserError(f"Disk penuh saat menulis ke {where}. {unchanged} Kosongkan ruang disk (atau pilih folder lain), "
                     "lalu ulangi.", f"The disk is full while writing to {where_en}. Free some space and try again.",
                     code="disk_full")


def id_as_period(period: str | None) -> UserError | None:
    """A NIK, KK or account number typed as the period (ten digits or more in a run, counting
    across a few separators, as mask_echo does; a date such as 2026-03-01 has eight): refused, and
    not repeated whole, since the period is stored and shown on every page of the list."""
    if period is None:
        return None
    masked = mask_echo(period, 10)
    if len(period) > 40 or any(ord(ch) < 32 or ord(ch) == 127 for ch in period):
        shown = re.sub(r"[\x00-\x1f\x7f]", "", masked)[:40]
        return UserError(f"Periode '{shown}…' terlalu panjang atau berisi karakter kendali. Tulis "
                         "periode penyaluran, misalnya 2026-T1 atau 2026-03.", "The period is too long or holds "
                         "control characters. Write e.g. 2026-T1 or 2026-03.", code="bad_period")
    if masked == period:
        return None
    return UserError(f"Periode '{masked}' berisi nomor panjang, bukan periode. Tulis periode penyaluran, "
                     "misalnya 2026-T1 atau 2026-03.", "The period holds a long number, not a period. Write e.g. "
                     "2026-T1 or 2026-03.", code="bad_period")
