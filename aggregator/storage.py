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
# Site templates are learned from a source's most recent articles only: a template is
# the site's current chrome, and a re-learn stays O(window) per crawled source.
LEARN_WINDOW = 500


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
def m030_search_index(db: Database) -> None:
    """Word index for Chinese + English search (docs/publish.md, peers.md §4): segmented
    title and body per article in ``article_search``, indexed by stock FTS5 (unicode61),
    kept in sync by sqlite-utils triggers; existing articles are backfilled here."""
    db.table("article_search").create({
        "article_id": str, "title": str, "body": str, "src_title": str, "content_hash": str,
    }, pk="article_id", foreign_keys=[("article_id", "articles", "id")])
    db.table("article_search").enable_fts(["title", "body"], create_triggers=True)
    _sync_search(db)


def _search_rows(rows: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    from aggregator.publish.segment import segment

    for r in rows:
        yield {"article_id": r["id"], "title": segment(r["title"]), "body": segment(r["text"]),
               "src_title": r["title"], "content_hash": r["content_hash"]}


def _sync_search(db: Database, ids: Iterable[str] | None = None) -> int:
    """(Re)segment the given articles, or every article whose index row is missing or
    stale (title or content hash changed). Returns the number of rows written."""
    if ids is not None:
        wanted = list(ids)
        rows = [r for i in range(0, len(wanted), 500) for r in db.query(
            "select id, title, text, content_hash from articles where id in (%s)"
            % ",".join("?" * len(wanted[i:i + 500])), wanted[i:i + 500])]
    else:
        rows = list(db.query(
            "select a.id, a.title, a.text, a.content_hash from articles a"
            " left join article_search s on s.article_id = a.id"
            " where s.article_id is null or s.src_title is not a.title"
            " or s.content_hash is not a.content_hash"))
    if rows:
        db.table("article_search").upsert_all(_search_rows(rows), pk="article_id", batch_size=200)
    return len(rows)


@MIGRATIONS()
def m010_body_html(db: Database) -> None:
    """Sanitised body HTML beside the text (issue 3)."""
    if "body_html" not in db.table("articles").columns_dict:
        db.table("articles").add_column("body_html", str)


@MIGRATIONS()
def m010_site_templates(db: Database) -> None:
    """Per-source template lines and the cleaning log (issue 3): ``raw_text`` is the
    text before template removal, so re-learning never loses a line."""
    db.table("site_templates").create({
        "source": str, "key": str, "line": str, "pages": int, "docs": int, "learned_at": str,
    }, pk=("source", "key"), if_not_exists=True)
    cols = db.table("articles").columns_dict
    for col in ("raw_text", "cleaning"):
        if col not in cols:
            db.table("articles").add_column(col, str)


@MIGRATIONS()
def m050_crawl_error_attempts(db: Database) -> None:
    """How many requests a failed URL cost (first try plus retries)."""
    db.table("crawl_errors").add_column("attempts", int, not_null_default=1)


@MIGRATIONS()
def m020_dedup_layers(db: Database) -> None:
    """Dedup features (candidate keys, figures, periods) per article text, and cached
    pair scores, so an incremental pass only scores pairs involving new texts."""
    db.table("dedup_features").create({
        "article_id": str, "content_hash": str, "version": int, "keys": str, "terms": str,
    }, pk="article_id")
    db.table("dedup_pairs").create({
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
                   "date_method", "sibling_key", "sibling_seq", "body_html")
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
            self._template_cache: dict[str, dict[str, Any]] = {}
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
        touched: list[str] = []
        with self.db.atomic():
            for a in articles:
                aid = article_id(a.canonical_url)
                row = {f: getattr(a, f) for f in _ARTICLE_FIELDS}
                row["alternate_urls"] = json.dumps(a.alternate_urls, ensure_ascii=False)
                row["warnings"] = json.dumps(a.warnings, ensure_ascii=False)
                self._apply_templates(row, a.title, a.clean_log)
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
                    continue
                touched.append(aid)
            _sync_search(self.db, touched)
        return res

    def sync_search(self) -> int:
        """Bring the search index up to date with ``articles`` (rows written by other
        tools); ``save_articles`` already indexes what it writes."""
        with self.db.atomic():
            return _sync_search(self.db)

    # site templates ------------------------------------------------------------
    def templates(self, source: str) -> dict[str, Any]:
        from aggregator.clean.template import TemplateLine

        if source not in self._template_cache:
            self._template_cache[source] = {
                r["key"]: TemplateLine(r["key"], r["line"], r["pages"], r["docs"])
                for r in self.db.query("select * from site_templates where source = ?", [source])}
        return self._template_cache[source]

    def _apply_templates(self, row: dict[str, Any], title: str, log: list[dict]) -> None:
        """Set ``text``/``content_hash``/``cleaning`` of a row from its ``raw_text``."""
        from aggregator.clean.template import apply
        from aggregator.dedup.fingerprint import content_hash

        raw = row.get("raw_text")
        if raw is None:
            raw = row["raw_text"] = row["text"]
        kept, tlog = apply(raw.split("\n"), title, self.templates(row["source"]))
        text = "\n".join(kept)
        if text != row["text"]:
            row["text"], row["content_hash"] = text, content_hash(text)
        row["cleaning"] = json.dumps([*log, *tlog], ensure_ascii=False)

    def learn_templates(self, sources: Iterable[str] | None = None) -> dict[str, int]:
        """Learn each source's template lines from its stored texts, persist them and
        re-apply them to the source's articles. Returns {source: template lines}."""
        from aggregator.clean.template import learn

        if sources is None:
            sources = [r[0] for r in self.db.execute("select distinct source from articles")]
        out: dict[str, int] = {}
        now = _now()
        for source in sorted(sources):
            rows = list(self.db.query(
                "select id, title, text, raw_text, content_hash, cleaning, first_seen from articles"
                " where source = ? order by id", [source]))
            recent = sorted(rows, key=lambda r: (r["first_seen"] or "", r["id"]))[-LEARN_WINDOW:]
            learned = learn((r["id"], (r["raw_text"] if r["raw_text"] is not None else r["text"]).split("\n"))
                            for r in recent)
            changed: list[str] = []
            with self.db.atomic():
                self.db.execute("delete from site_templates where source = ?", [source])
                self.db.table("site_templates").insert_all(
                    [{"source": source, "key": t.key, "line": t.line, "pages": t.pages,
                      "docs": t.docs, "learned_at": now} for t in learned], pk=("source", "key"))
                self._template_cache.pop(source, None)
                for r in rows:
                    old_log = [e for e in json.loads(r["cleaning"] or "[]") if e.get("rule") != "template"]
                    row = {"source": source, "text": r["text"], "raw_text": r["raw_text"],
                           "content_hash": r["content_hash"]}
                    self._apply_templates(row, r["title"], old_log)
                    if (row["text"], row["cleaning"], row["raw_text"]) != (r["text"], r["cleaning"], r["raw_text"]):
                        self.db.table("articles").update(r["id"], {k: row[k] for k in
                                                             ("text", "raw_text", "content_hash", "cleaning")})
                        changed.append(r["id"])
                _sync_search(self.db, changed)  # the search index follows the cleaned text
            out[source] = len(learned)
        return out

    def explain_clean(self, url: str) -> dict[str, Any] | None:
        """What cleaning removed from the article at ``url`` (or kept, and why)."""
        from aggregator.dedup.urls import canonicalize_url

        rows = list(self.db.query(
            "select id, url, source, title, cleaning, length(text) as chars, length(raw_text) as raw_chars"
            " from articles where canonical_url in (?, ?) or url = ? limit 1",
            [canonicalize_url(url), url, url]))
        if not rows:
            return None
        r = rows[0]
        return {"url": r["url"], "source": r["source"], "title": r["title"],
                "stored_chars": r["chars"], "chars_before_templates": r["raw_chars"],
                "log": json.loads(r["cleaning"] or "[]"),
                "source_templates": len(self.templates(r["source"]))}

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
            for r in self.db.query(
                    "select id, title, text, lang, published, republished, content_hash"
                    " from articles where id in (%s)" % ",".join("?" * len(chunk)), chunk):
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
            for aid, terms in self.db.execute(
                    "select article_id, terms from dedup_features where article_id in (%s)"
                    % ",".join("?" * len(chunk)), chunk):
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
        old = {r[0]: r for r in self.db.execute(
            "select id, canonical_article_id, title, first_published, languages, versions, sources,"
            " evidence from stories").fetchall()}
        moved = [(sid, aid) for aid, sid in mapping.items() if current.get(aid) != sid]
        rows = [tuple(getattr(s, c) for c in cols) for s in stories]
        changed = [r for r in rows if old.get(r[0]) != r]
        gone = [(sid,) for sid in set(old) - {r[0] for r in rows}]
        with self.db.atomic():
            self.db.conn.executemany("update articles set story_id = ? where id = ?", moved)
            self.db.conn.executemany(
                "insert or replace into stories (id, canonical_article_id, title, first_published,"
                " languages, versions, sources, evidence) values (?, ?, ?, ?, ?, ?, ?, ?)", changed)
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
                self.db.table("sources").insert_all(rows, pk="key")

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

    # incremental state and per-source run rows (issue 6) ---------------------
    def known_urls(self) -> dict[str, str | None]:
        """URL -> last feed/sitemap date seen for every article URL already fetched or
        stored (stored articles count under both their URL and canonical URL)."""
        known: dict[str, str | None] = {}
        for url, canon in self.db.execute("select url, canonical_url from articles").fetchall():
            known[url] = None
            known[canon] = None
        for url, feed_date in self.db.execute("select url, feed_date from fetched_urls").fetchall():
            known[url] = feed_date
        return known

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


# ---------------------------------------------------------------------------------
# Unattended runs (issue 6): incremental state, per-source run rows.

@MIGRATIONS()
def m040_crawl_state(db: Database) -> None:
    # Every article URL fetched with a definitive answer (200, 404, 410): not fetched
    # again unless --refresh or its feed/sitemap date changes.
    db.table("fetched_urls").create({
        "url": str, "source": str, "feed_date": str, "status": int,
        "first_fetched": str, "last_fetched": str,
    }, pk="url")
    # Conditional-request validators per start URL (feed, sitemap, first listing page).
    db.table("start_validators").create({
        "url": str, "source": str, "etag": str, "last_modified": str, "checked_at": str,
    }, pk="url")
    db.table("crawl_run_sources").create({
        "run_id": int, "source": str, "requests": int, "responses": int,
        "responses_by_status": str, "not_modified": int, "links_found": int,
        "skipped_known": int, "articles_parsed": int, "new_articles": int,
        "updated_articles": int, "unchanged_articles": int, "errors": int,
        "fallbacks": int, "challenges": int,
    }, pk=("run_id", "source"), foreign_keys=[("run_id", "crawl_runs", "id")])
    db.table("crawl_run_sources").create_index(["source", "run_id"])
    for col in ("robots_requests", "not_modified", "skipped_known", "challenges"):
        db.table("crawl_runs").add_column(col, int)
