"""``lednews add-source`` and ``lednews sources check`` against the discovery mirror."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from support import ROOT, run_cli

from aggregator.profiles import load_sources

sys.path.insert(0, str(ROOT / "tests" / "discovery"))
from score import expected  # noqa: E402

MIRROR = ROOT / "tests" / "discovery-sites"
SOURCES = ROOT / "tests" / "discovery" / "sources.toml"
FAMILIES = {  # home -> (name, expected articles' source in tests/discovery-expected)
    "https://www.solaris-led.example/": ("wp", "solaris"),
    "https://www.ledb2b-china.example/": ("gbk-portal", "ledb2b"),
    "https://www.ruiguang-led.example/": ("metinfo", "ruiguang"),
}


def test_add_source_report_block_and_crawl(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    reports = {}
    for home, (name, _) in FAMILIES.items():
        proc = run_cli("add-source", home, "--name", name, "--mirror", str(MIRROR), "--sources", str(sources))
        assert proc.returncode == 0, proc.stderr[-2000:]
        reports[name] = proc.stdout
        assert f"appended to {sources}" in proc.stdout
    assert "feeds: https://www.solaris-led.example/feed/" in reports["wp"]
    assert "sitemap https://www.solaris-led.example/wp-sitemap-posts-post-1.xml: 8 URL(s)" in reports["wp"]
    assert "product page: https://www.ledb2b-china.example/sell/show-8800.html" in reports["gbk-portal"]
    assert "language version en: https://www.ruiguang-led.example/index.php?lang=en" in reports["metinfo"]
    for out in reports.values():
        assert "sample articles (" in out and "sample articles (0)" not in out
        assert "  2024-" in out  # sample dates
    profiles = {p.key: p for p in load_sources(sources)}
    assert set(profiles) == {"wp", "gbk-portal", "metinfo"}
    assert all(p.discover and p.start and p.article_pattern for p in profiles.values())

    db = tmp_path / "news.db"
    args = ["crawl", "--mirror", str(MIRROR), "--sources", str(sources), "--db", str(db)]
    for name, _ in FAMILIES.values():
        args += ["--site", name]
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr[-2000:]
    conn = sqlite3.connect(db)
    stored = dict(conn.execute("select source, count(*) from articles group by source").fetchall())
    urls = {r[0] for r in conn.execute("select url from articles")}
    conn.close()
    exp = expected()
    for name, src in FAMILIES.values():
        want = {e["url"] for e in exp if e["source"] == src}
        assert stored[name] == len(want) and want <= urls, name


def test_add_source_refuses_a_taken_name(tmp_path: Path) -> None:
    proc = run_cli("add-source", "https://www.solaris-led.example/", "--name", "ofweek", "--mirror", str(MIRROR),
                       "--sources", str(tmp_path / "s.toml"))
    assert proc.returncode == 2 and "already used" in proc.stderr
    assert not (tmp_path / "s.toml").exists()


def test_sources_check_every_family() -> None:
    proc = run_cli("sources", "check", "--sources", str(SOURCES), "--mirror", str(MIRROR))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert proc.stdout.count("  result: OK") == 12


def _site(root: Path) -> None:
    """A home that redirects (http://acme.example/ -> https://www.acme.example/), news
    behind a menu label, no robots.txt; and a site that shows no news at all."""
    (root / "acme.example").mkdir(parents=True)
    (root / "acme.example" / "index.html").write_text("", "utf-8")
    (root / "acme.example" / "index.html.headers").write_text(
        "HTTP/1.1 301 Moved Permanently\nLocation: https://www.acme.example/\n", "utf-8")
    www = root / "www.acme.example"
    (www / "news").mkdir(parents=True)
    nav = '<nav><a href="/">Home</a> <a href="/news/">Latest News</a></nav>'
    (www / "index.html").write_text(f"<html><body>{nav}<p>Acme makes LED drivers.</p></body></html>", "utf-8")
    items = "".join(f'<li><a href="/news/{n}.html">Acme driver line number {n} reaches new efficiency record</a></li>'
                    for n in (1, 2, 3))
    (www / "news" / "index.html").write_text(f"<html><body>{nav}<ul>{items}</ul></body></html>", "utf-8")
    for n in (1, 2, 3):
        body = " ".join(f"Acme said its driver line {n} passed test {k} with an efficiency of 9{k}.{n} percent." for k in range(8))
        (www / "news" / f"{n}.html").write_text(
            f"<html><body>{nav}<h1>Acme driver line number {n} reaches new efficiency record</h1>"
            f"<p>Date: Nov {10 + n}, 2024</p><p>{body}</p></body></html>", "utf-8")
    (root / "www.empty.example").mkdir()
    (root / "www.empty.example" / "index.html").write_text("<html><body><p>Coming soon.</p></body></html>", "utf-8")


def test_add_source_follows_redirects_and_reports_nothing_found(tmp_path: Path) -> None:
    mirror = tmp_path / "sites"
    _site(mirror)
    sources = tmp_path / "s.toml"
    proc = run_cli("add-source", "http://acme.example/", "--name", "acme", "--mirror", str(mirror),
                       "--sources", str(sources))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "news listings: https://www.acme.example/news/" in proc.stdout
    assert "2024-11-13  Acme driver line number 3" in proc.stdout
    proc = run_cli("add-source", "https://www.empty.example/", "--name", "empty", "--mirror", str(mirror),
                       "--sources", str(sources))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "no feed, sitemap or news listing found" in proc.stdout
    assert "trying the usual feed paths" in proc.stdout
    (empty,) = [p for p in load_sources(sources) if p.key == "empty"]
    assert empty.discover and empty.start == ()

    # a source whose discovery found nothing probes again on the next crawl
    db = tmp_path / "n.db"
    for _ in range(2):
        proc = run_cli("crawl", "--mirror", str(mirror), "--sources", str(sources), "--db", str(db),
                           "--site", "empty", "--site", "acme")
        assert proc.returncode == 0, proc.stderr[-2000:]
    conn = sqlite3.connect(db)
    run = conn.execute("select max(id) from crawl_runs").fetchone()[0]
    req = dict(conn.execute("select source, requests from crawl_run_sources where run_id = ?", [run]).fetchall())
    assert conn.execute("select count(*) from articles where source = 'acme'").fetchone()[0] == 3
    conn.close()
    assert req["empty"] >= 1  # the home page again
    assert req["acme"] == 1  # the listing only: its block has start points
