"""WARC files: the raw archive's writer and readers (``warcio``).

Each fetched article page, feed and sitemap becomes one ``response`` record (the HTTP
status line and headers, then the body as Scrapy received it), gzip-compressed on its
own (one gzip member per record, as Common Crawl and heritrix write them), so any record
is read with one seek: its file, byte offset and length go into the SQLite index
(``archive_records``, written by the store in the transaction of the crawl's batch).
A body already stored (same ``WARC-Payload-Digest``) is written as a ``revisit`` record
(profile *identical-payload-digest*, WARC 1.1 section 6.7.2) naming the record that holds
it. Files rotate at ``max_bytes``; each starts with a ``warcinfo`` record.

The body is the decoded one (Scrapy has removed gzip/br transfer codings), so
``Content-Encoding``/``Transfer-Encoding`` are dropped from the stored headers and
``Content-Length`` is the stored body's; ``WARC-Payload-Digest`` is over that body.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from http.client import responses as _REASONS
from pathlib import Path
from typing import Any, BinaryIO

__all__ = ["ArchiveWriter", "StoredPage", "payload_digest", "read_page", "iter_pages", "warc_date",
           "REVISIT_PROFILE", "DEFAULT_MAX_BYTES"]

REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
# Rotation size: 1 GB is the size Common Crawl and heritrix use (WARC 1.1 annex C
# recommends files of about 1 GB); setting AGGREGATOR_ARCHIVE_MAX_FILE_MB.
DEFAULT_MAX_BYTES = 1024 * 1024 * 1024
# zlib level of each record's gzip member: 1 took 0.59 ms a 21 KB page against 1.42 ms
# at warcio's 9, for 0.30 instead of 0.27 of the HTML size (bench/crawl.py's pages, 300
# of them; level 6: 1.16 ms, 0.27): the archive's cost in a crawl is mostly this.
GZIP_LEVEL = 1
# Headers that describe the bytes on the wire, not the decoded body stored
_WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}

# (record_id, uri, date) of the response record holding a payload digest, or None
Lookup = Callable[[str], "tuple[str, str, str] | None"]


def payload_digest(body: bytes) -> str:
    """``sha1:BASE32``: the form of ``WARC-Payload-Digest`` warcio and wget write."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_date(when: datetime | None = None) -> str:
    return (when or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class StoredPage:
    """One page read back from a WARC record (a revisit's body from its original)."""

    uri: str
    date: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    record_type: str
    digest: str
    record_id: str
    refers_to: str | None = None

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


def _member(record: Any) -> bytes:
    """A record as one gzip member (warcio formats it and computes its digests)."""
    import zlib

    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    WARCWriter(buf, gzip=False, warc_version="WARC/1.1").write_record(record)
    z = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return z.compress(buf.getvalue()) + z.flush()


class ArchiveWriter:
    """Appends records to ``DIR/lednews-<time>-<pid>-<n>.warc.gz`` files; ``take()``
    hands over the index rows of the records written since the last call (after flushing
    the file, so a row never points at bytes still in a buffer).

    With ``background=True`` (the crawl) ``write`` only queues the record: one thread of
    its own builds, compresses and appends records in order (zlib and sha1 run without
    the GIL, so the crawl's loop goes on), ``take`` waits for the queue first. A write
    that fails (disk full) sets ``error`` and the writer stops; the crawl goes on."""

    def __init__(self, directory: str | Path, max_bytes: int = DEFAULT_MAX_BYTES,
                 lookup: Lookup | None = None, software: str = "lednews", background: bool = False) -> None:
        self.dir = Path(directory)
        self.max_bytes = max(1, int(max_bytes))
        self.lookup = lookup
        self.software = software
        self._seen: dict[str, tuple[str, str, str]] = {}  # digests written by this writer
        self._rows: list[dict[str, Any]] = []
        self._file: BinaryIO | None = None
        self._name = ""
        self._seq = 0
        self.records = 0
        self.revisits = 0
        self.bytes = 0
        self.error: str | None = None
        self._thread: Any = None
        self._queued: list[Any] = []  # futures of queued writes, in order
        if background:
            from concurrent.futures import ThreadPoolExecutor

            self._thread = ThreadPoolExecutor(1, thread_name_prefix="lednews-archive")

    # files -------------------------------------------------------------------
    def _open(self) -> BinaryIO:
        if self._file is not None and self._file.tell() < self.max_bytes:
            return self._file
        if self._file is not None:
            self._file.close()
        from warcio.warcwriter import WARCWriter

        self.dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        while True:
            self._seq += 1
            name = f"lednews-{stamp}-{os.getpid()}-{self._seq:05d}.warc.gz"
            if not (self.dir / name).exists():
                break
        self._name = name
        self._file = open(self.dir / name, "ab")
        writer = WARCWriter(io.BytesIO(), gzip=False, warc_version="WARC/1.1")
        info = writer.create_warcinfo_record(name, {"software": self.software, "format": "WARC File Format 1.1",
                                                    "conformsTo": "https://iipc.github.io/warc-specifications/"
                                                                  "specifications/warc-format/warc-1.1/"})
        self._file.write(_member(info))
        return self._file

    def write(self, uri: str, status: int, headers: list[tuple[str, str]], body: bytes, *, kind: str,
              source: str | None = None, lang_hint: str | None = None, feed_date: str | None = None,
              date: str | None = None) -> dict[str, Any] | None:
        """One ``response`` record (or ``revisit`` for a body already archived); returns
        its index row (also kept for ``take``), or None when queued (``background``)."""
        if self.error is not None:
            return None
        # on the caller's thread: a broken install fails the page that needed it (the
        # crawl records it as that page's error), not the writer thread
        import warcio.warcwriter  # noqa: F401

        args = (uri, status, headers, body, kind, source, lang_hint, feed_date, date or warc_date())
        if self._thread is not None:
            self._queued.append(self._thread.submit(self._write_safely, *args))
            return None
        return self._write(*args)

    def _write_safely(self, *args: Any) -> None:
        try:
            self._write(*args)
        except OSError as e:
            self.error = f"cannot write {e.filename or self.dir}: {e.strerror or e}"
        except Exception as e:  # a bug met by one record: the archive stops, the crawl goes on
            self.error = f"cannot write a record: {type(e).__name__}: {e}"

    def _write(self, uri: str, status: int, headers: list[tuple[str, str]], body: bytes, kind: str,
               source: str | None, lang_hint: str | None, feed_date: str | None, date: str) -> dict[str, Any]:
        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter

        digest = payload_digest(body)
        kept = [(k, v) for k, v in headers if k.lower() not in _WIRE_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(f"{status} {_REASONS.get(status, 'Unknown')}", kept, protocol="HTTP/1.1")
        record_id = f"<urn:uuid:{uuid.uuid4()}>"
        original = self._seen.get(digest) or (self.lookup(digest) if self.lookup else None)
        f = self._open()
        writer = WARCWriter(io.BytesIO(), gzip=False, warc_version="WARC/1.1")
        warc_headers = {"WARC-Record-ID": record_id, "WARC-Date": date}
        if original is not None:
            warc_headers["WARC-Refers-To"] = original[0]
            warc_headers["WARC-Profile"] = REVISIT_PROFILE
            record = writer.create_revisit_record(uri, digest, original[1], original[2], http_headers=http,
                                                  warc_headers_dict=warc_headers)
            record.rec_headers.replace_header("WARC-Profile", REVISIT_PROFILE)
            rtype = "revisit"
            self.revisits += 1
        else:
            record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), length=len(body),
                                               http_headers=http, warc_headers_dict=warc_headers)
            rtype = "response"
            self._seen[digest] = (record_id, uri, date)
        member = _member(record)
        offset = f.tell()
        f.write(member)
        length = len(member)
        self.records += 1
        self.bytes += length
        row = {"record_id": record_id, "uri": uri, "date": date, "kind": kind, "source": source,
               "file": self._name, "offset": offset, "length": length, "digest": digest, "type": rtype,
               "status": status, "refers_to": original[0] if original is not None else None,
               "lang_hint": lang_hint, "feed_date": feed_date}
        self._rows.append(row)
        return row

    def _drain(self) -> None:
        """Wait until every queued record is written."""
        queued, self._queued = self._queued, []
        for fut in queued:
            fut.result()

    def take(self) -> list[dict[str, Any]]:
        self._drain()
        if self._file is not None:
            self._file.flush()
        rows, self._rows = self._rows, []
        return rows

    def pending(self) -> bool:
        return bool(self._rows or self._queued)

    def close(self) -> None:
        self._drain()
        if self._thread is not None:
            self._thread.shutdown(wait=True)
            self._thread = None
        if self._file is not None:
            self._file.close()
            self._file = None
        close_lookup = getattr(self.lookup, "close", None)
        if close_lookup is not None:
            close_lookup()


# reading ---------------------------------------------------------------------
def _page(record: Any, body: bytes | None = None) -> StoredPage:
    h = record.rec_headers
    http = record.http_headers
    status = int(http.get_statuscode() or 0) if http is not None else 0
    headers = list(http.headers) if http is not None else []
    if body is None:
        body = record.content_stream().read()
    return StoredPage(uri=h.get_header("WARC-Target-URI") or "", date=h.get_header("WARC-Date") or "",
                      status=status, headers=headers, body=body, record_type=record.rec_type,
                      digest=h.get_header("WARC-Payload-Digest") or "",
                      record_id=h.get_header("WARC-Record-ID") or "",
                      refers_to=h.get_header("WARC-Refers-To"))


def read_page(path: str | Path, offset: int, length: int, body_from: tuple[str | Path, int, int] | None = None
              ) -> StoredPage:
    """The record at ``offset`` (``length`` bytes, one gzip member) of ``path``; for a
    revisit, ``body_from`` is the (path, offset, length) of the record holding the body."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read(length)
    record = next(iter(ArchiveIterator(io.BytesIO(data))))
    body = None
    if record.rec_type == "revisit":
        body = read_page(*body_from).body if body_from is not None else b""
    return _page(record, body)


def iter_pages(path: str | Path) -> Iterator[StoredPage]:
    """Every ``response`` record of a WARC file (any crawler's; gzip or not), in order.
    Revisits and other record types are skipped: their payloads are in response records."""
    import gzip

    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as f:  # warcio reads anything with warnings: look at the start first
        head = f.read(2)
        f.seek(0)
        if head == b"\x1f\x8b":
            with gzip.open(f) as g:
                head = g.read(5)
            f.seek(0)
        else:
            head = f.read(5)
            f.seek(0)
        if head != b"WARC/":
            raise ValueError("it does not start with a WARC record")
        for record in ArchiveIterator(f):
            if record.rec_type == "response" and record.http_headers is not None:
                yield _page(record)
