"""Source health from run records: is each source still yielding news?

A profile that silently yields nothing is a typical failure of a long-running
news crawler (docs/background.md#silent-failures: selectors miss, bot walls appear). ``assess`` reads the
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
    # Field coverage (monitors in the spirit of Spidermon). A source is judged against
    # its own earlier runs, since some never give a field: on the bundled mirror the two
    # B2B republisher families date 0 % of their articles by design, every other source
    # 100 %; every source gives each article a language; mean bodies run from 184
    # (gtrcomputer) to 490 (csa) reading units. So: when earlier runs in the window gave
    # a date (or language) on >= 80 % of at least min_items articles, a last run with at
    # least min_last_items articles and under half of them dated is a layout change; so
    # is a last run whose mean body is under half the earlier mean, and, for any
    # source, a window mean under 60 units (twice MIN_STORED_UNITS).
    min_items: int = 5
    min_last_items: int = 3
    usual_coverage: float = 0.8
    min_coverage: float = 0.5
    min_body_ratio: float = 0.5
    min_mean_body_units: float = 60.0


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
    # issue 15: what the last run met, its finish reason, field coverage over the window
    last_state: str = "ok"  # ok | unreachable | no article links | nothing new
    last_finish: str | None = None
    items: int = 0
    date_coverage: float | None = None
    lang_coverage: float | None = None
    mean_body_units: float | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "healthy": self.healthy}


def _success(row: dict[str, Any]) -> bool:
    """The source delivered article links, or told us its start pages are unchanged."""
    return (row.get("links_found") or 0) > 0 or (row.get("not_modified") or 0) > 0


def _unreachable(row: dict[str, Any]) -> bool:
    """Nothing answered: every failure was DNS, connect or TLS (no response at all)."""
    return (row.get("unreachable") or 0) > 0 and not (row.get("responses") or 0)


def _state(row: dict[str, Any]) -> str:
    if _unreachable(row):
        return "unreachable"
    if not _success(row):
        return "no article links"
    if not ((row.get("new_articles") or 0) or (row.get("updated_articles") or 0)):
        return "nothing new"
    return "ok"


def _coverage_problems(last: dict[str, Any], before: list[dict[str, Any]], limits: Thresholds) -> list[str]:
    """Fields the last run lost compared with the runs before it (see Thresholds)."""
    n_last, n_before = last.get("items") or 0, sum(r.get("items") or 0 for r in before)
    if n_last < limits.min_last_items or n_before < limits.min_items:
        return []
    out = []
    for col, what in (("dated", "a date"), ("with_lang", "a language")):
        was = sum(r.get(col) or 0 for r in before) / n_before
        now = (last.get(col) or 0) / n_last
        if was >= limits.usual_coverage and now < limits.min_coverage:
            out.append(f"{what} on {now:.0%} of the last run's articles (was {was:.0%}): the layout may have changed")
    was_body = sum(r.get("body_units") or 0 for r in before) / n_before
    now_body = (last.get("body_units") or 0) / n_last
    if now_body < limits.min_body_ratio * was_body:
        out.append(f"mean body {now_body:.0f} units in the last run (was {was_body:.0f}): "
                   "the body selector may have moved")
    return out


def assess(rows: list[dict[str, Any]], new_7d: dict[str, int], now: datetime,
           limits: Thresholds = Thresholds(),
           per_source: dict[str, Thresholds] | None = None) -> list[SourceHealth]:
    """``rows``: ``crawl_run_sources`` joined with the run's ``started_at`` and
    ``finish_reason``, any order. One ``SourceHealth`` per source, sorted by name."""
    by_source: dict[str, list[dict[str, Any]]] = {}
    for r in sorted(rows, key=lambda r: r["run_id"], reverse=True):
        by_source.setdefault(r["source"], []).append(r)
    out = []
    for src in sorted(by_source):
        runs = by_source[src]
        lim = (per_source or {}).get(src, limits)  # [monitors.SOURCE] in the sources file
        empty = 0
        for r in runs:
            if _success(r):
                break
            empty += 1
        last_ok = next((r["started_at"] for r in runs if _success(r)), None)
        win = runs[:lim.window]
        # errors per URL asked for: retries are requests too, and counting them kept a
        # source that failed every page under the threshold (3 requests per failed URL)
        asked = sum((r.get("urls") or r.get("requests") or 0) for r in win)
        parsed = sum(r.get("articles_parsed") or 0 for r in win)
        items = sum(r.get("items") or 0 for r in win)
        h = SourceHealth(
            source=src, runs=len(runs), last_run=runs[0]["started_at"], last_success=last_ok,
            new_7d=new_7d.get(src, 0), empty_runs=empty,
            error_rate=round(min(1.0, sum(r.get("errors") or 0 for r in win) / asked), 3) if asked else 0.0,
            fallback_rate=round(sum(r.get("fallbacks") or 0 for r in win) / parsed, 3) if parsed else 0.0,
            challenges_last_run=runs[0].get("challenges") or 0,
            last_state=_state(runs[0]), last_finish=runs[0].get("finish_reason"), items=items,
            date_coverage=round(sum(r.get("dated") or 0 for r in win) / items, 3) if items else None,
            lang_coverage=round(sum(r.get("with_lang") or 0 for r in win) / items, 3) if items else None,
            mean_body_units=round(sum(r.get("body_units") or 0 for r in win) / items, 1) if items else None,
        )
        down = 0
        for r in runs[:empty]:
            if not _unreachable(r):
                break
            down += 1
        if empty >= lim.max_empty_runs and down == empty:
            h.problems.append(f"host unreachable (DNS, connect or TLS) in {down} runs in a row "
                              f"(limit {lim.max_empty_runs}): network, DNS or the site is down")
        elif empty >= lim.max_empty_runs:
            h.problems.append(f"{empty} empty runs in a row (no article links; limit {lim.max_empty_runs}): "
                              "the layout may have changed")
        h.problems += _coverage_problems(runs[0], win[1:], lim)
        if items >= lim.min_items and h.mean_body_units is not None \
                and h.mean_body_units < lim.min_mean_body_units:
            h.problems.append(f"mean body {h.mean_body_units:.0f} units < {lim.min_mean_body_units:.0f}")
        if h.error_rate > lim.max_error_rate:
            h.problems.append(f"error rate {h.error_rate:.0%} > {lim.max_error_rate:.0%}")
        if h.fallback_rate > lim.max_fallback_rate:
            h.problems.append(f"selector fallback rate {h.fallback_rate:.0%} > {lim.max_fallback_rate:.0%}")
        if last_ok is not None:
            age = now - datetime.fromisoformat(last_ok)
            if age > timedelta(days=lim.max_days_without_success):
                h.problems.append(f"no successful run for {age.days} days")
        if h.challenges_last_run > lim.max_challenges:
            h.problems.append(f"{h.challenges_last_run} bot-challenge pages in the last run")
        out.append(h)
    return out
