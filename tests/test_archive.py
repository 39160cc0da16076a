"""The raw archive and `lednews process` (issue 18), on a copy of the session's demo
crawl (its archive included): no crawl of their own, commands run in this process."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import USER_SOURCES

from aggregator.archive.warc import ArchiveWriter, payload_digest, read_page
from aggregator.cli import main
from aggregator.storage import Storage


def _copy_demo(demo_db: Path, dest: Path) -> Path:
    """The demo database (through SQLite's backup, WAL included) and its archive."""
    dest.mkdir(parents=True, exist_ok=True)
    db = dest / "news.db"
    src = sqlite3.connect(demo_db)
    out = sqlite3.connect(db)
    src.backup(out)
    out.close()
    src.close()
    shutil.copytree(demo_db.parent / "archive", dest / "archive")
    return db


@pytest.fixture()
def copy(demo_db: Path, tmp_path: Path) -> Path:
    return _copy_demo(demo_db, tmp_path / "data")


def _cli(*args: str) -> str:
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def _tables(db: Path) -> dict[str, set[tuple]]:
    """Every row of every table (FTS shadow tables included), as sets."""
    con = sqlite3.connect(db)
    try:
        names = [r[0] for r in con.execute("select name from sqlite_master where type = 'table'"
                                           " and name not like 'sqlite_%'")]
        out = {}
        for n in names:
            try:
                out[n] = set(con.execute(f'select * from "{n}"').fetchall())
            except sqlite3.OperationalError:  # a virtual table's module-only view
                continue
        return out
    finally:
        con.close()


# --- what a crawl archives ----------------------------------------------------------

def test_crawl_archives_every_article_page_and_feed(demo_db: Path) -> None:
    con = sqlite3.connect(demo_db)
    con.row_factory = sqlite3.Row
    articles = con.execute("select url, source from articles").fetchall()
    recs = con.execute("select * from archive_records").fetchall()
    con.close()
    archived = {(r["uri"], r["source"]) for r in recs if r["kind"] == "article"}
    assert len(articles) >= 60
    assert [tuple(a) for a in articles if tuple(a) not in archived] == []
    assert {r["kind"] for r in recs} >= {"article", "feed"}
    root = demo_db.parent / "archive"
    for r in recs:  # every index row points at its record, whose body has the digest
        if r["type"] != "response":
            continue
        page = read_page(root / r["file"], r["offset"], r["length"])
        assert page.uri == r["uri"] and page.status == 200
        assert payload_digest(page.body) == r["digest"] == page.digest
        assert page.header("Content-Type")


def test_lednews_warc_opens_with_warcio_and_fastwarc(demo_db: Path) -> None:
    """Two independent readers agree on every record and its digests."""
    from fastwarc.warc import ArchiveIterator as FastIterator
    from fastwarc.warc import WarcRecordType
    from warcio.archiveiterator import ArchiveIterator

    files = sorted((demo_db.parent / "archive").glob("*.warc.gz"))
    assert files
    for f in files:
        with open(f, "rb") as fh:
            ours = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"),
                     r.rec_headers.get_header("WARC-Payload-Digest"), len(r.content_stream().read()))
                    for r in ArchiveIterator(fh)]
        fast = []
        with open(f, "rb") as fh:
            for r in FastIterator(fh, parse_http=False):
                assert r.verify_block_digest(), (f, r.headers.get("WARC-Target-URI"))
                fast.append((r.record_type, r.headers.get("WARC-Target-URI")))
        assert [t for t, *_ in ours][0] == "warcinfo"
        assert [u for _, u, *_ in ours] == [u for _, u in fast]
        assert len([t for t in fast if t[0] == WarcRecordType.response]) == len(
            [t for t in ours if t[0] == "response"])
        with open(f, "rb") as fh:
            for r in FastIterator(fh, record_types=WarcRecordType.response):
                assert r.verify_payload_digest()


def test_identical_payload_is_stored_once_as_a_revisit(copy: Path) -> None:
    storage = Storage(copy)
    try:
        row = storage.db.execute("select uri, file, offset, length, record_id from archive_records"
                                 " where kind = 'article' and type = 'response' limit 1").fetchone()
        root = copy.parent / "archive"
        original = read_page(root / row[1], row[2], row[3])
        writer = ArchiveWriter(root, lookup=storage.archived_payload)
        new = writer.write("https://mirror.example/copy.html", 200, original.headers, original.body,
                           kind="article", source="x")
        other = writer.write("https://mirror.example/other.html", 200, [], b"<html>other</html>", kind="article")
        again = writer.write("https://mirror.example/other2.html", 200, [], b"<html>other</html>", kind="article")
        writer.close()
        rows = writer.take()
    finally:
        storage.close()
    assert new["type"] == "revisit" and new["refers_to"] == row[4]
    assert other["type"] == "response" and again["type"] == "revisit" and again["refers_to"] == other["record_id"]
    assert new["length"] < len(original.body) / 2 or len(original.body) < 2000
    back = read_page(root / new["file"], new["offset"], new["length"], (root / row[1], row[2], row[3]))
    assert back.record_type == "revisit" and back.body == original.body and back.uri.endswith("copy.html")
    assert len(rows) == 3


def test_archive_files_rotate_at_the_size_setting(tmp_path: Path) -> None:
    import random

    rng = random.Random(1)
    writer = ArchiveWriter(tmp_path, max_bytes=3000)
    for i in range(12):  # bodies that do not compress: ~1-3 KB records
        body = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(900 * (i % 3 + 1)))
        writer.write(f"https://a.example/{i}.html", 200, [("Content-Type", "text/html")],
                     f"<html>{body}</html>".encode(), kind="article")
    writer.close()
    files = sorted(tmp_path.glob("*.warc.gz"))
    rows = writer.take()
    assert len(files) > 2
    assert {r["file"] for r in rows} == {f.name for f in files}
    for f in files[:-1]:  # a file rotates after the record that crosses the size
        last = max(r["offset"] + r["length"] for r in rows if r["file"] == f.name)
        assert last == f.stat().st_size and max(r["offset"] for r in rows if r["file"] == f.name) < 3000


def test_archive_settings_are_validated() -> None:
    from aggregator.validate import check_settings

    problems, warnings = check_settings([("AGGREGATOR_ARCHIVE_MAX_FILE_MB", "0"),
                                         ("AGGREGATOR_ARCHIVE_RETENTION_DAYS", "-1"),
                                         ("AGGREGATOR_ARCHIVE", "maybe"),
                                         ("AGGREGATOR_ARCHIVE_MAX_FILE_MB", "64")])
    assert [p.key for p in problems] == ["-s AGGREGATOR_ARCHIVE_MAX_FILE_MB",
                                         "-s AGGREGATOR_ARCHIVE_RETENTION_DAYS", "-s AGGREGATOR_ARCHIVE"]
    assert warnings == []


# --- lednews process ------------------------------------------------------------------

def test_process_all_changes_only_the_articles_a_new_cleaning_rule_affects(
        copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The acceptance test: a drop-line rule added to a source's profile (its TOML
    block), `process --all`: the article holding that line gets a new version with the
    reason, no other row of any table changes, and no socket is opened."""
    import pytest_socket

    before = _tables(copy)
    target = sqlite3.connect(copy).execute(
        "select id, version, text from articles where source = 'totelelectrical' and text like ?",
        ['%In addition, the "twelfth five"%']).fetchone()
    assert target is not None
    monkeypatch.chdir(tmp_path)  # no data/sources.toml of the checkout is read
    pytest_socket.disable_socket()
    try:
        # unchanged configuration: nothing is written at all
        out = _cli("process", "--all", "--db", str(copy), "--sources", str(USER_SOURCES))
        assert "0 new, 0 updated, 63 unchanged" in out
        assert _tables(copy) == before
        changed = tmp_path / "sources.toml"
        changed.write_text(USER_SOURCES.read_text("utf-8").replace(
            'name = "totelelectrical"\n', 'name = "totelelectrical"\ndrop_lines = [\'^In addition, the "twelfth five"\']\n'),
            "utf-8")
        out = _cli("process", "--all", "--db", str(copy), "--sources", str(changed))
    finally:
        pytest_socket.enable_socket()
    assert "0 new, 1 updated, 62 unchanged" in out, out
    assert "1 x reprocessed from the archive: profile changed" in out
    after = _tables(copy)
    aid = target[0]
    con = sqlite3.connect(copy)
    row = con.execute("select version, text, extractor_version from articles where id = ?", [aid]).fetchone()
    ver = con.execute("select version, text, reason from article_versions where article_id = ?", [aid]).fetchall()
    con.close()
    assert row[0] == target[1] + 1 and 'In addition, the "twelfth five"' not in row[1]
    assert ver == [(target[1], target[2], "reprocessed from the archive: profile changed")]
    # every other row of every table is as it was: what changed names the article
    for table in before:
        gone, new = before[table] - after[table], after[table] - before[table]
        stray = [r for r in gone | new if aid not in map(str, r)
                 and not (table == "dedup_meta" and r[0] == "pass")]  # when story linking last ran
        if table.startswith("article_search_fts_"):
            continue  # FTS5's own segments (the search index, article_search, names the id)
        assert stray == [], (table, stray[:3])
    assert after["articles"] - before["articles"] and after["stories"] != set()


def test_process_pool_gives_the_same_articles_as_one_process(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aggregator import reprocess as rp
    from aggregator.profiles import load_sources
    from spiders import site_profiles

    profiles = {p.key: p for p in [*site_profiles(), *load_sources(str(USER_SOURCES))]}
    storage = Storage(copy)
    try:
        rows = storage.archive_pages()
        one = list(rp._results(str(copy.parent / "archive"), rows, profiles, jobs=1))
        monkeypatch.setattr(rp, "POOL_MIN_PAGES", 0)
        monkeypatch.setattr(rp, "CHUNK", 16)
        pooled = list(rp._results(str(copy.parent / "archive"), rows, profiles, jobs=2))
    finally:
        storage.close()
    assert len(one) == len(rows) == len(pooled)

    def key(r: tuple) -> tuple:
        a = r[1]
        return (r[0], a) if not hasattr(a, "text") else (r[0], a.canonical_url, a.title, a.text, a.published)

    assert [key(r) for r in one] == [key(r) for r in pooled]


def test_process_needs_a_selection_and_a_known_source(copy: Path) -> None:
    res = CliRunner().invoke(main, ["process", "--db", str(copy)])
    assert res.exit_code == 2 and "--all" in res.output
    res = CliRunner().invoke(main, ["process", "--db", str(copy), "--source", "nope"])
    assert res.exit_code == 2 and "unknown source 'nope'" in res.output


def test_link_runs_story_linking_alone(copy: Path) -> None:
    out = _cli("link", "--db", str(copy))
    assert "stories" in out and "pass over 0 new or changed articles" in out


# --- lednews archive stats|prune|export -----------------------------------------------

def test_archive_stats_export_and_prune(copy: Path, tmp_path: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    out = _cli("archive", "stats", "--db", str(copy))
    assert "63 article pages" in out and "revisits" in out
    warc = tmp_path / "export.warc.gz"
    out = _cli("archive", "export", str(warc), "--db", str(copy), "--source", "ledinside")
    with open(warc, "rb") as f:
        uris = [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(f)]
    con = sqlite3.connect(copy)
    want = {r[0] for r in con.execute("select uri from archive_records where source = 'ledinside'")}
    con.close()
    assert set(uris) == want and len(uris) == len(want)
    out = _cli("archive", "prune", "--db", str(copy), "--days", "30")
    assert "deleted 0 archive files" in out
    files = sorted((copy.parent / "archive").glob("*.warc.gz"))
    con = sqlite3.connect(copy)
    con.execute("update archive_records set date = '2001-01-01T00:00:00Z'")
    con.commit()
    con.close()
    out = _cli("archive", "prune", "--db", str(copy), "--days", "30", "--dry-run")
    assert f"would delete {len(files)} archive files" in out and all(f.exists() for f in files)
    out = _cli("archive", "prune", "--db", str(copy), "--days", "30")
    assert f"deleted {len(files)} archive files" in out
    assert not any(f.exists() for f in files)
    con = sqlite3.connect(copy)
    assert con.execute("select count(*) from archive_records").fetchone()[0] == 0
    assert con.execute("select count(*) from articles").fetchone()[0] == 63  # articles stay
    con.close()


def test_an_archive_that_cannot_be_written_is_one_error_and_the_crawl_goes_on(tmp_path: Path) -> None:
    """Disk full, a file where the directory should be: the writer stops, the spider
    records one error row for the run and keeps extracting."""
    from scrapy.http import HtmlResponse, Request

    from aggregator.spider import ProfileSpider
    from spiders import site_profiles

    blocker = tmp_path / "archive"
    blocker.write_text("not a directory")
    profile = site_profiles()[0]
    spider = ProfileSpider(profiles=[profile])
    spider.archive = ArchiveWriter(blocker / "sub", background=True)
    for i in range(3):
        url = f"https://{profile.domains[0]}/a{i}.html"
        resp = HtmlResponse(url, body=b"<html><body><p>x</p></body></html>", request=Request(url, meta={}))
        spider._archive(resp, "article", profile)
        spider.archive.take()  # the queued write has run (and failed)
    assert spider.archive.error and "sub" in spider.archive.error
    assert [e[2].startswith("archive: cannot write") for e in spider.errors] == [True]
    assert spider.archive.take() == []
    spider.archive.close()


def test_process_selects_by_source_and_fetch_date(copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    con = sqlite3.connect(copy)
    n = con.execute("select count(distinct uri) from archive_records where source = 'ledinside'"
                    " and kind = 'article'").fetchone()[0]
    con.close()
    out = _cli("process", "--source", "ledinside", "--db", str(copy), "--sources", str(USER_SOURCES))
    assert f"{n} pages" in out and f"0 new, 0 updated, {n} unchanged" in out
    out = _cli("process", "--since", "2999-01-01", "--db", str(copy), "--sources", str(USER_SOURCES))
    assert "0 pages" in out
    res = CliRunner().invoke(main, ["process", "--since", "yesterday", "--db", str(copy)])
    assert res.exit_code == 2 and "expected a date YYYY-MM-DD" in res.output


def test_the_reason_names_what_changed_between_the_makers() -> None:
    from aggregator.items import Article
    from aggregator.reprocess import version_reason

    def new(ver: str, ph: str) -> Article:
        return Article(url="u", source="s", extractor_version=ver, profile_hash=ph)

    old = {"extractor_version": "1.1", "profile_hash": "aaa"}
    pre = "reprocessed from the archive: "
    assert version_reason(old, new("2.1", "aaa")) == pre + "extractor 1 -> 2"
    assert version_reason(old, new("1.2", "aaa")) == pre + "cleaner 1 -> 2"
    assert version_reason(old, new("2.2", "bbb")) == pre + "extractor 1 -> 2, cleaner 1 -> 2, profile changed"
    assert version_reason(old, new("1.1", "aaa")).startswith(pre + "same versions and profile")
    assert version_reason({"extractor_version": None, "profile_hash": None}, new("1.1", "aaa")) == \
        pre + "made before versions were recorded"


def test_a_crawl_version_says_the_page_changed(tmp_path: Path) -> None:
    from aggregator.items import Article

    st = Storage(tmp_path / "news.db")
    try:
        a = Article(url="https://x.example/1.html", canonical_url="https://x.example/1.html", source="x",
                    title="T", text="first text " * 20, content_hash="h1", extractor_version="1.1",
                    profile_hash="p")
        st.save_articles([a])
        a.text, a.content_hash = "second text " * 20, "h2"
        assert st.save_articles([a]).updated == 1
        rows = st.db.execute("select version, reason from article_versions").fetchall()
        made = st.db.execute("select extractor_version, profile_hash, version from articles").fetchone()
    finally:
        st.close()
    assert rows == [(1, "fetched again: the page changed")]
    assert made == ("1.1", "p", 2)


def test_a_polite_crawl_starts_no_page_worker() -> None:
    """bench/crawl.py --delay 1: at default politeness the worker does not pay
    (docs/performance.md), so `auto` starts none; unthrottled (the mirror) it does."""
    from scrapy.settings import Settings

    from aggregator.spider import _polite
    from aggregator.workers import default_workers

    assert default_workers(polite=True) == 0
    assert _polite(Settings({"DOWNLOAD_DELAY": 1.0}))
    assert _polite(Settings({"DOWNLOAD_DELAY": 0, "DOWNLOAD_SLOTS": {"a.example": {"delay": 2.0, "concurrency": 1}}}))
    assert not _polite(Settings({"DOWNLOAD_DELAY": 0, "DOWNLOAD_SLOTS": {}}))


def test_a_crawl_with_a_retention_prunes_after_it(copy: Path) -> None:
    import logging

    from aggregator.commands.archive import prune_after_crawl

    files = sorted((copy.parent / "archive").glob("*.warc.gz"))
    prune_after_crawl(str(copy), 30, logging.getLogger("test"))
    assert all(f.exists() for f in files)  # nothing that old yet
    con = sqlite3.connect(copy)
    con.execute("update archive_records set date = '2001-01-01T00:00:00Z'")
    con.commit()
    con.close()
    prune_after_crawl(str(copy), 30, logging.getLogger("test"))
    assert not any(f.exists() for f in files)
