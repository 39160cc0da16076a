"""Incremental crawling on the mirror: a re-run fetches start points only, conditional
requests come back 304, changed articles are picked up from their feed entry or with
--refresh, pagination stops at the first listing page without unseen articles."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from spiders import site_profiles
from aggregator.profiles import load_sources
from support import SITES, USER_SOURCES, crawl

LEDINSIDE_ARTICLE = "news/2026/11/2026_11_18_01"
LEDINSIDE_URL = "https://www.ledinside.com/" + LEDINSIDE_ARTICLE


def _mirror(tmp_path: Path, *hosts: str) -> Path:
    """A private copy of some mirror hosts that a test may edit."""
    root = tmp_path / "sites"
    for h in hosts:
        shutil.copytree(SITES / h, root / h)
    return root


def _crawl(mirror: Path, db: Path, *args: str) -> dict:
    """``lednews crawl`` in this process (support.crawl); its crawl_runs row."""
    done = crawl("--mirror", str(mirror), "--db", str(db), *args)
    assert done.ok, done.log[-3000:]
    c = sqlite3.connect(db)
    c.row_factory = sqlite3.Row
    try:
        last = c.execute("select * from crawl_runs order by id desc limit 1").fetchone()
    finally:
        c.close()
    assert last["id"] == done["id"]
    return dict(last)


def _source_rows(db: Path, run_id: int) -> dict[str, sqlite3.Row]:
    c = sqlite3.connect(db)
    c.row_factory = sqlite3.Row
    try:
        return {r["source"]: r for r in c.execute("select * from crawl_run_sources where run_id = ?", [run_id])}
    finally:
        c.close()


def _query(db: Path, sql: str, *params: object) -> list[tuple]:
    c = sqlite3.connect(db)
    try:
        return c.execute(sql, params).fetchall()
    finally:
        c.close()


def test_second_crawl_of_unchanged_mirror_fetches_only_start_points(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    shutil.copy(demo_db, db)
    articles_before = _query(db, "select id, version, content_hash from articles order by id")
    run = _crawl(SITES, db, "--sources", str(USER_SOURCES))
    profiles = site_profiles() + load_sources(USER_SOURCES)
    n_start = sum(len(p.start) for p in profiles)
    # crawl_runs counts every request; robots.txt fetches are counted apart
    assert run["requests"] - run["robots_requests"] == n_start == 22
    assert run["new_articles"] == run["updated_articles"] == run["unchanged_articles"] == 0
    assert run["skipped_known"] > 0
    rows = _source_rows(db, run["id"])
    assert {k: r["requests"] for k, r in rows.items()} == {p.key: len(p.start) for p in profiles}
    assert _query(db, "select id, version, content_hash from articles order by id") == articles_before
    # the sidecar validators of ledinside's feed (ETag) and ofweek's listing (Last-Modified)
    assert rows["ledinside"]["not_modified"] == 1 and rows["ofweek"]["not_modified"] == 1
    assert run["not_modified"] == 2
    assert _query(db, "select url, etag, last_modified from start_validators order by url") == [
        ("https://lights.ofweek.com/CATList-220008-8100-lights.html", None, "Wed, 18 Nov 2026 03:00:00 GMT"),
        ("https://www.ledinside.com/rss.xml", '"ledinside-rss-20261118-1022"', None),
    ]


def _edit_article(mirror: Path) -> None:
    page = mirror / "www.ledinside.com" / LEDINSIDE_ARTICLE
    html = page.read_text("utf-8")
    assert "initial monthly capacity of 1.2 million modules" in html
    page.write_text(html.replace("initial monthly capacity of 1.2 million modules",
                                 "initial monthly capacity of 1.5 million modules"), "utf-8")


def test_changed_article_is_picked_up_from_its_feed_entry(tmp_path: Path) -> None:
    mirror = _mirror(tmp_path, "www.ledinside.com")
    db = tmp_path / "news.db"
    first = _crawl(mirror, db, "--site", "ledinside")
    assert first["new_articles"] >= 4
    _edit_article(mirror)
    # the page changed but nothing says so: not fetched, nothing updated
    run = _crawl(mirror, db, "--site", "ledinside")
    assert run["updated_articles"] == 0 and run["requests"] - run["robots_requests"] == 2
    # the feed now dates the entry anew (and the server's ETag changes with the feed)
    feed = mirror / "www.ledinside.com" / "rss.xml"
    feed.write_text(feed.read_text("utf-8").replace(
        "<pubDate>Wed, 18 Nov 2026 10:22:00 +0800</pubDate>",
        "<pubDate>Thu, 19 Nov 2026 08:00:00 +0800</pubDate>", 1), "utf-8")
    side = feed.with_name("rss.xml.headers")
    side.write_text(side.read_text("utf-8").replace("20261118-1022", "20261119-0800"), "utf-8")
    run = _crawl(mirror, db, "--site", "ledinside")
    assert run["updated_articles"] == 1 and run["new_articles"] == 0
    assert run["requests"] - run["robots_requests"] == 3  # feed, listing, the changed article
    aid = _query(db, "select id, version, text from articles where url = ?", LEDINSIDE_URL)[0]
    assert aid[1] == 2 and "1.5 million modules" in aid[2]
    old = _query(db, "select version, text from article_versions where article_id = ?", aid[0])
    assert len(old) == 1 and old[0][0] == 1 and "1.2 million modules" in old[0][1]
    # and the new feed date is remembered: the next run fetches start points only
    run = _crawl(mirror, db, "--site", "ledinside")
    assert run["requests"] - run["robots_requests"] == 2 and run["updated_articles"] == 0


def test_changed_article_is_picked_up_with_refresh(tmp_path: Path) -> None:
    mirror = _mirror(tmp_path, "www.ledinside.com")
    db = tmp_path / "news.db"
    first = _crawl(mirror, db, "--site", "ledinside")
    _edit_article(mirror)
    run = _crawl(mirror, db, "--site", "ledinside", "--refresh")
    assert run["updated_articles"] == 1 and run["new_articles"] == 0
    assert run["unchanged_articles"] == first["new_articles"] - 1
    assert run["not_modified"] == 0  # --refresh sends no validators
    assert _query(db, "select version from articles where url = ?", LEDINSIDE_URL) == [(2,)]


GTR = "www.gtrcomputer.com"


def test_pagination_stops_at_a_page_without_unseen_articles(tmp_path: Path) -> None:
    mirror = _mirror(tmp_path, GTR)
    db = tmp_path / "news.db"
    args = ("--sources", str(USER_SOURCES), "--site", "gtrcomputer")
    first = _crawl(mirror, db, *args)
    assert first["new_articles"] == 3  # 2 on page 1, 1 on page 2
    assert first["requests"] - first["robots_requests"] == 5
    run = _crawl(mirror, db, *args)
    assert run["requests"] - run["robots_requests"] == 1  # page 1 only: nothing unseen on it
    # a new article on page 1: it is fetched, and page 2 is looked at again
    src = mirror / GTR / "info-cob-packaging-technology-becomes-the-new-hot-spot-58752.html"
    new = mirror / GTR / "info-mini-led-backlight-orders-climb-for-2027-58770.html"
    new.write_text(src.read_text("utf-8")
                   .replace("COB packaging technology becomes the new hot spot of LED lighting",
                            "Mini LED backlight orders climb for 2027 television models")
                   .replace("In recent years", "This spring"), "utf-8")
    listing = mirror / GTR / "news.html"
    listing.write_text(listing.read_text("utf-8").replace(
        '<ul class="news-list">',
        '<ul class="news-list">\n    <li><h3><a href="/info-mini-led-backlight-orders-climb-for-2027-58770.html">'
        'Mini LED backlight orders climb for 2027 television models</a></h3></li>', 1), "utf-8")
    run = _crawl(mirror, db, *args)
    assert run["new_articles"] == 1
    assert run["requests"] - run["robots_requests"] == 3  # page 1, the new article, page 2


def test_sitemap_lastmod_decides_refetch(tmp_path: Path) -> None:
    mirror = _mirror(tmp_path, GTR)
    articles = sorted(p.name for p in (mirror / GTR).glob("info-*.html"))
    sitemap = mirror / GTR / "sitemap.xml"

    def write(lastmods: list[str]) -> None:
        locs = "".join(f"<url><loc>https://{GTR}/{a}</loc><lastmod>\n  {m}\n</lastmod></url>"
                       for a, m in zip(articles, lastmods))
        sitemap.write_text(f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                           f'sitemap/0.9">{locs}</urlset>', "utf-8")

    write(["2020-03-04"] * 3)
    toml = tmp_path / "s.toml"
    toml.write_text(f'[[source]]\nname = "gtr"\nsitemaps = ["https://{GTR}/sitemap.xml"]\nlang = "en"\n')
    db = tmp_path / "news.db"
    args = ("--sources", str(toml), "--site", "gtr")
    assert _crawl(mirror, db, *args)["new_articles"] == 3
    run = _crawl(mirror, db, *args)
    assert run["requests"] - run["robots_requests"] == 1 and run["skipped_known"] == 3
    write(["2020-03-04", "2020-03-05", "2020-03-04"])  # one entry says it changed
    run = _crawl(mirror, db, *args)
    assert run["requests"] - run["robots_requests"] == 2
    assert run["unchanged_articles"] == 1  # fetched again; its text had not changed after all
