"""No NIK in the server's logs: the access log would otherwise print `/api/v1/lookup?nik=…`."""

from __future__ import annotations

import logging
import re

# A NIK or KK is 16 digits, an account number 10 to 15; two pasted together are 32.
LONG_DIGITS = re.compile(r"(?<!\d)\d{8,}(?!\d)")


def _mask(match: re.Match) -> str:
    run = match.group()
    if len(run) == 16:  # as everywhere else: first 6 (the region), last 4
        return run[:6] + "******" + run[-4:]
    return "*" * (len(run) - 3) + run[-3:]


def mask_digits(text: str) -> str:
    """Every run of 8 or more digits masked: NIK, KK, account numbers, and any of them glued together."""
    return LONG_DIGITS.sub(_mask, text)


class MaskNik(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(mask_digits(a) if isinstance(a, str) else a for a in record.args)
        record.msg = mask_digits(str(record.msg))
        return True


def install() -> None:
    """Once per process, on the loggers uvicorn writes to."""
    for name in ("uvicorn.access", "uvicorn.error", "bansos.api"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskNik) for f in logger.filters):
            logger.addFilter(MaskNik())
