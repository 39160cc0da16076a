"""``lednews export``: articles (with their story) as JSON Lines or CSV, for systems
without Datasette. Reads through a read-only SQLite connection."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

__all__ = ["COLUMNS", "export_rows", "write_export", "ExportError"]

COLUMNS = ("article_id", "story_id", "story_title", "source", "lang", "title", "url",
           "published", "first_seen", "author", "text")

_SQL = """select a.id as article_id, a.story_id, s.title as story_title, a.source, a.lang,
  a.title, a.url, a.published, a.first_seen, a.author, a.text
from articles a left join stories s on s.id = a.story_id
where substr(coalesce(a.published, a.first_seen), 1, 10) >= ?
order by coalesce(a.published, a.first_seen), a.id"""
# --company/--topic (issue 19): articles of the stories tagged with every entity of a
# JSON list of ids.
_SQL_ENTITIES = _SQL.replace("\norder by", "\nand a.story_id in (select story_id from story_entities"
                             " where entity_id in (select value from json_each(?)) group by story_id"
                             " having count(distinct entity_id) = json_array_length(?))\norder by")


class ExportError(ValueError):
    pass


def parse_since(value: str) -> str:
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ExportError(f"--since {value!r}: expected a date like 2026-11-01") from None


def export_rows(db_path: str | Path, since: str, entities: list[Any] | None = None) -> Iterator[dict[str, Any]]:
    """Articles published (or, without a date, first stored) on or after ``since``;
    with ``entities`` (ids or names of companies and topics, or (kind, name)), only those of
    stories tagged with all of them."""
    day = parse_since(since)
    path = Path(db_path)
    if not path.is_file():
        raise ExportError(f"no database at {path} (run `lednews crawl` first)")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        if entities:
            from aggregator.publish.entity_queries import resolve_entities

            ids = json.dumps(resolve_entities(conn, entities, ExportError))
            rows = conn.execute(_SQL_ENTITIES, [day, ids, ids])
        else:
            rows = conn.execute(_SQL, [day])
        for row in rows:
            yield dict(row)
    except sqlite3.DatabaseError as e:
        raise ExportError(f"cannot read {path}: {e}") from e
    finally:
        conn.close()


def write_export(rows: Iterator[dict[str, Any]], fmt: str, out: IO[str]) -> int:
    """Write rows as ``jsonl`` or ``csv``; returns the number written."""
    n = 0
    if fmt == "jsonl":
        for n, row in enumerate(rows, 1):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        from aggregator.publish.csvsafe import csv_cell

        w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n", quoting=csv.QUOTE_ALL)
        w.writeheader()
        for n, row in enumerate(rows, 1):
            w.writerow({k: csv_cell(v) for k, v in row.items()})  # no formula injection (OWASP)
    else:
        raise ExportError(f"unknown format {fmt!r} (jsonl or csv)")
    return n
