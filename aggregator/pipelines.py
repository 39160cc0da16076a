"""Thin Scrapy adapters: validate -> store.

Articles arrive extracted, cleaned and hashed (``aggregator.workers.prepare_page``, in
the page worker); validation refuses what must not be stored, the store stage buffers
and writes in batches, then links stories and writes the run record when the crawl closes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from scrapy import signals
from scrapy.exceptions import DropItem

from aggregator.dedup.features import FEATURE_VERSION
from aggregator.items import Article
from aggregator.process import MIN_STORED_UNITS
from aggregator.runs import run_fields, source_rows
from aggregator.storage import Storage
from aggregator.storage.common import now
from aggregator.text import text_units
from aggregator.workers import link_stories

__all__ = ["ValidatePipeline", "StorePipeline"]

log = logging.getLogger(__name__)

# What the writer thread is handed: per-source (source, articles, dedup features rows,
# fetched_urls rows of those articles), the error rows recorded since the last hand-over
# and the fetched_urls rows that go with them. One batch is one transaction.
# The fourth part: index rows of the WARC records archived since the last hand-over.
Batch = tuple[list[tuple[str, list[Article], list[tuple[str, str, str, str]], list[dict[str, Any]]]],
              list[tuple[Any, ...]], list[dict[str, Any]], list[dict[str, Any]]]

# A batch that cannot be written (database locked past busy_timeout, disk full, an I/O
# error) is tried this many more times, AGGREGATOR_WRITE_RETRY_DELAY seconds apart
# (doubling), then recorded as failed: its URLs are not marked seen, so the next run
# fetches them again, and the crawl stops with finish_reason "store_failed". Two retries
# ride out a checkpoint or another tool's write (each try already waits busy_timeout,
# 10 s); a full disk is not freed in seconds, so more tries only delay the exit.
WRITE_RETRIES = 2
WRITE_RETRY_DELAY = 2.0



def _cause(e: sqlite3.Error) -> str:
    """SQLite's message and its error name: 'disk I/O error (SQLITE_IOERR_WRITE)'."""
    name = getattr(e, "sqlite_errorname", None)
    return f"{e} ({name})" if name else str(e)


def _idle() -> None:
    """A no-op for the writer thread: once it has run, every batch before it is stored."""


class _Stage:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> Any:
        return cls(crawler)

    @property
    def spider(self) -> Any:
        return self.crawler.spider

    def reject(self, item: Article, reason: str) -> None:
        self.spider.record_error(item.source, item.url, reason,
                                 fetched=self.spider.fetched_rows.pop(item.canonical_url, None))
        raise DropItem(reason)


class ValidatePipeline(_Stage):
    def process_item(self, item: Article) -> Article:
        if not isinstance(item, Article):
            raise DropItem(f"not an Article: {type(item).__name__}")
        if not item.title.strip():
            self.reject(item, "no title")
        if "\ufffd" in item.text or "\ufffd" in item.title:
            item.warnings.append("text contains U+FFFD")
        units = text_units(item.text)
        if units < MIN_STORED_UNITS:
            self.reject(item, f"body too short after cleaning ({units} units)")
        stats = self.crawler.stats  # field coverage per source (monitors shown by `lednews status`)
        stats.inc_value(f"lednews/items/{item.source}")
        stats.inc_value(f"lednews/body_units/{item.source}", units)
        if item.published:
            stats.inc_value(f"lednews/dated/{item.source}")
        if item.lang:
            stats.inc_value(f"lednews/with_lang/{item.source}")
        return item


class StorePipeline(_Stage):
    """Buffers articles and writes them in batches of ``AGGREGATOR_WRITE_BATCH`` on a
    writer thread of its own, one batch at a time and in order: SQLite runs without
    the GIL, so the crawl goes on while a batch commits. (On the crawl's own thread the
    commits cost it 1.3 s of a 5,000-page bench/crawl.py run: py-spy.) An item waits
    only when its batch is full and the previous one is still being written."""

    def open_spider(self) -> None:
        settings = self.crawler.settings
        self.batch_size = settings.getint("AGGREGATOR_WRITE_BATCH", 200)
        self.storage = Storage(settings.get("AGGREGATOR_DB"), threads=True)
        self.storage.upsert_sources(self.spider.profiles.values())
        mode = "mirror" if settings.get("AGGREGATOR_MIRROR_DIR") else "live"
        self.run_id = self.storage.start_run(mode, sorted(self.spider.profiles))
        self.buffer: list[Article] = []
        self.totals = {"new": 0, "updated": 0, "unchanged": 0}
        self.by_source: dict[str, dict[str, int]] = {}
        self.seen: set[str] = set()
        self.retries = settings.getint("AGGREGATOR_WRITE_RETRIES", WRITE_RETRIES)
        self.retry_delay = settings.getfloat("AGGREGATOR_WRITE_RETRY_DELAY", WRITE_RETRY_DELAY)
        self.failure: str | None = None  # why a batch could not be stored (the run fails)
        self.unsaved = {"articles": 0, "errors": 0, "batches": 0}
        self._stopping = False
        self._extra_fetched: list[dict[str, Any]] = []  # rows of a page reached twice
        self.spider.state_saved_by_pipeline = True  # validators are saved at close, if all was stored
        self.crawler.stats.set_value("lednews/run_id", self.run_id)
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="lednews-writer")
        self._writing: list[Future[None]] = []  # batches handed to the writer, in order
        self._errors_taken = 0  # spider.errors already handed to the writer
        self._every = settings.getfloat("AGGREGATOR_FLUSH_SECONDS", 5.0)
        self._ticker = asyncio.ensure_future(self._tick()) if self._every > 0 else None
        self.crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    async def _tick(self) -> None:
        """Write what is buffered (articles and error rows) every AGGREGATOR_FLUSH_SECONDS
        even while batches are not full: a killed run (cron timeout, OOM killer) loses
        at most that much of its work and none of its errors before that."""
        while True:
            await asyncio.sleep(self._every)
            if self._pending_work():
                await self._flush_async()

    async def process_item(self, item: Article) -> Article:
        if item.canonical_url in self.seen:  # same page reached twice in one run
            self._extra_fetched.extend(self.spider.fetched_rows.pop(item.canonical_url, []))
            return item
        self.seen.add(item.canonical_url)
        self.buffer.append(item)
        if len(self.buffer) >= self.batch_size:
            await self._flush_async()
        return item

    def _take(self) -> Batch:
        """The buffer as per-source batches with their dedup features rows, and the
        errors recorded since the last take (taken from the spider here, on the crawl's
        thread)."""
        groups: dict[str, list[Article]] = {}
        for a in self.buffer:
            groups.setdefault(a.source, []).append(a)
        self.buffer = []
        fetched = self.spider.fetched_rows
        errors = self.spider.errors[self._errors_taken:]
        self._errors_taken += len(errors)
        loose = self.spider.error_fetched + self.spider.state.fetched + self._extra_fetched
        self.spider.error_fetched, self.spider.state.fetched, self._extra_fetched = [], [], []
        archived = self.spider.archive.take() if self.spider.archive is not None else []
        return ([(src, items, [a.dedup_features for a in items if a.dedup_features],
                  [r for a in items for r in fetched.pop(a.canonical_url, [])])
                 for src, items in groups.items()], errors, loose, archived)

    def _write_once(self, batch: Batch) -> dict[str, Any]:
        """The whole batch in one transaction: articles, their dedup keys, error rows,
        and the fetched_urls rows that mark those URLs seen."""
        batches, errors, loose, archived = batch
        results = {}
        with self.storage.db.atomic():
            self.storage.save_archive_rows(archived, self.run_id)  # the pages' WARC records
            self.storage.record_errors(self.run_id, errors)
            for src, items, rows, fetched in batches:  # per source, for the crawl_run_sources rows
                results[src] = self.storage.save_articles(items)
                if rows:  # computed by the page worker; ignored by story linking if the text changed
                    self.storage.save_dedup_keys(rows, FEATURE_VERSION)
                self.storage.save_fetched(fetched)
            self.storage.save_fetched(loose)
        return results

    def _write(self, batch: Batch) -> None:
        """``_write_once``, retried; a batch that still fails is counted as unsaved and
        fails the run (nothing of it is marked seen: the next run fetches it again)."""
        for attempt in range(self.retries + 1):
            try:
                results = self._write_once(batch)
                break
            except sqlite3.Error as e:
                if attempt < self.retries:
                    log.warning("storing a batch failed (%s); retry %d of %d", _cause(e), attempt + 1, self.retries)
                    time.sleep(self.retry_delay * 2 ** attempt)
                    continue
                self.unsaved["batches"] += 1
                self.unsaved["articles"] += sum(len(b[1]) for b in batch[0])
                self.unsaved["errors"] += len(batch[1])
                if self.failure is None:
                    self.failure = f"cannot write to {self.storage.path}: {_cause(e)}"
                # a warning (the log file): the CLI prints the one line that names the cause
                log.warning("storing a batch failed after %d tries: %s; %d articles not stored "
                            "(the next run fetches them again)", attempt + 1, _cause(e), self.unsaved["articles"])
                return
        for src, res in results.items():
            counts = self.by_source.setdefault(src, {"new": 0, "updated": 0, "unchanged": 0})
            for k in self.totals:
                self.totals[k] += getattr(res, k)
                counts[k] += getattr(res, k)

    def _pending_work(self) -> bool:
        archive = self.spider.archive
        return (bool(self.buffer) or len(self.spider.errors) > self._errors_taken
                or (archive is not None and archive.pending()))

    async def _flush_async(self) -> None:
        await self._wait_async()
        if self.failure is not None and not self._stopping:
            # the crawl stops: what it would fetch could not be stored either
            self._stopping = True
            asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="store_failed"))
        if self._pending_work():
            self._writing.append(self._writer.submit(self._write, self._take()))

    async def _wait_async(self) -> None:
        """Until the batches handed over are stored (a batch's error is raised here).
        The writer is one thread taking batches in order, so a batch handed over while
        another coroutine waits is still written after the ones before it."""
        while self._writing:
            await asyncio.wrap_future(self._writing.pop(0))

    def flush(self) -> None:
        """Store everything buffered now, on this thread, once the writer is idle."""
        self._writer.submit(_idle).result()  # the writer is one thread: all before it are done
        writing, self._writing = self._writing, []
        for done in writing:
            done.result()
        if self._pending_work():
            self._write(self._take())

    async def close_spider(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
        await asyncio.wrap_future(self._writer.submit(_idle))  # every batch handed over is stored
        self.flush()
        if self.failure is not None:  # no story linking or template learning on a failing store
            return
        gaps = {p.key: p.sibling.max_gap for p in self.spider.profiles.values() if p.sibling}
        path = str(self.storage.path)
        # Story linking (in the page worker) and template learning (here) side by side:
        # learning took 0.35 s after the 1.5 s of linking of bench/crawl.py's 5,000 pages.
        # If learning changed a stored text, its story links are made again after.
        t0 = time.monotonic()
        linking = asyncio.ensure_future(self.spider.pages.run(link_stories, path, gaps))
        sources = sorted(self.spider.profiles)
        try:
            try:
                changed = self.storage.relearn_templates(sources)[1]
            except sqlite3.OperationalError:  # the linking write held the file past busy_timeout
                await linking
                changed = self.storage.relearn_templates(sources)[1]
            t1 = time.monotonic()
            written = await linking
            if changed:
                written = await self.spider.pages.run(link_stories, path, gaps)
        except sqlite3.Error as e:  # disk full, I/O error: articles are stored, links are not
            if not linking.done():
                linking.cancel()
            self.failure = f"cannot write to {self.storage.path}: {_cause(e)} (while linking stories)"
            log.warning("%s", self.failure)
            return
        log.info("site templates learned in %.2f s; stories linked in %.2f s (%d rows written%s)",
                 t1 - t0, time.monotonic() - t0, written, ", again after template changes" if changed else "")

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Run record last: after the pipelines closed, with Scrapy's finish reason
        (``store_failed`` when a batch could not be stored, whatever Scrapy says)."""
        try:
            self.flush()  # the errors recorded since close_spider (and all, if it failed half-way)
            if self.failure is None:  # conditional-request validators only when all was stored
                try:
                    with self.storage.db.atomic():
                        self.storage.save_fetched(self.spider.state.fetched)
                        self.storage.save_validators(self.spider.state.new_validators)
                except sqlite3.Error as e:
                    self.failure = f"cannot write to {self.storage.path}: {_cause(e)}"
            if self.failure is not None:
                reason = "store_failed"
                self.crawler.stats.set_value("lednews/store_failure", self.failure)
                for k, v in self.unsaved.items():
                    self.crawler.stats.set_value(f"lednews/unsaved_{k}", v)
            self._finish(reason)
        except sqlite3.Error as e:  # the run record itself could not be written (disk full)
            if self.failure is not None and self._finish_minimal("store_failed"):
                return  # the finally below still runs
            log.warning("cannot write the run record to %s: %s", self.storage.path, _cause(e))
            if self.failure is None:
                self.failure = f"cannot write the run record to {self.storage.path}: {_cause(e)}"
                self.crawler.stats.set_value("lednews/store_failure", self.failure)
        finally:
            self._writer.shutdown(wait=True)
            self.storage.close()
            close_known = getattr(self.spider.state.known, "close", None)
            if close_known is not None:  # the crawl state's reading connection (KnownUrls)
                close_known()

    def _finish_minimal(self, reason: str) -> bool:
        """The run's end and failure alone (one row of one page), when the full record
        (counters, stats, per-source rows) did not fit: on a full disk (or a file-size
        limit) the log may have room for a page but not for the whole record. If even
        that fails, the log is checkpointed into the database file (room there is
        separate under a per-file limit) and the row tried once more."""
        sql = "update crawl_runs set finished_at = ?, finish_reason = ?, failure = ? where id = ?"
        args = [now(), reason, self.failure, self.run_id]
        for attempt in range(2):
            try:
                with self.storage.db.atomic():
                    self.storage.db.execute(sql, args)
                log.warning("the run record of %s holds its end and failure only (no room for its counters)",
                            self.storage.path)
                return True
            except sqlite3.Error:
                if attempt == 0:
                    try:
                        self.storage.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
                    except sqlite3.Error:
                        return False
        return False

    def _finish(self, reason: str) -> None:
        all_stats = self.crawler.stats.get_stats()
        by_status = {k.rsplit("/", 1)[-1]: v for k, v in all_stats.items()
                     if k.startswith("downloader/response_status_count/")}
        self.storage.finish_run(
            self.run_id,
            finish_reason=reason, failure=self.failure,
            requests=int(all_stats.get("downloader/request_count", 0)),
            responses=int(all_stats.get("downloader/response_count", 0)),
            responses_by_status=json.dumps(by_status, sort_keys=True),
            new_articles=self.totals["new"], updated_articles=self.totals["updated"],
            unchanged_articles=self.totals["unchanged"], errors=len(self.spider.errors),
            fallbacks=int(all_stats.get("lednews/fallbacks", 0)),
            stats=json.dumps({k: v for k, v in all_stats.items() if k.startswith(("lednews/", "retry/"))},
                             sort_keys=True, default=str),
            **run_fields(all_stats),
        )
        self.storage.record_run_sources(self.run_id, source_rows(
            all_stats, sorted(self.spider.profiles), self.by_source, self.spider.errors))
