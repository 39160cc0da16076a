"""The raw archive: fetched pages kept as WARC records (``warc``), indexed in SQLite
(``aggregator.storage.archive``), read back by `lednews process` (docs/archive.md)."""

from aggregator.archive.warc import ArchiveWriter, StoredPage, iter_pages, payload_digest, read_page

__all__ = ["ArchiveWriter", "StoredPage", "iter_pages", "payload_digest", "read_page", "archive_dir", "prune"]


def archive_dir(db: str) -> str:
    """``DIR/archive`` beside the database ``DIR/news.db``."""
    from pathlib import Path

    return str(Path(db).resolve().parent / "archive")


def prune(storage: object, directory: str, days: int, dry_run: bool = False) -> tuple[list[str], int, int, str]:
    """Delete the archive files whose records are all older than ``days`` (and that hold
    no body a kept revisit refers to): index rows first, then the files. Returns (files,
    bytes, index rows, the cutoff date)."""
    from datetime import datetime, timedelta, timezone
    from pathlib import Path

    before = (datetime.now(timezone.utc) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    root = Path(directory)
    files = storage.archive_prunable(before)  # type: ignore[attr-defined]
    size = sum((root / f).stat().st_size for f in files if (root / f).is_file())
    if dry_run:
        return files, size, 0, before
    rows = storage.forget_archive_files(files)  # type: ignore[attr-defined]
    for f in files:
        (root / f).unlink(missing_ok=True)
    return files, size, rows, before
