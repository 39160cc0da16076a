"""The raw archive: size per 1,000 pages, what archiving costs a crawl, `process --all` speed.

    .venv/bin/python bench/archive.py [--pages 2000] [--out docs/performance.md]

On ``bench/crawl.py``'s generated mirror (10 hosts, ~21 KB article pages in English,
UTF-8 and GBK Chinese), one after the other, each in its own process:

1. ``lednews crawl`` with the archive off (``-s AGGREGATOR_ARCHIVE=False``): the baseline;
2. ``lednews crawl`` with the archive (the default): its time over (1) is what archiving
   costs a crawl; the archive's bytes per 1,000 article pages (records of the
   sitemaps included) and per page against the page's own size;
3. ``lednews crawl --refresh`` on the same database: every page fetched again with an
   identical body, so every record is a revisit: bytes per 1,000 revisits;
4. ``lednews process --all`` on that database (nothing changed: every page read back,
   extracted, cleaned and compared, nothing written), with the default pool (one
   process per core) and with ``--jobs 1``: pages/s, and the ratio to (2)'s article
   pages/s (the crawl doing the same extraction plus fetching and storing).

Times are wall clock of the whole command (interpreter start included).
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from crawl import HOSTS, build_mirror, machine, write_block  # noqa: E402


def _run(cmd: list[str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if out.returncode:
        sys.exit(f"{' '.join(cmd[:3])} failed ({out.returncode}):\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    return wall, out.stdout


def _bytes(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.glob("*.warc.gz")) if directory.is_dir() else 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--out", default=None, help="write the table into this markdown file")
    args = ap.parse_args()
    desc = machine()
    lednews = str(Path(sys.executable).with_name("lednews"))
    with tempfile.TemporaryDirectory() as d:
        root = Path(d) / "mirror"
        info = build_mirror(root, args.pages)
        html_bytes = sum(p.stat().st_size for p in root.rglob("*.html"))
        names = [h.split(".")[1].replace("-", "_") for h, _, _ in HOSTS]
        base = [lednews, "crawl", "--mirror", str(root), "--sources", str(root / "sources.toml"),
                *[a for n in names for a in ("--site", n)]]
        off_db = Path(d) / "off" / "news.db"
        off_db.parent.mkdir()
        t_off, _ = _run([*base, "--db", str(off_db), "-s", "AGGREGATOR_ARCHIVE=False"])
        db = Path(d) / "on" / "news.db"
        db.parent.mkdir()
        t_on, _ = _run([*base, "--db", str(db)])
        arch = db.parent / "archive"
        size_first = _bytes(arch)
        con = sqlite3.connect(db)
        pages = con.execute("select count(*) from archive_records where kind = 'article'").fetchone()[0]
        stored = con.execute("select count(*) from articles").fetchone()[0]
        con.close()
        t_refresh, _ = _run([*base, "--db", str(db), "--refresh"])
        con = sqlite3.connect(db)
        revisits = con.execute("select count(*), coalesce(sum(length), 0) from archive_records"
                               " where type = 'revisit'").fetchone()
        con.close()
        t_proc, out_proc = _run([lednews, "process", "--all", "--db", str(db), "--sources",
                                 str(root / "sources.toml"), "--no-link"])
        t_proc1, out_proc1 = _run([lednews, "process", "--all", "--db", str(db), "--sources",
                                   str(root / "sources.toml"), "--no-link", "--jobs", "1"])
    for out in (out_proc, out_proc1):
        if f"0 new, 0 updated, {stored:,} unchanged" not in out:
            print(f"warning: process changed articles: {out}", file=sys.stderr)

    def inner(out: str) -> float:  # the command's own pages/s (without interpreter start)
        m = re.search(r"\(([\d,]+)/s\)", out)
        return float(m.group(1).replace(",", "")) if m else 0.0

    per_k = size_first / pages * 1000
    lines = [
        "| measure | value |", "|---|---:|",
        f"| article pages archived (first crawl) | {pages:,} |",
        f"| archive size per 1,000 article pages (first crawl, gzip per record, sitemaps included) "
        f"| {per_k / 1024 / 1024:.2f} MB |",
        f"| archive size / the pages' HTML size | {size_first / html_bytes:.2f} |",
        f"| revisit records per 1,000 pages fetched again unchanged (`--refresh`) "
        f"| {revisits[1] / max(1, revisits[0]) * 1000 / 1024:.0f} KB ({revisits[0]:,} revisits) |",
        f"| crawl without archive (s) | {t_off:.1f} |",
        f"| crawl with archive (s) | {t_on:.1f} |",
        f"| **crawl time with / without archive** | **{t_on / t_off:.2f}** |",
        f"| crawl --refresh with archive, all revisits (s) | {t_refresh:.1f} |",
        f"| `process --all` (default pool), whole command (s) | {t_proc:.1f} |",
        f"| `process --all` (default pool): pages/s whole command / inside the command "
        f"| {pages / t_proc:.0f} / {inner(out_proc):.0f} |",
        f"| `process --all --jobs 1`: pages/s whole command / inside the command "
        f"| {pages / t_proc1:.0f} / {inner(out_proc1):.0f} |",
        f"| crawl with archive: article pages/s (for comparison) | {pages / t_on:.0f} |",
        f"| **`process --all` speed / crawl speed** | **{t_on / t_proc:.2f}** |",
    ]
    table = "\n".join(lines)
    head = (f"Measured by `python bench/archive.py --pages {args.pages}` on {time.strftime('%Y-%m-%d')}: "
            f"{info['pages']:,} generated article pages on 10 hosts (mean {info['mean_kb']} KB of HTML; "
            f"bench/crawl.py's mirror), {stored:,} articles stored. Machine: {desc}.")
    print(head)
    print(table)
    if args.out:
        write_block(Path(args.out), "bench/archive.py", head + "\n\n" + table)


if __name__ == "__main__":
    main()
