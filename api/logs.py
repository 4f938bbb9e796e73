"""No NIK in the server's logs: the access log would otherwise print `/api/v1/lookup?nik=…`."""

from __future__ import annotations

import logging
import re

# A NIK or KK is 16 digits; masked as everywhere else (first 6, last 4).
SIXTEEN_DIGITS = re.compile(r"(?<!\d)(\d{6})\d{6}(\d{4})(?!\d)")


def mask_digits(text: str) -> str:
    return SIXTEEN_DIGITS.sub(r"\1******\2", text)


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
