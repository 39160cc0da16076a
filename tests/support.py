"""Helpers shared by the tests (paths, running the CLI, expected JSON)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "tests" / "sites"
EXPECTED = ROOT / "tests" / "expected"
USER_SOURCES = ROOT / "tests" / "fixtures" / "user-sources.toml"


def run_lednews(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``python -m aggregator ARGS`` in a subprocess (a fresh Twisted reactor each time)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "aggregator", *args], cwd=cwd or ROOT,
                          capture_output=True, text=True, timeout=timeout, env=env)


class CliResult:
    """The parts of a ``subprocess.CompletedProcess`` the tests read."""

    def __init__(self, args: tuple[str, ...], returncode: int, stdout: str, stderr: str) -> None:
        self.args, self.returncode, self.stdout, self.stderr = args, returncode, stdout, stderr


# A server, or a process boundary (tests/test_serve*.py): always through ``run_lednews``.
_SUBPROCESS_ONLY = {"serve"}


def _reactorless_process(settings: Any = None, install_root_handler: Any = None) -> Any:
    """What ``scrapy.crawler.CrawlerProcess(settings)`` gives the CLI under ``run_cli``:
    Scrapy's own ``AsyncCrawlerProcess`` without a Twisted reactor (a reactor cannot be
    restarted in one process; an asyncio loop can), without signal handlers (pytest
    keeps its own), and extracting pages in the crawl process unless the command line
    asks for the page worker with ``-s AGGREGATOR_WORKERS=N``: starting a worker (a
    fresh interpreter importing the extractor) is 1.5-3 s of a 0.5 s mirror crawl here;
    tests/test_workers.py shows both ways store the same rows, and subprocess crawls
    (the demo_db fixture, run_lednews) keep the default."""
    from scrapy.crawler import AsyncCrawlerProcess
    from scrapy.settings import SETTINGS_PRIORITIES

    settings = settings.copy()
    settings.set("TWISTED_REACTOR_ENABLED", False, priority="cmdline")
    if (settings.getpriority("AGGREGATOR_WORKERS") or 0) < SETTINGS_PRIORITIES["cmdline"]:
        settings.set("AGGREGATOR_WORKERS", "0", priority="cmdline")

    class Process(AsyncCrawlerProcess):
        def start(self, stop_after_crawl: bool = True, install_signal_handlers: bool = True) -> None:
            super().start(stop_after_crawl, install_signal_handlers=False)

    return Process(settings, install_root_handler)


def run_cli(*args: str, input: str | bytes | None = None) -> CliResult:
    """``lednews ARGS`` in this process (click's ``CliRunner``): the same command code,
    stdout, stderr and exit code as ``run_lednews`` without a new interpreter and its
    imports (1-4 s each on the 2-core CI machine). Crawling commands run Scrapy as
    ``_reactorless_process`` says, so http(s) requests that are not answered from a
    mirror go through Scrapy's aiohttp handler rather than the CLI's Twisted one: tests
    of that live download path, and of the process boundary itself (signals, a lock
    held by another process, a terminal), use ``run_lednews``."""
    import logging

    import scrapy.crawler
    from click.testing import CliRunner

    from aggregator import console
    from aggregator.cli import main

    assert "--help" in args or not _SUBPROCESS_ONLY & set(args[:1]), f"{args[0]}: use run_lednews"
    cwd = Path.cwd()
    os.chdir(ROOT)  # as run_lednews: relative defaults (data/...) resolve from the checkout
    raise_exceptions, level = logging.raiseExceptions, logging.root.level
    real_process = scrapy.crawler.CrawlerProcess
    scrapy.crawler.CrawlerProcess = _reactorless_process  # type: ignore[misc,assignment]
    try:
        result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=True)
    finally:
        scrapy.crawler.CrawlerProcess = real_process  # type: ignore[misc]
        os.chdir(cwd)
        for h in console._handlers:  # what setup_logging installed for this run
            logging.root.removeHandler(h)
            h.close()
        console._handlers.clear()
        logging.raiseExceptions, logging.root.level = raise_exceptions, level
    assert "twisted.internet.reactor" not in sys.modules, (
        f"lednews {' '.join(args)} installed a Twisted reactor (a twisted LoopingCall or callLater?): "
        "in-process runs need scrapy.utils.asyncio's helpers (create_looping_call, call_later)")
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        stderr += "".join(traceback.format_exception(result.exception))
    return CliResult(args, result.exit_code, result.stdout, stderr)


class InProcessCrawl(CliResult):
    """``lednews crawl`` run by ``crawl``: its output and exit code, the database's last
    ``crawl_runs`` row (``run`` or ``result[column]``) and the log file's text."""

    def __init__(self, res: CliResult, run: dict[str, Any], log: str) -> None:
        super().__init__(res.args, res.returncode, res.stdout, res.stderr)
        self.run = run
        self.log = log

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def __getitem__(self, key: str) -> Any:
        return self.run[key]


def crawl(*args: str) -> InProcessCrawl:
    """``lednews crawl ARGS`` through ``run_cli``, with the run it recorded."""
    import sqlite3

    res = run_cli("crawl", *args)
    db = Path(args[args.index("--db") + 1]) if "--db" in args else ROOT / "data" / "news.db"
    run: dict[str, Any] = {}
    if db.is_file():
        con = sqlite3.connect(db)
        con.row_factory = sqlite3.Row
        try:
            row = con.execute("select * from crawl_runs order by id desc limit 1").fetchone()
            run = dict(row) if row else {}
        finally:
            con.close()
    log = db.parent / "lednews.log"
    return InProcessCrawl(res, run, log.read_text("utf-8") if log.is_file() else "")


def table_snapshot(db: Path, queries: dict[str, str]) -> dict[str, list[tuple]]:
    """``{name: sorted rows of its query}``: two databases compared table by table."""
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return {t: sorted(con.execute(q).fetchall(), key=repr) for t, q in queries.items()}
    finally:
        con.close()


def expected_articles() -> list[dict]:
    out = []
    for f in sorted(EXPECTED.glob("*/*.json")):
        e = json.loads(f.read_text("utf-8"))
        e["_file"] = f"{f.parent.name}/{f.name}"
        out.append(e)
    return out
