"""Crawl runs, errors, incremental crawl state and summaries (issues 2 and 6)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from aggregator.storage.common import now as _now

__all__ = ["RunStore", "KnownUrls"]


class KnownUrls(MutableMapping[str, "str | None"]):
    """What ``known_urls`` returned as a dict, read on demand: a URL is known when it
    has a ``fetched_urls`` row (its feed date) or is a stored article's URL or
    canonical URL (``None``). This run's changes stay in memory (the crawl stores them
    with its batches). Its own connection, opened on first use."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.changed: dict[str, str | None] = {}
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection | None:
        if self._conn is None and self.path and Path(self.path).is_file():
            # read only in use (never written); a plain connection, since a read-only one
            # cannot open a WAL file whose -shm is gone between runs
            self._conn = sqlite3.connect(self.path, check_same_thread=False, timeout=10)
        return self._conn

    def close(self) -> None:
        """Close the reading connection: left open, the crawl process exits without the
        last-connection checkpoint and leaves the committed tail in ``-wal`` (a copy of
        the ``.db`` file alone then lacks the stories linked at the end)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _lookup(self, url: str) -> tuple[bool, str | None]:
        if url in self.changed:
            return True, self.changed[url]
        c = self._db()
        if c is None:
            return False, None
        row = c.execute("select feed_date from fetched_urls where url = ?", [url]).fetchone()
        if row is not None:
            return True, row[0]
        stored = c.execute("select 1 from articles where canonical_url = ? union all"
                           " select 1 from articles where url = ? limit 1", [url, url]).fetchone()
        return stored is not None, None

    def __contains__(self, url: object) -> bool:
        return isinstance(url, str) and self._lookup(url)[0]

    def __getitem__(self, url: str) -> str | None:
        found, value = self._lookup(url)
        if not found:
            raise KeyError(url)
        return value

    def __setitem__(self, url: str, value: str | None) -> None:
        self.changed[url] = value

    def __delitem__(self, url: str) -> None:
        raise NotImplementedError("known URLs are never forgotten during a run")

    def __iter__(self) -> Iterator[str]:
        return iter(self.changed)

    def __len__(self) -> int:
        return len(self.changed)


class RunStore:
    db: Database

    # runs --------------------------------------------------------------------
    def start_run(self, mode: str, sources: list[str]) -> int:
        """A new run record. Called under the crawl lock, so an older run still marked
        ``running`` was killed (kill -9, power loss): it is marked ``interrupted``."""
        with self.db.atomic():
            self.db.execute("update crawl_runs set finish_reason = 'interrupted'"
                            " where finish_reason = 'running'")
            table = self.db.table("crawl_runs").insert({
                "started_at": _now(), "mode": mode, "sources": json.dumps(sources),
                "finish_reason": "running",
            })
        return int(table.last_pk or 0)

    def finish_run(self, run_id: int, **fields: Any) -> None:
        with self.db.atomic():
            self.db.table("crawl_runs").update(run_id, {"finished_at": _now(), **fields})

    def record_errors(self, run_id: int, errors: list[tuple[Any, ...]]) -> None:
        """Rows of ``(source, url, reason[, attempts])``; attempts default to 1."""
        if not errors:
            return
        now = _now()
        with self.db.atomic():
            self.db.table("crawl_errors").insert_all(
                ({"run_id": run_id, "source": s, "url": u, "reason": r, "at": now,
                  "attempts": int(rest[0]) if rest else 1}
                 for s, u, r, *rest in errors), batch_size=500)

    # reading -----------------------------------------------------------------
    def summary(self, brief: bool = False) -> dict[str, Any]:
        """Counts of the stored set. ``brief``: without ``languages`` and ``per_source``
        (the language count reads the whole ``articles`` table: 0.13 s of CPU, 0.47 s
        wall at 100k articles; a crawl's or an ingest's last line does not show them)."""
        q = self.db.execute
        out = {
            "articles": q("select count(*) from articles").fetchone()[0],
            "sources": q("select count(distinct source) from articles").fetchone()[0],
            "stories": q("select count(*) from stories").fetchone()[0],
            "multi_version_stories": q("select count(*) from stories where versions > 1").fetchone()[0],
        }
        if not brief:
            out["languages"] = dict(q("select coalesce(lang, '?'), count(*) from articles group by 1").fetchall())
            out["per_source"] = dict(q("select source, count(*) from articles group by 1 order by 1").fetchall())
        return out

    def last_run_complete(self) -> bool:
        """Did the latest ended run store everything it fetched? False after a run that
        failed to store (``store_failed``), was killed (``interrupted``) or shut down."""
        row = self.db.execute("select finish_reason from crawl_runs where finish_reason != 'running'"
                              " order by id desc limit 1").fetchone()
        return row is None or row[0] == "finished"

    def unfollowed_alternates(self) -> list[tuple[str, str]]:
        """``(source, url)`` of the other-language versions named by articles that runs
        which did not end cleanly stored, when that URL was neither fetched nor stored.

        A crawl reaches such a version only through its article (one hop from the
        language switcher); once the article is stored, the next run skips it as known
        and would never follow the link again. Seen in the I/O-error test: the English
        page stored, the run failed before its /cn/ twin, the rerun lost the twin."""
        last_ok = self.db.execute("select coalesce(max(id), 0) from crawl_runs"
                                  " where finish_reason = 'finished'").fetchone()[0]
        since = self.db.execute("select min(started_at) from crawl_runs where id > ?"
                                " and finish_reason != 'running'", [last_ok]).fetchone()[0]
        if since is None:
            return []
        out: list[tuple[str, str]] = []
        for source, alts in self.db.execute(
                "select source, alternate_urls from articles where first_seen >= ?"
                " and alternate_urls not in ('', '[]')", [since]):
            for url in json.loads(alts or "[]"):
                known = self.db.execute(
                    "select 1 from fetched_urls where url = ? union all select 1 from articles"
                    " where canonical_url = ? union all select 1 from articles where url = ? limit 1",
                    [url, url, url]).fetchone()
                if known is None:
                    out.append((source, url))
        return list(dict.fromkeys(out))

    def run(self, run_id: int) -> dict[str, Any]:
        """The record of run ``run_id`` (empty if there is none)."""
        rows = list(self.db.query("select * from crawl_runs where id = ?", [run_id]))
        return rows[0] if rows else {}

    def last_run(self) -> dict[str, Any] | None:
        rows = list(self.db.query("select * from crawl_runs order by id desc limit 1"))
        return rows[0] if rows else None

    # incremental state and per-source run rows (issue 6) ---------------------
    def known_urls(self) -> KnownUrls:
        """URL -> last feed/sitemap date seen for every article URL already fetched or
        stored (stored articles count under both their URL and canonical URL): a
        mapping that looks each URL up in the database (indexed) instead of holding
        every URL ever seen (issue 14: ~2 million strings at 1M articles)."""
        return KnownUrls(str(self.db.execute("pragma database_list").fetchone()[2]))

    def save_fetched(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        now = _now()
        with self.db.atomic():
            for row in rows:
                self.db.execute(
                    "insert into fetched_urls (url, source, feed_date, status, first_fetched, last_fetched)"
                    " values (?, ?, ?, ?, ?, ?) on conflict(url) do update set"
                    " feed_date = coalesce(excluded.feed_date, feed_date),"
                    " status = coalesce(excluded.status, status),"
                    " last_fetched = case when excluded.status is null then last_fetched"
                    " else excluded.last_fetched end",
                    [row["url"], row["source"], row.get("feed_date"), row.get("status"), now, now])

    def validators(self) -> dict[str, tuple[str | None, str | None]]:
        return {r[0]: (r[1], r[2]) for r in self.db.execute(
            "select url, etag, last_modified from start_validators").fetchall()}

    def save_validators(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        now = _now()
        with self.db.atomic():
            self.db.table("start_validators").upsert_all(
                ({**r, "checked_at": now} for r in rows), pk="url")

    def discovery_plans(self) -> dict[str, str]:
        """Source -> the JSON plan its discovery settled (aggregator.discovery.Plan)."""
        return {r[0]: r[1] for r in self.db.execute("select source, plan from source_discovery").fetchall()}

    def save_discovery_plans(self, plans: dict[str, tuple[str, str]]) -> None:
        """``{source: (home, plan JSON)}``, replacing what an earlier discovery stored."""
        now = _now()
        with self.db.atomic():
            self.db.table("source_discovery").upsert_all(
                ({"source": k, "home": home, "plan": plan, "updated": now} for k, (home, plan) in plans.items()),
                pk="source")

    def record_run_sources(self, run_id: int, rows: list[dict[str, Any]]) -> None:
        with self.db.atomic():
            self.db.table("crawl_run_sources").upsert_all(
                ({"run_id": run_id, **r} for r in rows), pk=("run_id", "source"))

    def health_rows(self, since: str) -> tuple[list[dict[str, Any]], dict[str, int]]:
        """Per-source run rows (with their run's start and finish reason) of finished
        runs, and new articles per source first seen at or after ``since``."""
        rows = list(self.db.query(
            "select s.*, r.started_at, r.finish_reason from crawl_run_sources s"
            " join crawl_runs r on r.id = s.run_id where r.finish_reason != 'running'"))
        new = dict(self.db.execute(
            "select source, count(*) from articles where first_seen >= ? group by 1", [since]).fetchall())
        return rows, new
