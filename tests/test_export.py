"""`lednews export` and the publishing commands' errors, run as a user would."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

from support import run_cli, run_lednews

SINCE = "2026-11-18"


def _expected_ids(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "select id from articles where substr(coalesce(published, first_seen), 1, 10) >= ?"
        " order by coalesce(published, first_seen), id", [SINCE])]


def test_export_jsonl(demo_db: Path, conn: sqlite3.Connection) -> None:
    out = run_cli("export", "--db", str(demo_db), "--since", SINCE)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    want = _expected_ids(conn)
    assert 0 < len(want) < conn.execute("select count(*) from articles").fetchone()[0]
    assert [r["article_id"] for r in rows] == want
    zh = next(r for r in rows if (r["lang"] or "").startswith("zh"))
    assert "\\u" not in out.stdout and zh["text"] and zh["story_id"] and zh["story_title"]


def test_export_csv_to_file(demo_db: Path, conn: sqlite3.Connection, tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    out = run_cli("export", "--db", str(demo_db), "--since", SINCE, "--format", "csv", "-o", str(target))
    assert out.returncode == 0, out.stderr
    raw = target.read_bytes()
    assert raw.startswith("\ufeff".encode())  # the BOM Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["article_id"] for r in rows] == _expected_ids(conn)
    assert f"exported {len(rows)} articles" in out.stderr
    multi = [r for r in rows if "\n" in r["text"]]
    assert multi, "paragraph breaks survive CSV quoting"


def test_export_and_serve_errors_are_one_line(tmp_path: Path, demo_db: Path) -> None:
    for args in (("export", "--db", str(demo_db), "--since", "last week"),
                 ("export", "--db", str(demo_db), "--until", "2026-02-30"),
                 ("export", "--db", str(demo_db), "--source", "no_such_site"),
                 ("export", "--db", str(demo_db), "--query", "-LED"),
                 ("export", "--db", str(demo_db), "--since", "2026-11-20", "--until", "2026-11-01"),
                 ("export", "--db", str(demo_db), "--format", "xlsx"),
                 ("export", "--db", str(tmp_path / "none.db"), "--since", SINCE),
                 ("serve", "--db", str(tmp_path / "none.db"))):
        out = run_lednews(*args)
        assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
        assert out.stderr.startswith("lednews: error: ")


def test_help_lists_publishing_commands() -> None:
    out = run_lednews("--help")
    assert "serve" in out.stdout and "export" in out.stdout


def test_serve_on_a_busy_port_is_a_one_line_error(demo_db: Path, tmp_path: Path) -> None:
    import shutil
    import socket

    db = tmp_path / "news.db"
    shutil.copy(demo_db, db)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        out = run_lednews("serve", "--db", str(db), "--port", str(busy.getsockname()[1]), timeout=60)
    assert out.returncode == 2 and out.stderr.startswith("lednews: error: cannot listen on 127.0.0.1:")


def _ids(out: str) -> list[str]:
    return [json.loads(line)["article_id"] for line in out.splitlines()]


def test_export_filters_until_source_lang_query(demo_db: Path, conn: sqlite3.Connection) -> None:
    from aggregator.publish.segment import fts_query

    out = run_cli("export", "--db", str(demo_db), "--since", "2026-11-01", "--until", "2026-11-18",
                      "--source", "ofweek", "--source", "ledinside", "--lang", "zh")
    assert out.returncode == 0, out.stderr
    want = [r[0] for r in conn.execute(
        "select id from articles where substr(coalesce(published, first_seen), 1, 10) between ? and ?"
        " and source in ('ofweek', 'ledinside') and lang in ('zh-Hans', 'zh-Hant')"
        " order by coalesce(published, first_seen), id", ["2026-11-01", "2026-11-18"])]
    assert want and _ids(out.stdout) == want
    out = run_cli("export", "--db", str(demo_db), "--query", "Micro LED", "--lang", "en")
    matched = {r[0] for r in conn.execute(
        "select s.article_id from article_search_fts f join article_search s on s.id = f.rowid"
        " where article_search_fts match ?", [fts_query("Micro LED")])}
    en = {r[0] for r in conn.execute("select id from articles where lang = 'en'")}
    got = _ids(out.stdout)
    assert got and set(got) == matched & en


def test_export_stories_lists_every_version(demo_db: Path, conn: sqlite3.Connection, tmp_path: Path) -> None:
    target = tmp_path / "stories.csv"
    out = run_cli("export", "--db", str(demo_db), "--stories", "--query", "LED", "-o", str(target))
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8-sig"))))
    assert rows and f"exported {len(rows)} stories" in out.stderr
    assert len({r["story_id"] for r in rows}) == len(rows)
    for r in rows:
        urls = {u for (u,) in conn.execute("select url from articles where story_id = ?", [r["story_id"]])}
        assert set(r["urls"].split("\n")) == urls and int(r["versions"]) == len(urls)
    assert any(int(r["versions"]) > 1 for r in rows)


def test_export_xlsx_opens_with_chinese_and_no_formulas(demo_db: Path, conn: sqlite3.Connection,
                                                         tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from aggregator.publish.export import write_xlsx

    target = tmp_path / "a.xlsx"
    out = run_cli("export", "--db", str(demo_db), "--since", SINCE, "-o", str(target))
    assert out.returncode == 0, out.stderr
    ws = load_workbook(target).active
    values = list(ws.values)
    assert values[0][0] == "article_id" and [v[0] for v in values[1:]] == _expected_ids(conn)
    assert any("照明" in (v[5] or "") or "芯片" in (v[5] or "") for v in values[1:])
    evil = tmp_path / "evil.xlsx"
    write_xlsx(iter([{"article_id": "x", "title": "=HYPERLINK(\"http://e.example\")", "text": "a\x01b" * 20000}]),
               evil)
    cell = load_workbook(evil).active
    assert cell["F2"].data_type == "s" and cell["F2"].value.startswith("=HYPERLINK")
    assert len(cell["K2"].value) <= 32_767 and "\x01" not in cell["K2"].value
