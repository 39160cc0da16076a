"""``lednews serve`` and ``lednews export``: reading the database."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from aggregator.commands.common import (
    DEFAULT_DB,
    _fail,
)


def _tag_stale(storage: object) -> None:
    """Tag articles written by other tools or before the gazetteer changed (issue 19)."""
    from aggregator.entities import GazetteerError

    try:
        storage.retag()  # type: ignore[attr-defined]
    except GazetteerError as e:
        click.echo(f"lednews: warning: companies and topics not updated: {e}", err=True)


@click.command()
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
    from aggregator.publish.limits import check_data_dir, check_host
    from aggregator.storage import Storage, StorageError

    if not Path(db).is_file():
        _fail(f"no database at {db} (run `lednews crawl` first)")
    refusal = check_data_dir(db, immutable)
    if refusal:
        _fail(refusal)
    warning = check_host(host)
    if warning:
        click.echo(f"lednews: warning: {warning}", err=True)
    from aggregator.runlock import LockHeld, RunLock

    lock = RunLock(Path(db).resolve().parent, "serve")
    try:  # one writer at a time: while another holds the lock, serve what is there
        lock.acquire()
    except (LockHeld, OSError):
        lock = None  # type: ignore[assignment]
    if lock is not None and os.access(db, os.W_OK):  # bring schema and search index up to date
        try:
            storage = Storage(db)
            try:
                storage.sync_search()
                _tag_stale(storage)
            finally:
                storage.close()
        except StorageError as e:
            lock.release()
            _fail(str(e))
    if lock is not None:
        lock.release()
    try:
        run_server(db, host=host, port=port, immutable=immutable, announce=click.echo)
    except OSError as e:
        _fail(f"cannot listen on {host}:{port}: {e}")


@click.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite database to read.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "xlsx"]), default=None,
              help="jsonl (default), csv (UTF-8 with BOM: Excel shows Chinese) or xlsx; "
                   "-o NAME.csv / NAME.xlsx picks it too.")
@click.option("--since", help="Only articles published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Only articles published on or before this date (YYYY-MM-DD).")
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable; keys: `lednews sites`).")
@click.option("--lang", "langs", multiple=True, type=click.Choice(["en", "zh", "zh-Hans", "zh-Hant"]),
              help="Only this language (repeatable; zh = both scripts).")
@click.option("--query", help="Only articles matching this search (as on the web: words, OR, -word, \"phrase\").")
@click.option("--stories", is_flag=True,
              help="One row per story (with a version passing the filters), listing its versions' ids and URLs.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
@click.option("--company", "companies", multiple=True,
              help="Only stories tagged with this company (id or any name: sanan, 三安); repeatable.")
@click.option("--topic", "topics", multiple=True, help="Only stories tagged with this topic (mini-led); repeatable.")
def export(db: str, fmt: str | None, since: str | None, until: str | None, sources: tuple[str, ...],
           langs: tuple[str, ...], query: str | None, stories: bool, output: str | None,
           companies: tuple[str, ...], topics: tuple[str, ...]) -> None:
    """Export articles (with their story), or stories, as JSON Lines, CSV or .xlsx."""
    from aggregator.publish.export import (
        COLUMNS,
        STORY_COLUMNS,
        ExportError,
        ExportFilter,
        export_rows,
        write_export,
        write_xlsx,
    )

    if fmt is None:
        suffix = Path(output).suffix.lower() if output else ""
        fmt = {".csv": "csv", ".xlsx": "xlsx"}.get(suffix, "jsonl")
    columns = STORY_COLUMNS if stories else COLUMNS
    what = "stories" if stories else "articles"
    try:
        entities = [("company", c) for c in companies] + [("topic", t) for t in topics]
        flt = ExportFilter(since=since, until=until, sources=sources, langs=langs, query=query,
                           entities=entities).checked()
        rows = export_rows(db, flt=flt, stories=stories)
        if fmt == "xlsx":
            if not output:
                _fail("--format xlsx needs -o FILE.xlsx (a workbook is not text for a terminal)")
            n = write_xlsx(rows, output, columns)
            click.echo(f"lednews: exported {n} {what} to {output}", err=True)
        elif output:
            with open(output, "w", encoding="utf-8", newline="") as out:
                n = write_export(rows, fmt, out, columns)
            click.echo(f"lednews: exported {n} {what} to {output}", err=True)
        else:
            write_export(rows, fmt, sys.stdout, columns)
    except ExportError as e:
        _fail(str(e))
