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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils import Database, Migrations

from aggregator.dedup.stories import ArticleRef
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
    db["sources"].create({
        "key": str, "name": str, "homepage": str, "languages": str, "domains": str,
        "user_defined": int, "notes": str,
    }, pk="key")
    db["stories"].create({
        "id": str, "canonical_article_id": str, "title": str, "first_published": str,
        "languages": str, "versions": int, "sources": str, "evidence": str,
    }, pk="id")
    db["articles"].create({
        "id": str, "url": str, "canonical_url": str, "source": str, "lang": str, "title": str,
        "text": str, "published": str, "republished": str, "author": str, "fetched_at": str,
        "first_seen": str, "content_hash": str, "extraction_method": str, "date_method": str,
        "story_id": str, "alternate_urls": str, "sibling_key": str, "sibling_seq": int,
        "warnings": str, "version": int,
    }, pk="id", foreign_keys=[("source", "sources", "key")])
    db["articles"].create_index(["canonical_url"], unique=True)
    db["articles"].create_index(["source", "published"])
    db["articles"].create_index(["story_id"])
    db["articles"].create_index(["content_hash"])
    db["article_versions"].create({
        "article_id": str, "version": int, "title": str, "text": str, "published": str,
        "content_hash": str, "fetched_at": str, "superseded_at": str,
    }, pk=("article_id", "version"), foreign_keys=[("article_id", "articles", "id")])
    db["crawl_runs"].create({
        "id": int, "started_at": str, "finished_at": str, "finish_reason": str, "mode": str,
        "sources": str, "requests": int, "responses": int, "responses_by_status": str,
        "new_articles": int, "updated_articles": int, "unchanged_articles": int,
        "errors": int, "fallbacks": int, "stats": str,
    }, pk="id")
    db["crawl_errors"].create({
        "id": int, "run_id": int, "source": str, "url": str, "reason": str, "at": str,
    }, pk="id", foreign_keys=[("run_id", "crawl_runs", "id")])
    db["crawl_errors"].create_index(["run_id"])


@MIGRATIONS()
def m020_dedup_layers(db: Database) -> None:
    """Dedup features (candidate keys, figures, periods) per article text, and cached
    pair scores, so an incremental pass only scores pairs involving new texts."""
    db["dedup_features"].create({
        "article_id": str, "content_hash": str, "version": int, "keys": str, "terms": str,
    }, pk="article_id")
    db["dedup_pairs"].create({
        "a": str, "b": str, "hash_a": str, "hash_b": str, "kind": str, "score": float,
        "jaccard": float, "semantic": float, "veto": str,
    }, pk=("a", "b"))


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

    # sources -----------------------------------------------------------------
    def upsert_sources(self, profiles: Iterable[Any]) -> None:
        rows = [{
            "key": p.key, "name": p.name, "homepage": p.homepage,
            "languages": json.dumps(list(p.languages)), "domains": json.dumps(list(p.domains)),
            "user_defined": int(p.user_defined), "notes": p.notes,
        } for p in profiles]
        table = self.db["sources"]
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
        table = self.db["articles"]
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
                    self.db["article_versions"].insert({
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

    def rebuild_stories(self, sibling_gaps: dict[str, int] | None = None, full: bool = False) -> int:
        """Recompute story links over all articles (dedup layers in aggregator.dedup.run);
        ``full`` first drops every stored dedup feature and pair score. Writes only what
        changed; returns the number of rows written."""
        from aggregator.dedup.run import run_dedup

        return run_dedup(self, sibling_gaps, full=full).written

    def article_refs(self) -> list[ArticleRef]:
        return [ArticleRef(
            id=r["id"], canonical_url=r["canonical_url"], source=r["source"], lang=r["lang"],
            title=r["title"], published=r["published"], content_hash=r["content_hash"],
            text_chars=r["n"] or 0,
            alternate_urls=tuple(json.loads(r["alternate_urls"] or "[]")),
            sibling_key=r["sibling_key"], sibling_seq=r["sibling_seq"],
            republished=r["republished"] is not None,
        ) for r in self.db.query(
            "select id, canonical_url, source, lang, title, published, republished, content_hash,"
            " length(text) as n, alternate_urls, sibling_key, sibling_seq from articles order by id")]

    def article_texts(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """``id -> {title, text, lang, published, republished, content_hash}``."""
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.db.query(
                    f"select id, title, text, lang, published, republished, content_hash"
                    f" from articles where id in ({marks})", chunk):
                out[r["id"]] = r
        return out

    def find_article(self, ref: str) -> str | None:
        """An article id from an id, a URL or a canonical URL."""
        from aggregator.dedup.urls import canonicalize_url

        row = self.db.execute("select id from articles where id = ? or canonical_url = ? or url = ?",
                              [ref, canonicalize_url(ref), ref]).fetchone()
        return row[0] if row else None

    def clear_dedup(self) -> None:
        with self.db.atomic():
            self.db.execute("delete from dedup_features")
            self.db.execute("delete from dedup_pairs")

    def iter_dedup_keys(self, version: int) -> Iterator[tuple[str, str, str]]:
        """``(article_id, content_hash, keys_json)`` for features of ``version``, streamed."""
        yield from self.db.execute(
            "select article_id, content_hash, keys from dedup_features where version = ?", [version])

    def save_dedup_keys(self, rows: list[tuple[str, str, str, str]], version: int) -> None:
        """Rows of ``(article_id, content_hash, keys_json, terms_json)``."""
        with self.db.atomic():
            self.db.conn.executemany(
                "insert or replace into dedup_features (article_id, content_hash, version, keys, terms)"
                " values (?, ?, ?, ?, ?)", [(a, h, version, k, t) for a, h, k, t in rows])

    def dedup_terms(self, ids: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for aid, terms in self.db.execute(
                    f"select article_id, terms from dedup_features where article_id in ({marks})", chunk):
                out[aid] = json.loads(terms or "[]")
        return out

    def load_dedup_pairs(self) -> dict[tuple[str, str], tuple]:
        """``(a, b) -> (hash_a, hash_b, kind, score, jaccard, semantic, veto)``."""
        return {(r[0], r[1]): tuple(r[2:]) for r in self.db.execute(
            "select a, b, hash_a, hash_b, kind, score, jaccard, semantic, veto from dedup_pairs")}

    def save_dedup_pairs(self, rows: list[tuple]) -> None:
        with self.db.atomic():
            self.db.conn.executemany(
                "insert or replace into dedup_pairs (a, b, hash_a, hash_b, kind, score, jaccard,"
                " semantic, veto) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def write_stories(self, mapping: dict[str, str], stories: list[Any]) -> int:
        """Store story links; only rows that changed are written."""
        current = dict(self.db.execute("select id, story_id from articles").fetchall())
        cols = ("id", "canonical_article_id", "title", "first_published", "languages", "versions",
                "sources", "evidence")
        old = {r[0]: r for r in self.db.execute(f"select {', '.join(cols)} from stories").fetchall()}
        moved = [(sid, aid) for aid, sid in mapping.items() if current.get(aid) != sid]
        rows = [tuple(getattr(s, c) for c in cols) for s in stories]
        changed = [r for r in rows if old.get(r[0]) != r]
        gone = [(sid,) for sid in set(old) - {r[0] for r in rows}]
        with self.db.atomic():
            self.db.conn.executemany("update articles set story_id = ? where id = ?", moved)
            self.db.conn.executemany(
                f"insert or replace into stories ({', '.join(cols)}) values ({', '.join('?' * len(cols))})",
                changed)
            self.db.conn.executemany("delete from stories where id = ?", gone)
        return len(moved) + len(changed) + len(gone)

    def ensure_sources(self, keys: Iterable[str]) -> None:
        """A minimal ``sources`` row for each key not there yet (ingested articles)."""
        have = {r[0] for r in self.db.execute("select key from sources")}
        rows = [{"key": k, "name": k, "homepage": "", "languages": "[]", "domains": "[]",
                 "user_defined": 1, "notes": "added by lednews ingest"}
                for k in sorted(set(keys) - have)]
        if rows:
            with self.db.atomic():
                self.db["sources"].insert_all(rows, pk="key")

    # runs --------------------------------------------------------------------
    def start_run(self, mode: str, sources: list[str]) -> int:
        with self.db.atomic():
            table = self.db["crawl_runs"].insert({
                "started_at": _now(), "mode": mode, "sources": json.dumps(sources),
                "finish_reason": "running",
            })
        return int(table.last_pk)

    def finish_run(self, run_id: int, **fields: Any) -> None:
        with self.db.atomic():
            self.db["crawl_runs"].update(run_id, {"finished_at": _now(), **fields})

    def record_errors(self, run_id: int, errors: list[tuple[str, str, str]]) -> None:
        if not errors:
            return
        now = _now()
        with self.db.atomic():
            self.db["crawl_errors"].insert_all(
                ({"run_id": run_id, "source": s, "url": u, "reason": r, "at": now}
                 for s, u, r in errors), batch_size=500)

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
