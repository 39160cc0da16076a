"""Company and topic pages, their Atom feeds and search expansion, as a Datasette
plugin of their own (registered by ``aggregator.publish.app`` beside ``plugin``):

- ``/company/<id>`` and ``/topic/<id>``: names and facts, stories over time (per month),
  the stories newest first, co-mentioned companies, sources; ``/entities`` lists all;
- ``/company/<id>.atom`` and ``/topic/<id>.atom``: the entity's stories as Atom;
- ``lednews_entities(q)``: the ids of the companies a search query names (any name in
  any script: ``三安``, ``三安光電``, ``Sanan``, ``三安 Sanan``), which the ``search`` canned
  query adds to its text hits, so a company's stories are found by any of its names.
  Topics are not expanded: a search for ``智能照明`` finds the text, as it always did;
  a topic's stories are on its page.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response

from aggregator.entities.fold import fold
from aggregator.publish.atom import atom_feed
from aggregator.publish.entity_queries import (
    ENTITY_COMENTIONS,
    ENTITY_SOURCES,
    ENTITY_STORIES,
    ENTITY_TIMELINE,
)

__all__ = ["entity_matcher", "register_routes", "prepare_connection"]

STORY_PATH = "/story/"


def entity_matcher(conn: sqlite3.Connection) -> Any:
    """``q -> JSON list of company ids`` over the ``entities`` table of ``conn``: the
    whole query names the company, or every space-separated part names it. Names are
    read once per gazetteer version."""
    cache: dict[str, Any] = {"version": None, "names": {}}

    def load() -> dict[str, set[str]]:
        try:
            rows = sqlite3.Connection.execute(
                conn, "select id, name_en, names, gazetteer from entities where kind = 'company'").fetchall()
        except sqlite3.Error:
            return {}
        version = rows[0][3] if rows else ""
        if cache["version"] != version:
            names: dict[str, set[str]] = {}
            for eid, en, names_json, _ in rows:
                for n in [eid, en, *json.loads(names_json or "[]")]:
                    if n:
                        names.setdefault(fold(n.strip()), set()).add(eid)
            cache.update(version=version, names=names)
        return cache["names"]

    def match(q: str | None) -> str:
        q = (q or "").strip()
        if not q:
            return "[]"
        names = load()
        found = names.get(fold(q))
        if not found:
            parts = q.split()
            sets = [names.get(fold(p)) for p in parts]
            if len(parts) > 1 and all(sets):
                found = set.intersection(*[s for s in sets if s])
        return json.dumps(sorted(found or ()))

    return match


@hookimpl
def prepare_connection(conn: Any) -> None:
    conn.create_function("lednews_entities", 1, entity_matcher(conn))


async def _entity(db: Any, kind: str, eid: str) -> dict[str, Any]:
    row = (await db.execute("select * from entities where id = ? and kind = ?", [eid, kind])).first()
    if row is None:
        raise NotFound(f"No {kind} {eid}")
    return dict(row)


async def entity_page(datasette: Any, request: Any) -> Response:
    kind, eid = request.url_vars["kind"], request.url_vars["entity_id"]
    db = datasette.get_database()
    entity = await _entity(db, kind, eid)
    args = {"entity": eid}
    stories = [dict(r) for r in (await db.execute(ENTITY_STORIES, args)).rows]
    for s in stories:
        s["languages"] = json.loads(s["languages"] or "[]")
    timeline = [dict(r) for r in (await db.execute(ENTITY_TIMELINE, args)).rows]
    top = max((t["stories"] for t in timeline), default=1)
    children = [dict(r) for r in (await db.execute(
        "select id, name_en, name_zh_hans from entities where parent = ? order by id", [eid])).rows]
    parent = None
    if entity.get("parent"):
        parent = (await db.execute("select id, name_en, name_zh_hans from entities where id = ?",
                                   [entity["parent"]])).first()
    total = (await db.execute("select count(*) from story_entities where entity_id = ?", [eid])).first()[0]
    context = {
        "entity": entity, "kind": kind, "stories": stories, "total": total,
        "timeline": timeline, "top": top,
        "comentions": [dict(r) for r in (await db.execute(ENTITY_COMENTIONS, args)).rows],
        "sources": [dict(r) for r in (await db.execute(ENTITY_SOURCES, args)).rows],
        "names": json.loads(entity.get("names") or "[]"),
        "evidence": json.loads(entity.get("evidence") or "[]"),
        "children": children, "parent": dict(parent) if parent else None,
        "story_path": datasette.urls.path(STORY_PATH),
        "feed_url": datasette.urls.path(f"/{kind}/{eid}.atom"),
        "database": db.name,
    }
    return Response.html(await datasette.render_template("entity.html", context, request=request))


async def entity_feed(datasette: Any, request: Any) -> Response:
    kind, eid = request.url_vars["kind"], request.url_vars["entity_id"]
    db = datasette.get_database()
    entity = await _entity(db, kind, eid)
    rows = [dict(r) for r in (await db.execute(ENTITY_STORIES, {"entity": eid})).rows]
    base = f"{request.scheme}://{request.host}"
    name = entity["name_en"] + (f" / {entity['name_zh_hans']}" if entity.get("name_zh_hans")
                                and entity["name_zh_hans"] != entity["name_en"] else "")
    body = atom_feed(feed_id=request.url, title=f"lednews: {name}", self_url=request.url, rows=rows,
                     entry_url=base + datasette.urls.path(STORY_PATH) + "{id}")
    return Response(body, content_type="application/atom+xml; charset=utf-8")


async def entities_index(datasette: Any, request: Any) -> Response:
    db = datasette.get_database()
    rows = [dict(r) for r in (await db.execute(
        "select e.id, e.kind, e.name_en, e.name_zh_hans, e.segment, e.country,"
        " (select count(*) from story_entities se where se.entity_id = e.id) as stories"
        " from entities e order by e.kind, stories desc, e.id")).rows]
    context = {"companies": [r for r in rows if r["kind"] == "company"],
               "topics": [r for r in rows if r["kind"] == "topic"], "database": db.name}
    return Response.html(await datasette.render_template("entities.html", context, request=request))


_ID = r"(?P<entity_id>[a-z0-9][a-z0-9-]*)"
_KIND = r"(?P<kind>company|topic)"


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(rf"^/{_KIND}/{_ID}\.atom$", entity_feed),
            (rf"^/{_KIND}/{_ID}$", entity_page),
            (r"^/entities$", entities_index)]
