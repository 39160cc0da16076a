"""The hard labelled story set (issue 17): no look-alike merges, per part and per class.

The set (tests/stories_hard_data.py) has an in-sample part (thresholds were tuned on
it) and a held-out part (never tuned on); each is ingested on its own through the real
path. Floors: pair precision >= 0.98, zero merges of hard negatives of any class,
recall >= 0.90 in every kind. Also: each class's veto shows in `lednews dedup
--explain`, and every link of the demo crawl is explained by it.
"""

from __future__ import annotations

import datetime
import json
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from stories_hard_data import articles, evaluate, hard_negatives, pair_kind
from support import run_cli

from aggregator.dedup.urls import canonicalize_url

MIN_PRECISION = 0.98
MIN_RECALL = 0.90
ARTICLES = articles()
CLASSES = {"recurring", "shared-paragraph", "same-announcement", "commentary"}
FIELDS = ("url", "title", "text", "lang", "published", "source")
# The set is written as of its latest date (its stories run into 2027: consecutive
# quarters, fiscal years); ingest refuses dates after today, so the set is ingested
# with that date as today, whatever this machine's clock says.
AS_OF = max(datetime.date.fromisoformat(a["published"][:10]) for a in ARTICLES if a["published"])


def _part(part: str) -> list[dict]:
    return [a for a in ARTICLES if a["part"] == part]


def _ingest(tmp: Path, rows: list[dict]) -> tuple[Path, dict[str, str]]:
    """In-process ingest (clean -> store -> one story pass); url -> story id."""
    from aggregator.dedup.ingest import ingest_file
    from aggregator.storage import Storage

    f = tmp / "set.jsonl"
    f.write_text("".join(json.dumps({k: r[k] for k in FIELDS}, ensure_ascii=False) + "\n" for r in rows),
                 "utf-8")
    storage = Storage(tmp / "news.db")
    try:
        rep = ingest_file(f, storage, {}, {}, today=AS_OF)
        assert not rep.errors, rep.errors[:3]
        sid = dict(storage.db.execute("select canonical_url, story_id from articles").fetchall())
    finally:
        storage.close()
    return tmp / "news.db", {r["url"]: sid[canonicalize_url(r["url"])] for r in rows}


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, str]]]:
    return {p: _ingest(tmp_path_factory.mktemp(f"hard-{p}"), _part(p)) for p in ("in", "held")}


def test_hard_set_size_and_split() -> None:
    assert len(ARTICLES) >= 200
    neg = hard_negatives(ARTICLES)
    assert len(neg) >= 60 and {c for _, _, c in neg} == CLASSES
    for part in ("in", "held"):  # every class is in both parts
        assert {c for _, _, c in hard_negatives(_part(part))} == CLASSES, part
    by_story: dict[str, list[dict]] = defaultdict(list)
    for a in ARTICLES:
        by_story[a["story"]].append(a)
    assert all(len({a["part"] for a in v}) == 1 for v in by_story.values())  # no story spans parts
    # MT-variant groups: one Chinese article and two or more English translations of it
    mt_groups = [s for s, v in by_story.items()
                 if any(a["lang"] == "zh-Hans" and a["role"] == "orig" for a in v)
                 and sum(a["lang"] == "en" and a["role"] in ("tr", "mt") for a in v) >= 2]
    assert len(mt_groups) >= 20
    kinds = {pair_kind(a, b) for v in by_story.values() for i, a in enumerate(v) for b in v[i + 1:]}
    assert kinds == {"bilingual", "translation variant", "syndicated", "script variant"}
    assert len(set(a["url"] for a in ARTICLES)) == len(ARTICLES)


@pytest.mark.parametrize("part", ["in", "held"])
def test_pair_quality_per_part(parts: dict, part: str) -> None:
    res = evaluate(_part(part), parts[part][1])
    rec = {k: f"{f}/{t}" for k, (f, t) in res["recall"].items()}
    print(f"\nhard set [{part}]: precision {res['precision']:.3f} over {res['merged']} merged pairs; "
          f"recall {rec}; hard-negative merges {res['hard_merges']}")
    assert res["precision"] >= MIN_PRECISION, res["wrong_pairs"][:5]
    for kind, (found, total) in res["recall"].items():
        assert found / total >= MIN_RECALL, (kind, rec)


@pytest.mark.parametrize("cls", sorted(CLASSES))
def test_no_hard_negative_merges(parts: dict, cls: str) -> None:
    """Fails as soon as one pair of look-alike stories of this class shares a story."""
    merged = []
    for part in ("in", "held"):
        rows = _part(part)
        story_of = parts[part][1]
        members: dict[str, list[str]] = defaultdict(list)
        for a in rows:
            members[a["story"]].append(a["url"])
        for s, t, c in hard_negatives(rows):
            if c == cls:
                merged += [(u, v) for u in members[s] for v in members[t] if story_of[u] == story_of[v]]
    assert merged == []


def _explain(db: Path, a: dict, b: dict) -> str:
    proc = run_cli("dedup", "--db", str(db), "--explain", a["url"], b["url"])
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_explain_names_the_veto_of_each_class(parts: dict) -> None:
    db = parts["in"][0]
    by = {(a["story"], a["role"], a["lang"]): a for a in _part("in")}
    cases = [  # (a, b, what --explain must say)
        (("price-ledinside-2026q1", "tr", "en"), ("price-ledinside-2026q2", "tr", "en"), "periods differ"),
        (("results-hcsemitek-2026h1", "orig", "zh-Hans"), ("results-hcsemitek-20269m", "orig", "zh-Hans"),
         "periods differ"),
        (("price-ledinside-2026q2", "orig", "zh-Hans"), ("price-ggii-2025q2", "tr", "en"), "years differ"),
        (("fab-sanan-ezhou-outletA", "orig", "zh-Hans"), ("fab-sanan-ezhou-outletB", "orig", "zh-Hans"),
         "sentences shared verbatim: 1; own text 80% / 80%; own-text similarity 0.19"),
        (("launch-nationstar-0", "tr", "en"), ("launch-nationstar-1", "tr", "en"), "sentences shared verbatim: 3"),
        (("policy-efficiency", "tr", "en"), ("commentary-efficiency", "orig", "en"), "kind=none"),
    ]
    for a, b, said in cases:
        out = _explain(db, by[a], by[b])
        assert "DIFFERENT stories" in out, out
        assert said in out, (a, b, out)
        assert "veto: none" not in out or said == "kind=none", out
        assert "measurements in order (digits):" in out and "lead periods:" in out
    # a version pair: ONE story, no veto, the evidence printed
    out = _explain(db, by[("results-nationstar-2026h1", "tr", "en")], by[("results-nationstar-2026h1", "mt", "en")])
    assert "ONE story" in out and "veto: none" in out and "in line 1.00" in out, out


def _pair(t1: str, x1: str, t2: str, x2: str, lang: str = "en"):
    from aggregator.dedup.features import extract
    from aggregator.dedup.pairs import score_pair

    (ka, _, pa), (kb, _, pb) = (extract(i, t, x, lang, "2026-05-01", False, i)
                                for i, t, x in (("a", t1, x1), ("b", t2, x2)))
    return score_pair(ka, pa, kb, pb)


BOILER = ("About Unilumin: Shenzhen Unilumin Group, founded in 2004, focuses on LED displays and LED "
          "lighting. Its products span fine-pitch displays, Micro LED and XR virtual production, and it sells "
          "in more than one hundred countries and regions. The company is listed in Shenzhen.")


def test_a_shared_paragraph_alone_is_vetoed_but_a_copy_is_not() -> None:
    """The own-text rule by itself (no figures to disagree): two launches ending in one
    boilerplate paragraph are vetoed; a syndicated copy with one line added is not."""
    one = ("Unilumin unveils a COB display for control rooms",
           "Unilumin has unveiled a fine-pitch COB display built with flip chips and common-cathode driving for "
           "control rooms and broadcast studios. Deliveries start after the summer trade fair.\n" + BOILER)
    two = ("Unilumin opens a virtual production studio in Dubai",
           "Unilumin has opened a virtual production studio in Dubai with a curved wall and a ceiling, run "
           "together with a local film company that rents it to advertising agencies.\n" + BOILER)
    ps = _pair(*one, *two)
    assert ps.kind != "none" and ps.veto.startswith("only shared passages agree"), ps
    copy = (one[0], one[1] + "\nRead more display news on our site every morning, with weekly market updates.")
    ps = _pair(*one, *copy)
    assert ps.ok and ps.kind == "near", ps


def test_periods_and_years_in_every_form() -> None:
    from aggregator.dedup.numbers import periods, years

    assert periods("2026年3月我国LED照明产品出口额") == {"M3"} and periods("exports in March 2026") == {"M3"}
    assert periods("5月17日晚间公告") == set() and periods("on May 17 it said") == set()
    assert periods("1-5月累计出口") == {"M1-5"} and periods("2Q26 LED Price Trend") == {"Q2"}
    assert periods("首季出货") == {"Q1"} and periods("1-3Q revenue") == {"9M"}
    assert years("2Q26 LED Price Trend") == {"2026"} and years("1H25 results, FY27 guidance") == {"2025", "2027"}


def test_measurements_leave_out_specs_and_keep_order() -> None:
    from aggregator.dedup.numbers import alignment, figures

    keys, seq = figures("0.2W 2835封装产品每颗0.0041美元，下跌2.4%，6英寸产线良率96%，275nm芯片")
    assert seq == ("2.84e+03", "0.0041", "2.4%", "96%") and "0.2" in keys and "275" in keys
    assert alignment(("a", "b", "c", "d"), ("a", "b", "c", "d", "e")) == 1.0
    assert alignment(("a", "b", "c"), ("c", "b", "a")) == 1 / 3


def test_every_demo_merge_is_explained(demo_db: Path, tmp_path: Path) -> None:
    """Each link that joined two articles of the demo crawl into one story is shown by
    `dedup --explain` as a direct link with no veto (the explain function, in-process
    over one pass; the CLI calls the same)."""
    from aggregator.commands.common import _sibling_gaps
    from aggregator.dedup.run import explain, run_dedup
    from aggregator.storage import Storage

    db = tmp_path / "demo.db"
    with sqlite3.connect(demo_db) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    _, gaps = _sibling_gaps()
    storage = Storage(db)
    try:
        # a whole-set pass (the demo database already has its candidate index, so a plain
        # pass is incremental, finds nothing changed and links nothing: issue 14)
        run = run_dedup(storage, gaps, full=True)
        res = run.result
        assert res is not None and res.edges
        kinds: Counter[str] = Counter()
        for a, b, kind in res.edges:
            lines = explain(storage, a, b, gaps, run=run)
            text = "\n".join(lines)
            assert "verdict: ONE story" in text and f"direct link: {kind}" in text, text
            if kind in ("near", "variant", "cross"):
                assert "veto: none" in text, text
            kinds[kind] += 1
    finally:
        storage.close()
    print(f"\ndemo crawl: {sum(kinds.values())} links explained: {dict(kinds)}")
