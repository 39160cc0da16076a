"""``lednews``: thin click wrappers over the library."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from aggregator.profiles import SiteProfile, SourcesError, load_sources

DEFAULT_DB = "data/news.db"
DEFAULT_SOURCES = "data/sources.toml"

# Exit codes (documented in README): 0 ok, 1 crawl finished abnormally,
# 2 bad configuration or input (sources file, database path, unknown site).
EXIT_CRAWL_FAILED = 1
EXIT_CONFIG = 2


def _fail(msg: str, code: int = EXIT_CONFIG) -> NoReturn:
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
        _learn_templates(storage, profiles)
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


def _learn_templates(storage: Any, profiles: list[SiteProfile]) -> dict[str, int]:
    """Learn/re-apply site templates of the crawled sources; relink stories if any
    stored text changed."""
    before = dict(storage.db.execute("select id, content_hash from articles").fetchall())
    learned = storage.learn_templates([p.key for p in profiles])
    after = dict(storage.db.execute("select id, content_hash from articles").fetchall())
    if before != after:
        storage.rebuild_stories({p.key: p.sibling.max_gap for p in profiles if p.sibling})
    return learned


@main.command(name="learn-templates")
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--site", "sites", multiple=True, help="Only this source (repeatable).")
@click.option("--sources", type=click.Path(), help="TOML file of user-defined sources.")
def learn_templates_cmd(db: str, sites: tuple[str, ...], sources: str | None) -> None:
    """Learn per-source template lines (menus, footers) from stored articles and remove them."""
    from aggregator.storage import Storage, StorageError

    if not Path(db).is_file():
        _fail(f"no database at {db} (run `lednews crawl` first)")
    try:
        storage = Storage(db)
    except StorageError as e:
        _fail(str(e))
    try:
        profiles = _profiles(sources, sites)
        learned = _learn_templates(storage, profiles)
    finally:
        storage.close()
    for key, n in sorted(learned.items()):
        if n:
            click.echo(f"{key:24} {n} template line(s)")
    click.echo(f"lednews: {sum(learned.values())} template lines over {len(learned)} sources; "
               f"see `lednews explain-clean URL`")


@main.command(name="explain-clean")
@click.argument("url")
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
def explain_clean_cmd(url: str, db: str, as_json: bool) -> None:
    """Show what cleaning removed from a stored article, and why."""
    from aggregator.storage import Storage, StorageError

    if not Path(db).is_file():
        _fail(f"no database at {db} (run `lednews crawl` first)")
    try:
        storage = Storage(db)
    except StorageError as e:
        _fail(str(e))
    try:
        info = storage.explain_clean(url)
    finally:
        storage.close()
    if info is None:
        _fail(f"no stored article for {url}")
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    click.echo(f"{info['title']}\n  {info['url']} (source {info['source']}, "
               f"{info['source_templates']} learned template lines)")
    click.echo(f"  stored text: {info['stored_chars']} characters"
               f" ({info['chars_before_templates']} before template removal)")
    if not info["log"]:
        click.echo("  cleaning removed nothing")
    for entry in info["log"]:
        click.echo(f"  {entry['action']:7} [{entry['rule']}] {entry['line'][:80]!r}: {entry['why']}")


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


@main.command(name="extract")
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--url", default="", help="The page's URL (picks a site profile; none: generic path).")
@click.option("--jsonl", is_flag=True, help='Read JSON lines {"id", "url", "html"} on stdin, '
              "write one JSON line per input line on stdout.")
@click.option("--sources", type=click.Path(), help="Also match the sources in this TOML file.")
def extract_cmd(file: str | None, url: str, jsonl: bool, sources: str | None) -> None:
    """Extract one saved page (FILE --url URL) or a stream of pages (--jsonl)."""
    import io

    from aggregator.extract.batch import extract_page, run_jsonl

    profiles = _profiles(sources, ())
    if jsonl:
        if file and file != "-":
            _fail("--jsonl reads standard input; give no FILE")
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
        lines = (raw.decode("utf-8", "replace") for raw in sys.stdin.buffer)
        n, failed = run_jsonl(lines, out, profiles)
        out.detach()
        click.echo(f"lednews: extracted {n - failed} of {n} pages ({failed} failed)", err=True)
        return
    if not file:
        _fail("give FILE (and --url URL), or --jsonl")
    try:
        body = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as e:
        _fail(f"cannot read {file}: {e.strerror or e}")
    res = extract_page(file, url, body, profiles)
    click.echo(json.dumps(res, ensure_ascii=False, indent=2))
    if "error" in res:
        sys.exit(EXIT_CRAWL_FAILED)


if __name__ == "__main__":  # pragma: no cover
    main()
