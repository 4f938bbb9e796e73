"""No NIK in the server's logs: the access log would otherwise print `/api/v1/lookup?nik=…`."""

from __future__ import annotations

import logging
import re

# A NIK or KK is 16 digits, an account number 10 to 15; two pasted together are 32. The look-up
# accepts a NIK typed with spaces, dots or dashes ("1271.1749.1164.0016"), so a run may carry
# those separators too, also URL-encoded (%20, %2E, %2D, +).
# One separator throughout the run, so a timestamp ("2026-11-22 15:09:47") is not one run, and at
# least 10 digits when separated, so a date (8) is not taken for an ID.
DIGIT_RUN = re.compile(r"(?<!\d)\d+(?:([ .\-+]|%20|%2[EeDd])\d+(?:\1\d+)*)?(?![\d])")


def _mask(match: re.Match) -> str:
    run = match.group()
    digits = re.sub(r"\D", "", re.sub(r"%2[EeDd0]", "", run))
    if len(digits) < (10 if match.group(1) else 8):
        return run
    if len(digits) == 16:  # as everywhere else: first 6 (the region), last 4
        return digits[:6] + "******" + digits[-4:]
    return "*" * (len(digits) - 3) + digits[-3:]


def mask_digits(text: str) -> str:
    """Every run of 8 or more digits masked (separators inside the run included): NIK, KK,
    account numbers, and any of them glued together."""
    return DIGIT_RUN.sub(_mask, text)


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
