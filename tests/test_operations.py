"""Unattended operation as cron runs it: one crawl at a time, health status with a
non-zero exit, bot challenges reported and never stored, quiet output, log file,
politeness on the live download path (local server only)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from livesite import LiveSite, news_site, sources_toml
from support import InProcessCrawl, ROOT, SITES, USER_SOURCES, crawl, run_cli, run_lednews

CHALLENGE_SOURCES = ROOT / "tests" / "fixtures" / "challenge-sources.toml"


def _q(db: Path, sql: str, *params: object) -> list[tuple]:
    c = sqlite3.connect(db)
    try:
        return c.execute(sql, params).fetchall()
    finally:
        c.close()


# one run at a time -------------------------------------------------------------------
@pytest.fixture()
def slow_site():
    site = LiveSite(news_site(2), delay={"/news/": 6.0})
    base = site.start()
    yield site, base
    site.stop()


def test_second_concurrent_crawl_exits_at_once_naming_the_pid(tmp_path: Path, slow_site) -> None:
    _site, base = slow_site
    toml = tmp_path / "sources.toml"
    toml.write_text(sources_toml(base))
    db = tmp_path / "data" / "news.db"
    args = [sys.executable, "-m", "aggregator", "crawl", "--sources", str(toml), "--site", "acme", "--db", str(db)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lock = db.parent / "lednews.lock"
        deadline = time.monotonic() + 30
        while not (lock.is_file() and lock.read_text().startswith(f"{first.pid} ")):
            assert time.monotonic() < deadline and first.poll() is None, "first crawl never took the lock"
            time.sleep(0.05)
        t0 = time.monotonic()
        second = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
        elapsed = time.monotonic() - t0
        assert second.returncode == 3, second.stderr
        assert elapsed < 2.0, f"second crawl took {elapsed:.2f}s to give up"
        assert f"PID {first.pid}" in second.stderr and len(second.stderr.strip().splitlines()) == 1
        assert second.stdout == ""
        out, err = first.communicate(timeout=120)
        assert first.returncode == 0, err[-2000:]
        assert "2 new" in out
    finally:
        if first.poll() is None:
            first.kill()
    assert _q(db, "select count(*) from crawl_runs") == [(1,)]  # the refused crawl left no run
    assert lock.read_text() == ""  # released


def test_stale_lock_is_taken_over_with_a_warning(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    db = tmp_path / "news.db"
    (tmp_path / "lednews.lock").write_text(f"{dead.pid} 2026-11-20T03:00:00+00:00\n")
    out = run_cli("crawl", "--mirror", str(SITES), "--site", "csa", "--db", str(db))
    assert out.returncode == 0, out.stderr[-2000:]
    assert f"stale lock from PID {dead.pid} (no longer running)" in out.stderr
    assert f"stale lock from PID {dead.pid}" in (tmp_path / "lednews.log").read_text("utf-8")
    assert _q(db, "select count(*) from articles where source = 'csa'") == [(4,)]


# status ------------------------------------------------------------------------------
def test_status_flags_a_source_whose_start_page_was_emptied(tmp_path: Path) -> None:
    mirror = tmp_path / "sites"
    shutil.copytree(SITES / "www.gtrcomputer.com", mirror / "www.gtrcomputer.com")
    shutil.copytree(SITES / "www.totelelectrical.com", mirror / "www.totelelectrical.com")
    db = tmp_path / "news.db"
    args = ("--mirror", str(mirror), "--db", str(db), "--sources", str(USER_SOURCES),
            "--site", "gtrcomputer", "--site", "totelelectrical")
    assert crawl(*args).ok
    ok = run_cli("status", "--db", str(db))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "2 sources, 0 unhealthy" in ok.stdout
    # the site's news page loses its article list (a redesign, say)
    listing = mirror / "www.gtrcomputer.com" / "news.html"
    html = listing.read_text("utf-8")
    start, end = html.index('<ul class="news-list">'), html.index("</ul>", html.index('<ul class="news-list">'))
    listing.write_text(html[:start] + '<ul class="news-list">' + html[end:], "utf-8")
    assert crawl(*args).ok
    one = run_cli("status", "--db", str(db))
    assert one.returncode == 0, "one empty run is within the default threshold (2)"
    strict = run_cli("status", "--db", str(db), "--max-empty-runs", "1")
    assert strict.returncode == 1
    assert crawl(*args).ok
    bad = run_cli("status", "--db", str(db))
    assert bad.returncode == 1
    lines = {ln.split()[0]: ln for ln in bad.stdout.splitlines()[1:-1]}
    assert "UNHEALTHY" in lines["gtrcomputer"] and "UNHEALTHY" not in lines["totelelectrical"]
    assert "lednews: gtrcomputer: 2 empty runs in a row" in bad.stderr
    assert "2 sources, 1 unhealthy" in bad.stdout
    report = {h["source"]: h for h in json.loads(run_cli("status", "--db", str(db), "--json").stdout)}
    assert report["gtrcomputer"]["empty_runs"] == 2 and not report["gtrcomputer"]["healthy"]
    assert report["gtrcomputer"]["new_7d"] == 3 and report["gtrcomputer"]["last_success"]
    assert report["totelelectrical"]["healthy"] and report["totelelectrical"]["empty_runs"] == 0


def test_status_without_database_is_a_config_error(tmp_path: Path) -> None:
    out = run_cli("status", "--db", str(tmp_path / "none.db"))
    assert out.returncode == 2 and "no database" in out.stderr


# bot challenges ----------------------------------------------------------------------
def test_challenge_pages_are_reported_not_stored(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    args = ("crawl", "--mirror", str(SITES), "--db", str(db), "--sources", str(CHALLENGE_SOURCES),
            "--site", "acme", "--site", "acme-press")
    out = run_cli(*args)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "4 bot challenges" in out.stdout
    assert _q(db, "select url from articles") == [
        ("https://www.acme-led.example/news/cob-module-line-expands-2026.html",)]
    errors = _q(db, "select source, url, reason from crawl_errors order by url")
    assert [(s, u.rsplit("/", 2)[-2:], r) for s, u, r in errors] == [
        ("acme", ["news", "micro-led-pilot-line-opens.html"], "bot challenge: AWS WAF challenge (HTTP 202)"),
        ("acme", ["news", "mini-led-backlight-orders-rise.html"], "bot challenge: Cloudflare challenge (HTTP 403)"),
        ("acme", ["news", "uv-led-curing-demand.html"], "bot challenge: captcha (HTTP 200)"),
        ("acme-press", ["press", ""], "bot challenge: AWS WAF challenge (HTTP 202)"),
    ]
    assert dict(_q(db, "select source, challenges from crawl_run_sources")) == {"acme": 3, "acme-press": 1}
    # challenged pages are not remembered as fetched: the next run asks again
    assert _q(db, "select count(*) from fetched_urls where url like '%mini-led%'") == [(0,)]
    again = crawl(*args[1:])
    assert again.ok, again.log[-2000:]
    run = _q(db, "select requests - robots_requests, challenges from crawl_runs order by id desc limit 1")[0]
    assert run == (5, 4)  # two start pages and the three challenged articles
    status = run_cli("status", "--db", str(db))
    assert status.returncode == 1
    problems = dict(ln.removeprefix("lednews: ").split(": ", 1) for ln in status.stderr.splitlines())
    assert "3 bot-challenge pages in the last run" in problems["acme"]
    assert "1 bot-challenge pages in the last run" in problems["acme-press"]
    assert "2 empty runs in a row" in problems["acme-press"]


# output ------------------------------------------------------------------------------
def test_default_output_is_one_summary_line_and_a_log_file(tmp_path: Path) -> None:
    db = tmp_path / "data" / "news.db"
    out = run_lednews("crawl", "--mirror", str(SITES), "--site", "ofweek", "--db", str(db))
    assert out.returncode == 0
    assert len(out.stdout.splitlines()) == 1 and out.stderr == ""
    assert out.stdout.startswith("lednews: 1 sources from mirror") and "4 new" in out.stdout
    log = (db.parent / "lednews.log").read_text("utf-8")
    assert "Spider opened" in log and out.stdout.strip() in log
    verbose = run_lednews("crawl", "--mirror", str(SITES), "--site", "ofweek", "--db", str(db), "-v")
    assert "[scrapy.core.engine] INFO: Spider opened" in verbose.stderr
    assert "ofweek" in verbose.stdout and len(verbose.stdout.splitlines()) > 3


def test_progress_is_shown_on_a_terminal_only(tmp_path: Path) -> None:
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "aggregator", "crawl", "--mirror", str(SITES), "--site",
                             "ofweek", "--db", str(tmp_path / "n.db")], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=slave, env={**os.environ, "PYTHONPATH": str(ROOT)})
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    shown = b"".join(chunks).decode()
    assert proc.returncode == 0
    assert "\rlednews: " in shown and " requests, " in shown and "4 articles" in shown


# politeness on the live download path -------------------------------------------------------------
def test_live_crawl_is_polite(tmp_path: Path) -> None:
    site = LiveSite(news_site(2))
    base = site.start()
    try:
        toml = tmp_path / "sources.toml"
        toml.write_text(sources_toml(base, delay=1.2))
        out = run_lednews("crawl", "--sources", str(toml), "--site", "acme", "--db", str(tmp_path / "n.db"),
                          "--contact", "https://ops.example.org/lednews")
        assert out.returncode == 0, out.stderr[-2000:]
    finally:
        site.stop()
    assert [h.path for h in site.hits][:2] == ["/robots.txt", "/news/"]
    assert len(site.hits) == 4 and site.max_in_flight == 1
    assert all(h.user_agent.startswith("lednews/") and "+https://ops.example.org/lednews" in h.user_agent
               for h in site.hits)
    gaps = [b.at - a.at for a, b in zip(site.hits[1:], site.hits[2:])]
    assert min(gaps) >= 1.1, gaps  # the profile's 1.2 s (less timer slack), AutoThrottle never lower
    log = (tmp_path / "lednews.log").read_text("utf-8")
    assert "ERROR" not in log  # AutoThrottle's handler ran without error (it failed on 2.19's Slot)


def test_429_retry_after_is_honoured(tmp_path: Path) -> None:
    site = LiveSite(news_site(1), once={"/news/acme-cob-module-line-1.html": (429, {"Retry-After": "3"})})
    base = site.start()
    try:
        toml = tmp_path / "sources.toml"
        toml.write_text(sources_toml(base))
        out = crawl("--sources", str(toml), "--site", "acme", "--db", str(tmp_path / "n.db"))
        assert out.ok, out.log[-2000:]
    finally:
        site.stop()
    art = [h for h in site.hits if h.path.startswith("/news/acme")]
    assert [h.status for h in art] == [429, 200]
    assert art[1].at - art[0].at >= 2.9, art
    assert out["new_articles"] == 1


def _crawl_site(tmp_path: Path, pages: dict[str, bytes]) -> tuple[LiveSite, InProcessCrawl]:
    """One live crawl of the profile "acme" (no delay of its own) over a local site, in
    this process (support.crawl: the same middlewares and downloader slots as the CLI;
    test_live_crawl_is_polite runs the CLI's own HTTP client)."""
    site = LiveSite(pages)
    base = site.start()
    try:
        toml = tmp_path / "sources.toml"
        toml.write_text(sources_toml(base, delay=0.0))
        out = crawl("--sources", str(toml), "--site", "acme", "--db", str(tmp_path / "n.db"))
    finally:
        site.stop()
    assert out.ok, out.log[-2000:]
    return site, out


def test_robots_crawl_delay_is_honoured(tmp_path: Path) -> None:
    """Crawl-delay in robots.txt (Scrapy reads only Allow/Disallow) spaces the pages
    of that site at least that far apart, though the profile asks for no delay."""
    pages = news_site(2)
    pages["/robots.txt"] = b"User-agent: *\nCrawl-delay: 2\nAllow: /\n"
    site, out = _crawl_site(tmp_path, pages)
    assert [h.path for h in site.hits][:2] == ["/robots.txt", "/news/"] and len(site.hits) == 4
    gaps = [b.at - a.at for a, b in zip(site.hits[1:], site.hits[2:])]
    assert min(gaps) >= 1.9, gaps  # 2 s, less timer slack
    assert out["new_articles"] == 2


def test_a_crawl_delay_beyond_the_limit_leaves_the_site_for_the_next_run(tmp_path: Path) -> None:
    pages = news_site(1)
    pages["/robots.txt"] = b"User-agent: lednews\nCrawl-delay: 3600\n\nUser-agent: *\nAllow: /\n"
    site, _ = _crawl_site(tmp_path, pages)
    assert [h.path for h in site.hits] == ["/robots.txt"]  # nothing else was asked for
    con = sqlite3.connect(tmp_path / "n.db")
    reasons = [r[0] for r in con.execute("select reason from crawl_errors")]
    con.close()
    assert reasons == ["robots.txt asks for Crawl-delay 3600s, more than 60s; left for the next run"]
