"""SQLite storage: this package is the only code that imports sqlite_utils.

Schema comes from migrations (``schema.MIGRATIONS``), applied on every open. The
``Storage`` methods are grouped by what they keep: articles, templates and sources
(``articles``), the search index (``search``), story links and dedup state
(``dedup``), crawl runs and incremental state (``runs``), company and topic tags
(``entities``).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from aggregator.storage.archive import ArchiveStore
from aggregator.storage.articles import LEARN_WINDOW, ArticleStore, SaveResult
from aggregator.storage.common import StorageError, article_id
from aggregator.storage.dedup import DedupStore
from aggregator.storage.dedup_index import DedupIndexStore
from aggregator.storage.entities import EntityStore
from aggregator.storage.maintenance import MaintenanceStore
from aggregator.storage.runs import RunStore
from aggregator.storage.schema import MIGRATIONS

# ``Storage.check`` reads every page (``PRAGMA quick_check``) only up to this file size:
# 1.22 s of CPU (8.7 s wall under load 12) for the 896 MB file of 100k articles of
# bench/scale.py, before every crawl, ~10x that at 1M (issue 14: a crawl into a big
# database must cost about what it costs into an empty one). 256 MB: ~0.35 s at that
# rate; docs/reliability.md says how a big file gets its full check.
QUICK_CHECK_MAX_BYTES = 256 * 1024 * 1024

__all__ = ["Storage", "StorageError", "article_id", "SaveResult", "MIGRATIONS", "LEARN_WINDOW"]


class Storage(ArticleStore, DedupStore, DedupIndexStore, MaintenanceStore, RunStore, EntityStore,
              ArchiveStore):
    def __init__(self, path: str | Path, threads: bool = False) -> None:
        """``threads``: the connection may be used from another thread than this one
        (one at a time: the crawl's writer thread, aggregator.pipelines)."""
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = Database(sqlite3.connect(str(self.path), check_same_thread=not threads))
            self.db.execute("PRAGMA busy_timeout = 10000")
            self._refuse_foreign()  # before WAL mode or a migration changes anything
            self.db.enable_wal()
            # WAL + NORMAL syncs the log at checkpoints, not at every commit: a killed
            # process loses nothing committed and the file cannot be corrupted; only a
            # power loss or OS crash may roll back the last commits, which the next crawl
            # fetches again. A commit's fsync cost 27 ms here, 0.14 ms per article in
            # batches of 200 (cProfile of bench/storage.py's writes; issue 8).
            self.db.execute("PRAGMA synchronous = NORMAL")
            MIGRATIONS.apply(self.db)
            self._template_cache: dict[str, dict[str, Any]] = {}
        except (sqlite3.DatabaseError, OSError) as e:
            raise StorageError(f"cannot open database {self.path}: {e}") from e

    def _refuse_foreign(self) -> None:
        """Another application's database (tables, and no lednews migrations) is not
        changed: ``summary`` / ``status`` on it used to add lednews tables and a WAL."""
        tables = [r[0] for r in self.db.execute(
            "select name from sqlite_master where type in ('table', 'view')"
            " and name not like 'sqlite_%' order by name")]
        if not tables:
            return  # a new or empty file becomes a lednews database
        if "_sqlite_migrations" in tables and self.db.execute(
                "select count(*) from _sqlite_migrations where migration_set = 'lednews'").fetchone()[0]:
            return
        self.db.close()
        shown = ", ".join(tables[:3]) + (f" and {len(tables) - 3} more" if len(tables) > 3 else "")
        raise StorageError(f"{self.path} is not a lednews database (it holds {shown}, and no lednews "
                           f"migrations); refusing to change it")

    def close(self) -> None:
        self.db.close()

    def check(self, deep: bool | None = None) -> None:
        """``PRAGMA quick_check`` (reads every page, no index cross-check): raises
        ``StorageError`` naming the first problem of a corrupted file. ``deep=None``:
        only for a file of at most QUICK_CHECK_MAX_BYTES; a bigger one gets the shallow
        check (schema, first and last row of every table: a damaged header, a truncated
        or overwritten file), which costs the same at any size."""
        if deep is None:
            try:
                deep = os.path.getsize(self.path) <= QUICK_CHECK_MAX_BYTES
            except OSError:
                deep = True
        try:
            if deep:
                problems = [r[0] for r in self.db.execute("PRAGMA quick_check").fetchall()]
            else:
                problems = ["ok"]
                for (name,) in self.db.execute("select name from sqlite_master where type = 'table'"
                                               " and name not like 'sqlite_%' and sql not like 'create virtual%'"
                                               " collate nocase").fetchall():
                    table = self.db.table(name)  # sqlite-utils quotes the name
                    list(table.rows_where(limit=1))
                    try:
                        list(table.rows_where(order_by="rowid desc", limit=1))
                    except sqlite3.OperationalError as e:  # a WITHOUT ROWID table
                        if "rowid" not in str(e):
                            raise
        except sqlite3.DatabaseError as e:
            raise StorageError(f"database {self.path} is corrupted: {e}") from e
        if problems != ["ok"]:
            lines = [ln for p in problems for ln in p.splitlines() if not ln.startswith("***")]
            raise StorageError(f"database {self.path} is corrupted: {(lines or problems)[0]} "
                               f"({len(lines)}{'+' if len(lines) >= 100 else ''} problem(s); `sqlite3 {self.path} .recover` may save the rows)")
