"""A fetching worker: claims requests from the frontier, downloads them, ships pages.

``lednews worker --frontier URL`` is a Scrapy process whose scheduler is the frontier:
a task claims the next request of each host whose turn it is (``Frontier.claim``: one
request per host in flight across all workers, the host's delay between sends), hands
it to Scrapy's downloader with its middlewares (retries, redirects, Retry-After,
challenge pages), and the spider's only callbacks put the answer on the result stream
(``Frontier.complete``) for the writer. Nothing is parsed and nothing is stored here.

Politeness across workers:

- the host's delay (the profile's ``download_delay``, raised by a robots.txt
  ``Crawl-delay``) runs from the moment the previous answer arrived (``FetchHandler``)
  to the next claim; a retry of the same request stays in the worker that holds the
  host's turn and waits the delay too;
- robots.txt is fetched once per origin by whichever worker first claims a request
  there, using that request's turn (the request goes back in its queue), and kept in
  Redis for the other workers: no burst of one robots.txt request per worker.

Idle workers block on the frontier's wake stream (XREAD BLOCK), so an idle worker
costs Redis one command a second, not a poll loop.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.core.scheduler import BaseScheduler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro

from aggregator.faults import describe_failure
from aggregator.frontier.records import page_record, request_from_payload, request_payload, slot_of
from aggregator.frontier.redisq import Frontier, connect, fingerprint_key, retrying

__all__ = ["WorkerSpider", "WorkerScheduler", "FetchHandler", "worker_settings", "LEASE"]

log = logging.getLogger(__name__)

# A claim not renewed for this long is taken back and its request queued again (a
# worker killed with kill -9). Renewed every third of it, so a live worker's slow
# download (retries, Retry-After waits) keeps its claim; 60 s is two DOWNLOAD_TIMEOUTs.
LEASE = 60.0
# Longest sleep of an idle worker between two looks at the frontier (it is woken at
# once when something is pushed or answered).
IDLE_MAX = 1.0
# Shortest wait before the next claim when a host's turn comes soon: below this the
# claim round trip (~0.2 ms on loopback) would be most of the work.
MIN_WAIT = 0.002
# No claims while the writer has this many fetched pages unread (it is the bottleneck:
# fetching more only fills Redis). 2,000 pages of ~21 KB, compressed to ~6 KB on the
# stream (records.COMPRESS_ABOVE): ~12 MB of Redis; enough to keep the writer fed
# through a worker's pause of several seconds at the 37-54 pages/s bench/crawl.py
# --frontier measured.
MAX_BACKLOG = 2000
# robots.txt Crawl-delay above this: requests to that host are left for the next run
# (aggregator.politeness.MAX_CRAWL_DELAY, the same bound as a local crawl).
from aggregator.politeness import MAX_CRAWL_DELAY  # noqa: E402


@dataclass
class Claim:
    cid: str
    payload: dict[str, Any]
    delay: float
    redirects: int
    ended: float | None = None  # time.monotonic() when the last answer under this claim arrived
    requests: int = 0  # sent under this claim (retries and robots.txt included)


def worker_settings(settings: Any, url: str) -> None:
    handler = "aggregator.frontier.worker.FetchHandler"
    for name, value in {
        "AGGREGATOR_FRONTIER_URL": url,
        "SCHEDULER": "aggregator.frontier.worker.WorkerScheduler",
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        # robots.txt, Crawl-delay and the per-host delay are kept across workers here
        "AGGREGATOR_FRONTIER_ROBOTS": settings.getbool("ROBOTSTXT_OBEY", True),
        "ROBOTSTXT_OBEY": False, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_SLOTS": {}, "CONCURRENT_REQUESTS_PER_DOMAIN": settings.getint("CONCURRENT_REQUESTS", 16),
        "ITEM_PIPELINES": {}, "AGGREGATOR_PROGRESS": False,
    }.items():
        settings.set(name, value, priority="cmdline")
    mws = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    mws["aggregator.politeness.CrawlDelayMiddleware"] = None
    settings.set("DOWNLOADER_MIDDLEWARES", mws, priority="cmdline")


class WorkerSpider(scrapy.Spider):
    """No start requests, never idle-closed; its callbacks ship what was fetched."""

    name = "lednews-worker"
    frontier: WorkerScheduler  # set by WorkerScheduler.open

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        return spider

    def _idle(self) -> None:
        raise DontCloseSpider

    async def start(self) -> Any:
        return
        yield  # pragma: no cover

    async def ship(self, response: Response) -> None:
        await self.frontier.answer(response.request or Request(response.url), response, None)

    async def ship_failure(self, failure: Any) -> None:
        request = failure.request
        resp = getattr(failure.value, "response", None)
        if resp is not None:  # an HTTP error status: the writer's own HttpErrorMiddleware decides
            await self.frontier.answer(request, resp, None)
        else:
            await self.frontier.answer(request, None, describe_failure(failure.value, request.meta,
                                                                      failure.getErrorMessage()))

    async def robots_done(self, response: Response) -> None:
        await self.frontier.robots_fetched(response.request or Request(response.url),
                                           response.body if response.status == 200 else b"")

    async def robots_failed(self, failure: Any) -> None:
        await self.frontier.robots_fetched(failure.request, b"")


class WorkerScheduler(BaseScheduler):
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        s = crawler.settings
        self.url = s.get("AGGREGATOR_FRONTIER_URL")
        self.prefix = s.get("AGGREGATOR_FRONTIER_PREFIX") or "lednews"
        self.lease = s.getfloat("AGGREGATOR_FRONTIER_LEASE", LEASE)
        self.max_backlog = s.getint("AGGREGATOR_FRONTIER_BACKLOG", MAX_BACKLOG)
        self.max_claims = s.getint("CONCURRENT_REQUESTS", 16)
        self.obey_robots = s.getbool("AGGREGATOR_FRONTIER_ROBOTS", True)
        self.max_crawl_delay = s.getfloat("AGGREGATOR_MAX_CRAWL_DELAY", MAX_CRAWL_DELAY)
        self.user_agent = s.get("USER_AGENT") or "lednews"
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self.claims: dict[str, Claim] = {}
        self.local: list[Request] = []
        self.robots: dict[str, Any] = {}  # origin -> Protego
        self.tasks: list[asyncio.Task[Any]] = []
        self.started = time.time()
        self.counts = {"fetched": 0, "failures": 0, "dropped": 0, "robots": 0}
        self.spider: Any = None
        crawler.lednews_frontier = self  # the download handler reads the claims

    @classmethod
    def from_crawler(cls, crawler: Any) -> WorkerScheduler:
        return cls(crawler)

    def open(self, spider: Any) -> Any:
        self.spider = spider
        spider.frontier = self
        return deferred_from_coro(self._open())

    async def _open(self) -> None:
        self.client = connect(self.url)
        self.frontier = Frontier(self.client, self.prefix)
        await self.client.ping()
        self.tasks = [asyncio.ensure_future(self._feed()), asyncio.ensure_future(self._renew())]
        log.info("worker %s on frontier %s (prefix %s)", self.worker, self.url, self.prefix)

    def close(self, reason: str) -> Any:
        return deferred_from_coro(self._close())

    async def _close(self) -> None:
        for t in self.tasks:
            t.cancel()
        try:
            for c in list(self.claims.values()):  # back in their queues now, not after the lease
                await self.frontier.complete(c.cid, self._ago(c), c.delay, requeue=True, requests=c.requests)
            await self.client.hdel(self.frontier.key("workers"), self.worker)
        except Exception as e:  # noqa: BLE001 - Redis gone: the leases expire by themselves
            log.warning("worker %s: could not hand back its claims: %s", self.worker, e)
        finally:
            await self.client.aclose()

    # Scrapy's scheduler interface ------------------------------------------------------
    def has_pending_requests(self) -> bool:
        return bool(self.local)

    def next_request(self) -> Request | None:
        return self.local.pop(0) if self.local else None

    def enqueue_request(self, request: Request) -> bool:
        meta = request.meta
        if meta.pop("frontier_new", False):
            self.local.append(request)
            return True
        claim = self.claims.get(meta.get("frontier", ""))
        if claim is None:
            log.warning("worker %s: request outside any claim dropped: %s", self.worker, request.url)
            return False
        if len(meta.get("redirect_urls") or []) > claim.redirects:
            # a redirect: its target waits for its own host's turn, through the dupefilter
            asyncio.ensure_future(self._redirected(claim, request))
        else:  # a retry: same request, same claim (FetchHandler keeps the delay)
            self.local.append(request)
        return True

    # claiming ------------------------------------------------------------------------
    async def _feed(self) -> None:
        last = b"0-0"
        while True:
            try:
                wait = IDLE_MAX
                room = self.max_claims - len(self.claims)
                if room > 0:
                    hint, got = await self.frontier.claim(self.worker, room, self.lease, self.max_backlog)
                    for cid, raw in got:
                        await self._take(cid, raw)
                    if got and len(got) == room:
                        continue
                    if hint >= 0:
                        wait = min(max(hint, MIN_WAIT), IDLE_MAX)
                last = await self.frontier.wait_wake(self.client, last, wait)
            except asyncio.CancelledError:
                raise
            except Exception as e:  # noqa: BLE001 - Redis restarting, network blip: retry
                log.warning("worker %s: frontier unreachable (%s); retrying", self.worker, e)
                await asyncio.sleep(IDLE_MAX)

    async def _renew(self) -> None:
        while True:
            try:
                await self.frontier.extend(self.worker, self.lease, list(self.claims))
                await self.frontier.heartbeat(self.worker, {
                    "pid": os.getpid(), "host": socket.gethostname(), "started": self.started,
                    "claims": len(self.claims), **self.counts})
            except asyncio.CancelledError:
                raise
            except Exception as e:  # noqa: BLE001
                log.warning("worker %s: cannot renew its claims (%s)", self.worker, e)
            await asyncio.sleep(self.lease / 3)

    def _dispatch(self, request: Request) -> None:
        request.meta["frontier_new"] = True
        self.crawler.engine.crawl(request)  # -> enqueue_request -> self.local; wakes the engine

    async def _take(self, cid: str, raw: bytes) -> None:
        payload = json.loads(raw)
        req = payload["req"]
        claim = Claim(cid, payload, float(payload.get("delay", 0.0)),
                      len(req.get("meta", {}).get("redirect_urls") or []))
        self.claims[cid] = claim
        url = req["url"]
        if self.obey_robots and not req.get("meta", {}).get("dont_obey_robotstxt"):
            parts = urlsplit(url)
            origin = f"{parts.scheme}://{parts.netloc}"
            rp = self.robots.get(origin)
            if rp is None:
                body = await self.frontier.robots(origin)
                if body is None:  # this claim's turn fetches robots.txt; the request waits its next
                    self.counts["robots"] += 1
                    self._dispatch(Request(origin + "/robots.txt", callback=self.spider.robots_done,
                                           errback=self.spider.robots_failed, dont_filter=True, priority=100,
                                           meta={"frontier": cid, "dont_redirect": True, "dont_retry": True}))
                    return
                rp = self.robots[origin] = _parse_robots(body)
            if not rp.can_fetch(url, self.user_agent):
                await self._finish(claim, req, None, "Forbidden by robots.txt", sent=False)
                return
            cd = rp.crawl_delay(self.user_agent)
            if cd:
                if cd > self.max_crawl_delay:
                    await self._finish(claim, req, None, f"robots.txt asks for Crawl-delay {cd:.0f}s, more than "
                                       f"{self.max_crawl_delay:.0f}s; left for the next run", sent=False)
                    return
                claim.delay = max(claim.delay, float(cd))
        self._dispatch(request_from_payload(req, callback=self.spider.ship, errback=self.spider.ship_failure,
                                            frontier=cid))

    async def robots_fetched(self, request: Request, body: bytes) -> None:
        claim = self.claims.pop(request.meta.get("frontier", ""), None)
        parts = urlsplit(request.url)
        origin = f"{parts.scheme}://{parts.netloc}"
        self.robots[origin] = _parse_robots(body)
        try:
            await self.frontier.save_robots(origin, body)
        finally:
            if claim is not None:
                await self.frontier.complete(claim.cid, self._ago(claim), claim.delay, requeue=True,
                                             requests=claim.requests, robots=claim.requests)

    # answering -----------------------------------------------------------------------
    @staticmethod
    def _ago(claim: Claim) -> float:
        return time.monotonic() - claim.ended if claim.ended is not None else -1.0

    async def answer(self, request: Request, response: Response | None, reason: str | None) -> None:
        claim = self.claims.get(request.meta.get("frontier", ""))
        if claim is None:
            return
        await self._finish(claim, request, response, reason)

    async def _finish(self, claim: Claim, request: Any, response: Response | None, reason: str | None,
                      sent: bool = True) -> None:
        if isinstance(request, dict):  # answered before any request was made (robots.txt)
            rec, body = page_record(claim.payload, None, None, reason, self.worker)
        else:
            rec, body = page_record(claim.payload, request, response, reason, self.worker)
        self.claims.pop(claim.cid, None)
        try:  # the claim is no longer renewed: if this fails for good, its lease runs out and it is fetched again
            ok = await retrying(lambda: self.frontier.complete(
                claim.cid, self._ago(claim) if sent else -1.0, claim.delay, rec, body, requests=claim.requests),
                f"worker {self.worker}", log)
        except Exception as e:  # noqa: BLE001
            log.warning("worker %s: cannot answer claim %s (%s); it is queued again after its lease",
                        self.worker, claim.cid, e)
            return
        self.counts["fetched" if response is not None else "failures"] += 1
        if not ok:
            self.counts["dropped"] += 1
            log.info("worker %s: claim %s had expired; its answer is dropped (the request was queued again)",
                     self.worker, claim.cid)

    async def _redirected(self, claim: Claim, request: Request) -> None:
        try:
            await self._push_redirect(claim, request)
        except Exception as e:  # noqa: BLE001 - not renewed any more: fetched again after its lease
            self.claims.pop(claim.cid, None)
            log.warning("worker %s: cannot queue the redirect to %s (%s); the request is fetched again "
                        "after its lease", self.worker, request.url, e)

    async def _push_redirect(self, claim: Claim, request: Request) -> None:
        fp = None if request.dont_filter else fingerprint_key(self.crawler.request_fingerprinter.fingerprint(request))
        names = (claim.payload["req"].get("callback"), claim.payload["req"].get("errback"))
        payload = json.dumps({"run": claim.payload.get("run"), "delay": claim.payload.get("delay", 0.0),
                              "req": request_payload(request, None, names)})
        ids = await self.frontier.push_many([(slot_of(request), fp, request.priority,
                                              float(claim.payload.get("delay", 0.0)), payload)])
        chain = request.meta.get("redirect_urls") or []
        if ids[0] == 0 and request.url in chain:  # as a local crawl's spider records it (_dropped)
            first = request.replace(url=chain[0])
            await self._finish(claim, first, None, f"redirect loop ({len(chain)} hops)")
        else:
            rec = ""
            self.claims.pop(claim.cid, None)
            await self.frontier.complete(claim.cid, self._ago(claim), claim.delay, rec, b"",
                                         requests=claim.requests)


def _parse_robots(body: bytes) -> Any:
    from protego import Protego  # Scrapy's own robots.txt parser

    try:
        return Protego.parse(body.decode("utf-8", errors="ignore"))
    except Exception:  # noqa: BLE001 - a robots.txt Protego cannot read forbids nothing
        return Protego.parse("")


class FetchHandler(BaseDownloadHandler):
    """Scrapy's HTTP handler (or a mirror's), noting when each answer arrived: the
    host's next request (the next claim, or a retry under this one) starts no sooner
    than its delay after that. Counting the delay from the previous *answer* rather
    than from the previous send (as Scrapy's DOWNLOAD_DELAY does) makes the gap
    between two requests arriving at the site at least the delay whatever the
    latencies: a request arrived before its answer left. On a loaded two-core machine
    the send-to-send rule gave gaps of 0.156-0.178 s at the site for a 0.2 s delay
    (the time from handing a request to Scrapy's HTTP client to it reaching the server
    varies by tens of milliseconds between workers)."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        s = crawler.settings
        self.inner: BaseDownloadHandler
        if s.get("AGGREGATOR_MIRROR_SERVER"):
            self.inner = MirrorServerHandler(crawler)
        elif s.get("AGGREGATOR_MIRROR_DIR"):
            from aggregator.mirror import MirrorDownloadHandler

            self.inner = MirrorDownloadHandler(crawler)
        else:
            from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

            self.inner = HTTP11DownloadHandler(crawler)

    async def download_request(self, request: Request) -> Response:
        sched = getattr(self.crawler, "lednews_frontier", None)
        claim = sched.claims.get(request.meta.get("frontier", "")) if sched is not None else None
        if claim is None:
            return await self.inner.download_request(request)
        if claim.ended is not None:  # a retry: the host's delay after the last answer
            wait = claim.ended + claim.delay - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
        claim.requests += 1
        try:
            return await self.inner.download_request(request)
        finally:
            claim.ended = time.monotonic()

    async def close(self) -> None:
        await self.inner.close()


class MirrorServerHandler(BaseDownloadHandler):
    """Every http(s) request sent to one HTTP server (``AGGREGATOR_MIRROR_SERVER``,
    e.g. ``http://127.0.0.1:8000``) with the URL it stands for in ``X-Mirror-URL``:
    a site mirror served over real HTTP (tests, bench/crawl.py --frontier), so request
    times can be logged where requests arrive."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

        self.server = crawler.settings.get("AGGREGATOR_MIRROR_SERVER").rstrip("/")
        self.http = HTTP11DownloadHandler(crawler)

    async def download_request(self, request: Request) -> Response:
        routed = request.replace(url=self.server + "/")
        routed.headers[b"X-Mirror-URL"] = request.url.encode("latin-1")
        response = await self.http.download_request(routed)
        return response.replace(url=request.url, request=request)

    async def close(self) -> None:
        await self.http.close()
