"""Operations: ``lednews status``, ``check-profiles``, ``record``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from aggregator.commands.common import (
    DEFAULT_DB,
    EXIT_CRAWL_FAILED,
    _open_db,
    _profiles,
)


@click.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--max-empty-runs", type=int, default=2, show_default=True, envvar="LEDNEWS_MAX_EMPTY_RUNS",
              help="Unhealthy after this many runs in a row without article links.")
@click.option("--max-error-rate", type=float, default=0.5, show_default=True, envvar="LEDNEWS_MAX_ERROR_RATE",
              help="Unhealthy above this share of failed requests (recent runs).")
@click.option("--max-fallback-rate", type=float, default=0.5, show_default=True,
              envvar="LEDNEWS_MAX_FALLBACK_RATE", help="Unhealthy above this share of selector fallbacks.")
@click.option("--max-days", type=float, default=7.0, show_default=True, envvar="LEDNEWS_MAX_DAYS",
              help="Unhealthy after this many days without a successful run.")
@click.option("--max-challenges", type=int, default=0, show_default=True, envvar="LEDNEWS_MAX_CHALLENGES",
              help="Unhealthy above this many bot-challenge pages in the last run.")
@click.option("--sources", type=click.Path(), help="Sources file whose [monitors] tables set thresholds "
              "(default: data/sources.toml if present); options given here override them.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per source).")
@click.option("--frontier", metavar="URL", help="Show the scale-out frontier at redis://HOST:PORT/DB instead: "
              "writer, workers, queue depths, lag (docs/scale-out.md).")
def status(db: str, max_empty_runs: int, max_error_rate: float, max_fallback_rate: float,
           max_days: float, max_challenges: int, sources: str | None, as_json: bool,
           frontier: str | None = None) -> None:
    """Health of every source from recent runs; exit 1 when one is unhealthy.

    Per source: last success, new articles in the last 7 days, consecutive empty runs,
    error rate, selector-fallback rate, bot challenges. Exit codes: 0 all healthy,
    1 at least one source unhealthy, 2 no usable database."""
    if frontier:  # aggregator/frontier (issue 20)
        from aggregator.commands.frontier import show_frontier

        show_frontier(frontier, as_json)
        return
    from datetime import datetime, timedelta, timezone

    from aggregator.health import assess
    storage = _open_db(db)
    now = datetime.now(timezone.utc)
    try:
        rows, new = storage.health_rows((now - timedelta(days=7)).isoformat(timespec="seconds"))
    finally:
        storage.close()
    from dataclasses import replace

    from click.core import ParameterSource

    from aggregator.commands.common import DEFAULT_SOURCES, _fail
    from aggregator.monitors import MonitorsError, load_monitors

    try:  # [monitors] / [monitors.SOURCE] in the sources file (aggregator.monitors)
        limits, per_source = load_monitors(sources or (DEFAULT_SOURCES if Path(DEFAULT_SOURCES).is_file() else None))
    except MonitorsError as e:
        _fail(str(e))
    ctx = click.get_current_context()
    given: dict[str, Any] = {field: value for param, field, value in (
        ("max_empty_runs", "max_empty_runs", max_empty_runs), ("max_error_rate", "max_error_rate", max_error_rate),
        ("max_fallback_rate", "max_fallback_rate", max_fallback_rate),
        ("max_days", "max_days_without_success", max_days), ("max_challenges", "max_challenges", max_challenges))
        if ctx.get_parameter_source(param) in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)}
    limits = replace(limits, **given)
    per_source = {k: replace(v, **given) for k, v in per_source.items()}
    report = assess(rows, new, now, limits, per_source)
    bad = [h for h in report if not h.healthy]
    if as_json:
        click.echo(json.dumps([h.to_dict() for h in report], ensure_ascii=False, indent=2))
    else:
        click.echo(f"{'source':24} {'health':9} {'last success':20} {'new 7d':>6} {'empty':>5} "
                   f"{'errors':>6} {'fallbk':>6} {'chall':>5} {'items':>5} {'dated':>5} {'body':>5} "
                   f"{'last run':16} {'finish':10}")
        for h in report:
            def pct(v: float | None) -> str:
                return "-" if v is None else f"{v:.0%}"
            click.echo(f"{h.source:24} {'ok' if h.healthy else 'UNHEALTHY':9} {(h.last_success or 'never')[:19]:20} "
                       f"{h.new_7d:>6} {h.empty_runs:>5} {h.error_rate:>6.0%} {h.fallback_rate:>6.0%} "
                       f"{h.challenges_last_run:>5} {h.items:>5} {pct(h.date_coverage):>5} "
                       f"{'-' if h.mean_body_units is None else round(h.mean_body_units):>5} "
                       f"{h.last_state:16} {h.last_finish or '?':10}")
        for h in bad:
            click.echo(f"lednews: {h.source}: " + "; ".join(h.problems), err=True)
        click.echo(f"lednews: {len(report)} sources, {len(bad)} unhealthy")
    if bad:
        sys.exit(EXIT_CRAWL_FAILED)


@click.command("check-profiles")
@click.option("--mirror", type=click.Path(exists=True, file_okay=False), default="tests/sites",
              show_default=True, help="Site mirror holding each profile's recorded pages.")
@click.option("--sources", type=click.Path(), help="Also check the sources in this TOML file.")
@click.option("--site", "sites", multiple=True, help="Check only this site (repeatable).")
def check_profiles(mirror: str, sources: str | None, sites: tuple[str, ...]) -> None:
    """Run every profile's selectors over its mirror pages; report hits and misses.

    Exit codes: 0 every configured selector hits at least one page, 1 a selector hits
    none (dead: the layout changed) or a profile has no pages in the mirror."""
    from aggregator.profilecheck import check_profile

    failed = 0
    for p in _profiles(sources, sites):
        res = check_profile(p, Path(mirror))
        click.echo(res.line())
        for sel, urls in sorted(res.misses.items()):
            for u in urls[:3]:
                click.echo(f"{'':26}miss {sel}: {u}")
            if len(urls) > 3:
                click.echo(f"{'':26}miss {sel}: ... {len(urls) - 3} more")
        if res.dead or not (res.articles or res.listings):
            failed += 1
            why = f"dead selectors: {', '.join(res.dead)}" if res.dead else f"no pages in {mirror}"
            click.echo(f"lednews: {p.key}: {why}", err=True)
    if failed:
        sys.exit(EXIT_CRAWL_FAILED)


@click.command()
@click.argument("urls", nargs=-1, required=True)
@click.option("--site", required=True, help="Profile the pages belong to.")
@click.option("--sources", type=click.Path(), help="TOML file of user-defined sources.")
@click.option("--mirror", type=click.Path(file_okay=False), default="tests/sites", show_default=True,
              help="Mirror directory to save the pages (and .headers sidecars) into.")
@click.option("--expected", type=click.Path(file_okay=False), default="tests/expected", show_default=True,
              help="Where article drafts go (SITE/NAME.json.draft).")
@click.option("--contact", envvar="LEDNEWS_CONTACT_URL", metavar="URL", help="Contact URL for the User-Agent.")
def record(urls: tuple[str, ...], site: str, sources: str | None, mirror: str, expected: str,
           contact: str | None) -> None:
    """Save live pages into the mirror with their headers; draft expected JSON for articles.

    Needs network. Robots.txt is obeyed and the profile's delay separates requests.
    Review each .json.draft, then rename it to .json. Exit 1 if a URL was not saved."""
    from importlib.metadata import version

    from aggregator.politeness import user_agent
    from aggregator.record import pause, record_url
    from aggregator.spider import ProfileSpider

    profile = _profiles(sources, (site,))[0]
    spider = ProfileSpider(profiles=[profile])
    ua = user_agent(version("lednews"), contact)
    robots: dict[str, Any] = {}
    missed = 0
    for i, url in enumerate(urls):
        if i:
            pause(profile)
        try:
            rec = record_url(url, profile, Path(mirror), Path(expected), ua, spider.is_article(profile, url), robots)
        except OSError as e:
            rec = None
            click.echo(f"lednews: {url}: not saved: {e}", err=True)
        if rec is None or rec.path is None:
            missed += 1
            if rec is not None:
                click.echo(f"lednews: {url}: not saved: {rec.note}", err=True)
            continue
        click.echo(f"saved {rec.path} (HTTP {rec.status}, {rec.path.stat().st_size} bytes)"
                   + (f"; draft {rec.draft}" if rec.draft else "") + (f"; {rec.note}" if rec.note else ""))
    if missed:
        sys.exit(EXIT_CRAWL_FAILED)
