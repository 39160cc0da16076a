"""Limits that hold for ``lednews serve`` (issue 15), registered beside our plugin.

- **Value size**: SQLite's ``SQLITE_LIMIT_LENGTH`` on every connection Datasette opens.
  Datasette's 2 s limit is a progress handler, called between VDBE steps; one step that
  builds a huge value (``hex(randomblob(400000000))``) never returns to it and took 2 GB.
  The limit makes such a step fail at once ("string or blob too big"). 32 MB: no stored
  value comes near it (a page is at most DOWNLOAD_MAXSIZE, 10 MB, and ``text``,
  ``raw_text`` and ``body_html`` are each smaller than the page).
- **Concurrency**: uvicorn's ``limit_concurrency`` of ``MAX_CONCURRENCY``; past it a
  request gets a 503 at once instead of queueing behind Datasette's 3 SQL threads. Each
  query is bounded by the 2 s limit, so a request behind 30 others waits at most ~20 s.
  uvicorn counts a request's connection and its task, so fewer requests than that are
  in flight: of 40 simultaneous one-second queries, 18 were admitted and 22 refused
  (``tests/test_serve_limits.py``, 2026-12-02).
- **Atom**: under the database (``/news/...``), ``.atom`` exists only for the feed
  queries (``queries.FEEDS``); anywhere else there (a table, another query, ``?sql=``)
  it is a 404, not a 500 from the renderer. The pages' own feeds (``/stories.atom``,
  ``/source/<key>.atom``, ``/company/<id>.atom``) answer for themselves.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from datasette import hookimpl

__all__ = ["MAX_VALUE_BYTES", "MAX_CONCURRENCY", "check_host", "check_data_dir"]

MAX_VALUE_BYTES = 32 * 1024 * 1024
MAX_CONCURRENCY = 30


@hookimpl
def prepare_connection(conn: Any) -> None:
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)


def _atom_without_feed(scope: dict[str, Any], databases: set[str]) -> bool:
    """``.atom`` on one of Datasette's own pages (``/DB.atom``, ``/DB/TABLE.atom``,
    ``/DB/QUERY.atom``, any ``?sql=``) that is not a feed query. Our own routes
    (``/stories.atom``, ``/source/KEY.atom``...) answer for themselves."""
    from urllib.parse import parse_qs, unquote

    from aggregator.publish.queries import FEEDS

    path = unquote(scope.get("path", ""))
    if not path.endswith(".atom"):
        return False
    parts = path[: -len(".atom")].strip("/").split("/")
    query = parse_qs((scope.get("query_string") or b"").decode("latin-1"))
    if len(parts) == 1:
        return parts[0] in databases
    if len(parts) == 2 and parts[0] in databases:
        return parts[1] not in FEEDS or "sql" in query
    return False


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    def wrap(app: Any) -> Any:
        async def guarded(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope.get("type") == "http" and _atom_without_feed(scope, set(datasette.databases)):
                body = b"404: no Atom feed here (feeds: /DB/latest_stories.atom and the other feed queries)\n"
                await send({"type": "http.response.start", "status": 404,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
            await app(scope, receive, send)
        return guarded
    return wrap


def check_host(host: str) -> str | None:
    """A warning for an address that exposes the server beyond this machine."""
    if host in ("0.0.0.0", "::", "", "[::]"):
        return (f"--host {host or '(empty)'} serves on every network interface: anyone who can reach "
                "this machine can read the database and run SQL; prefer 127.0.0.1 behind a proxy")
    return None


def check_data_dir(db: str, immutable: bool) -> str | None:
    """A refusal when the database cannot be read safely: in WAL mode a reader writes
    ``DB-shm`` beside the file, so a read-only directory answers every page with a 500.
    ``--immutable`` reads the file as a snapshot and needs no write access."""
    import os
    from pathlib import Path

    if immutable:
        return None
    path = Path(db).resolve()
    shm = path.with_name(path.name + "-shm")
    if os.access(path.parent, os.W_OK | os.X_OK) or (shm.exists() and os.access(shm, os.W_OK)):
        return None
    return (f"{path.parent} is read-only: SQLite needs to write {shm.name} there to read a WAL database; "
            "serve a snapshot with --immutable, or make the directory writable")
