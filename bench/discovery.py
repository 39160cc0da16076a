"""Discovery from a home URL: requests and time per site, against the old way, in one run.

    .venv/bin/python bench/discovery.py [--mirror tests/discovery-sites]

Crawls the discovery mirror (twelve CMS-family sites, ``tests/discovery/build.py``) three
times, each in its own process and database:

- **baseline**: each site as ``start_urls = [home]`` (what a user could write before
  discovery: the home page treated as the only listing, generic link recognition);
- **discovery, first crawl**: ``name`` + ``home`` only (``tests/discovery/sources.toml``);
- **discovery, second crawl**: the same database again (the stored plans: start points
  and new items only).

Per site it prints the discovery requests (home page, feeds, robots.txt, sitemaps, menu
sections, language versions: ``lednews/discovery_requests/SRC``), the time from the
first probe request to the settled plan (``lednews/discovery_ms/SRC``), all requests
(robots.txt included), articles stored, requests per stored article and the same for the
baseline and the second crawl. Times are wall-clock on a shared machine: compare sites
within one run, not across runs.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "discovery"))
from score import requests_from_db, score  # noqa: E402

SOURCES = ROOT / "tests" / "discovery" / "sources.toml"


def crawl(mirror: Path, sources: Path, db: Path, names: list[str]) -> float:
    args = [sys.executable, "-m", "aggregator", "crawl", "--mirror", str(mirror), "--sources", str(sources),
            "--db", str(db)]
    for n in names:
        args += ["--site", n]
    t0 = time.monotonic()
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-2000:])
    return time.monotonic() - t0


def last_stats(db: Path) -> dict:
    conn = sqlite3.connect(db)
    stats = json.loads(conn.execute("select stats from crawl_runs order by id desc limit 1").fetchone()[0])
    conn.close()
    return stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mirror", default=str(ROOT / "tests" / "discovery-sites"))
    args = ap.parse_args()
    mirror = Path(args.mirror)
    entries = tomllib.loads(SOURCES.read_text("utf-8"))["source"]
    names = [e["name"] for e in entries]
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        base_src = t / "baseline.toml"
        base_src.write_text("".join(f'[[source]]\nname = "{e["name"]}"\nstart_urls = ["{e["home"]}"]\n\n'
                                    for e in entries), "utf-8")
        secs_base = crawl(mirror, base_src, t / "base.db", names)
        base = score(t / "base.db", requests_from_db(t / "base.db"))
        secs_first = crawl(mirror, SOURCES, t / "news.db", names)
        first = score(t / "news.db", requests_from_db(t / "news.db"))
        stats = last_stats(t / "news.db")
        secs_second = crawl(mirror, SOURCES, t / "news.db", names)
        second_req = requests_from_db(t / "news.db")
    print(f"{'site':12} {'disc.req':>8} {'disc.ms':>7} {'req':>4} {'stored':>6} {'req/art':>7} | "
          f"{'base stored':>11} {'base req':>8} | {'2nd req':>7}")
    for src in names:
        f, b = first["sources"][src], base["sources"][src]
        print(f"{src:12} {stats.get(f'lednews/discovery_requests/{src}', 0):>8} "
              f"{stats.get(f'lednews/discovery_ms/{src}', 0):>7} {f['requests']:>4} "
              f"{f['stored']:>3}/{f['expected']:<2} {f['requests'] / max(f['stored'], 1):>7.2f} | "
              f"{b['stored']:>8}/{b['expected']:<2} {b['requests']:>8} | {second_req.get(src, 0):>7}")
    ft, bt = first["total"], base["total"]
    print(f"{'total':12} {sum(stats.get(f'lednews/discovery_requests/{s}', 0) for s in names):>8} "
          f"{'':>7} {ft['requests']:>4} {ft['stored']:>3}/{ft['expected']:<2} "
          f"{ft['requests'] / max(ft['stored'], 1):>7.2f} | {bt['stored']:>8}/{bt['expected']:<2} "
          f"{bt['requests']:>8} | {sum(second_req.values()):>7}")
    print(f"dates right {ft['dates_right']}/{ft['stored']}, non-articles stored {ft['non_articles']} "
          f"(baseline: {bt['non_articles']}); wall clock: baseline {secs_base:.1f}s, first {secs_first:.1f}s, "
          f"second {secs_second:.1f}s; first/baseline {secs_first / secs_base:.2f}")


if __name__ == "__main__":
    main()
