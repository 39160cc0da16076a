"""Run records: turn a crawl's Scrapy stats into the ``crawl_runs`` extras and one
``crawl_run_sources`` row per source. Pure functions over plain dicts."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

__all__ = ["run_fields", "source_rows", "unreachable"]

# Failure reasons (aggregator.faults) that mean the host was not reached at all: name
# resolution, TCP connect, TLS. A layout change answers 200 and yields no links instead.
_UNREACHABLE = ("DNS lookup failed", "connection refused", "timeout: no connection within",
                "TLS handshake failed")


def unreachable(reason: str) -> bool:
    low = reason.lower()
    return reason.startswith(_UNREACHABLE) or "ssl" in low or "tls" in low or "no route to host" in low


def _n(stats: dict[str, Any], key: str) -> int:
    return int(stats.get(key, 0) or 0)


def run_fields(stats: dict[str, Any]) -> dict[str, int]:
    """Whole-run counts added by issue 6 (robots.txt fetches are counted apart so that
    ``requests - robots_requests`` is what the sources cost)."""
    return {
        "robots_requests": _n(stats, "robotstxt/request_count"),
        "not_modified": _n(stats, "lednews/not_modified"),
        "skipped_known": _n(stats, "lednews/skipped_known"),
        "challenges": _n(stats, "lednews/challenges"),
    }


def source_rows(stats: dict[str, Any], sources: list[str], saved: dict[str, dict[str, int]],
                errors: list[tuple[str, str, str, int]]) -> list[dict[str, Any]]:
    """One row per source: requests, responses by status, links found, articles parsed
    and saved (new / updated / unchanged), errors, fallbacks, challenges."""
    err = Counter(e[0] for e in errors)  # (source, url, reason[, attempts])
    down = Counter(e[0] for e in errors if unreachable(e[2]))
    rows = []
    for src in sources:
        prefix = f"lednews/status/{src}/"
        by_status = {k[len(prefix):]: int(v) for k, v in stats.items() if k.startswith(prefix)}
        got = saved.get(src, {})
        rows.append({
            "source": src,
            "requests": _n(stats, f"lednews/requests/{src}"),
            "responses": sum(by_status.values()),
            "responses_by_status": json.dumps(by_status, sort_keys=True),
            "not_modified": _n(stats, f"lednews/not_modified/{src}"),
            "links_found": _n(stats, f"lednews/listing_links/{src}") + _n(stats, f"lednews/feed_items/{src}")
            + _n(stats, f"lednews/sitemap_links/{src}"),
            "skipped_known": _n(stats, f"lednews/skipped_known/{src}"),
            "articles_parsed": _n(stats, f"lednews/articles/{src}"),
            "new_articles": got.get("new", 0),
            "updated_articles": got.get("updated", 0),
            "unchanged_articles": got.get("unchanged", 0),
            "errors": err.get(src, 0),
            "fallbacks": _n(stats, f"lednews/fallbacks/{src}"),
            "challenges": _n(stats, f"lednews/challenges/{src}"),
            # issue 15: errors per URL, host unreachable, field coverage of validated items
            "urls": _n(stats, f"lednews/urls/{src}"),
            "unreachable": down.get(src, 0),
            "items": _n(stats, f"lednews/items/{src}"),
            "dated": _n(stats, f"lednews/dated/{src}"),
            "with_lang": _n(stats, f"lednews/with_lang/{src}"),
            "body_units": _n(stats, f"lednews/body_units/{src}"),
        })
    return rows
