"""``scrapy crawl SITE`` with lednews' guarantees: the data directory's writer lock
(aggregator.runlock; exit 3 with one line when another writer holds it) and exit 1 with
one line when the run could not store what it fetched; ``-s`` settings and the site's
profile checked first (aggregator.validate; exit 2 with one line)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from aggregator.runlock import WAIT_CRAWL, LockHeld, RunLock, lock_wait

EXIT_LOCKED = 3  # as aggregator.commands.common (not imported: it pulls in click)
EXIT_CRAWL_FAILED = 1
EXIT_CONFIG = 2


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one spider name" if args else "")
        assert self.settings is not None and self.crawler_process is not None
        if self._invalid(args[0], opts):
            self.exitcode = EXIT_CONFIG
            return
        lock = RunLock(Path(self.settings.get("AGGREGATOR_DB") or ".").resolve().parent, "scrapy crawl")
        try:
            lock.acquire(lock_wait(WAIT_CRAWL))
        except LockHeld as e:
            print(f"lednews: error: {e}", file=sys.stderr)
            self.exitcode = EXIT_LOCKED
            return
        try:
            crawler = self._create_crawler(args[0])
            self.crawler_process.crawl(crawler, **opts.spargs)
            self.crawler_process.start()
        finally:
            lock.release()
        failure = crawler.stats.get_value("lednews/store_failure") if crawler.stats else None
        if failure:
            print(f"lednews: error: {failure}; the URLs not stored are fetched again by the next run",
                  file=sys.stderr)
        if self.crawler_process.bootstrap_failed or failure:
            self.exitcode = EXIT_CRAWL_FAILED

    def _invalid(self, name: str, opts: argparse.Namespace) -> bool:
        from aggregator.validate import check_settings, profile_error

        pairs = [(o.partition("=")[0].strip(), o.partition("=")[2]) for o in (getattr(opts, "set", None) or [])]
        problems, warnings = check_settings(pairs)
        for w in warnings:
            print(f"lednews: warning: {w}", file=sys.stderr)
        if problems:
            print(f"lednews: error: {problems[0]}", file=sys.stderr)
            return True
        assert self.crawler_process is not None
        try:
            spidercls = self.crawler_process.spider_loader.load(name)
        except KeyError:
            return False  # Scrapy says so itself
        profile = getattr(spidercls, "profile", None)
        problem = profile_error(profile, None) if profile is not None else None
        if problem:
            print(f"lednews: error: {problem}", file=sys.stderr)
            return True
        return False
