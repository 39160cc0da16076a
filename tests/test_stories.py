"""Stories: the labelled set through `lednews ingest`, pairwise quality with pinned floors,
order independence, incremental == rebuild, --explain, bad ingest lines."""

from __future__ import annotations

import json
import random
import sqlite3
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pytest

from aggregator.dedup.numbers import numbers, periods
from aggregator.dedup.urls import canonicalize_url
from stories_data import articles, pair_kind
from support import run_cli

# Pinned floors (issue 4 acceptance). Lowering one is an explicit, reviewed change.
MIN_PRECISION = 0.98
MIN_RECALL = 0.90
ARTICLES = articles()


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def _ingest(db: Path, f: Path) -> str:
    proc = run_cli("ingest", str(f), "--db", str(db))
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout + proc.stderr


def _stories(db: Path) -> dict[str, str]:
    """canonical URL -> story id."""
    with sqlite3.connect(db) as c:
        return dict(c.execute("select canonical_url, story_id from articles"))


def _clusters(db: Path) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for url, sid in _stories(db).items():
        groups[sid].add(url)
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def labelled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("labelled")
    _ingest(d / "news.db", _write(d / "labelled.jsonl", ARTICLES))
    return d / "news.db"


def test_labelled_set_size() -> None:
    stories = defaultdict(list)
    for a in ARTICLES:
        stories[a["story"]].append(a)
    multi = [s for s, v in stories.items() if len(v) > 1 and not s.startswith("neg-")]
    negatives = [a for a in ARTICLES if a["role"] == "neg"]
    kinds = {pair_kind(a, b) for v in stories.values() for a, b in combinations(v, 2)}
    assert len(ARTICLES) >= 60 and len(multi) >= 15 and len(negatives) >= 10
    assert kinds == {"bilingual", "translation variant", "syndicated", "script variant"}


def test_pairwise_precision_recall_per_kind(labelled_db: Path) -> None:
    story_of = _stories(labelled_db)
    got = {a["url"]: story_of[canonicalize_url(a["url"])] for a in ARTICLES}
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # true pairs, found
    merged_pairs = wrong = negative_merges = 0
    for a, b in combinations(ARTICLES, 2):
        same = got[a["url"]] == got[b["url"]]
        if a["story"] == b["story"]:
            k = per_kind[pair_kind(a, b)]
            k[0] += 1
            k[1] += same
        elif same:
            wrong += 1
            negative_merges += a["story"].startswith("neg-") or b["story"].startswith("neg-")
        merged_pairs += same
    report = {k: f"recall {v[1]}/{v[0]} = {v[1] / v[0]:.3f}" for k, v in sorted(per_kind.items())}
    precision = (merged_pairs - wrong) / merged_pairs
    print(f"\nlabelled set: precision {precision:.3f} over {merged_pairs} merged pairs; {report}")
    assert negative_merges == 0
    assert precision >= MIN_PRECISION
    for kind, (total, found) in per_kind.items():
        assert found / total >= MIN_RECALL, (kind, report)


def test_shuffled_ingest_order_gives_identical_clusters(labelled_db: Path, tmp_path: Path) -> None:
    rows = ARTICLES[:]
    random.Random(4).shuffle(rows)
    _ingest(tmp_path / "shuffled.db", _write(tmp_path / "shuffled.jsonl", rows))
    assert _clusters(tmp_path / "shuffled.db") == _clusters(labelled_db)
    with sqlite3.connect(tmp_path / "shuffled.db") as c1, sqlite3.connect(labelled_db) as c2:
        q = "select id, canonical_article_id, title, versions, languages, sources from stories order by id"
        assert c1.execute(q).fetchall() == c2.execute(q).fetchall()


def test_incremental_ingest_equals_rebuild(labelled_db: Path, tmp_path: Path) -> None:
    """Three files ingested one after another (an original before or after its copies),
    then `dedup --rebuild`: the same stories all along, equal to one big ingest."""
    rows = sorted(ARTICLES, key=lambda r: r["url"])
    db = tmp_path / "inc.db"
    for i in range(3):
        _ingest(db, _write(tmp_path / f"part{i}.jsonl", rows[i::3]))
    incremental = _clusters(db)
    assert incremental == _clusters(labelled_db)
    proc = run_cli("dedup", "--rebuild", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "rebuild over 70 articles" in proc.stdout
    assert _clusters(db) == incremental


def test_explain_says_why(labelled_db: Path) -> None:
    by = {(a["story"], a["role"], a["lang"]): a["url"] for a in ARTICLES}
    q1 = by[("s04-ledinside-q1-price", "orig", "en")]
    q2 = by[("neg-ledinside-q2-price", "neg", "en")]
    proc = run_cli("dedup", "--db", str(labelled_db), "--explain", q1, q2)
    assert proc.returncode == 0, proc.stderr
    assert "DIFFERENT stories" in proc.stdout and "reporting periods differ" in proc.stdout
    zh = by[("s05-sanan-hubei-fab", "orig", "zh-Hans")]
    en = by[("s05-sanan-hubei-fab", "tr", "en")]
    proc = run_cli("dedup", "--db", str(labelled_db), "--explain", zh, en)
    assert "ONE story" in proc.stdout and "kind=cross" in proc.stdout
    proc = run_cli("dedup", "--db", str(labelled_db), "--explain", zh, "https://nowhere.example/x")
    assert proc.returncode == 2 and "no article" in proc.stderr


def test_ingest_reports_bad_lines_and_keeps_the_rest(tmp_path: Path) -> None:
    good = ARTICLES[:3]
    lines = [json.dumps(good[0], ensure_ascii=False), "{not json",
             json.dumps({**good[1], "url": "ftp://x"}), json.dumps({**good[1], "lang": "fr"}),
             json.dumps({**good[1], "published": "yesterday"}), json.dumps({**good[1], "text": "短"}),
             json.dumps(good[1], ensure_ascii=False), json.dumps(good[2], ensure_ascii=False)]
    f = tmp_path / "mixed.jsonl"
    f.write_text("\n".join(lines) + "\n", "utf-8")
    db = tmp_path / "mixed.db"
    proc = run_cli("ingest", str(f), "--db", str(db))
    assert proc.returncode == 2, proc.stderr  # bad input reported: non-zero, the rest stored
    errs = proc.stderr.strip().splitlines()
    assert [e.split(":")[1] for e in errs] == ["2", "3", "4", "5", "6"]
    assert "not JSON" in errs[0] and "'url'" in errs[1] and "'lang'" in errs[2]
    assert "'published'" in errs[3] and "too short" in errs[4]
    assert "3 new" in proc.stdout and "5 lines skipped" in proc.stdout
    proc = run_cli("ingest", str(f), "--db", str(db))  # again: nothing new, nothing lost
    assert "0 new" in proc.stdout and "3 unchanged" in proc.stdout
    with sqlite3.connect(db) as c:
        assert c.execute("select count(*) from articles").fetchone()[0] == 3


@pytest.mark.parametrize("text, expected", [
    ("2026年全球市场规模将达260亿美元，年增62%", {"2.6e+10", "62%"}),
    ("to US$26 billion in 2026, an increase of 62%", {"2.6e+10", "62%"}),
    ("出货量将超过4,500万只 7.05億美元", {"4.5e+07", "7.05e+08"}),
    ("45 million units and US$705 million; 11月14日", {"4.5e+07", "7.05e+08"}),
])
def test_numbers_meet_across_languages(text: str, expected: set[str]) -> None:
    assert numbers(text) == expected


def test_periods() -> None:
    assert periods("2026 Q2 LED Price Trend") == {"Q2"}
    assert periods("2026年第一季LED价格趋势") == {"Q1"}
    assert periods("前三季度我国LED照明产品出口额") == {"9M"}
    assert periods("LED exports in the first half") == {"H1"}


def test_lookalikes_are_not_chained_through_a_third_article(tmp_path: Path) -> None:
    """A round-up resembling both the Q1 and the Q2 price report may join one of them,
    never both: the Q1/Q2 veto holds across the story, not only on the direct pair."""
    from aggregator.dedup.ingest import ingest_file
    from aggregator.storage import Storage

    by = {(a["story"], a["role"], a["lang"]): a for a in ARTICLES}
    q1 = by[("s04-ledinside-q1-price", "orig", "en")]
    q2 = by[("neg-ledinside-q2-price", "neg", "en")]
    roundup = {**q1, "url": "https://roundup.example/led-prices.html", "source": "roundup",
               "published": None, "title": "LED Price Trend: Mid-Power LED Prices",
               # its lead names both quarters, so the lead-period veto (issue 17) stands
               # against neither report and only the story-level check keeps them apart
               "text": "Prices fell in both the first and the second quarter of 2026.\n"
                       + q1["text"] + "\n" + q2["text"]}
    f = _write(tmp_path / "three.jsonl", [q1, q2, roundup])
    storage = Storage(tmp_path / "three.db")
    try:
        ingest_file(f, storage, {}, {})
        sid = dict(storage.db.execute("select canonical_url, story_id from articles").fetchall())
        rid = storage.find_article(roundup["url"])
        direct = storage.db.execute("select count(*) from dedup_pairs where (a = ? or b = ?)"
                                    " and kind in ('near', 'variant') and veto = ''", [rid, rid]).fetchone()[0]
    finally:
        storage.close()
    q1s, q2s, rs = (sid[canonicalize_url(x["url"])] for x in (q1, q2, roundup))
    assert direct == 2  # the round-up matches both reports, with no direct veto...
    assert q1s != q2s and rs in (q1s, q2s)  # ...yet joins only one of them


def test_ingest_folds_tracked_and_mobile_urls(tmp_path: Path) -> None:
    """Canonical-URL layer: a mobile-host, tracked, fragment URL of a stored article is
    the same row, not a new version."""
    a = {**ARTICLES[7], "url": "https://www.ledinside.com/news/2026/4/q1_price.html"}
    twin = {**a, "url": "http://m.ledinside.com/news/2026/4/q1_price.html?utm_source=wx&from=feed#top"}
    db = tmp_path / "urls.db"
    out = _ingest(db, _write(tmp_path / "a.jsonl", [a]))
    assert "1 new" in out
    out = _ingest(db, _write(tmp_path / "b.jsonl", [twin]))
    assert "0 new" in out and "1 unchanged" in out
    with sqlite3.connect(db) as c:
        assert c.execute("select canonical_url from articles").fetchall() == [
            ("https://www.ledinside.com/news/2026/4/q1_price.html",)]
