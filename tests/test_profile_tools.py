"""Keeping profiles healthy: `lednews check-profiles` over the mirror, `lednews record`
of live pages (a local server) into a mirror that then crawls offline."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from livesite import LiveSite, news_site, sources_toml
from spiders import SITE_MODULES
from support import SITES, USER_SOURCES, run_cli


def test_check_profiles_on_the_bundled_mirror() -> None:
    out = run_cli("check-profiles", "--mirror", str(SITES), "--sources", str(USER_SOURCES))
    assert out.returncode == 0, out.stdout + out.stderr
    rows = {ln.split()[0]: ln for ln in out.stdout.splitlines() if not ln.startswith(" ")}
    assert set(SITE_MODULES) | {"gtrcomputer", "totelelectrical"} == set(rows)
    assert "title 4/4, body 4/4, date 4/4, author 2/4, links 1/1, next_page 1/1" in rows["ofweek"]
    assert "body 3/4" in rows["led_professional"]  # the one page that falls back (and is tested to)
    assert "no selectors" in rows["gtrcomputer"]


def test_check_profiles_reports_a_dead_selector(tmp_path: Path) -> None:
    mirror = tmp_path / "sites"
    shutil.copytree(SITES / "lights.ofweek.com", mirror / "lights.ofweek.com")
    pages = list((mirror / "lights.ofweek.com" / "2026-11").glob("ART-*.html"))
    assert len(pages) == 4
    for p in pages:  # the site renames its article container
        data = p.read_bytes()
        assert b'id="articleC"' in data
        p.write_bytes(data.replace(b'id="articleC"', b'id="article-body"'))
    out = run_cli("check-profiles", "--mirror", str(mirror), "--site", "ofweek")
    assert out.returncode == 1
    assert "body 0/4" in out.stdout and "title 4/4" in out.stdout
    assert out.stdout.count("miss body: https://lights.ofweek.com/2026-11/ART-") == 3
    assert "miss body: ... 1 more" in out.stdout
    assert out.stderr.strip() == "lednews: ofweek: dead selectors: body"
    empty = run_cli("check-profiles", "--mirror", str(mirror), "--site", "csa")
    assert empty.returncode == 1 and "csa: no pages in" in empty.stderr


def test_record_saves_pages_with_headers_and_drafts_expected_json(tmp_path: Path) -> None:
    pages = news_site(2)
    pages["/robots.txt"] = b"User-agent: *\nDisallow: /private/\n"
    pages["/private/plan.html"] = b"<html>secret</html>"
    site = LiveSite(pages, headers={"/news/acme-cob-module-line-1.html": {
        "ETag": '"a1"', "Last-Modified": "Sun, 01 Nov 2026 02:00:00 GMT", "X-Powered-By": "PHP"}})
    base = site.start()
    toml = tmp_path / "sources.toml"
    toml.write_text(sources_toml(base))
    mirror, expected = tmp_path / "sites", tmp_path / "expected"
    try:
        out = run_cli("record", f"{base}/news/", f"{base}/news/acme-cob-module-line-1.html",
                          f"{base}/private/plan.html", "https://elsewhere.example/x.html",
                          "--site", "acme", "--sources", str(toml), "--mirror", str(mirror),
                          "--expected", str(expected), "--contact", "https://ops.example.org/")
    finally:
        site.stop()
    assert out.returncode == 1  # two URLs were not saved
    assert "private/plan.html: not saved: disallowed by robots.txt" in out.stderr
    assert "x.html: not saved: not a acme URL" in out.stderr
    assert "/private/" not in [h.path for h in site.hits]
    assert all("+https://ops.example.org/" in h.user_agent for h in site.hits)
    host = mirror / "127.0.0.1"
    art = host / "news" / "acme-cob-module-line-1.html"
    assert (host / "news" / "index.html").read_bytes() == pages["/news/"]
    assert art.read_bytes() == pages["/news/acme-cob-module-line-1.html"]
    side = art.with_name(art.name + ".headers").read_text().splitlines()
    assert side[0] == "HTTP/1.1 200 OK"
    assert {'ETag: "a1"', "Last-Modified: Sun, 01 Nov 2026 02:00:00 GMT",
            "Content-Type: text/html; charset=utf-8"} <= set(side)
    assert not any(ln.startswith("X-Powered-By") for ln in side)
    draft = json.loads((expected / "acme" / "acme-cob-module-line-1.json.draft").read_text("utf-8"))
    assert draft["title"] == "Acme expands COB line, phase 1" and draft["published"] == "2026-11-01"
    assert draft["lang"] == "en" and any("US$12 million" in p for p in draft["paragraphs"])
    assert not list((expected / "acme").glob("index*"))  # the listing gets no draft
    # the recorded pages crawl offline, and the stored article is what the draft says
    db = tmp_path / "news.db"
    crawl = run_cli("crawl", "--mirror", str(mirror), "--sources", str(toml), "--site", "acme", "--db", str(db))
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    c = sqlite3.connect(db)
    rows = c.execute("select url, title, text from articles").fetchall()
    c.close()
    assert len(rows) == 1 and rows[0][1] == draft["title"] and rows[0][2].split("\n") == draft["paragraphs"]
