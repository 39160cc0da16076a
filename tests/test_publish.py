"""Datasette in-process: canned queries, search, metadata, story page, Atom, read-only."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from pathlib import Path

import feedparser
import pytest
from publish_support import SEARCH_EXPECTED, Client, story_of_url
from support import ROOT

from aggregator.publish.metadata import TABLES
from aggregator.publish.queries import FEEDS, QUERIES


@pytest.fixture(scope="module")
def client(demo_db: Path):
    c = Client(demo_db)
    yield c
    c.close()


def test_latest_stories_has_one_row_per_story(client: Client, conn: sqlite3.Connection) -> None:
    rows = client.rows("latest_stories")
    n = conn.execute("select count(*) from stories").fetchone()[0]
    assert len(rows) == min(n, 100) and len({r["story_id"] for r in rows}) == len(rows)
    multi = [r for r in rows if r["versions"] > 1]
    assert multi, "the demo has stories with several versions"
    for r in rows:
        s = conn.execute("select title, versions, sources, languages from stories where id = ?",
                         [r["story_id"]]).fetchone()
        assert (r["title"], r["versions"], r["languages"]) == (s["title"], s["versions"], s["languages"])
        assert r["n_sources"] == len(json.loads(s["sources"]))
    dated = [r["published"] for r in rows if r["published"]]
    assert [d[:10] for d in dated] == sorted((d[:10] for d in dated), reverse=True)


def test_story_versions_lists_every_article_of_the_story(client: Client, conn: sqlite3.Connection) -> None:
    sid, n = conn.execute("select id, versions from stories order by versions desc, id limit 1").fetchone()
    rows = client.rows("story_versions", story_id=sid)
    want = {r[0] for r in conn.execute("select id from articles where story_id = ?", [sid])}
    assert len(rows) == n >= 2 and {r["article_id"] for r in rows} == want
    assert sum(r["canonical"] for r in rows) == 1


def test_source_articles_and_counts(client: Client, conn: sqlite3.Connection) -> None:
    rows = client.rows("source_articles", source="ofweek")
    assert len(rows) == conn.execute("select count(*) from articles where source = 'ofweek'").fetchone()[0] > 0
    daily = client.rows("daily_counts")
    weekly = client.rows("weekly_counts")
    dated = conn.execute("select count(*) from articles where published is not null").fetchone()[0]
    assert sum(r["articles"] for r in daily) == sum(r["articles"] for r in weekly) == dated
    for r in weekly:  # weeks start on Monday
        assert sqlite3.connect(":memory:").execute("select strftime('%w', ?)", [r["week_starting"]]).fetchone()[0] == "1"
    ofweek_daily = {r["day"]: r["articles"] for r in daily if r["source"] == "ofweek"}
    by_day: dict[str, int] = {}
    for r in rows:
        if r["published"]:
            by_day[r["published"][:10]] = by_day.get(r["published"][:10], 0) + 1
    assert ofweek_daily == by_day


@pytest.mark.parametrize("q", sorted(SEARCH_EXPECTED))
def test_search_returns_the_expected_stories(client: Client, conn: sqlite3.Connection, q: str) -> None:
    want = {story_of_url(conn, e["url"]) for e in SEARCH_EXPECTED[q]}
    got = [r["story_id"] for r in client.rows("search", q=q)]
    assert len(got) == len(set(got)), "one row per story"
    titles = {r[0]: r[1] for r in conn.execute("select id, title from stories")}
    assert set(got) == want, (f"missing: {[titles[s] for s in want - set(got)]}; "
                              f"unexpected: {[titles[s] for s in set(got) - want]}")


def test_search_ranks_title_hits_first(client: Client) -> None:
    rows = client.rows("search", q="智能照明")
    assert "智能照明" in rows[0]["title"]
    assert [r["score"] for r in rows] == sorted(r["score"] for r in rows)


def test_search_folds_traditional_and_product_name_spellings(client: Client, conn: sqlite3.Connection) -> None:
    hant = conn.execute("select story_id from articles where lang = 'zh-Hant' and title like '%晶片%'").fetchone()[0]
    assert hant in {r["story_id"] for r in client.rows("search", q="產值")}
    micro = {r["story_id"] for r in client.rows("search", q="Micro LED")}
    assert {r["story_id"] for r in client.rows("search", q="microLED")} == micro
    uvc = client.rows("search", q="UV-C")
    assert uvc and all("uv" in (r["title"] + r["summary"]).lower() for r in uvc[:3])


@pytest.mark.parametrize("q", ["", "   ", '"', "NEAR(", "a AND", "*", "的"])
def test_search_odd_input_gives_rows_or_nothing_never_an_error(client: Client, q: str) -> None:
    r = client.get(f"/{client.db_name}/search.json", q=q, _shape="array")
    assert r.status_code == 200, r.text[:300]
    assert isinstance(r.json(), list)


def test_index_is_searchable_by_stock_sqlite(demo_db: Path) -> None:
    """Portability: no tokenizer or function of ours is needed to search the file."""
    c = sqlite3.connect(f"{demo_db.as_uri()}?mode=ro", uri=True)
    try:
        rows = c.execute("select count(*) from article_search_fts where article_search_fts match ?",
                         ['"智能 能照 照明"']).fetchone()[0]
        like = c.execute("select count(*) from articles where instr(title, '智能照明') or instr(text, '智能照明')").fetchone()[0]
        assert rows == like > 0  # bigram phrases: exactly the substring matches
    finally:
        c.close()


def test_table_search_box_works_with_index_terms(client: Client, conn: sqlite3.Connection) -> None:
    from aggregator.publish.segment import normalize

    for q, word in (("micro led", "micro"), ("能照", "能照")):
        rows = client.rows("article_search", _search=q)
        texts = [conn.execute("select title || ' ' || text from articles where id = ?", [r["article_id"]]).fetchone()[0]
                 for r in rows]
        assert texts and all(word in normalize(t) for t in texts), q


def test_every_table_and_column_is_described(client: Client, conn: sqlite3.Connection) -> None:
    md = client.get("/-/metadata.json").json()
    assert md["title"] and md["license"] and md["source"]
    tables = md["databases"][client.db_name]["tables"]
    for (name,) in conn.execute("select name from sqlite_master where type = 'table'"
                                " and name not like '%_fts%' and name != 'sqlite_sequence'"):
        assert name in TABLES, f"table {name} has no description in aggregator/publish/metadata.py"
        cols = [r[1] for r in conn.execute(f"pragma table_info([{name}])")]
        missing = [c for c in cols if not tables[name]["columns"].get(c)]
        assert not missing, f"{name}: describe {missing} in aggregator/publish/metadata.py"


def test_docs_list_every_canned_query_with_an_example_url() -> None:
    doc = (ROOT / "docs" / "publish.md").read_text("utf-8")
    for name in QUERIES:
        assert re.search(rf"http://127\.0\.0\.1:8001/news/{name}\b", doc), name
    for name in FEEDS:
        assert f"/news/{name}.atom" in doc, name


def test_story_page_shows_versions_side_by_side(client: Client, conn: sqlite3.Connection) -> None:
    sid = conn.execute("select id from stories where languages like '%en%' and languages like '%zh%'"
                       " order by versions desc, id limit 1").fetchone()[0]
    html = client.get(f"/story/{sid}").text
    zh, en = html.split('class="column-en"')
    arts = conn.execute("select id, lang, url from articles where story_id = ?", [sid]).fetchall()
    for a in arts:
        side = zh if a["lang"].startswith("zh") else en
        assert f'data-article-id="{a["id"]}"' in side
        assert a["url"].replace("&", "&amp;") in side
    assert client.get("/story/sNOSUCH").status_code == 404


def test_result_tables_link_to_story_pages(client: Client) -> None:
    html = client.get(f"/{client.db_name}/latest_stories").text
    assert re.search(r'<a href="/story/s[0-9a-f]+">s[0-9a-f]+</a>', html)


@pytest.mark.parametrize("path", ["latest_stories.atom", "search.atom?q=芯片", "source_articles.atom?source=csa",
                                  "search.atom?q=zzzz-no-such-word"])
def test_atom_feeds_parse(client: Client, conn: sqlite3.Connection, path: str) -> None:
    r = client.get(f"/{client.db_name}/{path}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    f = feedparser.parse(r.content)
    assert not f.bozo, f.bozo_exception
    assert f.feed.title.startswith("lednews")
    if "zzzz" in path:
        assert f.entries == []
        return
    assert f.entries
    urls = {r[0] for r in conn.execute("select url from articles")}
    for e in f.entries:
        assert e.title and e.link in urls and e.updated_parsed and e.summary and e.id.startswith("urn:lednews:")
    if "source=csa" in path:
        assert {e.author for e in f.entries} <= {r[0] or "csa" for r in conn.execute(
            "select author from articles where source = 'csa'")} | {"csa"}


def _fingerprint(db: Path) -> tuple[str, int]:
    wal = db.with_name(db.name + "-wal")
    return hashlib.sha256(db.read_bytes()).hexdigest(), wal.stat().st_size if wal.exists() else 0


def test_nothing_done_through_datasette_writes(client: Client, demo_db: Path) -> None:
    before = _fingerprint(demo_db)
    n = sqlite3.connect(demo_db).execute("select count(*) from articles").fetchone()[0]
    name = client.db_name
    attempts = [
        client.get(f"/{name}.json", sql="delete from articles"),
        client.get(f"/{name}.json", sql="update stories set title = 'x'"),
        client.get(f"/{name}.json", sql="insert into sources (key) values ('x')"),
        client.get(f"/{name}.json", sql="attach database ':memory:' as m"),
        client.get(f"/{name}.json", sql="pragma journal_mode = delete"),
        client.post(f"/{name}/latest_stories", {"x": "1"}),
        client.post(f"/{name}/articles", {"title": "x"}),
    ]
    for r in attempts:
        assert r.status_code >= 400 or "error" in r.text.lower(), r.text[:200]
    assert _fingerprint(demo_db) == before
    assert sqlite3.connect(demo_db).execute("select count(*) from articles").fetchone()[0] == n


def test_immutable_mode_serves_the_same_search(demo_db: Path, client: Client) -> None:
    snap = Client(demo_db, immutable=True)
    try:
        assert snap.get("/-/databases.json").json()[0]["is_mutable"] is False
        assert snap.rows("search", q="照明") == client.rows("search", q="照明") != []
    finally:
        snap.close()
