"""The filters of the story lists (front page, source pages, their feeds and exports).

A view is a ``View``: the search query, the sort, and one value list per filter, all
read from the URL (so every view can be bookmarked and subscribed). Each filter is a
``Filter`` in ``FILTERS``: its URL parameter, how it restricts the stories (an SQL
condition on ``s``, a row of ``stories``), and how its facet is counted. Adding a
filter (entities, say) is one more ``Filter`` appended to ``FILTERS``; the page, the
feed, the CSV/JSON export and the chart pick it up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

__all__ = ["Filter", "FILTERS", "View", "ViewError", "LANGS", "parse_view"]

# Language choices: "zh" is both scripts.
LANGS = {"en": ("en",), "zh": ("zh-Hans", "zh-Hant"), "zh-Hans": ("zh-Hans",),
         "zh-Hant": ("zh-Hant",)}
LANG_LABELS = {"en": "English", "zh-Hans": "简体中文", "zh-Hant": "繁體中文"}


class ViewError(ValueError):
    """A bad URL parameter: ``status`` 400 (malformed) or 404 (names nothing)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Filter:
    """One filter of the story lists, over a column of the story index
    (``aggregator.publish.listing.StoryIndex``: each story's tuple of values).

    ``param``: URL parameter (repeatable, or comma-separated). A story passes when one
    of its ``column`` values is in ``wanted(values, ctx)``. The facet beside the
    results counts stories per column value, mapped by ``facet_value`` (None: not
    counted); ``facet=False`` shows none. ``validate(values, ctx)`` raises ViewError
    for a value that names nothing (404 for an unknown name). ``label(value, ctx)`` is
    the text of a chip or facet line. A column other than ``sources`` and
    ``languages`` is loaded by the SQL in ``listing.COLUMNS``."""

    param: str
    title: str
    column: str
    wanted: Callable[[tuple[str, ...], Mapping[str, Any]], frozenset[str]] = \
        lambda vals, ctx: frozenset(vals)
    facet: bool = True
    facet_value: Callable[[str, Mapping[str, Any]], str | None] = lambda v, ctx: v
    validate: Callable[[tuple[str, ...], Mapping[str, Any]], None] | None = None
    label: Callable[[str, Mapping[str, Any]], str] = lambda v, ctx: v


def _known_sources(values: tuple[str, ...], ctx: Mapping[str, Any]) -> None:
    unknown = [v for v in values if v not in ctx["sources"]]
    if unknown:
        raise ViewError(f"no source {unknown[0]!r} (see /sources for the keys)", 404)


def _known_langs(values: tuple[str, ...], ctx: Mapping[str, Any]) -> None:
    bad = [v for v in values if v not in LANGS]
    if bad:
        raise ViewError(f"lang {bad[0]!r}: expected one of {', '.join(LANGS)}")


def _known_families(values: tuple[str, ...], ctx: Mapping[str, Any]) -> None:
    bad = [v for v in values if v not in FAMILY_LABELS]
    if bad:
        raise ViewError(f"no site family {bad[0]!r} (one of {', '.join(FAMILY_LABELS)})", 404)


# Site families: the kind of site a source is (aggregator.publish.sites.families).
FAMILY_LABELS = {"media": "trade media", "republishers": "B2B republishers", "user": "your sources"}

FILTERS: list[Filter] = [
    Filter("source", "Source", "sources", validate=_known_sources,
           label=lambda v, ctx: ctx["sources"].get(v, v)),
    Filter("lang", "Language", "languages",
           wanted=lambda vals, ctx: frozenset(x for v in vals for x in LANGS[v]),
           validate=_known_langs, label=lambda v, ctx: {"zh": "中文", **LANG_LABELS}.get(v, v)),
    Filter("family", "Site family", "sources",
           wanted=lambda vals, ctx: frozenset(k for k, f in ctx["families"].items() if f in vals),
           facet_value=lambda v, ctx: ctx["families"].get(v),
           validate=_known_families, label=lambda v, ctx: FAMILY_LABELS.get(v, v)),
]


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Page sizes offered; 30 rows fill about two screens of the front page at 1400 px.
PAGE_SIZES = (30, 100)
SORTS = ("date", "relevance")


@dataclass(frozen=True)
class View:
    q: str = ""
    since: str | None = None
    until: str | None = None
    days: int | None = None  # "the last N days": since is computed from it on every request
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sort: str = "date"
    size: int = PAGE_SIZES[0]
    after: str | None = None  # keyset cursor: "<sort key>~<story id>"

    def values(self, param: str) -> tuple[str, ...]:
        return dict(self.filters).get(param, ())

    @property
    def searching(self) -> bool:
        return bool(self.q.strip())

    @property
    def active(self) -> bool:
        return self.searching or bool(self.since or self.until or self.filters)

    def params(self, *, drop: tuple[str, ...] = ("after",), **change: Any) -> list[tuple[str, str]]:
        """The view as URL parameters (without the cursor unless given), optionally
        with some changed: ``None`` removes one, a tuple sets a filter's values."""
        items: list[tuple[str, str]] = []
        base: dict[str, Any] = {"q": self.q or None, "since": None if self.days else self.since,
                                "days": self.days, "until": self.until}
        base.update({p: vs for p, vs in self.filters})
        if self.sort != ("relevance" if self.searching else "date"):
            base["sort"] = self.sort
        if self.size != PAGE_SIZES[0]:
            base["size"] = str(self.size)
        base["after"] = self.after
        for k in drop:
            base.pop(k, None)
        base.update(change)
        for k, v in base.items():
            if v is None or v == () or v == [] or v == "":
                continue
            if isinstance(v, (tuple, list)):
                items.extend((k, x) for x in v)
            else:
                items.append((k, str(v)))
        return items

    def query_string(self, **kw: Any) -> str:
        p = self.params(**kw)
        return ("?" + urlencode(p)) if p else ""


def _values(args: Any, name: str) -> tuple[str, ...]:
    raw = args.getlist(name) if hasattr(args, "getlist") else [args[name]] if name in args else []
    out: list[str] = []
    for r in raw:
        for v in r.split(","):
            v = v.strip()
            if v and v not in out:
                out.append(v)
    return tuple(out)


def _date(args: Any, name: str) -> str | None:
    v = (args.get(name) or "").strip()
    if not v:
        return None
    if not _DATE.match(v):
        raise ViewError(f"{name}={v!r}: expected a date like 2026-11-01")
    try:
        return date.fromisoformat(v).isoformat()
    except ValueError:
        raise ViewError(f"{name}={v!r}: no such day") from None


def parse_view(args: Any, ctx: Mapping[str, Any], *, fixed: Mapping[str, tuple[str, ...]] | None = None,
               today: date | None = None) -> View:
    """Read a view from request arguments (Datasette's ``request.args`` or a dict).
    ``fixed`` filters come from the path (a source page). ``days=N`` is a shortcut for
    ``since`` N days before ``today``. Raises ViewError."""
    q = (args.get("q") or "").strip()
    since, until = _date(args, "since"), _date(args, "until")
    days_s = (args.get("days") or "").strip()
    days = None
    if days_s:
        if not days_s.isdigit() or not 0 < int(days_s) <= 36500:
            raise ViewError(f"days={days_s!r}: expected a number of days")
        days = int(days_s)
        today = today or datetime.now(timezone.utc).date()
        since = (today - timedelta(days=days)).isoformat()
    if since and until and since > until:
        raise ViewError(f"since {since} is after until {until}")
    filters = []
    for f in FILTERS:
        vals = _values(args, f.param)
        if fixed and f.param in fixed:
            vals = tuple(dict.fromkeys(fixed[f.param] + vals))
        if vals:
            if f.validate:
                f.validate(vals, ctx)
            filters.append((f.param, vals))
    sort = (args.get("sort") or "").strip() or ("relevance" if q else "date")
    if sort not in SORTS:
        raise ViewError(f"sort={sort!r}: expected date or relevance")
    if sort == "relevance" and not q:
        sort = "date"
    size_s = (args.get("size") or "").strip()
    size = PAGE_SIZES[0]
    if size_s:
        if not size_s.isdigit() or int(size_s) not in PAGE_SIZES:
            raise ViewError(f"size={size_s!r}: one of {', '.join(map(str, PAGE_SIZES))}")
        size = int(size_s)
    after = (args.get("after") or "").strip() or None
    if after and "~" not in after:
        raise ViewError("after: not a page cursor of this list")
    return View(q=q, since=since, until=until, days=days, filters=tuple(filters), sort=sort, size=size, after=after)
