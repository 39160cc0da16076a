"""The reading room at 100k articles: front page and filtered-search latency.

    .venv/bin/python bench/storage.py --articles 100000 --keep /tmp/bench.db   # once
    .venv/bin/python bench/publish.py --db /tmp/bench.db [--out docs/performance.md]

Requests go through the whole Datasette app in-process (``datasette.client``: routing,
the story index, SQLite, template rendering), as ``lednews serve`` answers them, on a
copy of the database of ``bench/storage.py`` (generated en / zh-Hans / zh-Hant
articles, linked into stories). The copy gets a ``sources`` row per source, as a crawl
or ``lednews ingest`` would have made. Query words are those ``bench/storage.py``
picks (common and rarer words of the corpus); "the last 30 days" is counted back from
the newest story (the generated dates end in 2002). Each kind is run once as a
warm-up, then each request once; p50/p95 are over the set. The first request, which
reads the story index, is reported on its own. Target (issue 21): p95 <= 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import namedtuple
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

Sample = namedtuple("Sample", "lang text")


def _stats(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {"n": len(times), "p50": statistics.median(times),
            "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], "max": times[-1]}


async def _get(ds, path: str) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    r = await ds.client.get(path)
    return 1000 * (time.perf_counter() - t0), r.status_code, len(r.content)


async def run(db: Path, queries: dict[str, list[str]], newest: str, sources: list[str]) -> dict:
    from aggregator.publish.app import make_datasette

    ds = make_datasette(db)
    await ds.invoke_startup()
    cold = await _get(ds, "/")
    since = (date.fromisoformat(newest[:10]) - timedelta(days=30)).isoformat()
    words = [w for ws in queries.values() for w in ws]
    kinds: dict[str, list[str]] = {
        "front page": ["/"] * 20,
        "front page, pages 2-6 (keyset)": [],
        "filtered search: word, last 30 days, zh + en (best match first)":
            ["/?" + urlencode({"q": w, "since": since, "lang": "zh,en"}) for w in words],
        "filtered search, newest first": ["/?" + urlencode({"q": w, "since": since, "lang": "zh,en", "sort": "date"})
                                          for w in words],
        "search without filters, best match first": ["/?" + urlencode({"q": w}) for w in words],
        "one source's page": [f"/source/{s}" for s in sources[:20]],
        "front page feed (.atom)": ["/stories.atom"] * 10,
        # the page this replaces, run in the same process: Datasette's canned query
        # (100 stories by relevance, no filters, facets or chart)
        "baseline: canned search query (/news/search)": ["/news/search?" + urlencode({"q": w}) for w in words],
    }
    # pages 2..6 of the front page, following the next links
    url = "/"
    import lxml.html

    for _ in range(5):
        r = await ds.client.get(url)
        nxt = lxml.html.fromstring(r.text).xpath('//a[@rel="next"]/@href')
        if not nxt:
            break
        url = nxt[0]
        kinds["front page, pages 2-6 (keyset)"].append(url)
    out: dict[str, dict] = {"first request after start-up (waits for the story index)": {"ms": cold[0]}}
    for kind, paths in kinds.items():
        for p in paths[:3]:
            await _get(ds, p)
        times = []
        for p in paths:
            ms, status, _ = await _get(ds, p)
            assert status == 200, (p, status)
            times.append(ms)
        out[kind] = _stats(times)
    return out


def main() -> None:
    from crawl import machine, write_block
    from storage import pick_queries

    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, help="database kept by bench/storage.py --keep")
    ap.add_argument("--out", default=None, help="write the table into this markdown file")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "bench.db"
        shutil.copyfile(args.db, db)
        from aggregator.storage import Storage

        st = Storage(db)  # migrations, as `lednews serve` applies them
        keys = [r[0] for r in st.db.execute("select distinct source from articles")]
        st.ensure_sources(keys)
        st.close()
        con = sqlite3.connect(db)
        n_articles, n_stories = (con.execute("select count(*) from articles").fetchone()[0],
                                 con.execute("select count(*) from stories").fetchone()[0])
        newest = con.execute("select max(first_published) from stories").fetchone()[0]
        sample = [Sample(lang, text) for lang, text in con.execute(
            "select lang, text from articles order by rowid limit 3000")]
        con.close()
        queries = pick_queries(sample, random.Random(5))
        queries = {k: v[:15] for k, v in queries.items()}  # 45 words
        res = asyncio.run(run(db, queries, newest, sorted(keys)))
    head = (f"Measured by `python bench/publish.py` on {time.strftime('%Y-%m-%d')}: {n_articles:,} articles in "
            f"{n_stories:,} stories (the database of `bench/storage.py`), requests through the whole Datasette "
            f"app in-process. Machine: {machine()}.")
    lines = ["| request | p50 / p95 (max) | target |", "|---|---:|---:|"]
    for kind, r in res.items():
        if "ms" in r:
            lines.append(f"| {kind} | {r['ms']:.0f} ms | |")
        else:
            lines.append(f"| {kind} ({r['n']} requests) | {r['p50']:.0f} / {r['p95']:.0f} ({r['max']:.0f}) ms "
                         f"| p95 ≤ 300 ms |")
    base = res["baseline: canned search query (/news/search)"]["p95"]
    for kind in ("front page", "filtered search: word, last 30 days, zh + en (best match first)",
                 "filtered search, newest first", "search without filters, best match first"):
        lines.append(f"| p95 of {kind} / p95 of the baseline | {res[kind]['p95'] / base:.2f} | |")
    table = "\n".join(lines)
    print(head)
    print(table)
    print(json.dumps(res))
    if args.out:
        write_block(Path(args.out), "bench/publish.py", head + "\n\n" + table)


if __name__ == "__main__":
    main()
