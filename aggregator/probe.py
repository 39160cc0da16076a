"""The discovery crawl of a source known only by its home URL (``SiteProfile.discover``).

A mixin of ``ProfileSpider``: the home page, then in one round the feeds it names (or the
usual feed paths when it names no feed and no news section), robots.txt and its sitemaps,
the news sections of its menu and its other language versions. When every probe request
has answered (``Probe.pending`` back to 0) the plan is settled (``_settle``): article URL
shapes are learned, the profile gets the plan's start points and an ``article_pattern``,
the candidate articles are requested and the news listings paginated. The plan is saved
per source when the crawl closes, so the next crawl starts from it (no home page, no
probing). Decisions are pure functions in ``aggregator.discovery``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from lxml import etree
from scrapy.http import Response, TextResponse

from aggregator.dedup.urls import strip_tracking
from aggregator.discovery import (
    Plan,
    feed_links,
    headline_links,
    language_links,
    learn_shapes,
    more_links,
    news_sections,
    reject_reason,
    usual_feeds,
    usual_sitemaps,
    wanted_sitemap,
)
from aggregator.paging import next_page
from aggregator.profiles import SiteProfile, StartPoint

__all__ = ["DiscoveryMixin", "Probe", "plan_profile"]

# Sitemap entries taken on a first crawl, newest first (by lastmod): a company site's news
# sitemap holds tens to hundreds; the rest of an archive is left to later crawls' listings.
MAX_SITEMAP_ENTRIES = 300
MAX_SITEMAP_CHILDREN = 5  # children of a sitemap index read (WordPress has 3-6, one holds posts)
LISTING_PAGES = 3  # pagination bound of discovered listings, as StartPoint.max_pages
SAMPLE_ARTICLES = 5  # articles fetched by `lednews add-source` / `sources check` for the report


@dataclass
class Probe:
    profile: SiteProfile
    plan: Plan
    pending: int = 0
    settled: bool = False
    trusted: dict[str, str | None] = field(default_factory=dict)  # feed items: url -> date
    sitemap_urls: dict[str, str | None] = field(default_factory=dict)  # url -> lastmod
    listed: list[str] = field(default_factory=list)  # headline links of news listings
    home_links: list[str] = field(default_factory=list)
    listings: list[tuple[str, str | None, Any]] = field(default_factory=list)  # (url, lang, doc)
    homes: list[tuple[str, str | None, Any]] = field(default_factory=list)
    asked: set[str] = field(default_factory=set)
    feeds_with_items: list[str] = field(default_factory=list)
    sitemap_of: dict[str, str] = field(default_factory=dict)  # article url -> sitemap
    samples: list[dict[str, Any]] = field(default_factory=list)  # add-source report
    started: float = field(default_factory=time.monotonic)


def plan_profile(profile: SiteProfile, plan: Plan) -> SiteProfile:
    """The profile a settled plan crawls with: its start points and learned pattern."""
    start = ([StartPoint(u, "feed") for u in plan.feeds] + [StartPoint(u, "sitemap") for u in plan.sitemaps]
             + [StartPoint(u, "listing", lang, LISTING_PAGES) for u, lang in plan.listings])
    return replace(profile, start=tuple(start), article_pattern=plan.pattern)


def _site_root(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}/"


class DiscoveryMixin:
    """Callbacks of the discovery crawl; ``ProfileSpider`` provides ``_req``, ``_doc``,
    ``_xml``, ``_wanted``, ``_stat``, ``profiles`` and the article/listing callbacks."""

    probes: dict[str, Probe]
    plans: dict[str, Plan]
    probe_only: bool = False

    # requests -------------------------------------------------------------------------
    def _probe_req(self, probe: Probe, url: str, callback: Any, **meta: Any) -> scrapy.Request | None:
        url = strip_tracking(url)
        if url in probe.asked or not probe.profile.owns(url):
            return None
        probe.asked.add(url)
        probe.pending += 1
        self._stat(f"discovery_requests/{probe.profile.key}")  # type: ignore[attr-defined]
        # no handle_httpstatus_*: redirects (http -> https, / -> /en/) must be followed;
        # a 404 on a guessed path arrives in _probe_failed
        req = self._req(url, callback, probe.profile, probe=True, **meta)  # type: ignore[attr-defined]
        return req.replace(errback=self._probe_failed, dont_filter=True, priority=20)

    def _probe_failed(self, failure: Any) -> Iterator[Any]:
        request = failure.request
        probe = self.probes[request.meta["profile"]]
        resp = getattr(failure.value, "response", None)
        probe.plan.step(f"{request.url}: " + (f"HTTP {resp.status}" if resp is not None else failure.getErrorMessage()[:80]))
        yield from self._probe_done(probe)

    def _probe_done(self, probe: Probe) -> Iterator[Any]:
        probe.pending -= 1
        if probe.pending == 0 and not probe.settled:
            probe.settled = True
            yield from self._settle(probe)

    def _probe_of(self, response: Response) -> tuple[Probe, bool]:
        probe = self.probes[response.meta["profile"]]
        ok = response.status == 200
        if not ok:
            probe.plan.step(f"{response.url}: HTTP {response.status}")
        return probe, ok

    def _probe_doc(self, response: Response, probe: Probe) -> etree._Element | None:
        if not isinstance(response, TextResponse):
            return None
        return self._doc(response, probe.profile)  # type: ignore[attr-defined]

    def discovery_start(self, profile: SiteProfile) -> Iterator[scrapy.Request]:
        plan = Plan(profile.key, profile.homepage)
        probe = self.probes[profile.key] = Probe(profile, plan)
        plan.step(f"home page {profile.homepage}")
        req = self._probe_req(probe, profile.homepage, self.parse_home, main=True)
        if req is not None:
            yield req

    # home pages -------------------------------------------------------------------------
    def parse_home(self, response: Response) -> Iterator[Any]:
        probe, ok = self._probe_of(response)
        doc = self._probe_doc(response, probe) if ok else None
        if doc is not None:
            yield from self._read_home(probe, response, doc)
        yield from self._probe_done(probe)

    def _read_home(self, probe: Probe, response: Response, doc: Any) -> Iterator[Any]:
        plan, url, lang = probe.plan, response.url, response.meta.get("lang")
        main = response.meta.get("main", False)
        probe.homes.append((url, lang, doc))
        probe.asked.add(url)  # where a redirect ended
        probe.home_links += headline_links(doc, url)
        feeds = feed_links(doc, url)
        sections = news_sections(doc, url)
        plan.step(f"{url}: {len(feeds)} feed(s) in <head>, {len(sections)} news section(s) in the menu"
                  + (f" ({', '.join(sections)})" if sections else ""))
        if main and not feeds and not sections:
            plan.step("no feed and no news section named: trying the usual feed paths")
            feeds = usual_feeds(url)
        for f in feeds:
            req = self._probe_req(probe, f, self.parse_probe_feed, lang=lang)
            if req is not None:
                yield req
        for s in sections:
            req = self._probe_req(probe, s, self.parse_probe_listing, lang=lang)
            if req is not None:
                yield req
        if main:
            req = self._probe_req(probe, urljoin(_site_root(url), "/robots.txt"), self.parse_probe_robots,
                                  guess=not feeds and not sections)
            if req is not None:
                yield req
            for alt, alt_lang in language_links(doc, url):
                plan.step(f"language version {alt_lang}: {alt}")
                plan.languages.append((alt, alt_lang))
                req = self._probe_req(probe, alt, self.parse_home, lang=alt_lang)
                if req is not None:
                    yield req

    # feeds, robots.txt, sitemaps ------------------------------------------------------------
    def parse_probe_feed(self, response: Response) -> Iterator[Any]:
        probe, ok = self._probe_of(response)
        if ok and response.body.lstrip()[:1] == b"<" and b"<html" not in response.body[:500].lower():
            root = self._xml(response, probe.profile)  # type: ignore[attr-defined]
            n = 0
            for item in (root.iter("item", "{*}item", "{*}entry") if root is not None else ()):
                link = item.findtext("link") or item.findtext("{*}link")
                if not link:
                    el = item.find("{*}link")
                    link = el.get("href") if el is not None else None
                if not link:
                    continue
                date = (item.findtext("pubDate") or item.findtext("{*}published") or item.findtext("{*}updated")
                        or item.findtext("{http://purl.org/dc/elements/1.1/}date"))
                u = strip_tracking(urljoin(response.url, link.strip()))
                if probe.profile.owns(u):
                    probe.trusted.setdefault(u, (date or "").strip() or None)
                    n += 1
            probe.plan.step(f"feed {response.url}: {n} item(s)")
            if n:
                probe.feeds_with_items.append(response.url)
        yield from self._probe_done(probe)

    def parse_probe_robots(self, response: Response) -> Iterator[Any]:
        probe, ok = self._probe_of(response)
        maps = []
        if ok:
            text = response.body.decode("utf-8", "replace")
            maps = [m.strip() for m in re.findall(r"(?im)^\s*sitemap\s*:\s*(\S+)", text)]
        probe.plan.step(f"robots.txt: {len(maps)} sitemap(s)")
        if not maps and response.meta.get("guess"):
            maps = usual_sitemaps(response.url)
            probe.plan.step("trying the usual sitemap paths")
        for m in maps:
            req = self._probe_req(probe, m, self.parse_probe_sitemap, sitemap_depth=0)
            if req is not None:
                yield req
        yield from self._probe_done(probe)

    def parse_probe_sitemap(self, response: Response) -> Iterator[Any]:
        probe, ok = self._probe_of(response)
        root = self._xml(response, probe.profile) if ok else None  # type: ignore[attr-defined]
        if root is not None:
            children = [(sm.findtext("{*}loc") or "").strip() for sm in root.iter("{*}sitemap")]
            children = [c for c in children if c]
            wanted = [c for c in children if wanted_sitemap(c)][:MAX_SITEMAP_CHILDREN]
            if children:
                probe.plan.step(f"sitemap index {response.url}: {len(children)} sitemap(s), reading {len(wanted)}")
            depth = response.meta.get("sitemap_depth", 0)
            if depth < 2:  # as MAX_SITEMAP_DEPTH of aggregator.spider
                for c in wanted:
                    req = self._probe_req(probe, c, self.parse_probe_sitemap, sitemap_depth=depth + 1)
                    if req is not None:
                        yield req
            entries = [((u.findtext("{*}loc") or "").strip(), (u.findtext("{*}lastmod") or "").strip() or None)
                       for u in root.iter("{*}url")]
            entries = [(strip_tracking(u), m) for u, m in entries if u]
            entries.sort(key=lambda e: e[1] or "", reverse=True)  # newest first
            if entries:
                probe.plan.step(f"sitemap {response.url}: {len(entries)} URL(s)")
            for u, m in entries[:MAX_SITEMAP_ENTRIES]:
                probe.sitemap_urls.setdefault(u, m)
                probe.sitemap_of.setdefault(u, response.url)
        yield from self._probe_done(probe)

    # news listings ----------------------------------------------------------------------------
    def parse_probe_listing(self, response: Response) -> Iterator[Any]:
        probe, ok = self._probe_of(response)
        doc = self._probe_doc(response, probe) if ok else None
        if doc is not None:
            links = headline_links(doc, response.url)
            probe.listed += links
            probe.listings.append((response.url, response.meta.get("lang"), doc))
            probe.plan.step(f"news listing {response.url}: {len(links)} headline link(s)")
            for f in feed_links(doc, response.url):
                req = self._probe_req(probe, f, self.parse_probe_feed, lang=response.meta.get("lang"))
                if req is not None:
                    yield req
            if not response.meta.get("more"):
                for m in more_links(doc, response.url):
                    req = self._probe_req(probe, m, self.parse_probe_listing, lang=response.meta.get("lang"), more=True)
                    if req is not None:
                        yield req
        yield from self._probe_done(probe)

    # settling ------------------------------------------------------------------------------------
    def _settle(self, probe: Probe) -> Iterator[Any]:
        plan = probe.plan
        self._stat(f"discovery_ms/{probe.profile.key}", round(1000 * (time.monotonic() - probe.started)))  # type: ignore[attr-defined]
        listed = probe.listed or [x for hu, _, d in probe.homes for x in headline_links(d, hu)]
        plan.shapes = learn_shapes(list(probe.trusted), listed)
        rx = re.compile(plan.pattern) if plan.shapes else None
        plan.step(f"article URL shapes: {', '.join(plan.shapes) or 'none learned'}")
        plan.feeds = list(dict.fromkeys(probe.feeds_with_items))
        candidates: dict[str, tuple[str | None, str | None]] = {}  # url -> (feed date, lang)
        for u, d in probe.trusted.items():
            candidates.setdefault(u, (d, None))
        for u, d in probe.sitemap_urls.items():
            candidates.setdefault(u, (d, None))
        for lurl, lang, doc in probe.listings:
            for u in headline_links(doc, lurl):
                candidates.setdefault(u, (None, lang))
        for u in probe.home_links:
            candidates.setdefault(u, (None, None))
        accepted = []
        for u, (d, lang) in candidates.items():
            why = reject_reason(u) or (None if rx is None or rx.search(u) else "not a learned article URL shape")
            if why:
                plan.rejected.append((u, why))
                self._stat(f"rejected_links/{probe.profile.key}")  # type: ignore[attr-defined]
                continue
            accepted.append((u, d, lang))
        listing_urls = [(u, lang) for u, lang, _ in probe.listings]
        if not listing_urls:  # the home page is the news listing (WordPress, Hugo front pages)
            listing_urls = [(u, lang) for u, lang, d in probe.homes if rx is not None
                            and sum(bool(rx.search(x)) for x in headline_links(d, u)) >= 2]
        plan.listings = listing_urls
        # Sitemaps give this crawl the back catalogue; later crawls need only what shows new
        # items, so a sitemap is a start point only when there is no feed and no listing (the
        # same URL with two dates, feed pubDate and sitemap lastmod, would also look changed
        # on every crawl).
        used_maps = {probe.sitemap_of[u] for u, _, _ in accepted if u in probe.sitemap_of}
        if not plan.feeds and not plan.listings:
            plan.sitemaps = [m for m in dict.fromkeys(probe.sitemap_of.values()) if m in used_maps]
        plan.step(f"plan: {len(plan.feeds)} feed(s), {len(plan.sitemaps)} sitemap(s), {len(plan.listings)} listing(s); "
                  f"{len(accepted)} article(s) found, {len(plan.rejected)} link(s) rejected")
        profile = plan_profile(probe.profile, plan)
        self.profiles[profile.key] = profile  # type: ignore[attr-defined]
        probe.profile = profile
        self.plans[profile.key] = plan
        for i, (u, d, lang) in enumerate(accepted):
            if self.probe_only and i >= SAMPLE_ARTICLES:
                break
            if self._wanted(profile, u, d):  # type: ignore[attr-defined]
                yield self._req(u, self.parse_article, profile, lang=lang, feed_date=d)  # type: ignore[attr-defined]
        if self.probe_only:
            return
        docs = {u: (lang, d) for u, lang, d in probe.listings + probe.homes}
        for u, lang in plan.listings:
            nxt = next_page(docs[u][1], u)
            if nxt:
                yield self._req(nxt, self.parse_listing, profile, lang=lang, page=2,  # type: ignore[attr-defined]
                                max_pages=LISTING_PAGES, start=u)
