"""kill -9 in the middle of a crawl loses nothing stored; readers never see "locked"."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from faultserver import FaultServer, sources_toml, wait_for
from sqlite_utils import Database
from support import ROOT, run_lednews

ARTICLES = 60
FAST = ("-s", "AUTOTHROTTLE_ENABLED=False", "-s", "AGGREGATOR_WRITE_BATCH=2")


def _count(db: Path) -> int:
    try:
        c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return c.execute("select count(*) from articles").fetchone()[0]
        finally:
            c.close()
    except sqlite3.Error:
        return 0


def _rows(db: Path) -> dict[str, tuple]:
    c = sqlite3.connect(db)
    try:
        return {r[0]: tuple(r[1:]) for r in c.execute(
            # raw_text: the text as stored, before learned site-template lines are removed
            # (template learning after the rerun may legitimately trim ``text``)
            "select id, canonical_url, title, coalesce(raw_text, text), first_seen from articles")}
    finally:
        c.close()


def test_sigkill_mid_crawl_loses_nothing_and_the_rerun_completes(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with FaultServer(articles=ARTICLES, article_delay=0.15) as srv:
        toml = tmp_path / "bulk.toml"
        toml.write_text(sources_toml(srv.base, name="bulk", starts=("/bulk/",)))
        args = ["crawl", "--sources", str(toml), "--site", "bulk", "--db", str(db), *FAST]
        proc = subprocess.Popen([sys.executable, "-m", "aggregator", *args], cwd=ROOT,
                                env={**os.environ, "PYTHONPATH": str(ROOT)},
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            assert wait_for(lambda: _count(db) >= 10, timeout=60), "no articles stored in time"
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
            if proc.stderr:
                proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL
        before = _rows(db)
        assert 10 <= len(before) < ARTICLES  # killed mid-crawl, not after it

        srv.article_delay = 0
        out = run_lednews(*args)
    assert out.returncode == 0, out.stderr[-2000:]
    c = sqlite3.connect(db)
    try:
        assert c.execute("pragma integrity_check").fetchone()[0] == "ok"
        total, distinct = c.execute("select count(*), count(distinct canonical_url) from articles").fetchone()
        runs = c.execute("select finish_reason from crawl_runs order by id").fetchall()
    finally:
        c.close()
    after = _rows(db)
    assert total == distinct == ARTICLES
    assert all(after[k] == v for k, v in before.items())  # same rows, unchanged, first_seen kept
    assert runs == [("interrupted",), ("finished",)]  # the killed run is marked as such


def test_readers_never_see_database_is_locked_during_a_crawl(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    errors: list[str] = []
    reads: list[int] = []
    done = threading.Event()

    def reader() -> None:
        assert wait_for(lambda: _count(db) > 0 or done.is_set(), timeout=60)
        # sqlite-utils over a connection that never waits for a lock (timeout=0): any
        # moment a writer blocks readers shows up as "database is locked".
        rdb = Database(sqlite3.connect(db, timeout=0, check_same_thread=False))
        try:
            while not done.is_set():
                try:
                    n = rdb.execute("select count(*) from articles").fetchone()[0]
                    rdb.execute("select * from crawl_runs order by id desc limit 1").fetchall()
                    reads.append(n)
                    time.sleep(0.001)  # a busy dashboard, not a spin loop
                except sqlite3.OperationalError as e:
                    errors.append(str(e))
        finally:
            rdb.close()

    with FaultServer(articles=40, article_delay=0.05) as srv:
        toml = tmp_path / "bulk.toml"
        toml.write_text(sources_toml(srv.base, name="bulk", starts=("/bulk/",)))
        t = threading.Thread(target=reader, daemon=True)
        t.start()
        out = run_lednews("crawl", "--sources", str(toml), "--site", "bulk", "--db", str(db),
                          "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "AGGREGATOR_WRITE_BATCH=1")
        done.set()
        t.join(timeout=30)
    assert out.returncode == 0, out.stderr[-2000:]
    assert errors == []
    print(f"{len(reads)} reads during the crawl")
    assert len(reads) > 50 and reads == sorted(reads) and reads[-1] == 40


def test_errors_are_written_while_the_crawl_runs_so_a_kill_keeps_them(tmp_path: Path) -> None:
    """Error rows go to the database with the periodic writes, not only at the end: a
    crawl killed (cron timeout, OOM killer) keeps the errors it met before."""
    from livesite import LiveSite, news_site
    from livesite import sources_toml as live_toml

    pages = news_site(4)
    for n in (3, 4):  # two articles are gone: 404 (asked for first: the scheduler is LIFO)
        del pages[f"/news/acme-cob-module-line-{n}.html"]
    site = LiveSite(pages, delay={f"/news/acme-cob-module-line-{n}.html": 20.0 for n in (1, 2)})  # held up
    base = site.start()
    db = tmp_path / "news.db"
    toml = tmp_path / "sources.toml"
    toml.write_text(live_toml(base))
    proc = subprocess.Popen([sys.executable, "-m", "aggregator", "crawl", "--sources", str(toml), "--site", "acme",
                             "--db", str(db), "-s", "AGGREGATOR_FLUSH_SECONDS=1", "-s", "RETRY_ENABLED=False"],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def errors() -> list[tuple]:
        try:
            c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            try:
                return c.execute("select url, reason from crawl_errors order by url").fetchall()
            finally:
                c.close()
        except sqlite3.Error:
            return []

    try:
        # within 15 s: the held-up pages answer after 20 s each, the crawl ends after 40 s
        assert wait_for(lambda: len(errors()) >= 2, timeout=15), "no error rows while the crawl ran"
        assert proc.poll() is None  # still running: held up by the slow page
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        site.stop()
    got = errors()
    assert [(u.rsplit("/", 1)[-1], r) for u, r in got] == [
        ("acme-cob-module-line-3.html", "HTTP 404"), ("acme-cob-module-line-4.html", "HTTP 404")]
