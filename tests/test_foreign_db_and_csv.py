"""Another application's database is refused, unchanged; CSV cells cannot run as
spreadsheet formulas (issue 15)."""

from __future__ import annotations

import csv
import hashlib
import io
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from aggregator.cli import main
from aggregator.publish.export import COLUMNS, write_export


def _foreign(path: Path) -> str:
    c = sqlite3.connect(path)
    c.execute("create table customers (id integer primary key, name text)")
    c.execute("insert into customers (name) values ('Acme')")
    c.commit()
    c.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", [["summary"], ["status"], ["dedup"], ["learn-templates"]])
def test_a_database_that_is_not_ours_is_refused_and_left_unchanged(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "crm.db"
    digest = _foreign(db)
    res = CliRunner().invoke(main, [*command, "--db", str(db)])
    assert res.exit_code == 2, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and "is not a lednews database (it holds customers" in lines[0]
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest  # not a byte changed
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("crm")) == ["crm.db"]  # no WAL
    c = sqlite3.connect(db)
    assert [r[0] for r in c.execute("select name from sqlite_master where type = 'table'")] == ["customers"]
    c.close()


def test_an_empty_file_and_our_own_database_are_opened(tmp_path: Path) -> None:
    from aggregator.storage import Storage

    empty = tmp_path / "empty.db"
    empty.touch()
    Storage(empty).close()  # becomes a lednews database
    Storage(empty).close()  # and is ours the second time


HOSTILE = ['=HYPERLINK("http://127.0.0.1/x","click")', "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3",
           "\t=1+1", "\r=1+1", "ordinary title", "a = b", ""]


def test_csv_cells_that_a_spreadsheet_would_run_are_escaped() -> None:
    rows = [{**dict.fromkeys(COLUMNS, None), "title": t, "text": t, "author": t} for t in HOSTILE]
    out = io.StringIO()
    assert write_export(iter(rows), "csv", out) == len(HOSTILE)
    got = list(csv.DictReader(io.StringIO(out.getvalue())))
    for row, original in zip(got, HOSTILE, strict=True):
        for col in ("title", "text", "author"):
            if original[:1] in ("=", "+", "-", "@", "\t", "\r"):
                assert row[col] == "'" + original  # shown as text, never evaluated
            else:
                assert row[col] == original
