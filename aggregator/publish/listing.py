"""The story lists' data: which stories a ``View`` matches, one page of them (keyset
pagination), facet counts and stories per week.

SQL alone was too slow for this at 100k articles (bench/publish.py, issue 21): a facet
counted with ``json_each`` took 240-280 ms, stories per week 115-220 ms, and mapping the
40-60k articles a common search word matches to their stories 180-360 ms (each article
row is read past its text to reach ``story_id``). So each database gets a
``StoryIndex``: every story's date, sources and languages, in date order, and the map
from search-index row to story, read once (0.3-0.6 s at 100k articles) and read again
when the file changes. A view is then a pass over Python lists; SQLite answers the
search (FTS5) and the rows of the page.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from array import array
from bisect import bisect_left
from collections import Counter, OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import chain
from typing import Any

from aggregator.publish.filters import FILTERS, View, ViewError
from aggregator.publish.segment import fts_query, parse_query

__all__ = ["StoryIndex", "Listing", "COLUMNS", "build_index", "index_for", "warm", "run_view", "rows_sql",
           "SUMMARY_CHARS", "SNIPPET_SCAN"]

# Summary of a story in a list: the first 280 characters of its canonical text (the
# feeds' summary length, aggregator.publish.queries.SUMMARY_CHARS).
SUMMARY_CHARS = 280
# Characters of text read per row to cut a snippet around the first hit: a hit further
# in shows the opening instead (a 2 MB article is not read whole for 30 snippets).
SNIPPET_SCAN = 4000
# Extra per-story columns for filters beyond sources and languages: name -> SQL giving
# (story_id, value) rows. Another filter (entities) adds its column here.
COLUMNS: dict[str, str] = {}
# Summaries (facets, weeks) kept per index: a list's next pages and its feed reuse its
# summary. 256 views of ~60 weeks and ~40 facet values are well under 10 MB.
SUMMARIES_KEPT = 256

_STORIES = """select s.id,
  coalesce(s.first_published, (select a.first_seen from articles a where a.id = s.canonical_article_id), '') as d,
  s.sources, s.languages from stories s order by d desc, s.id desc"""
# FTS row -> article, article -> rowid, rowid -> story: three covering-index scans
# (~90 ms each at 100k) instead of one join reading every article row past its text.
_SEARCH_ROWS = "select id, article_id from article_search"
_ARTICLE_ROWIDS = "select id, rowid from articles"
_ROWID_STORY = "select rowid, story_id from articles where story_id is not null"


def _tuple(js: str | None, memo: dict[str | None, tuple[str, ...]]) -> tuple[str, ...]:
    """A JSON list as a tuple, parsed once per distinct string (a few hundred distinct
    source and language lists among 79k stories: parsing each row took 3 of the 4.5 s
    of an index build)."""
    hit = memo.get(js)
    if hit is not None:
        return hit
    try:
        v = json.loads(js or "[]")
    except ValueError:
        v = []
    out = tuple(str(x) for x in v) if isinstance(v, list) else ()
    memo[js] = out
    return out


def _week(day: str) -> str | None:
    try:
        d = date.fromisoformat(day)
    except ValueError:
        return None
    return (d - timedelta(days=d.weekday())).isoformat()


@dataclass
class StoryIndex:
    """Every story, newest first (date, then id, both descending)."""

    ids: list[str]
    dates: list[str]  # first published, else first seen of the canonical version
    columns: dict[str, list[tuple[str, ...]]]
    fts_story: array  # article_search.id -> position in ``ids`` (-1: none)
    pos: dict[str, int] = field(default_factory=dict)
    weeks: list[str | None] = field(default_factory=list)
    built_in: float = 0.0
    summaries: OrderedDict[Any, Any] = field(default_factory=OrderedDict)

    def remember(self, key: Any, value: Any) -> None:
        """Keep a view's summary; the oldest of SUMMARIES_KEPT goes."""
        self.summaries[key] = value
        while len(self.summaries) > SUMMARIES_KEPT:
            self.summaries.popitem(last=False)

    def __post_init__(self) -> None:
        self.pos = {sid: i for i, sid in enumerate(self.ids)}
        week_of: dict[str, str | None] = {}
        self.weeks = []
        for d in self.dates:
            day = d[:10]
            if day not in week_of:
                week_of[day] = _week(day)
            self.weeks.append(week_of[day])


def build_index(conn: sqlite3.Connection) -> StoryIndex:
    t0 = time.perf_counter()
    rows = conn.execute(_STORIES).fetchall()  # newest first, sorted by SQLite
    ids = [r[0] for r in rows]
    memo: dict[str | None, tuple[str, ...]] = {}
    columns: dict[str, list[tuple[str, ...]]] = {
        "sources": [_tuple(r[2], memo) for r in rows], "languages": [_tuple(r[3], memo) for r in rows]}
    pos = {sid: i for i, sid in enumerate(ids)}
    for name, sql in COLUMNS.items():
        vals: dict[str, list[str]] = {}
        for sid, v in conn.execute(sql):
            vals.setdefault(sid, []).append(str(v))
        columns[name] = [tuple(vals.get(sid, ())) for sid in ids]
    story_of_rowid = {rid: pos.get(sid, -1) for rid, sid in conn.execute(_ROWID_STORY)}
    rowid_of = dict(conn.execute(_ARTICLE_ROWIDS))
    search_rows = conn.execute(_SEARCH_ROWS).fetchall()
    fts_story = array("l", [-1]) * ((max((r[0] for r in search_rows), default=0)) + 1)
    for fid, aid in search_rows:
        fts_story[fid] = story_of_rowid.get(rowid_of.get(aid, -1), -1)
    index = StoryIndex(ids=ids, dates=[r[1] or "" for r in rows], columns=columns, fts_story=fts_story)
    index.built_in = time.perf_counter() - t0
    return index


_CACHE: dict[str, tuple[tuple[Any, ...], float, StoryIndex]] = {}
_LOCK = threading.Lock()  # guards _CACHE and _BUILDING
_FIRST = threading.Lock()  # one first build at a time
_BUILDING: set[str] = set()


def _signature(path: str | None) -> tuple[Any, ...]:
    if not path:
        return (time.monotonic(),)  # not a file: never reused
    sig: list[Any] = []
    for p in (path, path + "-wal"):
        try:
            st = os.stat(p)
            sig.extend((st.st_mtime_ns, st.st_size))
        except OSError:
            sig.append(None)
    return tuple(sig)


def _open(path: str, immutable: bool) -> sqlite3.Connection:
    from pathlib import Path

    uri = Path(path).resolve().as_uri() + ("?immutable=1" if immutable else "?mode=ro")
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


def _rebuild(path: str, sig: tuple[Any, ...], immutable: bool) -> None:
    try:
        conn = _open(path, immutable)
        try:
            index = build_index(conn)
        finally:
            conn.close()
        with _LOCK:
            _CACHE[path] = (sig, time.monotonic(), index)
    except sqlite3.Error:
        pass  # the next request tries again; meanwhile the old index serves
    finally:
        with _LOCK:
            _BUILDING.discard(path)


def warm(path: str, immutable: bool = False) -> None:
    """Build the index of ``path`` in the background (``lednews serve`` at start-up),
    so the first visitor does not wait for it."""
    with _LOCK:
        if path in _CACHE or path in _BUILDING:
            return
        _BUILDING.add(path)
    threading.Thread(target=_rebuild, args=(path, _signature(path), immutable), daemon=True,
                     name="lednews-story-index").start()


def index_for(conn: sqlite3.Connection, path: str | None, immutable: bool = False) -> StoryIndex:
    """The index of the database at ``path``. The first one is built on the spot (or
    awaited, when ``warm`` is building it); when the file has changed since, the old
    index keeps answering while a thread reads the new one (a crawl writing to the file
    while it is served: the lists lag the file by one build, ~0.5-4 s at 100k
    articles), at most once every 5x its build time (at most a sixth of a core)."""
    key = path or ""
    sig = _signature(path)
    with _LOCK:
        hit = _CACHE.get(key)
        building = key in _BUILDING
    if hit is None and building:  # warm() is on it: wait for it rather than build twice
        deadline = time.monotonic() + 60
        while building and time.monotonic() < deadline:
            time.sleep(0.02)
            with _LOCK:
                hit, building = _CACHE.get(key), key in _BUILDING
    if hit is None or not path:
        with _FIRST:
            with _LOCK:
                hit = _CACHE.get(key)
            if hit is None or not path:
                index = build_index(conn)
                with _LOCK:
                    _CACHE[key] = (sig, time.monotonic(), index)
                return index
    if hit[0] != sig and time.monotonic() - hit[1] >= 5 * hit[2].built_in:
        with _LOCK:
            start = key not in _BUILDING
            _BUILDING.add(key)
        if start:
            threading.Thread(target=_rebuild, args=(key, sig, immutable), daemon=True,
                             name="lednews-story-index").start()
    return hit[2]


@dataclass
class Listing:
    """A view's result: the page (positions in the index, with scores), the cursor
    of the next page, and what the whole view holds."""

    page: list[tuple[str, float]]  # (story id, score)
    next: str | None
    count: int
    facets: dict[str, list[tuple[str, int]]]
    weekly: dict[str, int]
    weekly_by_source: dict[str, dict[str, int]]


def _hits(conn: sqlite3.Connection, index: StoryIndex, q: str, ranked: bool) -> dict[int, float]:
    """Story position -> best (lowest) BM25 of its matching articles; 0.0 when not
    ranked (BM25 of every match costs ~100 ms for 57k matches, the match alone 30 ms).
    The matches come back as one ``group_concat`` string: 50k one-column rows cost
    more to hand to Python than the match itself."""
    clauses, _ = parse_query(q)
    if not clauses:
        raise ViewError(f"the query {q!r} has nothing to look for (only -exclusions): add a word")
    expr = fts_query(q)
    fts = index.fts_story
    n = len(fts)
    if not ranked:
        (joined,) = conn.execute("select group_concat(rowid) from article_search_fts"
                                 " where article_search_fts match ?", [expr]).fetchone()
        found = {fts[r] for r in map(int, joined.split(",")) if r < n} if joined else set()
        found.discard(-1)
        return dict.fromkeys(found, 0.0)
    (rids, scores) = conn.execute(
        "with m as materialized (select rowid, bm25(article_search_fts, 5.0, 1.0) as score"
        " from article_search_fts where article_search_fts match ?)"
        " select group_concat(rowid), group_concat(score) from m", [expr]).fetchone()
    best: dict[int, float] = {}
    if not rids:
        return best
    for rid, score in zip(map(int, rids.split(",")), map(float, scores.split(","))):
        i = fts[rid] if rid < n else -1
        if i >= 0 and (i not in best or score < best[i]):
            best[i] = score
    return best


def _wanted(view: View, ctx: Mapping[str, Any]) -> list[tuple[str, frozenset[str]]]:
    out = []
    for f in FILTERS:
        vals = view.values(f.param)
        if vals:
            out.append((f.column, f.wanted(vals, ctx)))
    return out


def run_view(conn: sqlite3.Connection, index: StoryIndex, view: View, ctx: Mapping[str, Any],
             *, summary: bool = True, by_week_source: bool = False) -> Listing:
    """Evaluate a view on an index: filter, order, cut the page after the cursor, and
    (``summary``) count facets and weeks over every matching story (kept per view
    while the index lives, so the next pages of a list cost only their page), and
    (``by_week_source``) stories per week per source."""
    scores: dict[int, float] | None = None
    if view.searching:
        scores = _hits(conn, index, view.q, ranked=view.sort == "relevance")
        candidates: Sequence[int] = sorted(scores)
    else:
        candidates = range(len(index.ids))
    dates = index.dates
    since, until = view.since, (view.until + "\uffff") if view.until else None
    checks = [(index.columns[col], wanted) for col, wanted in _wanted(view, ctx)]
    if since or until:  # dates descend: the window is a range of positions
        lo = bisect_left(_NegDates(dates), until) if until else 0
        hi = len(dates) if not since else _first_before(dates, since, lo)
        if isinstance(candidates, range):
            candidates = range(lo, hi)
        else:
            candidates = [i for i in candidates if lo <= i < hi]
    for col, wanted in checks:
        candidates = [i for i in candidates if not wanted.isdisjoint(col[i])]
    ids = index.ids
    if view.sort == "relevance" and scores is not None:
        ordered = sorted(candidates, key=lambda i: (scores[i], ids[i]))  # type: ignore[index]
        start = 0
        if view.after:
            key, _, sid = view.after.rpartition("~")
            try:
                ak = float(key)
            except ValueError:
                raise ViewError("after: not a page cursor of this list") from None
            start = bisect_left([(scores[i], ids[i]) for i in ordered], (ak, sid))
            if start < len(ordered) and (scores[ordered[start]], ids[ordered[start]]) == (ak, sid):
                start += 1
    else:
        ordered = list(candidates)  # already newest first
        start = 0
        if view.after:
            key, _, sid = view.after.rpartition("~")
            p = index.pos.get(sid)
            if p is not None and dates[p] == key:
                start = bisect_left(ordered, p + 1)
            else:  # the story is gone since: the first one after its place
                start = next((k for k, i in enumerate(ordered) if (dates[i], ids[i]) < (key, sid)),
                             len(ordered))
    chosen = ordered[start:start + view.size + 1]
    more = len(chosen) > view.size
    chosen = chosen[:view.size]
    page = [(ids[i], scores[i] if scores else 0.0) for i in chosen]
    nxt = None
    if more and chosen:
        last = chosen[-1]
        nxt = (f"{scores[last]!r}~{ids[last]}" if view.sort == "relevance" and scores
               else f"{dates[last]}~{ids[last]}")
    facets: dict[str, list[tuple[str, int]]] = {}
    weekly: Counter[str] = Counter()
    by_source: Counter[tuple[str | None, str]] = Counter()
    if summary:
        skey = (view.q, view.since, view.until, view.filters)
        cached = index.summaries.get(skey)
        if cached is None:
            cached = _summary(index, ordered, ctx)
            index.remember(skey, cached)
        facets, weekly = cached
    if by_week_source:
        weeks, srcs = index.weeks, index.columns["sources"]
        by_source = Counter((weeks[i], s) for i in ordered for s in srcs[i])
    per_source: dict[str, dict[str, int]] = {}
    for (w, s), n in by_source.items():
        if w:
            per_source.setdefault(s, {})[w] = n
    return Listing(page=page, next=nxt, count=len(ordered), facets=facets, weekly=dict(weekly),
                   weekly_by_source=per_source)


def _summary(index: StoryIndex, ordered: Sequence[int],
             ctx: Mapping[str, Any]) -> tuple[dict[str, list[tuple[str, int]]], Counter[str]]:
    """Facet counts and stories per week over the stories at ``ordered``, counted in C
    (``Counter`` over ``itertools.chain``: a Python loop over 79k stories took ~1 s
    under load, this ~50 ms)."""
    per_column: dict[str, Counter[str]] = {}
    for f in FILTERS:
        if f.facet and f.column not in per_column:
            col = index.columns[f.column]
            per_column[f.column] = Counter(chain.from_iterable(map(col.__getitem__, ordered)))
    facets: dict[str, list[tuple[str, int]]] = {}
    for f in FILTERS:
        if not f.facet:
            continue
        counts: Counter[str] = Counter()
        for v, n in per_column[f.column].items():
            fv = f.facet_value(v, ctx)
            if fv is not None:
                counts[fv] += n
        facets[f.param] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    weekly: Counter[str] = Counter(w for w in map(index.weeks.__getitem__, ordered) if w)
    return facets, weekly


class _NegDates:
    """``dates`` (descending) seen as ascending, for ``bisect``: position of the first
    date at or below ``until``."""

    def __init__(self, dates: list[str]) -> None:
        self.dates = dates

    def __len__(self) -> int:
        return len(self.dates)

    def __getitem__(self, i: int) -> _Rev:
        return _Rev(self.dates[i])


class _Rev:
    __slots__ = ("s",)

    def __init__(self, s: str) -> None:
        self.s = s

    def __lt__(self, other: Any) -> bool:
        o = other.s if isinstance(other, _Rev) else other
        return self.s > o


def _first_before(dates: list[str], since: str, lo: int) -> int:
    """First position at or after ``lo`` whose date is before ``since`` (dates descend)."""
    a, b = lo, len(dates)
    while a < b:
        m = (a + b) // 2
        if dates[m] >= since:
            a = m + 1
        else:
            b = m
    return a


def rows_sql(ids: list[str]) -> tuple[str, list[Any]]:
    """What a list shows of each story of a page, for these story ids."""
    marks = ", ".join("?" * len(ids))
    return (f"""select s.id as story_id, s.title, s.languages, s.versions, s.sources,
  s.first_published, a.first_seen, a.url, a.source, a.lang, a.id as article_id,
  substr(a.text, 1, {SNIPPET_SCAN}) as text_head
from stories s left join articles a on a.id = s.canonical_article_id
where s.id in ({marks})""", list(ids))
