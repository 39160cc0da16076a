"""Our Datasette plugin: the ``zh_fts_query()`` SQL function, the story page, links
from query results to story pages, and the Atom renderer for the feed queries.

Registered by ``aggregator.publish.app.make_datasette`` (``lednews serve``).
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import BadRequest, NotFound, Response
from markupsafe import Markup

from aggregator.publish.atom import atom_feed
from aggregator.publish.pages import ROUTES, fold_paragraphs
from aggregator.publish.queries import FEEDS
from aggregator.publish.segment import fts_query
from aggregator.publish.sites import load_context

STORY_PATH = "/story/"
# Characters of each version a story page sends: the first ~6,000 shown, the rest
# folded; beyond this the article page has more (a 2 MB article is not sent whole).
STORY_TEXT_MAX = 20_000


@hookimpl
def startup(datasette: Any) -> None:
    # Load OpenCC's Traditional -> Simplified tables now rather than inside the first
    # search, where they would count against the SQL time limit.
    fts_query("晶片")
    # Read the story index of the lists in the background (seconds at 100k articles).
    from aggregator.publish.listing import warm

    for db in datasette.databases.values():
        if db.path:
            warm(db.path, immutable=not db.is_mutable)


@hookimpl
def prepare_connection(conn: Any) -> None:
    conn.create_function("zh_fts_query", 1, fts_query, deterministic=True)


def _first_db(datasette: Any) -> Any:
    return datasette.get_database()


def _column(lang: str | None) -> str:
    return "zh" if (lang or "").startswith("zh") else "en"


async def story_page(datasette: Any, request: Any) -> Response:
    sid = request.url_vars["story_id"]
    db = _first_db(datasette)
    story = (await db.execute("select * from stories where id = ?", [sid])).first()
    if story is None:
        raise NotFound(f"No story {sid}")
    rows = await db.execute(
        "select a.id, a.url, a.source, a.lang, a.title, a.published, substr(a.text, 1, ?) as text,"
        " length(a.text) as chars, coalesce(src.name, a.source) as source_name from articles a"
        " left join sources src on src.key = a.source where a.story_id = ?"
        " order by a.id = ? desc, a.published, a.id", [STORY_TEXT_MAX, sid, story["canonical_article_id"]])
    versions = []
    for r in rows.rows:
        text = fold_paragraphs(r["text"], limit=STORY_TEXT_MAX)
        text["cut"] = max(0, (r["chars"] or 0) - STORY_TEXT_MAX)
        versions.append({**dict(r), "text": text, "column": _column(r["lang"])})
    ctx = await load_context(db)
    day = (story["first_published"] or "")[:10]
    week_url = None
    try:
        d = date.fromisoformat(day)
        week_url = datasette.urls.path("/") + "?" + urlencode(
            {"since": (d - timedelta(days=3)).isoformat(), "until": (d + timedelta(days=3)).isoformat()})
    except ValueError:
        pass
    # related stories: any of the title's first three longer words, best match first
    title_words = list(dict.fromkeys(re.findall(r"[A-Za-z][A-Za-z0-9\-]{3,}", story["title"] or "")))
    words = " OR ".join(title_words[:3])
    context = {
        "story": dict(story),
        "languages": json.loads(story["languages"] or "[]"),
        "sources": json.loads(story["sources"] or "[]"),
        "zh": [v for v in versions if v["column"] == "zh"],
        "en": [v for v in versions if v["column"] == "en"],
        "database": db.name,
        "source_names": ctx["sources"],
        "week_url": week_url,
        "search_url": (datasette.urls.path("/") + "?" + urlencode({"q": words, "sort": "relevance"}))
        if words else None,
        "versions_url": datasette.urls.query(db.name, "story_versions") + "?"
        + urlencode({"story_id": sid}),
    }
    return Response.html(await datasette.render_template("story.html", context, request=request))


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(STORY_PATH[:-1] + r"/(?P<story_id>[A-Za-z0-9_-]+)$", story_page), *ROUTES]


def _link(datasette: Any, path: str, text: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(datasette.urls.path(path), text)


# table -> (column whose cell links to the row's page, page path, key column)
_TITLE_LINKS = {"stories": ("title", STORY_PATH, "id"), "articles": ("title", "/article/", "id"),
                "sources": ("name", "/source/", "key")}


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, datasette: Any) -> Any:
    """Cells that name a story, an article or a source link to its page; so do the
    titles in the stories and articles tables and the names in the sources table."""
    if not isinstance(value, str) or not value:
        return None
    link = _TITLE_LINKS.get(table or "")
    if link and column == link[0]:
        try:
            key = row[link[2]]
        except (KeyError, IndexError):
            key = None
        if key:
            return _link(datasette, link[1] + str(key), value)
    if column == "story_id" or (table == "stories" and column == "id"):
        return _link(datasette, STORY_PATH + value, value)
    if (table == "articles" and column == "id") or column == "article_id":
        return _link(datasette, "/article/" + value, value)
    if (table == "sources" and column == "key") or (column == "source" and re.fullmatch(r"[a-z0-9_\-]+", value)):
        return _link(datasette, "/source/" + value, value)
    return None


def _feed_title(query_name: str, request: Any) -> str:
    return FEEDS[query_name].format(q=request.args.get("q", ""),
                                    source=request.args.get("source", ""))


async def render_atom(datasette: Any, request: Any, rows: list, columns: list, query_name: str) -> Response:
    # A feed that can never have an entry is an error, not an empty feed: a reader
    # subscribed to a typo would wait forever.
    if query_name == "search" and not request.args.get("q", "").strip():
        raise BadRequest("empty query: give q (e.g. ?q=Micro+LED)")
    if query_name == "source_articles":
        key = request.args.get("source", "")
        if (await _first_db(datasette).execute("select 1 from sources where key = ?", [key])).first() is None:
            raise NotFound(f"no source {key!r} (see /sources for the keys)")
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
