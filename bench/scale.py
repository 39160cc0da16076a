"""Scale: a database of years. Bulk ingest, then an incremental batch of 500, at
10k / 100k / 1M articles; incremental == whole-set rebuild; Datasette and FTS latency;
a mirror crawl into a copy of the big database vs an empty one; database size.

    .venv/bin/python bench/scale.py [--sizes 10000 100000 1000000] [--out docs/performance.md]
        [--check-rebuild N]   # the size whose incremental result is compared with a rebuild
        [--keep DIR]          # keep the databases there

Articles (``stream``, deterministic, seeded) arrive at PER_DAY a day, so a bigger
database is a longer period, as in life; the incremental 500 are the next days' news.
Mix, per article written: 60 % originals (zh-Hans and en), 12 % syndicated copies of a
recent original (other site, text identical or re-wrapped, dated up to 20 days
later), 6 % edited copies (a tenth of the words changed), 6 % zh<->en translations
(CC-CEDICT headwords and their glosses), 6 % zh-Hant copies (OpenCC s2t), 10 %
recurring reports (a company's monthly figures: same template, another month and other
figures, the look-alikes dedup must keep apart). Texts are 90-150 words drawn from
6,000 two-character CC-CEDICT headwords with Zipf-like weights, each naming a company
(3,000, so a name recurs every few days) and 2-4 figures.

Every measurement runs in its own process (peak RSS is that step's): the bulk ingest
(``lednews ingest``'s ``ingest_file`` into a new file: clean, store, a story pass per
2,000 articles), then the 500 through the same path into that file. Datasette: ``lednews
serve`` on the file, requests through HTTP (latest stories, a story page, search for a
2-character Chinese word, a Chinese phrase, an English phrase; 30 each after one
warm-up request); FTS: the search index queried in SQL (``article_search_fts match``,
BM25-ranked top 1,000) for the same kinds of query.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PER_DAY = 300  # "a few hundred new articles a day" (issue 14): 1M articles = ~9 years
INCREMENT = 500
REQUESTS = 30  # per kind of request, after one warm-up each


def _lexicon(rng: random.Random) -> list[tuple[str, str]]:
    from aggregator.dedup.gloss import load

    gl, _ = load()
    pairs = sorted((w, sorted(g)[0]) for w, g in gl.items() if len(w) == 2 and len(g) == 1)
    rng.shuffle(pairs)
    return pairs[:6000]


def stream(seed: int = 11) -> Iterator[dict]:
    """Generated news, endlessly; the first n are a database of n articles."""
    import itertools

    import opencc

    rng = random.Random(seed)
    lex = _lexicon(rng)
    cum = list(itertools.accumulate(1 / (i + 1) for i in range(len(lex))))
    syll = ["Lu", "Bri", "San", "Ever", "King", "Opti", "Nova", "Chro", "Hel", "Lum", "Ray", "Sol", "Tek",
            "Vi", "Zen", "Ka", "Mo", "Ori", "Pho", "Qua"]
    companies = sorted({rng.choice(syll) + rng.choice(syll).lower() + rng.choice(["tek", "lux", "opto", "light",
                        "semi", "tron", "ray", "max"]) + str(rng.randrange(10, 99)) for _ in range(3200)})[:3000]
    s2t = opencc.OpenCC("s2t")
    recent: deque[dict] = deque(maxlen=3000)
    i = 0

    def words(k: int) -> list[tuple[str, str]]:
        return rng.choices(lex, cum_weights=cum, k=k)

    def body(ws: list[tuple[str, str]], zh: bool, name: str, figs: list[str]) -> str:
        toks = [w[0] if zh else w[1] for w in ws]
        sents = []
        for j in range(0, len(toks), 14):
            chunk = toks[j:j + 14]
            sents.append(("".join(chunk) + "。") if zh else (" ".join(chunk).capitalize() + "."))
        fig = "，".join(figs) if zh else ", ".join(figs)
        lead = f"{name}{fig}。" if zh else f"{name} reported {fig}."
        mid = len(sents) // 2
        sep = "" if zh else " "
        return f"{lead}{sep}{sep.join(sents[:mid])}\n{sep.join(sents[mid:])}{sep}{name}"

    def figures(zh: bool) -> list[str]:
        out = []
        for _ in range(rng.randrange(2, 5)):
            v = rng.randrange(11, 999)
            out.append(f"{v}%" if rng.random() < 0.4 else (f"{v}亿元" if zh else f"{v} million yuan"))
        return out

    while True:
        day = i // PER_DAY
        date = datetime.date(2017, 1, 1) + datetime.timedelta(days=day)
        r = rng.random()
        src = f"site{rng.randrange(60)}"
        url = f"https://{src}.example/news/{i}.html"
        if r < 0.12 and recent:  # syndicated copy
            b = rng.choice(recent)
            later = date + datetime.timedelta(days=rng.randrange(0, 20))
            text = b["text"] if rng.random() < 0.5 else b["text"].replace("\n", "\n\n")
            rec = {**b, "url": url, "source": f"b2b{rng.randrange(15)}", "text": text,
                   "published": later.isoformat()}
        elif r < 0.18 and recent:  # edited copy
            b = rng.choice(recent)
            zh = b["lang"] != "en"
            toks = list(b["text"]) if zh else b["text"].split(" ")
            for j in rng.sample(range(len(toks)), len(toks) // 10):
                toks[j] = rng.choice(lex)[0][0] if zh else rng.choice(lex)[1]
            rec = {**b, "url": url, "source": src, "text": ("" if zh else " ").join(toks)}
        elif r < 0.24 and recent:  # translation
            b = rng.choice([x for x in itertools.islice(recent, 0, 50)] or list(recent))
            if "_ws" not in b:
                rec = None
            else:
                zh = b["lang"] == "en"
                ws, name, figs = b["_ws"], b["_name"], b["_figs"]
                rec = {"url": url, "source": src, "lang": "zh-Hans" if zh else "en", "published": b["published"],
                       "title": name + ("".join(w[0] for w in ws[:8]) if zh else " " + " ".join(w[1] for w in ws[:7])),
                       "text": body(ws, zh, name, [f.replace(" million yuan", "亿元") if zh else
                                                   f.replace("亿元", " million yuan") for f in figs])}
        elif r < 0.30 and recent:  # Traditional-script copy
            b = rng.choice(recent)
            rec = None if b["lang"] != "zh-Hans" else {
                **b, "url": url, "source": f"tw{rng.randrange(8)}", "lang": "zh-Hant",
                "title": s2t.convert(b["title"]), "text": s2t.convert(b["text"])}
        elif r < 0.40:  # recurring monthly report
            name = companies[rng.randrange(40)]  # a few companies report every month
            zh = rng.random() < 0.55
            m = date.month
            ws = words(60)
            figs = figures(zh)
            title = f"{name}{date.year}年{m}月LED出货量报告" if zh else f"{name} LED shipments report for {date.strftime('%B %Y')}"
            rec = {"url": url, "source": src, "lang": "zh-Hans" if zh else "en", "published": date.isoformat(),
                   "title": title, "text": body(ws, zh, name, figs)}
        else:
            rec = None
        if rec is None:  # an original
            zh = rng.random() < 0.55
            name = rng.choice(companies)
            ws = words(rng.randrange(90, 150))
            figs = figures(zh)
            title = name + ("".join(w[0] for w in ws[:8]) if zh else " " + " ".join(w[1] for w in ws[:7]))
            rec = {"url": url, "source": src, "lang": "zh-Hans" if zh else "en", "published": date.isoformat(),
                   "title": title, "text": body(ws, zh, name, figs), "_ws": ws, "_name": name, "_figs": figs}
            recent.append(rec)
        i += 1
        yield {k: v for k, v in rec.items() if not k.startswith("_")}


def write_corpus(path: Path, n: int, skip: int = 0) -> float:
    t0 = time.perf_counter()
    it = stream()
    with path.open("w", encoding="utf-8") as fh:
        for j, rec in enumerate(it):
            if j >= skip + n:
                break
            if j >= skip:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return time.perf_counter() - t0


def _peak_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _sub(*args: str) -> dict:
    """One step in its own process; a failed step is reported in the results, and the
    run goes on with the next."""
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if proc.returncode:
        print(proc.stderr[-3000:], file=sys.stderr, flush=True)
        return {"failed": proc.stderr.strip().splitlines()[-1][:300] if proc.stderr.strip() else "exit status"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def do_ingest(src: str, db: str) -> dict:
    """One ``lednews ingest`` of ``src`` into ``db`` (this process: its peak RSS)."""
    from aggregator.dedup.ingest import ingest_file
    from aggregator.storage import Storage

    storage = Storage(db)
    n = sum(1 for _ in open(src, encoding="utf-8"))
    t0, c0 = time.perf_counter(), time.process_time()
    rep = ingest_file(src, storage, {}, {})
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    total = storage.db.execute("select count(*) from articles").fetchone()[0]
    storage.close()
    return {"articles": n, "total": total, "seconds": round(wall, 1), "cpu_seconds": round(cpu, 1),
            "ms_per_article": round(1000 * wall / n, 2), "cpu_ms_per_article": round(1000 * cpu / n, 2),
            "dedup_seconds": rep.dedup_seconds, "peak_rss_mb": _peak_mb(), "errors": len(rep.errors),
            "worker_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
            "worker_cpu_seconds": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
                                        + resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime, 1)}


def do_rebuild_check(db: str) -> dict:
    """A whole-set rebuild of a copy of ``db``: the same stories as the incremental passes?"""
    from aggregator.dedup.run import run_dedup
    from aggregator.storage import Storage

    with tempfile.TemporaryDirectory(dir=Path(db).parent) as d:
        copy = Path(d) / "rebuild.db"
        src = sqlite3.connect(db)
        src.execute(f"vacuum into '{copy}'")
        src.close()
        s = Storage(copy)
        s.db.execute("update articles set story_id = null")
        s.db.execute("delete from stories")
        s.index_clear()  # no index: the pass links the whole set (features and pair scores
        s.db.conn.commit()  # are pure functions of the texts, kept to spare hours of CPU)
        t0 = time.perf_counter()
        run_dedup(s, {})
        wall = time.perf_counter() - t0
        q = "select * from stories order by id"
        rebuilt = (s.db.execute("select id, story_id from articles order by id").fetchall(), s.db.execute(q).fetchall())
        s.close()
    c = sqlite3.connect(db)
    inc = (c.execute("select id, story_id from articles order by id").fetchall(), c.execute(q).fetchall())
    c.close()
    return {"identical": inc == rebuilt, "articles": len(inc[0]), "stories": len(inc[1]),
            "rebuild_seconds": round(wall, 1), "rebuild_peak_rss_mb": _peak_mb()}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _queries(db: str) -> dict[str, list[str]]:
    """Query words taken from the stored texts: a 2-character Chinese word, a Chinese
    phrase (two adjacent words), an English phrase (two adjacent words)."""
    rng = random.Random(5)
    c = sqlite3.connect(db)
    zh = [r[0] for r in c.execute("select text from articles where lang = 'zh-Hans' and rowid % 97 = 0 limit 200")]
    en = [r[0] for r in c.execute("select text from articles where lang = 'en' and rowid % 97 = 0 limit 200")]
    c.close()
    import re

    out: dict[str, list[str]] = {"Chinese 2-character word": [], "Chinese phrase": [], "English phrase": []}
    for t in zh:
        runs = re.findall(r"[\u4e00-\u9fff]{6,}", t)
        if runs:
            run = rng.choice(runs)
            j = rng.randrange(0, len(run) - 4)
            out["Chinese 2-character word"].append(run[j:j + 2])
            out["Chinese phrase"].append(run[j:j + 4])
    for t in en:
        ws = re.findall(r"[a-z]{4,}", t.split(".", 1)[-1])
        if len(ws) > 3:
            j = rng.randrange(0, len(ws) - 1)
            out["English phrase"].append(f"{ws[j]} {ws[j + 1]}")
    return {k: v[:REQUESTS] for k, v in out.items()}


def _cpu_ms(pid: int) -> float:
    """CPU time of process ``pid`` (user + system, ms): what a request cost the server,
    without the time it waited for a core on a shared machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _p95(times: list[float]) -> float:
    times = sorted(times)
    return round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 1)


def do_latency(db: str) -> dict:
    """Datasette through HTTP, and the FTS index in SQL."""
    from aggregator.publish.segment import fts_query

    qs = _queries(db)
    c = sqlite3.connect(db)
    stories = [r[0] for r in c.execute("select id from stories where versions > 1 and rowid % 53 = 0 limit ?",
                                        [REQUESTS])]
    c.create_function("zh_fts_query", 1, fts_query, deterministic=True)
    fts = {}
    for kind, words in qs.items():
        times, cpu = [], []
        for w in [words[0], *words]:
            t0, c0 = time.perf_counter(), time.process_time()
            c.execute("select rowid from article_search_fts where article_search_fts match zh_fts_query(?)"
                      " order by bm25(article_search_fts, 5.0, 1.0) limit 1000", [w]).fetchall()
            times.append(1000 * (time.perf_counter() - t0))
            cpu.append(1000 * (time.process_time() - c0))
        fts[kind] = {"p95_ms": _p95(times[1:]), "p50_ms": round(statistics.median(times[1:]), 1),
                     "cpu_p95_ms": _p95(cpu[1:])}
    c.close()
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen([sys.executable, "-m", "aggregator", "serve", "--db", db, "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    name = "news"  # aggregator.publish.app.DB_NAME: served as /news/ whatever the file is called
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        # The reading room reads its story index in the background after start-up (4.4 s at
        # 100k here); a page asked for before it is ready waits for it or fails (two 500s
        # in the first 100k run). Latency is measured once it answers.
        ready = time.perf_counter()
        for _ in range(300):
            try:
                urllib.request.urlopen(base + (f"/story/{stories[0]}" if stories else "/"), timeout=60).read()
                break
            except OSError:
                time.sleep(1)
        ready = time.perf_counter() - ready
        paths = {"latest stories": [f"/{name}/latest_stories"] * REQUESTS,
                 "story page": [f"/story/{s}" for s in stories]}
        for kind, words in qs.items():
            paths[f"search: {kind}"] = [f"/{name}/search?" + urllib.parse.urlencode({"q": w}) for w in words]
        http = {}
        for kind, ps in paths.items():
            times, cpu, errors = [], [], []
            for p in [ps[0], *ps]:
                t0, c0 = time.perf_counter(), _cpu_ms(server.pid)
                try:
                    with urllib.request.urlopen(base + p, timeout=60) as resp:
                        resp.read()
                except urllib.error.HTTPError as e:  # e.g. 400: Datasette's SQL time limit hit
                    errors.append(f"{e.code} {p}")
                times.append(1000 * (time.perf_counter() - t0))
                cpu.append(_cpu_ms(server.pid) - c0)
            http[kind] = {"p95_ms": _p95(times[1:]), "p50_ms": round(statistics.median(times[1:]), 1),
                          "server_cpu_p95_ms": _p95(cpu[1:]), "example": ps[0], "errors": errors[:5],
                          "n_errors": len(errors)}
    finally:
        server.terminate()
        server.wait(10)
    return {"http": http, "fts_sql": fts, "ready_seconds": round(ready, 1)}


def do_crawl(db: str) -> dict:
    """``lednews crawl --mirror tests/sites`` into ``db``: wall time and peak RSS."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "aggregator", "crawl", "--mirror", str(ROOT / "tests" / "sites"),
                           "--db", db], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    if proc.returncode:
        sys.exit(proc.stderr[-3000:])
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"seconds": round(wall, 2), "cpu_seconds": round(ru.ru_utime + ru.ru_stime, 2),
            "peak_rss_mb": round(ru.ru_maxrss / 1024), "load": os.getloadavg()}


def do_maintenance(db: str) -> dict:
    c = sqlite3.connect(db)
    c.execute("pragma wal_checkpoint(truncate)")
    n = c.execute("select count(*) from articles").fetchone()[0]
    size = os.path.getsize(db)
    t0 = time.perf_counter()
    c.execute("analyze")
    c.commit()
    analyze = time.perf_counter() - t0
    t0 = time.perf_counter()
    backup = Path(db).with_suffix(".backup.db")
    c.execute(f"vacuum into '{backup}'")
    vacuum = time.perf_counter() - t0
    bsize = os.path.getsize(backup)
    backup.unlink()
    tables = {}
    try:
        for name, used in c.execute("select name, sum(pgsize) from dbstat group by name order by 2 desc limit 12"):
            tables[name] = round(used / 1e6, 1)
    except sqlite3.OperationalError:
        pass
    c.close()
    return {"articles": n, "db_mb": round(size / 1e6, 1), "mb_per_1000_articles": round(size / n * 1000 / 1e6, 2),
            "analyze_seconds": round(analyze, 2), "vacuum_into_seconds": round(vacuum, 2),
            "vacuumed_mb": round(bsize / 1e6, 1), "largest_mb": tables}


def build(corpus: Path, db: Path, chunk: int, log: Path, keep_at: list[int]) -> None:
    """A big database built the way years of cron runs build it: ``lednews ingest`` of
    successive ``chunk``-line files of ``corpus`` into one file, each ingest in its own
    process (its peak RSS, at that database size). Resumable: a chunk whose articles are
    all stored is skipped; a file ``DB.stop`` ends the build after the current chunk. A copy of the file is kept when it holds ``keep_at`` lines."""
    done = 0
    if db.exists():
        c = sqlite3.connect(db)
        done = c.execute("select count(*) from articles").fetchone()[0]
        c.close()
    stop = db.with_name(db.name + ".stop")  # touch it: the build ends after the chunk it is in
    with corpus.open(encoding="utf-8") as fh, log.open("a", encoding="utf-8") as out:
        start = 0
        while not stop.exists():
            part = db.with_name(f"chunk-{start}.jsonl")
            n = 0
            with part.open("w", encoding="utf-8") as w:
                for line in fh:
                    w.write(line)
                    n += 1
                    if n >= chunk:
                        break
            if not n:
                part.unlink()
                break
            if start + n > done:
                t0 = time.time()
                res = _sub("--one", "ingest", str(part), str(db))
                res.update({"from": start, "lines": n, "started": time.strftime("%H:%M:%S", time.gmtime(t0)),
                            "load": os.getloadavg()})
                out.write(json.dumps(res) + "\n")
                out.flush()
            part.unlink()
            start += n
            if start in keep_at:
                src = sqlite3.connect(db)
                src.execute("pragma wal_checkpoint(truncate)")
                src.close()
                shutil.copy(db, db.with_name(f"news-{start}.db"))


def measure(row: dict, db: Path, inc: Path, rebuild: bool, work: Path) -> None:
    """The measurements of one size after its bulk ingest: the incremental batch,
    (the rebuild check), maintenance, latency, and the mirror crawl into a copy of the
    database between two crawls into an empty one (the ratio against their mean: the
    machine's load drifts between runs minutes apart)."""
    row["incremental"] = _sub("--one", "ingest", str(inc), str(db))
    row["load_after_incremental"] = os.getloadavg()
    if rebuild:
        row["rebuild"] = _sub("--one", "rebuild", str(db))
    row["maintenance"] = _sub("--one", "maintenance", str(db))
    row["latency"] = _sub("--one", "latency", str(db))
    row["load_after_latency"] = os.getloadavg()
    copy = work / f"crawl-{row['size']}.db"
    src = sqlite3.connect(db)
    src.execute("pragma wal_checkpoint(truncate)")
    src.close()
    shutil.copy(db, copy)
    empties: list[dict] = []
    for step in ("empty", "copy", "empty"):
        target = copy if step == "copy" else work / f"empty-{len(empties)}.db"
        got = _sub("--one", "crawl", str(target))
        if step == "copy":
            row["crawl_into_copy"] = got
        else:
            empties.append(got)
            for f in work.glob(f"{target.name}*"):
                f.unlink()
    copy.unlink()
    row["crawl_into_empty"] = empties
    row["load_after_crawls"] = os.getloadavg()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--check-rebuild", type=int, default=None, help="size to compare with a rebuild (default: largest)")
    ap.add_argument("--keep", default=None, help="keep the databases in this directory")
    ap.add_argument("--out", default=None, help="write the results (JSON) here")
    ap.add_argument("--one", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("--build", nargs=3, metavar=("CORPUS", "DB", "LOG"),
                    help="only build DB from CORPUS by successive ingests of --chunk lines (JSON lines to LOG)")
    ap.add_argument("--chunk", type=int, default=100_000)
    ap.add_argument("--existing", nargs=2, metavar=("DB", "N"), help="measure DB of N articles made by --build"
                    " (the next 500 lines of --corpus are its incremental batch); --check-rebuild to compare")
    ap.add_argument("--corpus", help="with --existing: the corpus --build read")
    ap.add_argument("--keep-at", type=int, nargs="*", default=[], help="with --build: copy the DB at these sizes")
    args = ap.parse_args()
    if args.build:
        build(Path(args.build[0]), Path(args.build[1]), args.chunk, Path(args.build[2]), args.keep_at)
        return
    if args.one:
        fn = {"ingest": do_ingest, "rebuild": do_rebuild_check, "latency": do_latency, "crawl": do_crawl,
              "maintenance": do_maintenance}[args.one[0]]
        print(json.dumps(fn(*args.one[1:])))  # type: ignore[operator]
        return
    check = args.check_rebuild or max(args.sizes)
    work = Path(args.keep or tempfile.mkdtemp(prefix="lednews-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    if args.existing:  # a database built by --build: the measurements without the bulk ingest
        edb, n = Path(args.existing[0]), int(args.existing[1])
        einc = work / f"inc-{n}.jsonl"
        with Path(args.corpus).open(encoding="utf-8") as fh, einc.open("w", encoding="utf-8") as w:
            for j, line in enumerate(fh):
                if j >= n + INCREMENT:
                    break
                if j >= n:
                    w.write(line)
        one: dict = {"size": n, "built_by": "--build"}
        measure(one, edb, einc, args.check_rebuild is not None, work)
        print(json.dumps(one), flush=True)
        if args.out:
            Path(args.out).write_text(json.dumps([one], indent=1), "utf-8")
        return
    for n in args.sizes:
        row: dict = {"size": n}
        corpus, inc = work / f"corpus-{n}.jsonl", work / f"inc-{n}.jsonl"
        row["generate_seconds"] = round(write_corpus(corpus, n), 1)
        write_corpus(inc, INCREMENT, skip=n)
        db = work / f"news-{n}.db"
        row["bulk"] = _sub("--one", "ingest", str(corpus), str(db))
        corpus.unlink()
        measure(row, db, inc, n == check, work)
        results.append(row)
        print(json.dumps(row), flush=True)
    # Ratios on CPU time: the machine is shared, wall time carries other people's load.
    first = results[0]["incremental"]
    for r in results:
        inc, crawl = r["incremental"], r["crawl_into_copy"]
        if "failed" not in inc and "failed" not in first:
            r["incremental_ratio_to_smallest"] = round(inc["cpu_ms_per_article"] / first["cpu_ms_per_article"], 2)
            r["incremental_wall_ratio_to_smallest"] = round(inc["ms_per_article"] / first["ms_per_article"], 2)
        empties = [e["seconds"] for e in r["crawl_into_empty"] if "failed" not in e]
        if "failed" not in crawl and empties:
            r["crawl_ratio"] = round(crawl["seconds"] / statistics.mean(empties), 2)
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1), "utf-8")
    print(json.dumps([{k: r.get(k) for k in ("size", "incremental_ratio_to_smallest",
                                             "incremental_wall_ratio_to_smallest", "crawl_ratio")} for r in results]))


if __name__ == "__main__":
    main()
