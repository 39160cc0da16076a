"""The story lists: the front page (``/``, ``/stories``) and a source's page
(``/source/<key>``), each as HTML, Atom, CSV and JSON with the same rows."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from aggregator.publish.atom import atom_feed
from aggregator.publish.chart import bar_chart
from aggregator.publish.csvsafe import csv_cell
from aggregator.publish.filters import (
    FAMILY_LABELS,
    FILTERS,
    LANG_LABELS,
    View,
    ViewError,
    parse_view,
)
from aggregator.publish.listing import SUMMARY_CHARS, Listing, index_for, rows_sql, run_view
from aggregator.publish.segment import normalize, parse_query
from aggregator.publish.sites import load_context

__all__ = ["list_stories", "render_list", "error_response", "reader_date"]

CSV_COLUMNS = ("story_id", "title", "first_published", "first_seen", "languages", "sources", "versions",
               "url", "story_url", "summary")
# Alternative queries counted for an empty result (each is one search): enough for a
# dropped word, two spellings and the other language's words of a two-word query.
SUGGESTIONS_TRIED = 8
# Weeks the chart on a list covers when the list has no date range: a year.
CHART_WEEKS = 52


def reader_date(value: str | None, today: date | None = None) -> tuple[str, str]:
    """('24 Nov 2026', '8 days ago') from a stored date; ('', '') when unparseable."""
    if not value:
        return "", ""
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return value, ""
    today = today or datetime.now(timezone.utc).date()
    delta = (today - d).days
    # relative words for the last two months; older dates speak for themselves
    rel = {0: "today", 1: "yesterday"}.get(delta, f"{delta} days ago" if 1 < delta < 60 else "")
    return f"{d.day} {d.strftime('%b %Y')}", rel


def _snippet(text: str, terms: list[str]) -> Markup:
    """The opening of the text, or a window around the first term found, terms marked."""
    flat = " ".join(text.split())
    low = normalize(flat)
    pos = -1
    for t in terms:
        i = low.find(normalize(t))
        if i >= 0 and (pos < 0 or i < pos):
            pos = i
    start = 0 if pos < SUMMARY_CHARS // 2 else pos - SUMMARY_CHARS // 3
    piece = flat[start:start + SUMMARY_CHARS]
    out = Markup("… " if start else "")
    low_piece = normalize(piece)
    i = 0
    marks = [normalize(t) for t in terms if t.strip()]
    while i < len(piece):
        hit = next((m for m in marks if m and low_piece.startswith(m, i)), None)
        if hit:
            out += Markup("<mark>") + escape(piece[i:i + len(hit)]) + Markup("</mark>")
            i += len(hit)
        else:
            j = i + 1
            while j < len(piece) and not any(m and low_piece.startswith(m, j) for m in marks):
                j += 1
            out += escape(piece[i:j])
            i = j
    if start + SUMMARY_CHARS < len(flat):
        out += Markup(" …")
    return out


def _terms(q: str) -> list[str]:
    clauses, _ = parse_query(q)
    return [t for alts in clauses for t in alts]


async def list_stories(db: Any, view: View, ctx: Mapping[str, Any], *, summary: bool = True,
                       by_week_source: bool = False) -> dict[str, Any]:
    """One page of a view: ``rows`` (dicts), ``next`` cursor or None, ``count``,
    ``facets`` {param: [(value, n)]}, ``weekly`` {week: n} and ``weekly_by_source``."""

    def compute(conn: Any) -> Listing:
        return run_view(conn, index_for(conn, db.path, immutable=not db.is_mutable), view, ctx, summary=summary,
                        by_week_source=by_week_source)

    listing: Listing = await db.execute_fn(compute)
    index_ids = [sid for sid, _ in listing.page]
    rows: list[dict[str, Any]] = []
    if index_ids:
        rsql, rparams = rows_sql(index_ids)
        by_id = {r["story_id"]: dict(r) for r in (await db.execute(rsql, rparams)).rows}
        terms = _terms(view.q) if view.searching else []
        for sid, score in listing.page:
            r = by_id.get(sid)
            if r is None:  # removed since the index was read
                continue
            r["languages"] = json.loads(r["languages"] or "[]")
            r["sources"] = json.loads(r["sources"] or "[]")
            r["date"] = r["first_published"] or r["first_seen"]
            r["dated"] = bool(r["first_published"])
            r["score"] = score
            text = r.pop("text_head") or ""
            r["snippet"] = _snippet(text, terms)
            r["summary"] = " ".join(text.split())[:SUMMARY_CHARS]
            rows.append(r)
    return {"rows": rows, "next": listing.next, "count": listing.count, "facets": listing.facets,
            "weekly": listing.weekly, "weekly_by_source": listing.weekly_by_source}


def error_response(e: ViewError, fmt: str) -> Response:
    if fmt == "html":
        return Response.html(f"<!DOCTYPE html><title>lednews: {escape(str(e))}</title>"
                             f"<p>{escape(str(e))}</p><p><a href=\"/\">All stories</a></p>", status=e.status)
    return Response.text(f"lednews: {e}\n", status=e.status)


def _export_row(r: Mapping[str, Any], story_url: str) -> dict[str, Any]:
    return {"story_id": r["story_id"], "title": r["title"], "first_published": r["first_published"],
            "first_seen": r["first_seen"], "languages": " ".join(r["languages"]),
            "sources": " ".join(r["sources"]), "versions": r["versions"], "url": r["url"],
            "story_url": story_url, "summary": r["summary"]}


def _feed_title(view: View, ctx: Mapping[str, Any], base: str) -> str:
    bits = []
    if view.q:
        bits.append(f"“{view.q}”")
    for param, vals in view.filters:
        f = next(f for f in FILTERS if f.param == param)
        bits.append(", ".join(f.label(v, ctx) for v in vals))
    if view.days:
        bits.append(f"last {view.days} days")
    else:
        if view.since:
            bits.append(f"since {view.since}")
    if view.until:
        bits.append(f"until {view.until}")
    return f"{base}: " + " · ".join(bits) if bits else base


async def render_list(datasette: Any, request: Any, *, fmt: str, path: str,
                      fixed: Mapping[str, tuple[str, ...]] | None = None,
                      template: str = "front.html", extra: Mapping[str, Any] | None = None) -> Response:
    """A story list at ``path`` (``/stories`` or ``/source/<key>``) in format ``fmt``."""
    db = datasette.get_database()
    ctx = await load_context(db)
    try:
        if fmt != "html" and "q" in request.args and not request.args.get("q", "").strip():
            raise ViewError("q: empty query (leave q out for every story)")
        view = parse_view(request.args, ctx, fixed=fixed)
        listing = await list_stories(db, view, ctx, summary=fmt in ("html", "json"))
    except ViewError as e:
        if fmt == "html":
            return Response.html(await datasette.render_template(
                "front.html", {"error": str(e), "view": View(), "ctx": ctx, **(extra or {})}, request=request),
                status=e.status)
        return error_response(e, fmt)
    base = f"{request.scheme}://{request.host}"
    fixed_params = tuple((fixed or {}).keys())
    list_path = path
    html_path = "/" if path == "/stories" else path

    def url(suffix: str = "", **change: Any) -> str:
        qs = view.query_string(drop=("after",) + fixed_params, **change)
        return (html_path if not suffix else list_path + suffix) + qs

    story_url = datasette.urls.path("/story/")
    title = _feed_title(view, ctx, (extra or {}).get("feed_title", "lednews: LED industry stories"))
    if fmt == "atom":
        feed_rows = [{"story_id": r["story_id"], "title": r["title"], "url": r["url"],
                      "summary": r["summary"], "published": r["first_published"],
                      "updated": r["first_published"] or r["first_seen"],
                      "author": ", ".join(ctx["sources"].get(s, s) for s in r["sources"])}
                     for r in listing["rows"]]
        body = atom_feed(feed_id=base + url(".atom"), title=title, self_url=base + url(".atom"),
                         rows=feed_rows, entry_url=base + story_url + "{id}")
        return Response(body, content_type="application/atom+xml; charset=utf-8")
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")  # UTF-8 BOM: Excel then reads the file as UTF-8 (Chinese intact)
        w = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
        w.writeheader()
        for r in listing["rows"]:
            w.writerow({k: csv_cell(v) for k, v in _export_row(r, base + story_url + r["story_id"]).items()})
        return Response(out.getvalue(), content_type="text/csv; charset=utf-8",
                        headers={"content-disposition": 'inline; filename="lednews-stories.csv"'})
    if fmt == "json":
        data = {"title": title, "count": listing["count"],
                "view": dict(view.params(drop=fixed_params)),
                "stories": [_export_row(r, base + story_url + r["story_id"]) for r in listing["rows"]],
                "facets": {k: dict(v) for k, v in listing["facets"].items()},
                "next": (base + url(".json", after=listing["next"])) if listing["next"] else None}
        return Response.json(data)
    for r in listing["rows"]:
        r["date_text"], r["date_rel"] = reader_date(r["date"])
    context = {
        "view": view, "ctx": ctx, "listing": listing, "title": title,
        "feed_url": url(".atom"), "csv_url": url(".csv"), "json_url": url(".json"),
        "chart_svg": None, "chart_span": None, "url": url, "fixed": fixed_params,
        "next_url": url(after=listing["next"]) if listing["next"] else None,
        "first_url": url() if view.after else None,
        "filters": FILTERS, "lang_labels": {"zh": "中文", **LANG_LABELS}, "family_labels": FAMILY_LABELS,
        "suggestions": await _suggestions(db, view, ctx, url) if not listing["rows"] else [],
        **(extra or {}),
    }
    if request.args.get("chart") != "0":
        def week_link(start: date, end: date) -> str:
            return url(since=start.isoformat(), until=end.isoformat(), days=None)

        weekly = listing["weekly"]
        if weekly and not (view.since or view.until):
            # the list's chart shows its last year (a 2010 republished copy would
            # squeeze every recent week to a hairline); /trends shows all of it
            newest = date.fromisoformat(max(weekly))
            start = (newest - timedelta(weeks=CHART_WEEKS - 1)).isoformat()
            weekly = {w: n for w, n in weekly.items() if w >= start}
            context["chart_span"] = f"the last {CHART_WEEKS} weeks"
        context["chart_svg"] = Markup(bar_chart(weekly, "Stories per week", week_link))
    return Response.html(await datasette.render_template(template, context, request=request))


async def _suggestions(db: Any, view: View, ctx: Mapping[str, Any], url: Any) -> list[Markup]:
    """What to try when a view finds nothing: fewer filters, other spellings, the
    other language's word (CC-CEDICT), the other script."""
    out: list[Markup] = []

    def link(text: str, href: str) -> Markup:
        return Markup('<a href="{}">{}</a>').format(href, text)

    if view.since or view.until or view.filters:
        bare = View(q=view.q)
        try:
            n = (await list_stories(db, bare, ctx, summary=False))["count"]
        except ViewError:
            n = 0
        if n:
            out.append(Markup("Without the date and other filters: ") + link(
                f"{n} stor{'y' if n == 1 else 'ies'}", "/" + bare.query_string()))
    if not view.searching:
        return out
    clauses, _ = parse_query(view.q)
    terms = [t for alts in clauses for t in alts]
    cands: list[tuple[str, str]] = []  # (query, why)
    words = view.q.split()
    if len(words) > 1:
        for w in words:
            cands.append((" ".join(x for x in words if x != w), f"without {w}"))
    for t in terms:
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9 .\-]*", t):
            for w in t.split():
                alts = [w.replace("-", " ")] if "-" in w else []
                alts += await _close_words(db, w)
                alts += await _in_corpus(db, _zh_for(w))
                for a in alts:
                    if a.lower() != w.lower():
                        cands.append((view.q.replace(w, a), "spelled so" if a.isascii() else "in Chinese"))
        else:
            simp = normalize(t)
            if simp != t.lower():
                out.append(Markup("Traditional and Simplified characters are searched together"
                                  f" ({escape(t)} = {escape(simp)})."))
            for a in await _in_corpus(db, _en_for(t)):
                cands.append((view.q.replace(t, a), "in English"))
    tried: set[str] = set()
    for q, why in cands:
        q = " ".join(q.split())
        if not q or q in tried or q == view.q or len(tried) >= SUGGESTIONS_TRIED:
            continue
        tried.add(q)
        alt = View(q=q, since=view.since, until=view.until, days=view.days, filters=view.filters)
        try:
            n = (await list_stories(db, alt, ctx, summary=False))["count"]
        except ViewError:
            continue
        if n:
            out.append(Markup("Try ") + link(q, "/" + alt.query_string())
                       + Markup(" ({}: {} stor{})").format(why, n, "y" if n == 1 else "ies"))
    return out[:8]


async def _close_words(db: Any, word: str) -> list[str]:
    """Words of recent titles spelled like ``word`` (difflib), for a misspelled query."""
    import difflib

    rows = (await db.execute("select title from articles order by rowid desc limit 5000")).rows
    vocab = {w.lower() for (t,) in rows for w in re.findall(r"[A-Za-z][A-Za-z0-9\-]{2,}", t or "")}
    return difflib.get_close_matches(word.lower(), sorted(vocab), n=3, cutoff=0.75)


def _en_for(word: str) -> list[str]:
    """English glosses of a Chinese word (CC-CEDICT, as dedup reads it: stems, so
    only those the index holds as words survive ``_in_corpus``)."""
    try:
        from aggregator.dedup.gloss import glosses
    except Exception:
        return []
    return sorted(glosses(normalize(word)))[:12]


_ZH_INDEX: dict[str, list[tuple[int, str]]] = {}


def _zh_for(word: str) -> list[str]:
    """Chinese words (two or more characters) with this English word among their
    CC-CEDICT senses, the most specific first (fewest senses); ``_in_corpus`` keeps
    those the articles use."""
    try:
        from aggregator.dedup.gloss import table
        from aggregator.dedup.tokens import stem
    except Exception:
        return []
    if not _ZH_INDEX:
        stems, _ = table()
        for zh, st in stems.items():
            senses = st.split(" ") if st else []
            if len(zh) >= 2:
                for sense in senses:
                    _ZH_INDEX.setdefault(sense, []).append((len(senses), zh))
    if " " in word.strip():
        return []
    return [zh for _, zh in sorted(_ZH_INDEX.get(stem(word.lower()), []))[:30]]


async def _in_corpus(db: Any, terms: list[str], keep: int = 3) -> list[str]:
    """The terms the search index finds, most articles first."""
    from aggregator.publish.segment import fts_query

    found = []
    for t in dict.fromkeys(terms):
        n = (await db.execute("select count(*) from article_search_fts where article_search_fts match ?",
                              [fts_query(t)])).rows[0][0]
        if n:
            found.append((-n, t))
    return [t for _, t in sorted(found)[:keep]]
