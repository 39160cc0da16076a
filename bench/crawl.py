"""Pipeline overhead: bare Scrapy vs full lednews over the same generated 5,000-page mirror.

    .venv/bin/python bench/crawl.py [--pages 5000] [--out docs/performance.md]

A mirror of ``--pages`` article pages is generated in a temporary directory: 10 hosts
(4 English, 3 Chinese UTF-8, 3 Chinese GBK), each with a sitemap of its articles.
Article texts come from ``bench/dedup.py``'s generator (so a share are syndicated
copies, MT-style variants, zh<->en pairs, Traditional copies); each page carries
three of them as paragraphs plus the boilerplate of a real news page (navigation of
60 links, a related-articles sidebar, inline script and style, footer), about 21 KB
of HTML (the bundled mirror's recorded pages average 6 KB; live news pages are larger).
The mirror is then crawled by each of these, each in its own process, one after the other:

- **bare Scrapy** (the reference of the ratio): a minimal spider (sitemap -> article
  requests, no parsing of the articles, no item pipelines), the same
  ``aggregator.mirror.MirrorDownloadHandler``, the same concurrency settings lednews
  uses in mirror mode (``CONCURRENT_ITEMS`` included) and the same GC setting
  (``aggregator.workers.tune_gc``): what Scrapy itself costs as lednews runs it;
- **bare Scrapy with Scrapy's defaults** (``CONCURRENT_ITEMS`` 100, Python's GC
  thresholds), for comparison: lednews' settings make Scrapy itself faster too;
- **full lednews**: ``lednews crawl --mirror DIR --sources TOML --site ...`` with a
  generated sources file naming the 10 hosts (extract, clean, dedup, store, story
  linking, template learning, run record); the page work is shared between the crawl
  process and its page worker (aggregator/workers.py), and the table's heading says how
  many pages the crawl process extracted;
- **full lednews in one process** (``-s AGGREGATOR_WORKERS=0``, skipped with
  ``--no-single``): the same crawl with the page work in the crawl process, to show
  what the page worker (aggregator/workers.py) changes.

Time is each process's wall clock from start to exit (interpreter start included:
it is what a user waits for). Memory is sampled every 0.1 s over the crawl process and
the processes it starts, summed (RSS, and PSS, which counts a shared page once); the
largest single process's ``ru_maxrss`` is given too. CPU s is user + system time of the
run and its workers.
With ``--delay SECONDS`` the question is another one: does the page worker pay on a
crawl with lednews' default politeness (``DOWNLOAD_DELAY`` 1 s, one request at a time
per host, as a live crawl runs)? The mirror is then crawled with that delay by full
lednews with its page worker and in one process (``AGGREGATOR_WORKERS=0``),
alternating, ``--rounds`` times each; the table gives wall time, CPU time and peak
memory of both (use a few hundred ``--pages``: 10 hosts at 1 page/s each).

The bare/lednews pair is run ``--rounds`` times (3), alternating, and the median of the
rounds' ratios is reported with their range: the machine is a shared VM whose speed
drifts by 10-20 % between runs minutes apart (14 single pairs on 2026-11-25 gave 2.04-2.60 for
one code state). The issue's targets: lednews at most 2.5x bare Scrapy's time, peak
RSS < 500 MB.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

HOSTS = ([(f"www.en-led{i}.example", "en", "utf-8") for i in range(4)]
         + [(f"www.zh-led{i}.example", "zh-Hans", "utf-8") for i in range(3)]
         + [(f"www.gbk-led{i}.example", "zh-Hans", "gbk") for i in range(3)])

BARE_SPIDER = '''
import sys
import scrapy
from lxml import etree
from scrapy.crawler import CrawlerProcess

class Bare(scrapy.Spider):
    name = "bare"
    def __init__(self, hosts, **kw):
        super().__init__(**kw)
        self.start_urls = [f"https://{h}/sitemap.xml" for h in hosts]
    def parse(self, response):
        root = etree.fromstring(response.body)
        for loc in root.iter("{*}loc"):
            yield scrapy.Request(loc.text.strip(), callback=self.parse_article)
    def parse_article(self, response):
        return None

handler = "aggregator.mirror.MirrorDownloadHandler"
same = sys.argv[3] == "same"  # "defaults": Scrapy's own CONCURRENT_ITEMS and Python's GC
settings = {
    "AGGREGATOR_MIRROR_DIR": sys.argv[1], "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
    # what apply_mirror_settings and aggregator.settings give lednews in mirror mode
    "ROBOTSTXT_OBEY": True, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "DEPTH_PRIORITY": 1, "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "INFO", "LOG_FILE": sys.argv[2],
}
if same:
    from aggregator import settings as lednews_settings
    from aggregator.workers import tune_gc

    settings["CONCURRENT_ITEMS"] = lednews_settings.CONCURRENT_ITEMS
process = CrawlerProcess(settings)
process.crawl(Bare, hosts=sys.argv[4:])
if same:
    tune_gc()  # as lednews' spider does before the first response
process.start()
'''


def _words(rng: random.Random, zh: bool, k: int) -> str:
    pool = ("产品 新闻 关于我们 联系我们 解决方案 显示屏 照明 芯片 封装 展会 行业 市场 技术 应用 下载 招聘".split()
            if zh else "Products News About Contact Solutions Displays Lighting Chips Packaging Events "
            "Industry Markets Technology Applications Downloads Careers".split())
    return ("" if zh else " ").join(rng.choice(pool) for _ in range(k))


def page(rng: random.Random, host: str, n: int, rec: dict, paras: list[str], charset: str) -> str:
    zh = rec["lang"] != "en"
    nav = "".join(f'<li><a href="/c/{j}.html">{_words(rng, zh, 2)}</a></li>' for j in range(60))
    related = "".join(f'<li><a href="/news/{rng.randrange(10**6)}.html">{_words(rng, zh, 6)}</a>'
                      f'<span class="date">2024-0{rng.randrange(1, 10)}-1{rng.randrange(10)}</span></li>'
                      for _ in range(30))
    script = "var cfg = {" + ",".join(f'"k{j}": "{rng.randrange(10**9):x}"' for j in range(250)) + "};"
    style = "".join(f".c{j} {{ margin: {j % 7}px; color: #{rng.randrange(16**6):06x}; }}\n" for j in range(120))
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paras)
    title = html.escape(rec["title"])
    return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if zh else 'en'}"><head><meta charset="{charset}">
<title>{title} - {host}</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{rec['published']}T08:00:00+08:00">
<link rel="canonical" href="https://{host}/news/{n}.html">
<style>{style}</style><script>{script}</script></head>
<body><header><div class="logo"><a href="/">{host}</a></div><nav><ul>{nav}</ul></nav></header>
<div class="crumbs"><a href="/">{_words(rng, zh, 1)}</a> &gt; <a href="/news/">{_words(rng, zh, 1)}</a></div>
<main><article><h1>{title}</h1>
<div class="meta"><time datetime="{rec['published']}">{rec['published']}</time></div>
<div class="content">
{body}</div></article>
<aside><h3>{_words(rng, zh, 2)}</h3><ul>{related}</ul></aside></main>
<footer><p>Copyright 2024 {host}. {_words(rng, zh, 12)}</p><ul>{nav[:3000]}</ul></footer>
</body></html>
"""


def build_mirror(root: Path, pages: int, seed: int = 11) -> dict:
    """Write the mirror and the sources TOML; return sizes."""
    from dedup import generate

    rng = random.Random(seed)
    recs = generate(pages * 3, seed=seed)
    by_lang = {"en": [r for r in recs if r["lang"] == "en"],
               "zh": [r for r in recs if r["lang"] != "en"]}
    urls: dict[str, list[str]] = {h: [] for h, _, _ in HOSTS}
    en_hosts = [h for h in HOSTS if h[1] == "en"]
    zh_hosts = [h for h in HOSTS if h[1] != "en"]
    total_bytes = 0
    cursor = {"en": 0, "zh": 0}
    for n in range(pages):
        recs_i = recs[n]
        key = "en" if recs_i["lang"] == "en" else "zh"
        hosts = en_hosts if key == "en" else zh_hosts
        host, _lang, charset = hosts[n % len(hosts)]
        pool = by_lang[key]
        extra = [pool[(cursor[key] + j) % len(pool)]["text"] for j in (1, 2)]
        cursor[key] += 2
        paras = [line for t in [recs_i["text"], *extra] for line in t.split("\n") if line.strip()]
        doc = page(rng, host, n, recs_i, paras, charset)
        data = doc.encode(charset, errors="xmlcharrefreplace")
        path = root / host / "news" / f"{n}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        total_bytes += len(data)
        urls[host].append(f"https://{host}/news/{n}.html")
    toml = []
    for host, lang, charset in HOSTS:
        sm = "".join(f"<url><loc>{u}</loc></url>" for u in urls[host])
        (root / host / "sitemap.xml").write_text(
            f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{sm}</urlset>", "utf-8")
        name = host.split(".")[1].replace("-", "_")
        toml.append(f'[[source]]\nname = "{name}"\nsitemaps = ["https://{host}/sitemap.xml"]\n'
                    f"article_pattern = 'https://{host.replace('.', chr(92) + '.')}/news/\\d+\\.html$'\n"
                    f'lang = "{lang}"\n')
    (root / "sources.toml").write_text("\n".join(toml), "utf-8")
    gbk = sum(len(urls[h]) for h, _, c in HOSTS if c == "gbk")
    zh = sum(len(urls[h]) for h, l, _ in HOSTS if l != "en")
    return {"pages": pages, "mean_kb": round(total_bytes / pages / 1024, 1), "zh": zh, "gbk": gbk}


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc/*/stat parent ids)."""
    parents: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(parents.get(p, []))
    return out


def _memory_kb(pids: list[int]) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) in kB over ``pids`` (PSS counts a shared page once)."""
    rss = pss = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except (OSError, ValueError):
            continue
    return rss, pss


def run_measured(cmd: list[str]) -> dict:
    """Run ``cmd`` in a child; its memory is sampled every 0.1 s over the child and every
    process it starts (lednews' page worker), summed: the peak of the sum is what the
    machine must hold. ``ru_maxrss`` from ``wait4`` (the largest single process) is kept too."""
    import threading

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = {"rss": 0, "pss": 0, "procs": 1}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            pids = _tree(proc.pid)
            rss, pss = _memory_kb(pids)
            peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)
            peak["procs"] = max(peak["procs"], len(pids))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = proc.stdout.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    sampler.join()
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(f"{' '.join(cmd[:3])} failed ({proc.returncode}):\n{out.decode(errors='replace')[-3000:]}")
    return {"seconds": wall, "max_process_rss_mb": usage.ru_maxrss / 1024, "peak_rss_mb": peak["rss"] / 1024,
            "peak_pss_mb": peak["pss"] / 1024, "processes": peak["procs"],
            "cpu_s": usage.ru_utime + usage.ru_stime, "out": out.decode(errors="replace")}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0
    return (f"{os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}, load average {load:.1f} at start")


def write_block(out: Path, marker: str, block: str) -> None:
    text = out.read_text("utf-8") if out.exists() else "# Performance\n"
    start, end = f"<!-- {marker} start -->", f"<!-- {marker} end -->"
    new = f"{start}\n{block}\n{end}"
    if start in text:
        text = text[: text.index(start)] + new + text[text.index(end) + len(end):]
    else:
        text += "\n" + new + "\n"
    out.write_text(text, "utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--out", default=None, help="write the table into this markdown file")
    ap.add_argument("--no-single", action="store_true", help="skip the one-process lednews run")
    ap.add_argument("--rounds", type=int, default=3,
                    help="bare Scrapy and full lednews crawl this many times, alternating; the ratio "
                         "reported is the median of the rounds' ratios (a shared VM's speed drifts)")
    ap.add_argument("--delay", type=float, default=None,
                    help="politeness mode: lednews with and without its page worker at this download delay; "
                         "with --frontier: the per-host delay (default 0.05 s)")
    ap.add_argument("--frontier", action="store_true",
                    help="scale-out instead (bench/frontier.py): 1, 2, 4 workers and one writer through Redis")
    ap.add_argument("--concurrency", type=int, default=4, help="--frontier: CONCURRENT_REQUESTS per worker")
    ap.add_argument("--workers", default="1,2,4", help="--frontier: worker counts to run; 3k: 3 workers, "
                    "one killed with SIGKILL at 30 %% of the pages")
    ap.add_argument("--dupe-urls", type=int, default=1_000_000, help="--frontier: URLs for the dupefilter memory")
    args = ap.parse_args()
    if args.frontier:
        if args.delay is None:
            args.delay = 0.05
        frontier_main(args, machine())
        return
    if args.delay is not None:
        politeness(args)
        return
    desc = machine()
    with tempfile.TemporaryDirectory() as d:
        root = Path(d) / "mirror"
        info = build_mirror(root, args.pages)
        print(json.dumps(info), flush=True)
        names = [h.split(".")[1].replace("-", "_") for h, _, _ in HOSTS]
        bare_py = Path(d) / "bare.py"
        bare_py.write_text(BARE_SPIDER, "utf-8")
        def bare_cmd(log: str, mode: str = "same") -> list[str]:
            return [sys.executable, str(bare_py), str(root), str(Path(d) / log), mode, *[h for h, _, _ in HOSTS]]

        bare = run_measured(bare_cmd("bare.log"))
        bare_default = run_measured(bare_cmd("bare0.log", "defaults"))
        bare_log = (Path(d) / "bare.log").read_text("utf-8", errors="replace")
        bare_resp = bare_log.count("downloader/response_status_count/200")
        lednews = str(Path(sys.executable).with_name("lednews"))
        db = Path(d) / "data" / "news.db"
        db.parent.mkdir()
        crawl_cmd = [lednews, "crawl", "--mirror", str(root), "--sources", str(root / "sources.toml"),
                     *[a for n in names for a in ("--site", n)]]
        full = run_measured([*crawl_cmd, "--db", str(db)])
        import sqlite3

        con = sqlite3.connect(db)
        stored = con.execute("select count(*) from articles").fetchone()[0]
        stories = con.execute("select count(distinct story_id) from articles").fetchone()[0]
        con.close()
        import re

        m = re.search(r"(\d+) of (\d+) article pages extracted in the crawl process",
                      (db.parent / "lednews.log").read_text("utf-8", errors="replace"))
        shared = int(m.group(1)) if m else 0
        rounds = [(bare["seconds"], full["seconds"])]
        for i in range(1, max(1, args.rounds)):
            b = run_measured(bare_cmd(f"bare{i}.log"))
            dbi = Path(d) / f"data-round{i}" / "news.db"
            dbi.parent.mkdir()
            f = run_measured([*crawl_cmd, "--db", str(dbi)])
            rounds.append((b["seconds"], f["seconds"]))
        single = None
        if not args.no_single:
            db1 = Path(d) / "data1" / "news.db"
            db1.parent.mkdir()
            single = run_measured([*crawl_cmd, "--db", str(db1), "-s", "AGGREGATOR_WORKERS=0"])
    rows = [("bare Scrapy (no parsing, no pipelines; lednews' Scrapy and GC settings)", bare),
            ("bare Scrapy with Scrapy's defaults (CONCURRENT_ITEMS 100, Python's GC thresholds)", bare_default),
            ("full lednews crawl", full)]
    if single is not None:
        rows.append(("full lednews, one process (AGGREGATOR_WORKERS=0)", single))
    lines = ["| run | s | article pages/s | time vs bare | CPU s | processes | peak RSS MB (sum) "
             "| peak PSS MB (sum) | largest process RSS MB |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in rows:
        lines.append(f"| {name} | {r['seconds']:.1f} | {args.pages / r['seconds']:.0f} | "
                     f"{r['seconds'] / bare['seconds']:.2f} | {r['cpu_s']:.1f} | {r['processes']} | "
                     f"{r['peak_rss_mb']:.0f} | {r['peak_pss_mb']:.0f} | {r['max_process_rss_mb']:.0f} |")
    table = "\n".join(lines)
    import statistics

    ratios = [f / b for b, f in rounds]
    table += ("\n\nRounds, alternating (bare Scrapy s / full lednews s = ratio): "
              + "; ".join(f"{b:.1f} / {f:.1f} = {f / b:.2f}" for b, f in rounds)
              + f". **Median ratio {statistics.median(ratios):.2f}** (range {min(ratios):.2f}-{max(ratios):.2f}).")
    head = (f"Measured by `python bench/crawl.py --pages {args.pages}` on {time.strftime('%Y-%m-%d')}: "
            f"{info['pages']:,} article pages on 10 hosts (mean {info['mean_kb']} KB, {info['zh']:,} Chinese of "
            f"which {info['gbk']:,} GBK); lednews stored {stored:,} articles in {stories:,} stories; its crawl "
            f"process extracted {shared:,} of the pages itself while the worker was busy (work sharing). "
            f"Machine: {desc}.")
    print(head)
    print(table)
    if bare_resp == 0:
        print("warning: bare run log has no 200 responses count", file=sys.stderr)
    if args.out:
        write_block(Path(args.out), "bench/crawl.py", head + "\n\n" + table)


def politeness(args: argparse.Namespace) -> None:
    """Full lednews with its page worker vs in one process, at ``args.delay`` s per host."""
    import statistics

    desc = machine()
    with tempfile.TemporaryDirectory() as d:
        root = Path(d) / "mirror"
        info = build_mirror(root, args.pages)
        names = [h.split(".")[1].replace("-", "_") for h, _, _ in HOSTS]
        lednews = str(Path(sys.executable).with_name("lednews"))
        crawl_cmd = [lednews, "crawl", "--mirror", str(root), "--sources", str(root / "sources.toml"),
                     *[a for n in names for a in ("--site", n)],
                     # the mirror drops the delays (aggregator/mirror.py): put lednews' defaults back
                     "-s", f"DOWNLOAD_DELAY={args.delay}", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
        runs: dict[str, list[dict]] = {"1": [], "0": []}
        for i in range(max(1, args.rounds)):
            for workers in ("1", "0"):
                db = Path(d) / f"data-{workers}-{i}" / "news.db"
                db.parent.mkdir()
                runs[workers].append(run_measured([*crawl_cmd, "--db", str(db), "-s", f"AGGREGATOR_WORKERS={workers}"]))
    lines = ["| run | s (median) | article pages/s | CPU s (median) | processes | peak RSS MB (sum) |",
             "|---|---:|---:|---:|---:|---:|"]
    for workers, name in (("1", "full lednews with a page worker (AGGREGATOR_WORKERS=1)"),
                          ("0", "full lednews, one process (AGGREGATOR_WORKERS=0)")):
        rs = runs[workers]
        wall = statistics.median(r["seconds"] for r in rs)
        lines.append(f"| {name} | {wall:.1f} | {args.pages / wall:.1f} | "
                     f"{statistics.median(r['cpu_s'] for r in rs):.1f} | {max(r['processes'] for r in rs)} | "
                     f"{max(r['peak_rss_mb'] for r in rs):.0f} |")
    a = [r["seconds"] for r in runs["1"]]
    z = [r["seconds"] for r in runs["0"]]
    table = "\n".join(lines) + (
        "\n\nRounds, alternating (with worker s / one process s): "
        + "; ".join(f"{x:.1f} / {y:.1f}" for x, y in zip(a, z))
        + f". **Time with the worker / in one process: {statistics.median(a) / statistics.median(z):.2f}**.")
    head = (f"Measured by `python bench/crawl.py --delay {args.delay} --pages {args.pages} --rounds {args.rounds}` on "
            f"{time.strftime('%Y-%m-%d')}: {info['pages']:,} article pages on 10 hosts (mean {info['mean_kb']} KB), "
            f"DOWNLOAD_DELAY {args.delay} s and one request at a time per host (lednews' default politeness). "
            f"Machine: {desc}.")
    print(head)
    print(table)
    if args.out:
        write_block(Path(args.out), "bench/crawl.py --delay", head + "\n\n" + table)


def frontier_main(args: argparse.Namespace, desc: str) -> None:
    from frontier import run

    with tempfile.TemporaryDirectory() as d:
        root = Path(d) / "mirror"
        info = build_mirror(root, args.pages)
        print(json.dumps(info), flush=True)
        names = [h.split(".")[1].replace("-", "_") for h, _, _ in HOSTS]
        table = run(root, Path(d), args.pages, names, args.delay, args.concurrency,
                    args.workers.split(","), args.dupe_urls)
    head = (f"Measured by `python bench/crawl.py --frontier --pages {args.pages}` on {time.strftime('%Y-%m-%d')}: "
            f"{info['pages']:,} article pages on 10 hosts served over HTTP on 127.0.0.1, each host with a "
            f"{args.delay} s delay (bound: {10 / args.delay:.0f} requests/s), workers with "
            f"CONCURRENT_REQUESTS={args.concurrency}, writer and workers on the same machine. Machine: {desc}.")
    print(head)
    print(table)
    if args.out:
        write_block(Path(args.out), "bench/crawl.py --frontier", head + "\n\n" + table)


if __name__ == "__main__":
    main()
