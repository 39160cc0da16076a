"""Language detection benchmark: our detector (aggregator/extract/language.py) vs lingua
restricted to English + Chinese, on the same texts, in one run.

    python bench/language.py [FUNDUS_DIR] [--out docs/performance.md]

Texts: every mirror article of tests/expected (title + body, and the title alone, the
hard case: short and mixed) labelled en / zh-Hans / zh-Hant, plus the fundus pages'
ground truth (en) when the folder is given. lingua tells zh from en only, so it is
scored on that; ours is also scored on Simplified vs Traditional.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.extract.language import detect_language  # noqa: E402

BEGIN, END = "<!-- language-bench:begin -->", "<!-- language-bench:end -->"


def samples(fundus: Path | None) -> list[tuple[str, str, str]]:
    """(kind, text, label)"""
    out = []
    for f in sorted((ROOT / "tests/expected").glob("*/*.json")):
        e = json.loads(f.read_text("utf-8"))
        out.append(("article", e["title"] + "\n" + "\n".join(e["paragraphs"]), e["lang"]))
        out.append(("title", e["title"], e["lang"]))
    if fundus:
        for t in json.loads((fundus / "ground_truth.json").read_text("utf-8")).values():
            out.append(("article", "\n".join(t["body"]), "en"))
    return out


def lingua_detector():
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return None
    det = LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.CHINESE).build()

    def detect(text: str) -> str | None:
        lang = det.detect_language_of(text)
        return None if lang is None else ("en" if lang.name == "ENGLISH" else "zh")
    return detect


def score(fn, data) -> tuple[dict, float]:
    t0 = time.perf_counter()
    preds = [fn(text) for _k, text, _l in data]
    per_s = len(data) / (time.perf_counter() - t0)
    res = {}
    for kind in ("article", "title"):
        rows = [(p, lab) for p, (k, _t, lab) in zip(preds, data) if k == kind]
        coarse = sum((p or "").split("-")[0] == lab.split("-")[0] for p, lab in rows)
        fine = sum(p == lab for p, lab in rows)
        res[kind] = (coarse, fine, len(rows))
    return res, per_s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("fundus", type=Path, nargs="?")
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    data = samples(a.fundus)
    rows = [("lednews (en/zh-Hans/zh-Hant)", detect_language)]
    lin = lingua_detector()
    if lin:
        rows.append(("lingua (en+zh only)", lin))
    lines = [f"Measured by `python bench/language.py {a.fundus or ''}` on {time.strftime('%Y-%m-%d')}, "
             "one process; all texts are scored by each detector in turn.", "",
             "| detector | articles en/zh right | articles exact (incl. Hans/Hant) | titles en/zh right"
             " | titles exact | texts/s |", "|---|---|---|---|---|---|"]
    for name, fn in rows:
        fn(data[0][1])  # warm-up (model loading)
        res, per_s = score(fn, data)
        art, tit = res["article"], res["title"]
        exact = lambda r: f"{r[1]}/{r[2]}" if name.startswith("lednews") else "n/a"  # noqa: E731
        lines.append(f"| {name} | {art[0]}/{art[2]} | {exact(art)} | {tit[0]}/{tit[2]} | {exact(tit)} | {per_s:,.0f} |")
    body = "\n".join(lines) + "\n"
    print(body)
    if a.out:
        text = a.out.read_text("utf-8") if a.out.is_file() else "# Performance\n"
        block = f"{BEGIN}\n{body}{END}"
        if BEGIN in text:
            head, rest = text.split(BEGIN, 1)
            text = head + block + rest.split(END, 1)[1]
        else:
            text = text.rstrip("\n") + "\n\n## Language detection\n\n" + block + "\n"
        a.out.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
