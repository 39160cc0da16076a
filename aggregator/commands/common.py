"""Shared by every ``lednews`` command: defaults, exit codes, one-line errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
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
    from aggregator.monitors import MonitorsError, load_monitors
    from aggregator.validate import profile_error

    try:  # the [monitors] thresholds too, so a bad one is found before a crawl, not at `status`
        load_monitors(path)
    except MonitorsError as e:
        _fail(str(e))

    for p in profiles:  # types, ranges, regexes, selectors (aggregator.validate)
        problem = profile_error(p, path)
        if problem:
            _fail(problem)
    if sites:
        known = {p.key: p for p in profiles}
        for s in sites:
            if s not in known:
                _fail(f"unknown site {s!r} (see `lednews sites`)")
        profiles = [known[s] for s in sites]
    return profiles


@contextmanager
def writer_lock(db: str, command: str, wait: float | None = None) -> Iterator[None]:
    """Hold the data directory's writer lock (aggregator.runlock) for a writing command:
    wait up to ``wait`` seconds (default ``WAIT_WRITER``; env ``LEDNEWS_LOCK_WAIT``),
    else exit 3 with one line naming the holder. A write that fails inside (disk full,
    an I/O error; each write is one transaction, so nothing is half-written) ends the
    command with one line and exit 1, not a traceback."""
    import sqlite3

    from aggregator.runlock import WAIT_WRITER, LockHeld, RunLock, lock_wait

    lock = RunLock(Path(db).resolve().parent, command)
    try:
        lock.acquire(lock_wait(WAIT_WRITER if wait is None else wait))
    except LockHeld as e:
        _fail(str(e), EXIT_LOCKED)
    except OSError as e:
        _fail(f"cannot create the lock file in {lock.path.parent}: {e.strerror or e}")
    try:
        yield
    except sqlite3.Error as e:
        name = getattr(e, "sqlite_errorname", None)
        _fail(f"cannot write to {db}: {e}{f' ({name})' if name else ''}; nothing of the failed "
              "write was kept, run the command again once the cause is fixed", EXIT_CRAWL_FAILED)
    finally:
        lock.release()


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
