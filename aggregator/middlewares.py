"""Downloader middlewares for unattended runs: per-source counts and bot challenges.
Thin adapters; the decision is ``aggregator.challenge.detect_challenge``.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import IgnoreRequest

from aggregator.challenge import detect_challenge

__all__ = ["ChallengeMiddleware", "SourceStatsMiddleware"]


def _source(request: Any) -> str | None:
    return request.meta.get("profile")


class Base:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> Any:
        return cls(crawler)


class SourceStatsMiddleware(Base):
    """Requests and responses by status, per source (``lednews/requests/SRC``,
    ``lednews/status/SRC/CODE``); robots.txt and other sourceless requests are not counted."""

    def process_request(self, request: Any) -> None:
        src = _source(request)
        if src:
            self.stats.inc_value(f"lednews/requests/{src}")
            if not request.meta.get("retry_times"):  # URLs asked for, retries not counted
                self.stats.inc_value(f"lednews/urls/{src}")

    def process_response(self, request: Any, response: Any) -> Any:
        src = _source(request)
        if src:
            self.stats.inc_value(f"lednews/status/{src}/{response.status}")
        return response


class ChallengeMiddleware(Base):
    """Drops bot-challenge responses and reports them as errors ("bot challenge: ...").
    Placed after decompression and before retries, so a challenge is not retried."""

    def process_response(self, request: Any, response: Any) -> Any:
        headers = {k.decode("latin-1").lower(): v[0].decode("latin-1")
                   for k, v in response.headers.items() if v}
        what = detect_challenge(response.status, headers, response.body)
        if what is None:
            return response
        src = _source(request) or "?"
        self.stats.inc_value("lednews/challenges")
        self.stats.inc_value(f"lednews/challenges/{src}")
        # the request's errback records it as an error with this reason
        raise IgnoreRequest(f"bot challenge: {what} (HTTP {response.status})")
