"""The command line as users run it: scrapy list/crawl, lednews crawl live and mirror, errors."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from livesite import ARTICLE
from support import ROOT, SITES, run_cli, run_lednews

from spiders import SITE_MODULES


def test_scrapy_list_shows_every_site() -> None:
    out = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    names = set(out.stdout.split())
    assert set(SITE_MODULES) | {"lednews"} <= names


def test_scrapy_crawl_one_site_from_the_mirror(tmp_path: Path) -> None:
    db = tmp_path / "one.db"
    out = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "ofweek", "-s", f"AGGREGATOR_DB={db}",
         "-s", f"AGGREGATOR_MIRROR_DIR={SITES}", "-s", "LOG_LEVEL=WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr[-2000:]
    c = sqlite3.connect(db)
    assert c.execute("select count(*), count(distinct source) from articles").fetchone() == (4, 1)
    c.close()


def test_python_m_aggregator_help() -> None:
    out = run_lednews("--help")
    assert out.returncode == 0
    for cmd in ("crawl", "sites", "summary"):
        assert cmd in out.stdout


def test_sites_lists_profiles() -> None:
    out = run_lednews("sites")
    assert out.returncode == 0
    for key in SITE_MODULES:
        assert key in out.stdout


def test_bad_toml_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "sources.toml"
    bad.write_text('[[source]]\nname = "x"\nstart_urls = ["https://x.com/"]\nspeed = 3\n')
    out = run_lednews("crawl", "--mirror", str(SITES), "--db", str(tmp_path / "n.db"), "--sources", str(bad))
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{bad}:4: field 'speed'" in lines[0]
    assert not (tmp_path / "n.db").exists()


def test_unknown_site_and_unwritable_db(tmp_path: Path) -> None:
    out = run_lednews("crawl", "--site", "nosuchsite", "--db", str(tmp_path / "n.db"))
    assert out.returncode == 2 and "unknown site 'nosuchsite'" in out.stderr
    (tmp_path / "file").write_text("x")
    out = run_lednews("crawl", "--mirror", str(SITES), "--site", "csa", "--db", str(tmp_path / "file" / "n.db"))
    assert out.returncode == 2 and "cannot open database" in out.stderr




@pytest.fixture()
def live_site(tmp_path: Path):
    root = tmp_path / "www"
    (root / "news").mkdir(parents=True)
    (root / "private").mkdir()
    links = "".join(f'<li><a href="/news/acme-cob-module-line-{n}.html">Acme COB module line news number {n}</a></li>'
                    for n in (1, 2, 3))
    links += '<li><a href="/private/acme-secret-plan-9.html">Acme secret plan for next year revealed</a></li>'
    (root / "news" / "index.html").write_text(f"<html><body><ul>{links}</ul></body></html>")
    for n in (1, 2, 3, 9):
        d = "private" if n == 9 else "news"
        name = f"acme-secret-plan-{n}" if n == 9 else f"acme-cob-module-line-{n}"
        (root / d / f"{name}.html").write_text(ARTICLE.format(t=f"Acme expands COB line, phase {n}", n=n))
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_live_crawl_of_a_user_source_over_http(tmp_path: Path, live_site: str) -> None:
    """No --mirror: the real HTTP download path against a local server, robots.txt obeyed."""
    toml = tmp_path / "sources.toml"
    toml.write_text(f'[[source]]\nname = "acme"\nstart_urls = ["{live_site}/news/"]\n'
                    f'lang = "en"\ndownload_delay = 0\ntimezone = "Asia/Shanghai"\n')
    db = tmp_path / "live.db"
    out = run_lednews("crawl", "--sources", str(toml), "--site", "acme", "--db", str(db))
    assert out.returncode == 0, out.stderr[-2000:]
    c = sqlite3.connect(db)
    rows = c.execute("select url, title, published, text from articles order by url").fetchall()
    c.close()
    assert [r[1] for r in rows] == [f"Acme expands COB line, phase {n}" for n in (1, 2, 3)]
    assert [r[2] for r in rows] == ["2026-11-01", "2026-11-02", "2026-11-03"]
    assert all("Copyright" not in r[3] and "Home" not in r[3] for r in rows)
    assert not any("/private/" in r[0] for r in rows)


def test_user_source_from_a_sitemap_and_a_feed(tmp_path: Path) -> None:
    """Sitemap and feed start points of a TOML source, in mirror mode."""
    import shutil

    host = "www.gtrcomputer.com"
    mirror = tmp_path / "sites"
    shutil.copytree(SITES / host, mirror / host)
    articles = sorted(p.name for p in (mirror / host).glob("info-*.html"))
    assert len(articles) >= 3
    locs = "".join(f"<url><loc>https://{host}/{a}</loc><lastmod>2020-03-04</lastmod></url>" for a in articles[:2])
    (mirror / host / "sitemap.xml").write_text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>')
    item = f"<item><title>t</title><link>https://{host}/{articles[2]}?utm_source=rss#top</link></item>"
    (mirror / host / "feed.xml").write_text(f'<?xml version="1.0"?><rss version="2.0"><channel>{item}</channel></rss>')
    toml = tmp_path / "s.toml"
    toml.write_text(f'[[source]]\nname = "gtr"\nsitemaps = ["https://{host}/sitemap.xml"]\n'
                    f'feeds = ["https://{host}/feed.xml"]\nlang = "en"\n')
    db = tmp_path / "n.db"
    out = run_cli("crawl", "--mirror", str(mirror), "--sources", str(toml), "--site", "gtr", "--db", str(db))
    assert out.returncode == 0, out.stderr[-2000:]
    c = sqlite3.connect(db)
    urls = sorted(r[0] for r in c.execute("select canonical_url from articles"))
    c.close()
    assert urls == sorted(f"https://{host}/{a}" for a in articles[:3])
