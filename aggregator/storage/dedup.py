"""Story links and dedup state: what ``aggregator.dedup.run`` reads and writes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from aggregator.items import ArticleRef

__all__ = ["DedupStore"]


class DedupStore:
    db: Database

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
        from aggregator.urls import canonicalize_url

        row = self.db.execute("select id from articles where id = ? or canonical_url = ? or url = ?",
                              [ref, canonicalize_url(ref), ref]).fetchone()
        return row[0] if row else None

    def clear_dedup(self) -> None:
        with self.db.atomic():
            self.db.execute("delete from dedup_features")
            self.db.execute("delete from dedup_pairs")
            self.db.execute("delete from dedup_meta where key = 'index_version'")

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

    def dedup_pair_rows(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], tuple]:
        """Cached scores of ``pairs``: ``(a, b) -> (hash_a, hash_b, kind, score, jaccard,
        semantic, veto)`` (one indexed look-up each, never the whole table)."""
        q = ("select hash_a, hash_b, kind, score, jaccard, semantic, veto from dedup_pairs"
             " where a = ? and b = ?")
        out: dict[tuple[str, str], tuple] = {}
        for p in pairs:
            r = self.db.conn.execute(q, p).fetchone()
            if r is not None:
                out[p] = tuple(r)
        return out

    def index_lock(self) -> None:
        """Take the write lock now (inside the caller's transaction)."""
        self.db.execute("insert or replace into dedup_meta (key, value) values ('pass', datetime('now'))")

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
