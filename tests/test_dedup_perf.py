"""Dedup speed work (issue 8) changes no result: our MinHash equals datasketch's, the
cached CC-CEDICT table equals a fresh parse, features computed in a worker process are
the stored ones, and a small profile cache links the same stories as a large one."""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from aggregator.dedup import gloss, run
from aggregator.dedup.features import FEATURE_VERSION, _digests, features_row, keys_for
from aggregator.dedup.minhash import minhash
from aggregator.dedup.tokens import shingles, simplify
from aggregator.storage import Storage
from stories_data import articles
from support import run_cli

ARTICLES = articles()


def _texts() -> list[tuple[str, str]]:
    out = []
    for a in ARTICLES:
        group = "zh" if a["lang"].startswith("zh") else "en"
        full = f"{a['title']}\n{a['text']}"
        out.append((group, simplify(full) if group == "zh" else full))
    return out


def test_minhash_equals_datasketch_affine32() -> None:
    from datasketch import MinHash

    for group, text in _texts() + [("en", ""), ("zh", "灯")]:
        items = [s.encode("utf-8") for s in sorted(shingles(text, group))]
        ref = MinHash(num_perm=120, seed=1)
        ref.update_batch(items)
        ours = minhash(items, 120, seed=1)
        assert ours.dtype == ref.hashvalues.dtype and ours.tobytes() == ref.hashvalues.tobytes()
    assert minhash([], 120).tobytes() == MinHash(num_perm=120, seed=1).hashvalues.tobytes()


def test_shingle_ids_are_one_per_shingle() -> None:
    for group, text in _texts():
        sh = shingles(text, group)
        h32, ids = _digests(sh)
        assert len(h32) == len(sh) == len(ids) and list(ids) == sorted(ids)


def test_dedup_pass_does_not_import_datasketch(tmp_path: Path) -> None:
    code = ("import sys; from aggregator.dedup.features import keys_for;"
            "keys_for('a', 'LED 路灯', '广东省完成12.6万盏LED路灯改造', 'zh-Hans', None, False, 'h');"
            "print('datasketch' in sys.modules, 'scipy' in sys.modules)")
    import subprocess
    import sys

    env = {**os.environ, "LEDNEWS_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["False", "False"]


def test_gloss_cache_equals_fresh_parse_and_rebuilds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDNEWS_CACHE_DIR", str(tmp_path / "c"))
    gloss.table.cache_clear()
    gloss.glosses.cache_clear()
    try:
        built = gloss.table()  # no cache file yet: parsed and written
        files = list((tmp_path / "c").glob("cedict-*.marshal"))
        assert len(files) == 1
        fresh = gloss._parse(gloss._path())
        assert built == fresh
        gloss.table.cache_clear()
        assert gloss.table() == fresh  # read back from the file
        assert gloss.glosses("路灯") == frozenset(fresh[0]["路灯"].split(" ")) and gloss.glosses("路灯")
        assert gloss.pinyin_name("佛山") == "foshan"
        files[0].write_bytes(b"\x00damaged")
        gloss.table.cache_clear()
        assert gloss.table() == fresh  # a damaged file is rebuilt, not trusted
        assert files[0].read_bytes() != b"\x00damaged"
    finally:
        gloss.table.cache_clear()
        gloss.glosses.cache_clear()


def test_gloss_cache_dir_unwritable_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("LEDNEWS_CACHE_DIR", str(blocker / "sub"))
    gloss.table.cache_clear()
    try:
        assert gloss.pinyin_name("常州") == "changzhou"
    finally:
        gloss.table.cache_clear()


def _row_args(a: dict, aid: str) -> tuple:
    return (aid, f"h{aid}", a["title"], a["text"], a["lang"], a["published"], False)


def test_features_row_in_worker_process_is_what_a_pass_stores(tmp_path: Path) -> None:
    pickle.dumps(features_row)  # a worker pool can ship it
    rows = [_row_args(a, f"a{i:03d}") for i, a in enumerate(ARTICLES[:12])]
    with ProcessPoolExecutor(max_workers=2) as pool:
        got = list(pool.map(features_row, *zip(*rows)))
    for args, row in zip(rows, got):
        keys, terms = keys_for(args[0], args[2], args[3], args[4], args[5], args[6], args[1])
        assert row == (args[0], args[1], keys.to_json(), json.dumps(terms, ensure_ascii=False))


def _ingest(db: Path, rows: list[dict]) -> None:
    f = db.with_suffix(".jsonl")
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    proc = run_cli("ingest", str(f), "--db", str(db))
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_stored_feature_rows_are_not_recomputed(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    _ingest(db, ARTICLES)
    with sqlite3.connect(db) as c:
        before = dict(c.execute("select id, story_id from articles"))
        arts = c.execute("select id, content_hash, title, text, lang, published, republished"
                         " from articles order by id").fetchall()
        c.execute("delete from dedup_features")
        c.execute("delete from dedup_pairs")
        c.execute("insert into dedup_dirty (article_id) select id from articles")  # all to link again
    with ProcessPoolExecutor(max_workers=2) as pool:
        rows = list(pool.map(features_row, *zip(*[(r[0], r[1], r[2], r[3], r[4], r[5], r[6] is not None)
                                                  for r in arts])))
    s = Storage(db)
    try:
        s.save_dedup_keys(rows, FEATURE_VERSION)
        res = run.run_dedup(s)
        assert res.new_keys == 0 and res.articles == len(arts)
        after = dict(s.db.execute("select id, story_id from articles").fetchall())
    finally:
        s.close()
    assert after == before


def test_small_profile_cache_gives_the_same_stories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "news.db"
    _ingest(db, ARTICLES)
    s = Storage(db)
    try:
        q = "select a, b, kind, score, jaccard, semantic, veto from dedup_pairs order by a, b"
        mapping, pairs = dict(s.db.execute("select id, story_id from articles").fetchall()), \
            s.db.execute(q).fetchall()
        monkeypatch.setattr(run, "PROFILE_CACHE", 2)
        monkeypatch.setattr(run, "PAIR_CHUNK", 3)
        res = run.run_dedup(s, full=True)
        assert res.new_pairs == len(pairs) > 20
        assert dict(s.db.execute("select id, story_id from articles").fetchall()) == mapping
        assert s.db.execute(q).fetchall() == pairs
    finally:
        s.close()


def test_zh_words_equal_jieba_lcut() -> None:
    import jieba

    from aggregator.dedup.tokens import _CJK_ONLY, release, zh_words

    texts = [simplify(f"{a['title']}\n{a['text']}") for a in ARTICLES if a["lang"].startswith("zh")]
    texts += ["", "LED灯珠Mini-LED背光模组2026年第三季度出货量", "中华人民共和国国务院，abc 中国 T恤衫"]
    for t in texts:
        ref = [w for w in jieba.lcut(t, HMM=False) if len(w) >= 2 and _CJK_ONLY.match(w)]
        assert zh_words(t) == ref
    release()
    assert zh_words(texts[0]) == [w for w in jieba.lcut(texts[0], HMM=False)
                                  if len(w) >= 2 and _CJK_ONLY.match(w)]


def test_segment_dictionary_cache_equals_jieba_and_rebuilds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import math

    import jieba

    from aggregator.dedup import segment

    monkeypatch.setenv("LEDNEWS_CACHE_DIR", str(tmp_path / "c"))
    segment.release()
    try:
        tk = jieba.Tokenizer()
        tk.initialize()
        logtotal = math.log(tk.total)
        expect = {w: math.log(f) - logtotal if f else 0.0 for w, f in tk.FREQ.items()}
        table, han, neg = segment.dictionary()  # no cache file yet: built and written
        files = list((tmp_path / "c").glob("jieba-*.marshal"))
        assert len(files) == 1
        assert table == expect and neg == 0.0 - logtotal and han.pattern == jieba.re_han_default.pattern
        segment.release()
        assert segment.dictionary()[0] == expect  # read back from the file
        files[0].write_bytes(b"\x00damaged")
        segment.release()
        assert segment.dictionary()[0] == expect  # a damaged file is rebuilt, not trusted
        assert files[0].read_bytes() != b"\x00damaged"
        blocker = tmp_path / "file"
        blocker.write_text("not a directory")
        monkeypatch.setenv("LEDNEWS_CACHE_DIR", str(blocker / "sub"))
        segment.release()
        assert segment.dictionary()[0] == expect  # cache dir unwritable: built in memory
    finally:
        segment.release()


def test_case_sensitive_word_and_figure_patterns_match_the_originals() -> None:
    import re

    from aggregator.dedup.numbers import _NUM
    from aggregator.dedup.tokens import _EN_WORD

    # Every code point (surrogates aside) after a space, glued to letters, digits and
    # hyphens: a character class that differs anywhere changes the matches.
    points = [chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000]
    words = " ".join(f"{c}x{c}1-{c}'a9{c}" for c in points)
    figures = " ".join(f"{c}5" for c in points)
    en_word = re.compile(r"[a-z][a-z0-9]*(?:[-'][a-z0-9]+)*|\d+[a-z]+[a-z0-9]*", re.I)
    figure = re.compile(
        r"(?<![A-Za-z0-9.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?!\s*[月日号號时時])\s*"
        r"(万亿|萬億|千万|千萬|百万|百萬|亿|億|万|萬|千|trillion\b|billion\b|bn\b|million\b|mn\b|thousand\b)?\s*"
        r"(%|percent\b|per cent\b|个百分点|percentage points?\b)?", re.I)
    texts = [f"{a['title']}\n{a['text']}" for a in ARTICLES]
    texts.append("1,234,567.5亿 12月 3 percent 45 per cent 2.5 percentage points a1 .5 5.5.5 1,23 "
                 "1,234,56 x9 9x 0.5% ٣٤ 12,345,678 million 7.05亿")
    assert _EN_WORD.findall(words) == en_word.findall(words)
    assert [m.span() for m in _NUM.finditer(figures)] == [m.span() for m in figure.finditer(figures)]
    for t in texts:
        assert _EN_WORD.findall(t) == en_word.findall(t)
        assert [(m.span(), m.groups()) for m in _NUM.finditer(t)] == \
            [(m.span(), m.groups()) for m in figure.finditer(t)]
