"""Companies and topics: what tagging costs and how well it tags.

    python bench/entities.py [--repeat 5] [--out docs/entities.md]

Cost: every article page of the bundled mirror (tests/sites, with the profile that
owns its host, as a crawl sees it) goes through ``aggregator.workers.prepare_page``
(extraction, cleaning, hashing: the page work of a crawl) and then through
``tag_article`` (the tagging ``save_articles`` adds), in the same process and the same
passes; the ratio of the two sums is the cost tagging adds (target <= 10 %, issue 19).
Reported: the median of ``--repeat`` passes per side (the machine is shared: absolute
times are noisy, the ratio in one run is what counts).

Quality: precision and recall of the labelled sets, per language: ``dev.txt`` (tuned
on), ``heldout.txt`` (the first held-out set: never tuned on, but measured after each
tuning round, so no longer strictly unseen), ``heldout2.txt`` (the second held-out set,
written before the tagger ran on it) and the two held-out sets together.

With ``--out`` the tables replace the text between the ``<!-- bench:entities -->``
markers of that file.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def cost(repeat: int) -> tuple[int, float, float]:
    from extract_regress import pages

    from aggregator.entities import load_gazetteer, tag_article
    from aggregator.process import prepare_page

    gaz = load_gazetteer()
    work = [p for p in pages(None, None) if p[3] is not None]  # article pages with their profile
    articles = []
    for _, url, body, profile, hint in work:
        a = prepare_page(body, url, profile, None, hint, None)
        if not isinstance(a, str) and a.text:
            articles.append((url, body, profile, hint))
    tag_article(gaz, "warm-up", "")  # the automaton is built once per process
    t_prep, t_tag = [], []
    for _ in range(repeat):
        prep = tag = 0.0
        for url, body, profile, hint in articles:
            t0 = time.perf_counter()
            a = prepare_page(body, url, profile, None, hint, None)
            t1 = time.perf_counter()
            assert not isinstance(a, str)
            tag_article(gaz, a.title, a.text, a.published)
            t2 = time.perf_counter()
            prep += t1 - t0
            tag += t2 - t1
        t_prep.append(prep)
        t_tag.append(tag)
    return len(articles), statistics.median(t_prep), statistics.median(t_tag)


def quality() -> list[tuple[str, str, str, int, float, float]]:
    from aggregator.entities import load_gazetteer
    from aggregator.entities.labelled import read_labelled, score

    gaz = load_gazetteer()
    rows = []
    sets = {name: read_labelled(ROOT / "tests" / "entities" / f"{name}.txt")
            for name in ("dev", "heldout", "heldout2")}
    sets["heldout+heldout2"] = sets["heldout"] + sets["heldout2"]
    for name, items in sets.items():
        res = score(gaz, items)
        for kind in ("company", "topic"):
            for lang in ("en", "zh-Hans", "zh-Hant", "all"):
                r = res[kind][lang]
                n = sum(1 for i in items if lang in ("all", i.lang))
                rows.append((name, kind, lang, n, r["precision"], r["recall"]))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    n, prep, tag = cost(args.repeat)
    lines = [f"Machine: {platform.machine()}, Python {platform.python_version()}, "
             f"{n} mirror article pages, median of {args.repeat} passes.", "",
             "| stage | ms per article | ratio |", "|---|---|---|",
             f"| extraction + cleaning (`prepare_page`) | {1000 * prep / n:.3f} | 1.00 |",
             f"| tagging (`tag_article`) | {1000 * tag / n:.3f} | {tag / prep:.3f} |", "",
             "| set | kind | language | articles | precision | recall |", "|---|---|---|---|---|---|"]
    lines += [f"| {s} | {k} | {lang} | {n} | {p:.3f} | {r:.3f} |" for s, k, lang, n, p, r in quality()]
    table = "\n".join(lines)
    print(table)
    if args.out:
        text = args.out.read_text("utf-8")
        start, end = "<!-- bench:entities -->", "<!-- /bench:entities -->"
        if start in text and end in text:
            head, rest = text.split(start, 1)
            text = head + start + "\n" + table + "\n" + end + rest.split(end, 1)[1]
            args.out.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
