"""Incremental crawling: what earlier runs left behind, and what a run adds to it.

Feeds, sitemaps and listing pages are fetched on every run; an article URL already
fetched (or stored) is not fetched again unless the run is a ``--refresh`` or its
feed/sitemap entry now carries a different date. Start URLs are fetched with the
``ETag`` / ``Last-Modified`` validators their last 200 answer gave, so an unchanged
feed costs a ``304`` and no parsing. State lives in SQLite (``fetched_urls``,
``start_validators``) through ``aggregator.storage``.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aggregator.dedup.urls import canonicalize_url

__all__ = ["CrawlState", "conditional_headers"]

# Answers that settle an article URL for good: a page (200) or a page that is gone
# (404, 410). 5xx, timeouts and bot challenges are retried on the next run.
DEFINITIVE = frozenset({200, 203, 404, 410})


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """Request headers that turn a re-fetch of an unchanged start URL into a 304."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


@dataclass
class CrawlState:
    known: MutableMapping[str, str | None] = field(default_factory=dict)  # url -> last feed date
    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    refresh: bool = False
    # first feed dates of URLs already known (no article row goes with them); the rows of
    # fetched article URLs are returned by ``mark_fetched`` and stored with their
    # article or error row, in the same transaction (aggregator.pipelines)
    fetched: list[dict[str, Any]] = field(default_factory=list)
    new_validators: list[dict[str, Any]] = field(default_factory=list)
    # feed dates of wanted URLs, kept until the page is fetched (the same URL may be
    # requested first from a listing, without a date)
    pending_dates: dict[str, str] = field(default_factory=dict)
    # the run before did not end cleanly (store failed, killed): listings are paged to
    # their max_pages even when a page holds only known links, since the pages after
    # it may hold articles that run fetched and could not store
    catch_up: bool = False
    # after such a run: other-language versions of the articles it stored that it never
    # got to (``RunStore.unfollowed_alternates``); the spider requests them at start
    orphans: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def load(cls, db_path: str | None, refresh: bool = False) -> CrawlState:
        """State from the database at ``db_path`` (empty when there is none yet)."""
        if not db_path or not Path(db_path).is_file():
            return cls(refresh=refresh)
        from aggregator.storage import Storage

        storage = Storage(db_path)
        try:
            catch_up = not storage.last_run_complete()
            return cls(known=storage.known_urls(), validators=storage.validators(), refresh=refresh,
                       catch_up=catch_up, orphans=storage.unfollowed_alternates() if catch_up else [])
        finally:
            storage.close()

    def save(self, db_path: str) -> None:
        from aggregator.storage import Storage

        storage = Storage(db_path)
        try:
            storage.save_fetched(self.fetched)
            storage.save_validators(self.new_validators)
        finally:
            storage.close()
        self.fetched, self.new_validators = [], []

    # decisions -------------------------------------------------------------------
    def _key(self, url: str) -> str | None:
        if url in self.known:
            return url
        canon = canonicalize_url(url)
        return canon if canon in self.known else None

    def wants(self, url: str, source: str, feed_date: str | None = None) -> bool:
        """Should this article URL be fetched in this run?

        Unknown URLs: yes. Known ones: only on refresh, or when the feed/sitemap date
        differs from the one recorded last time (a first-seen date is recorded, not
        treated as a change)."""
        key = self._key(url)
        if key is None:
            if feed_date:
                self.pending_dates[url] = feed_date
            return True
        if self.refresh:
            return True
        old = self.known[key]
        if not feed_date or old == feed_date:
            return False
        if old is None:  # first date seen for a known URL: remember it, no re-fetch
            self.known[key] = feed_date
            self.fetched.append({"url": key, "source": source, "feed_date": feed_date})
            return False
        self.pending_dates[key] = feed_date  # recorded by mark_fetched once fetched
        return True

    def request_headers(self, url: str) -> dict[str, str]:
        if self.refresh or url not in self.validators:
            return {}
        return conditional_headers(*self.validators[url])

    # recording ---------------------------------------------------------------------
    def mark_fetched(self, urls: list[str], source: str, status: int,
                     feed_date: str | None) -> list[dict[str, Any]]:
        """Record an article answer in this run's memory; only definitive ones stop later
        re-fetches. Returns the ``fetched_urls`` rows, which the caller stores in the same
        transaction as the article or error row (a URL is never marked seen before what
        it gave is stored)."""
        if status not in DEFINITIVE:
            return []
        date = (feed_date or "").strip() or next(
            (self.pending_dates[u] for u in urls if u in self.pending_dates), None)
        rows = []
        for url in dict.fromkeys(urls):
            self.known[url] = date or self.known.get(url)
            rows.append({"url": url, "source": source, "feed_date": date, "status": status})
        return rows

    def mark_start(self, url: str, source: str, etag: str | None, last_modified: str | None) -> None:
        if etag or last_modified or url in self.validators:
            self.validators[url] = (etag, last_modified)
            self.new_validators.append({"url": url, "source": source, "etag": etag,
                                        "last_modified": last_modified})
