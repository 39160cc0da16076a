"""Article writes (batched), site templates and sources.

Articles are keyed by a hash of their canonical URL, so a re-crawl adds nothing; a
changed title, text or date becomes a new version (the old one moves to
``article_versions``). A batch is one transaction: one SELECT for the rows it already
has, ``executemany`` for inserts, updates, old versions and the search index
(docs/background.md#sqlite-batching: far faster than one transaction per item).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlite_utils
from sqlite_utils import Database

from aggregator.items import Article
from aggregator.storage import search
from aggregator.storage.common import article_id, now

__all__ = ["SaveResult", "ArticleStore", "LEARN_WINDOW"]

# Site templates are learned from a source's most recent articles only: a template is
# the site's current chrome, and a re-learn stays O(window) per crawled source.
LEARN_WINDOW = 500

_ARTICLE_FIELDS = ("url", "canonical_url", "source", "lang", "title", "text", "published",
                   "republished", "author", "fetched_at", "content_hash", "extraction_method",
                   "date_method", "sibling_key", "sibling_seq", "body_html", "extractor_version",
                   "profile_hash")
# Columns a save writes, in statement order; an update leaves first_seen and story_id.
_WRITTEN = (*_ARTICLE_FIELDS, "alternate_urls", "warnings", "raw_text", "cleaning")
# Literal SQL (tests/test_security.py allows no formatted statements); the column
# order is _WRITTEN's, checked by tests/test_storage.py.
_INSERT = ("insert into articles (id, url, canonical_url, source, lang, title, text, "
           "published, republished, author, fetched_at, content_hash, extraction_method, "
           "date_method, sibling_key, sibling_seq, body_html, extractor_version, profile_hash, "
           "alternate_urls, warnings, raw_text, cleaning, first_seen, version, story_id) "
           "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_UPDATE = ("update articles set url = ?, canonical_url = ?, source = ?, lang = ?, title = ?, "
           "text = ?, published = ?, republished = ?, author = ?, fetched_at = ?, "
           "content_hash = ?, extraction_method = ?, date_method = ?, sibling_key = ?, "
           "sibling_seq = ?, body_html = ?, extractor_version = ?, profile_hash = ?, "
           "alternate_urls = ?, warnings = ?, raw_text = ?, cleaning = ?, version = ? where id = ?")
_OLD = ("version", "title", "text", "published", "content_hash", "fetched_at", "extractor_version",
        "profile_hash")  # as _stored reads them
# A stored article changes (new version) only when one of these differs.
_VERSIONED = ("title", "content_hash", "published")


@dataclass
class SaveResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


class ArticleStore:
    db: Database
    tag_in_transaction: Any  # aggregator.storage.entities.EntityStore
    _template_cache: dict[str, dict[str, Any]]

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

    def ensure_sources(self, keys: Iterable[str]) -> None:
        """A minimal ``sources`` row for each key not there yet (ingested articles)."""
        have = {r[0] for r in self.db.execute("select key from sources")}
        rows = [{"key": k, "name": k, "homepage": "", "languages": "[]", "domains": "[]",
                 "user_defined": 1, "notes": "added by lednews ingest"}
                for k in sorted(set(keys) - have)]
        if rows:
            with self.db.atomic():
                self.db.table("sources").insert_all(rows, pk="key")

    # articles ----------------------------------------------------------------
    def _stored(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for r in self.db.execute("select id, version, title, text, published, content_hash,"
                                     " fetched_at, extractor_version, profile_hash from articles"
                                     " where id in (%s)"
                                     % ",".join("?" * len(chunk)), chunk):
                out[r[0]] = dict(zip(_OLD, r[1:]))
        return out

    def save_articles(self, articles: list[Article], reason: str | Callable[[dict[str, Any], Article], str]
                      = "fetched again: the page changed") -> SaveResult:
        """Insert new articles; a stored one whose title, text or date differ becomes a
        new version, the old one kept in ``article_versions`` with ``reason`` (or
        ``reason(old_row, article)``: `lednews process` names what changed)."""
        res = SaveResult()
        if not articles:
            return res
        stamp = now()
        rows: list[tuple[str, dict[str, Any], Article]] = []
        for a in articles:
            row = {f: getattr(a, f) for f in _ARTICLE_FIELDS}
            row["alternate_urls"] = json.dumps(a.alternate_urls, ensure_ascii=False)
            row["warnings"] = json.dumps(a.warnings, ensure_ascii=False)
            self._apply_templates(row, a.title, a.clean_log)
            rows.append((article_id(a.canonical_url), row, a))
        with self.db.atomic():
            stored = self._stored(list(dict.fromkeys(aid for aid, _, _ in rows)))
            current: dict[str, dict[str, Any]] = {}  # the row each id will end with
            versions: list[tuple] = []
            for aid, row, art in rows:  # in order: a URL twice in a batch is new, then updated
                old = current.get(aid) or stored.get(aid)
                if old is None:
                    current[aid] = {**row, "version": 1}
                    res.new += 1
                elif any(old[f] != row[f] for f in _VERSIONED):
                    versions.append((aid, old["version"], old["title"], old["text"], old["published"],
                                     old["content_hash"], old["fetched_at"], stamp,
                                     reason if isinstance(reason, str) else reason(old, art)))
                    current[aid] = {**row, "version": old["version"] + 1}
                    res.updated += 1
                else:
                    res.unchanged += 1
            conn = self.db.conn
            conn.executemany(_INSERT, [(aid, *(r[c] for c in _WRITTEN), stamp, r["version"], "s" + aid)
                                       for aid, r in current.items() if aid not in stored])
            conn.executemany(_UPDATE, [(*(r[c] for c in _WRITTEN), r["version"], aid)
                                       for aid, r in current.items() if aid in stored])
            conn.executemany(
                "insert into article_versions (article_id, version, title, text, published,"
                " content_hash, fetched_at, superseded_at, reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                versions)
            search.add(conn, [(aid, r["title"], r["text"], r["content_hash"])
                              for aid, r in current.items() if aid not in stored])
            search.update(conn, [(aid, stored[aid]["title"], stored[aid]["text"], r["title"], r["text"],
                                  r["content_hash"]) for aid, r in current.items() if aid in stored])
            self.tag_in_transaction(conn, [(aid, r["title"], r["text"], r["published"], r["content_hash"])
                                           for aid, r in current.items()])  # companies, topics
        return res

    def sync_search(self) -> int:
        """Bring the search index up to date with ``articles`` (rows written by other
        tools); ``save_articles`` already indexes what it writes."""
        with self.db.atomic():
            return search.sync(self.db.conn)

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
        from aggregator.text import content_hash

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
        return self.relearn_templates(sources)[0]

    def relearn_templates(self, sources: Iterable[str] | None = None) -> tuple[dict[str, int], int]:
        """``learn_templates``, and how many stored texts it changed (their story links
        are then out of date)."""
        from aggregator.clean.template import learn

        if sources is None:
            sources = [r[0] for r in self.db.execute("select distinct source from articles")]
        out: dict[str, int] = {}
        texts_changed = 0
        stamp = now()
        for source in sorted(sources):
            # the LEARN_WINDOW latest by (first_seen, id), oldest first (SQLite orders
            # TEXT by UTF-8 bytes, which is code-point order, as Python's sort does)
            recent = list(self.db.query(
                "select id, text, raw_text from articles where source = ?"
                " order by coalesce(first_seen, '') desc, id desc limit ?", [source, LEARN_WINDOW]))[::-1]
            learned = learn((r["id"], (r["raw_text"] if r["raw_text"] is not None else r["text"]).split("\n"))
                            for r in recent)
            had_keys = {r[0] for r in self.db.execute("select key from site_templates where source = ?", [source])}
            had = len(had_keys)
            changed: list[tuple] = []
            with self.db.atomic():
                self.db.execute("delete from site_templates where source = ?", [source])
                self.db.conn.executemany(
                    "insert into site_templates (source, key, line, pages, docs, learned_at)"
                    " values (?, ?, ?, ?, ?, ?)",
                    [(source, t.key, t.line, t.pages, t.docs, stamp) for t in learned])
                self._template_cache.pop(source, None)
                # With no template lines before or now, every stored text is its raw text
                # and no cleaning log names a template: re-applying would change nothing
                # (it read and rewrote every article of the source: 0.35 s of the 5,000-page
                # bench/crawl.py run, all of it at the end of the crawl).
                # The same template keys as before: ``apply`` (which reads only the keys)
                # gives every stored text again, so nothing is re-read (issue 14: at a
                # source's 100k articles a crawl re-read and re-applied them all). The
                # cleaning logs keep the counts of the learning that cleaned them.
                same = had_keys == {t.key for t in learned}
                rows = [] if same or not (had or learned) else list(self.db.query(
                    "select id, title, text, raw_text, content_hash, cleaning from articles"
                    " where source = ? order by id", [source]))
                for r in rows:
                    old_log = [e for e in json.loads(r["cleaning"] or "[]") if e.get("rule") != "template"]
                    row = {"source": source, "text": r["text"], "raw_text": r["raw_text"],
                           "content_hash": r["content_hash"]}
                    self._apply_templates(row, r["title"], old_log)
                    if (row["text"], row["cleaning"], row["raw_text"]) != (r["text"], r["cleaning"], r["raw_text"]):
                        self.db.execute(
                            "update articles set text = ?, raw_text = ?, content_hash = ?, cleaning = ?"
                            " where id = ?", [row["text"], row["raw_text"], row["content_hash"],
                                              row["cleaning"], r["id"]])
                        if row["text"] != r["text"]:
                            changed.append((r["id"], r["title"], r["text"], r["title"], row["text"],
                                            row["content_hash"]))
                search.update(self.db.conn, changed)  # the search index follows the cleaned text
            out[source] = len(learned)
            texts_changed += len(changed)
        return out, texts_changed

    def explain_clean(self, url: str) -> dict[str, Any] | None:
        """What cleaning removed from the article at ``url`` (or kept, and why)."""
        from aggregator.urls import canonicalize_url

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
