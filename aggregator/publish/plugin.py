"""Our Datasette plugin: the ``zh_fts_query()`` SQL function, the story page, links
from query results to story pages, and the Atom renderer for the feed queries.

Registered by ``aggregator.publish.app.make_datasette`` (``lednews serve``).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from aggregator.publish.atom import atom_feed
from aggregator.publish.queries import FEEDS
from aggregator.publish.segment import fts_query

STORY_PATH = "/story/"


@hookimpl
def startup() -> None:
    # Load OpenCC's Traditional -> Simplified tables now rather than inside the first
    # search, where they would count against the SQL time limit.
    fts_query("晶片")


@hookimpl
def prepare_connection(conn: Any) -> None:
    conn.create_function("zh_fts_query", 1, fts_query, deterministic=True)


def _first_db(datasette: Any) -> Any:
    return datasette.get_database()


def _paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split("\n") if p.strip()]


def _column(lang: str | None) -> str:
    return "zh" if (lang or "").startswith("zh") else "en"


async def story_page(datasette: Any, request: Any) -> Response:
    sid = request.url_vars["story_id"]
    db = _first_db(datasette)
    story = (await db.execute("select * from stories where id = ?", [sid])).first()
    if story is None:
        raise NotFound(f"No story {sid}")
    rows = await db.execute(
        "select a.*, coalesce(src.name, a.source) as source_name from articles a"
        " left join sources src on src.key = a.source where a.story_id = ?"
        " order by a.id = ? desc, a.published, a.id", [sid, story["canonical_article_id"]])
    versions = [{**dict(r), "paragraphs": _paragraphs(r["text"]), "column": _column(r["lang"])}
                for r in rows.rows]
    context = {
        "story": dict(story),
        "languages": json.loads(story["languages"] or "[]"),
        "sources": json.loads(story["sources"] or "[]"),
        "zh": [v for v in versions if v["column"] == "zh"],
        "en": [v for v in versions if v["column"] == "en"],
        "database": db.name,
        "versions_url": datasette.urls.query(db.name, "story_versions") + "?"
        + urlencode({"story_id": sid}),
    }
    return Response.html(await datasette.render_template("story.html", context, request=request))


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(STORY_PATH[:-1] + r"/(?P<story_id>[A-Za-z0-9_-]+)$", story_page)]


@hookimpl
def render_cell(value: Any, column: str, datasette: Any) -> Any:
    if column == "story_id" and isinstance(value, str) and value:
        return Markup(f'<a href="{escape(datasette.urls.path(STORY_PATH + value))}">'
                      f"{escape(value)}</a>")
    return None


def _feed_title(query_name: str, request: Any) -> str:
    return FEEDS[query_name].format(q=request.args.get("q", ""),
                                    source=request.args.get("source", ""))


def render_atom(datasette: Any, request: Any, rows: list, columns: list, query_name: str) -> Response:
    base = f"{request.scheme}://{request.host}"
    body = atom_feed(
        feed_id=request.url, title=_feed_title(query_name, request), self_url=request.url,
        rows=[dict(zip(columns, r)) for r in rows],
        entry_url=base + datasette.urls.path(STORY_PATH) + "{id}",
    )
    return Response(body, content_type="application/atom+xml; charset=utf-8")


def can_render_atom(query_name: str | None = None) -> bool:
    return query_name in FEEDS


@hookimpl
def register_output_renderer() -> dict[str, Any]:
    return {"extension": "atom", "render": render_atom, "can_render": can_render_atom}
