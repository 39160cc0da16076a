"""Scale-out commands (aggregator/frontier): ``lednews worker``, and the pieces
``lednews crawl --frontier URL [--workers N]`` and ``lednews status --frontier URL`` use."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

from aggregator.commands.common import EXIT_LOCKED, _fail

__all__ = ["worker_cmd", "check_frontier", "LocalWorkers", "prepare_writer", "show_frontier"]


def check_frontier(url: str, writer: bool = False, prefix: str = "lednews") -> None:
    """One line and exit 2 when Redis cannot be reached at ``url``; with ``writer``,
    exit 3 when another writer runs on that frontier."""
    try:
        import redis
    except ImportError:  # pragma: no cover - a dependency
        _fail("the Python package 'redis' is needed for --frontier (pip install redis)")
    if not url.startswith(("redis://", "rediss://", "unix://")):
        _fail(f"--frontier {url!r}: expected redis://HOST:PORT/DB")
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5)
        client.ping()
        other = client.get(f"{prefix}:writer") if writer else None
        client.close()
    except (redis.RedisError, ValueError, OSError) as e:
        _fail(f"cannot reach the frontier {url}: {e}")
    if other:
        text = other.decode() if isinstance(other, bytes) else str(other)
        _fail(f"another writer is running on the frontier {url} (prefix {prefix}): {text}", EXIT_LOCKED)


def prepare_writer(settings: Any, url: str) -> None:
    from aggregator.frontier.writer import writer_settings

    check_frontier(url, writer=True, prefix=settings.get("AGGREGATOR_FRONTIER_PREFIX") or "lednews")
    writer_settings(settings, url)


def _worker_args(url: str, mirror: str | None, contact: str | None, overrides: tuple[str, ...]) -> list[str]:
    args = [sys.executable, "-m", "aggregator", "worker", "--frontier", url, "--processes", "1"]
    if mirror:
        args += ["--mirror", str(Path(mirror).resolve())]
    if contact:
        args += ["--contact", contact]
    for o in overrides:
        args += ["-s", o]
    return args


class LocalWorkers:
    """``crawl --workers N``: N ``lednews worker`` processes beside the writer, logging
    to ``DATA_DIR/worker-I.log``, stopped (SIGTERM, then SIGKILL after 10 s) at the end."""

    def __init__(self, n: int, url: str, log_dir: Path, mirror: str | None, contact: str | None,
                 overrides: tuple[str, ...]) -> None:
        self.n, self.args, self.log_dir = n, _worker_args(url, mirror, contact, overrides), log_dir
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self) -> LocalWorkers:
        for i in range(self.n):
            with open(self.log_dir / f"worker-{i + 1}.log", "ab") as out:
                self.procs.append(subprocess.Popen(self.args, stdout=out, stderr=subprocess.STDOUT,
                                                   stdin=subprocess.DEVNULL))
        return self

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for p in self.procs:
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def _run_worker(url: str, mirror: str | None, contact: str | None, overrides: tuple[str, ...],
                verbose: bool) -> None:
    from importlib.metadata import version

    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from aggregator.cli import _apply_overrides
    from aggregator.frontier.worker import WorkerSpider, worker_settings
    from aggregator.politeness import user_agent

    settings = Settings()
    settings.setmodule("aggregator.settings", priority="project")
    settings.set("LOG_LEVEL", "INFO" if verbose else "WARNING", priority="cmdline")
    settings.set("USER_AGENT", user_agent(version("lednews"), contact), priority="cmdline")
    if mirror:
        settings.set("AGGREGATOR_MIRROR_DIR", str(Path(mirror).resolve()), priority="cmdline")
    _apply_overrides(settings, overrides)
    worker_settings(settings, url)
    process = CrawlerProcess(settings)
    process.crawl(WorkerSpider)
    process.start()


@click.command("worker")
@click.option("--frontier", required=True, envvar="LEDNEWS_FRONTIER", metavar="URL",
              help="The shared frontier, redis://HOST:PORT/DB (env LEDNEWS_FRONTIER).")
@click.option("--processes", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Fetching processes to run on this machine.")
@click.option("--mirror", type=click.Path(exists=True, file_okay=False),
              help="Answer every request from this site mirror instead of the web.")
@click.option("--contact", envvar="LEDNEWS_CONTACT_URL", metavar="URL",
              help="Contact URL put in the User-Agent (env LEDNEWS_CONTACT_URL).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy/lednews setting (repeatable).")
@click.option("-v", "--verbose", is_flag=True, help="Scrapy's log at INFO (default: warnings only).")
def worker_cmd(frontier: str, processes: int, mirror: str | None, contact: str | None,
               overrides: tuple[str, ...], verbose: bool) -> None:
    """Fetch for crawls run with `lednews crawl --frontier URL`, until stopped.

    Takes requests from the frontier (each host's delay, robots.txt and Crawl-delay kept
    across all workers), downloads them and hands the pages to the crawl's writer through
    Redis. Never opens the database. SIGTERM stops it; a worker killed outright loses
    nothing (its requests are queued again when its lease runs out). docs/scale-out.md."""
    check_frontier(frontier)
    if processes == 1:
        _run_worker(frontier, mirror, contact, overrides, verbose)
        return
    args = _worker_args(frontier, mirror, contact, overrides) + (["-v"] if verbose else [])
    procs = [subprocess.Popen(args, stdin=subprocess.DEVNULL) for _ in range(processes)]

    def stop(signum: int, _frame: Any) -> None:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    codes = [p.wait() for p in procs]
    sys.exit(max((c for c in codes if c > 0), default=0) if os.name == "posix" else 0)


def show_frontier(url: str, as_json: bool) -> None:
    """``lednews status --frontier URL``."""
    import json

    from aggregator.frontier.status import format_status, frontier_status

    check_frontier(url)
    s = frontier_status(url)
    click.echo(json.dumps(s, indent=2) if as_json else "\n".join(format_status(s)))
