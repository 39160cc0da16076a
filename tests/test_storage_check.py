"""The check before a crawl (``Storage.check``) on a big file: the shallow check (its
cost does not grow with the file) still refuses a truncated or overwritten file; the
full ``quick_check`` runs on files up to QUICK_CHECK_MAX_BYTES (issue 14)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import aggregator.storage as storage_mod
from aggregator.storage import Storage, StorageError


def _big(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    s = Storage(path)
    s.db.execute("create table filler (id integer primary key, body text)")
    with s.db.atomic():
        s.db.conn.executemany("insert into filler (body) values (?)", [("x" * 900,) for _ in range(4000)])
    s.db.execute("pragma wal_checkpoint(truncate)")
    s.close()
    return path


def test_shallow_check_passes_a_sound_file_and_skips_quick_check(tmp_path: Path, monkeypatch) -> None:
    path = _big(tmp_path)
    monkeypatch.setattr(storage_mod, "QUICK_CHECK_MAX_BYTES", 1024)
    s = Storage(path)
    seen: list[str] = []
    s.db.conn.set_trace_callback(seen.append)
    s.check()
    s.close()
    assert not any("quick_check" in q.lower() for q in seen)
    assert any("filler" in q for q in seen)  # every table read


def test_shallow_check_refuses_an_overwritten_end(tmp_path: Path, monkeypatch) -> None:
    """The file's last page (the newest rows of the table written last) overwritten: the
    file still opens, the shallow check refuses it."""
    path = _big(tmp_path)
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        f.seek(size - 4096)
        f.write(b"\xff" * 4096)
    monkeypatch.setattr(storage_mod, "QUICK_CHECK_MAX_BYTES", 1024)
    with pytest.raises(StorageError, match="corrupted"):
        s = Storage(path)
        try:
            s.check()
        finally:
            s.close()


def test_small_file_gets_the_full_check(tmp_path: Path) -> None:
    path = _big(tmp_path)
    s = Storage(path)
    seen: list[str] = []
    s.db.conn.set_trace_callback(seen.append)
    s.check()
    s.close()
    assert any("quick_check" in q.lower() for q in seen)
