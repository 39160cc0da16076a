"""Story-linking quality on the hard labelled set (tests/stories_hard_data.py).

    .venv/bin/python bench/stories.py [--part in|held|all] [--wrong] [--missed]

Each part is ingested on its own into a new SQLite file through ``ingest_file`` (the
real path: clean -> store -> one story pass); prints pair precision, recall per kind
and merges of hard negatives per class. ``--wrong`` lists wrong merges, ``--missed``
the true pairs left apart (with ``dedup --explain`` lines for each).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def run_part(rows: list[dict], workdir: Path,
             each: Callable[[object, dict[str, str]], None] | None = None) -> dict:
    from stories_hard_data import evaluate

    from aggregator.dedup.ingest import ingest_file
    from aggregator.dedup.urls import canonicalize_url
    from aggregator.storage import Storage

    f = workdir / "set.jsonl"
    fields = ("url", "title", "text", "lang", "published", "source")
    f.write_text("".join(json.dumps({k: r[k] for k in fields}, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    storage = Storage(workdir / "news.db")
    try:
        rep = ingest_file(f, storage, {}, {})
        assert not rep.errors, rep.errors[:3]
        sid = dict(storage.db.execute("select canonical_url, story_id from articles").fetchall())
        story_of = {r["url"]: sid[canonicalize_url(r["url"])] for r in rows}
        if each is not None:
            each(storage, story_of)
    finally:
        storage.close()
    out = evaluate(rows, story_of)
    out["links"] = rep.links
    return out


def quick_explain(storage, url_a: str, url_b: str) -> list[str]:
    """The direct pair's score and veto (``dedup --explain`` without the pass)."""
    from aggregator.dedup.features import profile_for
    from aggregator.dedup.pairs import score_pair
    from aggregator.dedup.run import _keys_row

    a, b = storage.find_article(url_a), storage.find_article(url_b)
    texts = storage.article_texts([a, b])
    ka, kb = (_keys_row(x, texts[x])[0] for x in (a, b))
    pa, pb = (profile_for(texts[x]["title"] or "", texts[x]["text"] or "", k.group) for x, k in ((a, ka), (b, kb)))
    ps = score_pair(ka, pa, kb, pb)
    return [f"kind={ps.kind} score={ps.score:.3f} jaccard={ps.jaccard:.3f} semantic={ps.semantic:.3f} "
            f"veto={ps.veto or 'none'}"]


def fmt(name: str, res: dict) -> str:
    rec = ", ".join(f"{k} {f}/{t}" for k, (f, t) in res["recall"].items())
    hard = ", ".join(f"{k} {m}/{t}" for k, (m, t) in res["hard_merges"].items())
    return (f"{name}: precision {res['precision']:.3f} over {res['merged']} merged pairs "
            f"({res['wrong']} wrong); recall {rec}; hard-negative pairs merged: {hard}")


def main() -> None:
    from stories_hard_data import articles


    ap = argparse.ArgumentParser()
    ap.add_argument("--part", default="all", choices=["in", "held", "all"])
    ap.add_argument("--wrong", action="store_true")
    ap.add_argument("--missed", action="store_true")
    args = ap.parse_args()
    rows = articles()
    parts = ["in", "held"] if args.part == "all" else [args.part]
    for part in parts:
        sel = [r for r in rows if r["part"] == part]
        detail: list[str] = []

        def each(storage, story_of, sel=sel, detail=detail) -> None:
            from itertools import combinations

            if args.wrong:
                for a, b in combinations(sel, 2):
                    if a["story"] != b["story"] and story_of[a["url"]] == story_of[b["url"]]:
                        detail.append(f"WRONG {a['story']}/{a['role']}/{a['lang']} ~ {b['story']}/{b['role']}/{b['lang']}")
                        detail += ["   " + x for x in quick_explain(storage, a["url"], b["url"])]
            if args.missed:
                for a, b in combinations(sel, 2):
                    if a["story"] == b["story"] and story_of[a["url"]] != story_of[b["url"]]:
                        detail.append(f"MISSED {a['story']}/{a['role']}/{a['lang']} ~ {b['role']}/{b['lang']}")
                        detail += ["   " + x for x in quick_explain(storage, a["url"], b["url"])]

        with tempfile.TemporaryDirectory() as d:
            res = run_part(sel, Path(d), each)
        stories = len({r["story"] for r in sel})
        print(f"[{part}] {len(sel)} articles, {stories} stories; links {res['links']}")
        print(fmt(part, res))
        for line in detail:
            print(line)


if __name__ == "__main__":
    main()
