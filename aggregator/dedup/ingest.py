"""``lednews ingest``: already-extracted articles (JSON lines) into the database.

Each good line goes through the crawl's own stages: clean (``clean_article`` with the
source's profile when it is a known site), dedup (canonical URL, content hash), store
(``Storage.save_articles``), and a story pass after each batch. A bad line is reported with its line
number and skipped; the others still go in.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from aggregator.items import Article
from aggregator.langtag import LangTagError, normalize_lang

log = logging.getLogger(__name__)

__all__ = ["IngestReport", "ingest_file", "parse_line", "derive_title", "FIELDS"]

FIELDS = ("url", "title", "text", "lang", "published", "source")
_SOURCE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
# Same floor as the crawl's ValidatePipeline (pipelines.MIN_STORED_UNITS): stubs are refused.
# Rows per write transaction (docs/background.md#sqlite-batching). bench/storage.py at 100k
# articles: 3,502/s in batches of 200 (the crawl's), 5,029/s in batches of 2,000 (fewer
# FTS5 segments to merge, fewer commits); a batch of 2,000 articles holds ~10 MB.
BATCH = 2000


class LineError(ValueError):
    pass


@dataclass
class IngestReport:
    lines: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    stories: int = 0
    multi_version: int = 0
    dedup_seconds: dict[str, float] = field(default_factory=dict)
    links: dict[str, int] = field(default_factory=dict)


_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# A date may be up to a day ahead of this machine's clock (time zones: a page dated
# in Asia/Shanghai is a day ahead of UTC for 8 hours a day); later is an error.
FUTURE_SLACK = timedelta(days=1)


def _date(v: Any, lineno: int, today: date | None = None) -> tuple[str | None, str]:
    """(stored date, precision: "" / "day" / "month" / "year"). ISO 8601 at full,
    month (``2024-05``) or year (``2024``) precision; a reduced-precision date is kept
    as written, never invented to a day. A date after today is an error."""
    if v in (None, ""):
        return None, ""
    if not isinstance(v, str):
        raise LineError("field 'published': expected an ISO date string or null")
    v = v.strip()
    today = today or date.today()
    try:
        if _YEAR.match(v):
            first, value, precision = date(int(v), 1, 1), v, "year"
        elif _MONTH.match(v):
            first, value, precision = date(int(v[:4]), int(v[5:7]), 1), v, "month"
        elif len(v) == 10:
            first = date.fromisoformat(v)
            value, precision = first.isoformat(), "day"
        else:
            dt = datetime.fromisoformat(v.replace("Z", "+00:00"))
            first, value, precision = dt.date(), dt.isoformat(), "day"
    except ValueError:
        raise LineError(f"field 'published': not an ISO 8601 date: {v[:40]!r}") from None
    if first > today + FUTURE_SLACK:
        raise LineError(f"field 'published': {v} is in the future (today is {today.isoformat()})")
    return value, precision


# A title made from the text: its first line, cut at the end of a sentence, else at a
# word, within this many characters (a long headline in the demo corpus is ~70).
DERIVED_TITLE_MAX = 80
_SENTENCE_END = re.compile(r"[。！？!?]|\.(?=\s|$)")


def derive_title(text: str) -> str:
    """A title for an article that came without one: the first sentence of its first
    non-empty line, at most DERIVED_TITLE_MAX characters (then cut at a space, or
    anywhere in Chinese, with an ellipsis)."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    m = _SENTENCE_END.search(line)
    if m and 0 < m.start() < DERIVED_TITLE_MAX:
        return line[:m.start() + (1 if line[m.start()] in "。！？!?" else 0)].strip()
    if len(line) <= DERIVED_TITLE_MAX:
        return line
    cut = line[:DERIVED_TITLE_MAX]
    if " " in cut[DERIVED_TITLE_MAX // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,，、;；:：") + "…"


def parse_line(raw: str, lineno: int, today: date | None = None) -> Article:
    """One JSON line -> Article, or LineError with a one-line reason. ``today`` (default:
    this machine's date) is what a date may not be after."""
    try:
        d = json.loads(raw)
    except json.JSONDecodeError as e:
        raise LineError(f"not JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(d, dict):
        raise LineError("expected a JSON object")
    for f in ("url", "text", "source"):
        if not isinstance(d.get(f), str) or not d[f].strip():
            raise LineError(f"field {f!r}: missing or empty")
    if d.get("title") is not None and not isinstance(d["title"], str):
        raise LineError("field 'title': expected a string or null")
    if not re.match(r"^https?://[^/\s]+", d["url"]):
        raise LineError("field 'url': not an http(s) URL")
    if not _SOURCE.match(d["source"]):
        raise LineError("field 'source': use lowercase letters, digits, '_', '-', '.'")
    lang = d.get("lang")
    if lang is not None:
        if not isinstance(lang, str):
            raise LineError("field 'lang': expected a language tag (en, zh-CN, zh-TW, ...) or null")
        try:
            lang = normalize_lang(lang)
        except LangTagError as e:
            raise LineError(f"field 'lang': {e}") from None
    published, precision = _date(d.get("published"), lineno, today)
    warnings = []
    title = (d.get("title") or "").strip()
    if not title:
        title = derive_title(d["text"])
        warnings.append("title derived from the text (the line had none)")
    date_method = "" if not published else "ingest" if precision == "day" else f"ingest ({precision} only)"
    return Article(url=d["url"].strip(), source=d["source"], title=title,
                   text=d["text"], lang=None if lang in (None, "zh") else lang,
                   published=published, warnings=warnings,
                   extraction_method="ingest", date_method=date_method)


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open("r", encoding="utf-8", errors="strict") as fh:
        lineno = 0
        while True:
            lineno += 1
            try:
                line = fh.readline()
            except UnicodeDecodeError:
                yield lineno, "\x00bad-utf8"
                continue
            if not line:
                return
            yield lineno, line.rstrip("\n")


def _prepare(a: Article, profiles: dict[str, Any]) -> Article:
    from aggregator.clean import clean_article
    from aggregator.dedup import canonicalize_url, content_hash
    from aggregator.extract.language import detect_language
    from aggregator.pipelines import MIN_STORED_UNITS
    from aggregator.text import text_units

    profile = profiles.get(a.source)
    if a.lang is None:
        a = replace(a, lang=detect_language(a.text, None))
    sib_key = sib_seq = None
    if profile is not None and profile.sibling:
        m = re.search(profile.sibling.pattern, a.url)
        if m:
            sib_key, sib_seq = f"{profile.key}:{m['key']}", int(m["seq"])
    republished = a.published if profile is not None and profile.republished else None
    a = replace(a, sibling_key=sib_key, sibling_seq=sib_seq, republished=republished,
                fetched_at=datetime.now().astimezone().isoformat(timespec="seconds"))
    cleaned = clean_article(a, profile)
    units = text_units(cleaned.text)
    if units < MIN_STORED_UNITS:
        raise LineError(f"body too short after cleaning ({units} units)")
    return replace(cleaned, canonical_url=canonicalize_url(a.url), content_hash=content_hash(cleaned.text))


def _feature_rows(items: list[tuple[str, str, str, str, str | None, str | None, bool]]
                  ) -> list[tuple[str, str, str, str]]:
    """``features_row`` of each (id, content hash, title, text, lang, published,
    republished): run in the ingest's worker process."""
    from aggregator.dedup.features import features_row

    return [features_row(*it) for it in items]


class _Seen:
    """Canonical URLs met so far in the file, in a private temporary SQLite file (an
    empty file name: on disk, deleted on close), so a file of a million lines does not
    hold a million strings in memory (a Python set of 1M URLs measured ~120 MB)."""

    def __init__(self) -> None:
        import sqlite3

        self.db = sqlite3.connect("")
        self.db.execute("create table seen (url text primary key) without rowid")

    def add(self, url: str) -> bool:
        """True if ``url`` is new (and now seen)."""
        return self.db.execute("insert or ignore into seen values (?)", (url,)).rowcount == 1

    def close(self) -> None:
        self.db.close()


def ingest_file(path: str | Path, storage: Any, profiles: dict[str, Any],
                sibling_gaps: dict[str, int] | None = None, *, today: date | None = None,
                workers: int | None = None, batch_size: int = BATCH) -> IngestReport:
    """Ingest ``path`` into ``storage``, with a story pass after each batch: a pass
    links only what changed (aggregator.dedup.index), so memory follows the batch, not
    the file or the database. ``today`` (default: this machine's date) bounds the
    dates accepted; a fixed set made as of some date passes it.

    ``workers`` (default ``aggregator.workers.default_workers()``: 1 on two or more
    cores): from the second batch on, each batch's dedup features are computed in a
    worker process while this process stores and links the batch before it (the
    crawl's split: the features are pure functions of the text, so the stored rows and
    stories are the same either way; a pass computes any row the worker did not give).
    ``batch_size``: articles per write transaction and story pass."""
    from aggregator.dedup.features import FEATURE_VERSION
    from aggregator.dedup.run import run_dedup
    from aggregator.dedup.tokens import release as release_segmenter
    from aggregator.storage import article_id
    from aggregator.workers import default_workers

    rep = IngestReport()
    batch: list[Article] = []
    seen = _Seen()
    nworkers = default_workers() if workers is None else workers
    pool: Any = None
    pending: list[tuple[list[Article], Any]] = []  # a batch stored after the next one is read

    def link() -> None:
        # with a worker the passes rarely segment (the first batch; texts a site template
        # changed): the dictionary (~76 MB) is dropped after each pass, as in a crawl
        d = run_dedup(storage, sibling_gaps, keep_segmenter=nworkers <= 0)
        for k, v in d.seconds.items():
            rep.dedup_seconds[k] = round(rep.dedup_seconds.get(k, 0.0) + v, 3)
        for k, n in d.links.items():
            rep.links[k] = rep.links.get(k, 0) + n

    def features(arts: list[Article]) -> Any:
        nonlocal pool
        if nworkers <= 0 or not pending:  # the first batch: the pass computes them
            return None
        if pool is None:
            from concurrent.futures import ProcessPoolExecutor
            from multiprocessing import get_context

            pool = ProcessPoolExecutor(nworkers, mp_context=get_context("spawn"))
        try:
            return pool.submit(_feature_rows, [
                (article_id(a.canonical_url), a.content_hash or "", a.title or "", a.text or "", a.lang,
                 a.published, a.republished is not None) for a in arts])
        except Exception as e:  # a broken pool: the passes compute the rows themselves
            log.warning("ingest: dedup features worker unavailable (%s); computing them here", e)
            return None

    def store(arts: list[Article], fut: Any) -> None:
        storage.ensure_sources(a.source for a in arts)
        res = storage.save_articles(arts)
        rep.new += res.new
        rep.updated += res.updated
        rep.unchanged += res.unchanged
        if fut is not None:
            try:
                rows = fut.result()
            except Exception as e:  # a dead worker: the pass computes the rows itself
                log.warning("ingest: dedup features worker failed (%s); computing them here", e)
            else:
                with storage.db.atomic():
                    storage.save_dedup_keys(rows, FEATURE_VERSION)
        link()

    def flush(last: bool = False) -> None:
        if batch:
            arts = list(batch)
            batch.clear()
            pending.append((arts, features(arts)))
        while len(pending) > (0 if last else 1):
            store(*pending.pop(0))

    try:
        for lineno, raw in _lines(Path(path)):
            rep.lines = lineno
            if raw == "\x00bad-utf8":
                rep.errors.append((lineno, "not valid UTF-8"))
                continue
            if not raw.strip():
                continue
            try:
                art = _prepare(parse_line(raw, lineno, today), profiles)
            except LineError as e:
                rep.errors.append((lineno, str(e)))
                continue
            if not seen.add(art.canonical_url):
                rep.errors.append((lineno, f"duplicate URL in this file: {art.canonical_url}"))
                continue
            batch.append(art)
            if len(batch) >= batch_size:
                flush()
        flush(last=True)
        link()  # a database without the index, or changes left by another tool
    finally:
        seen.close()
        release_segmenter()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    s = storage.summary(brief=True)
    rep.stories, rep.multi_version = s["stories"], s["multi_version_stories"]
    return rep
