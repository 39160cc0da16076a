"""Incremental crawling: what earlier runs left behind, and what a run adds to it.

Feeds, sitemaps and listing pages are fetched on every run; an article URL already
fetched (or stored) is not fetched again unless the run is a ``--refresh`` or its
feed/sitemap entry now carries a different date. Start URLs are fetched with the
``ETag`` / ``Last-Modified`` validators their last 200 answer gave, so an unchanged
feed costs a ``304`` and no parsing. State lives in SQLite (``fetched_urls``,
``start_validators``) through ``aggregator.storage``.
"""

from __future__ import annotations

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
    known: dict[str, str | None] = field(default_factory=dict)  # url -> last feed date
    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    refresh: bool = False
    fetched: list[dict[str, Any]] = field(default_factory=list)  # written at close
    new_validators: list[dict[str, Any]] = field(default_factory=list)
    # feed dates of wanted URLs, kept until the page is fetched (the same URL may be
    # requested first from a listing, without a date)
    pending_dates: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, db_path: str | None, refresh: bool = False) -> CrawlState:
        """State from the database at ``db_path`` (empty when there is none yet)."""
        if not db_path or not Path(db_path).is_file():
            return cls(refresh=refresh)
        from aggregator.storage import Storage

        storage = Storage(db_path)
        try:
            return cls(known=storage.known_urls(), validators=storage.validators(), refresh=refresh)
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
    def mark_fetched(self, urls: list[str], source: str, status: int, feed_date: str | None) -> None:
        """Record an article answer; only definitive ones stop later re-fetches."""
        if status not in DEFINITIVE:
            return
        date = (feed_date or "").strip() or next(
            (self.pending_dates[u] for u in urls if u in self.pending_dates), None)
        for url in dict.fromkeys(urls):
            self.known[url] = date or self.known.get(url)
            self.fetched.append({"url": url, "source": source, "feed_date": date, "status": status})

    def mark_start(self, url: str, source: str, etag: str | None, last_modified: str | None) -> None:
        if etag or last_modified or url in self.validators:
            self.validators[url] = (etag, last_modified)
            self.new_validators.append({"url": url, "source": source, "etag": etag,
                                        "last_modified": last_modified})
