"""Dedup at scale: ingest 10k and 100k generated articles, per-article cost and peak memory.

    .venv/bin/python bench/dedup.py [--sizes 10000 100000] [--out docs/performance.md]
        [--stories PREFIX]   # also write {url: story id} per size, to compare two checkouts
    .venv/bin/python bench/dedup.py --pass-over news.db [--stories FILE]
        # one story pass from scratch over a copy of a crawled database (a crawl's dedup)

The corpus is written to a file first; each size is then ingested in its own process
(fresh interpreter, so peak RSS is that ingest's, generation excluded) through
the real path: JSON lines -> ``ingest_file`` (clean -> dedup -> store) -> one story pass
into a new SQLite file. The generated corpus is deterministic (seeded) and keeps a
constant rate of 100 articles per day, so a bigger corpus is a longer period, as in
life. Mix: 70 % unique articles (en and zh), 12 % syndicated copies, 6 % MT-style
variants (word swaps), 6 % zh<->en pairs built from CC-CEDICT headwords and their
glosses, 6 % Traditional-script copies. The figure the issue asks for is the ratio of
per-article cost at the large size to the small one (target <= 1.5).
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PER_DAY = 100


def _lexicon(rng: random.Random) -> list[tuple[str, str]]:
    from aggregator.dedup.gloss import load

    gl, _ = load()
    pairs = [(w, sorted(g)[0]) for w, g in gl.items() if len(w) == 2 and len(g) == 1]
    pairs.sort()
    rng.shuffle(pairs)
    return pairs[:6000]


def generate(n: int, seed: int = 7) -> list[dict]:
    import opencc

    rng = random.Random(seed)
    lex = _lexicon(rng)
    weights = [1 / (i + 1) for i in range(len(lex))]  # Zipf-like word frequencies
    names = [f"Acme{rng.randrange(10**6):06d}" for _ in range(max(n // 20, 50))]
    s2t = opencc.OpenCC("s2t")
    out: list[dict] = []

    def words(k: int) -> list[tuple[str, str]]:
        return rng.choices(lex, weights=weights, k=k)

    def body(ws: list[tuple[str, str]], zh: bool, name: str, figs: list[str]) -> str:
        toks = [w[0] if zh else w[1] for w in ws]
        sents = []
        for i in range(0, len(toks), 12):
            chunk = toks[i:i + 12]
            if zh:
                sents.append("".join(chunk) + "。")
            else:
                sents.append(" ".join(chunk).capitalize() + ".")
        extra = f"{name} {figs[0]}{'%' if not zh else '%'} {figs[1]}"
        text = "".join(sents) if zh else " ".join(sents)
        return f"{extra} {text[: len(text) // 2]}\n{text[len(text) // 2:]} {name}"

    i = 0
    while len(out) < n:
        day = len(out) // PER_DAY
        date = (datetime.date(2000, 1, 1) + datetime.timedelta(days=day)).isoformat()
        ws = words(rng.randrange(60, 110))
        name = rng.choice(names)
        figs = [str(rng.randrange(11, 99)), f"{rng.randrange(100, 999)}.{rng.randrange(10)}"]
        r = rng.random()
        zh = rng.random() < 0.4
        base = {"title": f"{name} " + " ".join(w[1] for w in ws[:6]), "lang": "zh-Hans" if zh else "en",
                "published": date, "source": f"src{rng.randrange(40)}"}
        if zh:
            base["title"] = name + "".join(w[0] for w in ws[:8])
        text = body(ws, zh, name, figs)
        out.append({**base, "url": f"https://g{i}.example/a/{i}.html", "text": text})
        if r < 0.12:  # syndicated copy
            out.append({**base, "url": f"https://copy{i}.example/c/{i}.html", "source": "b2b_copy",
                        "text": text.replace("\n", "\n\n")})
        elif r < 0.18:  # MT-style variant: a fifth of the words swapped
            ws2 = [w if rng.random() > 0.2 else rng.choice(lex) for w in ws]
            out.append({**base, "url": f"https://mt{i}.example/m/{i}.html", "source": "b2b_mt",
                        "text": body(ws2, zh, name, figs)})
        elif r < 0.24:  # the other language
            out.append({**base, "url": f"https://x{i}.example/x/{i}.html",
                        "lang": "en" if zh else "zh-Hans", "source": "other_lang",
                        "title": " ".join(w[1] for w in ws[:6]) if zh else "".join(w[0] for w in ws[:8]),
                        "text": body(ws, not zh, name, figs)})
        elif r < 0.30 and zh:  # Traditional copy
            out.append({**base, "url": f"https://tw{i}.example/t/{i}.html", "lang": "zh-Hant",
                        "source": "tw_copy", "text": s2t.convert(text), "title": s2t.convert(base["title"])})
        i += 1
    return out[:n]


def write_corpus(n: int, path: Path) -> float:
    t0 = time.perf_counter()
    with path.open("w", encoding="utf-8") as fh:
        for r in generate(n):
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return time.perf_counter() - t0


def run_one(src: Path, n: int, stories_out: str | None = None) -> dict:
    """Ingest ``src`` into a new database (this process measures only the ingest);
    ``stories_out``: write ``{url: story id}`` there (JSON, sorted) to compare runs."""
    from aggregator.dedup.ingest import ingest_file
    from aggregator.storage import Storage
    from spiders import site_profiles

    with tempfile.TemporaryDirectory() as d:
        storage = Storage(Path(d) / "news.db")
        profiles = {p.key: p for p in site_profiles()}
        # Warm the one-off loads (jieba dictionary, CC-CEDICT) outside the timing: they
        # are per process, not per article.
        from aggregator.dedup.gloss import table
        from aggregator.dedup.tokens import simplify, zh_words
        table()
        zh_words(simplify("预热"))
        t1 = time.perf_counter()
        rep = ingest_file(src, storage, profiles, {})
        total = time.perf_counter() - t1
        s = storage.summary()
        if stories_out:
            mapping = dict(storage.db.execute("select url, story_id from articles").fetchall())
            Path(stories_out).write_text(json.dumps(mapping, sort_keys=True, indent=0), "utf-8")
        storage.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "seconds": round(total, 1), "ms_per_article": round(1000 * total / n, 3),
            "dedup_seconds": rep.dedup_seconds, "links": rep.links, "peak_rss_mb": round(peak_mb),
            "stories": s["stories"], "multi_version": s["multi_version_stories"]}


def one_pass(src: Path, stories_out: str | None = None) -> dict:
    """One story pass from scratch over a copy of the database ``src`` (e.g. a crawl of
    bench/crawl.py's mirror), in this fresh process: every article's features are new,
    as after a crawl of new pages. Peak RSS is this process's."""
    import shutil

    from aggregator.dedup.run import run_dedup
    from aggregator.storage import Storage

    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "news.db"
        shutil.copy(src, db)
        storage = Storage(db)
        storage.clear_dedup()
        storage.db.execute("update articles set story_id = null")
        storage.db.conn.commit()
        t0, c0 = time.perf_counter(), time.process_time()
        run = run_dedup(storage, {})
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        mapping = dict(storage.db.execute("select id, story_id from articles").fetchall())
        storage.close()
    if stories_out:
        Path(stories_out).write_text(json.dumps(mapping, sort_keys=True, indent=0), "utf-8")
    return {"articles": run.articles, "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
            "phases": run.seconds, "pairs": run.new_pairs, "links": run.links,
            "stories": len(set(mapping.values())),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--one", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("--stories", default=None, metavar="PREFIX",
                    help="write each size's {url: story id} to PREFIX-N.json (compare two checkouts)")
    ap.add_argument("--out", default=None, help="write the table into this markdown file")
    ap.add_argument("--pass-over", default=None, metavar="DB",
                    help="instead: time one story pass from scratch over a copy of DB")
    args = ap.parse_args()
    if args.pass_over:
        print(json.dumps(one_pass(Path(args.pass_over), args.stories)))
        return
    if args.one:
        print(json.dumps(run_one(Path(args.one[0]), int(args.one[1]), *args.one[2:3])))
        return
    results = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as d:
            src = Path(d) / "corpus.jsonl"
            write_corpus(n, src)
            extra = [f"{args.stories}-{n}.json"] if args.stories else []
            proc = subprocess.run([sys.executable, __file__, "--one", str(src), str(n), *extra],
                                  capture_output=True, text=True)
        if proc.returncode:
            sys.exit(proc.stderr[-3000:])
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), flush=True)
    base = results[0]
    lines = ["| articles | total s | ms / article | ratio to smallest | peak RSS MB | stories (multi-version) | dedup pass s |",
             "|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        lines.append(f"| {r['n']:,} | {r['seconds']} | {r['ms_per_article']} | "
                     f"{r['ms_per_article'] / base['ms_per_article']:.2f} | {r['peak_rss_mb']} | "
                     f"{r['stories']:,} ({r['multi_version']:,}) | {json.dumps(r['dedup_seconds'])} |")
    table = "\n".join(lines)
    print(table)
    if args.out:
        p = Path(args.out)
        text = p.read_text("utf-8") if p.exists() else "# Performance\n"
        start, end = "<!-- bench/dedup.py start -->", "<!-- bench/dedup.py end -->"
        block = f"{start}\n{table}\n{end}"
        if start in text:
            text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
        else:
            text += "\n" + block + "\n"
        p.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
