"""`lednews process`: articles made again from the raw archive, no request sent.

The newest archived record of each article URL is read back (aggregator/archive),
extracted and cleaned by the crawl's own function (``aggregator.process.prepare_page``)
in a standard process pool, and stored through ``Storage.save_articles``: an article
whose title, text or date came out different gets a new version, the old one kept with
the reason (``extractor 1 -> 2``, ``cleaner 1 -> 2``, ``profile changed``); an article
that came out the same is not written at all. ``import_warc`` first copies the response
records of another crawler's WARC file (wget ``--warc-file``, a Common Crawl extract)
that belong to a known source into the archive, then processes them the same way.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from aggregator.archive.warc import ArchiveWriter, iter_pages, read_page
from aggregator.items import Article
from aggregator.process import prepare_page, refusal
from aggregator.profiles import SiteProfile

__all__ = ["ProcessReport", "reprocess", "import_warc", "version_reason", "profile_for"]

# Pages per job sent to a pool process: large enough that pickling a job costs little
# next to extracting it (~10 ms a page), small enough to keep both cores busy to the
# end on a few hundred pages.
CHUNK = 64
# Below this many pages the pool's start-up (forking, loading the dedup and t2s tables
# in each process, sending results back) costs more than it saves: done in this
# process. On a loaded 2-core machine the pool did not beat one process even at 2,000
# pages (bench/archive.py, docs/performance.md): `--jobs 1` is there for that case.
POOL_MIN_PAGES = 200
# Articles per transaction, as the crawl's AGGREGATOR_WRITE_BATCH.
WRITE_BATCH = 200


@dataclass
class ProcessReport:
    pages: int = 0  # archived pages read
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (uri, reason)
    skipped: int = 0  # pages of no known source, or not articles
    imported: int = 0  # records copied into the archive (`--warc`)
    reasons: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


def version_reason(old: dict[str, Any], new: Article) -> str:
    """Why a reprocessed article differs from its stored version, from what made each."""
    why = []
    was = (old.get("extractor_version") or "").split(".")
    now = (new.extractor_version or "").split(".")
    if len(was) != 2:
        why.append("made before versions were recorded")
    else:
        if was[0] != now[0]:
            why.append(f"extractor {was[0]} -> {now[0]}")
        if len(now) > 1 and was[1] != now[1]:
            why.append(f"cleaner {was[1]} -> {now[1]}")
    if old.get("profile_hash") and old.get("profile_hash") != new.profile_hash:
        why.append("profile changed")
    if not why:
        why.append("same versions and profile, different result (extractor or cleaner code changed)")
    return "reprocessed from the archive: " + ", ".join(why)


def _fetched_at(warc_date: str) -> str:
    try:
        return datetime.fromisoformat(warc_date.replace("Z", "+00:00")).isoformat(timespec="seconds")
    except ValueError:
        return warc_date


def _process_chunk(archive: str, rows: list[dict[str, Any]], profiles: dict[str, SiteProfile]
                   ) -> list[tuple[int, Article | str | None]]:
    """Read and process archived pages (in a pool process, or here). ``None``: a page
    that is not an article (a discovered source's product or listing page)."""
    from aggregator.extract.encoding import decode_html
    from aggregator.html import ParseError, parse_html
    from aggregator.pagekind import non_article_reason

    out: list[tuple[int, Article | str | None]] = []
    root = Path(archive)
    for r in rows:
        profile = profiles[r["source"]]
        try:
            body_from = ((root / r["body_file"], r["body_offset"], r["body_length"])
                         if r["type"] == "revisit" and r.get("body_file") else None)
            page = read_page(root / r["file"], r["offset"], r["length"], body_from)
        except (OSError, ValueError, StopIteration) as e:
            out.append((r["id"], f"archive record unreadable: {e}"))
            continue
        ctype = (page.header("Content-Type") or "").lower()
        if ctype and "html" not in ctype and "xml" not in ctype:
            out.append((r["id"], f"not an HTML page ({ctype})"))
            continue
        charset = None
        if "charset=" in ctype:
            charset = ctype.split("charset=", 1)[1].split(";")[0].strip() or None
        if profile.discover:
            text, _ = decode_html(page.body, charset, profile.encoding)
            try:
                if non_article_reason(parse_html(text), page.uri) is not None:
                    out.append((r["id"], None))
                    continue
            except ParseError:
                pass
        when = None
        try:
            when = datetime.fromisoformat(page.date.replace("Z", "+00:00"))
        except ValueError:
            pass
        out.append((r["id"], prepare_page(page.body, page.uri, profile, charset, r.get("lang_hint"),
                                          r.get("feed_date"), now=when, fetched_at=_fetched_at(page.date))))
    return out


def _results(archive: str, rows: list[dict[str, Any]], profiles: dict[str, SiteProfile], jobs: int
             ) -> Iterable[tuple[int, Article | str | None]]:
    chunks = [rows[i:i + CHUNK] for i in range(0, len(rows), CHUNK)]
    if jobs <= 1 or len(rows) < POOL_MIN_PAGES:
        for c in chunks:
            yield from _process_chunk(archive, c, profiles)
        return
    import threading
    from multiprocessing import get_all_start_methods, get_context

    # 'fork' when this process runs no other thread (the CLI): the pool's processes start
    # with the extraction modules already imported (spawn re-imports them, ~0.7 s each
    # here); 'spawn' otherwise, since forking a threaded process can copy a held lock.
    # The workers only read WARC files: the open SQLite connection is never used there.
    method = "fork" if threading.active_count() == 1 and "fork" in get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context(method)) as pool:
        for part in pool.map(_process_chunk, [archive] * len(chunks), chunks,
                             [{r["source"]: profiles[r["source"]] for r in c} for c in chunks]):
            yield from part


def default_jobs() -> int:
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def reprocess(storage: Any, archive: str, profiles: dict[str, SiteProfile], *,
              sources: Iterable[str] | None = None, since: str | None = None,
              rows: list[dict[str, Any]] | None = None, jobs: int | None = None,
              progress: Callable[[int], None] | None = None) -> ProcessReport:
    """Process the archived article pages (``rows``, or the newest of each URL of these
    sources fetched since ``since``) and store what changed."""
    t0 = time.monotonic()
    rep = ProcessReport()
    if rows is None:
        rows = storage.archive_pages(sources=sources, since=since)
    known = [r for r in rows if r["source"] in profiles]
    rep.skipped += len(rows) - len(known)
    rep.pages = len(known)
    uri_of = {r["id"]: r["uri"] for r in known}
    # one result per article: the page the stored article came from when several
    # archived URLs give one canonical URL (redirects, alternates), else the first
    by_canonical: dict[str, Article] = {}
    for rid, res in _results(archive, known, profiles, jobs or default_jobs()):
        if res is None:
            rep.skipped += 1
            continue
        if isinstance(res, str):
            rep.failed.append((uri_of[rid], res))
            continue
        problem = refusal(res)
        if problem:
            rep.failed.append((uri_of[rid], problem))
            continue
        have = by_canonical.get(res.canonical_url)
        if have is None or res.url == storage.article_url(res.canonical_url):
            by_canonical[res.canonical_url] = res
        if progress:
            progress(1)

    def reason(old: dict[str, Any], new: Article) -> str:
        text = version_reason(old, new)
        rep.reasons[text] += 1
        return text

    articles = list(by_canonical.values())
    storage.ensure_sources({a.source for a in articles})
    grown: set[str] = set()
    for i in range(0, len(articles), WRITE_BATCH):
        batch = articles[i:i + WRITE_BATCH]
        res = storage.save_articles(batch, reason=reason)
        rep.new += res.new
        rep.updated += res.updated
        rep.unchanged += res.unchanged
        if res.new:
            grown |= {a.source for a in batch}
    if grown:  # as after a crawl: new pages of a source can change its template lines
        storage.relearn_templates(sorted(grown))
    rep.seconds = time.monotonic() - t0
    return rep


def profile_for(uri: str, profiles: Iterable[SiteProfile]) -> SiteProfile | None:
    """The source an archived URL belongs to: the first profile whose article pattern
    matches it (or, without a pattern, whose domains hold it). A page archived over
    http matches an https pattern too (old archives predate a site's https)."""
    candidates = [uri]
    if uri.startswith("http://"):
        candidates.append("https://" + uri[len("http://"):])
    for p in profiles:
        for u in candidates:
            if (p.article_re.search(u) if p.article_pattern else p.owns(u)):
                return p
    return None


def import_warc(storage: Any, path: str | Path, archive: str, profiles: dict[str, SiteProfile],
                jobs: int | None = None) -> ProcessReport:
    """Copy the article pages of a WARC file from any crawler into the archive (those
    of a known source, status 200), index them, then process them."""
    writer = ArchiveWriter(archive, lookup=storage.archived_payload, software="lednews (process --warc)")
    skipped = 0
    try:
        for page in iter_pages(path):
            profile = profile_for(page.uri, profiles.values()) if page.status == 200 else None
            if profile is None:
                skipped += 1
                continue
            writer.write(page.uri, page.status, page.headers, page.body, kind="article", source=profile.key,
                         date=page.date[:19] + "Z" if len(page.date) >= 19 else None)
    finally:
        writer.close()
    rows = writer.take()
    with storage.db.atomic():
        storage.save_archive_rows(rows)
    ids = [r["record_id"] for r in rows]
    stored = {r["record_id"]: r for r in storage.archive_rows_by_record(ids)}
    rep = reprocess(storage, archive, profiles, rows=[stored[i] for i in ids if i in stored], jobs=jobs)
    rep.imported = len(rows)
    rep.skipped += skipped
    return rep
