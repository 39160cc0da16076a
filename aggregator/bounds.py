"""Bounds on inputs that grow with the site, not with lednews (issue 15): entries taken
from one feed or sitemap start point, article requests per source in one run, and the
crawl process's memory (``MemoryBound``).

A 190,000-URL sitemap queued 190,001 requests (645 MB RSS, about 3.4 KB a request);
with these bounds a run takes the newest entries and leaves the rest for later runs,
which find them unknown and fetch them then.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import resource
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

__all__ = ["MAX_ENTRIES", "MAX_QUEUED_PER_SOURCE", "MemoryBound", "newest_first"]

log = logging.getLogger(__name__)

# Entries taken per feed/sitemap start point per run (nested sitemaps of one start point
# share it): Google's news sitemaps hold at most 1,000 URLs ("Build and submit a News
# sitemap", developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap),
# i.e. what a news site itself calls recent. Setting AGGREGATOR_MAX_ENTRIES.
MAX_ENTRIES = 1000
# Article requests per source per run: 5,000 x ~3.4 KB queued is ~17 MB at most, and
# 5,000 is 250 days of the busiest bundled source (~20 articles a day). Setting
# AGGREGATOR_MAX_QUEUED_PER_SOURCE.
MAX_QUEUED_PER_SOURCE = 5000

T = TypeVar("T")
_OLDEST = float("-inf")


def _when(date: str | None) -> float:
    """Sort key of a feed/sitemap date (a timestamp): ISO 8601 (sitemaps, Atom) or RFC 822
    (RSS) read directly, anything else through the general date reader. Through that
    reader alone, and sorting aware datetimes, 190,000 sitemap entries took 14 s; read
    so, with distinct dates cached and a heap for the newest, 0.21 s."""
    if not date:
        return _OLDEST
    text = date.strip()
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        try:
            dt = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            from aggregator.extract.dates import parse_feed_date

            found = parse_feed_date(text)
            if found is None:
                return _OLDEST
            dt = found.value
    try:  # a number: comparing aware datetimes of different offsets cost 3 us each
        return (dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).timestamp()
    except (OverflowError, ValueError, OSError):
        return _OLDEST


def newest_first(entries: list[tuple[T, str | None]], limit: int) -> tuple[list[tuple[T, str | None]], int]:
    """At most ``limit`` of ``(item, date)`` entries, newest date first (undated ones
    after the dated, in document order). Returns them and how many were left out."""
    if len(entries) <= limit:
        return entries, 0
    cache: dict[str | None, float] = {}

    def key(i: int) -> tuple[float, int]:
        d = entries[i][1]
        if d not in cache:
            cache[d] = _when(d)
        return cache[d], -i

    order = heapq.nlargest(limit, range(len(entries)), key=key)
    return [entries[i] for i in order[:limit]], len(entries) - limit


class MemoryBound:
    """Stop the crawl, once and cleanly, when the process's peak RSS passes
    ``MEMUSAGE_LIMIT_MB`` (aggregator/settings.py says how the bound was chosen).

    In place of Scrapy's MemoryUsage extension, which logs an ERROR (shown on stderr)
    at every check until the engine stops (9 lines in 0.4 s at a 50 ms interval): here
    one warning goes to the log, the spider closes with ``memusage_exceeded`` (its
    buffered articles are stored by the pipeline's close) and the CLI prints one line.
    ``memusage/max`` is kept in the stats as Scrapy keeps it."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.limit = crawler.settings.getint("MEMUSAGE_LIMIT_MB") * 1024 * 1024
        self.warning = crawler.settings.getint("MEMUSAGE_WARNING_MB") * 1024 * 1024
        self.interval = crawler.settings.getfloat("MEMUSAGE_CHECK_INTERVAL_SECONDS")
        self.loop: Any = None
        self.tripped = self.warned = False
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Any) -> MemoryBound:
        if not crawler.settings.getbool("MEMUSAGE_ENABLED") or crawler.settings.getint("MEMUSAGE_LIMIT_MB") <= 0:
            raise NotConfigured
        return cls(crawler)

    @staticmethod
    def peak() -> int:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KB on Linux

    def engine_started(self) -> None:
        # asyncio's loop when there is one (always in lednews), as Scrapy's MemoryUsage
        # does: a Twisted LoopingCall would install a reactor in a reactorless process
        self.loop = create_looping_call(self.check)
        self.loop.start(self.interval, now=True)

    def engine_stopped(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()

    def check(self) -> None:
        peak = self.peak()
        if self.crawler.stats is not None:
            self.crawler.stats.max_value("memusage/max", peak)
        if self.warning and peak > self.warning and not self.warned:
            self.warned = True
            log.warning("peak memory %d MB passed MEMUSAGE_WARNING_MB (%d MB)", peak // 2**20, self.warning // 2**20)
        if self.tripped or peak <= self.limit:
            return
        self.tripped = True
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("memusage/limit_reached", 1)
        log.warning("peak memory %d MB passed MEMUSAGE_LIMIT_MB (%d MB): stopping the crawl",
                    peak // 2**20, self.limit // 2**20)
        if self.crawler.engine is not None and self.crawler.engine.spider is not None:
            asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="memusage_exceeded"))
