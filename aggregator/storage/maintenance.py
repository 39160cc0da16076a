"""Retention and upkeep: ``lednews prune`` (docs/operations.md "Retention").

What grows without bound besides the articles themselves: ``fetched_urls`` (one row per
article URL ever fetched, 404s and refused pages included), ``crawl_errors`` (one row
per failure), and dedup caches that no longer match any stored text (pair scores and
features of texts that changed since). Articles, their versions, run records and
stories are never pruned.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

__all__ = ["MaintenanceStore", "PruneReport"]


@dataclass
class PruneReport:
    fetched_urls: int = 0
    crawl_errors: int = 0
    dedup_pairs: int = 0
    dedup_features: int = 0
    analyzed: bool = False


class MaintenanceStore:
    db: Database

    def prune(self, before: str, analyze: bool = True) -> PruneReport:
        """Delete crawl state last touched before ``before`` (ISO date/time) and stale
        dedup caches; then ``ANALYZE`` (bounded by ``analysis_limit``) for the planner."""
        rep = PruneReport()
        c = self.db.conn
        with self.db.atomic():
            # A URL fetched long ago and not listed since: if a feed names it again it is
            # fetched once more (stored articles stay known through the articles table).
            rep.fetched_urls = c.execute("delete from fetched_urls where coalesce(last_fetched, first_fetched, '') < ?",
                                         [before]).rowcount
            rep.crawl_errors = c.execute("delete from crawl_errors where coalesce(at, '') < ?", [before]).rowcount
            # Scores cached for a pair of texts that are no longer both stored as they were.
            rep.dedup_pairs = c.execute(
                "delete from dedup_pairs where not exists (select 1 from articles x where x.id = dedup_pairs.a"
                " and x.content_hash = dedup_pairs.hash_a) or not exists (select 1 from articles y"
                " where y.id = dedup_pairs.b and y.content_hash = dedup_pairs.hash_b)").rowcount
            rep.dedup_features = c.execute(
                "delete from dedup_features where not exists (select 1 from articles x where"
                " x.id = dedup_features.article_id and x.content_hash = dedup_features.content_hash)").rowcount
        if analyze:
            # A sample of 1,000 rows per index is what `PRAGMA optimize` uses by default
            # (sqlite.org/pragma.html#pragma_optimize): enough for these plans, seconds at 1M.
            c.execute("pragma analysis_limit = 1000")
            c.execute("analyze")
            c.commit()
            rep.analyzed = True
        return rep
