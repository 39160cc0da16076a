"""``lednews``: thin click wrappers over the library."""

from __future__ import annotations

import json
import os
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
def crawl(db: str, mirror: str | None, sources: str | None, sites: tuple[str, ...], verbose: bool) -> None:
    """Crawl every site (or --site ones) into the database, then print a summary."""
    from scrapy.crawler import CrawlerProcess

    from aggregator.storage import Storage, StorageError
    from spiders import AllSourcesSpider

    profiles = _profiles(sources, sites)
    try:
        Storage(db).close()  # fail fast on an unusable path, before any request
    except StorageError as e:
        _fail(str(e))
    process = CrawlerProcess(crawl_settings(db, mirror, verbose, profiles))
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
    for e in errors[:5]:
        click.echo(f"  error x{e['n']}: {e['source']}: {e['reason']}")
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
    except StorageError as e:
        _fail(str(e))
    try:
        click.echo(json.dumps(storage.summary(), ensure_ascii=False, indent=2))
    finally:
        storage.close()


@main.command()
@click.option("--sources", type=click.Path(), help="Also list the sources in this TOML file.")
def sites(sources: str | None) -> None:
    """List the bundled site profiles (and user-defined sources)."""
    for p in _profiles(sources, ()):
        starts = ", ".join(f"{sp.kind}:{sp.url}" for sp in p.start)
        click.echo(f"{p.key:24} {p.name} [{'/'.join(p.languages)}]{' (user)' if p.user_defined else ''}")
        click.echo(f"{'':24} {starts}")


def _open_db(db: str, must_exist: bool = True) -> Any:
    from aggregator.storage import Storage, StorageError

    if must_exist and not Path(db).is_file():
        _fail(f"no database at {db} (run `lednews crawl` or `lednews ingest` first)")
    try:
        return Storage(db)
    except StorageError as e:
        _fail(str(e))


def _sibling_gaps() -> tuple[dict[str, Any], dict[str, int]]:
    from spiders import site_profiles

    profiles = {p.key: p for p in site_profiles()}
    return profiles, {k: p.sibling.max_gap for k, p in profiles.items() if p.sibling}


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite database to write.")
def ingest(file: str, db: str) -> None:
    """Store already-extracted articles from a JSON-lines FILE (fields: url, title, text,
    lang, published, source) through clean -> dedup -> store; bad lines are skipped."""
    from aggregator.dedup.ingest import ingest_file

    profiles, gaps = _sibling_gaps()
    storage = _open_db(db, must_exist=False)
    try:
        rep = ingest_file(file, storage, profiles, gaps)
    finally:
        storage.close()
    for lineno, reason in rep.errors:
        click.echo(f"{file}:{lineno}: skipped: {reason}", err=True)
    click.echo(f"lednews: ingested {file} into {db}: {rep.new} new, {rep.updated} updated, "
               f"{rep.unchanged} unchanged, {len(rep.errors)} lines skipped; "
               f"{rep.stories} stories ({rep.multi_version} with several versions); "
               f"links by layer {json.dumps(dict(sorted(rep.links.items())))}")


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--rebuild", is_flag=True, help="Drop stored dedup features and pair scores first.")
@click.option("--explain", nargs=2, metavar="A B", help="Say why articles A and B (ids or URLs) "
              "are or are not one story.")
def dedup(db: str, rebuild: bool, explain: tuple[str, str] | None) -> None:
    """Recompute stories (incrementally, or from scratch with --rebuild), or --explain a pair."""
    from aggregator.dedup.run import explain as explain_pair
    from aggregator.dedup.run import run_dedup

    _, gaps = _sibling_gaps()
    storage = _open_db(db)
    try:
        if explain:
            ids = [storage.find_article(x) for x in explain]
            for given, found in zip(explain, ids, strict=True):
                if found is None:
                    _fail(f"no article {given!r} in {db} (give an article id or URL)")
            for line in explain_pair(storage, ids[0], ids[1], gaps):
                click.echo(line)
            return
        run = run_dedup(storage, gaps, full=rebuild)
        s = storage.summary()
    finally:
        storage.close()
    click.echo(f"lednews: dedup {'rebuild' if rebuild else 'pass'} over {run.articles} articles: "
               f"{run.new_keys} new feature rows, {run.candidates} candidate pairs "
               f"({run.new_pairs} newly scored), {run.written} rows written; "
               f"{s['stories']} stories ({s['multi_version_stories']} with several versions); "
               f"links by layer {json.dumps(dict(sorted(run.links.items())))}; "
               f"seconds {json.dumps(run.seconds)}")


if __name__ == "__main__":  # pragma: no cover
    main()
