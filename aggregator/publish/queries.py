"""Canned queries for Datasette (docs/publish.md lists each with an example URL).

Plain SQL over the stored tables; ``search`` also calls ``zh_fts_query()``, which our
plugin registers on every Datasette connection. Queries named in ``FEEDS`` are also
served as Atom (``.atom``); the renderer reads the columns ``story_id``/``article_id``,
``title``, ``url``, ``summary``, ``published``, ``updated`` and ``author``.
"""

from __future__ import annotations

__all__ = ["QUERIES", "FEEDS", "SUMMARY_CHARS", "SEARCH_LIKE_MAX"]

# Entry summaries: the first 280 characters of the text, about two sentences of a
# Chinese article or one long English one in the demo corpus; a feed reader's preview.
SUMMARY_CHARS = 280
# Queries of at most this many characters also match as substrings (LIKE): the bigram
# index finds one Chinese character only where it stands alone, and a one- or
# two-letter Latin query only as a whole word (a LIKE scan of 2,000 documents took
# 3-18 ms, docs/background.md#search-latency; at 100k it is ~200 ms, hence the gate
# below). A query of two or more Chinese characters needs no LIKE: its bigram phrase
# already is an exact substring match on the normalised text.
SEARCH_LIKE_MAX = 2
# Rows per page of a feed or list: a day of every source in the demo crawl is < 30.
LIST_ROWS = 100

_STORY_COLUMNS = f"""
  s.id as story_id,
  s.title,
  s.languages,
  s.versions,
  json_array_length(s.sources) as n_sources,
  s.sources,
  s.first_published as published,
  a.url,
  a.source as author,
  substr(replace(a.text, char(10), ' '), 1, {SUMMARY_CHARS}) as summary,
  coalesce(s.first_published, a.first_seen) as updated"""

LATEST_STORIES = f"""select{_STORY_COLUMNS}
from stories s
join articles a on a.id = s.canonical_article_id
order by s.first_published is null, s.first_published desc, s.id
limit {LIST_ROWS}"""

STORY_VERSIONS = """select
  a.id as article_id,
  a.lang,
  a.source,
  src.name as source_name,
  a.title,
  a.published,
  a.url,
  a.author,
  a.version,
  length(a.text) as chars,
  a.id = s.canonical_article_id as canonical
from articles a
join stories s on s.id = a.story_id
left join sources src on src.key = a.source
where a.story_id = :story_id
order by a.lang, a.published, a.id"""

# The search ranks only the best-scoring this many matching articles (FTS5 scores every
# match in C and keeps the top ones; the joins then touch only those). A page shows
# LIST_ROWS stories and a story rarely has more than a few versions, so 10x is the
# same page unless the top matches are 10 versions per story on average. At 100k
# generated articles a common word matches 40-60k rows; with this limit and the LIKE
# gate below, search p95 went from 124-336 ms to ~25 ms (bench/storage.py, issue 8).
SEARCH_TOP_ARTICLES = 10 * LIST_ROWS

# BM25 scores are negative (FTS5 floors a term's IDF above zero), so every FTS hit
# ranks before a LIKE-only hit (score 0): once FTS has LIST_ROWS stories, the
# substring scan of every article could not change the page and is skipped
# (``like_gate`` comes first in a CROSS JOIN, so a closed gate never reads ``articles``).
# It is also skipped for a query of two or more characters that are all 3 bytes in
# UTF-8 (CJK, written without Latin letters, digits or spaces), which FTS answers
# exactly.
# A query that names a company (any of its names, in any script: 三安,
# 三安光電, Sanan, or "三安 Sanan"; ``lednews_entities``, aggregator.publish.entity_pages)
# finds the stories tagged with it (entity_hits) and only those, so every name reaches
# the same stories as the company's page: a text hit where the company is not tagged
# (named only in an exhibitor list or a related-links line) is left out.
SEARCH = f"""with fts_top as (
  select rowid, bm25(article_search_fts, 5.0, 1.0) as score
  from article_search_fts
  where article_search_fts match zh_fts_query(:q)
  order by score
  limit {SEARCH_TOP_ARTICLES}
),
fts_hits as (
  select a.story_id, t.score
  from fts_top t
  join article_search x on x.id = t.rowid
  join articles a on a.id = x.article_id
),
like_gate as (
  select 1 where trim(:q) != ''
    and not (length(trim(:q)) >= 2 and length(cast(trim(:q) as blob)) = 3 * length(trim(:q)))
    and ((length(trim(:q)) <= {SEARCH_LIKE_MAX}
          and (select count(distinct story_id) from fts_hits) < {LIST_ROWS})
         or not exists (select 1 from fts_hits))
),
like_hits as (
  select a.story_id, 0.0 as score from like_gate cross join articles a
  where instr(lower(a.title), lower(trim(:q))) > 0 or instr(lower(a.text), lower(trim(:q))) > 0
),
named as (
  select value from json_each(lednews_entities(:q))
),
entity_hits as (
  select a.story_id, 0.0 as score from article_entities ae
  join articles a on a.id = ae.article_id
  where ae.tagged = 1 and ae.entity_id in (select value from named)
),
hits as (
  select story_id, min(score) as score
  from (select * from fts_hits union all select * from like_hits union all select * from entity_hits)
  where not exists (select 1 from named) or story_id in (select story_id from entity_hits)
  group by story_id
)
select{_STORY_COLUMNS},
  round(h.score, 3) as score
from hits h
join stories s on s.id = h.story_id
join articles a on a.id = s.canonical_article_id
order by h.score, s.first_published is null, s.first_published desc, s.id
limit {LIST_ROWS}"""

SOURCE_ARTICLES = f"""select
  a.id as article_id,
  a.story_id,
  a.lang,
  a.title,
  a.published,
  a.url,
  coalesce(a.author, a.source) as author,
  substr(replace(a.text, char(10), ' '), 1, {SUMMARY_CHARS}) as summary,
  coalesce(a.published, a.first_seen) as updated
from articles a
where a.source = :source
order by a.published is null, a.published desc, a.id
limit {LIST_ROWS}"""

DAILY_COUNTS = """select
  source,
  date(substr(published, 1, 10)) as day,
  count(*) as articles
from articles
where published is not null
group by source, day
order by day desc, source"""

WEEKLY_COUNTS = """select
  source,
  date(substr(published, 1, 10), '-6 days', 'weekday 1') as week_starting,
  count(*) as articles
from articles
where published is not null
group by source, week_starting
order by week_starting desc, source"""

QUERIES: dict[str, dict[str, str]] = {
    "latest_stories": {
        "title": "Latest stories",
        "description": "One row per story, newest first: the canonical version's title, the "
                       "languages available, the number of versions and sources, first published.",
        "sql": LATEST_STORIES,
    },
    "story_versions": {
        "title": "A story's versions",
        "description": "Every stored version (language, source, copy) of one story.",
        "sql": STORY_VERSIONS,
    },
    "search": {
        "title": "Search stories",
        "description": "Chinese or English words (芯片, 智能照明, Micro LED, UV-C); space-separated "
                       "words must all match, Chinese text matches as written (any substring, "
                       "Traditional or Simplified), consecutive English words form a phrase, "
                       "\"quotes\" force one. Ranked, title hits first.",
        "sql": SEARCH,
    },
    "source_articles": {
        "title": "Articles by source",
        "description": "The newest articles of one source (see the sources table for keys).",
        "sql": SOURCE_ARTICLES,
    },
    "daily_counts": {
        "title": "Articles per source per day",
        "description": "Count of articles per source and publication day.",
        "sql": DAILY_COUNTS,
    },
    "weekly_counts": {
        "title": "Articles per source per week",
        "description": "Count of articles per source and publication week (weeks start on Monday).",
        "sql": WEEKLY_COUNTS,
    },
}

# Canned queries that are also Atom feeds, with the feed title for each.
FEEDS = {
    "latest_stories": "lednews: latest LED industry stories",
    "search": "lednews: stories matching {q}",
    "source_articles": "lednews: latest articles from {source}",
}
