"""The reading room's routes: front page and story lists, source pages, the sources
list, article pages and trends (registered by ``aggregator.publish.plugin``)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from aggregator.publish.chart import bar_chart, source_rows_chart
from aggregator.publish.filters import ViewError, parse_view
from aggregator.publish.sites import load_context
from aggregator.publish.stories import error_response, list_stories, reader_date, render_list

__all__ = ["ROUTES", "fold_paragraphs"]

# A text is shown whole up to this many characters (a long feature article is ~15,000
# in the demo corpus); beyond, the rest is folded, and past FOLD_MAX the page stops
# and links to the original (a 2 MB article is not sent to the browser).
FOLD_AT = 6000
FOLD_MAX = 100_000


def fold_paragraphs(text: str | None, fold_at: int = FOLD_AT, limit: int = FOLD_MAX) -> dict[str, Any]:
    """{"shown": [...], "folded": [...], "cut": characters left out beyond ``limit``}."""
    text = text or ""
    cut = max(0, len(text) - limit)
    paras = [p.strip() for p in text[:limit].split("\n") if p.strip()]
    shown: list[str] = []
    folded: list[str] = []
    n = 0
    for p in paras:
        (shown if n < fold_at or not shown else folded).append(p)
        n += len(p)
    return {"shown": shown, "folded": folded, "folded_chars": sum(len(p) for p in folded), "cut": cut}


def _fmt(request: Any) -> str:
    return request.url_vars.get("fmt") or "html"


async def front(datasette: Any, request: Any) -> Response:
    return await render_list(datasette, request, fmt=_fmt(request), path="/stories")


async def source_page(datasette: Any, request: Any) -> Response:
    key = request.url_vars["key"]
    fmt = _fmt(request)
    db = datasette.get_database()
    src = (await db.execute("select * from sources where key = ?", [key])).first()
    if src is None:
        e = ViewError(f"no source {key!r} (see /sources for the keys)", 404)
        if fmt == "html":
            raise NotFound(str(e))
        return error_response(e, fmt)
    stats = (await db.execute(
        "select count(*) as articles, max(published) as latest, min(published) as earliest"
        " from articles where source = ?", [key])).first()
    langs = json.loads(src["languages"] or "[]")
    heading = Markup('<h1 style="font-size:1.4em;margin:.4em 0">{}</h1><p class="meta">{}{} articles'
                     ' · {} · published {} – {} · <a href="{}">articles as a table</a></p>').format(
        src["name"] or key,
        Markup('<a href="{}" rel="noopener">{}</a> · ').format(src["homepage"], src["homepage"])
        if src["homepage"] else "",
        f"{stats['articles']:,}", ", ".join(langs) or "languages unknown",
        reader_date(stats["earliest"])[0] or "?", reader_date(stats["latest"])[0] or "?",
        datasette.urls.table("news", "articles") + "?" + urlencode({"source": key}))
    return await render_list(
        datasette, request, fmt=fmt, path=f"/source/{key}", fixed={"source": (key,)},
        extra={"heading": heading, "form_action": datasette.urls.path(f"/source/{key}"),
               "page_title": f"{src['name'] or key} · lednews",
               "feed_title": f"lednews: {src['name'] or key}"})


async def sources_page(datasette: Any, request: Any) -> Response:
    db = datasette.get_database()
    ctx = await load_context(db)
    counts = {r[0]: (r[1], r[2]) for r in (await db.execute(
        "select source, count(*), max(published) from articles group by source")).rows}
    rows = []
    for s in ctx["source_rows"]:
        n, latest = counts.get(s["key"], (0, None))
        rows.append({**s, "articles": n, "latest": reader_date(latest)[0], "family": ctx["families"][s["key"]]})
    from aggregator.publish.filters import FAMILY_LABELS

    return Response.html(await datasette.render_template(
        "sources.html", {"rows": rows, "family_labels": FAMILY_LABELS, "title": "Sources · lednews"},
        request=request))


async def article_page(datasette: Any, request: Any) -> Response:
    aid = request.url_vars["article_id"]
    db = datasette.get_database()
    art = (await db.execute(
        "select a.id, a.url, a.source, a.lang, a.title, substr(a.text, 1, ?) as text, length(a.text) as chars,"
        " a.published, a.author, a.first_seen, a.fetched_at, a.story_id, a.version, a.extraction_method,"
        " a.date_method, a.warnings, a.republished, coalesce(src.name, a.source) as source_name"
        " from articles a left join sources src on src.key = a.source where a.id = ?",
        [FOLD_MAX, aid])).first()
    if art is None:
        raise NotFound(f"No article {aid}")
    a = dict(art)
    folded = fold_paragraphs(a.pop("text"), limit=FOLD_MAX)
    folded["cut"] = max(0, (a["chars"] or 0) - FOLD_MAX)
    versions = [dict(r) for r in (await db.execute(
        "select version, title, published, fetched_at, superseded_at, length(text) as chars"
        " from article_versions where article_id = ? order by version desc", [aid])).rows]
    story = None
    if a["story_id"]:
        story = (await db.execute("select id, title, versions from stories where id = ?", [a["story_id"]])).first()
    return Response.html(await datasette.render_template("article.html", {
        "a": a, "text": folded, "versions": versions, "story": dict(story) if story else None,
        "published_text": reader_date(a["published"])[0], "title": f"{a['title'] or '(untitled)'} · lednews",
        "row_url": datasette.urls.row("news", "articles", aid),
        "warnings": json.loads(a["warnings"] or "[]") if (a["warnings"] or "").startswith("[") else [],
    }, request=request))


async def trends(datasette: Any, request: Any) -> Response:
    db = datasette.get_database()
    ctx = await load_context(db)
    try:
        view = parse_view(request.args, ctx)
        listing = await list_stories(db, view, ctx, by_week_source=True)
    except ViewError as e:
        return error_response(e, "html")

    def week_link(start: Any, end: Any) -> str:
        return "/" + view.query_string(since=start.isoformat(), until=end.isoformat(), days=None)

    rows = [(w, s, n) for s, weeks in listing["weekly_by_source"].items() for w, n in weeks.items()]
    return Response.html(await datasette.render_template("trends.html", {
        "view": view, "ctx": ctx, "count": listing["count"],
        "chart_svg": Markup(bar_chart(listing["weekly"], "Stories per week", week_link)),
        "sources_svg": Markup(source_rows_chart(rows, ctx["sources"])),
        "list_url": "/" + view.query_string(), "svg_url": "/trends.svg" + view.query_string(),
        "title": "Trends · lednews",
    }, request=request))


async def trends_svg(datasette: Any, request: Any) -> Response:
    db = datasette.get_database()
    ctx = await load_context(db)
    try:
        view = parse_view(request.args, ctx)
        listing = await list_stories(db, view, ctx, by_week_source=request.args.get("by") == "source")
    except ViewError as e:
        return error_response(e, "svg")
    if request.args.get("by") == "source":
        rows = [(w, s, n) for s, weeks in listing["weekly_by_source"].items() for w, n in weeks.items()]
        svg = source_rows_chart(rows, ctx["sources"])
    else:
        svg = bar_chart(listing["weekly"], "Stories per week")
    return Response(svg, content_type="image/svg+xml; charset=utf-8")


ROUTES: list[tuple[str, Any]] = [
    (r"^/$", front),
    (r"^/stories(\.(?P<fmt>atom|csv|json))?$", front),
    (r"^/source/(?P<key>[A-Za-z0-9_\-]+?)(\.(?P<fmt>atom|csv|json))?$", source_page),
    (r"^/sources$", sources_page),
    (r"^/article/(?P<article_id>[A-Za-z0-9_\-]+)$", article_page),
    (r"^/trends$", trends),
    (r"^/trends\.svg$", trends_svg),
]
