"""Honour ``Retry-After`` on 429/503: the site's download slot waits before the retry.

Scrapy's RetryMiddleware retries 429 and 503 but ignores ``Retry-After``. This
middleware sits just below it (its ``process_response`` runs first) and raises the
download slot's delay to the asked-for wait, capped by ``AGGREGATOR_RETRY_AFTER_MAX``,
for that long: the next request to the site (the retry or any other) waits, then the
slot's usual delay comes back.
"""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, cast

from scrapy.exceptions import NotConfigured

__all__ = ["RetryAfterMiddleware", "retry_after_seconds"]


def retry_after_seconds(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class RetryAfterMiddleware:
    def __init__(self, crawler: Any, cap: float) -> None:
        self.crawler = crawler
        self.cap = cap

    @classmethod
    def from_crawler(cls, crawler: Any) -> RetryAfterMiddleware:
        cap = crawler.settings.getfloat("AGGREGATOR_RETRY_AFTER_MAX", 60.0)
        if cap <= 0:
            raise NotConfigured
        return cls(crawler, cap)

    def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        if response.status not in (429, 503):
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if wait is None:
            return response
        wait = min(wait, self.cap)
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None and slot.delay < wait:
            from twisted.internet import reactor

            before = slot.delay
            slot.delay = wait

            def restore() -> None:
                if slot.delay == wait:  # nobody (AutoThrottle) changed it meanwhile
                    slot.delay = before

            cast(Any, reactor).callLater(wait, restore)
        self.crawler.stats.inc_value("lednews/retry_after_waits")
        self.crawler.stats.max_value("lednews/retry_after_max_seconds", wait)
        return response
