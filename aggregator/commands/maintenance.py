"""``lednews prune``: the documented retention of crawl state and dedup caches."""

from __future__ import annotations

import click

from aggregator.commands.common import DEFAULT_DB, _open_db, writer_lock


@click.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--days", type=click.IntRange(1), default=365, show_default=True,
              help="Keep crawl state (fetched URLs, error rows) touched in this many days.")
@click.option("--vacuum", is_flag=True, help="Then VACUUM (rewrites the file; needs as much free disk).")
def prune(db: str, days: int, vacuum: bool) -> None:
    """Delete old crawl state and stale dedup caches, then ANALYZE. Never touches articles,
    their versions, stories or run records."""
    from datetime import datetime, timedelta, timezone

    before = (datetime.now(timezone.utc) - timedelta(days=days)).isoformat(timespec="seconds")
    with writer_lock(db, "prune"):  # one writer at a time, like every writing command
        storage = _open_db(db)
        try:
            rep = storage.prune(before)
            if vacuum:
                storage.db.execute("vacuum")
        finally:
            storage.close()
    click.echo(f"lednews: pruned {rep.fetched_urls} fetched URLs and {rep.crawl_errors} error rows older than "
               f"{days} days, {rep.dedup_pairs} stale pair scores, {rep.dedup_features} stale feature rows"
               f"{'; analyzed' if rep.analyzed else ''}{'; vacuumed' if vacuum else ''}")
