"""One writer at a time per data directory.

``DATA_DIR/lednews.lock`` holds the writing process's PID, start time and command
(``crawl``, ``scrapy crawl``, ``ingest``, ``dedup``, ``learn-templates``), and an
exclusive ``flock`` for as long as that process lives. The kernel drops the flock when
the process dies however it dies, so a lock file whose flock can be taken is stale
(its PID is reported and the lock taken over with a warning). A command waits for the
lock up to a bound (``lock_wait``), then gives up with ``LockHeld``.
"""

from __future__ import annotations

import fcntl
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

__all__ = ["LOCK_NAME", "LockHeld", "RunLock", "lock_wait"]

LOCK_NAME = "lednews.lock"
# How long a command waits for another writer, seconds (env LEDNEWS_LOCK_WAIT overrides
# both). A crawl behind a crawl gives up at once: the other run is doing the same work,
# and cron starts the next one anyway. The short writers wait up to a minute: they
# run seconds (learn-templates and a dedup pass on the 60,000-article database:
# docs/performance.md), and a crawl's end (linking, templates) takes about as long.
WAIT_CRAWL = 0.0
WAIT_WRITER = 60.0
# Poll interval while waiting: flock has no timeout; 0.1 s keeps the wait responsive.
_POLL = 0.1


def lock_wait(default: float) -> float:
    """``LEDNEWS_LOCK_WAIT`` (seconds, finite, >= 0) if set, else ``default``."""
    raw = os.environ.get("LEDNEWS_LOCK_WAIT", "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if 0 <= value < float("inf") else default


class LockHeld(RuntimeError):
    """Another live process holds the lock; ``pid`` names it (None if unreadable)."""

    def __init__(self, path: Path, pid: int | None, since: str | None, command: str | None = None,
                 waited: float = 0.0) -> None:
        self.path, self.pid, self.since, self.command = path, pid, since, command
        who = f"PID {pid}" if pid else "another process"
        what = f"lednews {command}" if command else "crawl"
        after = f" after waiting {waited:g}s" if waited else ""
        super().__init__(f"another {what} is running ({who}{', since ' + since if since else ''}) "
                         f"and holds the writer lock{after}; lock {path}")


def _read(path: Path) -> tuple[int | None, str | None, str | None]:
    try:
        parts = path.read_text("utf-8").split(maxsplit=2)
    except OSError:
        return None, None, None
    pid = int(parts[0]) if parts and parts[0].isdigit() else None
    return pid, (parts[1] if len(parts) > 1 else None), (parts[2].strip() if len(parts) > 2 else None)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


@dataclass
class RunLock:
    """``with RunLock(data_dir) as lock: ...``; ``lock.stale_pid`` is set when a stale
    lock was taken over."""

    data_dir: Path
    command: str = "crawl"
    stale_pid: int | None = None
    _fh: IO[str] | None = None

    @property
    def path(self) -> Path:
        return Path(self.data_dir) / LOCK_NAME

    def acquire(self, wait: float = 0.0) -> RunLock:
        """Take the lock, waiting up to ``wait`` seconds for another writer to finish."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.close()
                    raise LockHeld(self.path, *_read(self.path), waited=wait) from None
                time.sleep(_POLL)
        old_pid, _since, _cmd = _read(self.path)
        if old_pid and old_pid != os.getpid():
            # flock was free: whoever wrote this PID is gone (or is not a lednews crawl)
            self.stale_pid = old_pid
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()} {datetime.now(timezone.utc).isoformat(timespec='seconds')} {self.command}\n")
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        if self._fh is None:
            return
        try:
            self._fh.seek(0)
            self._fh.truncate()
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
        finally:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
