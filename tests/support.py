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


# Commands that start Scrapy (a Twisted reactor cannot be restarted in one process) or a
# server: always through ``run_lednews``.
_SUBPROCESS_ONLY = {"crawl", "serve", "add-source", "sources", "check-profiles", "record"}


def run_cli(*args: str, input: str | bytes | None = None) -> CliResult:
    """``lednews ARGS`` in this process (click's ``CliRunner``): the same command, stdout,
    stderr and exit code as ``run_lednews`` without a new interpreter and its imports
    (~1-4 s each on the CI machine). For commands that do not run Scrapy or a server;
    tests of the process boundary itself (signals, locks held by another process, a
    terminal) use ``run_lednews``."""
    import logging

    from click.testing import CliRunner

    from aggregator import console
    from aggregator.cli import main

    assert "--help" in args or not _SUBPROCESS_ONLY & set(args[:1]), f"{args[0]}: use run_lednews"
    cwd = Path.cwd()
    os.chdir(ROOT)  # as run_lednews: relative defaults (data/...) resolve from the checkout
    raise_exceptions, level = logging.raiseExceptions, logging.root.level
    try:
        result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=True)
    finally:
        os.chdir(cwd)
        for h in console._handlers:  # what setup_logging installed for this run
            logging.root.removeHandler(h)
            h.close()
        console._handlers.clear()
        logging.raiseExceptions, logging.root.level = raise_exceptions, level
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        stderr += "".join(traceback.format_exception(result.exception))
    return CliResult(args, result.exit_code, result.stdout, stderr)


def expected_articles() -> list[dict]:
    out = []
    for f in sorted(EXPECTED.glob("*/*.json")):
        e = json.loads(f.read_text("utf-8"))
        e["_file"] = f"{f.parent.name}/{f.name}"
        out.append(e)
    return out


class InProcessCrawl:
    """What one in-process crawl left: the Scrapy crawler (stats), its ``crawl_runs`` row
    and the log lines it wrote to ``DATA_DIR/lednews.log``."""

    def __init__(self, crawler: Any, run: dict[str, Any], log: str) -> None:
        self.crawler = crawler
        self.run = run
        self.log = log

    @property
    def ok(self) -> bool:
        """What exit status 0 of ``lednews crawl`` requires of the run (aggregator.cli)."""
        return self.run.get("finish_reason") == "finished" and not self.run.get("failure")

    def __getitem__(self, key: str) -> Any:
        return self.run[key]


def crawl(*args: str) -> InProcessCrawl:
    """``lednews crawl ARGS`` in this process: the CLI's option parsing, profiles and
    settings (``-s`` overrides validated as the CLI does), the same spider, middlewares
    and pipelines, run by Scrapy's ``AsyncCrawlerRunner`` in a fresh asyncio loop
    without a Twisted reactor, so any number of crawls fit in one pytest process.
    Unless ``-s AGGREGATOR_WORKERS=N`` is given, pages are extracted in the crawl
    process (no page worker). Mirror requests go through ``MirrorDownloadHandler`` as in the CLI; live ones
    through Scrapy's aiohttp handler (the CLI uses Twisted's: the tests of that path,
    and of what the CLI adds around the crawl -- lock, exit codes, one-line errors,
    the summary line -- run it with ``run_lednews``)."""
    import asyncio
    import logging

    from scrapy.crawler import AsyncCrawlerRunner

    from aggregator.cli import _apply_overrides, crawl_settings, main
    from aggregator.commands.common import _profiles
    from aggregator.storage import Storage
    from spiders import AllSourcesSpider

    ctx = main.commands["crawl"].make_context("crawl", list(args))
    p = ctx.params
    profiles = _profiles(p["sources"], p["sites"])
    settings = crawl_settings(p["db"], p["mirror"], p["verbose"], profiles, p["refresh"], p["contact"])
    # Pages are extracted in this process unless a test asks for the page worker: starting
    # one (a fresh interpreter importing the extractor) is 1.5-3 s of a 0.5 s mirror crawl
    # here. tests/test_workers.py shows both ways store the same rows; subprocess crawls
    # (the demo_db fixture, run_lednews) use the default, a worker on 2+ cores.
    settings.set("AGGREGATOR_WORKERS", "0", priority="cmdline")
    _apply_overrides(settings, p["overrides"])
    settings.set("TWISTED_REACTOR_ENABLED", False, priority="cmdline")
    settings.set("AGGREGATOR_PROGRESS", False, priority="cmdline")
    data_dir = Path(p["db"]).resolve().parent
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "lednews.log"
    handler = logging.FileHandler(log_path, encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    async def _run() -> Any:
        runner = AsyncCrawlerRunner(settings)
        crawler = runner.create_crawler(AllSourcesSpider)
        await runner.crawl(crawler, profiles=profiles)
        return crawler

    try:
        crawler = asyncio.run(_run())
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
    assert "twisted.internet.reactor" not in sys.modules, (
        "the crawl installed a Twisted reactor (a twisted LoopingCall or callLater?): in-process "
        "crawls need scrapy.utils.asyncio's helpers (create_looping_call, call_later)")
    run_id = crawler.stats.get_value("lednews/run_id")
    run: dict[str, Any] = {}
    if run_id is not None:
        storage = Storage(p["db"])
        try:
            run = storage.run(run_id)
        finally:
            storage.close()
    return InProcessCrawl(crawler, run, log_path.read_text("utf-8"))
