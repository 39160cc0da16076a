"""The raw archive: fetched pages kept as WARC records (``warc``), indexed in SQLite
(``aggregator.storage.archive``), read back by `lednews process` (docs/archive.md)."""

from aggregator.archive.warc import ArchiveWriter, StoredPage, iter_pages, payload_digest, read_page

__all__ = ["ArchiveWriter", "StoredPage", "iter_pages", "payload_digest", "read_page", "archive_dir"]


def archive_dir(db: str) -> str:
    """``DIR/archive`` beside the database ``DIR/news.db``."""
    from pathlib import Path

    return str(Path(db).resolve().parent / "archive")
