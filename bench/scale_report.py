"""Markdown tables of bench/scale.py results (docs/performance.md "Scale").

    .venv/bin/python bench/scale_report.py RESULTS.json... [--build BUILD_LOG]

RESULTS.json: what ``bench/scale.py --out`` wrote (a list of rows, one per size);
BUILD_LOG: the JSON lines of ``bench/scale.py --build`` (one ingest per chunk).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def _load(v: object) -> str:
    if isinstance(v, str):
        return v
    return f"{v[0]:.1f}" if isinstance(v, list) and v else "?"


def _n(x: float | int) -> str:
    return f"{x:,}"


def _per(seconds: float | None, n: int) -> str:
    return f"{1000 * seconds / n:.2f}" if seconds is not None else "not recorded"


def render(rows: list[dict], build: list[dict]) -> str:
    rows = sorted(rows, key=lambda r: r["size"])
    out = []
    base = next((r["incremental"] for r in rows if "failed" not in r.get("incremental", {"failed": 1})), None)
    out += ["| articles before the batch | incremental 500: ms / article wall (CPU) | ratio to 10k (CPU) "
            "| peak RSS MB | load average (1 min) after | pass phases, wall s |", "|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        i = r.get("incremental", {})
        if "failed" in i:
            out.append(f"| {_n(r['size'])} | failed: {i['failed']} | | | | |")
            continue
        ratio = i["cpu_ms_per_article"] / base["cpu_ms_per_article"] if base else 0
        out.append(f"| {_n(r['size'])} | {i['ms_per_article']} ({i['cpu_ms_per_article']}) | {ratio:.2f} | "
                   f"{i['peak_rss_mb']} | {_load(r.get('load_after_incremental'))} | {json.dumps(i['dedup_seconds'])} |")
    out += ["", "| bulk ingest | lines | into a database of | ms / article wall | CPU ms / article: main + worker "
            "| peak RSS MB: main / worker | load average (1 min) |", "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        b = r.get("bulk")
        if b and "failed" not in b:
            out.append(f"| `bench/scale.py --sizes {r['size']}` | {_n(b['articles'])} | 0 | {b['ms_per_article']} | "
                       f"{b['cpu_ms_per_article']} + "
                       f"{_per(b.get('worker_cpu_seconds'), b['articles'])} | "
                       f"{b['peak_rss_mb']} / {b.get('worker_peak_rss_mb', '?')} | |")
    for b in build:
        if "failed" in b:
            out.append(f"| `--build` chunk from {_n(b['from'])} | {_n(b['lines'])} | | failed: {b['failed']} | | | |")
            continue
        wcpu = _per(b.get("worker_cpu_seconds"), b["articles"])
        out.append(f"| `--build` chunk | {_n(b['articles'])} | {_n(b['from'])} | {b['ms_per_article']} | "
                   f"{b['cpu_ms_per_article']} + {wcpu} | {b['peak_rss_mb']} / {b.get('worker_peak_rss_mb', '?')} | "
                   f"{_load(b.get('load'))} |")
    out += ["", "| articles | DB MB (MB per 1,000 articles) | ANALYZE s | VACUUM INTO s | incremental == whole-set rebuild |",
            "|---:|---:|---:|---:|---|"]
    for r in rows:
        m = r.get("maintenance", {})
        rb = r.get("rebuild")
        check = "not checked at this size" if rb is None else ("failed: " + rb["failed"] if "failed" in rb else
                 f"{'identical' if rb['identical'] else 'DIFFERENT'} ({_n(rb['articles'])} articles, "
                 f"{_n(rb['stories'])} stories; rebuild {rb['rebuild_seconds']} s, {rb['rebuild_peak_rss_mb']} MB)")
        if "failed" in m:
            out.append(f"| {_n(r['size'])} | failed | | | {check} |")
        else:
            out.append(f"| {_n(m['articles'])} | {m['db_mb']} ({m['mb_per_1000_articles']}) | {m['analyze_seconds']} | "
                       f"{m['vacuum_into_seconds']} | {check} |")
    out += ["", "| articles | request (HTTP, `lednews serve`) | p50 ms | p95 ms | server CPU p95 ms (10 ms ticks) | errors |",
            "|---:|---|---:|---:|---:|---:|"]
    for r in rows:
        lat = r.get("latency", {})
        for kind, h in lat.get("http", {}).items():
            out.append(f"| {_n(r['size'] + 500)} | {kind} | {h['p50_ms']} | {h['p95_ms']} | {h['server_cpu_p95_ms']} | "
                       f"{h['n_errors']} |")
    out += ["", "| articles | FTS query in SQL (`match`, BM25 top 1,000) | p50 ms | p95 ms | CPU p95 ms |",
            "|---:|---|---:|---:|---:|"]
    for r in rows:
        for kind, f in r.get("latency", {}).get("fts_sql", {}).items():
            out.append(f"| {_n(r['size'] + 500)} | {kind} | {f['p50_ms']} | {f['p95_ms']} | {f['cpu_p95_ms']} |")
    out += ["", "| articles | mirror crawl into a copy: wall s (CPU s) | into an empty file: wall s (CPU s) | ratio (wall) "
            "| ratio (CPU) |", "|---:|---:|---:|---:|---:|"]
    for r in rows:
        c, e = r.get("crawl_into_copy", {}), r.get("crawl_into_empty")
        es = e if isinstance(e, list) else [e] if e else []
        es = [x for x in es if x and "failed" not in x]
        if "failed" in c or not es:
            continue
        ew = sum(x["seconds"] for x in es) / len(es)
        ec = [x["cpu_seconds"] for x in es if "cpu_seconds" in x]
        empt = " / ".join(f"{x['seconds']}" + (f" ({x['cpu_seconds']})" if "cpu_seconds" in x else "") for x in es)
        rc = f"{c['cpu_seconds'] / (sum(ec) / len(ec)):.2f}" if ec and "cpu_seconds" in c else ""
        out.append(f"| {_n(r['size'] + 500)} | {c['seconds']} ({c.get('cpu_seconds', '?')}) | {empt} | "
                   f"{c['seconds'] / ew:.2f} | {rc} |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("results", nargs="+")
    ap.add_argument("--build", default=None)
    args = ap.parse_args()
    rows = [r for f in args.results for r in json.loads(Path(f).read_text("utf-8"))]
    build = [json.loads(x) for x in Path(args.build).read_text("utf-8").splitlines() if x.strip()] if args.build else []
    print(render(rows, build))


if __name__ == "__main__":
    main()
