"""The writer: a local crawl whose downloads happen elsewhere.

``lednews crawl --frontier URL`` runs the usual ``AllSourcesSpider`` with its usual
pipelines (so pages are processed, linked and stored exactly as in a local crawl) and
swaps two Scrapy components:

- ``WriterScheduler``: requests the spider makes (start points, articles, pagination,
  language alternates) are pushed to the frontier, with the dupefilter in Redis, and the
  next "request" is a fetched page read from the result stream;
- ``ReplayDownloadHandler``: "downloads" such a request by rebuilding the response
  the worker received (or raising its failure), so the spider callback, errback and
  every middleware after the downloader see what a local crawl would have seen.

The crawl ends when nothing is queued, claimed or unread anywhere and the spider is
idle. Start points are pushed once per run, by the writer alone (workers never run
``start()``); the database's known URLs are the spider's own incremental state.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import time
import uuid
from collections import deque
from typing import Any

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.core.scheduler import BaseScheduler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro

from aggregator.frontier.records import (
    request_from_payload,
    request_payload,
    response_from_record,
    slot_of,
)
from aggregator.frontier.redisq import (
    RETRY_FOR,
    Frontier,
    connect,
    fingerprint_key,
    retrying,
    transient,
)

__all__ = ["WriterScheduler", "ReplayDownloadHandler", "FrontierFailure", "writer_settings"]

log = logging.getLogger(__name__)

# Results held in the writer's own queue before it stops reading the stream: enough to
# keep Scrapy's 32 concurrent "downloads" (replays) fed between reads of 100 entries.
LOCAL_MAX = 256
READ_COUNT = 100
# How often the writer re-reads the frontier's counters to tell whether the crawl is
# over (two commands in one round trip): the end of a crawl is noticed this much late.
MONITOR_SECONDS = 0.1
# The writer's liveness key expires after this long without a heartbeat (every third
# of it): a second writer on the same frontier is refused while the first lives.
WRITER_TTL = 30
# With requests queued and no page back for this long, the writer says so in the log
# (and on the terminal with -v): most likely no worker is running.
STALL_WARNING = 60.0


class FrontierFailure(IgnoreRequest):
    """A request that got no answer in the worker: its one-line reason, as recorded
    there (aggregator.faults.describe_failure keeps it as it is)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.frontier_reason = reason


def writer_settings(settings: Any, url: str) -> None:
    """Turn a ``crawl_settings`` into the writer's: its scheduler and replay handler,
    nothing fetched or retried here, no local politeness (the frontier keeps it)."""
    handler = "aggregator.frontier.writer.ReplayDownloadHandler"
    for name, value in {
        "AGGREGATOR_FRONTIER_URL": url,
        "SCHEDULER": "aggregator.frontier.writer.WriterScheduler",
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "ROBOTSTXT_OBEY": False, "RETRY_ENABLED": False, "REDIRECT_ENABLED": False,
        "METAREFRESH_ENABLED": False, "COOKIES_ENABLED": False, "COMPRESSION_ENABLED": False,
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_SLOTS": {},
        "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    }.items():
        settings.set(name, value, priority="cmdline")
    mws = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    mws.update({"aggregator.politeness.CrawlDelayMiddleware": None,
                "aggregator.politeness.RetryAfterMiddleware": None})
    settings.set("DOWNLOADER_MIDDLEWARES", mws, priority="cmdline")


class ReplayDownloadHandler(BaseDownloadHandler):
    async def download_request(self, request: Request) -> Response:
        rec, body = request.meta.pop("frontier_record")
        if rec.get("kind") == "failure":
            reason = rec.get("reason") or "unknown failure"
            if reason.startswith("bot challenge"):  # counted where the run record reads them
                src = request.meta.get("profile") or "?"
                self.crawler.stats.inc_value("lednews/challenges")
                self.crawler.stats.inc_value(f"lednews/challenges/{src}")
            raise FrontierFailure(reason)
        return response_from_record(rec, body, request)


class WriterScheduler(BaseScheduler):
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        s = crawler.settings
        self.url = s.get("AGGREGATOR_FRONTIER_URL")
        self.prefix = s.get("AGGREGATOR_FRONTIER_PREFIX") or "lednews"
        self.mirror = bool(s.get("AGGREGATOR_MIRROR_DIR") or s.get("AGGREGATOR_MIRROR_SERVER"))
        self.mirror_delay = s.getfloat("AGGREGATOR_MIRROR_DELAY", 0.0)
        self.default_delay = s.getfloat("DOWNLOAD_DELAY", 1.0)
        self.run = uuid.uuid4().hex[:12]
        self.consumer = f"{socket.gethostname()}:{os.getpid()}"
        self.local: deque[Request] = deque()
        self.pending: list[Request] = []
        self.pushing = 0
        self.push_epoch = 0
        self.snap: tuple[int, int, int] | None = None
        self.tasks: list[asyncio.Task[Any]] = []
        self.flusher: asyncio.Task[Any] | None = None
        self.failed: str | None = None
        self.spider: Any = None
        self.counts = {"pushed": 0, "duplicates": 0, "results": 0}
        self._read_ok = time.monotonic()  # last successful read of the result stream

    @classmethod
    def from_crawler(cls, crawler: Any) -> WriterScheduler:
        return cls(crawler)

    # lifecycle ---------------------------------------------------------------------
    def open(self, spider: Any) -> Any:
        self.spider = spider
        return deferred_from_coro(self._open())

    async def _open(self) -> None:
        self.client = connect(self.url)
        self.frontier = Frontier(self.client, self.prefix)
        await self.frontier.reset()
        await self._beat()
        self.crawler.stats.set_value("lednews/frontier_run", self.run)
        log.info("frontier %s (prefix %s): run %s", self.url, self.prefix, self.run)
        self.tasks = [asyncio.ensure_future(self._read()), asyncio.ensure_future(self._monitor())]

    def close(self, reason: str) -> Any:
        return deferred_from_coro(self._close())

    async def _close(self) -> None:
        for t in self.tasks:
            t.cancel()
        for t in self.tasks:
            try:
                await t
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - closing anyway
                pass
        try:
            c = self.counts
            shared = {k.decode(): int(v) for k, v in (await self.client.hgetall(self.frontier.key("stats"))).items()}
            for k in ("pushed", "duplicates", "fetched", "requeued", "requests"):  # into the run record's stats
                self.crawler.stats.set_value(f"lednews/frontier_{k}", shared.get(k, 0))
            # the run record counts requests sent to the sites, as a local crawl's does: the
            # workers' (retries and robots.txt included), not this process's replays
            self.crawler.stats.set_value("downloader/request_count", shared.get("requests", 0))
            self.crawler.stats.set_value("robotstxt/request_count", shared.get("robots", 0))
            log.info("frontier run %s: %d requests pushed, %d duplicates dropped, %d results read, "
                     "%d claims of silent workers queued again", self.run, c["pushed"], c["duplicates"],
                     c["results"], shared.get("requeued", 0))
            await self.frontier.reset()  # queues and dupefilter freed: memory is per run
            await self.client.delete(self.frontier.key("writer"))
        finally:
            await self.client.aclose()

    async def _beat(self) -> None:
        info = {"run": self.run, "pid": os.getpid(), "host": socket.gethostname(), "started": time.time(),
                "db": self.crawler.settings.get("AGGREGATOR_DB")}
        await self.client.set(self.frontier.key("writer"), json.dumps(info), ex=WRITER_TTL)

    # Scrapy's scheduler interface ------------------------------------------------------
    def has_pending_requests(self) -> bool:
        if self.failed:
            return False
        if self.local or self.pushing:
            return True
        snap = self.snap
        if snap is None or snap[2] != self.push_epoch:  # taken before the last push landed
            return True
        return snap[0] > 0 or snap[1] > 0

    def enqueue_request(self, request: Request) -> bool:
        meta = request.meta
        if meta.get("frontier_wake"):
            return False  # only to make the engine look again (see _monitor)
        if "frontier_record" in meta:
            self.local.append(request)
            return True
        self.pending.append(request)
        self.pushing += 1
        if self.flusher is None or self.flusher.done():
            self.flusher = asyncio.ensure_future(self._flush())
        return True

    def next_request(self) -> Request | None:
        return self.local.popleft() if self.local else None

    # pushing -----------------------------------------------------------------------
    def _delay(self, request: Request) -> float:
        if self.mirror:
            return self.mirror_delay
        profile = self.spider.profiles.get(request.meta.get("profile")) if self.spider is not None else None
        return float(profile.download_delay) if profile is not None else self.default_delay

    async def _flush(self) -> None:
        fp = self.crawler.request_fingerprinter
        while self.pending:
            await asyncio.sleep(0)  # let the callback that is yielding requests finish its batch
            batch, self.pending = self.pending[:500], self.pending[500:]
            items = []
            for r in batch:
                try:
                    payload = json.dumps({"run": self.run, "delay": self._delay(r),
                                          "req": request_payload(r, self.spider)})
                except (TypeError, ValueError) as e:  # a callback that is not a spider method: one line
                    self.spider.record_error(r.meta.get("profile", "?"), r.url, f"cannot queue on the frontier: {e}")
                    continue
                items.append((slot_of(r), None if r.dont_filter else fingerprint_key(fp.fingerprint(r)),
                              r.priority, self._delay(r), payload))
            try:
                ids = await self._retrying(lambda: self.frontier.push_many(items))
            except Exception as e:  # noqa: BLE001 - Redis gone: the run cannot go on
                self._fail(f"cannot push to the frontier {self.url}: {e}")
                return
            finally:
                self.pushing -= len(batch)
            self.push_epoch += 1
            self.counts["pushed"] += sum(1 for i in ids if i)
            self.counts["duplicates"] += sum(1 for i in ids if not i)

    async def _retrying(self, call: Any) -> Any:
        # pushing twice after a lost reply is harmless: the dupefilter drops the second
        # copy (requests that skip it are start points, queued twice at worst)
        return await retrying(call, f"frontier {self.url}", log)

    def _fail(self, why: str) -> None:
        if self.failed is None:
            self.failed = why
            log.error("%s", why)
            self.crawler.stats.set_value("lednews/frontier_failure", why)
            asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="frontier_failed"))

    # reading -----------------------------------------------------------------------
    async def _read(self) -> None:
        pending = False  # after an error: first what was delivered to us and not acknowledged
        while True:
            if len(self.local) >= LOCAL_MAX:
                await asyncio.sleep(0.01)
                continue
            try:
                got = await self.frontier.read_results(self.consumer, READ_COUNT, 1000, pending)
                pending = False
            except asyncio.CancelledError:
                raise
            except Exception as e:  # noqa: BLE001
                if transient(e) and time.monotonic() - self._read_ok < RETRY_FOR:
                    log.warning("frontier %s: %s; reading again", self.url, e)
                    pending = True
                    await asyncio.sleep(0.5)
                    continue
                self._fail(f"cannot read the frontier {self.url}: {e}")
                return
            for _eid, raw, body in got:
                rec = json.loads(raw)
                if rec.get("run") != self.run:
                    continue  # an answer to an earlier run's request
                req = request_from_payload(rec["req"], self.spider, frontier_record=(rec, body))
                self.counts["results"] += 1
                self.crawler.engine.crawl(req)  # -> enqueue_request -> self.local; wakes the engine
            self._read_ok = time.monotonic()
            ids = [eid for eid, _, _ in got]
            try:
                await self._retrying(lambda: self.frontier.ack(ids))
            except Exception as e:  # noqa: BLE001
                self._fail(f"cannot acknowledge on the frontier {self.url}: {e}")
                return

    async def _monitor(self) -> None:
        beat = stall_since = time.monotonic()
        seen = -1
        while True:
            await asyncio.sleep(MONITOR_SECONDS)
            epoch = self.push_epoch
            try:
                opened, unread = await self._retrying(self.frontier.snapshot)
                if time.monotonic() - beat > WRITER_TTL / 3:
                    beat = time.monotonic()
                    await self._retrying(self._beat)
            except Exception as e:  # noqa: BLE001
                self._fail(f"cannot read the frontier {self.url}: {e}")
                return
            self.snap = (opened, unread, epoch)
            if self.counts["results"] != seen or not opened:
                seen, stall_since = self.counts["results"], time.monotonic()
            elif time.monotonic() - stall_since > STALL_WARNING:
                stall_since = time.monotonic()
                log.warning("frontier %s: %d requests waiting and no page came back for %.0f s; is a worker "
                            "running? (`lednews status --frontier %s`)", self.url, opened, STALL_WARNING, self.url)
            self.crawler.stats.set_value("lednews/frontier_open", opened)
            if not self.has_pending_requests():  # over: make the engine notice now, not at its 5 s heartbeat
                try:
                    self.crawler.engine.crawl(Request("data:,", meta={"frontier_wake": True}, dont_filter=True))
                except RuntimeError:
                    return  # the spider is closing already
