"""Incremental story linking (issue 14) gives the stories of a whole-set link: any
insertion order, any batch sizes, articles that change after they were linked. On
every labelled set in tests/ (stories_data, stories_hard_data) and a generated one.

The reference is ``run_dedup(full=True)``: ``link`` over every article at once (the
algorithm before the index existed). The generated set is made to crowd the candidate
caps (shared names and figures on nearby days, exact and near copies, language links,
sibling ids), and one variant lowers the caps so a few dozen articles cross them often.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aggregator.dedup import candidates
from aggregator.dedup.features import FEATURE_VERSION, features_row
from aggregator.dedup.ingest import _prepare, parse_line
from aggregator.dedup.run import run_dedup
from aggregator.items import Article
from aggregator.storage import Storage
from stories_data import articles

_WORDS = ("panel backlight driver chip wafer epitaxy phosphor lumen module display signage lamp "
          "street retrofit contract factory capacity yield price quarter shipment revenue market "
          "automotive headlight horticulture greenhouse sensor infrared ultraviolet disinfection "
          "water purifier micro mini transfer bonding substrate sapphire silicon carbide gallium "
          "nitride inspection repair pixel brightness contrast efficiency thermal package lens").split()
_ZH = ("显示 面板 背光 驱动 芯片 晶圆 外延 荧光粉 光效 模组 照明 路灯 改造 合同 工厂 产能 良率 价格 季度 "
       "出货 营收 市场 汽车 车灯 植物 温室 传感器 红外 紫外 消毒 净水 巨量 转移 键合 衬底 蓝宝石").split()
_NAMES = ["Lumio", "Brightek", "Sanova", "Everlux", "Kingray", "Optima"]
_BASE_DAY = "2026-01-"


def _text(rng: random.Random, zh: bool, names: list[str], figures: list[str], n: int = 70) -> str:
    words = [rng.choice(_ZH if zh else _WORDS) for _ in range(n)]
    extra = " ".join(names + [f"{f}%" for f in figures])
    sep = "" if zh else " "
    half = len(words) // 2
    return f"{extra} {sep.join(words[:half])}。\n{sep.join(words[half:])} {extra}"


def _generated(seed: int = 3) -> list[Article]:
    """~60 articles: stories with exact copies, near copies, same-name look-alikes on
    nearby and far days, undated copies, language links and sibling ids."""
    rng = random.Random(seed)
    lines: list[dict] = []
    extra: dict[str, dict] = {}
    for s in range(18):
        zh = s % 3 == 0
        names = rng.sample(_NAMES, 2)
        figures = [str(rng.randrange(10, 60)), str(rng.randrange(100, 400))]
        day = rng.choice([1, 2, 3, 5, 9, 20])
        text = _text(rng, zh, names, figures)
        title = f"{names[0]} {'新闻' if zh else 'news'} {s}"
        lang = "zh-Hans" if zh else "en"
        base = {"title": title, "lang": lang, "source": f"gen{s % 4}"}
        orig = len(lines)
        lines.append({**base, "url": f"https://gen{s}.example/a/{s}.html", "text": text,
                      "published": f"{_BASE_DAY}{day:02d}"})
        kind = s % 4
        if kind in (0, 1):  # exact copy, undated
            lines.append({**base, "url": f"https://copy{s}.example/c.html", "text": text, "published": None,
                          "source": "copies"})
        if kind in (1, 2):  # near copy: a few words changed, a day later
            w = text.split(" ")
            for i in rng.sample(range(len(w)), max(1, len(w) // 12)):
                w[i] = rng.choice(_ZH if zh else _WORDS)
            lines.append({**base, "url": f"https://near{s}.example/n.html", "text": " ".join(w),
                          "published": f"{_BASE_DAY}{day + 1:02d}", "source": "nearcopies"})
        if kind == 3:  # other words, same names, one figure: a candidate while names are rare
            lines.append({**base, "url": f"https://alike{s}.example/l.html",
                          "text": _text(rng, zh, names, figures[:1] + ["77"]),
                          "published": f"{_BASE_DAY}{day + rng.randrange(4):02d}", "source": "alikes"})
        if kind == 1:  # more near copies: a crowded LSH bucket
            for c in range(3):
                lines.append({**base, "url": f"https://more{s}-{c}.example/m.html", "text": text + f" {c}",
                              "published": f"{_BASE_DAY}{day + c:02d}", "source": "morecopies"})
        if s % 5 == 0:  # a language version linked by the publisher
            other = {"title": f"{names[0]} {'news' if zh else '新闻'} {s}", "lang": "en" if zh else "zh-Hans",
                     "source": base["source"], "url": f"https://gen{s}.example/x/{s}.html",
                     "text": _text(rng, not zh, names, figures), "published": f"{_BASE_DAY}{day:02d}"}
            lines.append(other)
            extra[lines[orig]["url"]] = {"alternate_urls": [other["url"]]}
    for i in range(6):  # sibling ids: one key, alternating hosts, some beyond the gap
        url = f"https://{'en' if i % 2 else 'cn'}.sib.example/news/{10 + i * 2}.html"
        lines.append({"title": f"Sibling {i}", "lang": "en", "source": "sib", "url": url,
                      "text": _text(rng, False, [_NAMES[i % 3]], [str(i + 20)]), "published": "2026-01-04"})
        extra[url] = {"sibling_key": "sib:2026-01-04", "sibling_seq": 10 + i * 2}
    out = []
    for n, d in enumerate(lines, 1):
        a = _prepare(parse_line(_dumps(d), n), {})
        out.append(replace(a, **extra.get(d["url"], {})))
    return out


def _dumps(d: dict) -> str:
    import json

    return json.dumps(d, ensure_ascii=False)


def _labelled() -> list[Article]:
    return [_prepare(parse_line(_dumps({k: v for k, v in a.items() if k not in ("story", "role")}), n), {})
            for n, a in enumerate(articles(), 1)]


def _hard() -> list[Article]:
    from stories_hard_data import articles as hard_articles

    from aggregator.dedup.ingest import LineError

    fields = ("url", "title", "text", "lang", "published", "source")
    out = []
    for n, a in enumerate(hard_articles(), 1):
        try:  # dated after today: refused by ingest (the set has a few), left out here too
            out.append(_prepare(parse_line(_dumps({k: a[k] for k in fields}), n), {}))
        except LineError:
            continue
    return out


GAPS = {"sib": 5}  # the generated sibling ids are 2 apart
SETS = {"labelled": _labelled, "generated": _generated, "hard": _hard}
_CACHE: dict[str, tuple[list[Article], dict]] = {}


def _features(arts: list[Article]) -> dict[str, tuple]:
    from aggregator.storage import article_id

    return {a.canonical_url: features_row(article_id(a.canonical_url), a.content_hash or "", a.title, a.text,
                                          a.lang, a.published, a.republished is not None) for a in arts}


def _save(s: Storage, arts: list[Article], feats: dict[str, tuple]) -> None:
    s.ensure_sources(a.source for a in arts)
    s.save_articles(arts)
    rows = [feats[a.canonical_url] for a in arts if a.canonical_url in feats]
    s.save_dedup_keys(rows, FEATURE_VERSION)


def _snapshot(path: Path) -> tuple[list, list, list]:
    """Stories, and the link graph the next pass starts from."""
    with sqlite3.connect(path) as c:
        return (c.execute("select id, story_id from articles order by id").fetchall(),
                c.execute("select * from stories order by id").fetchall(),
                c.execute("select a, b, kind from dedup_graph order by a, b, kind").fetchall())


def _drafts(arts: list[Article], rng: random.Random, n: int) -> list[Article]:
    """Earlier versions of ``n`` articles: another article's text, or half the text, or
    another date: stored first, changed later."""
    from aggregator.dedup import content_hash

    out = []
    for a in rng.sample(arts, min(n, len(arts))):
        how = rng.randrange(3)
        if how == 0:
            other = rng.choice(arts)
            text = other.text
        elif how == 1:
            text = a.text[: max(len(a.text) // 2, 60)]
        else:
            text = a.text
        out.append(replace(a, text=text, content_hash=content_hash(text),
                           published=None if how == 2 else a.published))
    return out


def _reference(name: str, tmp: Path) -> tuple[list[Article], dict, tuple[list, list]]:
    arts = SETS[name]()
    feats = _features(arts)
    s = Storage(tmp / f"ref-{name}-{candidates.ANCHOR_CAP}.db")
    try:
        _save(s, arts, feats)
        run_dedup(s, GAPS, full=True)
    finally:
        s.close()
    return arts, feats, _snapshot(tmp / f"ref-{name}-{candidates.ANCHOR_CAP}.db")


@pytest.fixture(params=["normal", "low-caps"])
def caps(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "low-caps":  # crowding on a few dozen articles
        monkeypatch.setattr(candidates, "ANCHOR_CAP", 3)
        monkeypatch.setattr(candidates, "BUCKET_CAP", 2)
    return request.param


_REFS: dict[tuple[str, str], tuple] = {}


@pytest.mark.parametrize("name", ["labelled", "generated", "hard"])
def test_incremental_equals_whole_set_link(name: str, caps: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    if name == "hard" and caps != "normal":
        pytest.skip("230 articles: the caps are crossed by the generated set")
    if (name, caps) not in _REFS:
        _REFS[(name, caps)] = _reference(name, tmp_path_factory.mktemp("ref"))
    arts, feats, expected = _REFS[(name, caps)]
    assert len({sid for _, sid in expected[0]}) < len(expected[0])  # the set has multi-version stories

    # Examples per set: enough orders and batchings to cross every path (checked by
    # breaking the candidate diff on purpose: both low-caps variants then fail), few
    # enough to keep the suite fast.
    @settings(max_examples={"hard": 2, "labelled": 3}.get(name, 4), deadline=None,
              suppress_health_check=list(HealthCheck), database=None)
    @given(seed=st.integers(0, 2**32 - 1), batch=st.integers(1, 30), drafts=st.integers(0, 8))
    def check(seed: int, batch: int, drafts: int) -> None:
        rng = random.Random(seed)
        order = arts[:]
        rng.shuffle(order)
        early = _drafts(order, rng, drafts)
        path = tmp_path_factory.mktemp("inc") / "news.db"
        s = Storage(path)
        try:
            _save(s, early, {})  # drafts: features computed by the pass itself
            run_dedup(s, GAPS)
            i = 0
            while i < len(order):
                step = rng.randint(1, batch)
                _save(s, order[i:i + step], feats)
                run_dedup(s, GAPS)
                i += step
            assert s.dirty_ids() == []
        finally:
            s.close()
        got = _snapshot(path)
        assert got[0] == expected[0]
        assert got[1] == expected[1]
        assert got[2] == expected[2]

    check()


def test_pass_with_nothing_new_reads_nothing(tmp_path: Path) -> None:
    arts = _generated()
    s = Storage(tmp_path / "news.db")
    try:
        _save(s, arts, _features(arts))
        first = run_dedup(s, GAPS)
        assert first.articles == len(arts) and first.result is not None
        again = run_dedup(s, GAPS)
        assert again.articles == 0 and again.written == 0 and again.new_pairs == 0
        one = replace(arts[0], title=arts[0].title + " (updated)")
        s.save_articles([one])
        upd = run_dedup(s, GAPS)
        assert upd.articles == 1 and 1 <= upd.relinked < len(arts)
        title = s.db.execute("select title from stories where canonical_article_id = "
                             "(select id from articles where canonical_url = ?)", [one.canonical_url]).fetchone()
        assert title is None or title[0] == one.title
    finally:
        s.close()


def test_prune_keeps_articles_and_recent_state(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from aggregator.cli import main

    arts = _generated()[:6]
    db = tmp_path / "news.db"
    s = Storage(db)
    try:
        _save(s, arts, _features(arts))
        run_dedup(s, GAPS)
        c = s.db.conn
        c.executemany("insert into fetched_urls (url, source, status, first_fetched, last_fetched)"
                      " values (?, 'gen0', 200, ?, ?)",
                      [("https://old.example/1", "2020-01-01T00:00:00+00:00", "2020-01-02T00:00:00+00:00"),
                       ("https://new.example/1", "2020-01-01T00:00:00+00:00", "2099-01-01T00:00:00+00:00")])
        run_id = s.start_run("test", ["gen0"])
        c.executemany("insert into crawl_errors (run_id, source, url, reason, at) values (?, 'gen0', ?, 'x', ?)",
                      [(run_id, "https://e.example/old", "2020-01-01"), (run_id, "https://e.example/new", "2099-01-01")])
        stale = ("a" * 16, "b" * 16, "h1", "h2", "none", 0.0, 0.0, 0.0, "")
        c.execute("insert into dedup_pairs values (?, ?, ?, ?, ?, ?, ?, ?, ?)", stale)
        c.commit()
        before = _snapshot(db)
        pairs = c.execute("select count(*) from dedup_pairs").fetchone()[0]
    finally:
        s.close()
    res = CliRunner().invoke(main, ["prune", "--db", str(db), "--days", "30"])
    assert res.exit_code == 0, res.output
    assert "pruned 1 fetched URLs and 1 error rows" in res.output and "1 stale pair scores" in res.output
    with sqlite3.connect(db) as c:
        assert [r[0] for r in c.execute("select url from fetched_urls")] == ["https://new.example/1"]
        assert [r[0] for r in c.execute("select url from crawl_errors")] == ["https://e.example/new"]
        assert c.execute("select count(*) from dedup_pairs").fetchone()[0] == pairs - 1
        assert c.execute("select count(*) from sqlite_stat1").fetchone()[0] > 0  # analyzed
    assert _snapshot(db) == before
