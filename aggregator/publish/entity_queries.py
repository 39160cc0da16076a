"""Companies and topics in the published database: table descriptions, and the SQL
behind the company/topic pages, their Atom feeds, facets and filters.

Plain functions over a sqlite3 connection (or SQL strings for Datasette's async
``db.execute``), so the front page and search can add entity facets and filters
without going through the pages: ``entity_facets(conn, story_ids)`` counts the
companies and topics of a set of stories; ``STORY_FILTER`` restricts a story query to
an entity (docs/entities.md).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

__all__ = ["resolve_entities", "ENTITY_TABLES", "ENTITY_STORIES", "ENTITY_TIMELINE", "ENTITY_COMENTIONS",
           "ENTITY_SOURCES", "STORY_FILTER", "entity_facets", "stories_for_entities", "PAGE_ROWS"]

# Stories listed on an entity page and in its feed (the canned queries' LIST_ROWS).
PAGE_ROWS = 100
SUMMARY_CHARS = 280  # as aggregator.publish.queries (a feed reader's preview)

ENTITY_TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "entities": ("Companies and topics of the gazetteer the articles were tagged with "
                 "(docs/entities.md).", {
        "id": "Entity id (company or topic), as in the gazetteer file.",
        "kind": "company or topic.",
        "name_en": "English name.",
        "name_zh_hans": "Simplified Chinese name (a topic's Chinese name).",
        "name_zh_hant": "Traditional Chinese name.",
        "names": "JSON list of every name or term matched (short forms, former names).",
        "parent": "Parent company id.",
        "ticker": "Exchange:code of the listing.",
        "country": "ISO 3166 country code.",
        "segment": "chips, packaging, display, lighting, driver, equipment, research, power or brand.",
        "evidence": "JSON list of public sources for the entry.",
        "gazetteer": "Version (content hash) of the gazetteer files.",
    }),
    "article_entities": ("The companies and topics each article is tagged with (and companies "
                         "named only in enumerations); story tags are the union of its "
                         "articles' (view story_entities).", {
        "article_id": "articles.id",
        "entity_id": "entities.id",
        "kind": "company or topic.",
        "mentions": "Mentions in title and text.",
        "title_mentions": "Mentions in the title.",
        "lead_mentions": "Mentions in the first paragraph.",
        "body_mentions": "Mentions in the rest of the text.",
        "first_offset": "Character offset of the first mention in title + newline + text.",
        "listed": "1 when the company is named only in an enumeration of many companies.",
        "score": "Mentions weighted by place (title 3, lead 2, body 1).",
        "tagged": "1 when the article is tagged with the entity (companies: not only listed; "
                  "topics: score reached).",
    }),
    "story_entities": ("A view: each story's companies and topics, the union of its articles' "
                       "tags (follows every story re-link).", {
        "story_id": "stories.id",
        "entity_id": "entities.id",
        "kind": "company or topic.",
        "articles": "Articles of the story tagged with it.",
        "mentions": "Mentions over those articles.",
        "title_mentions": "Mentions in their titles.",
        "first_date": "Earliest publication (or first-seen) date among them.",
    }),
    "entity_tagged": ("Which gazetteer version and text each article was tagged with "
                      "(`lednews tag` re-tags stale ones).", {
        "article_id": "articles.id",
        "gazetteer": "entities.gazetteer version used.",
        "content_hash": "articles.content_hash tagged (stale when the text changes).",
        "title": "Not filled (the content hash decides staleness; kept for the schema of m190).",
        "published": "Not filled (as title).",
        "tagged_at": "When (UTC).",
    }),
}

# Stories carrying one entity, newest first (:entity).
ENTITY_STORIES = f"""select
  s.id as story_id,
  s.title,
  s.languages,
  s.versions,
  s.sources,
  s.first_published as published,
  a.url,
  a.source as author,
  substr(replace(a.text, char(10), ' '), 1, {SUMMARY_CHARS}) as summary,
  coalesce(s.first_published, a.first_seen) as updated,
  se.mentions,
  se.title_mentions
from story_entities se
join stories s on s.id = se.story_id
join articles a on a.id = s.canonical_article_id
where se.entity_id = :entity
order by s.first_published is null, s.first_published desc, s.id
limit {PAGE_ROWS}"""

# Stories per month (stories over time).
ENTITY_TIMELINE = """select substr(coalesce(s.first_published, se.first_date), 1, 7) as month,
  count(*) as stories
from story_entities se join stories s on s.id = se.story_id
where se.entity_id = :entity and coalesce(s.first_published, se.first_date) is not null
group by month order by month"""

# Companies named in the same stories, most shared stories first.
ENTITY_COMENTIONS = """select o.entity_id, e.name_en, e.name_zh_hans, count(*) as stories
from story_entities se
join story_entities o on o.story_id = se.story_id and o.entity_id != se.entity_id
left join entities e on e.id = o.entity_id
where se.entity_id = :entity and o.kind = 'company'
group by o.entity_id order by stories desc, o.entity_id limit 20"""

# Sources carrying the entity's stories (articles per source).
ENTITY_SOURCES = """select a.source, coalesce(src.name, a.source) as name, count(*) as articles
from article_entities ae
join articles a on a.id = ae.article_id
left join sources src on src.key = a.source
where ae.entity_id = :entity and ae.tagged = 1
group by a.source order by articles desc, a.source"""

# Append to a story query's WHERE (with ``s`` the stories alias) to keep the stories
# carrying every entity in :entities (a JSON list of ids).
STORY_FILTER = ("s.id in (select story_id from story_entities where entity_id in"
                " (select value from json_each(:entities)) group by story_id"
                " having count(distinct entity_id) = json_array_length(:entities))")


def stories_for_entities(conn: sqlite3.Connection, entity_ids: Iterable[str]) -> set[str]:
    """Ids of the stories tagged with any of ``entity_ids``."""
    ids = list(entity_ids)
    if not ids:
        return set()
    return {r[0] for r in conn.execute(
        "select distinct story_id from story_entities where entity_id in (%s)" % ",".join("?" * len(ids)),
        ids)}


def entity_facets(conn: sqlite3.Connection, story_ids: Iterable[str] | None = None,
                  limit: int = 20) -> dict[str, list[dict[str, Any]]]:
    """Facet counts for a set of stories (all stories when None): ``{"company": [...],
    "topic": [...]}``, each a list of ``{"id", "name_en", "name_zh", "stories"}``, most
    stories first."""
    out: dict[str, list[dict[str, Any]]] = {"company": [], "topic": []}
    if story_ids is None:
        rows = conn.execute(
            "select se.kind, se.entity_id, e.name_en, e.name_zh_hans, count(*) from story_entities se"
            " left join entities e on e.id = se.entity_id group by se.entity_id"
            " order by count(*) desc, se.entity_id").fetchall()
    else:
        ids = list(story_ids)
        rows = []
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows += conn.execute(
                "select se.kind, se.entity_id, e.name_en, e.name_zh_hans, count(*) from story_entities se"
                " left join entities e on e.id = se.entity_id where se.story_id in (%s)"
                " group by se.entity_id" % ",".join("?" * len(chunk)), chunk).fetchall()
        merged: dict[str, list[Any]] = {}
        for kind, eid, en, zh, n in rows:
            merged.setdefault(eid, [kind, eid, en, zh, 0])[4] += n
        rows = sorted(merged.values(), key=lambda r: (-r[4], r[1]))
    for kind, eid, en, zh, n in rows:
        if kind in out and len(out[kind]) < limit:
            out[kind].append({"id": eid, "name_en": en, "name_zh": zh, "stories": n})
    return out


def resolve_entities(conn: sqlite3.Connection, names: Iterable[tuple[str, str] | str],
                     error: type[Exception] = ValueError) -> list[str]:
    """Entity ids for names (an id or any name, any script or case), each optionally
    ``(kind, name)``; a name that is no entity (or names several) raises ``error`` with
    one line."""
    from aggregator.entities.fold import fold

    try:
        rows = conn.execute("select id, kind, name_en, names from entities").fetchall()
    except sqlite3.Error:
        raise error("this database has no companies or topics yet (run `lednews tag`)") from None
    out = []
    for item in names:
        kind, name = item if isinstance(item, tuple) else (None, item)
        key = fold(name.strip())
        found = sorted({r[0] for r in rows if (kind is None or r[1] == kind) and key in
                        {fold(n) for n in [r[0], r[2] or "", *json.loads(r[3] or "[]")] if n}})
        if len(found) != 1:
            what = kind or "company or topic"
            raise error(f"{name!r} is {'no' if not found else 'more than one'} {what}"
                        f"{'' if not found else ' (' + ', '.join(found) + ')'}; see /entities in lednews serve")
        out.append(found[0])
    return out
