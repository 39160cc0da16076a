"""``lednews``: the click group and the crawl; other commands live in
``aggregator.commands`` (thin wrappers over the library)."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import click

from aggregator.commands.archive import archive_group, link_cmd, process_cmd
from aggregator.commands.common import (
    DEFAULT_DB,
    DEFAULT_SOURCES,
    EXIT_CONFIG,
    EXIT_CRAWL_FAILED,
    EXIT_LOCKED,
    _fail,
    _profiles,
)
from aggregator.commands.data import (
    dedup,
    explain_clean_cmd,
    extract_cmd,
    ingest,
    learn_templates_cmd,
)
from aggregator.commands.entities import tag_cmd
from aggregator.commands.frontier import worker_cmd
from aggregator.commands.maintenance import prune
from aggregator.commands.ops import check_profiles, record, status
from aggregator.commands.publish import export, serve
from aggregator.commands.sources import add_source, sources_group
from aggregator.profiles import SiteProfile

__all__ = ["main", "crawl_settings", "EXIT_CONFIG", "EXIT_CRAWL_FAILED", "EXIT_LOCKED"]


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
    from aggregator.validate import check_settings

    problems, warnings = check_settings((o.partition("=")[0].strip(), o.partition("=")[2]) for o in overrides)
    for w in warnings:
        click.echo(f"lednews: warning: {w}", err=True)
    if problems:
        _fail(str(problems[0]))


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
@click.option("--frontier", metavar="URL", help="Fetch through a shared frontier in Redis "
              "(redis://HOST:PORT/DB) by `lednews worker` processes; this process stores (docs/scale-out.md).")
@click.option("--workers", type=click.IntRange(0, 256), default=0, show_default=True,
              help="With --frontier: start this many local `lednews worker` processes for this crawl.")
def crawl(db: str, mirror: str | None, sources: str | None, sites: tuple[str, ...], refresh: bool,
          contact: str | None, overrides: tuple[str, ...], verbose: bool, frontier: str | None = None,
          workers: int = 0) -> None:
    """Crawl every site (or --site ones) into the database, then print a summary line.

    Exit codes: 0 finished, 1 ended abnormally, 2 bad configuration or input,
    3 another crawl is running on this data directory."""
    from aggregator.runlock import WAIT_CRAWL, LockHeld, RunLock, lock_wait

    # the lock first, before the slow imports: a second crawl gives up at once
    lock: RunLock | None = RunLock(Path(db).resolve().parent)
    try:
        lock.acquire(lock_wait(WAIT_CRAWL))  # type: ignore[union-attr]
    except LockHeld as e:
        _fail(str(e), EXIT_LOCKED)
    except OSError:
        lock = None  # an unusable directory: the database check below names it
    from aggregator.storage import Storage, StorageError

    try:
        profiles = _profiles(sources, sites)
        settings = crawl_settings(db, mirror, verbose, profiles, refresh, contact)
        _apply_overrides(settings, overrides)
        if frontier:  # aggregator/frontier: the writer of a scaled-out crawl
            from aggregator.commands.frontier import prepare_writer

            prepare_writer(settings, frontier)
        elif workers:
            _fail("--workers needs --frontier URL")
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
        local = None
        if frontier and workers:
            from aggregator.commands.frontier import LocalWorkers

            local = LocalWorkers(workers, frontier, Path(db).resolve().parent, mirror, contact, overrides).start()
        try:
            _crawl_locked(db, mirror, profiles, settings, verbose, lock)
        finally:
            if local is not None:
                local.stop()
    finally:
        if lock is not None:
            lock.release()


def _rejected(run: dict[str, Any]) -> str:
    """", N non-articles rejected" when pages of home-URL sources were (aggregator.pagekind)."""
    try:
        n = int(json.loads(run.get("stats") or "{}").get("lednews/rejected", 0))
    except (ValueError, TypeError, AttributeError):
        n = 0
    return f", {n} non-articles rejected" if n else ""


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
    crawler = process.create_crawler(AllSourcesSpider)
    process.crawl(crawler, profiles=profiles)
    process.start()
    if settings.getint("AGGREGATOR_ARCHIVE_RETENTION_DAYS", 0) > 0:  # docs/archive.md
        from aggregator.commands.archive import prune_after_crawl

        prune_after_crawl(db, settings.getint("AGGREGATOR_ARCHIVE_RETENTION_DAYS"), log)
    run_id = crawler.stats.get_value("lednews/run_id") if crawler.stats else None
    storage = Storage(db)
    try:  # site templates were learned and stories linked when the spider closed
        run = storage.run(run_id) if run_id is not None else {}  # this run's record, never "the last"
        s = storage.summary(brief=not verbose)  # -v shows the languages too
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
            f"{run.get('fallbacks', 0)} selector fallbacks{_rejected(run)}; {s['articles']} articles from {s['sources']} "
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
    failure = run.get("failure") or (crawler.stats.get_value("lednews/store_failure") if crawler.stats else None)
    if failure:
        click.echo(f"lednews: error: {failure}; the URLs not stored are fetched again by the next run",
                   err=True)
    internal = int(crawler.stats.get_value("lednews/internal_errors", 0) or 0) if crawler.stats else 0
    if internal and not failure:
        msg = (f"{internal} pages raised an internal error in lednews (a bug or a broken install; "
               f"commonest: {_commonest_internal(errors)}); they are fetched again by the next run; "
               f"tracebacks in {log_path}")
        log.warning(msg)
        click.echo(f"lednews: error: {msg}", err=True)
        sys.exit(EXIT_CRAWL_FAILED)
    outage = _outage(storage_path=db, run_id=run_id) if run_id is not None and not failure else None
    if outage:
        log.warning(outage)
        click.echo(f"lednews: error: {outage}", err=True)
        sys.exit(EXIT_CRAWL_FAILED)
    if run_id is None or run.get("finish_reason") != "finished":
        if run_id is None:
            click.echo("lednews: error: the crawl did not start (see the log)", err=True)
        elif not failure:
            stopped = _stopped(str(run.get("finish_reason")), settings)
            log.warning(stopped)
            click.echo(f"lednews: error: {stopped}", err=True)
        sys.exit(EXIT_CRAWL_FAILED)


def _commonest_internal(errors: list[dict[str, Any]]) -> str:
    """The commonest ``internal error:`` reason of the run's grouped error rows."""
    reason = next((e["reason"] for e in errors if e["reason"].startswith("internal error: ")), None)
    return reason.removeprefix("internal error: ") if reason else "see the log"


def _stopped(reason: str, settings: Any) -> str:
    """One line for a crawl that ended early for a reason other than a failed write."""
    rest = "what it fetched is stored; the next run goes on from there"
    if reason == "memusage_exceeded":
        return (f"the crawl stopped: its memory passed MEMUSAGE_LIMIT_MB "
                f"({settings.getint('MEMUSAGE_LIMIT_MB')} MB); {rest} (raise it with -s MEMUSAGE_LIMIT_MB=N)")
    if reason == "shutdown":
        return f"the crawl was stopped by a signal (SIGTERM/SIGINT); {rest}"
    return f"the crawl ended early ({reason}); {rest}"


def _summary_table(db: str, s: dict) -> list[str]:
    langs = ", ".join(f"{k} {v:,}" for k, v in sorted(s["languages"].items(), key=lambda kv: -kv[1]))
    lines = [f"{db}: {s['articles']:,} articles from {s['sources']:,} sources, {s['stories']:,} stories "
             f"({s['multi_version_stories']:,} with several versions)", f"languages: {langs or 'none'}", ""]
    width = max([len("source"), *map(len, s["per_source"])])
    lines.append(f"{'source':<{width}}  {'articles':>9}")
    lines.extend(f"{k:<{width}}  {v:>9,}" for k, v in sorted(s["per_source"].items(), key=lambda kv: (-kv[1], kv[0])))
    return lines


def _outage(storage_path: str, run_id: int) -> str | None:
    """One line when no source answered at all in run ``run_id`` (network or DNS down):
    such a run used to exit 0 with every source "ok"."""
    from aggregator.runs import unreachable
    from aggregator.storage import Storage

    storage = Storage(storage_path)
    try:
        run = storage.run(run_id)
        reasons = [r[0] for r in storage.db.execute(
            "select reason from crawl_errors where run_id = ?", [run_id]).fetchall()]
    finally:
        storage.close()
    if (run.get("responses") or 0) or not (run.get("requests") or 0) or not reasons:
        return None
    down = [r for r in reasons if unreachable(r)]
    if len(down) < len(reasons):
        return None
    common = max(set(down), key=down.count)
    return (f"no site answered: {run.get('requests')} requests, {len(down)} URLs unreachable "
            f"(commonest: {common!r}); is the network or DNS down?")


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of the table.")
def summary(db: str, as_json: bool) -> None:
    """Counts per source, language and story (a table; --json for JSON)."""
    from aggregator.storage import Storage, StorageError

    if not Path(db).is_file():
        _fail(f"no database at {db} (run `lednews crawl` first)")
    try:
        storage = Storage(db)
        try:
            s = storage.summary()
            click.echo(json.dumps(s, ensure_ascii=False, indent=2) if as_json else "\n".join(_summary_table(db, s)))
        finally:
            storage.close()
    except StorageError as e:
        _fail(str(e))
    except sqlite3.DatabaseError as e:
        _fail(f"cannot read database {db}: {e}")


@main.command()
@click.option("--sources", type=click.Path(), help="Also list the sources in this TOML file "
              "(default: data/sources.toml when it exists).")
@click.option("--db", default=DEFAULT_DB, show_default=True,
              help="Also list the user sources stored in this database (crawled from a TOML file or ingested).")
def sites(sources: str | None, db: str) -> None:
    """List the bundled site profiles and the user-defined sources."""
    profiles = _profiles(sources, ())
    for p in profiles:
        starts = ", ".join(f"{sp.kind}:{sp.url}" for sp in p.start) or f"home:{p.homepage} (discovered on the first crawl)"
        click.echo(f"{p.key:24} {p.name} [{'/'.join(p.languages)}]{' (user)' if p.user_defined else ''}")
        click.echo(f"{'':24} {starts}")
    if Path(db).is_file():
        try:
            con = sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True)
            try:
                stored = con.execute("select key, name, notes from sources where user_defined = 1"
                                     " order by key").fetchall()
            finally:
                con.close()
        except sqlite3.DatabaseError:
            stored = []
        known = {p.key for p in profiles}
        for key, name, notes in stored:
            if key not in known:
                click.echo(f"{key:24} {name or key} (user, in {db}){': ' + notes if notes else ''}")


for _cmd in (prune, learn_templates_cmd, explain_clean_cmd, serve, export, status, check_profiles, record,
             extract_cmd, ingest, dedup, tag_cmd, add_source, sources_group, archive_group, process_cmd, link_cmd,
             worker_cmd):
    main.add_command(_cmd)


if __name__ == "__main__":  # pragma: no cover
    main()
