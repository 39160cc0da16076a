"""``lednews``: thin click wrappers over the library."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import click

from aggregator.profiles import SiteProfile, SourcesError, load_sources

DEFAULT_DB = "data/news.db"
DEFAULT_SOURCES = "data/sources.toml"

# Exit codes (documented in README): 0 ok, 1 crawl finished abnormally,
# 2 bad configuration or input (sources file, database path, unknown site).
EXIT_CRAWL_FAILED = 1
EXIT_CONFIG = 2


def _fail(msg: str, code: int = EXIT_CONFIG) -> None:
    click.echo(f"lednews: error: {msg}", err=True)
    sys.exit(code)


def _profiles(sources: str | None, sites: tuple[str, ...]) -> list[SiteProfile]:
    from spiders import site_profiles

    profiles = site_profiles()
    path = sources or (DEFAULT_SOURCES if Path(DEFAULT_SOURCES).is_file() else None)
    if path:
        try:
            user = load_sources(path)
        except SourcesError as e:
            _fail(str(e))
        clash = {p.key for p in user} & {p.key for p in profiles}
        if clash:
            _fail(f"{path}: field 'name': {sorted(clash)[0]!r} is already a bundled site")
        profiles += user
    if sites:
        known = {p.key: p for p in profiles}
        for s in sites:
            if s not in known:
                _fail(f"unknown site {s!r} (see `lednews sites`)")
        profiles = [known[s] for s in sites]
    return profiles


def crawl_settings(db: str, mirror: str | None, verbose: bool, profiles: list[SiteProfile]) -> Any:
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("aggregator.settings", priority="project")
    settings.set("AGGREGATOR_DB", db, priority="cmdline")
    if not verbose:
        settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    if mirror:  # the spider's update_settings routes requests to the mirror
        settings.set("AGGREGATOR_MIRROR_DIR", str(Path(mirror).resolve()), priority="cmdline")
    else:
        slots = {d: {"delay": p.download_delay, "concurrency": 1} for p in profiles for d in p.domains}
        settings.set("DOWNLOAD_SLOTS", slots, priority="cmdline")
    return settings


def _apply_overrides(settings: Any, overrides: tuple[str, ...]) -> None:
    """``-s NAME=VALUE`` as in ``scrapy crawl``; a malformed one is a configuration error."""
    for o in overrides:
        name, sep, value = o.partition("=")
        if not sep or not name.strip().isidentifier() or name.strip().upper() != name.strip():
            _fail(f"-s {o!r}: expected NAME=VALUE with an upper-case setting name")
        settings.set(name.strip(), value, priority="cmdline")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lednews")
def main() -> None:
    """lednews: LED-industry news, crawled, cleaned, deduplicated and stored in SQLite."""


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite database to write.")
@click.option("--mirror", type=click.Path(exists=True, file_okay=False),
              help="Answer every request from this site mirror instead of the web.")
@click.option("--sources", type=click.Path(), help=f"TOML file of user-defined sources "
              f"(default: {DEFAULT_SOURCES} if present).")
@click.option("--site", "sites", multiple=True, help="Crawl only this site (repeatable).")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy/lednews setting, e.g. -s DOWNLOAD_TIMEOUT=10 (repeatable).")
def crawl(db: str, mirror: str | None, sources: str | None, sites: tuple[str, ...], verbose: bool,
          overrides: tuple[str, ...] = ()) -> None:
    """Crawl every site (or --site ones) into the database, then print a summary."""
    from scrapy.crawler import CrawlerProcess

    from aggregator.storage import Storage, StorageError
    from spiders import AllSourcesSpider

    profiles = _profiles(sources, sites)
    settings = crawl_settings(db, mirror, verbose, profiles)
    _apply_overrides(settings, overrides)
    try:  # fail fast on an unusable path or a corrupted file, before any request
        checked = Storage(db)
        try:
            checked.check()
        finally:
            checked.close()
    except StorageError as e:
        _fail(str(e))
    process = CrawlerProcess(settings)
    process.crawl(AllSourcesSpider, profiles=profiles)
    process.start()
    storage = Storage(db)
    try:
        run = storage.last_run() or {}
        s = storage.summary()
        errors = list(storage.db.query(
            "select source, reason, count(*) n from crawl_errors where run_id = ? group by 1, 2 order by 3 desc",
            [run.get("id")]))
    finally:
        storage.close()
    where = f"mirror {mirror}" if mirror else "the web"
    click.echo(f"lednews: crawled {len(profiles)} sources from {where} into {db}")
    click.echo(f"  this run: {run.get('new_articles', 0)} new, {run.get('updated_articles', 0)} updated, "
               f"{run.get('unchanged_articles', 0)} unchanged articles; {run.get('requests', 0)} requests; "
               f"{run.get('errors', 0)} errors; {run.get('fallbacks', 0)} selector fallbacks; "
               f"finish: {run.get('finish_reason', '?')}")
    click.echo(f"  database: {s['articles']} articles from {s['sources']} sources, {s['stories']} stories "
               f"({s['multi_version_stories']} with several versions); languages {json.dumps(s['languages'], ensure_ascii=False)}")
    for err in errors[:5]:
        click.echo(f"  error x{err['n']}: {err['source']}: {err['reason']}")
    click.echo(f"  next: `lednews summary --db {db}`, `sqlite-utils tables {db} --counts`, docs/schema.md")
    if run.get("finish_reason") not in ("finished", None):
        sys.exit(EXIT_CRAWL_FAILED)


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
def summary(db: str) -> None:
    """Counts per source, language and story."""
    from aggregator.storage import Storage, StorageError

    if not Path(db).is_file():
        _fail(f"no database at {db} (run `lednews crawl` first)")
    try:
        storage = Storage(db)
        try:
            click.echo(json.dumps(storage.summary(), ensure_ascii=False, indent=2))
        finally:
            storage.close()
    except StorageError as e:
        _fail(str(e))
    except sqlite3.DatabaseError as e:
        _fail(f"cannot read database {db}: {e}")


@main.command()
@click.option("--sources", type=click.Path(), help="Also list the sources in this TOML file.")
def sites(sources: str | None) -> None:
    """List the bundled site profiles (and user-defined sources)."""
    for p in _profiles(sources, ()):
        starts = ", ".join(f"{sp.kind}:{sp.url}" for sp in p.start)
        click.echo(f"{p.key:24} {p.name} [{'/'.join(p.languages)}]{' (user)' if p.user_defined else ''}")
        click.echo(f"{'':24} {starts}")


if __name__ == "__main__":  # pragma: no cover
    main()
