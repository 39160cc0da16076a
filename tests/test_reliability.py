"""A real crawl of a hostile local site (tests/faultserver.py) through a user-defined source.

One crawl per module; each fault then has its own test on the server's request log and
on the run records (crawl_runs, crawl_errors) the crawl left in SQLite.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
from faultserver import FAILING, GOOD, MAX_PAGES, FaultServer, gzip_bomb, sources_toml
from support import run_lednews

from aggregator.spider import MAX_SITEMAP_DEPTH

TIMEOUT = 3  # DOWNLOAD_TIMEOUT for this crawl (-s), seconds: margin for a loaded CI host
RETRY_TIMES = 2  # Scrapy's default, unchanged in aggregator/settings.py
REDIRECT_MAX_TIMES = 20  # Scrapy's default
# Failures before any valid answer: on a reused keep-alive connection Twisted re-sends once
# by itself, so the server may see up to twice Scrapy's attempts.
RESENT = ("connection-reset", "garbage-status-line")


@pytest.fixture(scope="module")
def fault_crawl(tmp_path_factory: pytest.TempPathFactory):
    gzip_bomb()  # build it before the crawl starts
    tmp = tmp_path_factory.mktemp("faults")
    db = tmp / "news.db"
    with FaultServer(hang_seconds=3 * TIMEOUT) as srv:
        toml = tmp / "sources.toml"
        toml.write_text(sources_toml(srv.base, starts=("/news/", "/calendar/2026-11/"),
                                     sitemaps=("/sitemap-1.xml",)))
        out = run_lednews("crawl", "--sources", str(toml), "--site", "faulty", "--db", str(db),
                          "-s", f"DOWNLOAD_TIMEOUT={TIMEOUT}", "-s", "AUTOTHROTTLE_ENABLED=False",
                          timeout=180)
    c = sqlite3.connect(db)
    c.row_factory = sqlite3.Row
    yield {"out": out, "srv": srv, "db": c, "base": srv.base}
    c.close()


def _errors_for(c: sqlite3.Connection, url: str) -> list[sqlite3.Row]:
    return c.execute("select * from crawl_errors where url = ?", [url]).fetchall()


def test_crawl_finishes_with_exit_0_and_no_crash(fault_crawl) -> None:
    out = fault_crawl["out"]
    assert out.returncode == 0, out.stderr[-3000:]
    assert "Traceback" not in out.stderr and "Spider error" not in out.stderr
    run = fault_crawl["db"].execute("select * from crawl_runs").fetchall()
    assert len(run) == 1 and run[0]["finish_reason"] == "finished" and run[0]["finished_at"]


@pytest.mark.parametrize("slug", sorted(FAILING))
def test_every_failure_is_recorded_with_reason_and_count(fault_crawl, slug: str) -> None:
    c, base = fault_crawl["db"], fault_crawl["base"]
    rows = _errors_for(c, f"{base}/a/{slug}.html")
    if slug.startswith("endless-redirects"):  # recorded at the URL where Scrapy gave up
        rows = c.execute("select * from crawl_errors where url like ?", [f"{base}/a/endless-redirects-%"]).fetchall()
    assert len(rows) == 1, [dict(r) for r in c.execute("select url, reason from crawl_errors")]
    row = rows[0]
    assert re.search(FAILING[slug], row["reason"], re.I), row["reason"]
    assert "\n" not in row["reason"] and len(row["reason"]) <= 200 and row["source"] == "faulty"
    retried = slug in ("never-answers", "truncated-body", "always-503", *RESENT)
    assert row["attempts"] == (RETRY_TIMES + 1 if retried else 1)
    hits = fault_crawl["srv"].hits[f"/a/{slug}.html"]
    if slug in RESENT:
        assert row["attempts"] <= hits <= 2 * row["attempts"]
    else:
        assert hits == (0 if slug == "robots-disallowed" else row["attempts"])


def test_run_record_counts_match_error_rows(fault_crawl) -> None:
    c = fault_crawl["db"]
    run = c.execute("select * from crawl_runs").fetchone()
    n = c.execute("select count(*) from crawl_errors where run_id = ?", [run["id"]]).fetchone()[0]
    assert run["errors"] == n >= len(FAILING)
    assert run["new_articles"] == len(GOOD)


@pytest.mark.parametrize("slug", [s for s, _ in GOOD])
def test_good_pages_are_stored_exactly_once(fault_crawl, slug: str) -> None:
    c, base = fault_crawl["db"], fault_crawl["base"]
    rows = c.execute("select * from articles where canonical_url like ?", [f"%/a/{slug}.html"]).fetchall()
    assert len(rows) == 1
    assert rows[0]["url"] == f"{base}/a/{slug}.html"
    assert not _errors_for(c, f"{base}/a/{slug}.html")


def test_no_half_written_rows(fault_crawl) -> None:
    c = fault_crawl["db"]
    assert c.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert c.execute("select count(*) from articles").fetchone()[0] == len(GOOD)
    bad = c.execute("""select id from articles where title = '' or text = '' or content_hash = ''
                       or canonical_url is null or fetched_at is null or first_seen is null
                       or story_id is null or version is null""").fetchall()
    assert bad == []
    assert c.execute("select count(*) from articles where story_id not in (select id from stories)").fetchone()[0] == 0


def test_retried_5xx_and_429_then_stored(fault_crawl) -> None:
    srv = fault_crawl["srv"]
    assert srv.hits["/a/flaky-503-article.html"] == 3  # 503, 503, 200
    assert srv.hits["/a/flaky-500-article.html"] == 2  # 500, 200
    assert srv.hits["/a/rate-limited-article.html"] == 2  # 429, 200
    first, second = srv.times["/a/rate-limited-article.html"]
    assert second - first >= 1.0  # Retry-After: 1 honoured


def test_tracking_parameters_and_fragments_fetch_and_store_once(fault_crawl) -> None:
    srv, c = fault_crawl["srv"], fault_crawl["db"]
    assert srv.hits["/a/good-cob-line-1.html"] == 1
    assert not [p for p in srv.hits if "utm_" in p or "fbclid" in p]
    assert c.execute("select count(*) from articles where url like '%good-cob-line-1%'").fetchone()[0] == 1


def test_traps_are_bounded_by_documented_limits(fault_crawl) -> None:
    hits = fault_crawl["srv"].hits
    # max_pages bounds a listing; incremental crawling may stop it sooner (a page that
    # brings no unseen article ends the pagination), never later
    for prefix in ("/calendar/", "/news/"):
        assert 2 <= sum(v for p, v in hits.items() if p.startswith(prefix)) <= MAX_PAGES
    assert sum(v for p, v in hits.items() if p.startswith("/sitemap-")) == MAX_SITEMAP_DEPTH + 1
    assert sum(v for p, v in hits.items() if p.startswith("/a/alternate-chain-")) == 2  # one hop
    assert sum(v for p, v in hits.items() if p.startswith("/a/endless-redirects-")) == REDIRECT_MAX_TIMES + 1
    assert hits["/a/redirect-loop-a.html"] == 1 and hits["/a/redirect-loop-b.html"] == 1
    c, base = fault_crawl["db"], fault_crawl["base"]
    sm = _errors_for(c, f"{base}/sitemap-{MAX_SITEMAP_DEPTH + 2}.xml")
    assert len(sm) == 1 and "sitemap nested deeper" in sm[0]["reason"]


def test_wrong_charset_label_is_decoded_by_trial(fault_crawl) -> None:
    row = fault_crawl["db"].execute("select * from articles where url like '%wrong-charset-header%'").fetchone()
    assert "厦门某照明企业表示" in row["text"] and "\ufffd" not in row["text"] + row["title"]
    assert row["lang"] == "zh-Hans"


def test_malformed_html_still_yields_the_body(fault_crawl) -> None:
    row = fault_crawl["db"].execute("select * from articles where url like '%malformed-html%'").fetchone()
    text = " ".join(row["text"].split())
    assert "Mini LED backlight units" in text and "second phase with micro LED" in text
    assert "Copyright" not in text


def test_stored_text_from_xss_fixture_is_plain_text(fault_crawl) -> None:
    row = fault_crawl["db"].execute("select * from articles where url like '%xss-payload%'").fetchone()
    stored = row["title"] + "\n" + row["text"] + "\n" + (row["author"] or "")
    assert "UV-C LED module" in row["text"] and "US$15 million" in row["text"]
    for bad in ("<", ">", "alert(", "javascript:", "onerror", "onload", "xss-", "data:text"):
        assert bad not in stored, bad


def test_binary_and_oversized_bodies_are_not_stored(fault_crawl) -> None:
    c = fault_crawl["db"]
    for slug in ("annual-report-pdf", "factory-photo-png", "twenty-megabytes", "gzip-bomb", "truncated-body"):
        assert c.execute("select count(*) from articles where url like ?", [f"%{slug}%"]).fetchone()[0] == 0
    assert c.execute("select max(length(text)) from articles").fetchone()[0] < 10_000


def test_retries_that_succeeded_are_counted_in_the_run_stats(fault_crawl) -> None:
    import json

    stats = json.loads(fault_crawl["db"].execute("select stats from crawl_runs").fetchone()[0])
    hits = fault_crawl["srv"].hits
    # every request beyond the first for a URL is a retry: flaky pages and the given-up ones
    retried = sum(n - 1 for p, n in hits.items()
                  if p.startswith("/a/") and n > 1 and not any(r in p for r in RESENT))
    retried += RETRY_TIMES * len(RESENT)  # Scrapy's own retries (Twisted may add more, see RESENT)
    assert stats["retry/count"] == retried >= 2 + 1 + 1 + 5 * RETRY_TIMES
    assert stats["lednews/retry_after_waits"] == 1


def test_every_recorded_reason_is_documented(fault_crawl) -> None:
    """docs/reliability.md cannot drift from what the crawler records."""
    from support import ROOT

    def norm(s: str) -> str:
        return re.sub(r"\d+(\.\d+)?", "N", s)

    doc = norm((ROOT / "docs" / "reliability.md").read_text("utf-8"))
    reasons = {r[0] for r in fault_crawl["db"].execute("select distinct reason from crawl_errors")}
    assert len(reasons) >= 12
    assert sorted(r for r in reasons if norm(r)[:30] not in doc) == []


def test_retry_after_values() -> None:
    from datetime import datetime, timezone

    from aggregator.politeness import retry_after_seconds

    now = datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc).timestamp()
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Wed, 25 Nov 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Wed, 25 Nov 2026 11:00:00 GMT", now) == 0.0  # in the past
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None
