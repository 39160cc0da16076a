"""Storage: batched article writes, database size, search latency at 100k articles.

    .venv/bin/python bench/storage.py [--articles 100000] [--out docs/performance.md]

Articles come from ``bench/dedup.py``'s deterministic generator (en, zh-Hans, zh-Hant;
syndicated copies, MT-style variants, zh<->en pairs). They are written through
``aggregator.storage.Storage.save_articles`` in batches of ``aggregator.dedup.ingest.BATCH``
(2,000, what ``lednews ingest`` uses), then again into another file in batches of
``AGGREGATOR_WRITE_BATCH`` (200, what the crawl's StorePipeline uses). Each write rate
includes what a save does (template application, content hash when templates change
the text, the article row, and its search index terms: normalised text, CJK bigrams,
FTS5 insert, all in the batch's transaction). Story links are then built once on the
first file (``link_stories``, not timed here: bench/dedup.py measures it), and the
database size is read after a WAL checkpoint.

Search latency: the canned ``search`` query of ``aggregator/publish/queries.py``, run
on a plain ``sqlite3`` connection with ``zh_fts_query`` registered the way the Datasette
plugin registers it, for three kinds of query, each kind a set of different words
taken from the corpus (so no single lucky word decides): a two-character Chinese
word, a Chinese phrase (two words that occur next to each other in a text) and an
English word. Words are cut by jieba's default dictionary, only to pick queries. Each query is run once after one warm-up pass over the set; p50/p95 are
over the set. The write rate is also given per second of the process's CPU time, which
other load on a shared machine and waits for the disk do not count. The issue's targets: writes >= 5,000 articles/s, p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter, namedtuple
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from aggregator.dedup.ingest import BATCH  # noqa: E402  bulk writes (lednews ingest)
from aggregator.dedup.run import link_stories  # noqa: E402

CRAWL_BATCH = 200  # aggregator.settings.AGGREGATOR_WRITE_BATCH: a crawl's flushes
QUERIES_PER_KIND = 40  # enough for a p95 that is not one query
Sample = namedtuple("Sample", "lang text")


def articles(n: int) -> list:
    from dedup import generate

    from aggregator.dedup import canonicalize_url, content_hash
    from aggregator.items import Article

    out = []
    for r in generate(n):
        text = r["text"]
        body_html = "".join(f"<p>{line}</p>" for line in text.split("\n"))
        out.append(Article(url=r["url"], source=r["source"], title=r["title"], text=text, lang=r["lang"],
                           published=r["published"], canonical_url=canonicalize_url(r["url"]),
                           extraction_method="generic", date_method="meta",
                           fetched_at="2026-11-25T00:00:00+00:00", content_hash=content_hash(text),
                           body_html=body_html))
    return out


def pick_queries(arts: list, rng: random.Random) -> dict[str, list[str]]:
    """Words of the corpus spread over frequency ranks (common and rarer ones)."""
    zh2: Counter[str] = Counter()
    phrases: Counter[str] = Counter()
    en: Counter[str] = Counter()
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    for a in arts[:3000]:
        if a.lang == "en":
            en.update(w for w in re.findall(r"[a-z]{5,}", a.text.lower()))
        elif a.lang == "zh-Hans":
            ws = [w for w in tk.cut(a.text.split(" ", 3)[-1]) if re.fullmatch(r"[\u4e00-\u9fff]+", w)]
            zh2.update(w for w in ws if len(w) == 2)
            phrases.update(ws[i] + ws[i + 1] for i in range(len(ws) - 1)
                           if len(ws[i]) == 2 and len(ws[i + 1]) == 2 and ws[i] != ws[i + 1])

    def spread(c: Counter[str]) -> list[str]:
        ranked = [w for w, _ in c.most_common()]
        step = max(len(ranked) // (QUERIES_PER_KIND * 4), 1)  # the top quarter of the ranks
        return ranked[: step * QUERIES_PER_KIND: step][:QUERIES_PER_KIND]

    return {"Chinese 2-character word": spread(zh2), "Chinese phrase": spread(phrases),
            "English word": spread(en)}


def latency(db: Path, queries: dict[str, list[str]]) -> dict[str, dict]:
    from aggregator.publish.entity_pages import prepare_connection
    from aggregator.publish.queries import QUERIES
    from aggregator.publish.segment import fts_query

    sql = QUERIES["search"]["sql"]
    con = sqlite3.connect(db)
    con.create_function("zh_fts_query", 1, fts_query, deterministic=True)  # as plugin.py does
    prepare_connection(con)  # lednews_entities: company names in the query (entity_pages.py)
    out = {}
    for kind, qs in queries.items():
        for q in qs:  # warm-up: page cache, the normaliser's table
            con.execute(sql, {"q": q}).fetchall()
        times, hits = [], []
        for q in qs:
            t0 = time.perf_counter()
            rows = con.execute(sql, {"q": q}).fetchall()
            times.append(1000 * (time.perf_counter() - t0))
            hits.append(len(rows))
        times.sort()
        out[kind] = {"n": len(qs), "p50": statistics.median(times),
                     "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
                     "max": times[-1], "mean_rows": statistics.mean(hits), "example": qs[0]}
    con.close()
    return out


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    from crawl import machine, write_block

    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--out", default=None, help="write the table into this markdown file")
    ap.add_argument("--keep", metavar="DB", help="also copy the database here (to rerun --search-only)")
    ap.add_argument("--search-only", metavar="DB", help="only the search latencies, on this database")
    args = ap.parse_args()
    desc = machine()
    if args.search_only:
        con = sqlite3.connect(args.search_only)
        sample = [Sample(lang, text) for lang, text in con.execute(
            "select lang, text from articles order by rowid limit 3000")]
        con.close()
        print(json.dumps(latency(Path(args.search_only), pick_queries(sample, random.Random(5))),
                         ensure_ascii=False, indent=1))
        return
    from aggregator.publish.segment import index_form
    from aggregator.storage import Storage

    arts = articles(args.articles)
    index_form("預熱 warm-up")  # the t2s table loads once per process, not per article
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "news.db"
        st = Storage(path)
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(0, len(arts), BATCH):
            st.save_articles(arts[i:i + BATCH])
        write_s = time.perf_counter() - t0
        write_cpu = time.process_time() - c0
        rss_writes = _peak_rss_mb()
        crawl_st = Storage(Path(d) / "crawl.db")  # the same articles in a crawl's batches
        t2 = time.perf_counter()
        for i in range(0, len(arts), CRAWL_BATCH):
            crawl_st.save_articles(arts[i:i + CRAWL_BATCH])
        crawl_write_s = time.perf_counter() - t2
        crawl_st.close()
        t1 = time.perf_counter()
        link_stories(st, {})
        stories_s = time.perf_counter() - t1
        st.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        st.close()
        size = sum(p.stat().st_size for p in Path(d).iterdir() if p.name.startswith("news.db"))
        for p in Path(d).iterdir():
            if p.name.startswith("crawl.db"):
                p.unlink()
        queries = pick_queries(arts, random.Random(5))
        if args.keep:
            shutil.copyfile(path, args.keep)
        lat = latency(path, queries)
        rss_end = _peak_rss_mb()
    rate = len(arts) / write_s
    head = (f"Measured by `python bench/storage.py --articles {args.articles}` on {time.strftime('%Y-%m-%d')}: "
            f"{len(arts):,} generated articles (mean {statistics.mean(len(a.text) for a in arts):.0f} characters "
            f"of text) written in batches of {BATCH}; story links built afterwards in {stories_s:.0f} s "
            f"(not part of the write rate). Machine: {desc}.")
    lines = ["| measure | value | target |", "|---|---:|---:|",
             f"| batched writes, articles/s (batches of {BATCH:,}, `lednews ingest`) | {rate:,.0f} | ≥ 5,000 |",
             f"| the same per second of the writer's CPU time (time waiting for the disk or for a core not counted) "
             f"| {len(arts) / write_cpu:,.0f} | |",
             f"| batched writes, articles/s (batches of {CRAWL_BATCH}, a crawl's flushes; another file) "
             f"| {len(arts) / crawl_write_s:,.0f} | |",
             f"| database size per 1,000 articles | {size / len(arts) * 1000 / 2**20:.1f} MB | |",
             f"| peak RSS after the writes (the {len(arts):,} generated articles included) | {rss_writes:,.0f} MB | |",
             f"| peak RSS at the end (story links, searches) | {rss_end:,.0f} MB | |"]
    for kind, r in lat.items():
        lines.append(f"| search p50 / p95 (max), {kind} ({r['n']} queries, e.g. `{r['example']}`, "
                     f"{r['mean_rows']:.0f} rows on average) | {r['p50']:.1f} / {r['p95']:.1f} ({r['max']:.0f}) ms "
                     f"| p95 < 50 ms |")
    table = "\n".join(lines)
    print(head)
    print(table)
    print(json.dumps({"write_s": write_s, "write_cpu_s": write_cpu, "size": size, "rss_writes_mb": rss_writes,
                      "rss_end_mb": rss_end, "latency": lat}, ensure_ascii=False))
    if args.out:
        write_block(Path(args.out), "bench/storage.py", head + "\n\n" + table)


if __name__ == "__main__":
    main()
