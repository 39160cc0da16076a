"""Scale-out throughput and Redis memory: ``python bench/crawl.py --frontier``.

The 5,000-page mirror of bench/crawl.py (10 hosts) is served over HTTP on 127.0.0.1
(tests/mirrorserver.py, which logs when each request arrives) and crawled:

- once by a one-process ``lednews crawl --mirror DIR`` (the reference database);
- then with 1, 2 and 4 ``lednews worker`` processes (started and registered before the
  writer starts: long-lived workers, as in production) and one writer
  (``lednews crawl --frontier``), each host with a delay of ``--delay`` seconds
  (``AGGREGATOR_MIRROR_DELAY``). Each worker runs ``CONCURRENT_REQUESTS = --concurrency``
  (4): ten hosts stand for the thousands a real scale-out crawl follows, where one
  process's 16 concurrent requests are the limit; with 4 per worker, one worker
  covers 4 of the 10 hosts at a time, and the politeness bound (10 hosts / delay) is
  reached with 3 or more.

Reported per run: wall time of the writer (start to exit), article pages per second,
the smallest gap between two requests to one host at the server (must be >= the
delay), whether articles, versions and stories equal the one-process crawl's, and
Redis's peak ``used_memory`` above its idle level per 1,000 URLs of the crawl.

The dupefilter alone is measured at 1 M URLs against scrapy-redis 0.9.1's
``RFPDupeFilter`` (the ``bench`` extra), each in an empty Redis database: the bytes
``used_memory`` grows by, per URL.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from redisserver import start_redis  # noqa: E402
from support import table_snapshot  # noqa: E402

SNAPSHOT = {
    "articles": "select id, url, canonical_url, source, lang, title, text, published, republished, author,"
                " content_hash, extraction_method, date_method, story_id, alternate_urls, version from articles",
    "article_versions": "select article_id, version, title, text, published, content_hash from article_versions",
    "stories": "select * from stories",
}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    return table_snapshot(db, SNAPSHOT)


class MemorySampler:
    """Redis's used_memory every 0.1 s while a run lasts: the peak."""

    def __init__(self, url: str) -> None:
        import redis

        self.r = redis.Redis.from_url(url)
        self.idle = int(self.r.info("memory")["used_memory"])
        self.peak = self.idle
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            try:
                self.peak = max(self.peak, int(self.r.info("memory")["used_memory"]))
            except Exception:  # noqa: BLE001 - a sample missed
                pass

    def __enter__(self) -> MemorySampler:
        self._t.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._t.join()
        self.r.close()


def dupefilter_bytes_per_url(url: str, n: int) -> dict[str, float]:
    """Bytes of Redis memory per URL after ``n`` distinct request fingerprints: ours
    (8-byte integers in 65,536 bucket sets, as the push script stores them) and
    scrapy-redis's RFPDupeFilter (its own request_seen, one set of 40-hex strings)."""
    import redis
    import scrapy
    from scrapy.utils.test import get_crawler
    from scrapy_redis.dupefilter import RFPDupeFilter

    from aggregator.frontier.redisq import DUPE_TTL, fingerprint_key

    r = redis.Redis.from_url(url)
    fingerprinter = get_crawler().request_fingerprinter
    out = {}
    for name in ("lednews", "scrapy-redis"):
        r.flushdb()
        time.sleep(0.2)
        before = int(r.info("memory")["used_memory"])
        pipe = r.pipeline(transaction=False)
        df = RFPDupeFilter(pipe, key="bench:dupefilter")
        for i in range(n):
            req = scrapy.Request(f"https://www.host{i % 1000}.example/news/{i}.html")
            if name == "scrapy-redis":
                df.request_seen(req)  # SADD of its 40-character fingerprint (here queued in the pipeline)
            else:
                bucket, member = fingerprint_key(fingerprinter.fingerprint(req))
                pipe.sadd(f"bench:df:{bucket}", member)
                pipe.expire(f"bench:df:{bucket}", DUPE_TTL, nx=True)
            if i % 20_000 == 19_999:
                pipe.execute()
        pipe.execute()
        out[name] = (int(r.info("memory")["used_memory"]) - before) / n
        encodings: dict[str, int] = {}
        for k in list(r.scan_iter(match="bench:*", count=10_000))[:2000]:
            e = r.object("encoding", k).decode()
            encodings[e] = encodings.get(e, 0) + 1
        out[f"{name}_encodings"] = encodings  # type: ignore[assignment]
    r.flushdb()
    r.close()
    return out


# A killed worker's claims come back after this lease in the "k" runs (a worker killed
# at 30 % of the pages): short, so the run measures the recovery, not the default 60 s wait.
KILL_LEASE = 5


def _worker(url: str, server: str, concurrency: int, log: Path, lease: float | None = None) -> subprocess.Popen[bytes]:
    extra = ["-s", f"AGGREGATOR_FRONTIER_LEASE={lease}"] if lease else []
    with open(log, "wb") as out:
        return subprocess.Popen([sys.executable, "-m", "aggregator", "worker", "--frontier", url,
                                 "-s", f"AGGREGATOR_MIRROR_SERVER={server}", "-s", f"CONCURRENT_REQUESTS={concurrency}",
                                 *extra],
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})


def run(root: Path, workdir: Path, pages: int, names: list[str], delay: float, concurrency: int,
        counts: list[str], dupe_urls: int, rows_out: list[tuple] | None = None) -> str:
    """``counts``: worker counts, "3k" for 3 workers of which one is killed (SIGKILL) once
    30 % of the pages were requested. ``rows_out`` receives each run's row (label, s,
    pages/s, smallest gap, DB equal, Redis peak MB, KB per 1,000 URLs, requests)."""
    import redis
    from mirrorserver import MirrorServer

    lednews = [sys.executable, "-m", "aggregator"]
    crawl = [*lednews, "crawl", "--mirror", str(root), "--sources", str(root / "sources.toml"),
             *[a for n in names for a in ("--site", n)]]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ref_db = workdir / "one" / "news.db"
    ref_db.parent.mkdir()
    t0 = time.perf_counter()
    subprocess.run([*crawl, "--db", str(ref_db)], check=True, cwd=ROOT, env=env, capture_output=True)
    one_s = time.perf_counter() - t0
    ref = snapshot(ref_db)
    print(f"one process: {one_s:.1f} s, {len(ref['articles'])} articles", flush=True)
    redis_proc, url = start_redis(workdir)
    rows = []
    try:
        for spec in counts:
            n, kill = int(spec.rstrip("k")), spec.endswith("k")
            r = redis.Redis.from_url(url)
            r.flushdb()
            with MirrorServer(root) as server:
                procs = [_worker(url, server.url, concurrency, workdir / f"w{spec}-{i}.log",
                                 KILL_LEASE if kill else None) for i in range(n)]
                try:
                    deadline = time.monotonic() + 120
                    while r.hlen("lednews:workers") < n and time.monotonic() < deadline:
                        time.sleep(0.05)
                    db = workdir / f"w{spec}" / "news.db"
                    db.parent.mkdir()
                    with MemorySampler(url) as mem:
                        t0 = time.perf_counter()
                        writer = subprocess.Popen([*crawl, "--db", str(db), "--frontier", url,
                                                   "-s", f"AGGREGATOR_MIRROR_SERVER={server.url}",
                                                   "-s", f"AGGREGATOR_MIRROR_DELAY={delay}"],
                                                  cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                                  text=True)
                        while kill and writer.poll() is None and len(server.log) < pages * 0.3:
                            time.sleep(0.05)
                        if kill:
                            procs[0].kill()
                        _out, err = writer.communicate()
                        secs = time.perf_counter() - t0
                    if writer.returncode:
                        sys.exit(f"frontier crawl with {spec} workers failed:\n{err[-3000:]}")
                finally:
                    for p in procs:
                        p.terminate()
                    for p in procs:
                        p.wait(30)
                gaps = server.min_gaps()
                requests = len(server.log)
            ours = snapshot(db)
            equal = all(ours[t] == ref[t] for t in SNAPSHOT)
            con = sqlite3.connect(db)
            stats = con.execute("select stats from crawl_runs order by id desc limit 1").fetchone()[0]
            con.close()
            import json

            pushed = json.loads(stats).get("lednews/frontier_pushed", requests)
            requeued = json.loads(stats).get("lednews/frontier_requeued", 0)
            label = f"{n}, one killed at 30 % ({requeued} claims taken back after a {KILL_LEASE} s lease)" if kill \
                else str(n)
            rows.append((label, secs, pages / secs, min(gaps.values()), equal, (mem.peak - mem.idle) / 1e6,
                         (mem.peak - mem.idle) / max(1, pushed) * 1000 / 1e3, requests))
            print(rows[-1], flush=True)
            if rows_out is not None:
                rows_out.append(rows[-1])
            r.close()
        dupes = dupefilter_bytes_per_url(url, dupe_urls) if dupe_urls else None
    finally:
        redis_proc.terminate()
        redis_proc.wait(10)
    lines = ["| workers | s | article pages/s | vs 1 worker | smallest gap at a host (s) | DB = one-process crawl "
             "| requests | Redis peak MB | Redis KB per 1,000 URLs |",
             "|---:|---:|---:|---:|---:|---|---:|---:|---:|"]
    base = rows[0][2]
    for n, secs, rate, gap, equal, peak, per_k, requests in rows:
        lines.append(f"| {n} | {secs:.1f} | {rate:.0f} | {rate / base:.2f} | {gap:.3f} | "
                     f"{'yes' if equal else '**no**'} | {requests:,} | {peak:.1f} | {per_k:.1f} |")
    lines.append("")
    lines.append(f"One-process `lednews crawl --mirror` of the same pages (no delay, file reads): {one_s:.1f} s "
                 f"({pages / one_s:.0f} pages/s).")
    if dupes is None:
        return "\n".join(lines)
    lines.append("")
    lines.append(f"Dupefilter alone at {dupe_urls:,} URLs (`used_memory` growth per URL, empty database each): "
                 f"lednews {dupes['lednews']:.1f} bytes (buckets {dupes['lednews_encodings']}), scrapy-redis 0.9.1 "
                 f"RFPDupeFilter {dupes['scrapy-redis']:.1f} bytes ({dupes['scrapy-redis_encodings']}): "
                 f"**{dupes['scrapy-redis'] / dupes['lednews']:.1f}x smaller**, i.e. "
                 f"{dupes['lednews'] * 1e6 / 1e6:.1f} MB per 1 M URLs against {dupes['scrapy-redis']:.1f} MB.")
    return "\n".join(lines)
