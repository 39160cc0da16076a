"""Schema: the migrations applied on every open (running them twice is a no-op).

Migration names recorded in users' files (``_sqlite_migrations``) never change, and
the functions run in the order they are registered here: a new migration is appended
at the end, with the prefix of the issue or branch that adds it.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

__all__ = ["MIGRATIONS"]

MIGRATIONS = Migrations("lednews")


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
    """Was the jieba word index (issue 5); superseded by ``m060_bigram_search``, which
    drops what this made in older files and builds the bigram index. Kept by name so
    the order of recorded migrations stays meaningful."""


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


@MIGRATIONS()
def m060_bigram_search(db: Database) -> None:
    """Search index on CJK character bigrams (issue 8): drops the jieba-segmented
    ``article_search`` (stored words + external-content FTS5 and its triggers) and
    builds the contentless bigram index over every stored article."""
    from aggregator.storage.search import create, rebuild

    db.execute("drop trigger if exists article_search_ai")
    db.execute("drop trigger if exists article_search_ad")
    db.execute("drop trigger if exists article_search_au")
    db.execute("drop table if exists article_search_fts")
    db.execute("drop table if exists article_search")
    create(db.conn)
    rebuild(db.conn)


# Nothing lost, ever (issue 15).

@MIGRATIONS()
def m150_run_failure(db: Database) -> None:
    """Why a run failed (a batch that could not be stored, disk full), one line; NULL
    for a run that stored everything."""
    if "failure" not in db.table("crawl_runs").columns_dict:
        db.table("crawl_runs").add_column("failure", str)


@MIGRATIONS()
def m190_entities(db: Database) -> None:
    """Companies and topics (issue 19): ``entities``, ``article_entities``,
    ``entity_tagged`` and the ``story_entities`` view. Articles already stored are
    tagged by ``lednews tag`` (or ``lednews serve``), not here: a migration stays fast."""
    from aggregator.storage.entities import create_entity_tables

    create_entity_tables(db.conn)


# Discovery (issue 13): what a home-URL source's first crawl learned (feeds, sitemaps,
# listings, article URL shapes), so later crawls start from the news.

@MIGRATIONS()
def m130_source_discovery(db: Database) -> None:
    db.table("source_discovery").create({"source": str, "home": str, "plan": str, "updated": str}, pk="source")


@MIGRATIONS()
def m150_run_source_monitors(db: Database) -> None:
    """Per source and run: URLs asked for (retries not counted, so error rates are per
    URL), errors that never reached the host, and field coverage of the items (count,
    with a date, with a language, body length in reading units)."""
    cols = db.table("crawl_run_sources").columns_dict
    for col in ("urls", "unreachable", "items", "dated", "with_lang", "body_units"):
        if col not in cols:
            db.table("crawl_run_sources").add_column(col, int)


@MIGRATIONS()
def m140_dedup_index(db: Database) -> None:
    """Persistent candidate indexes for incremental story linking (issue 14,
    docs/dedup.md "Incremental linking"): LSH band buckets, anchor postings, the indexed
    state of each article, the link graph, and the articles changed since the last
    pass (kept by triggers, so no writer has to remember to mark them). A database made
    before this has no ``dedup_meta`` row: its next pass links the whole set once and
    fills the tables."""
    c = db.conn
    c.execute("create table if not exists dedup_meta (key text primary key, value text)")
    c.execute("create table if not exists dedup_dirty (article_id text primary key) without rowid")
    # band << 56 | the band's 7-byte key: one integer per (band, bucket)
    c.execute("create table if not exists dedup_band (bkey integer not null, article_id text not null,"
              " primary key (bkey, article_id)) without rowid")
    c.execute("create index if not exists dedup_band_article on dedup_band (article_id)")
    # day: proleptic ordinal of the publish date, -1 when undated
    c.execute("create table if not exists dedup_anchor (anchor text not null, day integer not null,"
              " article_id text not null, wide integer not null,"
              " primary key (anchor, day, article_id)) without rowid")
    c.execute("create index if not exists dedup_anchor_article on dedup_anchor (article_id)")
    # what the index holds of each article (its explicit-link fields as last linked)
    c.execute("create table if not exists dedup_index (article_id text primary key,"
              " content_hash text, hash_ok integer, canonical_url text, sibling_key text) without rowid")
    c.execute("create index if not exists dedup_index_hash on dedup_index (content_hash) where hash_ok")
    c.execute("create index if not exists dedup_index_url on dedup_index (canonical_url)")
    c.execute("create index if not exists dedup_index_sibling on dedup_index (sibling_key)"
              " where sibling_key is not null")
    c.execute("create table if not exists dedup_alt (url text not null, article_id text not null,"
              " primary key (url, article_id)) without rowid")
    c.execute("create index if not exists dedup_alt_article on dedup_alt (article_id)")
    # edges of the link graph: explicit links and candidate pairs that score as a match
    c.execute("create table if not exists dedup_graph (a text not null, b text not null,"
              " kind text not null, primary key (a, b, kind)) without rowid")
    c.execute("create index if not exists dedup_graph_b on dedup_graph (b)")
    c.execute("create trigger if not exists dedup_dirty_ai after insert on articles begin"
              " insert or ignore into dedup_dirty (article_id) values (new.id); end")
    c.execute("create trigger if not exists dedup_dirty_au after update of url, canonical_url, source, lang,"
              " title, text, published, republished, content_hash, alternate_urls, sibling_key, sibling_seq"
              " on articles begin"
              " insert or ignore into dedup_dirty (article_id) values (new.id);"
              " insert or ignore into dedup_dirty (article_id) values (old.id); end")
    c.execute("create trigger if not exists dedup_dirty_ad after delete on articles begin"
              " insert or ignore into dedup_dirty (article_id) values (old.id); end")
    # Indexes the canned queries and `lednews status` need at 1M articles (issue 14,
    # docs/performance.md): latest_stories sorts on this expression; status reads
    # articles by first_seen.
    c.execute("create index if not exists stories_latest on stories"
              " (first_published is null, first_published desc, id)")
    c.execute("create index if not exists articles_first_seen on articles (first_seen)")
    # the crawl looks a listed URL up instead of loading every URL (KnownUrls)
    c.execute("create index if not exists articles_url on articles (url)")


# The raw archive and reprocessing (issue 18): every fetched article page and
# feed/sitemap response as a WARC record under DATA_DIR/archive (aggregator/archive),
# indexed here; which extractor, cleaner and profile made each article; why each old
# version was superseded.

@MIGRATIONS()
def m180_archive(db: Database) -> None:
    c = db.conn
    # one row per WARC record lednews wrote (or imported with `process --warc`): where it
    # is (file under the archive directory, byte offset and length of its gzip member),
    # what it holds, and for a revisit the row of the record holding the payload
    c.execute("create table if not exists archive_records (id integer primary key,"
              " record_id text not null unique, uri text not null, date text not null,"
              " kind text not null, source text, file text not null, offset integer not null,"
              " length integer not null, digest text not null, type text not null, status integer,"
              " refers_to text, lang_hint text, feed_date text, run_id integer)")
    c.execute("create index if not exists archive_records_uri on archive_records (uri, id)")
    c.execute("create index if not exists archive_records_digest on archive_records (digest) where type = 'response'")
    c.execute("create index if not exists archive_records_file on archive_records (file)")
    c.execute("create index if not exists archive_records_source on archive_records (source, date)")
    cols = db.table("articles").columns_dict
    for col in ("extractor_version", "profile_hash"):
        if col not in cols:
            db.table("articles").add_column(col, str)
    if "reason" not in db.table("article_versions").columns_dict:
        db.table("article_versions").add_column("reason", str)
