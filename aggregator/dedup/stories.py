"""Stories: articles that are versions of one story, linked by evidence.

Explicit evidence lives here: identical normalised text (exact duplicates, syndicated
copies, mechanical script conversions), explicit language links (a page's switcher or
hreflang link to another stored page) and profile sibling rules (TrendForce: same date
prefix, ids within ``max_gap``, different domains). The content layers (near-duplicates,
translation variants, zh<->en pairs) are in ``link.py``; both feed ``cluster``.

Clustering is a union-find over links, so the result does not depend on the order
articles arrived in; a story's id is derived from its smallest article id.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from aggregator.dedup.urls import canonicalize_url
from aggregator.items import ArticleRef

__all__ = ["ArticleRef", "build_stories", "cluster", "explicit_edges", "Edge", "Story"]


@dataclass(frozen=True)
class Story:
    id: str
    canonical_article_id: str
    title: str
    first_published: str | None
    languages: str  # JSON list
    versions: int
    sources: str  # JSON list
    evidence: str  # JSON list of "kind:a-b"


class _UF:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def _canonical_rank(a: ArticleRef) -> tuple:
    """Canonical version: primary (non-republishing) source first, then the earliest
    publish date, then Chinese before English (our sources' stories originate in
    Chinese more often than not: docs/sources.md#translation-direction), then the smallest id."""
    lang_rank = 0 if (a.lang or "").startswith("zh") else 1
    return (a.republished, a.published is None, a.published or "", lang_rank, a.id)


Edge = tuple[str, str, str]  # (a, b, "kind:detail")


def explicit_edges(articles: list[ArticleRef], min_hash_chars: int,
                   sibling_gaps: dict[str, int] | None = None) -> list[Edge]:
    """Links the publisher or the bytes assert: switcher/hreflang links to another
    stored page, identical normalised text, profile sibling ids. ``sibling_gaps`` maps a
    source key to its profile's ``SiblingRule.max_gap``."""
    gaps = sibling_gaps or {}
    edges: list[Edge] = []
    by_url = {a.canonical_url: a.id for a in articles}
    by_hash: dict[str, list[str]] = defaultdict(list)
    siblings: dict[str, list[ArticleRef]] = defaultdict(list)
    for a in sorted(articles, key=lambda r: r.id):
        if a.text_chars >= min_hash_chars:
            by_hash[a.content_hash].append(a.id)
        for alt in a.alternate_urls:
            other = by_url.get(canonicalize_url(alt))
            if other and other != a.id:
                edges.append((a.id, other, "link"))
        if a.sibling_key and a.sibling_seq is not None:
            siblings[a.sibling_key].append(a)
    for ids in by_hash.values():
        for other in ids[1:]:
            edges.append((ids[0], other, "exact"))
    for group in siblings.values():
        # Sibling rule: consecutive ids, one per domain, chained while within the gap.
        group.sort(key=lambda r: (r.sibling_seq or 0, r.id))
        run: list[ArticleRef] = []
        for a in group:
            hosts = {urlsplit(r.canonical_url).hostname for r in run}
            gap = (a.sibling_seq or 0) - (run[0].sibling_seq or 0) if run else 0
            if run and (gap > gaps.get(a.source, 0) or urlsplit(a.canonical_url).hostname in hosts):
                run = []
            if run:
                edges.append((run[0].id, a.id, "sibling"))
            run.append(a)
    return edges


def cluster(articles: list[ArticleRef], edges: list[Edge]) -> tuple[dict[str, str], list[Story]]:
    """Union-find over ``edges``; returns ``(article_id -> story_id, stories)``."""
    uf = _UF()
    evidence: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        uf.find(a.id)
    for x, y, kind in sorted(edges):
        uf.union(x, y)
        lo, hi = sorted((x, y))
        evidence[lo].append(f"{kind}:{lo}-{hi}")
    members: dict[str, list[ArticleRef]] = defaultdict(list)
    for a in articles:
        members[uf.find(a.id)].append(a)
    mapping: dict[str, str] = {}
    stories: list[Story] = []
    for root, group in sorted(members.items()):
        sid = "s" + root
        canon = min(group, key=_canonical_rank)
        dates = sorted(a.published for a in group if a.published and not a.republished)
        ev = sorted({e for a in group for e in evidence.get(a.id, [])})
        stories.append(Story(
            id=sid,
            canonical_article_id=canon.id,
            title=canon.title,
            first_published=dates[0] if dates else canon.published,
            languages=json.dumps(sorted({a.lang for a in group if a.lang})),
            versions=len(group),
            sources=json.dumps(sorted({a.source for a in group})),
            evidence=json.dumps(ev, ensure_ascii=False),
        ))
        for a in group:
            mapping[a.id] = sid
    return mapping, stories


def build_stories(articles: list[ArticleRef], min_hash_chars: int,
                  sibling_gaps: dict[str, int] | None = None) -> tuple[dict[str, str], list[Story]]:
    """Stories from explicit evidence only (the content layers are in ``link``)."""
    return cluster(articles, explicit_edges(articles, min_hash_chars, sibling_gaps))
