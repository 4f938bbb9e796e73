"""`bansos serve` on loopback in a process of its own, for the API benchmarks (api_speed, load)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(store: Path, data: Path, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start the server and wait until it accepts connections; returns (process, base URL).

    A process of its own, as it runs in an office: the clients' CPU work does not share the
    server's interpreter. Its output goes to a file beside `data`, not a pipe: a full pipe would
    stall the server."""
    port = free_port()
    log_path = data.parent / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "validator.cli", "serve", "--store", str(store),
                                 "--data", str(data), "--host", "127.0.0.1", "--port", str(port)],
                                env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("server did not start: " + log_path.read_text()[-2000:]) from None
            time.sleep(0.1)
