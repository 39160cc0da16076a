"""Source health from run records: is each source still yielding news?

A profile that silently yields nothing is the commonest failure of a long-running
news crawler (peers.md §2: layouts change, bot walls appear). ``assess`` reads the
``crawl_run_sources`` rows of recent runs and flags a source as unhealthy by
thresholds an operator can change (``lednews status --max-...``). Pure functions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

__all__ = ["SourceHealth", "Thresholds", "assess"]


@dataclass(frozen=True)
class Thresholds:
    # One empty run can be an outage that outlasted Scrapy's two retries; two in a row
    # (two days on a daily cron) is a pattern worth a mail.
    max_empty_runs: int = 2
    # Errors per request over the window. On the bundled mirror a healthy source runs
    # at 0 %; live sites lose a few pages to timeouts and 404s. Half the requests
    # failing is no longer noise.
    max_error_rate: float = 0.5
    # Selector fallbacks per article parsed over the window: the mirror's worst healthy
    # profile is at 25 % (1 of 4, led_professional); above half, the layout has changed.
    max_fallback_rate: float = 0.5
    # Days without one successful run (links found or 304). A week covers a weekly
    # cron and holiday lulls of trade media.
    max_days_without_success: float = 7.0
    # Rates are computed over this many most recent runs of the source: enough to
    # smooth one bad run, short enough (a week of daily runs) to show a new breakage.
    window: int = 7
    # Bot-challenge pages tolerated in the last run: none, since a challenge means the
    # site has started to block us and every page behind it is lost until handled.
    max_challenges: int = 0


@dataclass
class SourceHealth:
    source: str
    runs: int
    last_run: str | None
    last_success: str | None
    new_7d: int
    empty_runs: int  # consecutive, most recent first
    error_rate: float
    fallback_rate: float
    challenges_last_run: int
    problems: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "healthy": self.healthy}


def _success(row: dict[str, Any]) -> bool:
    """The source delivered article links, or told us its start pages are unchanged."""
    return (row.get("links_found") or 0) > 0 or (row.get("not_modified") or 0) > 0


def assess(rows: list[dict[str, Any]], new_7d: dict[str, int], now: datetime,
           limits: Thresholds = Thresholds()) -> list[SourceHealth]:
    """``rows``: ``crawl_run_sources`` joined with the run's ``started_at`` and
    ``finish_reason``, any order. One ``SourceHealth`` per source, sorted by name."""
    by_source: dict[str, list[dict[str, Any]]] = {}
    for r in sorted(rows, key=lambda r: r["run_id"], reverse=True):
        by_source.setdefault(r["source"], []).append(r)
    out = []
    for src in sorted(by_source):
        runs = by_source[src]
        empty = 0
        for r in runs:
            if _success(r):
                break
            empty += 1
        last_ok = next((r["started_at"] for r in runs if _success(r)), None)
        win = runs[:limits.window]
        requests = sum(r.get("requests") or 0 for r in win)
        parsed = sum(r.get("articles_parsed") or 0 for r in win)
        h = SourceHealth(
            source=src, runs=len(runs), last_run=runs[0]["started_at"], last_success=last_ok,
            new_7d=new_7d.get(src, 0), empty_runs=empty,
            error_rate=round(sum(r.get("errors") or 0 for r in win) / requests, 3) if requests else 0.0,
            fallback_rate=round(sum(r.get("fallbacks") or 0 for r in win) / parsed, 3) if parsed else 0.0,
            challenges_last_run=runs[0].get("challenges") or 0,
        )
        if empty >= limits.max_empty_runs:
            h.problems.append(f"{empty} empty runs in a row (no article links; limit {limits.max_empty_runs})")
        if h.error_rate > limits.max_error_rate:
            h.problems.append(f"error rate {h.error_rate:.0%} > {limits.max_error_rate:.0%}")
        if h.fallback_rate > limits.max_fallback_rate:
            h.problems.append(f"selector fallback rate {h.fallback_rate:.0%} > {limits.max_fallback_rate:.0%}")
        if last_ok is not None:
            age = now - datetime.fromisoformat(last_ok)
            if age > timedelta(days=limits.max_days_without_success):
                h.problems.append(f"no successful run for {age.days} days")
        if h.challenges_last_run > limits.max_challenges:
            h.problems.append(f"{h.challenges_last_run} bot-challenge pages in the last run")
        out.append(h)
    return out
