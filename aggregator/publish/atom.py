"""Atom 1.0 (RFC 4287) documents from query rows; a pure function, no Datasette here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any
from xml.etree import ElementTree as ET

__all__ = ["atom_feed", "rfc3339"]

NS = "http://www.w3.org/2005/Atom"
# XML 1.0 forbids most C0 control characters; crawled text occasionally has them.
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FRAC = re.compile(r"(\.\d+)")


def rfc3339(value: str | None) -> str | None:
    """An RFC 3339 timestamp from our stored forms ('2026-11-20', '2026-11-20T08:00+08:00',
    '...T08:00:00Z') in UTC; no offset means UTC. None when unparseable."""
    if not value:
        return None
    v = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(_FRAC.sub("", v))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    # in UTC, so that the strings compare in time order (feed <updated> is their max)
    return dt.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _clean(s: Any) -> str:
    return _BAD_XML.sub("", "" if s is None else str(s))


def _el(parent: ET.Element, tag: str, text: Any = None, **attrs: str) -> ET.Element:
    e = ET.SubElement(parent, f"{{{NS}}}{tag}", {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        e.text = _clean(text)
    return e


def atom_feed(*, feed_id: str, title: str, self_url: str, rows: Iterable[Mapping[str, Any]],
              entry_url: str = "", generated: datetime | None = None) -> bytes:
    """Serialise rows to Atom. Each row needs ``story_id`` or ``article_id`` and
    ``title``; ``url`` (the article), ``summary``, ``published``, ``updated`` and
    ``author`` are used when present. ``entry_url`` (with ``{id}``) gives each entry a
    related link to its page on this server."""
    ET.register_namespace("", NS)
    feed = ET.Element(f"{{{NS}}}feed")
    _el(feed, "id", feed_id)
    _el(feed, "title", title)
    _el(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    author = _el(feed, "author")
    _el(author, "name", "lednews")
    now = (generated or datetime.now(timezone.utc)).isoformat(timespec="seconds").replace("+00:00", "Z")
    entries = []
    for row in rows:
        rid = row.get("story_id") or row.get("article_id")
        kind = "story" if row.get("story_id") and not row.get("article_id") else "article"
        updated = rfc3339(row.get("updated")) or rfc3339(row.get("published")) or now
        entries.append((updated, rid, kind, row))
    _el(feed, "updated", max((e[0] for e in entries), default=now))
    _el(feed, "generator", "lednews")
    for updated, rid, kind, row in entries:
        entry = _el(feed, "entry")
        _el(entry, "id", f"urn:lednews:{kind}:{rid}")
        _el(entry, "title", row.get("title") or "(untitled)")
        _el(entry, "updated", updated)
        published = rfc3339(row.get("published"))
        if published:
            _el(entry, "published", published)
        if row.get("url"):
            _el(entry, "link", rel="alternate", href=row["url"], type="text/html")
        if entry_url and row.get("story_id"):
            _el(entry, "link", rel="related", href=entry_url.format(id=row["story_id"]),
                type="text/html")
        if row.get("author"):
            _el(_el(entry, "author"), "name", row["author"])
        if row.get("summary"):
            _el(entry, "summary", row["summary"], type="text")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")
