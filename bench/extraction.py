"""Extraction benchmark: our generic extractor vs trafilatura (and resiliparse when
installed) on the same pages, in one run, one process.

    python bench/extraction.py FUNDUS_DIR [--wcxb WCXB_DIR] [--mirror tests/sites] \
        [--repeat 3] [--out docs/performance.md] [--json FILE] [--worst N]

Corpora: the fundus-evaluation set (80 English pages of 16 publishers, ground truth
paragraphs, MIT), the article pages of the WCXB development split (``--wcxb``: the Web
Content eXtraction Benchmark, Murrough-Foley, CC-BY-4.0; ``html/NNNN.html.gz`` and
``ground-truth/NNNN.json`` with main content, title, author and publish date; its test
split is held out and never read here) and the mirror articles of tests/expected (zh +
en, expected paragraphs). The data sets are read from the folders given on the command
line, not copied into the repo (the small licensed subsets the quality gate uses live
in tests/fixtures/).

Ours runs with no site profile (the generic path) and with the stage the pipeline
applies after it (``clean_lines``). Metric: aggregator/extract/scoring.py (word 4-gram
shingles, per-page P/R averaged, F1 of the averages; empty outputs counted apart).
Speed: pages/s over the whole corpus, best of ``--repeat`` passes, each extractor on the
same decoded strings; the ratio to trafilatura is what counts.

Metadata (corpora with a title/date/author truth, i.e. WCXB): title exact match after
white-space collapse, publish date right to the day (pages whose truth has a date),
author exact match after white-space collapse and case folding (pages whose truth names
one); ours from ``extract``, trafilatura from ``bare_extraction(with_metadata=True)``,
htmldate's ``find_date`` for the date alone.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.extract.scoring import Score, aggregate, page_scores  # noqa: E402

Page = tuple[str, str, str, str]  # name, url, html, truth text
# name -> {"title", "author", "date"} (truth metadata, None when the set has none)
Meta = dict[str, dict]
BEGIN, END = "<!-- extraction-bench:begin -->", "<!-- extraction-bench:end -->"


def load_fundus(folder: Path, limit: int | None = None) -> list[Page]:
    truth = json.loads((folder / "ground_truth.json").read_text("utf-8"))
    pages = []
    for name in sorted(truth)[:limit]:
        path = folder / "html" / name
        raw = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
        t = truth[name]
        pages.append((name, t.get("url") or "", raw.decode("utf-8", "replace"), "\n".join(t["body"])))
    return pages


def load_wcxb(folder: Path, limit: int | None = None) -> tuple[list[Page], Meta]:
    """WCXB pages (``html/NNNN.html.gz`` + ``ground-truth/NNNN.json``) and their truth
    metadata. Pages are UTF-8 (the set's README). A page whose truth has no
    ``main_content`` (one of the 711: 4893) is left out."""
    pages: list[Page] = []
    meta: Meta = {}
    for f in sorted((folder / "ground-truth").glob("*.json"))[:limit]:
        gt = json.loads(f.read_text("utf-8"))
        if not gt["ground_truth"].get("main_content"):
            continue
        path = folder / "html" / f"{f.stem}.html.gz"
        if not path.is_file():
            path = folder / "html" / f"{f.stem}.html"
        raw = path.read_bytes()
        raw = gzip.decompress(raw) if path.name.endswith(".gz") else raw
        t = gt["ground_truth"]
        pages.append((f.stem, gt.get("url") or "", raw.decode("utf-8", "replace"), t["main_content"]))
        meta[f.stem] = {"title": t.get("title"), "author": t.get("author"),
                        "date": t.get("publish_date"), "with": t.get("with") or [],
                        "without": t.get("without") or []}
    return pages, meta


def load_mirror(sites: Path, expected: Path) -> list[Page]:
    from aggregator.extract.encoding import decode_html
    from aggregator.mirror import mirror_path

    pages = []
    for f in sorted(expected.glob("*/*.json")):
        e = json.loads(f.read_text("utf-8"))
        path = mirror_path(sites, e["url"])
        if not path.is_file():
            continue
        html, _ = decode_html(path.read_bytes())
        pages.append((f"{f.parent.name}/{f.stem}", e["url"], html, "\n".join(e["paragraphs"])))
    return pages


def ours(html: str, url: str) -> str:
    from aggregator.extract import generic_text

    return generic_text(html, url)


def trafilatura_default(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url or None) or ""


def resiliparse_main(html: str, url: str) -> str:
    from resiliparse.extract.html2text import extract_plain_text

    return extract_plain_text(html, main_content=True)


def extractors() -> dict[str, Callable[[str, str], str]]:
    out: dict[str, Callable[[str, str], str]] = {"lednews generic": ours}
    try:
        import trafilatura  # noqa: F401

        out["trafilatura (defaults)"] = trafilatura_default
    except ImportError:
        print("trafilatura not installed: pip install -e '.[bench]'", file=sys.stderr)
    try:
        import resiliparse  # noqa: F401

        out["resiliparse (main_content)"] = resiliparse_main
    except ImportError:
        pass
    return out


def run(fn: Callable[[str, str], str], pages: list[Page], repeat: int) -> tuple[Score, float, list]:
    best = float("inf")
    outputs: list[str] = []
    for _ in range(repeat):
        outs = []
        t0 = time.perf_counter()
        for _name, url, html, _truth in pages:
            try:
                outs.append(fn(html, url))
            except Exception:  # noqa: BLE001 - a crash on one page scores as empty output
                outs.append("")
        best = min(best, time.perf_counter() - t0)
        outputs = outs
    per_page = [page_scores(o, p[3]) for o, p in zip(outputs, pages)]
    return aggregate(per_page), len(pages) / best, per_page


def measure(corpora: dict[str, list[Page]], repeat: int) -> dict:
    results: dict = {}
    for corpus, pages in corpora.items():
        results[corpus] = {}
        for name, fn in extractors().items():
            fn(pages[0][2], pages[0][1])  # warm-up: imports, caches
            score, pps, per_page = run(fn, pages, repeat)
            results[corpus][name] = {"score": score.__dict__, "pages_per_s": pps,
                                     "per_page": {p[0]: s for p, s in zip(pages, per_page)}}
    return results


def _norm(s: str | None) -> str:
    return " ".join((s or "").split())


def _meta_ours(html: str, url: str) -> tuple[str, str, str]:
    from aggregator.extract import ExtractError, extract

    try:
        a = extract(html, url)
    except ExtractError:
        return "", "", ""
    return a.title, (a.published or "")[:10], a.author or ""


def _meta_trafilatura(html: str, url: str) -> tuple[str, str, str]:
    import trafilatura

    d = trafilatura.bare_extraction(html, url=url or None, with_metadata=True)
    if d is None:
        return "", "", ""
    get = (lambda k: getattr(d, k, None)) if not isinstance(d, dict) else d.get
    return get("title") or "", (get("date") or "")[:10], get("author") or ""


def _meta_htmldate(html: str, url: str) -> tuple[str, str, str]:
    from htmldate import find_date

    return "", find_date(html, url=url or None, outputformat="%Y-%m-%d") or "", ""


def measure_meta(pages: list[Page], truth: Meta) -> dict:
    """Title / date / author accuracy of each extractor (one untimed pass)."""
    fns: dict[str, Callable[[str, str], tuple[str, str, str]]] = {"lednews generic": _meta_ours}
    try:
        import trafilatura  # noqa: F401

        fns["trafilatura (defaults)"] = _meta_trafilatura
    except ImportError:
        pass
    try:
        import htmldate  # noqa: F401

        fns["htmldate (date only)"] = _meta_htmldate
    except ImportError:
        pass
    out: dict = {}
    for name, fn in fns.items():
        hits = {"title": 0, "date": 0, "author": 0}
        n = {"title": 0, "date": 0, "author": 0}
        misses: dict[str, list] = {"title": [], "date": [], "author": []}
        for pname, url, html, _t in pages:
            tr = truth.get(pname) or {}
            try:
                title, date, author = fn(html, url)
            except Exception:  # noqa: BLE001 - a crash scores as a miss
                title, date, author = "", "", ""
            for field, got, want in (("title", _norm(title), _norm(tr.get("title"))),
                                     ("date", date, (tr.get("date") or "")[:10]),
                                     ("author", _norm(author).casefold(),
                                      _norm(tr.get("author")).casefold())):
                if not want or (field == "title" and name.startswith("htmldate")):
                    continue
                if field == "author" and name.startswith("htmldate"):
                    continue
                n[field] += 1
                if got == want:
                    hits[field] += 1
                else:
                    misses[field].append((pname, got, want))
        out[name] = {f: (hits[f] / n[f] if n[f] else None, n[f]) for f in hits}
        out[name]["misses"] = misses
    return out


def meta_table(meta: dict) -> str:
    lines = ["| extractor | title exact | date (day) | author |", "|---|---|---|---|"]
    for name, r in meta.items():
        cells = [f"{r[f][0]:.3f} ({r[f][1]})" if r[f][0] is not None else "n/a"
                 for f in ("title", "date", "author")]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def table(results: dict) -> str:
    lines = []
    for corpus, res in results.items():
        base = res.get("trafilatura (defaults)", {}).get("pages_per_s")
        lines += [f"**{corpus}**", "",
                  "| extractor | P | R | F1 | empty | pages/s | speed vs trafilatura |",
                  "|---|---|---|---|---|---|---|"]
        for name, r in res.items():
            s = r["score"]
            ratio = f"{r['pages_per_s'] / base:.2f}" if base else "n/a"
            lines.append(f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
                         f"{s['empty']}/{s['pages']} | {r['pages_per_s']:.0f} | {ratio} |")
        lines.append("")
    return "\n".join(lines)


def write_doc(out: Path, body: str) -> None:
    text = out.read_text("utf-8") if out.is_file() else "# Performance\n\n"
    block = f"{BEGIN}\n{body}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## Extraction\n\n" + block + "\n"
    out.write_text(text, "utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("fundus", type=Path, help="fundus-evaluation folder (ground_truth.json, html/)")
    ap.add_argument("--wcxb", type=Path, help="WCXB dev articles folder (ground-truth/, html/)")
    ap.add_argument("--mirror", type=Path, default=ROOT / "tests/sites")
    ap.add_argument("--expected", type=Path, default=ROOT / "tests/expected")
    ap.add_argument("--repeat", type=int, default=3, help="passes per extractor; best time counts")
    ap.add_argument("--limit", type=int, help="only the first N fundus pages")
    ap.add_argument("--out", type=Path, help="markdown file to update (e.g. docs/performance.md)")
    ap.add_argument("--json", type=Path, help="write full results (per page) here")
    ap.add_argument("--worst", type=int, default=0, help="print our N worst pages of each set")
    ap.add_argument("--only", help="only the corpora whose name contains this")
    a = ap.parse_args()
    corpora = {f"fundus-evaluation ({a.fundus.name})": load_fundus(a.fundus, a.limit)}
    truth_meta: dict[str, Meta] = {}
    if a.wcxb:
        wname = f"WCXB dev articles ({a.wcxb.name})"
        corpora[wname], truth_meta[wname] = load_wcxb(a.wcxb, a.limit)
    corpora["lednews mirror articles"] = load_mirror(a.mirror, a.expected)
    if a.only:
        corpora = {k: v for k, v in corpora.items() if a.only in k}
    results = measure(corpora, a.repeat)
    import platform

    # the data folders by name only: where they sit differs from machine to machine
    wcxb = f" --wcxb {a.wcxb.name}" if a.wcxb else ""
    body = (f"Measured by `python bench/extraction.py {a.fundus.name}{wcxb} --repeat {a.repeat}` on "
            f"{time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, one process.\n\n"
            + table(results))
    metas = {c: measure_meta(corpora[c], truth_meta[c]) for c in corpora if c in truth_meta}
    for corpus, m in metas.items():
        body += f"\n**{corpus}: metadata** (share right; pages with that truth field)\n\n" + meta_table(m)
    print(body)
    if a.worst:
        f = lambda s: 0.0 if s[0] is None else 2 * s[0] * s[1] / ((s[0] + s[1]) or 1)  # noqa: E731
        for corpus, res in results.items():
            ours_pp = res["lednews generic"]["per_page"]
            tr_pp = res.get("trafilatura (defaults)", {}).get("per_page", {})
            print(f"-- {corpus}")
            for name in sorted(ours_pp, key=lambda n: f(ours_pp[n]) - f(tr_pp.get(n, (0, 0))))[:a.worst]:
                print(name, ours_pp[name], "traf:", tr_pp.get(name))
    if a.out:
        write_doc(a.out, body)
    if a.json:
        for corpus, m in metas.items():
            results[corpus]["_metadata"] = m
        a.json.write_text(json.dumps(results, indent=1), "utf-8")


if __name__ == "__main__":
    main()
