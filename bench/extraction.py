"""Extraction benchmark: our generic extractor vs trafilatura (and resiliparse when
installed) on the same pages, in one run, one process.

    python bench/extraction.py ../shared/extraction-eval/fundus-evaluation \
        [--mirror tests/sites] [--repeat 3] [--out docs/performance.md] [--json FILE]

Corpora: the fundus-evaluation set (80 English pages, ground truth paragraphs) and the
mirror articles of tests/expected (zh + en, expected paragraphs). Ours runs with no
site profile (the generic path) and with the stage the pipeline applies after it
(``clean_lines``). Metric: aggregator/extract/scoring.py (the one the data's README
names). Speed: pages/s over the whole corpus, best of ``--repeat`` passes, each
extractor on the same decoded strings; the ratio to trafilatura is what counts.
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
    ap.add_argument("--mirror", type=Path, default=ROOT / "tests/sites")
    ap.add_argument("--expected", type=Path, default=ROOT / "tests/expected")
    ap.add_argument("--repeat", type=int, default=3, help="passes per extractor; best time counts")
    ap.add_argument("--limit", type=int, help="only the first N fundus pages")
    ap.add_argument("--out", type=Path, help="markdown file to update (e.g. docs/performance.md)")
    ap.add_argument("--json", type=Path, help="write full results (per page) here")
    ap.add_argument("--worst", type=int, default=0, help="print our N worst fundus pages")
    a = ap.parse_args()
    corpora = {f"fundus-evaluation ({a.fundus.name})": load_fundus(a.fundus, a.limit),
               "lednews mirror articles": load_mirror(a.mirror, a.expected)}
    results = measure(corpora, a.repeat)
    import platform

    body = (f"Measured by `python bench/extraction.py {a.fundus} --repeat {a.repeat}` on "
            f"{time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, one process.\n\n"
            + table(results))
    print(body)
    if a.worst:
        first = next(iter(results.values()))
        ours_pp = first["lednews generic"]["per_page"]
        tr_pp = first.get("trafilatura (defaults)", {}).get("per_page", {})
        f = lambda s: 0.0 if s[0] is None else 2 * s[0] * s[1] / ((s[0] + s[1]) or 1)  # noqa: E731
        for name in sorted(ours_pp, key=lambda n: f(ours_pp[n]))[:a.worst]:
            print(name, ours_pp[name], "traf:", tr_pp.get(name))
    if a.out:
        write_doc(a.out, body)
    if a.json:
        a.json.write_text(json.dumps(results, indent=1), "utf-8")


if __name__ == "__main__":
    main()
