"""Article-page work in a worker process (issue 8).

Turning an article page into a stored-ready ``Article`` (extract, canonicalise, clean,
hash) is pure CPU work on the page's bytes; Scrapy's own loop (scheduling, downloads,
middlewares, writes) is another. ``PagePool`` runs the page work in
``AGGREGATOR_WORKERS`` processes beside the crawl, so on a machine with two cores the
two proceed side by side instead of taking turns (bench/crawl.py measures it).

Workers are started with the 'spawn' method: nothing of the crawl process is inherited
(no fork of a threaded Twisted process) and a worker costs one interpreter start plus
the extraction modules (~0.7 s wall here, overlapping the crawl's robots.txt and feed
requests). ``AGGREGATOR_WORKERS = 0`` runs the same functions in the crawl process:
results are the same either way (tests/test_workers.py).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any

from aggregator.clean import clean_article
from aggregator.dedup import canonicalize_url, content_hash
from aggregator.extract import ExtractError, extract
from aggregator.items import Article
from aggregator.profiles import SiteProfile

__all__ = ["PagePool", "WorkerDied", "prepare_page", "page_job", "link_stories", "default_workers",
           "tune_gc"]

# (article_id, content_hash, keys_json, terms_json): a row of Storage.save_dedup_keys
FeatureRow = tuple[str, str, str, str]

log = logging.getLogger(__name__)

# A job whose worker died (killed, out of memory, crashed in a C extension) is tried
# once more in a fresh worker; a page that kills two workers is recorded as an error.
TRIES = 2


class WorkerDied(RuntimeError):
    pass


# Cyclic-GC thresholds for the crawl and worker processes. Scrapy's asyncio loop makes
# and drops tasks and futures by the hundred per response, so with Python's defaults
# (700, 10, 10) collections run constantly over every live object. Measured on
# bench/crawl.py's 5,000-page mirror: crawl-process CPU 35.1 -> 23.2 s and wall time
# 45.9 -> 32.2 s with gc.freeze() and these thresholds (freeze alone: 34.3 s CPU);
# the bench gives bare Scrapy the same setting. Garbage without cycles is still freed
# at once; cyclic garbage waits a little longer (peak memory: bench/crawl.py).
GC_THRESHOLDS = (10_000, 50, 50)


def tune_gc() -> None:
    """Move what is alive now (imports, settings, profiles) out of the collector's way
    and collect young objects less often (``GC_THRESHOLDS``)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def default_workers() -> int:
    """One worker beside the crawl process when this process may use two or more
    cores (the crawl itself is one busy core: bench/crawl.py); none on one core."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return 1 if cores >= 2 else 0


def prepare_page(body: bytes, url: str, profile: SiteProfile, header_charset: str | None,
                 lang_hint: str | None, feed_date: str | None) -> Article | str:
    """An article page's bytes -> the cleaned, hashed ``Article``, or the error reason.

    Every article the spider yields comes through here (then ValidatePipeline, StorePipeline).
    """
    try:
        article = extract(body, url, profile, header_charset=header_charset, lang_hint=lang_hint,
                          feed_date=feed_date)
    except ExtractError as e:
        return f"extraction failed: {e}"
    # extract and clean_article return new Articles nobody else holds: set the two
    # fields in place rather than copying the whole Article twice (dataclasses.replace)
    article.canonical_url = canonicalize_url(article.canonical_url)
    cleaned = clean_article(article, profile)
    cleaned.content_hash = content_hash(cleaned.text)
    return cleaned


# Scoring profiles of the pages this worker prepared, for story linking at the end of
# the crawl (which runs in this same worker): built with the page's features anyway, and
# rebuilding them from stored text was 4.1 of the 7.2 s of linking a 5,000-page crawl
# (cProfile). At most PROFILE_CACHE (aggregator/dedup/run.py: ~18 KB each), oldest dropped.
_profiles: OrderedDict[str, tuple[str, Any]] = OrderedDict()


def page_job(body: bytes, url: str, profile: SiteProfile, header_charset: str | None,
             lang_hint: str | None, feed_date: str | None) -> tuple[Article | str, FeatureRow | None]:
    """``prepare_page``, plus the article's dedup features (aggregator.dedup.features),
    computed here so story linking at the end of the crawl only reads them back. They
    are for the text as extracted; if the store's site templates change the text, the
    content hash differs and story linking computes them again."""
    from aggregator.dedup.features import features_and_profile
    from aggregator.dedup.run import PROFILE_CACHE
    from aggregator.storage import article_id

    article = prepare_page(body, url, profile, header_charset, lang_hint, feed_date)
    if isinstance(article, str):
        return article, None
    row, scoring = features_and_profile(article_id(article.canonical_url), article.content_hash, article.title,
                                        article.text, article.lang, article.published,
                                        article.republished is not None)
    _profiles[row[0]] = (article.content_hash, scoring)
    _profiles.move_to_end(row[0])
    while len(_profiles) > PROFILE_CACHE:
        _profiles.popitem(last=False)
    return article, row


def link_stories(db_path: str, sibling_gaps: dict[str, int]) -> int:
    """Story linking over the database (``Storage.rebuild_stories``), run in the worker
    at the end of a crawl: the worker holds the dedup dictionaries and the profiles of
    the pages it prepared, so the crawl process never loads a second copy. Returns the
    rows written."""
    from aggregator.storage import Storage

    storage = Storage(db_path)
    try:
        return storage.rebuild_stories(sibling_gaps, known=dict(_profiles))
    finally:
        _profiles.clear()
        storage.close()


def _warm() -> bool:
    """Run in each new worker: import what the jobs need before the first page arrives."""
    return True


# How often a worker checks that the crawl process is still there (seconds): a killed
# crawl's worker is gone within this; the check costs nothing measurable.
_PARENT_CHECK = 1.0


def _init_worker(parent: int) -> None:
    """Worker initializer: the crawl's GC setting, and exit when the crawl process dies
    (kill -9, OOM killer), which ``concurrent.futures`` does not notice while the worker
    waits for work."""
    import threading

    tune_gc()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_CHECK)
        os._exit(0)

    threading.Thread(target=watch, name="lednews-parent-watch", daemon=True).start()


class PagePool:
    """``await pool.run(fn, *args)``: ``fn(*args)`` in a worker process, or in this
    process when the pool has no workers. Start with ``start()``, stop with ``close()``."""

    def __init__(self, workers: int) -> None:
        self.workers = max(0, workers)
        self._pool: ProcessPoolExecutor | None = None
        self._warm: Future[bool] | None = None
        self.restarts = 0

    def start(self) -> None:
        if self.workers and self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"),
                                             initializer=_init_worker, initargs=(os.getpid(),))
            # boot now, while the crawl reads robots.txt and feeds
            self._warm = self._pool.submit(_warm)

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        if self._pool is not broken:  # several jobs see the same death: restart once
            return
        warm = self._warm
        started = warm is not None and warm.done() and not warm.cancelled() and warm.exception() is None
        broken.shutdown(wait=False, cancel_futures=True)
        self._pool = None
        if not started:  # the worker never came up (not a page's fault): do without
            log.warning("page workers could not start; extracting in the crawl process")
            self.workers = 0
            return
        self.restarts += 1
        log.warning("a page worker died; starting a new one")
        self.start()

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        for _ in range(TRIES):
            if not self.workers:
                break
            if self._pool is None:
                self.start()
            pool = self._pool
            assert pool is not None
            try:
                fut: Future[Any] = pool.submit(fn, *args)
                return await asyncio.wrap_future(fut)
            except BrokenProcessPool:
                self._restart(pool)
        if not self.workers:
            return fn(*args)
        raise WorkerDied(f"the worker process died {TRIES} times on this job")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
