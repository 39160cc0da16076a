"""The search index the storage layer keeps: segmentation, migration backfill, updates."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from aggregator.items import Article
from aggregator.publish.segment import fts_query, segment
from aggregator.storage import MIGRATIONS, Storage


def _article(n: int, title: str, text: str, h: str) -> Article:
    return Article(url=f"https://example.com/{n}", canonical_url=f"https://example.com/{n}",
                   source="ofweek", title=title, text=text, lang="zh-Hans", content_hash=h)


def _match(db: Path, q: str) -> set[str]:
    c = sqlite3.connect(db)  # stock sqlite3: no function or tokenizer of ours
    try:
        return {r[0] for r in c.execute(
            "select x.article_id from article_search_fts f join article_search x on x.rowid = f.rowid"
            " where article_search_fts match ?", [fts_query(q)])}
    finally:
        c.close()


@pytest.mark.parametrize("text,query", [
    ("华曜光电智能照明产业园落户江门", "智能照明"),
    ("三安光电扩建Micro LED芯片产线", "芯片"),
    ("三安光电扩建Micro LED芯片产线", "Micro LED"),
    ("Lucendi develops microLED displays", "Micro LED"),
    ("Deepwave raises 265nm UV-C LED output", "uv-c"),
    ("2027年Mini LED背光晶片產值將成長15%", "产值"),
    ("倒装芯片光效提升", "倒装芯片"),
])
def test_segmented_text_matches_segmented_query(text: str, query: str) -> None:
    c = sqlite3.connect(":memory:")
    c.execute("create virtual table t using fts5(body)")
    c.execute("insert into t values (?)", [segment(text)])
    c.execute("insert into t values (?)", [segment("无关的新闻 unrelated news")])
    assert c.execute("select count(*) from t where t match ?", [fts_query(query)]).fetchone()[0] == 1


def test_phrase_pieces_must_be_near_each_other() -> None:
    c = sqlite3.connect(":memory:")
    c.execute("create virtual table t using fts5(body)")
    far = "智能手机出货量下降，" + "行业分析" * 10 + "，路灯照明改造"
    c.execute("insert into t values (?)", [segment(far)])
    assert c.execute("select count(*) from t where t match ?", [fts_query("智能照明")]).fetchone()[0] == 0
    assert c.execute("select count(*) from t where t match ?", [fts_query("智能 照明")]).fetchone()[0] == 1


def test_migration_backfills_existing_articles_and_saves_keep_it_current(tmp_path: Path) -> None:
    db_path = tmp_path / "old.db"
    db = Database(db_path)
    MIGRATIONS.apply(db, stop_before="m030_search_index")  # a file from before the index
    assert "article_search" not in db.table_names()
    db["articles"].insert_all([
        {"id": "a1", "canonical_url": "u1", "title": "智能照明产业园", "text": "江门", "content_hash": "h1",
         "version": 1, "story_id": "sa1"},
        {"id": "a2", "canonical_url": "u2", "title": "Micro LED line", "text": "chips", "content_hash": "h2",
         "version": 1, "story_id": "sa2"},
    ])
    db.close()
    Storage(db_path).close()  # opening applies m030, which backfills
    assert _match(db_path, "智能照明") == {"a1"} and _match(db_path, "Micro LED") == {"a2"}

    s = Storage(db_path)
    res = s.save_articles([_article(1, "深紫外LED杀菌模组", "价格下降", "h3")])
    assert res.new == 1
    new_id = next(iter(_match(db_path, "杀菌")))
    res = s.save_articles([_article(1, "深紫外LED杀菌模组", "量子点背光出货增长", "h4")])  # text changed
    assert res.updated == 1
    assert _match(db_path, "量子点") == {new_id} and _match(db_path, "价格") == set()
    # rows written by another tool are picked up by sync_search
    s.db.execute("update articles set title = '氮化镓功率器件', content_hash = 'h9' where id = 'a2'")
    s.db.conn.commit()
    assert s.sync_search() == 1 and s.sync_search() == 0
    assert _match(db_path, "氮化镓") == {"a2"}
    s.close()


def test_demo_index_covers_every_article(conn: sqlite3.Connection) -> None:
    missing = conn.execute("select count(*) from articles a left join article_search s on s.article_id = a.id"
                           " where s.article_id is null or s.content_hash is not a.content_hash").fetchone()[0]
    assert missing == 0
    assert conn.execute("select count(*) from article_search").fetchone()[0] == \
        conn.execute("select count(*) from articles").fetchone()[0]
