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
    with s.db.atomic():  # old versions: one of the tables the shallow check reads
        s.db.conn.executemany(
            "insert into article_versions (article_id, version, title, text, published, content_hash,"
            " fetched_at, superseded_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
            [(f"a{i}", 1, "t", "x" * 900, None, "h", "2026-01-01", "2026-01-02") for i in range(4000)])
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
    assert any("article_versions" in q for q in seen)  # the big tables read


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
