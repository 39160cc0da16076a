"""Storage: migrations, upsert on canonical URL, version history on change."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from support import ROOT, SITES, crawl, expected_articles

from aggregator.items import Article
from aggregator.mirror import mirror_path
from aggregator.storage import Storage, article_id


def _article(text: str = "第一段。" * 30, title: str = "标题") -> Article:
    return Article(url="https://www.x.com/a/1.html", source="x", title=title, text=text, lang="zh-Hans",
                   canonical_url="https://www.x.com/a/1.html", content_hash=str(hash(text + title)))


def test_migrations_idempotent_and_wal(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    Storage(db).close()
    Storage(db).close()
    c = sqlite3.connect(db)
    assert c.execute("pragma journal_mode").fetchone()[0] == "wal"
    names = [r[0] for r in c.execute("select name from _sqlite_migrations")]
    assert len(names) == len(set(names)) >= 1
    tables = {r[0] for r in c.execute("select name from sqlite_master where type = 'table'")}
    assert {"sources", "articles", "article_versions", "stories", "crawl_runs", "crawl_errors"} <= tables


def test_upsert_and_versions(tmp_path: Path) -> None:
    s = Storage(tmp_path / "n.db")
    a = _article()
    assert s.save_articles([a]).new == 1
    assert s.save_articles([a]).unchanged == 1
    b = _article(text="第二版。" * 30)
    assert s.save_articles([b]).updated == 1
    row = s.db["articles"].get(article_id(a.canonical_url))
    assert row["version"] == 2 and row["text"] == b.text
    (old,) = list(s.db["article_versions"].rows)
    assert old["version"] == 1 and old["text"] == a.text
    s.close()


def test_changed_mirror_page_becomes_a_new_version(tmp_path: Path) -> None:
    """A real re-crawl after a mirror article was edited: one updated row, history kept."""
    mirror = tmp_path / "sites"
    shutil.copytree(SITES / "www.china-led.net", mirror / "www.china-led.net")
    db = tmp_path / "n.db"
    assert crawl("--mirror", str(mirror), "--site", "csa", "--db", str(db)).ok
    exp = next(e for e in expected_articles() if e["_file"].startswith("csa/"))
    page = mirror_path(mirror, exp["url"])
    html = page.read_text("utf-8")
    first = "<p>" + exp["paragraphs"][1][:12]  # a body paragraph (the lead also sits in meta tags)
    assert html.count(first) == 1
    page.write_text(html.replace(first, "<p>【更新】" + first[3:]), "utf-8")
    out = crawl("--mirror", str(mirror), "--site", "csa", "--db", str(db), "--refresh")
    assert out.ok, out.log[-2000:]
    c = sqlite3.connect(db)
    run = c.execute("select new_articles, updated_articles from crawl_runs order by id desc limit 1").fetchone()
    versions = c.execute("select count(*) from article_versions").fetchone()[0]
    updated = c.execute("select count(*) from articles where version = 2 and text like '%【更新】%'").fetchone()[0]
    c.close()
    assert run == (0, 1) and versions == 1 and updated == 1


def test_only_the_storage_package_imports_sqlite_utils() -> None:
    import ast

    users = set()
    for path in (ROOT / "aggregator").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n == "sqlite_utils" or n.startswith("sqlite_utils.") for n in names):
                users.add(path.relative_to(ROOT).as_posix())
    assert users and all(u.startswith("aggregator/storage/") for u in users), sorted(users)


def test_every_written_column_lands_in_its_place(tmp_path: Path) -> None:
    """The literal INSERT/UPDATE of save_articles name columns in _WRITTEN's order."""
    import json

    from aggregator.storage.articles import _INSERT, _UPDATE, _WRITTEN

    assert _INSERT.split("(", 1)[1].split(")")[0].split(", ")[1:len(_WRITTEN) + 1] == list(_WRITTEN)
    assert [c.split(" = ")[0] for c in _UPDATE.removeprefix("update articles set ").split(", ")][:len(_WRITTEN)] \
        == list(_WRITTEN)
    s = Storage(tmp_path / "n.db")
    a = Article(url="https://www.x.com/a/2.html?utm=1", source="x", title="标题二", text="正文一\n正文二",
                lang="zh-Hans", published="2026-11-01", republished="2026-11-02", author="作者",
                canonical_url="https://www.x.com/a/2.html", extraction_method="profile", date_method="meta",
                fetched_at="2026-11-03T00:00:00+00:00", alternate_urls=["https://en.x.com/a/2.html"],
                warnings=["short"], content_hash="h1", sibling_key="k", sibling_seq=7, body_html="<p>正文一</p>")
    for version, text in ((1, a.text), (2, "正文三")):  # the second save is an update
        a.text, a.content_hash = text, f"h{version}"
        s.save_articles([a])
        (row,) = s.db.query("select * from articles")
        want = {f: getattr(a, f) for f in _WRITTEN if hasattr(a, f)}
        want.update(alternate_urls=json.dumps(a.alternate_urls, ensure_ascii=False),
                    warnings=json.dumps(a.warnings, ensure_ascii=False), raw_text=text, version=version)
        assert {k: row[k] for k in want} == want
        assert json.loads(row["cleaning"]) == []
    s.close()
