"""Entity tags: the ``entities`` table (the gazetteer as loaded), ``article_entities``
(one row per article and company or topic it mentions) and ``entity_tagged`` (which
gazetteer version and text each article was tagged with). ``story_entities`` is a view:
a story's tags are the union of its versions' and follow every story re-link.

``save_articles`` tags what it writes (``tag_in_transaction``); ``retag`` tags a whole
database again (``lednews tag --all``) or only what is missing or stale.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from aggregator.storage.common import now

__all__ = ["EntityStore", "create_entity_tables", "GAZETTEER_ENV"]

log = logging.getLogger(__name__)

# A user gazetteer file: this environment variable, else ``gazetteer.toml`` beside the
# database (as ``sources.toml`` is for sources), else the bundled list alone.
GAZETTEER_ENV = "LEDNEWS_GAZETTEER"
_CHUNK = 1000

_INSERT_TAG = ("insert into article_entities (article_id, entity_id, kind, mentions, title_mentions,"
               " lead_mentions, body_mentions, first_offset, listed, score, tagged)"
               " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def create_entity_tables(conn: sqlite3.Connection) -> None:
    conn.execute(
        "create table if not exists entities (id text primary key, kind text not null,"
        " name_en text, name_zh_hans text, name_zh_hant text, names text, parent text,"
        " ticker text, country text, segment text, evidence text, gazetteer text)")
    conn.execute(
        "create table if not exists article_entities (article_id text not null references articles(id),"
        " entity_id text not null, kind text not null, mentions integer, title_mentions integer,"
        " lead_mentions integer, body_mentions integer, first_offset integer, listed integer,"
        " score integer, tagged integer, primary key (article_id, entity_id))")
    conn.execute("create index if not exists article_entities_entity"
                 " on article_entities (entity_id, tagged, article_id)")
    conn.execute(
        "create table if not exists entity_tagged (article_id text primary key references articles(id),"
        " gazetteer text, content_hash text, title text, published text, tagged_at text)")
    conn.execute(
        "create view if not exists story_entities as select a.story_id as story_id,"
        " ae.entity_id as entity_id, ae.kind as kind, count(*) as articles,"
        " sum(ae.mentions) as mentions, sum(ae.title_mentions) as title_mentions,"
        " min(substr(coalesce(a.published, a.first_seen), 1, 10)) as first_date"
        " from article_entities ae join articles a on a.id = ae.article_id"
        " where ae.tagged = 1 and a.story_id is not null group by a.story_id, ae.entity_id")


class EntityStore:
    db: Any
    path: Path

    # the gazetteer ----------------------------------------------------------------
    def gazetteer_file(self) -> str | None:
        env = os.environ.get(GAZETTEER_ENV)
        if env:
            return env
        beside = Path(self.path).parent / "gazetteer.toml"
        return str(beside) if beside.is_file() else None

    def gazetteer(self, extra: str | None = None) -> Any:
        """The gazetteer this database is tagged with (cached per file); raises
        ``GazetteerError`` for a bad user file."""
        from aggregator.entities import load_gazetteer

        extra = extra or self.gazetteer_file()
        cached = getattr(self, "_gazetteer", None)
        if cached is None or cached[0] != extra:
            cached = (extra, load_gazetteer(extra))
            self._gazetteer = cached
        return cached[1]

    def _sync_entity_rows(self, conn: sqlite3.Connection, gaz: Any) -> None:
        have = conn.execute("select gazetteer from entities limit 1").fetchone()
        if have and have[0] == gaz.version:
            return
        conn.execute("delete from entities")
        conn.executemany(
            "insert into entities (id, kind, name_en, name_zh_hans, name_zh_hant, names, parent,"
            " ticker, country, segment, evidence, gazetteer) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(e.id, e.kind, e.en, e.zh_hans, e.zh_hant,
              json.dumps([*e.names, *(d.name for d in e.dated)], ensure_ascii=False), e.parent,
              e.ticker, e.country, e.segment, json.dumps(list(e.evidence), ensure_ascii=False),
              gaz.version) for e in sorted(gaz.entities.values(), key=lambda e: e.id)])

    # tagging ------------------------------------------------------------------------
    def _write_tags(self, conn: sqlite3.Connection, gaz: Any,
                    rows: Sequence[tuple[str, str | None, str | None, str | None, str | None]]) -> None:
        from aggregator.entities import tag_article

        if not rows:
            return
        self._sync_entity_rows(conn, gaz)
        stamp = now()
        tags, done = [], []
        for aid, title, text, published, chash in rows:
            for t in tag_article(gaz, title, text, published):
                if not (t.tagged or t.listed):  # a topic word below its score: not kept
                    continue
                r = t.as_row()
                tags.append((aid, r["entity_id"], r["kind"], r["mentions"], r["title_mentions"],
                             r["lead_mentions"], r["body_mentions"], r["first_offset"], r["listed"],
                             r["score"], r["tagged"]))
            done.append((aid, gaz.version, chash, stamp))
        ids = [(r[0],) for r in rows]
        conn.executemany("delete from article_entities where article_id = ?", ids)
        conn.executemany(_INSERT_TAG, tags)
        conn.executemany("insert or replace into entity_tagged (article_id, gazetteer, content_hash, tagged_at)"
                         " values (?, ?, ?, ?)", done)

    def tag_in_transaction(self, conn: sqlite3.Connection,
                           rows: Sequence[tuple[str, str | None, str | None, str | None, str | None]]) -> None:
        """Tag articles just written (rows of id, title, text, published, content hash),
        inside the caller's transaction. A bad user gazetteer is logged once and leaves
        the articles untagged (``lednews tag`` reports it); the articles are stored."""
        from aggregator.entities import GazetteerError

        try:
            gaz = self.gazetteer()
        except GazetteerError as e:
            if not getattr(self, "_gazetteer_warned", False):
                log.warning("articles not tagged: %s", e)
                self._gazetteer_warned = True
            return
        self._write_tags(conn, gaz, rows)

    def retag(self, everything: bool = False, extra: str | None = None) -> int:
        """Tag the articles never tagged, or tagged with another gazetteer or text
        (``everything``: all of them). Returns the number of articles tagged."""
        gaz = self.gazetteer(extra)
        # (a changed title or date comes through save_articles, which tags again; other
        # tools and template re-learning change the text, hence its hash)
        stale = ("select a.rowid, a.id, a.title, a.text, a.published, a.content_hash from articles a"
                 " left join entity_tagged t on t.article_id = a.id where a.rowid > ? and"
                 " (t.article_id is null or t.gazetteer is not ? or t.content_hash is not a.content_hash)"
                 " order by a.rowid limit ?")
        every = ("select rowid, id, title, text, published, content_hash from articles"
                 " where rowid > ? order by rowid limit ?")
        n, last = 0, -1
        with self.db.atomic():
            self._sync_entity_rows(self.db.conn, gaz)
        while True:
            args: list[Any] = [last, gaz.version, _CHUNK] if not everything else [last, _CHUNK]
            batch = self.db.execute(every if everything else stale, args).fetchall()
            if not batch:
                break
            last = batch[-1][0]
            with self.db.atomic():
                self._write_tags(self.db.conn, gaz, [tuple(r[1:6]) for r in batch])
            n += len(batch)
        if everything:  # tags of articles that no longer exist
            with self.db.atomic():
                self.db.execute("delete from article_entities where article_id not in (select id from articles)")
                self.db.execute("delete from entity_tagged where article_id not in (select id from articles)")
        return n

    def entity_counts(self) -> dict[str, int]:
        """Tagged stories per entity id."""
        return {r[0]: r[1] for r in self.db.execute(
            "select entity_id, count(*) from story_entities group by entity_id")}

    def tagged_stories(self, entity_ids: Iterable[str]) -> set[str]:
        ids = list(entity_ids)
        if not ids:
            return set()
        return {r[0] for r in self.db.execute(
            "select distinct story_id from story_entities where entity_id in (%s)" % ",".join("?" * len(ids)),
            ids)}
