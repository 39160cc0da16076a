"""Shared fixtures: one real mirror crawl per test session, run as a user would."""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from support import SITES, USER_SOURCES, run_lednews


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo crawl: every profile plus the user-defined sources, from the mirror, run
    by the CLI in a subprocess as a user runs it. Tests read it or copy it, never write
    it: under pytest-xdist the workers share one crawl (the first to get the lock runs
    it), instead of one crawl per worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return _demo_crawl(tmp_path_factory.mktemp("demo"))
    shared = tmp_path_factory.getbasetemp().parent  # the same for every worker of this run
    with open(shared / "demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            done = shared / "demo" / "done"
            if not done.is_file():
                shutil.rmtree(shared / "demo", ignore_errors=True)
                (shared / "demo").mkdir()
                _demo_crawl(shared / "demo")
                done.write_text(worker)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return shared / "demo" / "news.db"


def _demo_crawl(where: Path) -> Path:
    db = where / "news.db"
    proc = run_lednews("crawl", "--mirror", str(SITES), "--db", str(db), "--sources", str(USER_SOURCES))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "articles" in proc.stdout
    return db


@pytest.fixture(autouse=True)
def _no_twisted_reactor():
    """Fail the test that installs a Twisted reactor in the pytest process (a Twisted
    LoopingCall, callLater or deferToThread somewhere it calls): after that no crawl can
    run in this process any more (support.run_cli; docs/testing.md)."""
    before = "twisted.internet.reactor" in sys.modules
    yield
    assert before or "twisted.internet.reactor" not in sys.modules, (
        "this test installed a Twisted reactor in the pytest process: use scrapy.utils.asyncio's "
        "create_looping_call / call_later instead of Twisted's (docs/testing.md)")


@pytest.fixture()
def conn(demo_db: Path):
    c = sqlite3.connect(demo_db)
    c.row_factory = sqlite3.Row
    yield c
    c.close()


# Property-based tests (tests/test_properties.py): reproducible by default; set
# LEDNEWS_HYPOTHESIS=explore for fresh random examples, many more of them.
try:
    from hypothesis import HealthCheck, settings

    settings.register_profile("default", derandomize=True, max_examples=150, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    settings.register_profile("explore", max_examples=3000, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    settings.load_profile(os.environ.get("LEDNEWS_HYPOTHESIS", "default"))
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    pass
