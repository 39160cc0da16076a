"""`lednews archive stats|prune|export`, `lednews process` and `lednews link`: the raw
archive (aggregator/archive, docs/archive.md) and the stages that run on their own."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from aggregator.commands.common import (
    DEFAULT_DB,
    EXIT_CONFIG,
    _fail,
    _open_db,
    _profiles,
    writer_lock,
)

__all__ = ["archive_group", "process_cmd", "link_cmd", "prune_after_crawl"]


def _archive_dir(db: str) -> Path:
    from aggregator.archive import archive_dir

    return Path(archive_dir(db))


def _mb(n: int | None) -> str:
    return f"{(n or 0) / 1024 / 1024:.1f} MB"


@click.group(name="archive")
def archive_group() -> None:
    """The raw archive: every fetched article page, feed and sitemap as WARC records
    in DATA_DIR/archive (docs/archive.md)."""


@archive_group.command(name="stats")
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def archive_stats(db: str, as_json: bool) -> None:
    """Records, pages, files and bytes in the archive, per source."""
    storage = _open_db(db)
    try:
        s = storage.archive_stats()
        indexed = {f["file"] for f in storage.archive_files()}
    finally:
        storage.close()
    root = _archive_dir(db)
    on_disk = sorted(p.name for p in root.glob("*.warc.gz")) if root.is_dir() else []
    s["files_on_disk"] = len(on_disk)
    s["bytes_on_disk"] = sum((root / n).stat().st_size for n in on_disk)
    s["files_not_indexed"] = sorted(set(on_disk) - indexed)
    s["files_missing"] = sorted(indexed - set(on_disk))
    s["directory"] = str(root)
    if as_json:
        click.echo(json.dumps(s, ensure_ascii=False, indent=2))
        return
    pages = s["by_kind"].get("article", 0)
    click.echo(f"{root}: {s['records']:,} records ({s['by_type'].get('response', 0):,} stored, "
               f"{s['by_type'].get('revisit', 0):,} revisits of a body already stored) of {s['uris']:,} URLs "
               f"in {s['files_on_disk']} files, {_mb(s['bytes_on_disk'])} on disk; {pages:,} article pages, "
               f"{s['by_kind'].get('feed', 0):,} feeds, {s['by_kind'].get('sitemap', 0):,} sitemaps; "
               f"{s['oldest'] or '-'} .. {s['newest'] or '-'}")
    for src, v in s["by_source"].items():
        click.echo(f"  {src or '?':24} {v['records']:>7,} records {_mb(v['bytes']):>10}")
    if s["files_missing"]:
        click.echo(f"  missing files (indexed, not on disk): {', '.join(s['files_missing'][:5])}")
    if s["files_not_indexed"]:
        click.echo(f"  files not indexed (a run that could not store its batch): {len(s['files_not_indexed'])}")


@archive_group.command(name="prune")
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--days", type=click.IntRange(0, 100 * 366), default=None,
              help="Keep this many days (default: the AGGREGATOR_ARCHIVE_RETENTION_DAYS setting; 0 keeps all).")
@click.option("--dry-run", is_flag=True, help="Only say which files would go.")
def archive_prune(db: str, days: int | None, dry_run: bool) -> None:
    """Delete archive files whose records are all older than the retention (whole
    files only; a file holding a body that a kept revisit record refers to stays)."""
    from aggregator import settings

    if days is None:
        days = int(settings.AGGREGATOR_ARCHIVE_RETENTION_DAYS)
    if days == 0:
        click.echo("lednews: archive retention is 0 (keep everything): nothing pruned")
        return
    from aggregator.archive import prune

    with writer_lock(db, "archive prune"):
        storage = _open_db(db)
        try:
            files, size, rows, before = prune(storage, str(_archive_dir(db)), days, dry_run=dry_run)
        finally:
            storage.close()
    if dry_run:
        for f in files:
            click.echo(f)
        click.echo(f"lednews: would delete {len(files)} archive files ({_mb(size)}) older than {before}")
        return
    click.echo(f"lednews: deleted {len(files)} archive files ({_mb(size)}, {rows:,} records) older than {before}")


def prune_after_crawl(db: str, days: int, log: Any) -> None:
    """A crawl with AGGREGATOR_ARCHIVE_RETENTION_DAYS > 0 prunes the archive after it (it
    holds the data directory's lock); a failure is a warning, the crawl stays done."""
    import sqlite3

    from aggregator.archive import prune
    from aggregator.storage import Storage

    try:
        storage = Storage(db)
        try:
            files, size, rows, before = prune(storage, str(_archive_dir(db)), days)
        finally:
            storage.close()
    except (OSError, sqlite3.Error) as e:
        log.warning("archive retention: could not prune: %s", e)
        return
    if files:
        log.info("archive retention %d days: deleted %d files (%s, %d records) older than %s",
                 days, len(files), _mb(size), rows, before)


@archive_group.command(name="export")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@click.option("--since", metavar="DATE", help="Only records fetched on or after DATE (YYYY-MM-DD).")
def archive_export(out: str, db: str, sources: tuple[str, ...], since: str | None) -> None:
    """Write the archived pages (newest record of each URL) to one WARC file OUT
    (.warc.gz), with the records their revisits refer to: readable by any WARC tool."""
    since = _check_date(since)
    root = _archive_dir(db)
    storage = _open_db(db)
    try:
        rows = storage.archive_pages(sources=sources or None, since=since, kind="article")
        extra = [k for k in ("feed", "sitemap")]
        for kind in extra:
            rows += storage.archive_pages(sources=sources or None, since=since, kind=kind)
        wanted = {r["record_id"] for r in rows}
        originals = [r["refers_to"] for r in rows if r["refers_to"] and r["refers_to"] not in wanted]
        rows += storage.archive_rows_by_record(sorted(set(originals)))
    finally:
        storage.close()
    rows.sort(key=lambda r: (r["file"], r["offset"]))
    n = 0
    try:
        with open(out, "wb") as f:
            for r in rows:  # each record is one gzip member: copied as it is
                with open(root / r["file"], "rb") as src:
                    src.seek(r["offset"])
                    f.write(src.read(r["length"]))
                n += 1
    except OSError as e:
        _fail(f"cannot write {out}: {e.strerror or e}")
    click.echo(f"lednews: exported {n:,} records to {out} ({_mb(Path(out).stat().st_size)})")


def _check_date(since: str | None) -> str | None:
    if since is None:
        return None
    try:
        datetime.strptime(since[:10], "%Y-%m-%d")
    except ValueError:
        _fail(f"--since {since!r}: expected a date YYYY-MM-DD")
    return since


@click.command(name="process")
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--sources", type=click.Path(), help="TOML file of user-defined sources (default: "
              "data/sources.toml if present): their current profiles are used.")
@click.option("--source", "only", multiple=True, help="Only this source's archived pages (repeatable).")
@click.option("--since", metavar="DATE", help="Only pages fetched on or after DATE (YYYY-MM-DD).")
@click.option("--all", "everything", is_flag=True, help="Every archived article page.")
@click.option("--warc", "warcs", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Import this WARC file (any crawler's: wget --warc-file, a Common Crawl extract) "
                   "into the archive first and process its pages (repeatable).")
@click.option("--jobs", type=click.IntRange(1, 256), default=None,
              help="Processes extracting pages (default: one per usable core).")
@click.option("--no-link", is_flag=True, help="Do not link stories afterwards (`lednews link` does).")
def process_cmd(db: str, sources: str | None, only: tuple[str, ...], since: str | None, everything: bool,
                warcs: tuple[str, ...], jobs: int | None, no_link: bool) -> None:
    """Extract and clean archived pages again, no request sent: articles whose result
    changed get a new version with the reason (extractor, cleaner or profile change);
    the rest are not touched. Then link stories (unless --no-link)."""
    from aggregator.reprocess import import_warc, reprocess

    if not (everything or only or since or warcs):
        _fail("say what to process: --all, --source S, --since DATE or --warc FILE")
    since = _check_date(since)
    profiles = {p.key: p for p in _profiles(sources, ())}
    for s in only:
        if s not in profiles:
            _fail(f"unknown source {s!r} (see `lednews sites`)")
    archive = str(_archive_dir(db))
    with writer_lock(db, "process"):
        storage = _open_db(db, must_exist=not warcs)
        try:
            reports = []
            for w in warcs:
                try:
                    reports.append(("--warc " + w, import_warc(storage, w, archive, profiles, jobs=jobs)))
                except Exception as e:  # not a WARC file, a truncated one: one line, the rest stays
                    _fail(f"{w}: not a readable WARC file ({type(e).__name__}: {e})")
            if everything or only or since:
                reports.append(("archive", reprocess(storage, archive, profiles, sources=only or None,
                                                     since=since, jobs=jobs)))
            linked = None
            if not no_link and any(r.new or r.updated for _, r in reports):
                from aggregator.commands.common import _sibling_gaps
                from aggregator.dedup.run import run_dedup

                linked = run_dedup(storage, _sibling_gaps()[1])
        finally:
            storage.close()
    failed = 0
    for what, r in reports:
        failed += len(r.failed)
        rate = r.pages / r.seconds if r.seconds else 0.0
        imported = f"{r.imported:,} records imported, " if what.startswith("--warc") else ""
        click.echo(f"lednews: process {what}: {imported}{r.pages:,} pages in {r.seconds:.1f}s ({rate:.0f}/s): "
                   f"{r.new:,} new, {r.updated:,} updated, {r.unchanged:,} unchanged articles; "
                   f"{len(r.failed):,} failed, {r.skipped:,} skipped (no source or not an article)")
        for reason, n in r.reasons.most_common():
            click.echo(f"  {n:,} x {reason}")
        for uri, why in r.failed[:5]:
            click.echo(f"  failed: {why}: {uri}", err=True)
    if linked is not None:
        click.echo(f"lednews: stories linked: {linked.written:,} rows written")
    if failed and not any(r.new or r.updated or r.unchanged for _, r in reports):
        sys.exit(EXIT_CONFIG)


@click.command(name="link")
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--rebuild", is_flag=True, help="Drop stored dedup features and pair scores first.")
@click.pass_context
def link_cmd(ctx: click.Context, db: str, rebuild: bool) -> None:
    """Link articles into stories on their own (what `lednews dedup` does; the crawl
    and `lednews process` run it after storing)."""
    from aggregator.commands.data import dedup

    ctx.invoke(dedup, db=db, rebuild=rebuild, explain=None)
