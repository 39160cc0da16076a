"""Cron-friendly output: a rotating log file in the data directory, a quiet terminal
unless ``--verbose``, and a one-line progress display when stderr is a terminal.
"""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured

__all__ = ["LOG_NAME", "ProgressExtension", "setup_logging"]

LOG_NAME = "lednews.log"
# One full mirror crawl logs 7.7 KB at INFO, Scrapy's stats dump included (measured:
# `lednews crawl --mirror tests/sites --sources tests/fixtures/user-sources.toml`).
# Allowing 5x that for a live run with warnings, 1 MB x (1 + 5 backups) holds ~160 runs:
# a week of hourly cron, months of daily, in at most 6 MB.
LOG_MAX_BYTES = 1024 * 1024
LOG_BACKUPS = 5
_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"
_handlers: list[logging.Handler] = []


class OneLineFormatter(logging.Formatter):
    """The terminal's format without ``--verbose``: one line per record, no traceback
    (the log file keeps it). Cron mails stderr: 32 tracebacks of one network outage made
    a mail nobody reads (issue 15)."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info = record.exc_text = record.stack_info = None
        try:
            line = super().format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved
        if saved[0] and saved[0][1] is not None and str(saved[0][1]) not in line:
            line += f" ({type(saved[0][1]).__name__}: {saved[0][1]})"
        return line.split("\n", 1)[0]


# Loggers whose ERROR records are one failed request each: every one of them is a
# crawl_errors row, summarised after the run; on the terminal they were 32 lines of a
# single network outage, which the crawl reports itself in one line.
_PER_REQUEST = ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt")


def _per_request(record: logging.LogRecord) -> bool:
    if record.name == "scrapy.core.scraper" and str(record.msg).startswith("Spider error processing"):
        return False  # one crawl_errors row each ("internal error: ..."), one CLI line in all
    return not record.name.startswith(_PER_REQUEST)


def setup_logging(data_dir: Path, verbose: bool, max_bytes: int = LOG_MAX_BYTES,
                  backups: int = LOG_BACKUPS, stream: TextIO | None = None) -> Path:
    """Root logging for one CLI run: INFO and up to ``DATA_DIR/lednews.log`` (rotated),
    the terminal gets INFO with ``--verbose``, otherwise only ERROR records. Replaces the
    handlers a previous call installed. Returns the log file's path."""
    for h in _handlers:
        logging.root.removeHandler(h)
        h.close()
    _handlers.clear()
    path = Path(data_dir) / LOG_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = logging.Formatter(_FORMAT)
    file_handler = RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
    file_handler.setLevel(logging.INFO)
    term = logging.StreamHandler(stream or sys.stderr)
    term.setLevel(logging.INFO if verbose else logging.ERROR)
    if not verbose:
        term.addFilter(_per_request)
    file_handler.setFormatter(fmt)
    term.setFormatter(fmt if verbose else OneLineFormatter(_FORMAT))
    for h in (file_handler, term):
        logging.root.addHandler(h)
        _handlers.append(h)
    # A log file that cannot be written (disk full) must not print a traceback per
    # record to stderr ("--- Logging error ---"): the crawl reports its failure itself.
    logging.raiseExceptions = verbose
    logging.root.setLevel(logging.INFO)
    return path


class ProgressExtension:
    """``\\r``-rewritten status line on stderr while a crawl runs (``AGGREGATOR_PROGRESS``,
    set by the CLI only when stderr is a terminal, so cron output stays clean)."""

    # Twice a second: fast enough to look alive, slow enough not to flicker.
    INTERVAL = 0.5

    def __init__(self, crawler: Any, stream: TextIO) -> None:
        self.crawler = crawler
        self.stream = stream
        self.task: Any = None
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressExtension:
        if not crawler.settings.getbool("AGGREGATOR_PROGRESS"):
            raise NotConfigured
        return cls(crawler, sys.stderr)

    def line(self) -> str:
        s = self.crawler.stats.get_stats()
        return (f"lednews: {s.get('downloader/request_count', 0)} requests, "
                f"{s.get('downloader/response_count', 0)} responses, "
                f"{s.get('item_scraped_count', 0)} articles, {s.get('lednews/errors', 0)} errors")

    def show(self) -> None:
        self.stream.write("\r" + self.line() + "\x1b[K")
        self.stream.flush()

    def opened(self, spider: Any) -> None:
        from twisted.internet import task

        self.task = task.LoopingCall(self.show)
        self.task.start(self.INTERVAL, now=True)

    def closed(self, spider: Any, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.show()
        self.stream.write("\n")
        self.stream.flush()
