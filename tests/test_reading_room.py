"""The reading room in-process (Datasette's ASGI client over the demo crawl): front
page, filters, pagination, facets, feeds and exports of every list, source, article
and trend pages, errors, links from Datasette's own pages."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path
from xml.etree import ElementTree as ET

import feedparser
import lxml.html
import pytest
from publish_support import Client


@pytest.fixture(scope="module")
def client(demo_db: Path):
    c = Client(demo_db)
    yield c
    c.close()


def _ids(html: str) -> list[str]:
    return lxml.html.fromstring(html).xpath('//ol[@class="stories"]/li/@data-story-id')


def _story_dates(conn: sqlite3.Connection) -> dict[str, str]:
    """story id -> the date it is placed by (first published, else first seen)."""
    return dict(conn.execute(
        "select s.id, coalesce(s.first_published, a.first_seen) from stories s"
        " join articles a on a.id = s.canonical_article_id"))


def _walk(client: Client, path: str) -> list[str]:
    """Every story id of a list, following its next links."""
    out: list[str] = []
    url: str | None = path
    while url:
        r = client.get(url)
        assert r.status_code == 200, r.text[:300]
        out.extend(_ids(r.text))
        nxt = lxml.html.fromstring(r.text).xpath('//a[@rel="next"]/@href')
        url = nxt[0] if nxt else None
    return out


def test_front_page_lists_every_story_newest_first_with_keyset_pages(client: Client, conn) -> None:
    dates = _story_dates(conn)
    seen = _walk(client, "/?size=30")
    assert sorted(seen) == sorted(dates) and len(seen) == len(set(seen))  # each once
    keys = [(dates[s], s) for s in seen]
    assert keys == sorted(keys, reverse=True)
    undated = conn.execute("select count(*) from stories where first_published is null").fetchone()[0]
    assert undated and len(dates) > 30  # the demo has undated stories and more than a page


def test_front_page_rows_read_well(client: Client, conn) -> None:
    doc = lxml.html.fromstring(client.get("/").text)
    first = doc.xpath('//ol[@class="stories"]/li')[0]
    sid = first.get("data-story-id")
    title, versions, sources = conn.execute("select title, versions, sources from stories where id = ?",
                                            [sid]).fetchone()
    link = first.xpath(".//h2/a")[0]
    assert link.get("href") == f"/story/{sid}" and link.text_content().strip() == title.strip()
    assert [a.get("href") for a in first.xpath('.//a[contains(@class, "source")]')] == \
        [f"/source/{s}" for s in json.loads(sources)]
    assert f"{versions} version" in first.text_content()
    assert first.xpath('.//span[contains(@class, "lang")]') and first.xpath(".//time")
    assert first.xpath('string(.//p[@class="snippet"])').strip()
    assert doc.xpath('//link[@rel="alternate"][@type="application/atom+xml"]/@href') == ["/stories.atom"]


def _html_and_feed(client: Client, query: str) -> tuple[list[str], list[str]]:
    page = _ids(client.get("/" + query).text)
    feed = feedparser.parse(client.get("/stories.atom" + query).content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return page, [e.id.rsplit(":", 1)[1] for e in feed.entries]


@pytest.mark.parametrize("query", [
    "", "?q=Micro+LED", "?q=Micro+LED&lang=zh&lang=en&since=2026-10-25", "?q=%E8%8A%AF%E7%89%87+OR+%E7%85%A7%E6%98%8E",
    "?lang=zh", "?source=ofweek&source=csa", "?family=republishers", "?q=LED+-Micro&sort=date",
])
def test_feed_of_a_view_has_the_same_items_as_the_page(client: Client, query: str) -> None:
    page, feed = _html_and_feed(client, query)
    assert page and feed == page


def test_filters_restrict_as_they_say(client: Client, conn) -> None:
    dates = _story_dates(conn)
    langs = {sid: set(json.loads(v)) for sid, v in conn.execute("select id, languages from stories")}
    srcs = {sid: set(json.loads(v)) for sid, v in conn.execute("select id, sources from stories")}
    zh = set(_walk(client, "/?lang=zh"))
    assert zh == {s for s, ls in langs.items() if ls & {"zh-Hans", "zh-Hant"}}
    two = set(_walk(client, "/?source=ofweek,csa"))
    assert two == {s for s, ss in srcs.items() if ss & {"ofweek", "csa"}}
    window = set(_walk(client, "/?since=2026-11-10&until=2026-11-19"))
    assert window == {s for s, d in dates.items() if "2026-11-10" <= d[:10] <= "2026-11-19"}


def test_query_syntax_and_or_not_phrase(client: Client, conn) -> None:
    def stories(q: str) -> set[str]:
        return set(_walk(client, "/?" + json_q(q)))

    chip, light = stories("芯片"), stories("照明")
    assert chip and light
    assert stories("芯片 OR 照明") == chip | light
    assert stories("芯片 照明") == chip & light
    assert stories("照明 -芯片") == light - chip
    micro = stories("Micro LED")
    assert micro and stories('"Micro LED"') == micro


def json_q(q: str) -> str:
    from urllib.parse import urlencode
    return urlencode({"q": q})


def test_facets_count_the_stories_of_the_view(client: Client, conn) -> None:
    data = client.get("/stories.json", q="LED").json()
    srcs = {sid: set(json.loads(v)) for sid, v in conn.execute("select id, sources from stories")}
    every = set(_walk(client, "/?q=LED"))
    assert data["count"] == len(every) > 0
    for key, n in data["facets"]["source"].items():
        assert n == sum(1 for s in every if key in srcs[s]), key
    assert sum(data["facets"]["family"].values()) >= data["count"]


def test_csv_and_json_export_exactly_what_the_page_shows(client: Client) -> None:
    query = "?q=LED&lang=en"
    page = _ids(client.get("/" + query).text)
    r = client.get("/stories.csv" + query)
    assert r.content.startswith("\ufeff".encode("utf-8"))  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [row["story_id"] for row in rows] == page
    js = client.get("/stories.json" + query).json()
    assert [s["story_id"] for s in js["stories"]] == page
    zh = client.get("/stories.csv?lang=zh").content.decode("utf-8-sig")
    assert "照明" in zh or "芯片" in zh


@pytest.mark.parametrize("path,status", [
    ("/source/no_such_site", 404), ("/source/no_such_site.atom", 404), ("/stories.atom?source=no_such_site", 404),
    ("/?source=no_such_site", 404), ("/stories.atom?q=", 400), ("/stories.json?q=+", 400),
    ("/stories.atom?q=-LED", 400), ("/?since=2026-13-01", 400), ("/?lang=fr", 400), ("/?family=x", 404),
    ("/news/search.atom?q=", 400), ("/news/source_articles.atom?source=no_such_site", 404),
    ("/article/0000000000000000", 404), ("/story/s0000", 404),
])
def test_bad_views_are_errors_not_empty_feeds(client: Client, path: str, status: int) -> None:
    r = client.get(path)
    assert r.status_code == status, (path, r.text[:300])


def test_empty_result_suggests_what_to_try(client: Client) -> None:
    doc = lxml.html.fromstring(client.get("/", q="Mcro LED").text)
    assert not _ids(lxml.html.tostring(doc, encoding="unicode"))
    tries = doc.xpath('//div[@class="empty"]//a/@href')
    assert any("micro" in t.lower() for t in tries), tries
    doc = lxml.html.fromstring(client.get("/", q="Micro LED", since="2001-01-01", until="2001-01-02").text)
    hint = doc.xpath('string(//div[@class="empty"])')
    assert "Without the date and other filters" in hint


def test_source_page_lists_its_stories_and_has_a_feed(client: Client, conn) -> None:
    r = client.get("/source/ofweek")
    assert r.status_code == 200
    doc = lxml.html.fromstring(r.text)
    want = {sid for sid, ss in conn.execute("select id, sources from stories") if "ofweek" in json.loads(ss)}
    assert set(_ids(r.text)) == want
    assert doc.xpath('//link[@rel="alternate"]/@href') == ["/source/ofweek.atom"]
    feed = feedparser.parse(client.get("/source/ofweek.atom").content)
    assert feed.bozo == 0 and {e.id.rsplit(":", 1)[1] for e in feed.entries} == want


def test_sources_page_links_every_source(client: Client, conn) -> None:
    doc = lxml.html.fromstring(client.get("/sources").text)
    keys = {r[0] for r in conn.execute("select key from sources")}
    assert set(doc.xpath("//tr/@data-source")) == keys
    assert {f"/source/{k}" for k in keys} <= set(doc.xpath("//a/@href"))


def test_trend_chart_counts_stories_per_week(client: Client, conn) -> None:
    from datetime import date, timedelta

    r = client.get("/trends.svg", lang="en", since="2026-01-01")  # weekly bars up to 156 weeks
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    svg = ET.fromstring(r.content)
    ns = "{http://www.w3.org/2000/svg}"
    tips = [t.text for t in svg.iter(f"{ns}title") if t.text and t.text.startswith("week of")]
    want: dict[str, int] = {}
    for d, langs in conn.execute("select coalesce(s.first_published, a.first_seen), s.languages from stories s"
                                 " join articles a on a.id = s.canonical_article_id"):
        if "en" in json.loads(langs) and d[:10] >= "2026-01-01":
            day = date.fromisoformat(d[:10])
            week = (day - timedelta(days=day.weekday())).isoformat()
            want[week] = want.get(week, 0) + 1
    got = {t.split()[2].rstrip(":"): int(t.split()[3]) for t in tips}
    assert got == want and len(want) > 3
    long = ET.fromstring(client.get("/trends.svg").content)  # 2010-2026: drawn per month
    assert any((t.text or "").startswith("month of") for t in long.iter(f"{ns}title"))
    page = client.get("/trends", q="LED")
    assert page.status_code == 200 and page.text.count("<svg") == 2


def test_story_article_and_table_pages_link_to_each_other(client: Client, conn) -> None:
    sid, aid, source = conn.execute(
        "select s.id, a.id, a.source from stories s join articles a on a.id = s.canonical_article_id"
        " order by s.versions desc limit 1").fetchone()
    story = lxml.html.fromstring(client.get(f"/story/{sid}").text)
    assert f"/article/{aid}" in story.xpath("//a/@href") and f"/source/{source}" in story.xpath("//a/@href")
    art = client.get(f"/article/{aid}")
    assert art.status_code == 200
    doc = lxml.html.fromstring(art.text)
    assert f"/story/{sid}" in doc.xpath("//a/@href") and len(doc.xpath("//article//p")) >= 2
    table = lxml.html.fromstring(client.get("/news/stories").text)
    assert f"/story/{sid}" in table.xpath("//td//a/@href")  # the title cell
    src = lxml.html.fromstring(client.get("/news/sources").text)
    assert f"/source/{source}" in src.xpath("//td//a/@href")
    nav = table.xpath('//p[@class="lednav"]//a/@href')
    assert "/" in nav and "/sources" in nav and "/trends" in nav


def test_internal_tables_are_hidden(client: Client) -> None:
    doc = lxml.html.fromstring(client.get("/news").text)
    shown = {h.rsplit("/", 1)[1] for h in doc.xpath('//h3/a/@href')}
    assert "articles" in shown and "stories" in shown
    assert not shown & {"dedup_pairs", "dedup_features", "fetched_urls", "_sqlite_migrations"}
    assert "_sqlite_migrations" not in doc.xpath("string(//textarea)")


def test_urls_do_not_depend_on_the_file_name(demo_db: Path, tmp_path: Path) -> None:
    other = tmp_path / "ingest.db"
    shutil.copy(demo_db, other)
    c = Client(other)
    try:
        assert c.get("/news/latest_stories.atom").status_code == 200
        assert c.get("/stories.atom").status_code == 200
    finally:
        c.close()


def test_a_huge_article_is_folded_and_cut(tmp_path: Path) -> None:
    from aggregator.dedup.run import link_stories
    from aggregator.items import Article
    from aggregator.publish.pages import FOLD_MAX
    from aggregator.storage import Storage

    db = tmp_path / "news.db"
    st = Storage(db)
    text = "\n".join(f"Paragraph {i} about Micro LED chips and their yields." * 4 for i in range(12_000))
    assert len(text) > 2_000_000
    st.save_articles([Article(url="https://example.com/a/1.html", canonical_url="https://example.com/a/1.html",
                              source="acme", title="Huge", text=text, lang="en", published="2026-11-01",
                              content_hash="h1", fetched_at="2026-11-02T00:00:00+00:00")])
    link_stories(st)
    sid, aid = st.db.execute("select story_id, id from articles").fetchone()
    st.close()
    c = Client(db)
    try:
        story = c.get(f"/story/{sid}")
        assert story.status_code == 200 and len(story.content) < 100_000
        doc = lxml.html.fromstring(story.text)
        assert doc.xpath('//details[@class="fold"]') and f"/article/{aid}" in doc.xpath("//a/@href")
        art = c.get(f"/article/{aid}")
        assert art.status_code == 200 and len(art.content) < FOLD_MAX * 1.5
        assert "more characters" in art.text
        front = c.get("/")
        assert front.status_code == 200 and len(front.content) < 60_000
    finally:
        c.close()


def test_empty_result_offers_the_other_language_and_dropping_a_word(client: Client) -> None:
    from aggregator.publish.stories import _en_for, _zh_for

    assert "蓝宝石" in _zh_for("sapphire") and "芯片" in _zh_for("chip")
    assert "chip" in _en_for("芯片") and "chip" in _en_for("晶片")
    for q, want in (("chipz", "spelled so"), ("芯片 qqqq", "without qqqq")):
        doc = lxml.html.fromstring(client.get("/", q=q).text)
        tries = [a.text_content() for a in doc.xpath('//div[@class="empty"]//li')]
        assert any(want in t for t in tries), (q, tries)
        # every suggestion is a search that finds something: follow each
        for href in doc.xpath('//div[@class="empty"]//a/@href'):
            assert _ids(client.get(href).text), href


def test_lists_follow_the_file_when_it_changes(demo_db: Path, tmp_path: Path) -> None:
    """A crawl writing while the server runs: the old index answers until a thread has
    read the new one; then the new story is listed."""
    import time

    from aggregator.dedup.run import link_stories
    from aggregator.items import Article
    from aggregator.storage import Storage

    db = tmp_path / "news.db"
    shutil.copy(demo_db, db)
    c = Client(db)
    try:
        before = c.get("/stories.json").json()["count"]
        st = Storage(db)
        st.save_articles([Article(url="https://example.com/n/1.html", canonical_url="https://example.com/n/1.html",
                                  source="ofweek", title="A new story about Micro LED yields",
                                  text="Micro LED yields rose again this quarter, the maker said. " * 20,
                                  lang="en", published="2026-11-30", content_hash="new1",
                                  fetched_at="2026-11-30T00:00:00+00:00")])
        link_stories(st)
        st.close()
        deadline = time.monotonic() + 30
        while c.get("/stories.json").json()["count"] == before:
            assert time.monotonic() < deadline, "the list never saw the new story"
            time.sleep(0.2)
        first = _ids(c.get("/").text)[0]
        assert c.get(f"/story/{first}").status_code == 200
        assert "A new story about Micro LED yields" in c.get("/", q="yields").text
    finally:
        c.close()
