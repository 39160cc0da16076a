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
    if os.access(db, os.W_OK):  # bring schema and search index up to date before serving
        try:
            storage = Storage(db)
            try:
                storage.sync_search()
                _tag_stale(storage)
            finally:
                storage.close()
        except StorageError as e:
            _fail(str(e))
    try:
        run_server(db, host=host, port=port, immutable=immutable, announce=click.echo)
    except OSError as e:
        _fail(f"cannot listen on {host}:{port}: {e}")


@click.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite database to read.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("--since", required=True, help="Only articles published on or after this date (YYYY-MM-DD).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
@click.option("--company", "companies", multiple=True,
              help="Only stories tagged with this company (id or any name: sanan, 三安); repeatable.")
@click.option("--topic", "topics", multiple=True, help="Only stories tagged with this topic (mini-led); repeatable.")
def export(db: str, fmt: str, since: str, output: str | None, companies: tuple[str, ...],
           topics: tuple[str, ...]) -> None:
    """Export articles (with their story) as JSON Lines or CSV."""
    from aggregator.publish.export import (
        ExportError,
        export_rows,
        parse_since,
        write_export,
    )

    try:
        parse_since(since)
        entities = [("company", c) for c in companies] + [("topic", t) for t in topics]
        rows = export_rows(db, since, entities or None)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as out:
                n = write_export(rows, fmt, out)
            click.echo(f"lednews: exported {n} articles to {output}", err=True)
        else:
            write_export(rows, fmt, sys.stdout)
    except ExportError as e:
        _fail(str(e))
