"""Same output, less time: extraction, cleaning, hashing and the challenge scan over every
page we have, recorded by one checkout and compared with another's record.

    python bench/extract_regress.py record OUT.jsonl [--code DIR] [--mirror GENERATED]
    python bench/extract_regress.py compare BEFORE.jsonl AFTER.jsonl
    python bench/extract_regress.py time [--code DIR] [--mirror GENERATED] [--repeat 5]

``--code DIR`` imports ``aggregator`` and ``spiders`` from another checkout (e.g. an
unpacked ``git archive main``), so one interpreter measures both sides. Pages: every
HTML file of tests/sites (with each profile that owns its host, and without a profile),
the fundus-evaluation set and the WCXB dev articles (no profile) and a generated mirror of ``bench/crawl.py``
(with its sources.toml profiles). Per page the record holds the Article of
``extract`` (all fields but ``fetched_at``; ``now`` is fixed), the ``clean_article``
result, ``content_hash`` of the cleaned text, ``detect_challenge`` at 200 and 202, the
template keys of the cleaned lines, and ``to_simplified`` of every line and of the
whole text. ``time`` prints per-page milliseconds per stage (median of the passes; the
text caches are cleared before each pass, so every pass converts like a fresh crawl).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
# The evaluation sets are not part of the repository: LEDNEWS_EVAL_DIR names the folder
# that holds fundus-evaluation/ and wcxb-dev-articles/ (default: ../eval beside the repo).
EVAL = Path(os.environ.get("LEDNEWS_EVAL_DIR", ROOT.parent / "eval"))
FUNDUS = EVAL / "fundus-evaluation"
WCXB = EVAL / "wcxb-dev-articles"


def _use_code(code: str | None) -> None:
    sys.path.insert(0, str(Path(code).resolve()) if code else str(ROOT))


Page = tuple[str, str, bytes, object, "str | None"]  # name, url, body, profile, language hint


def pages(mirror: Path | None, fundus: Path | None, wcxb: Path | None = None) -> list[Page]:
    """``(name, url, body, profile, lang_hint)`` for every page of every corpus."""
    from aggregator.profiles import load_sources
    from spiders import site_profiles

    out = []
    profiles = site_profiles()
    sites = ROOT / "tests" / "sites"
    for f in sorted(sites.rglob("*")):
        if not f.is_file() or f.name.endswith(".headers"):
            continue
        rel = f.relative_to(sites).as_posix()
        url = "https://" + (rel[: -len("index.html")] if rel.endswith("/index.html") else rel)
        body = f.read_bytes()
        out.append((f"sites/{rel}", url, body, None, None))
        for p in profiles:
            if p.owns(url):
                hint = p.languages[0] if p.languages else None
                out.append((f"sites/{rel}@{p.key}", url, body, p, hint))
    if fundus and (fundus / "ground_truth.json").is_file():
        truth = json.loads((fundus / "ground_truth.json").read_text("utf-8"))
        for name in sorted(truth):
            raw = (fundus / "html" / name).read_bytes()
            raw = gzip.decompress(raw) if name.endswith(".gz") else raw
            url = truth[name].get("url") or "https://example.com/"
            out.append((f"fundus/{name}", url, raw, None, None))
    if wcxb and (wcxb / "ground-truth").is_dir():
        for f in sorted((wcxb / "ground-truth").glob("*.json")):
            url = json.loads(f.read_text("utf-8")).get("url") or "https://example.com/"
            raw = gzip.decompress((wcxb / "html" / f"{f.stem}.html.gz").read_bytes())
            out.append((f"wcxb/{f.stem}", url, raw, None, None))
    if mirror and (mirror / "sources.toml").is_file():
        gen = load_sources(mirror / "sources.toml")
        for host in sorted(d.name for d in mirror.iterdir() if d.is_dir()):
            p = next(x for x in gen if x.owns(f"https://{host}/"))
            for f in sorted((mirror / host).rglob("*.html"), key=lambda x: (len(x.name), x.name)):
                url = f"https://{host}/" + f.relative_to(mirror / host).as_posix()
                hint = p.languages[0] if p.languages else None
                out.append((f"gen/{host}/{f.name}", url, f.read_bytes(), p, hint))
    return out


def run_page(name, url, body, profile, hint) -> dict:
    from aggregator.challenge import detect_challenge
    from aggregator.clean import clean_article
    from aggregator.clean.template import line_key
    from aggregator.dedup import content_hash
    from aggregator.extract import ExtractError, extract
    from aggregator.extract.language import to_simplified

    rec: dict = {"page": name,
                 "challenge": [detect_challenge(200, {}, body), detect_challenge(202, {}, body)]}
    try:
        art = extract(body, url, profile, lang_hint=hint, now=NOW)
    except ExtractError as e:
        rec["error"] = str(e)
        return rec
    d = art.to_dict()
    d.pop("fetched_at")
    rec["extract"] = d
    cleaned = clean_article(art, profile)
    c = cleaned.to_dict()
    c.pop("fetched_at")
    rec["clean"] = c
    rec["hash"] = content_hash(cleaned.text)
    rec["keys"] = [line_key(ln) for ln in cleaned.text.split("\n")]
    texts = [art.title, art.text, *art.text.split("\n")]
    rec["t2s"] = hashlib.sha1("\x00".join(to_simplified(t) for t in texts).encode()).hexdigest()
    return rec


def record(args) -> None:
    corpus = pages(args.mirror, args.fundus, args.wcxb)
    with open(args.out, "w", encoding="utf-8") as fh:
        for pg in corpus:
            fh.write(json.dumps(run_page(*pg), ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(corpus)} pages recorded to {args.out}")


def compare(args) -> int:
    a = [json.loads(x) for x in Path(args.before).read_text("utf-8").split("\n") if x]
    b = [json.loads(x) for x in Path(args.after).read_text("utf-8").split("\n") if x]
    if [r["page"] for r in a] != [r["page"] for r in b]:
        print("the two records cover different pages")
        return 1
    bad = 0
    for ra, rb in zip(a, b):
        if ra != rb:
            bad += 1
            keys = sorted(k for k in set(ra) | set(rb) if ra.get(k) != rb.get(k))
            if bad <= 20:
                print(f"DIFF {ra['page']}: {keys}")
    print(f"{len(a)} pages compared, {bad} differ")
    return 1 if bad else 0


STAGES = ("challenge", "extract", "clean", "hash", "template_keys")


def time_stages(args) -> None:
    from aggregator.challenge import detect_challenge
    from aggregator.clean import clean_article
    from aggregator.clean.template import line_key
    from aggregator.dedup import content_hash
    from aggregator.extract import ExtractError, extract
    from aggregator.extract.language import to_simplified

    corpus = pages(args.mirror, None if args.no_fundus else args.fundus, args.wcxb)
    if args.only:
        corpus = [p for p in corpus if p[0].startswith(args.only)]
    runs: dict[str, list[float]] = {s: [] for s in STAGES}
    clock = time.process_time  # CPU time: the machine is shared, wall time is noisier
    for _ in range(args.repeat):
        getattr(to_simplified, "cache_clear", lambda: None)()  # the older code cached conversions
        spent = dict.fromkeys(STAGES, 0.0)
        for _name, url, body, profile, hint in corpus:
            t0 = clock()
            detect_challenge(200, {}, body)
            t1 = clock()
            try:
                art = extract(body, url, profile, lang_hint=hint, now=NOW)
            except ExtractError:
                spent["challenge"] += t1 - t0
                spent["extract"] += clock() - t1
                continue
            t2 = clock()
            cleaned = clean_article(art, profile)
            t3 = clock()
            content_hash(cleaned.text)
            t4 = clock()
            [line_key(ln) for ln in cleaned.text.split("\n")]
            t5 = clock()
            for s, dt in zip(STAGES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
                spent[s] += dt
        for s in STAGES:
            runs[s].append(spent[s] * 1000 / len(corpus))
    print(f"{len(corpus)} pages, {args.repeat} passes; ms per page, median [min-max]")
    total = [sum(runs[s][i] for s in STAGES) for i in range(args.repeat)]
    for s, v in [*runs.items(), ("total", total)]:
        print(f"{s:14s} {statistics.median(v):7.3f}  [{min(v):.3f}-{max(v):.3f}]")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("record", "time"):
        p = sub.add_parser(name)
        p.add_argument("--code", help="checkout to import aggregator from (default: this one)")
        p.add_argument("--mirror", type=Path,
                       help="a generated mirror (bench/crawl.py build_mirror)")
        p.add_argument("--fundus", type=Path, default=FUNDUS)
        p.add_argument("--wcxb", type=Path, default=WCXB, help="WCXB dev articles folder")
        if name == "record":
            p.add_argument("out")
        else:
            p.add_argument("--repeat", type=int, default=5)
            p.add_argument("--no-fundus", action="store_true")
            p.add_argument("--only", help="page-name prefix: sites/, fundus/, gen/")
    p = sub.add_parser("compare")
    p.add_argument("before")
    p.add_argument("after")
    args = ap.parse_args()
    if args.cmd == "compare":
        return compare(args)
    _use_code(args.code)
    if args.cmd == "record":
        record(args)
    else:
        time_stages(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
