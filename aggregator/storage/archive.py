"""The raw archive's index (``archive_records``, migration ``m180_archive``): where each
WARC record lednews wrote or imported is (file, offset, length), what it holds (URI,
date, kind, source, payload digest) and, for a revisit, the record holding its body."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

__all__ = ["ArchiveStore", "ARCHIVE_COLUMNS"]

ARCHIVE_COLUMNS = ("record_id", "uri", "date", "kind", "source", "file", "offset", "length", "digest",
                   "type", "status", "refers_to", "lang_hint", "feed_date", "run_id")
_INSERT = ("insert or ignore into archive_records (record_id, uri, date, kind, source, file, offset,"
           " length, digest, type, status, refers_to, lang_hint, feed_date, run_id)"
           " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


class ArchiveStore:
    db: Database

    def save_archive_rows(self, rows: Iterable[dict[str, Any]], run_id: int | None = None) -> int:
        """Index rows of records just written (``ArchiveWriter.take``); in the caller's
        transaction when there is one."""
        batch = [tuple(run_id if c == "run_id" and r.get(c) is None else r.get(c) for c in ARCHIVE_COLUMNS)
                 for r in rows]
        if batch:
            self.db.conn.executemany(_INSERT, batch)
        return len(batch)

    def archived_payload(self, digest: str) -> tuple[str, str, str] | None:
        """(record_id, uri, date) of the response record holding this payload, if any."""
        row = self.db.execute("select record_id, uri, date from archive_records where digest = ?"
                              " and type = 'response' order by id limit 1", [digest]).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def archive_location(self, record_id: str) -> tuple[str, int, int] | None:
        row = self.db.execute("select file, offset, length from archive_records where record_id = ?",
                              [record_id]).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def archive_pages(self, sources: Iterable[str] | None = None, since: str | None = None,
                      kind: str = "article") -> list[dict[str, Any]]:
        """The newest archived record of each URI of ``kind`` (status 200), optionally
        of these sources and fetched on or after ``since`` (ISO date), with the location
        of the body for revisits (``body_file``, ``body_offset``, ``body_length``)."""
        sql = ("select r.*, o.file as body_file, o.offset as body_offset, o.length as body_length"
               " from archive_records r left join archive_records o on o.record_id = r.refers_to"
               " where r.id in (select max(id) from archive_records where kind = ? and status = 200"
               " group by uri)")
        args: list[Any] = [kind]
        src = sorted(set(sources)) if sources is not None else None
        if src is not None:
            sql += " and r.source in (%s)" % ",".join("?" * len(src))
            args += src
        if since:
            sql += " and r.date >= ?"
            args.append(since)
        sql += " order by r.file, r.offset"
        return [dict(r) for r in self.db.query(sql, args)]

    def archive_rows_by_record(self, record_ids: list[str]) -> list[dict[str, Any]]:
        """Index rows (with the body location of revisits, as ``archive_pages``) by WARC-Record-ID."""
        out: list[dict[str, Any]] = []
        for i in range(0, len(record_ids), 500):
            chunk = record_ids[i:i + 500]
            out += [dict(r) for r in self.db.query(
                "select r.*, o.file as body_file, o.offset as body_offset, o.length as body_length"
                " from archive_records r left join archive_records o on o.record_id = r.refers_to"
                " where r.record_id in (%s)" % ",".join("?" * len(chunk)), chunk)]
        return out

    def article_url(self, canonical_url: str) -> str | None:
        row = self.db.execute("select url from articles where canonical_url = ?", [canonical_url]).fetchone()
        return row[0] if row else None

    def archive_stats(self) -> dict[str, Any]:
        q = self.db.execute
        total = q("select count(*), count(distinct uri), coalesce(sum(length), 0), count(distinct file),"
                  " min(date), max(date) from archive_records").fetchone()
        by_type = dict(q("select type, count(*) from archive_records group by type").fetchall())
        by_kind = dict(q("select kind, count(*) from archive_records group by kind").fetchall())
        by_source = {r[0] or "": {"records": r[1], "bytes": r[2]} for r in q(
            "select source, count(*), sum(length) from archive_records group by source order by source")}
        return {"records": total[0], "uris": total[1], "bytes": total[2], "files": total[3],
                "oldest": total[4], "newest": total[5], "by_type": by_type, "by_kind": by_kind,
                "by_source": by_source}

    def archive_files(self) -> list[dict[str, Any]]:
        """Per file: records, bytes indexed, newest record date."""
        return [dict(r) for r in self.db.query(
            "select file, count(*) as records, sum(length) as bytes, min(date) as oldest, max(date) as newest"
            " from archive_records group by file order by file")]

    def archive_prunable(self, before: str) -> list[str]:
        """Files whose every record is older than ``before`` and that hold no body a kept
        revisit record (in another file) still refers to."""
        return [r[0] for r in self.db.execute(
            "with f as (select file, max(date) as newest from archive_records group by file)"
            " select f.file from f where f.newest < ? and not exists (select 1 from archive_records o"
            " join archive_records v on v.refers_to = o.record_id join f kept on kept.file = v.file"
            " where o.file = f.file and kept.newest >= ?) order by f.file", [before, before]).fetchall()]

    def forget_archive_files(self, files: Iterable[str]) -> int:
        n = 0
        with self.db.atomic():
            for f in files:
                n += self.db.execute("delete from archive_records where file = ?", [f]).rowcount
        return n
