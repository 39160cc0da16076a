"""``lednews``: thin click wrappers over the library."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from aggregator.profiles import SiteProfile, SourcesError, load_sources

DEFAULT_DB = "data/news.db"
DEFAULT_SOURCES = "data/sources.toml"

# Exit codes (documented in README and docs/operations.md): 0 ok, 1 crawl finished
# abnormally (or `status`: a source is unhealthy), 2 bad configuration or input (sources
# file, database path, unknown site), 3 another crawl holds the data directory's lock.
EXIT_CRAWL_FAILED = 1
EXIT_CONFIG = 2
EXIT_LOCKED = 3


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


def crawl_settings(db: str, mirror: str | None, verbose: bool, profiles: list[SiteProfile],
                   refresh: bool = False, contact: str | None = None) -> Any:
    from importlib.metadata import version

    from scrapy.settings import Settings

    from aggregator.politeness import user_agent

    settings = Settings()
    settings.setmodule("aggregator.settings", priority="project")
    settings.set("AGGREGATOR_DB", db, priority="cmdline")
    # aggregator.console installs the handlers: log file at INFO, terminal quiet unless -v
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    settings.set("AGGREGATOR_REFRESH", refresh, priority="cmdline")
    settings.set("AGGREGATOR_PROGRESS", not verbose and sys.stderr.isatty(), priority="cmdline")
    if contact:
        settings.set("AGGREGATOR_CONTACT_URL", contact, priority="cmdline")
    settings.set("USER_AGENT", user_agent(version("lednews"), contact), priority="cmdline")
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
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite database to write; "
              "its directory also holds the lock and the log file.")
@click.option("--mirror", type=click.Path(exists=True, file_okay=False),
              help="Answer every request from this site mirror instead of the web.")
@click.option("--sources", type=click.Path(), help=f"TOML file of user-defined sources "
              f"(default: {DEFAULT_SOURCES} if present).")
@click.option("--site", "sites", multiple=True, help="Crawl only this site (repeatable).")
@click.option("--refresh", is_flag=True, help="Re-fetch articles already stored (no conditional requests).")
@click.option("--contact", envvar="LEDNEWS_CONTACT_URL", metavar="URL",
              help="Contact URL put in the User-Agent (env LEDNEWS_CONTACT_URL).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy/lednews setting, e.g. -s DOWNLOAD_TIMEOUT=10 (repeatable).")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log and a per-source table.")
def crawl(db: str, mirror: str | None, sources: str | None, sites: tuple[str, ...], refresh: bool,
          contact: str | None, overrides: tuple[str, ...], verbose: bool) -> None:
    """Crawl every site (or --site ones) into the database, then print a summary line.

    Exit codes: 0 finished, 1 ended abnormally, 2 bad configuration or input,
    3 another crawl is running on this data directory."""
    from aggregator.runlock import LockHeld, RunLock

    # the lock first, before the slow imports: a second crawl gives up at once
    lock: RunLock | None = RunLock(Path(db).resolve().parent)
    try:
        lock.acquire()  # type: ignore[union-attr]
    except LockHeld as e:
        _fail(str(e), EXIT_LOCKED)
    except OSError:
        lock = None  # an unusable directory: the database check below names it
    from aggregator.storage import Storage, StorageError

    try:
        profiles = _profiles(sources, sites)
        settings = crawl_settings(db, mirror, verbose, profiles, refresh, contact)
        _apply_overrides(settings, overrides)
        try:  # fail fast on an unusable path or a corrupted file, before any request
            checked = Storage(db)
            try:
                checked.check()
            finally:
                checked.close()
        except StorageError as e:
            _fail(str(e))
        if lock is None:
            _fail(f"cannot create the lock file in {Path(db).resolve().parent}")
        _crawl_locked(db, mirror, profiles, settings, verbose, lock)
    finally:
        if lock is not None:
            lock.release()


def _crawl_locked(db: str, mirror: str | None, profiles: list[SiteProfile], settings: Any,
                  verbose: bool, lock: Any) -> None:
    import logging
    import time

    from scrapy.crawler import CrawlerProcess

    from aggregator.console import setup_logging
    from aggregator.runlock import pid_alive
    from aggregator.storage import Storage
    from spiders import AllSourcesSpider

    log_path = setup_logging(Path(db).resolve().parent, verbose)
    log = logging.getLogger("lednews")
    if lock.stale_pid:
        msg = (f"took over a stale lock from PID {lock.stale_pid}"
               f"{'' if pid_alive(lock.stale_pid) else ' (no longer running)'}: {lock.path}")
        log.warning(msg)
        click.echo(f"lednews: warning: {msg}", err=True)
    t0 = time.monotonic()
    process = CrawlerProcess(settings)
    process.crawl(AllSourcesSpider, profiles=profiles)
    process.start()
    storage = Storage(db)
    try:
        _learn_templates(storage, profiles)
        run = storage.last_run() or {}
        s = storage.summary()
        per_source = list(storage.db.query(
            "select * from crawl_run_sources where run_id = ? order by source", [run.get("id")]))
        errors = list(storage.db.query(
            "select source, reason, count(*) n from crawl_errors where run_id = ? group by 1, 2 order by 3 desc",
            [run.get("id")]))
    finally:
        storage.close()
    where = f"mirror {mirror}" if mirror else "the web"
    line = (f"lednews: {len(profiles)} sources from {where}: {run.get('new_articles', 0)} new, "
            f"{run.get('updated_articles', 0)} updated, {run.get('unchanged_articles', 0)} unchanged articles; "
            f"{run.get('requests', 0)} requests ({run.get('robots_requests') or 0} robots.txt, "
            f"{run.get('not_modified') or 0} not modified, {run.get('skipped_known') or 0} known links skipped); "
            f"{run.get('errors', 0)} errors, {run.get('challenges') or 0} bot challenges, "
            f"{run.get('fallbacks', 0)} selector fallbacks; {s['articles']} articles from {s['sources']} "
            f"sources, {s['stories']} stories ({s['multi_version_stories']} with several versions) in {db}; "
            f"{run.get('finish_reason', '?')} in {time.monotonic() - t0:.1f}s")
    log.info(line)
    click.echo(line)

    if verbose:
        click.echo(f"  database: {s['articles']} articles from {s['sources']} sources, {s['stories']} stories "
                   f"({s['multi_version_stories']} with several versions); languages "
                   f"{json.dumps(s['languages'], ensure_ascii=False)}")
        click.echo(f"  {'source':24} {'req':>4} {'304':>4} {'links':>5} {'new':>4} {'upd':>4} {'err':>4} {'chal':>4}")
        for r in per_source:
            click.echo(f"  {r['source']:24} {r['requests']:>4} {r['not_modified']:>4} {r['links_found']:>5} "
                       f"{r['new_articles']:>4} {r['updated_articles']:>4} {r['errors']:>4} {r['challenges']:>4}")
        for err in errors[:10]:
            click.echo(f"  error x{err['n']}: {err['source']}: {err['reason']}")
        click.echo(f"  log: {log_path}; health: `lednews status --db {db}`")
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


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite database to serve.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0: any free port; the URL is printed).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; the default keeps it on this machine.")
@click.option("--immutable", is_flag=True,
              help="Open the file as an immutable snapshot (faster; ignores a crawl running meanwhile).")
def serve(db: str, port: int, host: str, immutable: bool) -> None:
    """Browse the database in Datasette (read-only): stories, search, feeds."""
    import os

    from aggregator.publish.app import serve as run_server
    from aggregator.storage import Storage, StorageError

    if not Path(db).is_file():
        _fail(f"no database at {db} (run `lednews crawl` first)")
    if os.access(db, os.W_OK):  # bring schema and search index up to date before serving
        try:
            storage = Storage(db)
            try:
                storage.sync_search()
            finally:
                storage.close()
        except StorageError as e:
            _fail(str(e))
    try:
        run_server(db, host=host, port=port, immutable=immutable, announce=click.echo)
    except OSError as e:
        _fail(f"cannot listen on {host}:{port}: {e}")


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite database to read.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("--since", required=True, help="Only articles published on or after this date (YYYY-MM-DD).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
def export(db: str, fmt: str, since: str, output: str | None) -> None:
    """Export articles (with their story) as JSON Lines or CSV."""
    from aggregator.publish.export import ExportError, export_rows, parse_since, write_export

    try:
        parse_since(since)
        rows = export_rows(db, since)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as out:
                n = write_export(rows, fmt, out)
            click.echo(f"lednews: exported {n} articles to {output}", err=True)
        else:
            write_export(rows, fmt, sys.stdout)
    except ExportError as e:
        _fail(str(e))


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
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per source).")
def status(db: str, max_empty_runs: int, max_error_rate: float, max_fallback_rate: float,
           max_days: float, max_challenges: int, as_json: bool) -> None:
    """Health of every source from recent runs; exit 1 when one is unhealthy.

    Per source: last success, new articles in the last 7 days, consecutive empty runs,
    error rate, selector-fallback rate, bot challenges. Exit codes: 0 all healthy,
    1 at least one source unhealthy, 2 no usable database."""
    from datetime import datetime, timedelta, timezone

    from aggregator.health import Thresholds, assess
    from aggregator.storage import Storage, StorageError

    if not Path(db).is_file():
        _fail(f"no database at {db} (run `lednews crawl` first)")
    try:
        storage = Storage(db)
    except StorageError as e:
        _fail(str(e))
    now = datetime.now(timezone.utc)
    try:
        rows, new = storage.health_rows((now - timedelta(days=7)).isoformat(timespec="seconds"))
    finally:
        storage.close()
    limits = Thresholds(max_empty_runs=max_empty_runs, max_error_rate=max_error_rate,
                        max_fallback_rate=max_fallback_rate, max_days_without_success=max_days,
                        max_challenges=max_challenges)
    report = assess(rows, new, now, limits)
    bad = [h for h in report if not h.healthy]
    if as_json:
        click.echo(json.dumps([h.to_dict() for h in report], ensure_ascii=False, indent=2))
    else:
        click.echo(f"{'source':24} {'health':9} {'last success':20} {'new 7d':>6} {'empty':>5} "
                   f"{'errors':>6} {'fallbk':>6} {'chall':>5}")
        for h in report:
            click.echo(f"{h.source:24} {'ok' if h.healthy else 'UNHEALTHY':9} {(h.last_success or 'never')[:19]:20} "
                       f"{h.new_7d:>6} {h.empty_runs:>5} {h.error_rate:>6.0%} {h.fallback_rate:>6.0%} "
                       f"{h.challenges_last_run:>5}")
        for h in bad:
            click.echo(f"lednews: {h.source}: " + "; ".join(h.problems), err=True)
        click.echo(f"lednews: {len(report)} sources, {len(bad)} unhealthy")
    if bad:
        sys.exit(EXIT_CRAWL_FAILED)


@main.command("check-profiles")
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


@main.command()
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
