"""Politeness for live runs: a User-Agent that names its operator, ``Retry-After``
honoured, and per-profile delays that AutoThrottle may raise but never lower.

Scrapy's own settings do the rest (``aggregator/settings.py``: robots.txt, one request
at a time per domain, AutoThrottle, telnet off).
"""

from __future__ import annotations

import asyncio
import time
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.extensions.throttle import AutoThrottle

from aggregator.middlewares import Base

__all__ = ["CrawlDelayMiddleware", "ProfileAutoThrottle", "RetryAfterMiddleware", "retry_after_seconds",
           "user_agent"]


def user_agent(version: str | None, contact_url: str | None) -> str:
    """``lednews/VERSION (+CONTACT)``: site operators can see who crawls and whom to ask.
    ``version`` defaults to the installed package's."""
    if version is None:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as pkg_version

        try:
            version = pkg_version("lednews")
        except PackageNotFoundError:
            version = "0"
    return f"lednews/{version} (+{contact_url or 'https://github.com/lednews/lednews'})"


class ProfileAutoThrottle(AutoThrottle):
    """AutoThrottle whose floor is each slot's own delay (the profile's
    ``download_delay`` from ``DOWNLOAD_SLOTS``, raised by a robots.txt Crawl-delay), not
    only the global ``DOWNLOAD_DELAY``: stock AutoThrottle lowers a 5 s profile delay to
    the 1 s global floor after a few fast answers. The floors are kept here by slot key
    (Scrapy 2.19's ``Slot`` takes no attributes of ours)."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self._floors: dict[str, float] = {}  # slot key -> delay before any adjustment
        self._key = ""  # slot key of the response being handled

    def _response_downloaded(self, response: Any, request: Any, spider: Any) -> None:
        self._key = self.crawler.engine.downloader.get_slot_key(request)
        super()._response_downloaded(response, request, spider)

    def _adjust_delay(self, slot: Any, latency: float, response: Any) -> None:
        downloader = self.crawler.engine.downloader
        key = self._key
        floor = self._floors.setdefault(key, slot.delay)
        floor = max(floor, downloader.per_slot_settings.get(key, {}).get("delay", 0.0))
        super()._adjust_delay(slot, latency, response)
        slot.delay = max(slot.delay, floor)


# The longest Retry-After we wait for inside one run. Sites that ask for more (hours)
# are given up on for this run and tried again at the next scheduled one: a cron run
# every few hours should not sit idle. 300 s = 5 min, the longest wait we accept
# before the run's other sources would be held up noticeably.
MAX_RETRY_AFTER = 300.0


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


class RetryAfterMiddleware(Base):
    """Honours ``429`` / ``503`` with ``Retry-After``: no request to that domain leaves
    before the time the server named (Scrapy's RetryMiddleware then retries the page)."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.not_before: dict[str, float] = {}
        self.max_wait = crawler.settings.getfloat("AGGREGATOR_MAX_RETRY_AFTER", MAX_RETRY_AFTER)

    @staticmethod
    def _slot(request: Any) -> str:
        return request.meta.get("download_slot") or (urlsplit(request.url).hostname or "")

    async def process_request(self, request: Any) -> None:
        wait = self.not_before.get(self._slot(request), 0.0) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)

    def process_response(self, request: Any, response: Any) -> Any:
        if response.status in (429, 503):
            wait = retry_after_seconds(response.headers.get(b"Retry-After", b"").decode("latin-1"))
            if wait is not None:
                self.stats.inc_value("lednews/retry_after_waits")
                if wait > self.max_wait:  # the errback records it as an error
                    raise IgnoreRequest(f"HTTP {response.status}: Retry-After {wait:.0f}s exceeds "
                                        f"{self.max_wait:.0f}s; left for the next run")
                slot = self._slot(request)
                self.not_before[slot] = max(self.not_before.get(slot, 0.0), time.monotonic() + wait)
        return response


# The longest robots.txt Crawl-delay honoured in a run. A site asking for more is left
# for the next run (each of its requests recorded as an error) rather than crawled
# faster than it asked: at 60 s a source's usual 20-50 new pages take 20-50 minutes,
# the most one source should hold a cron run that comes every few hours.
MAX_CRAWL_DELAY = 60.0


class CrawlDelayMiddleware(Base):
    """Honours robots.txt ``Crawl-delay`` (the group of our User-Agent, else ``*``) in
    live runs, which Scrapy's RobotsTxtMiddleware does not: the download slot of every
    request to that host waits at least that long between requests, a floor under
    AutoThrottle like the profile's own delay. Off in mirror mode (no server)."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        if crawler.settings.get("AGGREGATOR_MIRROR_DIR"):
            raise NotConfigured("mirror mode: no server to be polite to")
        self.max_delay = crawler.settings.getfloat("AGGREGATOR_MAX_CRAWL_DELAY", MAX_CRAWL_DELAY)
        self.user_agent = crawler.settings.get("USER_AGENT") or "lednews"
        self.delays: dict[str, float] = {}  # host -> Crawl-delay of its robots.txt

    def process_request(self, request: Any) -> None:
        parts = urlsplit(request.url)
        delay = self.delays.get(parts.hostname or "")
        if delay is None or parts.path == "/robots.txt":
            return
        if delay > self.max_delay:  # the errback records it as an error
            raise IgnoreRequest(f"robots.txt asks for Crawl-delay {delay:.0f}s, more than "
                                f"{self.max_delay:.0f}s; left for the next run")
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        # a slot made from now on (or again, after Scrapy dropped an idle one) starts at
        # the delay, and ProfileAutoThrottle keeps it as the slot's floor
        conf = downloader.per_slot_settings.setdefault(key, {})
        conf["delay"] = max(conf.get("delay", 0.0), delay)
        slot = downloader.slots.get(key)
        if slot is not None and slot.delay < delay:
            slot.delay = delay

    def process_response(self, request: Any, response: Any) -> Any:
        parts = urlsplit(request.url)
        if parts.path == "/robots.txt" and response.status == 200:
            from protego import Protego  # Scrapy's own robots.txt parser

            try:
                delay = Protego.parse(response.body.decode("utf-8", errors="ignore")).crawl_delay(self.user_agent)
            except Exception:  # a robots.txt Protego cannot read sets no delay  # noqa: BLE001
                delay = None
            if delay:
                host = parts.hostname or ""
                self.delays[host] = float(delay)
                self.stats.set_value(f"lednews/crawl_delay/{host}", float(delay))
        return response
