"""No NIK in the server's logs: the access log would otherwise print `/api/v1/lookup?nik=…`.

Two rules. A request target (the access log's path and query, the path of an internal error) is
user input in whatever form the look-up accepts, so it is treated strictly: its query values are
never logged (only harmless ones such as `page=2` or `status=review`), and its path is read
percent-decoded, any run of 8 or more digits split by any separators masked. Other log text keeps
a looser rule that leaves timestamps and addresses readable."""

from __future__ import annotations

import logging
import re
from urllib.parse import quote, unquote, unquote_plus

# A NIK or KK is 16 digits, an account number 10 to 15; two pasted together are 32. The look-up
# accepts a NIK typed with spaces, dots or dashes ("1271.1749.1164.0016"), so a run may carry
# separators too: any one to three characters that are not letters or digits (a tab, a no-break
# space, "..", "%20"), the same throughout the run, so a timestamp ("2026-11-22 15:09:47") is not
# one run, and at least 10 digits when separated, so a date (8) is not taken for an ID.
_SEP = r"(?:[^\w\r\n]|_|%[0-9A-Fa-f]{2}){1,3}"
DIGIT_RUN = re.compile(rf"(?<!\d)\d+(?:({_SEP})\d+(?:\1\d+)*)?(?!\d)")

# In a request target (percent-decoded): digits with up to three separators of any mix between
# them, 8 digits or more (an ID is 10 to 16; a batch id such as pkh_2026-03_v1 keeps its period),
# not glued to letters (a submission id is 16 hex characters and keeps its digits) — or 12 digits
# or more in a row wherever they are.
_TARGET_RUN = re.compile(r"(?<![^\W_])\d+(?:[\W_]{1,3}\d+)*(?![^\W_])|\d{12,}")
# Query keys whose values are logged: short words and numbers that are no personal data.
SAFE_KEYS = frozenset({"page", "per_page", "status", "code", "kode", "program", "period", "periode"})
_SAFE_VALUE = re.compile(r"[A-Za-z0-9_.\-]{1,40}")
HIDDEN = "***"


def _mask_digits(digits: str) -> str:
    if len(digits) == 16:  # as everywhere else: first 6 (the region), last 4
        return digits[:6] + "******" + digits[-4:]
    return "*" * (len(digits) - 3) + digits[-3:]


def _mask(match: re.Match) -> str:
    run = match.group()
    digits = re.sub(r"\D", "", re.sub(r"%[0-9A-Fa-f]{2}", "", run))
    if len(digits) < (10 if match.group(1) else 8):
        return run
    return _mask_digits(digits)


def _mask_target_run(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group())
    return _mask_digits(digits) if len(digits) >= 8 else match.group()


def mask_digits(text: str) -> str:
    """Every run of 8 or more digits masked (separators inside the run included): NIK, KK,
    account numbers, and any of them glued together."""
    return DIGIT_RUN.sub(_mask, text)


def mask_target(target: str) -> str:
    """A request target as it may be logged: the path percent-decoded with digit runs masked
    (quoted again, so a decoded newline cannot forge a log line), each query key kept if it is a
    plain name, each query value replaced by `***` unless its key is in SAFE_KEYS and the value is
    a short word with at most 6 digits."""
    path, sep, query = target.partition("?")
    decoded = unquote(path)
    for _ in range(3):  # "%2531" is "%31" is "1": decode until nothing changes (a few times at most)
        again = unquote(decoded)
        if again == decoded:
            break
        decoded = again
    path = quote(_TARGET_RUN.sub(_mask_target_run, decoded), safe="/:@!$&'()*+,;=-._~")
    if not sep:
        return path
    parts = []
    for part in query.split("&"):
        key, eq, value = part.partition("=")
        key = unquote_plus(key)
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,30}", key):
            key = HIDDEN
        value = unquote_plus(value)
        if value and not (key in SAFE_KEYS and _SAFE_VALUE.fullmatch(value)
                          and sum(ch.isdigit() for ch in value) <= 6):
            value = HIDDEN
        parts.append(key + eq + value)
    return path + "?" + "&".join(parts)


def _mask_arg(value: str) -> str:
    # The access log's third argument, and the path of an internal error, begin with "/".
    return mask_target(value) if value.startswith("/") else mask_digits(value)


class MaskNik(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_mask_arg(a) if isinstance(a, str) else a for a in record.args)
        record.msg = mask_digits(str(record.msg))
        return True


def install() -> None:
    """Once per process, on the loggers uvicorn writes to."""
    for name in ("uvicorn.access", "uvicorn.error", "bansos.api"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskNik) for f in logger.filters):
            logger.addFilter(MaskNik())
