"""A throwaway Debian ``redis-server`` on a free loopback port (tests/test_frontier.py,
bench/frontier.py): no persistence, its files in ``workdir``."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    """A loopback port nothing listens on (at the moment of asking)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_redis(workdir: Path, attempts: int = 5) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``redis-server`` and wait until it accepts connections; a port taken between
    choosing it and binding it is retried. Returns the process and its ``redis://`` URL;
    raises RuntimeError when it never comes up."""
    for _attempt in range(attempts):
        port = free_port()
        proc = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                 "--appendonly", "no", "--dir", str(workdir)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                return proc, f"redis://127.0.0.1:{port}/0"
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.02)
        proc.kill()
        proc.wait()
    raise RuntimeError("redis-server did not start")
