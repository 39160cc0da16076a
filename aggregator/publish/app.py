"""Build and run the Datasette instance behind ``lednews serve``."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

from aggregator.publish.metadata import metadata

__all__ = ["make_datasette", "serve", "SETTINGS", "DB_NAME"]

DB_NAME = "news"

TEMPLATES = Path(__file__).with_name("templates")
SETTINGS = {
    # Every canned query takes under 1 ms on the demo database (Datasette's query_ms,
    # best of 5: search 芯片 with its LIKE fallback 0.8 ms, the rest 0.3-0.7 ms); ranked
    # FTS with 1,000 hits took ~24 ms and a LIKE scan of 2,000 documents 3-18 ms
    # (docs/background.md#search-latency), i.e. well under 1 s for the LIKE fallback at 100k articles.
    # 2 s keeps that working while still stopping a runaway ad-hoc query (default 1 s).
    "sql_time_limit_ms": 2000,
    # Facet suggestions run one query per column on every table page; on the articles
    # table (long text column) that is the slowest part of a page, so keep it short.
    "facet_suggest_time_limit_ms": 200,
    "default_page_size": 50,
}


def _register_plugin() -> None:
    from datasette.plugins import pm

    from aggregator.publish import entity_pages, limits, plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name="lednews")
    if not pm.is_registered(limits):  # value size, .atom 404s (issue 15)
        pm.register(limits, name="lednews-limits")
    if not pm.is_registered(entity_pages):  # company and topic pages (issue 19)
        pm.register(entity_pages, name="lednews-entities")


def make_datasette(db_path: str | Path, immutable: bool = False) -> Any:
    """A Datasette serving one lednews database, read-only.

    Datasette 0.65 opens a database for reading with ``mode=ro``; it opens a write
    connection only for writable canned queries or plugins that write, and we have
    neither, so nothing done through it writes. ``immutable`` adds SQLite's
    ``immutable=1`` (a snapshot: fastest, but blind to a crawl writing meanwhile)."""
    from datasette.app import Datasette
    from datasette.database import Database

    _register_plugin()
    path = str(Path(db_path))
    ds = Datasette(
        files=[],
        metadata=metadata(DB_NAME),
        settings=SETTINGS,
        template_dir=str(TEMPLATES),
    )
    # Served as "news" whatever the file is called, so /news/... URLs (feeds,
    # bookmarks) survive `serve --db ingest.db`.
    ds.add_database(Database(ds, path=path, is_mutable=not immutable), name=DB_NAME)
    ds.remove_database("_memory")  # added by Datasette when given no files
    return ds


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001,
          immutable: bool = False, announce: Any = print) -> None:
    """Serve until interrupted. ``port=0`` picks a free port; the URL is announced."""
    import uvicorn

    ds = make_datasette(db_path, immutable=immutable)
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound = sock.getsockname()[1]
    announce(f"lednews: serving {db_path} at http://{host}:{bound}/ (Ctrl-C to stop)")
    from aggregator.publish.limits import MAX_CONCURRENCY

    config = uvicorn.Config(ds.app(), log_level="warning", lifespan="on", limit_concurrency=MAX_CONCURRENCY)
    uvicorn.Server(config).run(sockets=[sock])
