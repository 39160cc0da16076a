"""The search index the storage layer keeps: CJK bigrams, migration from the jieba index,
updates that remove old terms exactly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from aggregator.items import Article
from aggregator.publish.segment import fts_query, index_form
from aggregator.storage import MIGRATIONS, Storage, article_id


def _article(n: int, title: str, text: str, h: str) -> Article:
    return Article(url=f"https://example.com/{n}", canonical_url=f"https://example.com/{n}",
                   source="ofweek", title=title, text=text, lang="zh-Hans", content_hash=h)


def _match(db: Path, q: str) -> set[str]:
    c = sqlite3.connect(db)  # stock sqlite3: no function or tokenizer of ours
    try:
        return {r[0] for r in c.execute(
            "select x.article_id from article_search_fts f join article_search x on x.id = f.rowid"
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
def test_indexed_text_matches_query(text: str, query: str) -> None:
    c = sqlite3.connect(":memory:")
    c.execute("create virtual table t using fts5(body, content='')")
    c.execute("insert into t (rowid, body) values (1, ?)", [index_form(text)])
    c.execute("insert into t (rowid, body) values (2, ?)", [index_form("无关的新闻 unrelated news")])
    assert c.execute("select count(*) from t where t match ?", [fts_query(query)]).fetchone()[0] == 1


@pytest.mark.parametrize("query", ["能照", "光电扩建", "片产线", "明产业园落", "明能"])
def test_a_substring_across_word_boundaries_is_found(query: str) -> None:
    """Bigram phrases match exactly the substrings: 能照 straddles 智能|照明, which the
    word index (jieba: 智能 / 照明) could not find."""
    texts = ["华曜光电智能照明产业园落户江门", "三安光电扩建Micro LED芯片产线", "照明能力", "能照亮"]
    c = sqlite3.connect(":memory:")
    c.execute("create virtual table t using fts5(body, content='')")
    c.executemany("insert into t (rowid, body) values (?, ?)", [(i, index_form(t)) for i, t in enumerate(texts)])
    got = {r[0] for r in c.execute("select rowid from t where t match ?", [fts_query(query)])}
    assert got == {i for i, t in enumerate(texts) if query in t} != set()


def test_phrase_characters_must_be_adjacent() -> None:
    c = sqlite3.connect(":memory:")
    c.execute("create virtual table t using fts5(body)")
    far = "智能手机出货量下降，" + "行业分析" * 10 + "，路灯照明改造"
    c.execute("insert into t values (?)", [index_form(far)])
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
    Storage(db_path).close()  # opening applies m030 and m060, which indexes them
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
    assert _match(db_path, "氮化镓") == {"a2"} and _match(db_path, "Micro LED") == set()
    _integrity(s.db.conn)
    s.close()


def _integrity(conn: sqlite3.Connection) -> None:
    conn.execute("insert into article_search_fts (article_search_fts) values ('integrity-check')")


def test_migration_replaces_the_jieba_index_of_older_files(tmp_path: Path) -> None:
    """A file indexed by the jieba index (m030 as it was: stored words, external-content
    FTS5, sqlite-utils triggers) gets the bigram index when opened."""
    db_path = tmp_path / "jieba.db"
    db = Database(db_path)
    MIGRATIONS.apply(db, stop_before="m060_bigram_search")
    db["articles"].insert({"id": "a1", "canonical_url": "u1", "title": "智能照明产业园", "text": "华曜光电",
                           "content_hash": "h1", "version": 1, "story_id": "sa1"})
    db["article_search"].insert({"article_id": "a1", "title": "智能 照明 产业 产业园", "body": "华曜 光电",
                                 "src_title": "智能照明产业园", "content_hash": "h1"}, pk="article_id")
    db["article_search"].enable_fts(["title", "body"], create_triggers=True)
    db.close()
    s = Storage(db_path)
    assert [r[0] for r in s.db.execute("select name from sqlite_master where type = 'trigger'"
                                       " and name not like 'dedup_dirty_%'")] == []  # issue 14's own
    assert {c.name for c in s.db["article_search"].columns} == {
        "id", "article_id", "src_title", "content_hash", "terms_hash"}
    _integrity(s.db.conn)
    s.close()
    assert _match(db_path, "能照") == {"a1"} and _match(db_path, "曜光") == {"a1"}


def test_text_edited_by_another_tool_makes_the_next_update_rebuild(tmp_path: Path) -> None:
    """The old terms of a contentless row come from the stored text; when that text is
    no longer what was indexed, the index is rebuilt rather than left with stale terms."""
    db_path = tmp_path / "n.db"
    s = Storage(db_path)
    s.save_articles([_article(1, "倒装芯片", "量子点背光", "h1"), _article(2, "路灯", "照明改造", "h2")])
    s.db.execute("update articles set text = '氮化镓器件' where canonical_url = 'https://example.com/1'")
    s.db.conn.commit()  # same content hash: sync_search cannot tell
    assert s.save_articles([_article(1, "倒装芯片", "硅衬底外延", "h3")]).updated == 1
    assert _match(db_path, "量子点") == set() and _match(db_path, "氮化镓") == set()
    assert _match(db_path, "外延") == {article_id("https://example.com/1")}
    assert _match(db_path, "照明") == {article_id("https://example.com/2")}
    _integrity(s.db.conn)
    s.close()


def test_a_url_twice_in_one_batch_is_new_then_updated(tmp_path: Path) -> None:
    s = Storage(tmp_path / "n.db")
    res = s.save_articles([_article(1, "倒装芯片", "量子点背光", "h1"), _article(1, "倒装芯片", "硅衬底", "h2")])
    assert (res.new, res.updated, res.unchanged) == (1, 1, 0)
    row = s.db.execute("select version, text from articles").fetchone()
    assert tuple(row) == (2, "硅衬底")
    assert [tuple(r) for r in s.db.execute("select version, text from article_versions")] == [(1, "量子点背光")]
    s.close()
    assert _match(tmp_path / "n.db", "量子点") == set() and len(_match(tmp_path / "n.db", "衬底")) == 1


def test_demo_index_covers_every_article(conn: sqlite3.Connection) -> None:
    missing = conn.execute("select count(*) from articles a left join article_search s on s.article_id = a.id"
                           " where s.article_id is null or s.content_hash is not a.content_hash").fetchone()[0]
    assert missing == 0
    assert conn.execute("select count(*) from article_search").fetchone()[0] == \
        conn.execute("select count(*) from articles").fetchone()[0]
