"""Dedup features per article page: CPU time, and a dump to prove two checkouts agree.

    .venv/bin/python bench/features.py [--mirror DIR] [--every 5] [--rounds 3]
    .venv/bin/python bench/features.py --mirror DIR --every 1 --dump new.pickle
    .venv/bin/python bench/features.py --mirror DIR --every 1 --dump old.pickle --code ../main
    .venv/bin/python bench/features.py --compare old.pickle new.pickle

Pages come from a mirror written by bench/crawl.py's generator (``--mirror``; without
it one of 5,000 pages is generated in a temporary directory). Each timed round runs in
a fresh interpreter, as a page worker does: every ``--every``-th page is extracted with
``prepare_page`` (not timed), the dedup tables are loaded (not timed), then
``features_and_profile`` runs over the pages under ``time.process_time``. ``--dump``
writes every page's features row and scoring profile instead; ``--compare`` says
whether two dumps are identical (rows byte for byte; profiles: shingle id bytes and
dtype, terms, glosses in order, names).
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _articles(mirror: Path, every: int) -> list[tuple]:
    from aggregator.process import prepare_page
    from aggregator.profiles import load_sources
    from aggregator.storage import article_id

    profiles = load_sources(mirror / "sources.toml")
    out = []
    for i, f in enumerate(sorted(mirror.glob("*/news/*.html"))):
        if i % every:
            continue
        host = f.parts[-3]
        url = f"https://{host}/news/{f.stem}.html"
        prof = next(p for p in profiles if p.owns(f"https://{host}/"))
        a = prepare_page(f.read_bytes(), url, prof, None, None, None)
        if isinstance(a, str):
            continue
        out.append((article_id(a.canonical_url), a.content_hash, a.title, a.text, a.lang, a.published,
                    a.republished is not None))
    return out


def one_round(mirror: Path, every: int) -> float:
    from aggregator.dedup import features
    from aggregator.workers import tune_gc

    arts = _articles(mirror, every)
    if hasattr(features, "preload"):
        features.preload()
    else:  # older code: the first Chinese article loads the tables
        features.features_and_profile(*next(a for a in arts if (a[4] or "").startswith("zh")))
    features_and_profile = features.features_and_profile
    tune_gc()
    t0 = time.process_time()
    for a in arts:
        features_and_profile(*a)
    return 1000 * (time.process_time() - t0) / len(arts)


def dump(mirror: Path, every: int, path: Path) -> int:
    from aggregator.dedup.features import FEATURE_VERSION, features_and_profile

    rows = []
    for a in _articles(mirror, every):
        row, p = features_and_profile(*a)
        rows.append((row, p.group, str(p.shingles.dtype), p.shingles.tobytes(), sorted(p.terms),
                     [sorted(g) for g in p.glossed], sorted(p.names)))
    path.write_bytes(pickle.dumps({"version": FEATURE_VERSION, "rows": rows}))
    return len(rows)


def compare(a: Path, b: Path) -> str:
    da, db = pickle.loads(a.read_bytes()), pickle.loads(b.read_bytes())
    if da["version"] != db["version"] or len(da["rows"]) != len(db["rows"]):
        return f"different: version {da['version']}/{db['version']}, {len(da['rows'])}/{len(db['rows'])} rows"
    diff = [x[0][0] for x, y in zip(da["rows"], db["rows"]) if x != y]
    return f"{len(da['rows'])} articles: " + (f"{len(diff)} differ, first {diff[:5]}" if diff else "identical")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirror", type=Path, help="a mirror from bench/crawl.py's generator")
    ap.add_argument("--every", type=int, default=5, help="take every N-th page (default 5)")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds, each a fresh process")
    ap.add_argument("--dump", type=Path, help="write rows and profiles here instead of timing")
    ap.add_argument("--compare", type=Path, nargs=2, help="compare two dumps")
    ap.add_argument("--code", type=Path, help="time or dump this checkout's code instead (another worktree)")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.code:
        sys.path.insert(0, str(args.code.resolve()))
    if args.compare:
        print(compare(*args.compare))
        return
    with tempfile.TemporaryDirectory() as d:
        mirror = args.mirror
        if mirror is None:
            sys.path.insert(0, str(ROOT / "bench"))
            from crawl import build_mirror

            mirror = Path(d) / "mirror"
            build_mirror(mirror, 5000)
        if args.dump:
            print(f"{dump(mirror, args.every, args.dump)} articles written to {args.dump}")
            return
        if args.one:
            print(one_round(mirror, args.every))
            return
        cmd = [sys.executable, __file__, "--one", "--mirror", str(mirror), "--every", str(args.every),
               *(["--code", str(args.code)] if args.code else [])]
        ms = [float(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.split()[-1])
              for _ in range(args.rounds)]
    print(json.dumps({"pages_every": args.every, "features_ms_per_article": [round(x, 3) for x in ms],
                      "min": round(min(ms), 3), "max": round(max(ms), 3)}))


if __name__ == "__main__":
    main()
