"""SQLite storage: the only module that imports sqlite_utils.

Schema comes from migrations (``MIGRATIONS``), applied on every open (running them
twice is a no-op). Articles are keyed by a hash of their canonical URL, so a re-crawl
adds nothing; a changed text becomes a new version (the old one moves to
``article_versions``). Writes are batched in one transaction each (peers.md §5:
buffered inserts ~14x faster than one transaction per item).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils import Database, Migrations

from aggregator.dedup.fingerprint import MIN_HASH_CHARS
from aggregator.dedup.stories import ArticleRef, build_stories
from aggregator.items import Article

__all__ = ["Storage", "StorageError", "article_id", "SaveResult"]

MIGRATIONS = Migrations("lednews")


class StorageError(RuntimeError):
    pass


def article_id(canonical_url: str) -> str:
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()[:16]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    db.table("sources").create({
        "key": str, "name": str, "homepage": str, "languages": str, "domains": str,
        "user_defined": int, "notes": str,
    }, pk="key")
    db.table("stories").create({
        "id": str, "canonical_article_id": str, "title": str, "first_published": str,
        "languages": str, "versions": int, "sources": str, "evidence": str,
    }, pk="id")
    db.table("articles").create({
        "id": str, "url": str, "canonical_url": str, "source": str, "lang": str, "title": str,
        "text": str, "published": str, "republished": str, "author": str, "fetched_at": str,
        "first_seen": str, "content_hash": str, "extraction_method": str, "date_method": str,
        "story_id": str, "alternate_urls": str, "sibling_key": str, "sibling_seq": int,
        "warnings": str, "version": int,
    }, pk="id", foreign_keys=[("source", "sources", "key")])
    db.table("articles").create_index(["canonical_url"], unique=True)
    db.table("articles").create_index(["source", "published"])
    db.table("articles").create_index(["story_id"])
    db.table("articles").create_index(["content_hash"])
    db.table("article_versions").create({
        "article_id": str, "version": int, "title": str, "text": str, "published": str,
        "content_hash": str, "fetched_at": str, "superseded_at": str,
    }, pk=("article_id", "version"), foreign_keys=[("article_id", "articles", "id")])
    db.table("crawl_runs").create({
        "id": int, "started_at": str, "finished_at": str, "finish_reason": str, "mode": str,
        "sources": str, "requests": int, "responses": int, "responses_by_status": str,
        "new_articles": int, "updated_articles": int, "unchanged_articles": int,
        "errors": int, "fallbacks": int, "stats": str,
    }, pk="id")
    db.table("crawl_errors").create({
        "id": int, "run_id": int, "source": str, "url": str, "reason": str, "at": str,
    }, pk="id", foreign_keys=[("run_id", "crawl_runs", "id")])
    db.table("crawl_errors").create_index(["run_id"])


@MIGRATIONS()
def m050_crawl_error_attempts(db: Database) -> None:
    """How many requests a failed URL cost (first try plus retries)."""
    db.table("crawl_errors").add_column("attempts", int, not_null_default=1)


@dataclass
class SaveResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


_ARTICLE_FIELDS = ("url", "canonical_url", "source", "lang", "title", "text", "published",
                   "republished", "author", "fetched_at", "content_hash", "extraction_method",
                   "date_method", "sibling_key", "sibling_seq")
# A stored article changes (new version) only when one of these differs.
_VERSIONED = ("title", "content_hash", "published")


class Storage:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = Database(self.path)
            self.db.execute("PRAGMA busy_timeout = 10000")
            self.db.enable_wal()
            MIGRATIONS.apply(self.db)
        except (sqlite3.DatabaseError, OSError) as e:
            raise StorageError(f"cannot open database {self.path}: {e}") from e

    def close(self) -> None:
        self.db.close()

    def check(self) -> None:
        """``PRAGMA quick_check`` (reads every page, no index cross-check): raises
        ``StorageError`` naming the first problem of a corrupted file."""
        try:
            problems = [r[0] for r in self.db.execute("PRAGMA quick_check").fetchall()]
        except sqlite3.DatabaseError as e:
            raise StorageError(f"database {self.path} is corrupted: {e}") from e
        if problems != ["ok"]:
            lines = [ln for p in problems for ln in p.splitlines() if not ln.startswith("***")]
            raise StorageError(f"database {self.path} is corrupted: {(lines or problems)[0]} "
                               f"({len(lines)}{'+' if len(lines) >= 100 else ''} problem(s); `sqlite3 {self.path} .recover` may save the rows)")

    # sources -----------------------------------------------------------------
    def upsert_sources(self, profiles: Iterable[Any]) -> None:
        rows = [{
            "key": p.key, "name": p.name, "homepage": p.homepage,
            "languages": json.dumps(list(p.languages)), "domains": json.dumps(list(p.domains)),
            "user_defined": int(p.user_defined), "notes": p.notes,
        } for p in profiles]
        table = self.db.table("sources")
        with self.db.atomic():
            for row in rows:
                try:
                    if table.get(row["key"]) == row:
                        continue
                except sqlite_utils.db.NotFoundError:
                    pass
                table.upsert(row, pk="key")

    # articles ----------------------------------------------------------------
    def save_articles(self, articles: list[Article]) -> SaveResult:
        res = SaveResult()
        if not articles:
            return res
        table = self.db.table("articles")
        now = _now()
        with self.db.atomic():
            for a in articles:
                aid = article_id(a.canonical_url)
                row = {f: getattr(a, f) for f in _ARTICLE_FIELDS}
                row["alternate_urls"] = json.dumps(a.alternate_urls, ensure_ascii=False)
                row["warnings"] = json.dumps(a.warnings, ensure_ascii=False)
                try:
                    old = table.get(aid)
                except sqlite_utils.db.NotFoundError:
                    old = None
                if old is None:
                    table.insert({"id": aid, **row, "first_seen": now, "version": 1,
                                  "story_id": "s" + aid})
                    res.new += 1
                elif any(old[f] != row[f] for f in _VERSIONED):
                    self.db.table("article_versions").insert({
                        "article_id": aid, "version": old["version"], "title": old["title"],
                        "text": old["text"], "published": old["published"],
                        "content_hash": old["content_hash"], "fetched_at": old["fetched_at"],
                        "superseded_at": now,
                    })
                    table.update(aid, {**row, "version": old["version"] + 1})
                    res.updated += 1
                else:
                    res.unchanged += 1
        return res

    def rebuild_stories(self, sibling_gaps: dict[str, int] | None = None) -> int:
        """Recompute story links over all articles; writes only what changed.
        Returns the number of rows written."""
        refs = [ArticleRef(
            id=r["id"], canonical_url=r["canonical_url"], source=r["source"], lang=r["lang"],
            title=r["title"], published=r["published"], content_hash=r["content_hash"],
            text_chars=r["n"] or 0,
            alternate_urls=tuple(json.loads(r["alternate_urls"] or "[]")),
            sibling_key=r["sibling_key"], sibling_seq=r["sibling_seq"],
            republished=r["republished"] is not None,
        ) for r in self.db.query(
            "select id, canonical_url, source, lang, title, published, republished, content_hash,"
            " length(text) as n, alternate_urls, sibling_key, sibling_seq from articles")]
        mapping, stories = build_stories(refs, MIN_HASH_CHARS, sibling_gaps)
        written = 0
        current = {r["id"]: r["story_id"] for r in self.db.query("select id, story_id from articles")}
        old_stories = {r["id"]: r for r in self.db.table("stories").rows}
        with self.db.atomic():
            for aid, sid in mapping.items():
                if current.get(aid) != sid:
                    self.db.table("articles").update(aid, {"story_id": sid})
                    written += 1
            new_ids = set()
            for s in stories:
                row = s.__dict__.copy()
                new_ids.add(s.id)
                if old_stories.get(s.id) != row:
                    self.db.table("stories").upsert(row, pk="id")
                    written += 1
            for sid in set(old_stories) - new_ids:
                self.db.table("stories").delete(sid)
                written += 1
        return written

    # runs --------------------------------------------------------------------
    def start_run(self, mode: str, sources: list[str]) -> int:
        with self.db.atomic():
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
    def summary(self) -> dict[str, Any]:
        q = self.db.execute
        return {
            "articles": q("select count(*) from articles").fetchone()[0],
            "sources": q("select count(distinct source) from articles").fetchone()[0],
            "stories": q("select count(*) from stories").fetchone()[0],
            "multi_version_stories": q("select count(*) from stories where versions > 1").fetchone()[0],
            "languages": dict(q("select coalesce(lang, '?'), count(*) from articles group by 1").fetchall()),
            "per_source": dict(q("select source, count(*) from articles group by 1 order by 1").fetchall()),
        }

    def last_run(self) -> dict[str, Any] | None:
        rows = list(self.db.query("select * from crawl_runs order by id desc limit 1"))
        return rows[0] if rows else None
