"""One crawl at a time per data directory.

``DATA_DIR/lednews.lock`` holds the running crawl's PID and start time, and an
exclusive ``flock`` for as long as that process lives. The kernel drops the flock when
the process dies however it dies, so a lock file whose flock can be taken is stale
(its PID is reported and the lock taken over with a warning). Checking is immediate:
no waiting, no polling.
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

__all__ = ["LOCK_NAME", "LockHeld", "RunLock"]

LOCK_NAME = "lednews.lock"


class LockHeld(RuntimeError):
    """Another live process holds the lock; ``pid`` names it (None if unreadable)."""

    def __init__(self, path: Path, pid: int | None, since: str | None) -> None:
        self.path, self.pid, self.since = path, pid, since
        who = f"PID {pid}" if pid else "another process"
        super().__init__(f"another crawl is running ({who}{', since ' + since if since else ''}); "
                         f"lock {path}")


def _read(path: Path) -> tuple[int | None, str | None]:
    try:
        parts = path.read_text("utf-8").split()
    except OSError:
        return None, None
    pid = int(parts[0]) if parts and parts[0].isdigit() else None
    return pid, (parts[1] if len(parts) > 1 else None)


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
    stale_pid: int | None = None
    _fh: IO[str] | None = None

    @property
    def path(self) -> Path:
        return Path(self.data_dir) / LOCK_NAME

    def acquire(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            raise LockHeld(self.path, *_read(self.path)) from None
        old_pid, _since = _read(self.path)
        if old_pid and old_pid != os.getpid():
            # flock was free: whoever wrote this PID is gone (or is not a lednews crawl)
            self.stale_pid = old_pid
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()} {datetime.now(timezone.utc).isoformat(timespec='seconds')}\n")
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
