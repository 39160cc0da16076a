"""Company and topic pages, their feeds, search by any name, export filters (issue 19)."""

from __future__ import annotations

import json
import re
import sqlite3

import feedparser
import pytest
from click.testing import CliRunner
from publish_support import Client

from aggregator.cli import main
from aggregator.dedup.run import link_stories
from aggregator.items import Article
from aggregator.publish.entity_queries import entity_facets, stories_for_entities
from aggregator.storage import Storage

ARTICLES = [
    ("https://cn.example/1.html", "zh-Hans", "2026-10-01", "三安光电湖北Mini LED芯片项目投产",
     "三安光电公告称，其位于鄂州的Mini LED芯片项目已正式投产，新增产能将用于背光芯片。\n三安表示将扩大出货。"),
    ("https://en.example/2.html", "en", "2026-10-12", "Sanan Optoelectronics posts higher revenue",
     "Sanan Optoelectronics reported third-quarter revenue up 12% on LED chip demand.\n"
     "Net profit also rose, the company said in a filing."),
    ("https://tw.example/3.html", "zh-Hant", "2026-11-02", "三安光電與晶電競爭Micro LED訂單",
     "三安光電與晶電積極爭取Micro LED晶片訂單，雙方都在擴充產能。\n業者表示，巨量轉移仍是關鍵。"),
    ("https://en.example/4.html", "en", "2026-11-05", "Nichia sues over white LED patents",
     "Nichia filed a patent infringement lawsuit over white LED phosphor patents in Germany.\n"
     "The Japanese company said it would protect its intellectual property."),
    ("https://cn.example/5.html", "zh-Hans", "2026-11-06", "路灯改造项目完成",
     "某市完成道路照明改造，共更换LED路灯三万余盏。\n改造后路灯能耗下降约六成，道路照明质量提升。"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("entities") / "news.db"
    st = Storage(path)
    st.ensure_sources(["cn", "en", "tw"])
    st.save_articles([Article(url=u, canonical_url=u, source=u.split("//")[1].split(".")[0], lang=lang,
                              published=day, title=title, text=text, content_hash=str(i))
                      for i, (u, lang, day, title, text) in enumerate(ARTICLES)])
    link_stories(st)
    st.close()
    return path


@pytest.fixture(scope="module")
def client(db):
    c = Client(db)
    yield c
    c.close()


def _search(client, q):
    return {r["story_id"] for r in client.rows("search", q=q)}


def _page_stories(client, path):
    r = client.get(path)
    assert r.status_code == 200, r.text[:300]
    return set(re.findall(r'data-story-id="([^"]+)"', r.text)), r.text


def test_search_by_any_name_equals_company_page(client, db):
    page, html = _page_stories(client, "/company/sanan")
    assert len(page) == 3
    conn = sqlite3.connect(db)
    langs = {r[0] for r in conn.execute(
        "select distinct a.lang from articles a where a.story_id in (%s)" % ",".join("?" * len(page)),
        sorted(page))}
    conn.close()
    assert langs == {"en", "zh-Hans", "zh-Hant"}
    for q in ("三安", "三安光电", "三安光電", "Sanan", "sanan", "三安 Sanan"):
        assert _search(client, q) == page, q
    assert "Sanan Optoelectronics" in html and "SSE:600703" in html and "三安光電" in html


def test_company_page_parts(client):
    _, html = _page_stories(client, "/company/epistar")
    assert "Ennostar" in html  # parent link
    _, html = _page_stories(client, "/company/sanan")
    assert "/company/epistar" in html  # co-mentioned in the zh-Hant story
    assert "2026-10" in html and "2026-11" in html  # stories over time
    _, html = _page_stories(client, "/company/ennostar")
    assert "/company/epistar" in html and "/company/lextar" in html  # holds
    assert client.get("/company/no-such-company").status_code == 404
    assert client.get("/topic/sanan").status_code == 404  # a company is not a topic


def test_topic_page_and_synonym_search(client):
    page, html = _page_stories(client, "/topic/street-lighting")
    assert len(page) == 1
    assert _page_stories(client, "/topic/mini-led")[0]
    assert _search(client, "路灯") == page  # topics are searched as text, not expanded
    r = client.get("/entities")
    assert r.status_code == 200 and "/company/sanan" in r.text and "/topic/mini-led" in r.text


def test_atom_feeds(client):
    r = client.get("/company/sanan.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(r.content)
    assert not feed.bozo and len(feed.entries) == 3
    assert "Sanan" in feed.feed.title
    assert all("/story/" in e.links[-1].href for e in feed.entries)
    feed = feedparser.parse(client.get("/topic/patents-litigation.atom").content)
    assert [e.title for e in feed.entries] == ["Nichia sues over white LED patents"]


def test_facets_and_filters(db):
    conn = sqlite3.connect(db)
    sanan = stories_for_entities(conn, ["sanan"])
    facets = entity_facets(conn, sanan)
    assert facets["company"][0] == {"id": "sanan", "name_en": "Sanan Optoelectronics",
                                    "name_zh": "三安光电", "stories": 3}
    assert {t["id"] for t in facets["topic"]} >= {"mini-led", "earnings"}
    every = entity_facets(conn)
    assert {c["id"] for c in every["company"]} == {"sanan", "epistar", "nichia"}
    conn.close()


def test_export_by_company_and_topic(db):
    runner = CliRunner()
    res = runner.invoke(main, ["export", "--db", str(db), "--since", "2026-01-01", "--company", "三安"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.output.splitlines() if line.startswith("{")]
    assert {r["lang"] for r in rows} == {"en", "zh-Hans", "zh-Hant"} and len(rows) == 3
    res = runner.invoke(main, ["export", "--db", str(db), "--since", "2026-01-01", "--company", "sanan",
                               "--topic", "micro-led"])
    rows = [json.loads(line) for line in res.output.splitlines() if line.startswith("{")]
    assert [r["lang"] for r in rows] == ["zh-Hant"]
    res = runner.invoke(main, ["export", "--db", str(db), "--since", "2026-01-01", "--company", "Nobody Inc"])
    assert res.exit_code == 2 and "Nobody Inc" in res.output


def test_demo_crawl_is_tagged_and_sanan_found_by_every_name(demo_db):
    """The crawl's own write path tags (no `lednews tag` run): on the mirror crawl,
    every name of Sanan finds the stories of its page, in both languages."""
    c = Client(demo_db)
    try:
        page, _ = _page_stories(c, "/company/sanan")
        assert page
        for q in ("三安", "三安光電", "Sanan"):
            assert _search(c, q) == page, q
    finally:
        c.close()
    conn = sqlite3.connect(demo_db)
    langs = {r[0][:2] for r in conn.execute(
        "select distinct a.lang from articles a join story_entities se on se.story_id = a.story_id"
        " where se.entity_id = 'sanan'")}
    conn.close()
    assert langs == {"en", "zh"}


def _front_ids(client, path):
    r = client.get(path)
    assert r.status_code == 200, r.text[:300]
    return re.findall(r'<li[^>]*data-story-id="([^"]+)"', r.text)


def test_front_page_filters_and_facets_by_company_and_topic(client, db):
    """The reading room's lists take ?company= / ?topic= like ?source=, and count them
    as facets (listing.COLUMNS from the story_entities view)."""
    conn = sqlite3.connect(db)
    sanan = stories_for_entities(conn, ["sanan"])
    micro = stories_for_entities(conn, ["micro-led"])
    every = entity_facets(conn)
    conn.close()
    assert set(_front_ids(client, "/?company=sanan")) == sanan == _page_stories(client, "/company/sanan")[0]
    assert set(_front_ids(client, "/?company=sanan&topic=micro-led")) == sanan & micro
    data = client.get("/stories.json").json()
    assert data["facets"]["company"] == {c["id"]: c["stories"] for c in every["company"]}
    assert data["facets"]["topic"] == {t["id"]: t["stories"] for t in every["topic"]}
    assert "Sanan Optoelectronics" in client.get("/?company=sanan").text  # the chip's label
    assert client.get("/?company=nobody").status_code == 404
    assert client.get("/?topic=sanan").status_code == 404  # a company is not a topic


def test_front_page_of_a_database_never_tagged(tmp_path, db):
    """No story_entities view (a database from before entities): the lists still work,
    with no company or topic facets, and a company filter names nothing."""
    copy = tmp_path / "news.db"
    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    with sqlite3.connect(copy) as c:
        c.execute("drop view story_entities")
        c.execute("drop table entities")
    c.close()
    client = Client(copy)
    try:
        conn = sqlite3.connect(copy)
        assert set(_front_ids(client, "/")) == {r[0] for r in conn.execute("select id from stories")}
        conn.close()
        data = client.get("/stories.json").json()
        assert data["count"] > 0 and not data["facets"].get("company") and not data["facets"].get("topic")
        assert client.get("/?company=sanan").status_code == 404
    finally:
        client.close()
