"""The one generic spider: feeds, sitemaps, listings with bounded pagination, articles.

Per-site modules in ``spiders/`` only declare a ``SiteProfile`` and subclass
``ProfileSpider``; all parsing happens here and in ``aggregator.extract``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import scrapy
from lxml import etree
from scrapy import signals
from scrapy.http import Response, TextResponse

from aggregator.archive import ArchiveWriter
from aggregator.bounds import MAX_ENTRIES, MAX_QUEUED_PER_SOURCE, newest_first
from aggregator.clean.dom import is_junk
from aggregator.dedup.urls import strip_tracking
from aggregator.discovery import Plan
from aggregator.extract.encoding import decode_html
from aggregator.faults import attempts, describe_failure
from aggregator.html import ParseError, css, parse_html
from aggregator.incremental import CrawlState
from aggregator.mirror import apply_mirror_settings
from aggregator.pagekind import non_article_reason
from aggregator.paging import next_page
from aggregator.probe import DiscoveryMixin, Probe, plan_profile
from aggregator.profiles import SiteProfile, StartPoint
from aggregator.text import collapse_ws, text_units
from aggregator.workers import SHARE_BACKLOG, PagePool, WorkerDied, default_workers, tune_gc

__all__ = ["ProfileSpider"]

# An article link from a listing needs an anchor text at least this long (reading units):
# menu and pager links are 1-4 units, headlines in the mirror 8+.
MIN_ANCHOR_UNITS = 6
# Nested sitemap indexes followed below a sitemap start point: real sites use one level
# (index -> sitemaps), a few two; deeper is a generated chain (docs/reliability.md).
MAX_SITEMAP_DEPTH = 2
_ARTICLE_PATH = re.compile(r"(?:\d{3,}|[a-z0-9]+(?:[-_][a-z0-9]+){2,}).*?(?:\.s?html?|\.php|/)?$", re.I)


class _DigestLookup:
    """``ArchiveWriter``'s look-up of a payload already archived by an earlier run: a
    read-only connection of its own, opened on first use (the file may be new)."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.conn: Any = None

    def __call__(self, digest: str) -> tuple[str, str, str] | None:
        import sqlite3

        try:
            if self.conn is None:
                if not Path(self.db).is_file():
                    return None
                self.conn = sqlite3.connect(f"{Path(self.db).resolve().as_uri()}?mode=ro", uri=True,
                                            check_same_thread=False)
            row = self.conn.execute("select record_id, uri, date from archive_records where digest = ?"
                                    " and type = 'response' order by id limit 1", [digest]).fetchone()
        except sqlite3.Error:  # no index yet (a database older than m180): store the body
            return None
        return (row[0], row[1], row[2]) if row else None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _polite(settings: Any) -> bool:
    """Requests are delayed per host (a live crawl; the mirror drops the delays)."""
    slots = settings.getdict("DOWNLOAD_SLOTS") or {}
    return settings.getfloat("DOWNLOAD_DELAY", 0) > 0 or any(
        float((s or {}).get("delay", 0) or 0) > 0 for s in slots.values())


def _charset(response: Response) -> str | None:
    ct = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    m = re.search(r"charset=([\w\-:.]+)", ct, re.I)
    return m.group(1) if m else None


class ProfileSpider(DiscoveryMixin, scrapy.Spider):
    """Crawls every profile it is given (one by default: its class's ``profile``)."""

    name = "lednews"
    profile: ClassVar[SiteProfile | None] = None
    archive: ArchiveWriter | None
    archive_failed: bool

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("profile") is not None:
            cls.name = cls.profile.key  # type: ignore[union-attr]

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        apply_mirror_settings(settings)
        if not settings.get("AGGREGATOR_MIRROR_DIR") and cls.profile is not None:
            settings.set("DOWNLOAD_DELAY", cls.profile.download_delay, priority="spider")
        if settings.get("AGGREGATOR_CONTACT_URL"):  # `scrapy crawl SITE -s AGGREGATOR_CONTACT_URL=...`
            from aggregator.politeness import user_agent

            settings.set("USER_AGENT", user_agent(None, settings.get("AGGREGATOR_CONTACT_URL")),
                         priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider._callback_failed, signal=signals.spider_error)
        workers = crawler.settings.get("AGGREGATOR_WORKERS")
        spider.pages = PagePool(default_workers(_polite(crawler.settings)) if workers in (None, "", "auto")
                                else int(workers),
                                crawler.settings.getint("AGGREGATOR_SHARE_BACKLOG", SHARE_BACKLOG))
        spider.probe_only = crawler.settings.getbool("AGGREGATOR_PROBE_ONLY")
        spider.archive = spider._archive_writer(crawler.settings)
        spider.pages.start()  # it boots while Scrapy sets up and reads robots.txt and sitemaps
        crawler.signals.connect(spider.pages.close, signal=signals.spider_closed)
        tune_gc()  # after the imports and settings, before the first response
        return spider

    def _archive_writer(self, settings: Any) -> ArchiveWriter | None:
        """The raw archive beside the database (aggregator/archive), unless turned off
        (AGGREGATOR_ARCHIVE = False) or nothing is stored (`lednews add-source`)."""
        db = settings.get("AGGREGATOR_DB")
        if not db or self.probe_only or not settings.getbool("AGGREGATOR_ARCHIVE", True):
            return None
        from aggregator.archive import archive_dir

        return ArchiveWriter(archive_dir(db), int(settings.getfloat("AGGREGATOR_ARCHIVE_MAX_FILE_MB", 1024)
                                                  * 1024 * 1024), lookup=_DigestLookup(db), background=True)

    def _archive(self, response: Response, kind: str, profile: SiteProfile) -> None:
        """Keep the response in the raw archive (its index row is stored with the next batch)."""
        if self.archive is None:
            return
        headers = [(k.decode("latin-1"), v.decode("latin-1"))
                   for k, vs in response.headers.items() for v in vs]
        if self.archive.error is not None:  # disk full, a permission: the crawl goes on without it
            if not self.archive_failed:
                self.archive_failed = True
                self.record_error(profile.key, response.url, f"archive: {self.archive.error}; "
                                  "no more pages archived in this run")
            return
        self.archive.write(response.url, response.status, headers, response.body, kind=kind,
                           source=profile.key, lang_hint=response.meta.get("lang"),
                           feed_date=response.meta.get("feed_date"))

    def _dropped(self, request: scrapy.Request, spider: Any = None) -> None:
        """The duplicate filter drops a redirect back into its own chain silently: record it."""
        chain = request.meta.get("redirect_urls") or []
        if request.url in chain:
            self.record_error(request.meta.get("profile", "?"), chain[0], f"redirect loop ({len(chain)} hops)")

    def __init__(self, *args: Any, profiles: list[SiteProfile] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plist = profiles if profiles is not None else ([self.profile] if self.profile else [])
        self.profiles: dict[str, SiteProfile] = {p.key: p for p in plist}
        self.allowed_domains = sorted({d for p in plist for d in p.domains})
        self.errors: list[tuple[str, str, str, int]] = []  # (source, url, reason, attempts)
        self.state = CrawlState()  # loaded from the database when the crawl starts
        self.pages = PagePool(0)  # from_crawler sets the configured pool
        self.archive = None  # from_crawler opens it (aggregator/archive)
        self.archive_failed = False  # its error is recorded once
        self.probes: dict[str, Probe] = {}  # discovery of home-URL sources (aggregator.probe)
        self.plans: dict[str, Plan] = {}  # plans settled in this crawl, saved at close
        self.stored_plans: dict[str, Plan] = {}  # plans of earlier crawls
        self.rejected: list[tuple[str, str, str]] = []  # (source, url, why): fetched, not articles
        self.asked_now: set[str] = set()  # article URLs requested in this run
        # fetched_urls rows, stored in the transaction of their article (by canonical URL)
        # or of their error row (aggregator.pipelines): nothing is marked seen unstored
        self.fetched_rows: dict[str, list[dict[str, Any]]] = {}
        self.error_fetched: list[dict[str, Any]] = []
        self.state_saved_by_pipeline = False
        self.entries_taken: dict[str, int] = {}  # per feed/sitemap start point (aggregator.bounds)
        self.queued: dict[str, int] = {}  # article requests per source in this run

    # helpers -------------------------------------------------------------------
    def _stat(self, key: str, n: int = 1) -> None:
        if getattr(self, "crawler", None) is not None:
            self.crawler.stats.inc_value(f"lednews/{key}", n)

    def record_error(self, source: str, url: str, reason: str, tries: int = 1,
                     fetched: list[dict[str, Any]] | None = None) -> None:
        self.errors.append((source, url, reason, tries))
        if fetched:
            self.error_fetched.extend(fetched)
        self._stat("errors")
        self._stat(f"errors/{source}")
        self.logger.warning("%s: %s (%s)", source, reason, url)

    def _callback_failed(self, failure: Any, response: Response, spider: Any) -> None:
        """An exception inside one of our callbacks (a bug, or an environment problem such
        as a missing module): Scrapy logs it and goes on, so the run used to end "finished",
        exit 0, "0 errors" with nothing stored. Recorded as an error row of the page's
        source (its URL is not marked seen, so the next run fetches it again) and counted
        in ``lednews/internal_errors``; the CLI then exits 1 with one line."""
        if spider is not self:
            return
        exc = failure.value
        first = (str(exc).splitlines() or [""])[0][:160]
        source = response.meta.get("profile", "?") if response is not None else "?"
        self._stat("internal_errors")
        self.record_error(source, getattr(response, "url", "?"),
                          f"internal error: {type(exc).__name__}{': ' + first if first else ''}")

    def _errback(self, failure: Any) -> None:
        request = failure.request
        reason = describe_failure(failure.value, request.meta, failure.getErrorMessage())
        resp = getattr(failure.value, "response", None)
        fetched = None
        if resp is not None and request.callback == self.parse_article:  # a gone page is not asked for again
            fetched = self.state.mark_fetched(self._asked_urls(resp), request.meta.get("profile", "?"),
                                              resp.status, request.meta.get("feed_date"))
        self.record_error(request.meta.get("profile", "?"), request.url, reason, attempts(request.meta),
                          fetched=fetched)

    def _req(self, url: str, callback: Any, profile: SiteProfile, **meta: Any) -> scrapy.Request:
        url = strip_tracking(url)
        host = (urlsplit(url).hostname or "").lower()
        # one download slot per profile domain, so DOWNLOAD_SLOTS' per-profile delay and
        # concurrency apply to www. and other subdomains too
        slot = next((d for d in sorted(profile.domains, key=len, reverse=True)
                     if host == d or host.endswith("." + d)), None)
        if slot:
            meta.setdefault("download_slot", slot)
        return scrapy.Request(url, callback=callback, errback=self._errback,
                              meta={"profile": profile.key, **meta})

    def _doc(self, response: Response, profile: SiteProfile) -> etree._Element | None:
        text, _how = decode_html(response.body, _charset(response), profile.encoding)
        try:
            return parse_html(text)
        except ParseError as e:
            self.record_error(profile.key, response.url, f"unparseable page: {e}")
            return None

    def is_article(self, profile: SiteProfile, url: str) -> bool:
        if profile.article_pattern:
            return bool(profile.article_re.search(url))
        parts = urlsplit(url)
        return profile.owns(url) and bool(_ARTICLE_PATH.search(parts.path.rsplit("/", 1)[-1] or parts.path))

    # incremental state (aggregator.incremental) ------------------------------------
    def _load_state(self) -> None:
        settings = getattr(getattr(self, "crawler", None), "settings", None)
        if settings is not None and settings.get("AGGREGATOR_DB"):
            self.state = CrawlState.load(settings.get("AGGREGATOR_DB"),
                                         settings.getbool("AGGREGATOR_REFRESH"))
            if any(p.discover for p in self.profiles.values()) and Path(settings.get("AGGREGATOR_DB")).is_file():
                from aggregator.storage import Storage

                storage = Storage(settings.get("AGGREGATOR_DB"))
                try:
                    self.stored_plans = {k: Plan.from_json(v) for k, v in storage.discovery_plans().items()}
                finally:
                    storage.close()

    def closed(self, reason: str) -> None:
        if self.archive is not None:
            self.archive.close()  # its last index rows are stored by StorePipeline's final flush
        settings = getattr(getattr(self, "crawler", None), "settings", None)
        if settings is not None and settings.get("AGGREGATOR_DB") and not self.probe_only:
            if not self.state_saved_by_pipeline:
                self.state.save(settings.get("AGGREGATOR_DB"))
            if self.plans:
                from aggregator.storage import Storage

                storage = Storage(settings.get("AGGREGATOR_DB"))
                try:
                    storage.save_discovery_plans({k: (p.home, p.to_json()) for k, p in self.plans.items()})
                finally:
                    storage.close()

    def _setting(self, name: str, default: int) -> int:
        settings = getattr(getattr(self, "crawler", None), "settings", None)
        return settings.getint(name, default) if settings is not None else default

    def _wanted(self, profile: SiteProfile, url: str, feed_date: str | None = None) -> bool:
        if self.state.wants(url, profile.key, (feed_date or "").strip() or None):
            n = self.queued[profile.key] = self.queued.get(profile.key, 0) + 1
            cap = self._setting("AGGREGATOR_MAX_QUEUED_PER_SOURCE", MAX_QUEUED_PER_SOURCE)
            if n <= cap:
                self.asked_now.add(url)
                return True
            if n == cap + 1:  # one error row, not one per URL left out
                self.record_error(profile.key, url, f"more than {cap} article requests in one run "
                                  "(AGGREGATOR_MAX_QUEUED_PER_SOURCE); the rest are left for the next run")
            self._stat(f"over_queue_cap/{profile.key}")
            return False
        self._stat(f"skipped_known/{profile.key}")
        self._stat("skipped_known")
        return False

    def _not_modified(self, response: Response, profile: SiteProfile) -> bool:
        """True for a 304 (nothing to parse); records a start URL's validators otherwise."""
        if response.status == 304:
            self._stat(f"not_modified/{profile.key}")
            self._stat("not_modified")
            return True
        start = response.meta.get("start")
        if start and response.meta.get("page", 1) == 1 and response.status == 200:
            h = response.headers
            self.state.mark_start(start, profile.key,
                                  (h.get(b"ETag") or b"").decode("latin-1") or None,
                                  (h.get(b"Last-Modified") or b"").decode("latin-1") or None)
        return False

    @staticmethod
    def _asked_urls(response: Response) -> list[str]:
        return [*response.meta.get("redirect_urls", []), response.url]

    # start ---------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        self._load_state()
        for profile in list(self.profiles.values()):
            if profile.discover and not profile.start:  # known by its home URL only
                plan = None if self.probe_only else self.stored_plans.get(profile.key)
                if plan is None or plan.home != profile.homepage or not (plan.feeds or plan.sitemaps or plan.listings):
                    for req in self.discovery_start(profile):
                        yield req
                    continue
                profile = self.profiles[profile.key] = plan_profile(profile, plan)
            for sp in profile.start:
                yield self._start_request(profile, sp)
        for key, url in self.state.orphans:  # versions a failed run stored no page for
            orphan_profile = self.profiles.get(key)
            if orphan_profile is not None and orphan_profile.owns(url) and self._wanted(orphan_profile, url):
                yield self._req(url, self.parse_article, orphan_profile, via_alternate=True)

    def _start_request(self, profile: SiteProfile, sp: StartPoint) -> scrapy.Request:
        callback = {"feed": self.parse_feed, "sitemap": self.parse_sitemap}.get(sp.kind, self.parse_listing)
        req = self._req(sp.url, callback, profile, lang=sp.lang, page=1, max_pages=sp.max_pages,
                        start=sp.url, handle_httpstatus_list=[304])
        for name, value in self.state.request_headers(req.url).items():
            req.headers[name] = value
        req.meta["start"] = req.url
        req.priority = 10  # start points before articles
        return req

    # feeds and sitemaps ----------------------------------------------------------
    def _xml(self, response: Response, profile: SiteProfile) -> etree._Element | None:
        try:
            root = etree.fromstring(response.body, etree.XMLParser(recover=True, resolve_entities=False,
                                                                    no_network=True, huge_tree=False))
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            self.record_error(profile.key, response.url, "feed/sitemap is not XML")
        return root

    def _bounded(self, response: Response, profile: SiteProfile,
                 entries: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
        """The newest entries this start point may still take (aggregator.bounds)."""
        start = response.meta.get("bound_key") or response.url  # nested sitemaps share their start's
        cap = self._setting("AGGREGATOR_MAX_ENTRIES", MAX_ENTRIES)
        room = max(0, cap - self.entries_taken.get(start, 0))
        kept, left = newest_first(entries, room)
        self.entries_taken[start] = self.entries_taken.get(start, 0) + len(kept)
        if left:
            self.record_error(profile.key, response.url, f"{left} older entries over the {cap} per start point "
                              "(AGGREGATOR_MAX_ENTRIES) left for later runs")
            self._stat(f"entries_left/{profile.key}", left)
        return kept

    def parse_feed(self, response: Response) -> Iterator[Any]:
        profile = self.profiles[response.meta["profile"]]
        if self._not_modified(response, profile):
            return
        self._archive(response, "feed", profile)
        root = self._xml(response, profile)
        if root is None:
            return
        n = 0
        entries: list[tuple[str, str | None]] = []
        for item in root.iter("item", "{*}item", "{*}entry"):
            link = item.findtext("link") or item.findtext("{*}link")
            if not link:
                el = item.find("{*}link")
                link = el.get("href") if el is not None else None
            date = (item.findtext("pubDate") or item.findtext("{*}published")
                    or item.findtext("{*}updated") or item.findtext("{http://purl.org/dc/elements/1.1/}date"))
            if not link:
                continue
            url = strip_tracking(urljoin(response.url, link.strip()))
            if not self.is_article(profile, url):
                self._stat(f"skipped_links/{profile.key}")
                continue
            n += 1
            entries.append((url, date))
        for url, date in self._bounded(response, profile, entries):
            if self._wanted(profile, url, date):
                yield self._req(url, self.parse_article, profile, lang=response.meta.get("lang"),
                                feed_date=(date or "").strip() or None)
        self._stat(f"feed_items/{profile.key}", n)
        if n == 0:
            self.record_error(profile.key, response.url, "feed has no article links")

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        profile = self.profiles[response.meta["profile"]]
        if self._not_modified(response, profile):
            return
        self._archive(response, "sitemap", profile)
        root = self._xml(response, profile)
        if root is None:
            return
        depth = response.meta.get("sitemap_depth", 0)
        for sm in root.iter("{*}sitemap"):
            loc = sm.findtext("{*}loc")
            if loc and depth >= MAX_SITEMAP_DEPTH:
                self.record_error(profile.key, loc.strip(), f"sitemap nested deeper than {MAX_SITEMAP_DEPTH}; not followed")
            elif loc:
                yield self._req(loc.strip(), self.parse_sitemap, profile, lang=response.meta.get("lang"),
                                sitemap_depth=depth + 1,
                                bound_key=response.meta.get("bound_key") or response.url)
        entries: list[tuple[str, str | None]] = []
        for u in root.iter("{*}url"):
            loc = strip_tracking((u.findtext("{*}loc") or "").strip())
            if not loc or not self.is_article(profile, loc):
                continue
            self._stat(f"sitemap_links/{profile.key}")
            entries.append((loc, (u.findtext("{*}lastmod") or "").strip() or None))
        for loc, lastmod in self._bounded(response, profile, entries):
            if self._wanted(profile, loc, lastmod):
                yield self._req(loc, self.parse_article, profile, lang=response.meta.get("lang"),
                                feed_date=lastmod)

    # listings --------------------------------------------------------------------
    def parse_listing(self, response: Response) -> Iterator[Any]:
        profile = self.profiles[response.meta["profile"]]
        if self._not_modified(response, profile):
            return
        if not isinstance(response, TextResponse):
            self.record_error(profile.key, response.url, "listing is not a text page")
            return
        doc = self._doc(response, profile)
        if doc is None:
            return
        areas = css(doc, profile.links) if profile.links else [doc]
        if profile.links and not areas:
            self.logger.warning("%s: links selector %r missed on %s; using the whole page",
                                profile.key, profile.links, response.url)
            self._stat(f"fallbacks/{profile.key}")
            areas = [doc]
        seen: set[str] = set()
        unseen = known = 0
        for area in areas:
            for a in area.iter("a"):
                href = (a.get("href") or "").strip()
                if not href or href.startswith(("#", "javascript:", "mailto:")):
                    continue
                url = strip_tracking(urljoin(response.url, href))
                if url in seen or not self.is_article(profile, url):
                    continue
                if not profile.article_pattern and not self._looks_like_headline(a):
                    continue
                seen.add(url)
                if self._wanted(profile, url):
                    unseen += 1
                    yield self._req(url, self.parse_article, profile, lang=response.meta.get("lang"))
                elif url not in self.asked_now:  # known from an earlier run
                    known += 1
        self._stat(f"listing_links/{profile.key}", len(seen))
        if not seen:
            self.record_error(profile.key, response.url, "listing page has no article links")
        page = response.meta.get("page", 1)
        # no unseen article: stop paging (unless the last run did not store all it fetched).
        # A discovered listing is newest first (what discovery saw), so one known article on
        # the page means the newer ones were all before it: stop there too.
        more = unseen and not (profile.discover and known)
        if (more or self.state.catch_up) and page < response.meta.get("max_pages", 1):
            nxt = next_page(doc, response.url, css(doc, profile.next_page) if profile.next_page else None)
            if nxt:
                yield self._req(nxt, self.parse_listing, profile, lang=response.meta.get("lang"),
                                page=page + 1, max_pages=response.meta["max_pages"],
                                start=response.meta.get("start"))

    @staticmethod
    def _looks_like_headline(a: etree._Element) -> bool:
        node = a
        while node is not None:
            if node.tag in ("nav", "header", "footer", "aside") or is_junk(node):
                return False
            node = node.getparent()
        return text_units(collapse_ws(a.text_content())) >= MIN_ANCHOR_UNITS

    def _not_an_article(self, response: Response, profile: SiteProfile) -> bool:
        """Product, job, download and listing pages of a discovered source: counted, never stored."""
        doc = self._doc(response, profile)
        why = non_article_reason(doc, response.url) if doc is not None else None
        if why is None:
            return False
        self.rejected.append((profile.key, response.url, why))
        self._stat(f"rejected/{profile.key}")
        self._stat("rejected")
        self.logger.info("%s: not an article (%s): %s", profile.key, why, response.url)
        if profile.key in self.probes:
            self.probes[profile.key].plan.rejected.append((response.url, why))
        return True

    # articles --------------------------------------------------------------------
    async def parse_article(self, response: Response) -> AsyncIterator[Any]:
        fetched = self.state.mark_fetched(self._asked_urls(response), response.meta["profile"],
                                          response.status, response.meta.get("feed_date"))
        profile = self.profiles[response.meta["profile"]]
        self._archive(response, "article", profile)
        ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        if not isinstance(response, TextResponse) or (ctype and "html" not in ctype and "xml" not in ctype):
            self.record_error(profile.key, response.url, f"not an HTML page ({ctype or 'unknown type'})",
                              fetched=fetched)
            return
        if profile.discover and self._not_an_article(response, profile):
            self.error_fetched.extend(fetched)  # settled: not fetched again next time
            return
        try:  # extract, clean, hash: in the page worker (aggregator.workers)
            article, features = await self.pages.page(
                response.body, response.url, profile, _charset(response),
                response.meta.get("lang"), response.meta.get("feed_date"))
        except WorkerDied as e:
            self.record_error(profile.key, response.url, f"extraction failed: {e}", fetched=fetched)
            return
        if isinstance(article, str):
            self.record_error(profile.key, response.url, article, fetched=fetched)
            return
        if any(w.startswith("selector miss") for w in article.warnings):
            self._stat(f"fallbacks/{profile.key}")
            self._stat("fallbacks")
        if self.probe_only:  # `lednews add-source`: a sample for the report, nothing stored
            self.probes[profile.key].samples.append({"url": response.url, "title": article.title,
                                                     "published": article.published})
            return
        self._stat(f"articles/{profile.key}")
        article.dedup_features = features  # StorePipeline stores them with the article
        self.fetched_rows.setdefault(article.canonical_url, []).extend(fetched)
        yield article
        if response.meta.get("via_alternate"):  # one hop: a chain of "versions" is a trap
            return
        for alt in article.alternate_urls:
            if self.is_article(profile, alt) and profile.owns(alt) and self._wanted(profile, alt):
                yield self._req(alt, self.parse_article, profile, via_alternate=True)
