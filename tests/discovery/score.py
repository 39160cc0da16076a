"""Score a crawl of the discovery mirror against its expected JSON (issue 13's acceptance).

    python tests/discovery/score.py DB     # per-site table and totals

Used by tests/test_discovery_crawl.py and bench/discovery.py.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED = HERE.parent / "discovery-expected"


def expected() -> list[dict]:
    return [json.loads(f.read_text("utf-8")) for f in sorted(EXPECTED.glob("*/*.json"))]


def _canon(url: str) -> str:
    sys.path.insert(0, str(HERE.parent.parent))
    from aggregator.dedup.urls import canonicalize_url

    return canonicalize_url(url)


def score(db: str | Path, requests: dict[str, int] | None = None) -> dict:
    """Per source: expected, stored, dates right, non-articles stored, requests (when given
    as ``{source: n}``); ``total`` sums them."""
    conn = sqlite3.connect(str(db))
    conn.row_factory = sqlite3.Row
    exp = expected()
    names = {e["source"] for e in exp}
    rows = {r["canonical_url"]: r for r in conn.execute(
        "select canonical_url, url, source, title, published, lang from articles").fetchall() if r["source"] in names}
    conn.close()
    out: dict[str, dict] = defaultdict(lambda: {"expected": 0, "stored": 0, "dates_right": 0, "titles_right": 0,
                                                "non_articles": 0, "missing": [], "extra": [], "wrong_dates": []})
    want = set()
    for e in exp:
        s = out[e["source"]]
        s["expected"] += 1
        key = _canon(e["url"])
        want.add(key)
        r = rows.get(key)
        if r is None:
            s["missing"].append(e["url"])
            continue
        s["stored"] += 1
        s["titles_right"] += r["title"] == e["title"]
        if (r["published"] or "")[:10] == e["published"]:
            s["dates_right"] += 1
        else:
            s["wrong_dates"].append((e["url"], r["published"], e["published"]))
    for key, r in rows.items():
        if key not in want:
            out[r["source"]]["non_articles"] += 1
            out[r["source"]]["extra"].append(r["url"])
    for src, n in (requests or {}).items():
        if src in out:
            out[src]["requests"] = n
    total = {k: sum(s.get(k, 0) for s in out.values()) for k in
             ("expected", "stored", "dates_right", "titles_right", "non_articles", "requests")}
    return {"sources": dict(out), "total": total}


def requests_from_db(db: str | Path) -> dict[str, int]:
    """Requests per source of the last crawl run (its per-source row), plus the robots.txt
    request Scrapy makes for each host."""
    conn = sqlite3.connect(str(db))
    run = conn.execute("select max(id) from crawl_runs").fetchone()[0]
    out = {src: n + 1 for src, n in conn.execute(
        "select source, requests from crawl_run_sources where run_id = ?", [run]).fetchall()}
    conn.close()
    return out


def table(result: dict) -> str:
    lines = [f"{'source':12} {'exp':>4} {'stored':>6} {'dates':>5} {'extra':>5} {'req':>4} {'req/art':>7}"]
    for src, s in sorted(result["sources"].items()):
        req = s.get("requests", 0)
        lines.append(f"{src:12} {s['expected']:>4} {s['stored']:>6} {s['dates_right']:>5} {s['non_articles']:>5} "
                     f"{req:>4} {req / max(s['stored'], 1):>7.2f}")
    t = result["total"]
    lines.append(f"{'total':12} {t['expected']:>4} {t['stored']:>6} {t['dates_right']:>5} {t['non_articles']:>5} "
                 f"{t['requests']:>4} {t['requests'] / max(t['stored'], 1):>7.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    res = score(sys.argv[1], requests_from_db(sys.argv[1]))
    print(table(res))
    for src, s in sorted(res["sources"].items()):
        for u in s["missing"]:
            print("missing", src, u)
        for u in s["extra"]:
            print("extra  ", src, u)
        for w in s["wrong_dates"]:
            print("date   ", src, *w)
