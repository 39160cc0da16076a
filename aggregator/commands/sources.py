"""``lednews add-source URL`` and ``lednews sources check``: discovery without a crawl.

Both run the discovery of ``aggregator.probe`` in a probe-only crawl (home page, feeds,
robots.txt, sitemaps, menu news sections, language versions, a few sample articles;
nothing stored) and print what it found. ``add-source`` then appends a validated
``[[source]]`` block with the learned start points and article pattern, so crawls go
straight to the news.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from aggregator.commands.common import DEFAULT_SOURCES, _fail
from aggregator.profiles import SiteProfile, SourcesError, load_sources

__all__ = ["add_source", "sources_group"]


def _probe(profiles: list[SiteProfile], mirror: str | None) -> dict[str, Any]:
    """Run discovery for ``profiles`` (home only); source key -> ``aggregator.probe.Probe``."""
    import logging

    from scrapy.crawler import CrawlerProcess

    from aggregator.cli import crawl_settings
    from spiders import AllSourcesSpider

    settings = crawl_settings("", mirror, False, profiles)
    settings.set("AGGREGATOR_PROBE_ONLY", True, priority="cmdline")
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")  # nothing is stored
    settings.set("AGGREGATOR_WORKERS", 0, priority="cmdline")  # a handful of pages
    settings.set("AGGREGATOR_PROGRESS", False, priority="cmdline")
    settings.set("LOG_ENABLED", False, priority="cmdline")
    logging.getLogger("scrapy").setLevel(logging.ERROR)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(AllSourcesSpider)
    process.crawl(crawler, profiles=[replace(p, start=()) for p in profiles])
    process.start()
    return dict(getattr(crawler.spider, "probes", {}))


def _name_from(url: str) -> str:
    host = (urlsplit(url).hostname or "site").lower().removeprefix("www.")
    return re.sub(r"[^a-z0-9_-]+", "-", host.rsplit(".", 1)[0])[:41].strip("-") or "site"


def _toml_list(urls: list[str]) -> str:
    return "[" + ", ".join(f'"{u}"' for u in urls) + "]"


def block(name: str, home: str, plan: Any) -> str:
    """The ``[[source]]`` block for a settled plan (only name + home when nothing was found)."""
    lines = ["[[source]]", f'name = "{name}"', f'home = "{home}"']
    if plan is not None and plan.feeds:
        lines.append(f"feeds = {_toml_list(plan.feeds)}")
    if plan is not None and plan.sitemaps:
        lines.append(f"sitemaps = {_toml_list(plan.sitemaps)}")
    if plan is not None and plan.listings:
        lines.append(f"start_urls = {_toml_list([u for u, _ in plan.listings])}")
    if plan is not None and plan.shapes and (plan.feeds or plan.sitemaps or plan.listings):
        lines.append(f"article_pattern = '{plan.pattern}'")
    return "\n".join(lines) + "\n"


def report(probe: Any) -> list[str]:
    plan = probe.plan
    out = [f"{plan.source}: {plan.home}"]
    out += [f"  step: {s}" for s in plan.steps]
    out.append(f"  feeds: {', '.join(plan.feeds) or 'none'}")
    out.append(f"  sitemaps: {', '.join(plan.sitemaps) or 'none'}")
    out.append("  news listings: " + (", ".join(f"{u}{f' [{lang}]' if lang else ''}" for u, lang in plan.listings)
                                      or "none"))
    out.append(f"  article URL shapes: {', '.join(plan.shapes) or 'none'}")
    out.append(f"  sample articles ({len(probe.samples)}):")
    for s in probe.samples:
        out.append(f"    {(s['published'] or 'no date')[:10]:10}  {s['title'][:70]}  {s['url']}")
    out.append(f"  rejected ({len(plan.rejected)}):")
    for url, why in plan.rejected[:12]:
        out.append(f"    {why}: {url}")
    if len(plan.rejected) > 12:
        out.append(f"    ... {len(plan.rejected) - 12} more")
    return out


@click.command("add-source")
@click.argument("url")
@click.option("--name", help="Source name (the `source` column); default: from the host name.")
@click.option("--mirror", type=click.Path(exists=True, file_okay=False), help="Probe a site mirror instead of the web.")
@click.option("--sources", default=DEFAULT_SOURCES, show_default=True, type=click.Path(dir_okay=False),
              help="Sources file the [[source]] block is appended to.")
@click.option("--dry-run", is_flag=True, help="Print the report and the block; write nothing.")
def add_source(url: str, name: str | None, mirror: str | None, sources: str, dry_run: bool) -> None:
    """Probe a site from its home URL, print what was found, append a [[source]] block."""
    from spiders import site_profiles

    if not re.match(r"^https?://[^/\s]+", url):
        _fail(f"{url!r}: expected an http(s) URL")
    name = name or _name_from(url)
    path = Path(sources)
    existing = path.read_text("utf-8") if path.is_file() else ""
    taken = {p.key for p in site_profiles()}
    if existing:
        try:
            taken |= {p.key for p in load_sources(path)}
        except SourcesError as e:
            _fail(str(e))
    if name in taken:
        _fail(f"source name {name!r} is already used (pick one with --name)")
    stub = block(name, url, None)
    tmp = path.with_name(path.name + ".new")
    tmp.write_text(stub, "utf-8")
    try:
        (profile,) = load_sources(tmp)
    except SourcesError as e:
        _fail(str(e).replace(str(tmp), str(path)))
    finally:
        tmp.unlink(missing_ok=True)
    probe = _probe([profile], mirror).get(name)
    if probe is None:
        _fail(f"{url}: discovery did not run")
    click.echo("\n".join(report(probe)))
    text = block(name, url, probe.plan if probe.settled else None)
    joined = (existing.rstrip("\n") + "\n\n" if existing.strip() else "") + text
    tmp.write_text(joined, "utf-8")
    try:  # the block must load as the crawl will load it
        load_sources(tmp)
    except SourcesError as e:
        _fail(f"generated block does not validate: {e}")
    finally:
        tmp.unlink(missing_ok=True)
    click.echo("")
    click.echo(text.rstrip("\n"))
    if not probe.plan.listings and not probe.plan.feeds and not probe.plan.sitemaps:
        click.echo("note: no feed, sitemap or news listing found; crawls will run discovery from the home page")
    if dry_run:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(joined, "utf-8")
    click.echo(f"appended to {path}")


@click.group("sources")
def sources_group() -> None:
    """User-defined sources (TOML): check them."""


@sources_group.command("check")
@click.argument("names", nargs=-1)
@click.option("--sources", default=DEFAULT_SOURCES, show_default=True, type=click.Path(dir_okay=False))
@click.option("--mirror", type=click.Path(exists=True, file_okay=False), help="Probe a site mirror instead of the web.")
def check(names: tuple[str, ...], sources: str, mirror: str | None) -> None:
    """Re-probe sources that have a home URL (all, or NAMES) without crawling; exit 1 when
    one finds no news or differs from its block."""
    import sys

    try:
        profiles = [p for p in load_sources(sources) if p.discover]
    except SourcesError as e:
        _fail(str(e))
    if names:
        unknown = set(names) - {p.key for p in profiles}
        if unknown:
            _fail(f"{sources}: no source with a home URL named {sorted(unknown)[0]!r}")
        profiles = [p for p in profiles if p.key in names]
    if not profiles:
        _fail(f"{sources}: no source with a home URL")
    probes = _probe(profiles, mirror)
    bad = 0
    for p in profiles:
        probe = probes.get(p.key)
        click.echo("\n".join(report(probe)) if probe else f"{p.key}: not probed")
        if probe is None or not probe.settled:
            bad += 1
            continue
        now = {(sp.kind, sp.url) for sp in _starts(probe.plan)}
        was = {(sp.kind, sp.url) for sp in p.start}
        if not now:
            click.echo("  result: NO NEWS FOUND")
            bad += 1
        elif was and now != was:
            click.echo(f"  result: CHANGED (file: {len(was)} start points, found now: {len(now)}); "
                       "re-add with `lednews add-source`")
            bad += 1
        else:
            click.echo("  result: OK")
    sys.exit(1 if bad else 0)


def _starts(plan: Any) -> list[Any]:
    from aggregator.probe import plan_profile

    base = SiteProfile(key=plan.source, name=plan.source, homepage=plan.home, languages=(), domains=(),
                       start=(), article_pattern="")
    return list(plan_profile(base, plan).start)
