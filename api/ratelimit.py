"""A per-client sliding-window limit, in memory (one server process; a restart forgets it)."""

from __future__ import annotations

import threading
import time
from collections import deque


class RateLimiter:
    def __init__(self, limit: int, window: float = 60.0, clock=time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> float | None:
        """None when the request may go on, else the seconds until it may."""
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return hits[0] + self.window - now
            hits.append(now)
            # Forget quiet clients so the table does not grow without bound.
            if len(self._hits) > 10_000:
                for k in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window]:
                    del self._hits[k]
            return None


def check_lookup(limiter: RateLimiter, account_id: str) -> None:
    """Council and finance look-ups per account: a stolen or curious account cannot walk the
    registry NIK by NIK. 429 with the envelope and Retry-After."""
    from api.errors import api_error

    wait = limiter.allow(f"account:{account_id}")
    if wait is not None:
        raise api_error(429, "lookup_rate_limited",
                        "Terlalu banyak penelusuran dari akun ini dalam satu menit. Tunggu sebentar, lalu coba lagi.",
                        "Too many look-ups from this account within a minute. Wait a little and try again.",
                        headers={"Retry-After": str(max(1, round(wait)))})
