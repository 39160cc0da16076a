"""Unit tests of the pure parts of unattended operation: challenge detection, conditional
requests, Retry-After, incremental state, health assessment, run lock, log rotation."""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from aggregator.challenge import detect_challenge, visible_chars
from aggregator.console import LOG_NAME, setup_logging
from aggregator.health import Thresholds, assess
from aggregator.incremental import CrawlState
from aggregator.mirror import not_modified
from aggregator.politeness import retry_after_seconds, user_agent
from aggregator.runlock import LockHeld, RunLock
from aggregator.storage import Storage
from support import SITES


# challenges ------------------------------------------------------------------------------
def test_no_page_of_the_bundled_mirror_looks_like_a_challenge() -> None:
    pages = [p for p in SITES.rglob("*") if p.is_file() and not p.name.endswith(".headers")
             and "www.acme-led.example" not in p.parts]
    assert len(pages) > 90
    assert [str(p) for p in pages if detect_challenge(200, {}, p.read_bytes())] == []
    walled = list((SITES / "www.acme-led.example").rglob("*.html"))
    assert len([p for p in walled if detect_challenge(200, {}, p.read_bytes())]) == len(walled) - 2  # not the listing, not the article


@pytest.mark.parametrize("status, headers, body, what", [
    (403, {"cf-mitigated": "challenge"}, b"<html></html>", "Cloudflare challenge"),
    (503, {}, b"<html><head><title>Just a moment...</title></head></html>", "Cloudflare challenge"),
    (202, {}, b"<html><script>window.gokuProps={}</script></html>", "AWS WAF challenge"),
    (202, {}, b"<html><body></body></html>", "HTTP 202 placeholder"),
    (200, {}, "<html><title>安全验证</title><p>请完成安全验证</p></html>".encode(), "captcha (zh)"),
    (200, {}, b"<html>Incapsula incident ID: 123</html>", "Imperva/Incapsula"),
    (200, {}, "<html><head><meta charset=gbk><title>安全验证</title></head>请拖动滑块</html>".encode("gbk"),
     "captcha (zh)"),
])
def test_challenge_markers(status: int, headers: dict, body: bytes, what: str) -> None:
    assert detect_challenge(status, headers, body) == what


def test_an_article_about_captchas_is_not_a_challenge() -> None:
    text = "<p>" + "A short report on how 人机验证 and geetest sliders affect e-commerce. " * 8 + "</p>"
    assert visible_chars(text) > 500
    assert detect_challenge(200, {}, text.encode()) is None
    assert detect_challenge(202, {}, text.encode()) is None  # a 202 with an article-sized page
    assert detect_challenge(200, {}, b"<title>Verify</title><p>\xe4\xba\xba\xe6\x9c\xba\xe9\xaa\x8c\xe8\xaf\x81</p>")


# conditional requests, Retry-After, User-Agent ---------------------------------------------------
def test_not_modified_rules() -> None:
    side = [("ETag", '"v2"'), ("Last-Modified", "Wed, 18 Nov 2026 03:00:00 GMT")]
    assert not_modified({"if-none-match": '"v2"'}, side)
    assert not_modified({"if-none-match": '"v1", "v2"'}, side)
    assert not not_modified({"if-none-match": '"v1"'}, side)
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.1.3)
    assert not not_modified({"if-none-match": '"v1"', "if-modified-since": "Thu, 19 Nov 2026 00:00:00 GMT"}, side)
    assert not_modified({"if-modified-since": "Wed, 18 Nov 2026 03:00:00 GMT"}, side)
    assert not not_modified({"if-modified-since": "Tue, 17 Nov 2026 03:00:00 GMT"}, side)
    assert not not_modified({"if-modified-since": "garbage"}, side)
    assert not not_modified({}, side)


def test_retry_after_values() -> None:
    assert retry_after_seconds("120") == 120.0
    now = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc).timestamp()
    assert retry_after_seconds("Wed, 25 Nov 2026 12:00:30 GMT", now=now) == 30.0
    assert retry_after_seconds("Wed, 25 Nov 2026 11:00:00 GMT", now=now) == 0.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_user_agent_names_the_contact() -> None:
    assert user_agent("0.1.0", "https://ops.example.org/") == "lednews/0.1.0 (+https://ops.example.org/)"
    assert user_agent("0.1.0", None).startswith("lednews/0.1.0 (+https://")


# incremental state -----------------------------------------------------------------------------
def test_crawl_state_decisions_and_persistence(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    Storage(db).close()
    st = CrawlState.load(str(db))
    a, b = "https://x.com/news/1.html", "https://x.com/news/2.html"
    assert st.wants(a, "x") and st.wants(b, "x", "Mon, 16 Nov 2026")
    rows = st.mark_fetched([a], "x", 200, None)  # reached from a listing first: no date
    rows += st.mark_fetched([b + "?redirected", b], "x", 404, None)  # date remembered from the feed entry
    assert st.mark_fetched(["https://x.com/news/3.html"], "x", 503, None) == []  # not definitive
    st.mark_start("https://x.com/rss", "x", '"e1"', None)
    s = Storage(db)  # the crawl stores these rows with the article or error row they belong to
    s.save_fetched(rows)
    s.close()
    st.save(str(db))
    st = CrawlState.load(str(db))
    assert not st.wants(a, "x") and not st.wants(b, "x")
    assert st.wants("https://x.com/news/3.html", "x")
    assert not st.wants(a, "x", "Tue, 17 Nov 2026")  # first date for a known URL: recorded only
    assert not st.wants(b, "x", "Mon, 16 Nov 2026")  # same date
    assert st.wants(b, "x", "Wed, 18 Nov 2026")  # the feed says it changed
    assert st.request_headers("https://x.com/rss") == {"If-None-Match": '"e1"'}
    st.save(str(db))
    st = CrawlState.load(str(db), refresh=True)
    assert st.wants(a, "x") and st.request_headers("https://x.com/rss") == {}
    assert CrawlState.load(str(db)).known[a] == "Tue, 17 Nov 2026"
    c = sqlite3.connect(db)
    assert c.execute("select count(*) from fetched_urls").fetchone()[0] == 3
    c.close()


def test_migrations_run_twice_are_a_no_op(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    Storage(db).close()
    Storage(db).close()
    c = sqlite3.connect(db)
    cols = {r[1] for r in c.execute("pragma table_info(crawl_runs)")}
    tables = {r[0] for r in c.execute("select name from sqlite_master where type = 'table'")}
    c.close()
    assert {"robots_requests", "not_modified", "skipped_known", "challenges"} <= cols
    assert {"fetched_urls", "start_validators", "crawl_run_sources"} <= tables


# health ------------------------------------------------------------------------------------
def _row(run_id: int, source: str, day: int, **kw: int) -> dict:
    base = {"run_id": run_id, "source": source, "started_at": f"2026-11-{day:02d}T06:00:00+00:00",
            "requests": 10, "links_found": 5, "not_modified": 0, "errors": 0, "fallbacks": 0,
            "articles_parsed": 4, "challenges": 0}
    return {**base, **kw}


def test_assess_flags_by_threshold() -> None:
    now = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)
    rows = [
        _row(1, "good", 18), _row(2, "good", 19, links_found=0, not_modified=1), _row(3, "good", 20, links_found=0, not_modified=2),
        _row(1, "empty", 18), _row(2, "empty", 19, links_found=0), _row(3, "empty", 20, links_found=0),
        _row(1, "errs", 18, errors=6), _row(2, "errs", 19, errors=6),
        _row(3, "fallbk", 20, fallbacks=3),
        _row(1, "old", 1), _row(2, "old", 20, links_found=0),
        _row(3, "walled", 20, challenges=1),
    ]
    report = {h.source: h for h in assess(rows, {"good": 3}, now)}
    assert report["good"].healthy and report["good"].new_7d == 3 and report["good"].empty_runs == 0
    assert report["empty"].empty_runs == 2 and not report["empty"].healthy
    assert report["errs"].error_rate == 0.6 and not report["errs"].healthy
    assert report["fallbk"].fallback_rate == 0.75 and not report["fallbk"].healthy
    assert any("no successful run for 19 days" in p for p in report["old"].problems)
    assert report["walled"].problems == ["1 bot-challenge pages in the last run"]
    lenient = {h.source: h for h in assess(rows, {}, now - timedelta(days=0), Thresholds(
        max_empty_runs=3, max_error_rate=0.7, max_fallback_rate=0.8, max_days_without_success=30,
        max_challenges=1))}
    assert all(h.healthy for h in lenient.values())


# lock and log -------------------------------------------------------------------------------
def test_run_lock_in_process(tmp_path: Path) -> None:
    with RunLock(tmp_path) as lock:
        assert (tmp_path / "lednews.lock").read_text().startswith(f"{os.getpid()} ")
        assert lock.stale_pid is None
        with pytest.raises(LockHeld) as held:  # a second holder (own open file) is refused
            RunLock(tmp_path).acquire()
        assert held.value.pid == os.getpid() and f"PID {os.getpid()}" in str(held.value)
    assert (tmp_path / "lednews.lock").read_text() == ""
    with RunLock(tmp_path) as again:  # a released lock is not stale
        assert again.stale_pid is None


def test_log_file_rotates(tmp_path: Path) -> None:
    path = setup_logging(tmp_path, verbose=False, max_bytes=2000, backups=2)
    try:
        log = logging.getLogger("lednews.test")
        for i in range(100):
            log.info("line %d of a rotating log file for cron runs", i)
    finally:
        setup_logging(tmp_path, verbose=False)  # replace the small handlers
        for h in list(logging.root.handlers):
            if getattr(h, "baseFilename", "").startswith(str(tmp_path)):
                logging.root.removeHandler(h)
                h.close()
    assert path.name == LOG_NAME
    assert sorted(p.name for p in tmp_path.iterdir()) == [LOG_NAME, LOG_NAME + ".1", LOG_NAME + ".2"]
    assert all(p.stat().st_size <= 2000 for p in tmp_path.iterdir())
    assert "line 99 " in path.read_text()


def test_scrapy_crawl_takes_the_contact_url_from_a_setting(tmp_path: Path) -> None:
    """`scrapy crawl SITE -s AGGREGATOR_CONTACT_URL=...` (no lednews CLI) names it too."""
    from scrapy.settings import Settings

    from spiders.csa import Spider

    settings = Settings()
    settings.setmodule("aggregator.settings", priority="project")
    settings.set("AGGREGATOR_CONTACT_URL", "https://ops.example.org/", priority="cmdline")
    Spider.update_settings(settings)
    assert settings["USER_AGENT"].startswith("lednews/") and settings["USER_AGENT"].endswith("(+https://ops.example.org/)")
