"""The persistent candidate index of incremental story linking (``aggregator.dedup.index``).

Tables (migration ``m140_dedup_index``): ``dedup_band`` (LSH band buckets),
``dedup_anchor`` (anchor postings by date), ``dedup_index`` and ``dedup_alt`` (the
explicit-link fields of each article as last linked), ``dedup_graph`` (explicit links
and candidate pairs that score as a match), ``dedup_dirty`` (articles written since the
last pass, kept by triggers) and ``dedup_meta``. Every read takes the ids or keys it
needs; nothing here reads a whole table except ``index_rebuild``'s bulk writes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlite_utils import Database

from aggregator.items import ArticleRef

__all__ = ["DedupIndexStore", "INDEX_VERSION"]

# Bump when what the index tables hold changes: the next pass then rebuilds them.
INDEX_VERSION = "1"  # stored with FEATURE_VERSION: new keys rebuild the index too
_CHUNK = 500  # ids per "in (...)" statement (SQLite allows 32,766 variables; 500 keeps plans short)

_REF_SQL = ("select id, canonical_url, source, lang, title, published, republished, content_hash,"
            " length(text), alternate_urls, sibling_key, sibling_seq from articles where id in (%s)")


def _version(feature_version: int) -> str:
    """The stored index's version: the index layout's and that of the dedup features
    it was built from (``aggregator.dedup.features.FEATURE_VERSION``, given by the caller)."""
    return f"{INDEX_VERSION}:{feature_version}"


def _ref(r: Sequence[Any]) -> ArticleRef:
    return ArticleRef(id=r[0], canonical_url=r[1], source=r[2], lang=r[3], title=r[4], published=r[5],
                      content_hash=r[7], text_chars=r[8] or 0,
                      alternate_urls=tuple(json.loads(r[9] or "[]")), sibling_key=r[10],
                      sibling_seq=r[11], republished=r[6] is not None)


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


class DedupIndexStore:
    db: Database

    # state ------------------------------------------------------------------------
    def index_built(self, feature_version: int) -> bool:
        row = self.db.execute("select value from dedup_meta where key = 'index_version'").fetchone()
        return bool(row) and row[0] == _version(feature_version)

    def dirty_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("select article_id from dedup_dirty order by article_id")]

    def refs_for(self, ids: Sequence[str]) -> dict[str, ArticleRef]:
        out: dict[str, ArticleRef] = {}
        for chunk in _chunks(list(ids)):
            for r in self.db.execute(_REF_SQL % ",".join("?" * len(chunk)), list(chunk)):
                out[r[0]] = _ref(r)
        return out

    def iter_refs(self, batch: int = 5000) -> Iterator[list[ArticleRef]]:
        """Every article's ref in id order, ``batch`` at a time (streamed)."""
        last = ""
        while True:
            rows = self.db.execute(
                "select id, canonical_url, source, lang, title, published, republished, content_hash,"
                " length(text), alternate_urls, sibling_key, sibling_seq from articles where id > ?"
                " order by id limit ?", [last, batch]).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [_ref(r) for r in rows]

    def feature_rows(self, ids: Sequence[str], version: int) -> dict[str, tuple[str, str]]:
        """``id -> (content_hash, keys_json)`` of stored features of ``version``."""
        out: dict[str, tuple[str, str]] = {}
        for chunk in _chunks(list(ids)):
            for aid, h, js in self.db.execute(
                    "select article_id, content_hash, keys from dedup_features where version = ?"
                    " and article_id in (%s)" % ",".join("?" * len(chunk)), [version, *chunk]):
                out[aid] = (h, js)
        return out

    # old state of changed articles -----------------------------------------------------
    def index_state(self, ids: Sequence[str]) -> dict[str, tuple[str, int, str, str | None]]:
        """``id -> (content_hash, hash_ok, canonical_url, sibling_key)`` as indexed."""
        out: dict[str, tuple[str, int, str, str | None]] = {}
        for chunk in _chunks(list(ids)):
            for r in self.db.execute("select article_id, content_hash, hash_ok, canonical_url, sibling_key"
                                     " from dedup_index where article_id in (%s)" % ",".join("?" * len(chunk)), chunk):
                out[r[0]] = (r[1], r[2], r[3], r[4])
        return out

    def band_rows(self, ids: Sequence[str]) -> dict[str, list[int]]:
        out: dict[str, list[int]] = defaultdict(list)
        for chunk in _chunks(list(ids)):
            for bkey, aid in self.db.execute("select bkey, article_id from dedup_band where article_id in (%s)"
                                             % ",".join("?" * len(chunk)), chunk):
                out[aid].append(bkey)
        return out

    def anchor_rows(self, ids: Sequence[str]) -> list[tuple[str, int, str, int]]:
        """``(anchor, day, article_id, wide)`` of the given articles (day -1: undated)."""
        out: list[tuple[str, int, str, int]] = []
        for chunk in _chunks(list(ids)):
            out.extend(self.db.execute("select anchor, day, article_id, wide from dedup_anchor"
                                       " where article_id in (%s)" % ",".join("?" * len(chunk)), chunk))
        return out

    # buckets and postings ------------------------------------------------------------
    def bucket_members(self, bkeys: Iterable[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = defaultdict(list)
        for chunk in _chunks(sorted(set(bkeys))):
            for bkey, aid in self.db.execute("select bkey, article_id from dedup_band where bkey in (%s)"
                                             " order by bkey, article_id" % ",".join("?" * len(chunk)), chunk):
                out[bkey].append(aid)
        return out

    def anchor_size(self, anchor: str, cap: int) -> int:
        """Postings of ``anchor``, counted up to ``cap``."""
        return int(self.db.execute("select count(*) from (select 1 from dedup_anchor where anchor = ?"
                                   " limit ?)", [anchor, cap]).fetchone()[0])

    def postings(self, anchor: str, lo: int | None = None, hi: int | None = None) -> list[tuple[int, str, int]]:
        """``(day, article_id, wide)`` of ``anchor``: all, or the dated ones in [lo, hi]."""
        if lo is None:
            return self.db.execute("select day, article_id, wide from dedup_anchor where anchor = ?",
                                   [anchor]).fetchall()
        return self.db.execute("select day, article_id, wide from dedup_anchor where anchor = ?"
                               " and day between ? and ?", [anchor, lo, hi]).fetchall()

    def count_before(self, anchor: str, lo: int, day: int, aid: str, cap: int) -> int:
        """Postings with day >= lo that come before (day, aid) in (day, id) order, up to cap."""
        return int(self.db.execute(
            "select count(*) from (select 1 from dedup_anchor where anchor = ? and day >= ? and"
            " (day < ? or (day = ? and article_id < ?)) limit ?)", [anchor, lo, day, day, aid, cap]).fetchone()[0])

    def count_days(self, anchor: str, lo: int, hi: int, cap: int) -> int:
        """Postings with lo <= day < hi, up to cap."""
        return int(self.db.execute(
            "select count(*) from (select 1 from dedup_anchor where anchor = ? and day >= ? and day < ?"
            " limit ?)", [anchor, lo, hi, cap]).fetchone()[0])

    # explicit-link partners --------------------------------------------------------------
    def hash_members(self, hashes: Iterable[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for chunk in _chunks(sorted(set(hashes))):
            for h, aid in self.db.execute("select content_hash, article_id from dedup_index where hash_ok"
                                          " and content_hash in (%s)" % ",".join("?" * len(chunk)), chunk):
                out[h].append(aid)
        return out

    def ids_by_canonical(self, urls: Iterable[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for chunk in _chunks(sorted(set(urls))):
            out.update(self.db.execute("select canonical_url, article_id from dedup_index"
                                       " where canonical_url in (%s)" % ",".join("?" * len(chunk)), chunk).fetchall())
        return out

    def ids_linking_to(self, urls: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for chunk in _chunks(sorted(set(urls))):
            out.update(r[0] for r in self.db.execute("select article_id from dedup_alt where url in (%s)"
                                                     % ",".join("?" * len(chunk)), chunk))
        return out

    def sibling_members(self, keys: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for chunk in _chunks(sorted(set(keys))):
            out.update(r[0] for r in self.db.execute("select article_id from dedup_index where sibling_key"
                                                     " in (%s)" % ",".join("?" * len(chunk)), chunk))
        return out

    # graph -------------------------------------------------------------------------------
    def graph_edges(self, ids: Iterable[str]) -> set[tuple[str, str, str]]:
        """Stored edges with an end in ``ids``."""
        out: set[tuple[str, str, str]] = set()
        for chunk in _chunks(sorted(set(ids))):
            out.update(self.db.execute(f"select a, b, kind from dedup_graph where a in ({','.join('?' * len(chunk))})"
                                       f" union select a, b, kind from dedup_graph where b in"
                                       f" ({','.join('?' * len(chunk))})", [*chunk, *chunk]).fetchall())
        return out

    def has_pair_edges(self, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        q = "select 1 from dedup_graph where a = ? and b = ? and kind = 'pair'"
        return {p for p in pairs if self.db.execute(q, p).fetchone()}

    # writes (the caller holds the transaction) -----------------------------------------------
    def index_replace(self, ids: Sequence[str], refs: dict[str, ArticleRef], keys: dict[str, Any],
                      min_hash_chars: int) -> None:
        """Drop the index rows of ``ids`` and write those of the ones in ``refs``/``keys``."""
        c = self.db.conn
        for chunk in _chunks(list(ids)):
            # table names are constants here, never input: one literal statement each
            c.execute("delete from dedup_band where article_id in (%s)" % ",".join("?" * len(chunk)), chunk)
            c.execute("delete from dedup_anchor where article_id in (%s)" % ",".join("?" * len(chunk)), chunk)
            c.execute("delete from dedup_index where article_id in (%s)" % ",".join("?" * len(chunk)), chunk)
            c.execute("delete from dedup_alt where article_id in (%s)" % ",".join("?" * len(chunk)), chunk)
        self.index_insert([refs[i] for i in ids if i in refs and i in keys], keys, min_hash_chars)

    def index_insert(self, refs: Sequence[ArticleRef], keys: dict[str, Any], min_hash_chars: int) -> None:
        from aggregator.urls import canonicalize_url

        c = self.db.conn
        c.executemany("insert or replace into dedup_index (article_id, content_hash, hash_ok, canonical_url,"
                      " sibling_key) values (?, ?, ?, ?, ?)",
                      [(r.id, r.content_hash, int(r.text_chars >= min_hash_chars), r.canonical_url,
                        r.sibling_key if r.sibling_seq is not None else None) for r in refs])
        c.executemany("insert or ignore into dedup_alt (url, article_id) values (?, ?)",
                      [(canonicalize_url(u), r.id) for r in refs for u in r.alternate_urls])
        c.executemany("insert or ignore into dedup_band (bkey, article_id) values (?, ?)",
                      [(b << 56 | v, r.id) for r in refs for b, v in enumerate(keys[r.id].bands)])
        c.executemany("insert or ignore into dedup_anchor (anchor, day, article_id, wide) values (?, ?, ?, ?)",
                      [(a, -1 if k.day is None else k.day, r.id, int(k.wide))
                       for r in refs for k in (keys[r.id],) for a in k.anchors])

    def graph_delete(self, edges: Iterable[tuple[str, str, str]]) -> None:
        self.db.conn.executemany("delete from dedup_graph where a = ? and b = ? and kind = ?", list(edges))

    def graph_insert(self, edges: Iterable[tuple[str, str, str]]) -> None:
        self.db.conn.executemany("insert or ignore into dedup_graph (a, b, kind) values (?, ?, ?)", list(edges))

    def index_clear(self) -> None:
        for sql in ("delete from dedup_band", "delete from dedup_anchor", "delete from dedup_index",
                    "delete from dedup_alt", "delete from dedup_graph", "delete from dedup_dirty"):
            self.db.execute(sql)
        self.db.execute("delete from dedup_meta where key = 'index_version'")

    def index_done(self, feature_version: int, ids: Iterable[str] | None = None) -> None:
        """Mark the index current: the given dirty ids (or all) handled."""
        if ids is None:
            self.db.execute("delete from dedup_dirty")
        else:
            self.db.conn.executemany("delete from dedup_dirty where article_id = ?", [(i,) for i in ids])
        self.db.execute("insert or replace into dedup_meta (key, value) values ('index_version', ?)",
                        [_version(feature_version)])

    def story_ids(self, ids: Sequence[str]) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for chunk in _chunks(list(ids)):
            out.update(self.db.execute("select id, story_id from articles where id in (%s)"
                                       % ",".join("?" * len(chunk)), chunk).fetchall())
        return out

    def write_region(self, mapping: dict[str, str], stories: list[Any], old_ids: set[str]) -> int:
        """Story links of one region of the graph: ``mapping`` for its articles, its
        ``stories``; ``old_ids`` are the story ids its articles had (gone ones deleted)."""
        current = self.story_ids(sorted(mapping))
        cols = ("id", "canonical_article_id", "title", "first_published", "languages", "versions",
                "sources", "evidence")
        rows = [tuple(getattr(s, c) for c in cols) for s in stories]
        old: dict[str, tuple] = {}
        for chunk in _chunks(sorted(old_ids | {r[0] for r in rows})):
            for r in self.db.execute("select id, canonical_article_id, title, first_published, languages,"
                                     " versions, sources, evidence from stories where id in (%s)"
                                     % ",".join("?" * len(chunk)), chunk):
                old[r[0]] = tuple(r)
        moved = [(sid, aid) for aid, sid in mapping.items() if current.get(aid) != sid]
        changed = [r for r in rows if old.get(r[0]) != r]
        gone = [(sid,) for sid in sorted(set(old) - {r[0] for r in rows})]
        c = self.db.conn
        c.executemany("update articles set story_id = ? where id = ?", moved)
        c.executemany("insert or replace into stories (id, canonical_article_id, title, first_published,"
                      " languages, versions, sources, evidence) values (?, ?, ?, ?, ?, ?, ?, ?)", changed)
        c.executemany("delete from stories where id = ?", gone)
        return len(moved) + len(changed) + len(gone)
