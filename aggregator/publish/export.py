"""``lednews export``: articles (with their story), or one row per story, as JSON Lines,
CSV or .xlsx, for systems without Datasette and for spreadsheets. Reads through a
read-only SQLite connection."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

__all__ = ["COLUMNS", "STORY_COLUMNS", "ExportFilter", "export_rows", "write_export", "write_xlsx",
           "ExportError", "parse_since"]

COLUMNS = ("article_id", "story_id", "story_title", "source", "lang", "title", "url",
           "published", "first_seen", "author", "text")
STORY_COLUMNS = ("story_id", "title", "first_published", "languages", "sources", "versions",
                 "article_ids", "urls")
# Language choices, as on the web pages: "zh" is both scripts.
LANGS = {"en": ("en",), "zh": ("zh-Hans", "zh-Hant"), "zh-Hans": ("zh-Hans",), "zh-Hant": ("zh-Hant",)}
# Excel keeps at most 32,767 characters in a cell (Excel specifications and limits);
# a longer text is cut there, with a marker, in .xlsx only.
XLSX_CELL_MAX = 32_767

_DAY = "substr(coalesce(a.published, a.first_seen), 1, 10)"


class ExportError(ValueError):
    pass


def _day(value: str, flag: str) -> str:
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ExportError(f"{flag} {value!r}: expected a date like 2026-11-01") from None


def parse_since(value: str) -> str:
    return _day(value, "--since")


@dataclass(frozen=True)
class ExportFilter:
    """Which articles: published (or, undated, first stored) from ``since`` to
    ``until`` (days, inclusive), from one of ``sources``, in one of ``langs``, matching
    the search ``query`` (the web search's syntax), of stories tagged with every one of
    ``entities`` (companies and topics: ids, names or (kind, name); issue 19). Empty
    means no restriction."""

    since: str | None = None
    until: str | None = None
    sources: Sequence[str] = ()
    langs: Sequence[str] = ()
    query: str | None = None
    entities: Sequence[Any] = ()

    def checked(self) -> ExportFilter:
        since = _day(self.since, "--since") if self.since else None
        until = _day(self.until, "--until") if self.until else None
        if since and until and since > until:
            raise ExportError(f"--since {since} is after --until {until}")
        bad = [x for x in self.langs if x not in LANGS]
        if bad:
            raise ExportError(f"--lang {bad[0]!r}: expected one of {', '.join(LANGS)}")
        if self.query is not None and not self.query.strip():
            raise ExportError("--query: empty")
        return ExportFilter(since, until, tuple(self.sources), tuple(self.langs), self.query,
                            tuple(self.entities))

    def params(self, entity_ids: Sequence[str] = ()) -> dict[str, Any]:
        """The bound values of ``_WHERE`` (None: that filter is off)."""
        fts = None
        if self.query:
            from aggregator.publish.segment import fts_query, parse_query

            if not parse_query(self.query)[0]:
                raise ExportError(f"--query {self.query!r}: nothing to look for (only -exclusions)")
            fts = fts_query(self.query)
        langs = sorted({x for v in self.langs for x in LANGS[v]})
        return {"since": self.since, "until": self.until,
                "sources": json.dumps(list(self.sources)) if self.sources else None,
                "langs": json.dumps(langs) if langs else None, "fts": fts,
                "entities": json.dumps(list(entity_ids)) if entity_ids else None}


# Every filter is a bound value (NULL turns it off): the SQL itself never changes.
_WHERE = """where (:since is null or substr(coalesce(a.published, a.first_seen), 1, 10) >= :since)
  and (:until is null or substr(coalesce(a.published, a.first_seen), 1, 10) <= :until)
  and (:sources is null or a.source in (select value from json_each(:sources)))
  and (:langs is null or a.lang in (select value from json_each(:langs)))
  and (:fts is null or a.id in (select x.article_id from article_search_fts f
       join article_search x on x.id = f.rowid where article_search_fts match :fts))"""
# --company/--topic (issue 19): stories tagged with every entity of a JSON list of ids
# (a separate statement: a database from before the entity tables lacks story_entities).
_WHERE_ENTITIES = _WHERE + """
  and a.story_id in (select story_id from story_entities
       where entity_id in (select value from json_each(:entities)) group by story_id
       having count(distinct entity_id) = json_array_length(:entities))"""

_ARTICLES_SQL = """select a.id as article_id, a.story_id, s.title as story_title, a.source, a.lang,
  a.title, a.url, a.published, a.first_seen, a.author, a.text
from articles a left join stories s on s.id = a.story_id
/*where*/
order by coalesce(a.published, a.first_seen), a.id"""

# One row per story with a version that passes the filter; every version's id and URL.
_STORIES_SQL = """with picked as (select distinct a.story_id from articles a /*where*/)
select s.id as story_id, s.title, s.first_published, s.languages, s.sources, s.versions,
  (select group_concat(v.id, char(10)) from (select id from articles where story_id = s.id
     order by published, id) v) as article_ids,
  (select group_concat(v.url, char(10)) from (select url from articles where story_id = s.id
     order by published, id) v) as urls
from stories s join picked p on p.story_id = s.id
left join articles c on c.id = s.canonical_article_id
order by coalesce(s.first_published, c.first_seen), s.id"""
# (constant text only: the statements are put together once, here)
_STATEMENTS = {(stories, ents): sql.replace("/*where*/", _WHERE_ENTITIES if ents else _WHERE)
               for stories, sql in ((False, _ARTICLES_SQL), (True, _STORIES_SQL)) for ents in (False, True)}


def export_rows(db_path: str | Path, since: str | None = None, entities: list[Any] | None = None, *,
                flt: ExportFilter | None = None, stories: bool = False) -> Iterator[dict[str, Any]]:
    """Articles (or, with ``stories``, stories) passing the filter, oldest first.
    ``since`` and ``entities`` alone are the filter of earlier versions."""
    f = (flt or ExportFilter(since=since, entities=tuple(entities or ()))).checked()
    path = Path(db_path)
    if not path.is_file():
        raise ExportError(f"no database at {path} (run `lednews crawl` first)")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        if f.sources:
            known = {r[0] for r in conn.execute("select key from sources")}
            unknown = [s for s in f.sources if s not in known]
            if unknown:
                raise ExportError(f"--source {unknown[0]!r}: no such source (`lednews sites` lists them)")
        entity_ids: list[str] = []
        if f.entities:
            from aggregator.publish.entity_queries import resolve_entities

            entity_ids = resolve_entities(conn, list(f.entities), ExportError)
        for row in conn.execute(_STATEMENTS[stories, bool(entity_ids)], f.params(entity_ids)):
            d = dict(row)
            if stories:
                d["languages"] = " ".join(json.loads(d["languages"] or "[]"))
                d["sources"] = " ".join(json.loads(d["sources"] or "[]"))
            yield d
    except sqlite3.DatabaseError as e:
        raise ExportError(f"cannot read {path}: {e}") from e
    finally:
        conn.close()


def write_export(rows: Iterator[dict[str, Any]], fmt: str, out: IO[str],
                 columns: Sequence[str] = COLUMNS) -> int:
    """Write rows as ``jsonl`` or ``csv``; returns the number written. CSV starts
    with a UTF-8 byte order mark, which Excel needs to read Chinese as UTF-8 (it
    assumes the ANSI code page otherwise); Python reads it with ``utf-8-sig``."""
    n = 0
    if fmt == "jsonl":
        for n, row in enumerate(rows, 1):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        from aggregator.publish.csvsafe import csv_cell

        out.write("\ufeff")
        w = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", quoting=csv.QUOTE_ALL)
        w.writeheader()
        for n, row in enumerate(rows, 1):
            w.writerow({k: csv_cell(v) for k, v in row.items()})  # no formula injection (OWASP)
    else:
        raise ExportError(f"unknown format {fmt!r} (jsonl, csv or xlsx)")
    return n


def write_xlsx(rows: Iterator[dict[str, Any]], path: str | Path | IO[bytes],
               columns: Sequence[str] = COLUMNS) -> int:
    """Write rows to an .xlsx workbook (one sheet, a bold header row, frozen), with
    every value as data: a text that starts with '=' stays text, never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = "lednews"
    ws.append(list(columns))
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.freeze_panes = "A2"
    n = 0
    for n, row in enumerate(rows, 1):
        values = []
        for col in columns:
            v = row.get(col)
            if isinstance(v, str):
                v = ILLEGAL_CHARACTERS_RE.sub("", v)
                if len(v) > XLSX_CELL_MAX:
                    v = v[:XLSX_CELL_MAX - 20] + " … [cut for Excel]"
            values.append(v)
        ws.append(values)
        for c in ws[ws.max_row]:
            if c.data_type == "f":  # openpyxl reads a leading '=' as a formula: keep it text
                c.data_type = "s"
    wb.save(path)
    return n
