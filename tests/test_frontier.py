"""Scale-out (aggregator/frontier): a real redis-server on a free loopback port, the
bundled mirror served over HTTP with a per-host delay, one writer and three workers.

The crawl test is the acceptance test of issue 20 in one run (it is the slow part: ~15 s
on two busy cores): two workers started by ``crawl --workers 2`` plus one started on
its own with ``lednews worker``, which is killed with SIGKILL while it holds claims;
the database must still equal the one-process crawl of the same mirror (``demo_db``),
and no two requests to one host may arrive at the server closer than its delay.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from mirrorserver import MirrorServer
from redisserver import REDIS, start_redis
from support import ROOT, SITES, USER_SOURCES, table_snapshot

from aggregator.frontier.redisq import Frontier, connect, fingerprint_key
from aggregator.frontier.status import format_status, frontier_status

DELAY = 0.2  # the per-host delay the mirror is crawled with (AGGREGATOR_MIRROR_DELAY)

# the bundled sources' rows (the redirect site below is not in demo_db)
BUNDLED = "(select id from articles where source != 'redirect_led')"
SNAPSHOT = {
    "articles": "select id, url, canonical_url, source, lang, title, text, raw_text, body_html, published,"
                " republished, author, content_hash, extraction_method, date_method, story_id, alternate_urls,"
                " sibling_key, sibling_seq, warnings, cleaning, version from articles where id in " + BUNDLED,
    "article_versions": "select article_id, version, title, text, published, content_hash from article_versions"
                        " where article_id in " + BUNDLED,
    "stories": "select * from stories where id in (select story_id from articles where id in " + BUNDLED + ")",
}
RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Redirect LED</title>
<item><title>Moved</title><link>https://www.redirect-led.example/news/old-1.html</link></item>
<item><title>Loop</title><link>https://www.redirect-led.example/news/loop-2.html</link></item>
</channel></rss>"""
ARTICLE = """<html><head><meta charset="utf-8"><title>Harbour city tests amber street lights for sea turtles</title>
</head><body><div class="content"><h1>Harbour city tests amber street lights for sea turtles</h1>
<p class="date">Published: 2026-11-24</p>
<p>A coastal town in the harbour district replaced four hundred white street lamps along its beach road with
narrow-band amber LED fixtures this autumn, after biologists showed that hatchlings crawl towards bright
short-wavelength light instead of the sea.</p>
<p>The council said the new lamps draw a third less power than the sodium lights they replace, and that
residents asked for the same fixtures on two inland streets once the trial ends in spring.</p>
</div></body></html>"""


def mirror_with_redirects(tmp: Path) -> tuple[Path, Path]:
    """The bundled mirror plus a site whose feed links a moved article (301 to its new
    URL) and a page that redirects to itself; sources = the user sources plus that site."""
    root = tmp / "mirror"
    shutil.copytree(SITES, root)
    site = root / "www.redirect-led.example"
    (site / "news").mkdir(parents=True)
    (site / "rss.xml").write_text(RSS, "utf-8")
    (site / "news" / "new-1.html").write_text(ARTICLE, "utf-8")
    for name, target in (("old-1.html", "new-1.html"), ("loop-2.html", "loop-2.html")):
        (site / "news" / name).write_bytes(b"")
        (site / "news" / f"{name}.headers").write_text(
            f"HTTP/1.1 301 Moved Permanently\nLocation: https://www.redirect-led.example/news/{target}\n", "utf-8")
    sources = tmp / "sources.toml"
    sources.write_text(USER_SOURCES.read_text("utf-8") + """
[[source]]
name = "redirect_led"
feeds = ["https://www.redirect-led.example/rss.xml"]
article_pattern = 'https://www\\.redirect-led\\.example/news/[\\w-]+\\.html$'
lang = "en"
""", "utf-8")
    return root, sources


def snapshot(db: Path) -> dict[str, list[tuple]]:
    return table_snapshot(db, SNAPSHOT)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    assert Path(REDIS).exists(), "redis-server is needed (Debian package redis-server; .ci/run installs it)"
    try:
        proc, url = start_redis(tmp_path_factory.mktemp("redis"))
    except RuntimeError as e:
        pytest.fail(str(e))
    yield url
    proc.terminate()
    proc.wait(10)


def _run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_frontier_turns_leases_and_dupefilter(redis_url: str) -> None:
    """The Lua scripts alone: one request per host at a time, the host's delay after an
    answer, duplicates dropped, a dead worker's claim queued again under a new id."""

    async def go() -> None:
        client = connect(redis_url)
        f = Frontier(client, "unit")
        await f.reset()
        payload = '{"run": "r", "req": {"url": "u"}}'
        ids = await f.push_many([("a.example", fingerprint_key(b"1" * 20), 0, 0.3, payload),
                                 ("a.example", fingerprint_key(b"2" * 20), 0, 0.3, payload),
                                 ("a.example", fingerprint_key(b"1" * 20), 0, 0.3, payload),  # duplicate
                                 ("b.example", None, 5, 0.3, payload)])
        assert [bool(i) for i in ids] == [True, True, False, True]
        assert await f.snapshot() == (3, 0)
        wait, got = await f.claim("w1", 10, 30, 100)
        assert len(got) == 2  # one per host, although a.example has two queued
        wait, again = await f.claim("w2", 10, 30, 100)
        assert again == [] and wait > 1  # a.example is busy until w1 answers
        a_claim = next(cid for cid, raw in got if cid == str(ids[0]))
        assert await f.complete(a_claim, 0.0, 0.3, '{"run": "r"}', b"body")
        wait, again = await f.claim("w2", 10, 30, 100)
        assert again == [] and 0.1 < wait <= 0.3  # answered just now: the delay runs
        await asyncio.sleep(wait + 0.01)
        wait, again = await f.claim("w2", 10, 0.2, 100)  # a 0.2 s lease that w2 never renews
        assert [cid for cid, _ in again] == [str(ids[1])]
        await asyncio.sleep(0.25)
        wait, reclaimed = await f.claim("w3", 10, 30, 100)  # the lease ran out: queued again, new id
        assert len(reclaimed) == 1 and reclaimed[0][0] != str(ids[1]) and reclaimed[0][1] == again[0][1]
        assert not await f.complete(str(ids[1]), 0.0, 0.3, '{"run": "r"}', b"late")  # w2's late answer: dropped
        read = await f.read_results("t", 10, 10)
        assert [b for _, _, b in read] == [b"body"]
        await f.ack([eid for eid, _, _ in read])
        assert (await f.snapshot())[1] == 0
        await client.aclose()

    _run(go())


def test_dupefilter_members_are_small_integers(redis_url: str) -> None:
    """A bucket of the dupefilter stays an intset (8 bytes a member)."""
    import redis

    async def go() -> None:
        client = connect(redis_url)
        f = Frontier(client, "unit2")
        await f.reset()
        items = [("h.example", fingerprint_key(i.to_bytes(4, "big") * 5, buckets=1), 0, 0.0, "{}") for i in range(300)]
        assert all(await f.push_many(items))
        await client.aclose()

    _run(go())
    r = redis.Redis.from_url(redis_url)
    assert r.object("encoding", "unit2:df:0") == b"intset"
    assert r.scard("unit2:df:0") == 300
    r.close()


def _worker(redis_url: str, server: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(log, "wb") as out:
        return subprocess.Popen([sys.executable, "-m", "aggregator", "worker", "--frontier", redis_url,
                                 "-s", f"AGGREGATOR_MIRROR_SERVER={server}", "-s", "AGGREGATOR_FRONTIER_LEASE=2"],
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)


def test_three_workers_one_killed_store_what_one_process_stores(redis_url: str, demo_db: Path,
                                                                 tmp_path: Path) -> None:
    import redis

    from aggregator.commands.frontier import LocalWorkers

    db = tmp_path / "data" / "news.db"
    db.parent.mkdir()
    r = redis.Redis.from_url(redis_url)
    mirror, sources = mirror_with_redirects(tmp_path)
    with MirrorServer(mirror) as server:
        settings = (f"AGGREGATOR_MIRROR_SERVER={server.url}", "AGGREGATOR_FRONTIER_LEASE=2")
        # three workers up before the crawl starts (a worker takes seconds to start on a
        # busy machine): two on their own, one as `crawl --workers N` starts them
        lone = _worker(redis_url, server.url, tmp_path / "lone-worker.log")
        other = _worker(redis_url, server.url, tmp_path / "other-worker.log")
        local = LocalWorkers(1, redis_url, tmp_path, None, None, settings).start()
        writer = None
        killed = False
        try:
            deadline = time.monotonic() + 60
            while r.hlen("lednews:workers") < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert r.hlen("lednews:workers") == 3
            writer = subprocess.Popen(
                [sys.executable, "-m", "aggregator", "crawl", "--frontier", redis_url,
                 "--mirror", str(mirror), "--sources", str(sources), "--db", str(db),
                 "-s", f"AGGREGATOR_MIRROR_DELAY={DELAY}", *(x for s in settings for x in ("-s", s))],
                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)})
            deadline = time.monotonic() + 120
            while not killed and time.monotonic() < deadline and writer.poll() is None:
                claims = [v.decode().split("\t")[0] for v in r.hvals("lednews:claim")]
                if any(c.endswith(f":{lone.pid}") for c in claims) and len(server.log) >= 20:
                    lone.send_signal(signal.SIGKILL)  # mid-crawl, holding requests
                    killed = True
                    during = frontier_status(redis_url)  # what `lednews status --frontier` shows
                time.sleep(0.01)
            out, err = writer.communicate(timeout=180)
        finally:
            local.stop()
            for p in (lone, other, writer):
                if p is not None and p.poll() is None:
                    p.kill()
                    p.wait()
    assert killed, "the lone worker never held a claim"
    assert writer.returncode == 0, err[-3000:]
    assert [p.returncode for p in local.procs] == [0]  # SIGTERM: a clean stop
    assert during["writer"] is not None and during["in_flight"] >= 1
    assert len(during["workers"]) == 3 and not any(w["silent"] for w in during["workers"])
    shown = "\n".join(format_status(during))
    assert f":{lone.pid}" in shown and "in flight" in shown and "waiting for the writer" in shown
    # the killed worker's claims were taken back after their lease and fetched by the others
    stats, requests, robots = sqlite3.connect(db).execute(
        "select stats, requests, robots_requests from crawl_runs order by id desc limit 1").fetchone()
    # requests counted where they were sent (the killed worker's last ones never reported back)
    at_server = len(server.log)
    assert at_server - 16 <= requests <= at_server
    assert 10 <= robots <= sum(1 for _t, _h, u in server.log if u.endswith("/robots.txt"))
    assert '"lednews/frontier_requeued":' in stats and '"lednews/frontier_requeued": 0' not in stats, stats
    # the same rows as the one-process crawl of the same mirror
    ours, theirs = snapshot(db), snapshot(demo_db)
    assert len(theirs["articles"]) >= 40
    for table in SNAPSHOT:
        assert ours[table] == theirs[table], table
    # redirects as a local crawl has them (`lednews crawl --mirror` of the same directory gives
    # these rows): the moved article stored under its new URL, both URLs marked fetched, and
    # the page that redirects to itself recorded as a loop
    con = sqlite3.connect(db)
    assert con.execute("select url from articles where source = 'redirect_led'").fetchall() == [
        ("https://www.redirect-led.example/news/new-1.html",)]
    assert con.execute("select url, reason from crawl_errors where source = 'redirect_led'").fetchall() == [
        ("https://www.redirect-led.example/news/loop-2.html", "redirect loop (1 hops)")]
    assert sorted(con.execute("select url from fetched_urls where url like '%redirect-led%'").fetchall()) == [
        ("https://www.redirect-led.example/news/new-1.html",), ("https://www.redirect-led.example/news/old-1.html",)]
    con.close()
    # politeness across all workers, measured where the requests arrived
    gaps = server.min_gaps()
    requeued = json.loads(stats)["lednews/frontier_requeued"]
    print(f"frontier crawl: {len(ours['articles'])} articles, {len(ours['stories'])} stories equal; "
          f"{at_server} requests at the server ({requests} in the run record, {robots} robots.txt); "
          f"requeued {requeued}; smallest gap "
          f"{min(gaps.values()):.3f} s over {len(gaps)} hosts (delay {DELAY} s)")
    assert len(gaps) >= 10
    assert min(gaps.values()) >= DELAY, sorted(gaps.items(), key=lambda kv: kv[1])[:3]
    r.close()


def test_status_command_reads_the_frontier(redis_url: str) -> None:
    from click.testing import CliRunner

    from aggregator.cli import main

    out = CliRunner().invoke(main, ["status", "--frontier", redis_url])
    assert out.exit_code == 0, out.output
    assert f"frontier {redis_url}" in out.output and "queued 0 requests" in out.output
    bad = CliRunner().invoke(main, ["status", "--frontier", "redis://127.0.0.1:1/0"])
    assert bad.exit_code == 2 and "cannot reach the frontier" in bad.output


def test_one_writer_per_frontier(redis_url: str, tmp_path: Path) -> None:
    import redis
    from click.testing import CliRunner

    from aggregator.cli import main

    r = redis.Redis.from_url(redis_url)
    r.set("lednews:writer", '{"run": "x", "pid": 1, "host": "elsewhere"}', ex=30)
    try:
        out = CliRunner().invoke(main, ["crawl", "--frontier", redis_url, "--db", str(tmp_path / "news.db"),
                                        "--mirror", str(SITES), "--site", "csa"])
        assert out.exit_code == 3 and "another writer is running" in out.output
    finally:
        r.delete("lednews:writer")
        r.close()
    out = CliRunner().invoke(main, ["crawl", "--workers", "2", "--db", str(tmp_path / "news.db")])
    assert out.exit_code == 2 and "--workers needs --frontier" in out.output


def test_requests_travel_as_json_and_come_back_whole() -> None:
    import scrapy

    from aggregator.frontier.records import request_from_payload, request_payload

    class Spider:
        def parse_article(self, response: object) -> None: ...
        def _errback(self, failure: object) -> None: ...

    spider = Spider()
    req = scrapy.Request("https://www.example.com/news/1.html", callback=spider.parse_article,
                         errback=spider._errback, headers={"If-None-Match": '"x"'}, priority=-1,
                         meta={"profile": "acme", "feed_date": None, "depth": 2, "frontier": "7",
                               "handle": object()})
    d = json.loads(json.dumps(request_payload(req, spider)))
    back = request_from_payload(d, spider)
    assert (back.url, back.priority, back.headers.get("If-None-Match")) == (req.url, -1, b'"x"')
    assert back.meta == {"profile": "acme", "feed_date": None, "depth": 2}  # internal and non-JSON keys left out
    assert back.callback == spider.parse_article and back.errback == spider._errback
    with pytest.raises(ValueError):
        request_payload(scrapy.Request("https://www.example.com/", callback=lambda r: None), spider)
