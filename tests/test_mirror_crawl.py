"""End to end: the bundled mirror crawled through Scrapy into a real SQLite file."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from itertools import combinations
from pathlib import Path

import pytest
from support import EXPECTED, ROOT, SITES, USER_SOURCES, expected_articles, run_cli

from aggregator.dedup.urls import canonicalize_url
from spiders import SITE_MODULES, site_profiles

EXPECTED_ARTICLES = expected_articles()
BOILERPLATE = [ln.strip() for ln in (ROOT / "tests/fixtures/boilerplate.txt").read_text("utf-8").splitlines()
               if ln.strip() and not ln.startswith("#")]


def _row(conn: sqlite3.Connection, url: str) -> sqlite3.Row:
    row = conn.execute("select * from articles where canonical_url = ?", [canonicalize_url(url)]).fetchone()
    assert row is not None, f"not stored: {url}"
    return row


def test_every_profile_has_articles(conn: sqlite3.Connection) -> None:
    counts = dict(conn.execute("select source, count(*) from articles group by source").fetchall())
    for p in site_profiles():
        assert counts.get(p.key, 0) >= 3, f"{p.key}: {counts.get(p.key, 0)} articles"
    assert len(SITE_MODULES) >= 11
    assert sum(counts.values()) >= 40


def test_mirror_has_expected_json_for_every_site() -> None:
    sites = {p.parent.name for p in EXPECTED.glob("*/*.json")}
    assert set(SITE_MODULES) <= sites


@pytest.mark.parametrize("exp", EXPECTED_ARTICLES, ids=[e["_file"] for e in EXPECTED_ARTICLES])
def test_article_matches_expected(conn: sqlite3.Connection, exp: dict) -> None:
    row = _row(conn, exp["url"])
    assert row["title"] == exp["title"]
    assert (row["published"] or "")[:10] == (exp["published"] or ""), row["date_method"]
    assert (row["republished"] or "")[:10] == (exp.get("republished") or "")
    assert row["lang"] == exp["lang"]
    if exp.get("author"):
        assert row["author"] == exp["author"]
    assert row["text"].split("\n") == exp["paragraphs"]


def test_no_boilerplate_in_stored_text(conn: sqlite3.Connection) -> None:
    assert len(BOILERPLATE) >= 30
    leaks = [(r["url"], b) for r in conn.execute("select url, text from articles")
             for b in BOILERPLATE if b in r["text"]]
    assert leaks == []


def test_boilerplate_fixture_strings_occur_in_the_mirror() -> None:
    """Each fixture string is really present in the rendered text of some mirror page,
    so the test above proves removal rather than absence."""
    from aggregator.extract.encoding import decode_html
    from aggregator.html import block_lines, parse_html

    texts = []
    for p in SITES.rglob("*"):
        if p.is_file() and not p.name.endswith(".headers"):
            text, _ = decode_html(p.read_bytes())
            if "<html" in text.lower():
                texts.append("\n".join(block_lines(parse_html(text))))
    blob = "\n".join(texts)
    assert [b for b in BOILERPLATE if b not in blob] == []


def test_chinese_text_has_no_replacement_chars(conn: sqlite3.Connection) -> None:
    rows = conn.execute("select url, title, text from articles where lang like 'zh%'").fetchall()
    assert len(rows) >= 10
    assert [r["url"] for r in rows if "\ufffd" in r["title"] + r["text"]] == []


def test_wrong_charset_header_page_decoded(conn: sqlite3.Connection) -> None:
    wrong = [p for p in SITES.rglob("*.headers") if "charset=utf-8" in p.read_text().lower()
             and b"charset=utf-8" not in p.with_name(p.name[: -len(".headers")]).read_bytes()[:2000].lower()
             and p.with_name(p.name[: -len(".headers")]).read_bytes().decode("utf-8", "replace").count("\ufffd") > 10]
    assert wrong, "the mirror must hold a GBK page served with a wrong utf-8 header"
    for side in wrong:
        rel = side.relative_to(SITES).as_posix()[: -len(".headers")]
        row = _row(conn, "https://" + rel)
        assert "\ufffd" not in row["text"] and row["lang"] == "zh-Hans"


def test_switcher_pairs_share_a_story(conn: sqlite3.Connection) -> None:
    pairs = {}
    for e in EXPECTED_ARTICLES:
        if e["_file"].startswith("b2b_switcher/"):
            pairs.setdefault(e["story"], []).append(_row(conn, e["url"])["story_id"])
    assert len(pairs) >= 4
    for tag, ids in pairs.items():
        assert len(ids) >= 2 and len(set(ids)) == 1, tag


@pytest.mark.parametrize("tag", ["tf-ai-transceiver-2026", "tf-miniled-backlight-2026"])
def test_trendforce_language_versions_share_a_story(conn: sqlite3.Connection, tag: str) -> None:
    rows = [_row(conn, e["url"]) for e in EXPECTED_ARTICLES
            if e["story"] == tag and e["_file"].startswith("trendforce/")]
    assert {r["lang"] for r in rows} == {"en", "zh-Hans", "zh-Hant"}
    assert len({r["story_id"] for r in rows}) == 1


def test_exact_copies_share_a_story(conn: sqlite3.Connection) -> None:
    """Identical syndicated copies (network C hosts; the CSA original and its B2B
    Chinese copy) are one story."""
    by_hash: dict[str, set[str]] = {}
    for r in conn.execute("select content_hash, story_id from articles"):
        by_hash.setdefault(r["content_hash"], set()).add(r["story_id"])
    dup_groups = conn.execute(
        "select count(*) from (select content_hash from articles group by 1 having count(*) > 1)").fetchone()[0]
    assert dup_groups >= 3
    assert all(len(s) == 1 for s in by_hash.values())
    nanhai = {_row(conn, e["url"])["story_id"] for e in EXPECTED_ARTICLES
              if e["story"] == "csa-nanhai" and e["lang"].startswith("zh")}
    assert len(nanhai) == 1


def test_different_stories_never_merged(conn: sqlite3.Connection) -> None:
    story_of = {e["url"]: (_row(conn, e["url"])["story_id"], e["story"]) for e in EXPECTED_ARTICLES}
    merged = [(a, b) for (a, (sa, ta)), (b, (sb, tb)) in combinations(story_of.items(), 2)
              if sa == sb and ta != tb]
    assert merged == []


def test_stories_table_consistent(conn: sqlite3.Connection) -> None:
    for s in conn.execute("select * from stories"):
        n = conn.execute("select count(*) from articles where story_id = ?", [s["id"]]).fetchone()[0]
        assert n == s["versions"]
        canon = conn.execute("select story_id from articles where id = ?", [s["canonical_article_id"]]).fetchone()
        assert canon["story_id"] == s["id"]
    assert conn.execute("select count(*) from stories where versions > 1").fetchone()[0] >= 8


def test_user_defined_sources_crawled(conn: sqlite3.Connection) -> None:
    counts = dict(conn.execute("select source, count(*) from articles where source in "
                               "('totelelectrical', 'gtrcomputer') group by 1").fetchall())
    assert counts.get("totelelectrical", 0) >= 3 and counts.get("gtrcomputer", 0) >= 3
    src = conn.execute("select user_defined from sources where key = 'gtrcomputer'").fetchone()
    assert src["user_defined"] == 1


def test_run_record_written(conn: sqlite3.Connection) -> None:
    run = conn.execute("select * from crawl_runs order by id desc limit 1").fetchone()
    assert run["finish_reason"] == "finished"
    assert run["new_articles"] == conn.execute("select count(*) from articles").fetchone()[0]
    assert run["requests"] > run["new_articles"]
    assert run["mode"] == "mirror"


def _snapshot(db: Path) -> dict[str, str]:
    c = sqlite3.connect(db)
    try:
        return {t: hashlib.sha1(repr(c.execute(f"select * from {t} order by 1").fetchall()).encode()).hexdigest()
                for t in ("sources", "articles", "article_versions", "stories")}
    finally:
        c.close()


@pytest.mark.parametrize("refresh", [False, True], ids=["incremental", "refresh"])
def test_second_crawl_adds_and_changes_nothing(demo_db: Path, tmp_path: Path, refresh: bool) -> None:
    """Incremental: no stored article is fetched again (0 unchanged); --refresh fetches
    them all again and finds every one unchanged."""
    db = tmp_path / "again.db"
    shutil.copy(demo_db, db)
    before = _snapshot(db)
    proc = run_cli("crawl", "--mirror", str(SITES), "--db", str(db), "--sources", str(USER_SOURCES),
                       *(["--refresh"] if refresh else []))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert _snapshot(db) == before
    c = sqlite3.connect(db)
    run = c.execute("select new_articles, updated_articles, unchanged_articles from crawl_runs "
                    "order by id desc limit 1").fetchone()
    c.close()
    assert run[0] == 0 and run[1] == 0
    n_articles = len(EXPECTED_ARTICLES)
    assert (run[2] >= n_articles) if refresh else (run[2] == 0)


def test_mirror_story_tags_recalled(conn: sqlite3.Connection) -> None:
    """Every multi-version story tag in the mirror is one story in the database: MT
    variants on three B2B sites, TrendForce EN/CN/TW + Semiconductor Today's rewrite,
    CSA original + B2B English MT + its Chinese copy, switcher pairs."""
    by_tag: dict[str, set[str]] = {}
    for e in EXPECTED_ARTICLES:
        by_tag.setdefault(e["story"], set()).add(_row(conn, e["url"])["story_id"])
    split = {t: s for t, s in by_tag.items() if len(s) > 1}
    assert split == {}
    q = "select count(*) from stories where languages like '%,%'"
    assert conn.execute(q).fetchone()[0] >= 7  # 4 switcher pairs, 2 TrendForce, CSA Nanhai
    assert conn.execute(q + " and sources like '%,%'").fetchone()[0] >= 2  # across sites too
