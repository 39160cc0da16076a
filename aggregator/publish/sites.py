"""What the pages need to know about the sources: key -> display name, and each
source's site family (the ``family`` filter)."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["load_context", "families"]

# Republishing sources found in a database, cached per database name: finding them
# reads every article's ``republished`` column (~30 ms at 100k articles), and a
# source's kind does not change while a server runs.
_REPUBLISHERS: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}


def _bundled_republishers() -> frozenset[str]:
    """Bundled profiles that declare themselves republishers (B2B copies)."""
    try:
        from spiders import site_profiles
    except Exception:  # a server without the spiders package still serves
        return frozenset()
    return frozenset(p.key for p in site_profiles() if p.republished)


def families(sources: list[dict[str, Any]], republishers: frozenset[str]) -> dict[str, str]:
    """key -> family: ``user`` (a user's TOML source), ``republishers`` (sites that
    republish others' stories: their profile says so or their articles carry a
    republish date), or ``media`` (trade media and manufacturers)."""
    out = {}
    for s in sources:
        if s.get("user_defined"):
            out[s["key"]] = "user"
        elif s["key"] in republishers:
            out[s["key"]] = "republishers"
        else:
            out[s["key"]] = "media"
    return out


async def load_context(db: Any) -> dict[str, Any]:
    """``sources`` (key -> name), ``source_rows``, ``families`` and ``entities`` (kind ->
    id -> name) for one database."""
    rows = [dict(r) for r in (await db.execute(
        "select key, name, homepage, languages, user_defined from sources order by lower(name)")).rows]
    keys = tuple(r["key"] for r in rows)
    cache_key = (db.name, keys)
    if cache_key not in _REPUBLISHERS:
        found = {r[0] for r in (await db.execute(
            "select distinct source from articles where republished is not null and republished != ''")).rows}
        _REPUBLISHERS[cache_key] = frozenset(found) | _bundled_republishers()
    for r in rows:
        try:
            r["languages"] = json.loads(r["languages"] or "[]")
        except ValueError:
            r["languages"] = []
    return {"sources": {r["key"]: r["name"] or r["key"] for r in rows}, "source_rows": rows,
            "families": families(rows, _REPUBLISHERS[cache_key]), "entities": await _entities(db)}


async def _entities(db: Any) -> dict[str, dict[str, str]]:
    """kind -> id -> display name of the companies and topics (the ``company`` and
    ``topic`` filters); empty for a database never tagged (no ``entities`` table)."""
    out: dict[str, dict[str, str]] = {"company": {}, "topic": {}}
    try:
        rows = (await db.execute("select id, kind, name_en, name_zh_hans from entities")).rows
    except Exception:  # no such table: the filters then name nothing
        return out
    for eid, kind, en, zh in rows:
        out.setdefault(kind, {})[eid] = en or zh or eid
    return out
