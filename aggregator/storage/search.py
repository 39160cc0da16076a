"""The search index: CJK bigrams of each article's title and text in a contentless FTS5
table (docs/publish.md).

``article_search`` holds one small row per indexed article: an integer ``id`` (the FTS
rowid; an INTEGER PRIMARY KEY survives VACUUM, an implicit rowid may not), the article
id, and what the row was made from (title, content hash, a hash of the index terms).
``article_search_fts`` (``content=''``) keeps only the inverted index of the terms of
``aggregator.publish.segment.index_form``: no stored copy of the text, so writes and
the file stay small. Any SQLite with FTS5 can search it (``unicode61``, no custom
tokenizer).

A contentless table forgets a row's terms: removing them takes the terms again
(FTS5's 'delete' command). They are recomputed from the article's previous text and
checked against ``terms_hash``; if they differ (text edited by another tool, a new
normaliser), the index is rebuilt whole instead, in the same transaction, so a stale
term can never stay behind. All functions take the sqlite3 connection of an open
transaction and never commit.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Sequence

from aggregator.publish.segment import index_form

__all__ = ["create", "add", "update", "rebuild", "sync"]

_DELETE = ("insert into article_search_fts (article_search_fts, rowid, title, body)"
           " values ('delete', ?, ?, ?)")
_INSERT_FTS = "insert into article_search_fts (rowid, title, body) values (?, ?, ?)"
# Articles read per step of a rebuild: bounded memory (2,000 of the bench's texts are
# ~3 MB with their index forms) and few statements.
_CHUNK = 2000


def create(conn: sqlite3.Connection) -> None:
    conn.execute(
        "create table article_search (id integer primary key,"
        " article_id text not null unique references articles(id),"
        " src_title text, content_hash text, terms_hash text)")
    conn.execute("create virtual table article_search_fts using fts5(title, body, content='')")


def _terms(title: str | None, text: str | None) -> tuple[str, str, str]:
    t, b = index_form(title), index_form(text)
    h = hashlib.blake2b(f"{t}\x00{b}".encode("utf-8"), digest_size=8).hexdigest()
    return t, b, h


def _next_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("select coalesce(max(id), 0) + 1 from article_search").fetchone()[0])


def add(conn: sqlite3.Connection, rows: Sequence[tuple[str, str | None, str | None, str | None]]) -> None:
    """Index articles that have no index row yet: rows of (id, title, text, content_hash)."""
    if not rows:
        return
    first = _next_id(conn)
    meta, fts = [], []
    for sid, (aid, title, text, chash) in enumerate(rows, first):
        t, b, h = _terms(title, text)
        meta.append((sid, aid, title, chash, h))
        fts.append((sid, t, b))
    conn.executemany("insert into article_search (id, article_id, src_title, content_hash, terms_hash)"
                     " values (?, ?, ?, ?, ?)", meta)
    conn.executemany(_INSERT_FTS, fts)


def update(conn: sqlite3.Connection,
           changes: Sequence[tuple[str, str | None, str | None, str | None, str | None, str | None]]) -> None:
    """Re-index changed articles: rows of (id, old title, old text, title, text,
    content_hash). Old terms are removed exactly, or the whole index is rebuilt."""
    if not changes:
        return
    ids = [c[0] for c in changes]
    have: dict[str, tuple[int, str]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        have.update((r[0], (r[1], r[2])) for r in conn.execute(
            "select article_id, id, terms_hash from article_search where article_id in (%s)"
            % ",".join("?" * len(chunk)), chunk))
    deletes, meta, fts, missing = [], [], [], []
    for aid, old_title, old_text, title, text, chash in changes:
        if aid not in have:
            missing.append((aid, title, text, chash))
            continue
        sid, stored = have[aid]
        ot, ob, oh = _terms(old_title, old_text)
        if oh != stored:
            rebuild(conn)
            return
        t, b, h = _terms(title, text)
        deletes.append((sid, ot, ob))
        meta.append((title, chash, h, sid))
        fts.append((sid, t, b))
    conn.executemany(_DELETE, deletes)
    conn.executemany("update article_search set src_title = ?, content_hash = ?, terms_hash = ?"
                     " where id = ?", meta)
    conn.executemany(_INSERT_FTS, fts)
    add(conn, missing)


_ALL = ("select rowid, id, title, text, content_hash from articles"
        " where rowid > ? order by rowid limit ?")
_UNINDEXED = ("select rowid, id, title, text, content_hash from articles a where rowid > ?"
              " and not exists (select 1 from article_search s where s.article_id = a.id)"
              " order by rowid limit ?")


def _articles(conn: sqlite3.Connection, sql: str) -> Iterable[list[tuple]]:
    last = -1
    while True:
        rows = conn.execute(sql, [last, _CHUNK]).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield [r[1:] for r in rows]


def rebuild(conn: sqlite3.Connection) -> int:
    """Drop every index row and index all articles again. Returns the article count."""
    conn.execute("insert into article_search_fts (article_search_fts) values ('delete-all')")
    conn.execute("delete from article_search")
    n = 0
    for rows in _articles(conn, _ALL):
        add(conn, rows)
        n += len(rows)
    return n


def sync(conn: sqlite3.Connection) -> int:
    """Bring the index up to date with ``articles`` as other tools may have left it:
    articles without an index row are added; if an indexed article changed (title or
    content hash) or was deleted, its old terms are unknown, so the index is rebuilt.
    Returns the number of articles added, changed or removed."""
    stale = conn.execute(
        "select count(*) from articles a join article_search s on s.article_id = a.id"
        " where s.src_title is not a.title or s.content_hash is not a.content_hash").fetchone()[0]
    gone = conn.execute("select count(*) from article_search s left join articles a"
                        " on a.id = s.article_id where a.id is null").fetchone()[0]
    missing = conn.execute("select count(*) from articles a left join article_search s"
                           " on s.article_id = a.id where s.id is null").fetchone()[0]
    if stale or gone:
        rebuild(conn)
    elif missing:
        for rows in _articles(conn, _UNINDEXED):
            add(conn, rows)
    return int(stale + gone + missing)
