"""Datasette metadata: title, licence and source notes, a description of every table
and column, and the canned queries. ``tests/test_publish.py`` checks that every column
of the live schema is described here, so a new column needs a line below."""

from __future__ import annotations

from typing import Any

from aggregator.publish.entity_queries import ENTITY_TABLES
from aggregator.publish.queries import QUERIES

__all__ = ["TABLES", "INTERNAL", "metadata"]

# table -> (description, {column: description})
TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "stories": ("One row per story: the articles that are versions of one piece of news "
                "(languages, republished copies), linked by evidence.", {
        "id": "Story id: 's' + the smallest member article id.",
        "canonical_article_id": "The version shown first: primary source, earliest date, "
                                "Chinese before English.",
        "title": "Title of the canonical version.",
        "first_published": "Earliest publication date among primary (non-republished) versions.",
        "languages": "JSON list of the languages available (en, zh-Hans, zh-Hant).",
        "versions": "Number of articles in the story.",
        "sources": "JSON list of source keys carrying the story.",
        "evidence": "JSON list of the links that joined the articles (kind:article-article).",
    }),
    "articles": ("One row per article page (canonical URL), with its extracted, cleaned text.", {
        "id": "Article id: first 16 hex digits of sha1(canonical_url).",
        "url": "URL the article was fetched from.",
        "canonical_url": "Normalised URL (rel=canonical, tracking parameters removed).",
        "source": "Source key (sources.key).",
        "lang": "Language: en, zh-Hans or zh-Hant.",
        "title": "Article title.",
        "text": "Clean body text, paragraphs separated by newlines.",
        "published": "Publication date as the page gives it (ISO 8601, with offset when known).",
        "republished": "Set when this source republishes others' stories.",
        "author": "Author or byline, when the page names one.",
        "fetched_at": "When this version was fetched (UTC).",
        "first_seen": "When the article was first stored (UTC).",
        "content_hash": "Fingerprint of the normalised text.",
        "extraction_method": "Which path produced the body (profile selector, JSON-LD, fallback).",
        "date_method": "Where the publication date came from.",
        "story_id": "The story this article belongs to (stories.id).",
        "alternate_urls": "JSON list of other-language URLs the page links to.",
        "sibling_key": "Key of the profile's sibling rule (consecutive release ids).",
        "sibling_seq": "Sequence number used by the sibling rule.",
        "warnings": "JSON list of extraction warnings.",
        "version": "Version number; earlier texts are in article_versions.",
        "body_html": "Sanitised HTML of the body (paragraphs, headings, lists, tables, images, links only).",
        "raw_text": "Cleaned text before learned site-template lines were removed (nothing is lost).",
        "cleaning": "JSON log of what cleaning removed and by which rule (`lednews explain-clean URL`).",
        "extractor_version": "What made this version: extractor and cleaner versions, \"EXTRACTOR.CLEANER\".",
        "profile_hash": "Hash of the source profile fields extraction and cleaning read, when this version was made.",
    }),
    "article_versions": ("Earlier texts of articles that changed after they were first stored.", {
        "article_id": "articles.id",
        "version": "Version number of this earlier text.",
        "title": "Title of that version.",
        "text": "Text of that version.",
        "published": "Publication date of that version.",
        "content_hash": "Fingerprint of that version's text.",
        "fetched_at": "When that version was fetched.",
        "superseded_at": "When a newer version replaced it.",
        "reason": "Why it was replaced: the page changed, or `lednews process` (extractor, cleaner or profile change).",
    }),
    "archive_records": ("The raw archive's index: one row per WARC record (fetched page, feed, sitemap) "
                        "in DATA_DIR/archive (docs/archive.md).", {
        "id": "Row id.",
        "record_id": "WARC-Record-ID of the record.",
        "uri": "URL fetched (WARC-Target-URI).",
        "date": "When it was fetched (WARC-Date, UTC).",
        "kind": "article, feed or sitemap.",
        "source": "Source key.",
        "file": "WARC file under the archive directory.",
        "offset": "Byte offset of the record (one gzip member) in the file.",
        "length": "Length of the record in bytes, compressed.",
        "digest": "WARC-Payload-Digest of the body (sha1, base 32).",
        "type": "response (the body is in this record) or revisit (the body is in the record refers_to).",
        "status": "HTTP status.",
        "refers_to": "For a revisit: WARC-Record-ID of the record holding the same body.",
        "lang_hint": "Language of the start point the URL was found from.",
        "feed_date": "Date the feed or sitemap gave for the URL.",
        "run_id": "crawl_runs.id of the run that fetched it (empty for imported records).",
    }),
    "sources": ("The sites crawled: bundled profiles and user-defined sources.", {
        "key": "Source key, used in articles.source.",
        "name": "Display name.",
        "homepage": "Home page URL.",
        "languages": "JSON list of the languages the site publishes.",
        "domains": "JSON list of the domains crawled for it.",
        "user_defined": "1 for sources from a user TOML file.",
        "notes": "Notes from the profile.",
    }),
    "crawl_runs": ("One row per `lednews crawl` run, with its counters.", {
        "id": "Run number.",
        "started_at": "Start (UTC).",
        "finished_at": "End (UTC).",
        "finish_reason": "Scrapy's finish reason ('finished' when normal); 'running' while it runs, 'interrupted' once a later run finds it was killed.",
        "mode": "web or mirror.",
        "sources": "JSON list of the sources crawled.",
        "requests": "Requests sent.",
        "responses": "Responses received.",
        "responses_by_status": "JSON object: HTTP status -> count.",
        "new_articles": "Articles stored for the first time.",
        "updated_articles": "Articles whose text or title changed.",
        "unchanged_articles": "Articles seen again unchanged.",
        "errors": "Errors recorded in crawl_errors.",
        "fallbacks": "Articles whose profile selector missed (generic extraction used).",
        "stats": "JSON of Scrapy's stats.",
        "robots_requests": "Requests for robots.txt (counted in requests).",
        "not_modified": "Start points answered 304 Not Modified (ETag / Last-Modified).",
        "skipped_known": "Article links not fetched because the article is already stored.",
        "challenges": "Bot-challenge pages (captcha/WAF) met; reported, never stored.",
        "failure": "Why the run failed to store what it fetched (finish_reason 'store_failed'); empty otherwise.",
    }),
    "crawl_run_sources": ("One row per source per run: the run's counters split by source.", {
        "run_id": "crawl_runs.id",
        "source": "Source key.",
        "requests": "Requests sent for this source.",
        "responses": "Responses received.",
        "responses_by_status": "JSON object: HTTP status -> count.",
        "not_modified": "Start points answered 304.",
        "links_found": "Article links found on its feeds, sitemaps and listings.",
        "skipped_known": "Links not fetched because already stored.",
        "articles_parsed": "Article pages extracted.",
        "new_articles": "Articles stored for the first time.",
        "updated_articles": "Articles stored as a new version.",
        "unchanged_articles": "Articles fetched again and found unchanged.",
        "errors": "Errors recorded in crawl_errors.",
        "fallbacks": "Articles whose profile selector missed.",
        "challenges": "Bot-challenge pages met.",
        "urls": "URLs requested (retries not counted): the base of the error rate.",
        "unreachable": "Errors where the host was never reached (DNS, connect, TLS).",
        "items": "Articles that passed validation.",
        "dated": "Of those, articles with a publish date.",
        "with_lang": "Of those, articles with a language.",
        "body_units": "Sum of their body lengths in reading units (CJK characters + words).",
    }),
    "fetched_urls": ("Crawl state: every article URL fetched, so later runs skip it.", {
        "url": "Requested URL (tracking parameters removed).",
        "source": "Source key.",
        "feed_date": "Date the feed/sitemap gave for it when last fetched (a newer one triggers a refetch).",
        "status": "HTTP status of the last fetch.",
        "first_fetched": "First fetch (UTC).",
        "last_fetched": "Last fetch (UTC).",
    }),
    "start_validators": ("Crawl state: HTTP validators per start point, for conditional requests.", {
        "url": "Start point URL (feed, sitemap or listing).",
        "source": "Source key.",
        "etag": "ETag of the last answer.",
        "last_modified": "Last-Modified of the last answer.",
        "checked_at": "When it was last fetched (UTC).",
    }),
    "source_discovery": ("What discovery learned per source known by its home URL: later crawls start from it.", {
        "source": "Source key.",
        "home": "The home URL discovery started from.",
        "plan": "JSON: feeds, sitemaps, news listings, learned article URL shapes, steps, rejected URLs.",
        "updated": "When it was learned (UTC).",
    }),
    "site_templates": ("Lines learned per source as site template (menus, footers, notices "
                       "repeated across its pages) and removed from article text.", {
        "source": "Source key.",
        "key": "Normalised form of the line.",
        "line": "The line as seen.",
        "pages": "Articles of the source containing it.",
        "docs": "Articles of the source examined when learning.",
        "learned_at": "When it was learned (UTC).",
    }),
    "dedup_features": ("Dedup state: candidate keys and terms per article text, so an "
                       "incremental pass only computes what is new (docs/dedup.md).", {
        "article_id": "articles.id",
        "content_hash": "articles.content_hash the features were computed from.",
        "version": "Feature format version (a new version recomputes everything).",
        "keys": "JSON: candidate keys (MinHash bands, names, figures, periods).",
        "terms": "JSON: content terms (English stems; jieba words for Chinese) for similarity.",
    }),
    "dedup_pairs": ("Dedup state: scored candidate pairs (cached; rescored when a text changes).", {
        "a": "articles.id (the smaller).",
        "b": "articles.id (the larger).",
        "hash_a": "content_hash of a when scored.",
        "hash_b": "content_hash of b when scored.",
        "kind": "What the score says: exact, near (near-duplicate), variant (translation variant), cross (zh<->en) or none.",
        "score": "Layer score used for linking.",
        "jaccard": "Shingle Jaccard similarity.",
        "semantic": "Content-term cosine similarity.",
        "veto": "Why the pair may not be linked (disagreeing figures or periods), if any.",
    }),
    # the candidate index of incremental story linking (migration m140, docs/dedup.md)
    "dedup_meta": ("Dedup state: markers of the linking passes (index version, last pass).", {
        "key": "What is recorded: index_version or pass.",
        "value": "Its value (the index format version; the time of the last pass, UTC).",
    }),
    "dedup_dirty": ("Dedup state: articles written since the last linking pass (kept by triggers).", {
        "article_id": "articles.id",
    }),
    "dedup_band": ("Dedup state: MinHash band buckets of the candidate index.", {
        "bkey": "band << 56 | the band's 7-byte key.",
        "article_id": "articles.id",
    }),
    "dedup_anchor": ("Dedup state: anchor postings (names, figures, periods) by publish day.", {
        "anchor": "Candidate key.",
        "day": "Proleptic ordinal of the publish date; -1 when undated.",
        "article_id": "articles.id",
        "wide": "1 if the date is unreliable (republished copy or undated): a wide candidate window.",
    }),
    "dedup_index": ("Dedup state: each article's explicit-link fields as last linked.", {
        "article_id": "articles.id",
        "content_hash": "articles.content_hash when indexed.",
        "hash_ok": "1 if the text is long enough for its hash to link copies.",
        "canonical_url": "articles.canonical_url when indexed.",
        "sibling_key": "Sibling key (language versions of one page), if any.",
    }),
    "dedup_alt": ("Dedup state: alternate URLs (hreflang and the like) each article links to.", {
        "url": "Canonicalised alternate URL.",
        "article_id": "articles.id",
    }),
    "dedup_graph": ("Dedup state: edges of the link graph (explicit links and matching pairs).", {
        "a": "articles.id",
        "b": "articles.id",
        "kind": "Why they are linked: link, exact, sibling (explicit) or pair (scored as a match).",
    }),
    "crawl_errors": ("Errors met during crawls, one row per failed page.", {
        "id": "Row id.",
        "run_id": "crawl_runs.id",
        "source": "Source key.",
        "url": "Page URL.",
        "reason": "What went wrong.",
        "attempts": "Requests the URL cost (first try plus retries).",
        "at": "When (UTC).",
    }),
    "article_search": ("Search index: one row per indexed article. The terms (title and text "
                       "normalised: Traditional folded to Simplified, lower case; Chinese as "
                       "overlapping two-character pieces, 智能照明 -> 智能 能照 照明; English "
                       "words as words) are indexed by plain FTS5 in article_search_fts, "
                       "which stores no copy of the text. The search box here takes those "
                       "terms (micro led, 能照); the 'search' query makes them for you.", {
        "id": "Row id, also the rowid of the article's terms in article_search_fts.",
        "article_id": "articles.id",
        "src_title": "Title the index row was made from (to detect staleness).",
        "content_hash": "articles.content_hash the index row was made from.",
        "terms_hash": "Hash of the indexed terms (to remove them exactly when the text changes).",
    }),
    "_sqlite_migrations": ("Schema migrations applied to this file (sqlite-utils).", {
        "id": "Row id.",
        "migration_set": "Name of the migration set ('lednews').",
        "name": "Migration function name.",
        "applied_at": "When it was applied.",
    }),
}

TABLES.update(ENTITY_TABLES)  # entities, article_entities, entity_tagged (issue 19)
# Crawl and dedup state and the search index: hidden from the database page (still
# reachable by URL and SQL, and listed under "hidden tables").
INTERNAL = ("dedup_pairs", "dedup_features", "dedup_meta", "dedup_dirty", "dedup_band", "dedup_anchor",
            "dedup_index", "dedup_alt", "dedup_graph", "fetched_urls", "start_validators", "site_templates",
            "article_search", "article_search_fts", "_sqlite_migrations", "entity_tagged", "archive_records")

LICENSE = ("Article titles and texts remain the copyright of their publishers; this "
           "database is for research and monitoring. lednews code: MIT.")
SOURCE = "lednews crawl of LED trade media and manufacturer sites (see the sources table)"


def metadata(db_name: str) -> dict[str, Any]:
    """The metadata dict for a database served under ``db_name``."""
    tables: dict[str, dict[str, Any]] = {name: {"description": desc, "columns": cols}
                                         for name, (desc, cols) in TABLES.items()}
    tables["articles"]["sort_desc"] = "published"
    tables["stories"]["sort_desc"] = "first_published"
    # the FTS table is contentless, so Datasette cannot find it by its content= option
    tables["article_search"].update(fts_table="article_search_fts", fts_pk="id")
    for name in INTERNAL:
        tables.setdefault(name, {})["hidden"] = True
    return {
        "title": "lednews: LED industry news",
        "description": "Chinese and English LED and semiconductor-lighting news, crawled, "
                       "cleaned and linked into stories. The reading room is at / (stories, "
                       "search, filters, feeds); here are the tables and the canned queries: "
                       "latest stories, search, a source's articles, counts per day/week.",
        "license": LICENSE,
        "source": SOURCE,
        "databases": {db_name: {
            "description": "Articles, stories and crawl records of one lednews database.",
            "tables": tables,
            # SQL folded away on the query pages: the form and results come first
            "queries": {k: {**v, "hide_sql": True} for k, v in QUERIES.items()},
        }},
    }
