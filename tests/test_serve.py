"""`lednews serve` as a real subprocess on 127.0.0.1: Atom feeds through feedparser, and
headless Chromium rendering the story and search pages."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser
import lxml.html
import pytest
from publish_support import SEARCH_EXPECTED, story_of_url
from support import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory):
    """`lednews serve --port 0` on a copy of the demo database; yields (base_url, db)."""
    db = tmp_path_factory.mktemp("serve") / "news.db"
    shutil.copy(demo_db, db)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = db.with_name("serve.log").open("w")  # a file, so a chatty server never blocks on a pipe
    proc = subprocess.Popen([sys.executable, "-m", "aggregator", "serve", "--db", str(db), "--port", "0"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        line = proc.stdout.readline()  # the announce line comes once the socket is bound
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert m, line + db.with_name("serve.log").read_text()[-2000:]
        base = m.group(0).rstrip("/")
        deadline = time.monotonic() + 30
        while True:  # uvicorn starts answering shortly after the bind
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=5).read()
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, "server did not answer"
                time.sleep(0.1)
        yield base, db
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _fetch(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, r.headers["content-type"], r.read()


def test_serve_binds_loopback_and_reports_versions(server) -> None:
    base, _ = server
    status, _, body = _fetch(base + "/-/versions.json")
    assert status == 200 and b'"datasette"' in body and b'"0.65.' in body
    assert base.startswith("http://127.0.0.1:")


@pytest.mark.parametrize("path,source", [
    ("/news/latest_stories.atom", None),
    ("/news/search.atom?q=%E8%8A%AF%E7%89%87", None),  # 芯片
    ("/news/search.atom?q=Micro+LED", None),
    ("/news/source_articles.atom?source=ofweek", "ofweek"),
    ("/news/source_articles.atom?source=semiconductor_today", "semiconductor_today"),
])
def test_feeds_parse_without_bozo(server, path: str, source: str | None) -> None:
    base, db = server
    status, ctype, body = _fetch(base + path)
    assert status == 200 and ctype.startswith("application/atom+xml")
    feed = feedparser.parse(body)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.feed.title and feed.entries
    c = sqlite3.connect(db)
    by_url = dict(c.execute("select url, source from articles"))
    for e in feed.entries:
        assert e.title and e.updated_parsed and e.summary and e.link in by_url
        if source:
            assert by_url[e.link] == source
    c.close()


def test_search_feed_has_the_expected_stories(server) -> None:
    base, db = server
    c = sqlite3.connect(db)
    want = {story_of_url(c, e["url"]) for e in SEARCH_EXPECTED["智能照明"]}
    feed = feedparser.parse(_fetch(base + "/news/search.atom?q=%E6%99%BA%E8%83%BD%E7%85%A7%E6%98%8E")[2])
    assert {e.id.rsplit(":", 1)[1] for e in feed.entries} == want
    c.close()


# --- headless Chromium ---------------------------------------------------------------

def _chromium(url: str, out: Path, name: str) -> tuple[str, list[str]]:
    """Load ``url``: return the rendered DOM and the page's script errors; save a screenshot."""
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium not installed (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr",
                              "--v=0", "--dump-dom", url], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    errors = [ln for ln in dom.stderr.splitlines() if ":CONSOLE" in ln and
              re.search(r"Uncaught|Error|Failed to load", ln)]
    shot = out / f"{name}.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1280,1400",
                        f"--screenshot={shot}", url], capture_output=True, timeout=120, check=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 1000, "no screenshot"
    return dom.stdout, errors


def test_chromium_reports_script_errors(tmp_path: Path) -> None:
    """The error check below is real: a page with a failing script is caught."""
    (tmp_path / "bad.html").write_text("<p>x</p><script>noSuchFunction()</script>")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(tmp_path)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        _, errors = _chromium(f"http://127.0.0.1:{httpd.server_port}/bad.html", tmp_path, "bad")
    finally:
        httpd.shutdown()
    assert any("noSuchFunction" in e for e in errors)


def test_story_page_in_chromium(server, tmp_path: Path) -> None:
    base, db = server
    c = sqlite3.connect(db)
    sid = c.execute("select id from stories where languages like '%\"en\"%' and languages like '%zh%'"
                    " order by versions desc, id limit 1").fetchone()[0]
    arts = c.execute("select id, lang, title from articles where story_id = ?", [sid]).fetchall()
    c.close()
    dom, errors = _chromium(f"{base}/story/{sid}", tmp_path, "story")
    assert not errors, errors
    doc = lxml.html.fromstring(dom)
    for aid, lang, title in arts:
        col = "zh" if lang.startswith("zh") else "en"
        found = doc.xpath(f'//div[@class="column-{col}"]/article[@data-article-id="{aid}"]')
        assert len(found) == 1, (aid, lang)
        assert found[0].xpath("string(h3)").strip() == title.strip()
        assert found[0].xpath('.//a[@class="original"]/@href') and found[0].xpath("string(.//time)")
    assert doc.xpath('//div[@class="column-zh"]/article') and doc.xpath('//div[@class="column-en"]/article')


def test_search_page_in_chromium(server, tmp_path: Path) -> None:
    base, db = server
    c = sqlite3.connect(db)
    want = {story_of_url(c, e["url"]) for e in SEARCH_EXPECTED["智能照明"]}
    c.close()
    dom, errors = _chromium(f"{base}/news/search?q=%E6%99%BA%E8%83%BD%E7%85%A7%E6%98%8E", tmp_path, "search")
    assert not errors, errors
    doc = lxml.html.fromstring(dom)
    linked = {h.rsplit("/", 1)[1] for h in doc.xpath('//table[contains(@class, "rows-and-columns")]//a/@href')
              if "/story/" in h}
    assert linked == want
    assert doc.xpath('//input[@name="q"]/@value') == ["智能照明"]


def test_xss_fixture_renders_inert_on_the_story_page(server, tmp_path: Path) -> None:
    """A page full of XSS payloads, crawled into the served database, shows up on its story
    page as plain text: no script, handler, frame or javascript: URL reaches the DOM."""
    from aggregator.clean import clean_article
    from aggregator.dedup import canonicalize_url, content_hash
    from aggregator.extract import extract
    from aggregator.storage import Storage

    base, db = server
    url = "https://www.faulty-lighting.example/news/xss-payload-article.html"
    art = extract((ROOT / "tests" / "fixtures" / "xss-article.html").read_bytes(), url)
    art = clean_article(art)
    art.source, art.canonical_url, art.content_hash = "csa", canonicalize_url(url), content_hash(art.text)
    storage = Storage(db)
    try:
        storage.save_articles([art])
        from aggregator.dedup.run import link_stories

        link_stories(storage)
        sid = storage.db.execute("select story_id from articles where canonical_url = ?",
                                 [art.canonical_url]).fetchone()[0]
    finally:
        storage.close()
    dom, errors = _chromium(f"{base}/story/{sid}", tmp_path, "xss-story")
    assert not errors, errors
    doc = lxml.html.fromstring(dom)
    (card,) = doc.xpath("//article[@data-article-id]")
    assert "UV-C LED module" in card.text_content()  # the article is there, as text
    assert not card.xpath(".//script | .//img | .//iframe | .//object | .//embed | .//svg | .//form")
    assert not [a for el in card.iter() for a in el.attrib if a.lower().startswith("on")]
    assert not [h for h in card.xpath(".//@href | .//@src") if h.strip().lower().startswith(("javascript:", "data:"))]
    assert not doc.xpath("//*[@onload or @onerror or @onmouseover]")


# --- the reading room in a real browser (tests/browser.py: DevTools over a pipe) --------

ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots, kept by CI (git-ignored)
WIDTHS = (1400, 390)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium not installed (apt-get install -y chromium)")
    from browser import Chromium

    b = Chromium()
    yield b
    b.close()


def _pages(db: Path) -> dict[str, str]:
    from datetime import date, timedelta

    c = sqlite3.connect(db)
    newest = c.execute("select max(substr(first_published, 1, 10)) from stories").fetchone()[0]
    sid = c.execute("select id from stories where languages like '%\"en\"%' and languages like '%zh%'"
                    " order by versions desc, id limit 1").fetchone()[0]
    c.close()
    since = (date.fromisoformat(newest) - timedelta(days=30)).isoformat()
    return {"front": "/", "search": f"/?q=Micro+LED&since={since}&lang=zh&lang=en",
            "story": f"/story/{sid}", "source": "/source/ledinside", "trends": "/trends?q=LED"}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["front", "search", "story", "source", "trends"])
def test_reading_room_pages_render_without_errors(server, browser, name: str, width: int) -> None:
    base, db = server
    path = _pages(db)[name]
    browser.errors.clear()
    browser.viewport(width, 900)
    browser.goto(base + path)
    browser.screenshot(ARTIFACTS / f"{name}-{width}.png")
    assert not browser.errors, browser.errors
    # nothing wider than the window (no sideways scrolling on a phone)
    assert browser.evaluate("document.documentElement.scrollWidth") <= width + 1
    assert browser.evaluate("document.querySelector('nav .lednav a.brand') !== null")
    if name in ("front", "search", "source"):
        rows = browser.evaluate("[...document.querySelectorAll('ol.stories > li')].length")
        assert rows > 0
    if name == "search":
        langs = browser.evaluate("[...document.querySelectorAll('ol.stories .chip.lang')].map(e => e.textContent)")
        assert langs and set(langs) <= {"English", "简体中文", "繁體中文"}
        dates = browser.evaluate("[...document.querySelectorAll('ol.stories time')].map(e => e.getAttribute('datetime'))")
        since = path.split("since=")[1][:10]
        assert dates and all(d >= since for d in dates)
        assert browser.evaluate("document.querySelectorAll('mark').length") > 0
    if name in ("front", "search", "trends"):
        bars = browser.evaluate("document.querySelectorAll('svg.chart rect.bar').length")
        assert bars > 0
        # the chart is drawn: its box has a real size on screen
        assert browser.evaluate("document.querySelector('svg.chart').getBoundingClientRect().height") > 40
    if name == "story":
        assert browser.evaluate("document.querySelectorAll('.column-zh article, .column-en article').length") >= 2


def test_click_from_front_page_to_a_story_and_back(server, browser) -> None:
    base, _ = server
    browser.viewport(1400, 900)
    browser.goto(base + "/")
    first = browser.evaluate("(() => { const a = document.querySelector('ol.stories li h2 a');"
                             " return [a.textContent.trim(), a.getAttribute('href')]; })()")
    browser.click("ol.stories li h2 a", then_path=first[1])
    assert browser.evaluate("document.querySelector('h1#story-title').textContent.trim()") == first[0]
    browser.back(then_path="/")
    again = browser.evaluate("document.querySelector('ol.stories li h2 a').getAttribute('href')")
    assert again == first[1]
    assert not browser.errors, browser.errors


def test_every_list_feed_parses_and_matches_its_page(server) -> None:
    """Feeds of the lists a reader sees (front page, a filtered search, a source) over
    real HTTP: feedparser reads each without bozo, with the page's stories in order."""
    base, db = server
    for name in ("front", "search", "source"):
        path = _pages(db)[name]
        page = lxml.html.fromstring(_fetch(base + path)[2])
        ids = page.xpath('//ol[@class="stories"]/li/@data-story-id')
        feed_href = page.xpath('//link[@rel="alternate"][@type="application/atom+xml"]/@href')[0]
        feed = feedparser.parse(_fetch(base + feed_href)[2])
        assert feed.bozo == 0, (name, feed.get("bozo_exception"))
        assert [e.id.rsplit(":", 1)[1] for e in feed.entries] == ids and ids, name
