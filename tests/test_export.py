"""`lednews export` and the publishing commands' errors, run as a user would."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

from support import run_lednews

SINCE = "2026-11-18"


def _expected_ids(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "select id from articles where substr(coalesce(published, first_seen), 1, 10) >= ?"
        " order by coalesce(published, first_seen), id", [SINCE])]


def test_export_jsonl(demo_db: Path, conn: sqlite3.Connection) -> None:
    out = run_lednews("export", "--db", str(demo_db), "--since", SINCE)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    want = _expected_ids(conn)
    assert 0 < len(want) < conn.execute("select count(*) from articles").fetchone()[0]
    assert [r["article_id"] for r in rows] == want
    zh = next(r for r in rows if (r["lang"] or "").startswith("zh"))
    assert "\\u" not in out.stdout and zh["text"] and zh["story_id"] and zh["story_title"]


def test_export_csv_to_file(demo_db: Path, conn: sqlite3.Connection, tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    out = run_lednews("export", "--db", str(demo_db), "--since", SINCE, "--format", "csv", "-o", str(target))
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8"))))
    assert [r["article_id"] for r in rows] == _expected_ids(conn)
    assert f"exported {len(rows)} articles" in out.stderr
    multi = [r for r in rows if "\n" in r["text"]]
    assert multi, "paragraph breaks survive CSV quoting"


def test_export_and_serve_errors_are_one_line(tmp_path: Path, demo_db: Path) -> None:
    for args in (("export", "--db", str(demo_db), "--since", "last week"),
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
