"""``lednews add-source`` and ``lednews sources check`` against the discovery mirror."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from support import ROOT, run_lednews

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
        proc = run_lednews("add-source", home, "--name", name, "--mirror", str(MIRROR), "--sources", str(sources))
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
    proc = run_lednews(*args)
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
    proc = run_lednews("add-source", "https://www.solaris-led.example/", "--name", "ofweek", "--mirror", str(MIRROR),
                       "--sources", str(tmp_path / "s.toml"))
    assert proc.returncode == 2 and "already used" in proc.stderr
    assert not (tmp_path / "s.toml").exists()


def test_sources_check_every_family() -> None:
    proc = run_lednews("sources", "check", "--sources", str(SOURCES), "--mirror", str(MIRROR))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert proc.stdout.count("  result: OK") == 12
