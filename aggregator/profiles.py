"""Site profiles: what lednews knows about one source, as frozen data.

A profile says where to start, which URLs are articles, and (optionally) where
the title, body, date and author sit on a page. It holds no parsing code: the
generic spider (``aggregator.spider``) and the extractor (``aggregator.extract``)
read it. Every selector is optional and a miss falls back to generic extraction,
recorded in ``Article.extraction_method``.

User-defined sources come from a TOML file (``load_sources``) and become the
same ``SiteProfile`` objects.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from aggregator.langtag import LangTagError, normalize_lang

__all__ = [
    "SiblingRule",
    "SiteProfile",
    "SourcesError",
    "StartPoint",
    "load_sources",
]

START_KINDS = ("feed", "sitemap", "listing")
LANGS = ("en", "zh-Hans", "zh-Hant")


@dataclass(frozen=True)
class StartPoint:
    """One place a crawl begins: a feed, a sitemap or a listing page."""

    url: str
    kind: str = "listing"  # "feed" | "sitemap" | "listing"
    lang: str | None = None  # language of the articles found from here
    max_pages: int = 3  # listing pagination bound (pages followed, this one included)


@dataclass(frozen=True)
class SiblingRule:
    """Cross-language siblings found from URL ids (TrendForce style).

    ``pattern`` is a regex over the article URL with named groups ``key``
    (shared by all language versions, e.g. the YYYYMMDD prefix) and ``seq``
    (a number that differs by at most ``max_gap`` between versions).
    """

    pattern: str
    max_gap: int = 2


@dataclass(frozen=True)
class SiteProfile:
    """Everything lednews knows about one source. Selectors are CSS."""

    key: str  # spider name, also the ``source`` column
    name: str
    homepage: str
    languages: tuple[str, ...]
    domains: tuple[str, ...]
    start: tuple[StartPoint, ...]
    article_pattern: str  # regex (re.search) over the absolute article URL
    title: str | None = None  # element whose text is the headline
    body: str | None = None  # element(s) holding the article body
    date: str | None = None  # element whose text holds the publish date
    author: str | None = None  # element whose text holds the author/editor
    links: str | None = None  # on listing pages: area holding article links
    next_page: str | None = None  # on listing pages: the "next page" link
    alternate: str | None = None  # link to this page's other-language version
    drop: tuple[str, ...] = ()  # elements removed from the body before text
    drop_lines: tuple[str, ...] = ()  # regexes; a matching body line is removed
    body_end: tuple[str, ...] = ()  # a body line starting with one ends the text
    encoding: str | None = None  # forced charset (e.g. "gb18030") when known
    timezone: str = "Asia/Shanghai"
    republished: bool = False  # page dates are republish dates (B2B copies)
    sibling: SiblingRule | None = None
    download_delay: float = 1.0  # seconds between requests to one domain (live runs)
    user_defined: bool = False
    # Known by its home URL (``homepage``): without start points the spider discovers
    # feeds, sitemaps and news listings first (aggregator.probe); fetched pages that are
    # not articles (products, jobs, listings) are counted and never stored.
    discover: bool = False
    notes: str = ""

    @property
    def article_re(self) -> re.Pattern[str]:
        return _compile(self.article_pattern)

    def owns(self, url: str) -> bool:
        """True if ``url``'s host is one of this profile's domains (or a subdomain)."""
        host = url_host(url)
        return any(host == d or host.endswith("." + d) for d in self.domains)


# "scheme://host[:port]" followed by "/", "?", "#" or the end, with a plain host (no
# user info, brackets, spaces or controls): urlsplit(url).hostname is the host in lower
# case. Read so, 0.7 instead of 4 us a URL (extract asks it of every canonical link).
_PLAIN_HOST = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://([A-Za-z0-9.-]+)(?::\d*)?(?=[/?#]|$)")


def url_host(url: str) -> str:
    """``(urlsplit(url).hostname or "").lower()``."""
    m = _PLAIN_HOST.match(url)
    if m:
        return m.group(1).lower()
    return (urlsplit(url).hostname or "").lower()


_RE_CACHE: dict[str, re.Pattern[str]] = {}


def _compile(pattern: str) -> re.Pattern[str]:
    rx = _RE_CACHE.get(pattern)
    if rx is None:
        rx = _RE_CACHE[pattern] = re.compile(pattern)
    return rx


# ---------------------------------------------------------------------------------
# User-defined sources (TOML)

class SourcesError(ValueError):
    """A sources file that cannot be used; the message is one line naming file:line."""


# key -> (type, required)
_SOURCE_KEYS: dict[str, tuple[type | tuple[type, ...], bool]] = {
    "name": (str, True),
    "home": (str, False),
    "start_urls": (list, False),
    "feeds": (list, False),
    "sitemaps": (list, False),
    "article_pattern": (str, False),
    "lang": (str, False),
    "max_pages": (int, False),
    "title": (str, False),
    "body": (str, False),
    "date": (str, False),
    "author": (str, False),
    "next_page": (str, False),
    "encoding": (str, False),
    "timezone": (str, False),
    "download_delay": ((int, float), False),
    "republished": (bool, False),
}
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,40}$")


def _line_of(lines: list[str], index: int, key: str | None) -> int:
    """1-based line of the ``index``-th ``[[source]]`` table (or of ``key`` inside it)."""
    seen, start = -1, 1
    for i, raw in enumerate(lines, 1):
        s = raw.strip()
        if s.startswith("[[source]]"):
            seen += 1
            start = i
            if seen == index and key is None:
                return i
        elif seen == index and key is not None and re.match(rf"{re.escape(key)}\s*=", s):
            return i
        elif seen > index:
            break
    return start if seen >= index else 1


def load_sources(path: str | Path) -> list[SiteProfile]:
    """Parse a sources TOML file into profiles. Raises ``SourcesError`` with a one-line
    ``FILE:LINE: field 'x': problem`` message."""
    p = Path(path)
    try:
        raw = p.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise SourcesError(f"{p}: cannot read sources file: {e}") from e
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        line = m.group(1) if m else "1"
        raise SourcesError(f"{p}:{line}: invalid TOML: {str(e).split(' (at')[0]}") from e
    lines = raw.splitlines()
    extra = set(data) - {"source"}
    if extra:
        key = sorted(extra)[0]
        ln = next((i for i, s in enumerate(lines, 1) if s.strip().startswith((key, f"[{key}"))), 1)
        raise SourcesError(f"{p}:{ln}: field '{key}': unknown top-level key (expected [[source]] tables)")
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise SourcesError(f"{p}:1: field 'source': must be an array of tables ([[source]])")
    profiles: list[SiteProfile] = []
    names: set[str] = set()
    for i, entry in enumerate(entries):
        def fail(key: str | None, msg: str) -> SourcesError:
            return SourcesError(f"{p}:{_line_of(lines, i, key)}: field '{key or 'source'}': {msg}")

        for key, value in entry.items():
            if key not in _SOURCE_KEYS:
                raise fail(key, f"unknown key (allowed: {', '.join(sorted(_SOURCE_KEYS))})")
            typ = _SOURCE_KEYS[key][0]
            if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
                raise fail(key, f"expected {getattr(typ, '__name__', 'number')}, got {type(value).__name__}")
            if isinstance(value, list) and not all(isinstance(u, str) and re.match(r"^https?://", u) for u in value):
                raise fail(key, "expected a list of http(s) URLs")
        if "name" not in entry:
            raise fail(None, "missing required key 'name'")
        name = entry["name"]
        if not _NAME_RE.match(name):
            raise fail("name", "use lowercase letters, digits, '-' or '_' (max 41 chars)")
        if name in names:
            raise fail("name", f"duplicate source name {name!r}")
        names.add(name)
        home = entry.get("home")
        if home is not None and not re.match(r"^https?://[^/\s]+", home):
            raise fail("home", "expected an http(s) URL")
        urls = entry.get("start_urls", []) + entry.get("feeds", []) + entry.get("sitemaps", [])
        if home:
            urls = [home] + urls
        if not urls:
            raise fail(None, "needs at least one of home, start_urls, feeds, sitemaps")
        lang = entry.get("lang")
        if lang is not None:  # BCP 47 as users write it: zh-CN, zh-TW, en-US, any case
            try:
                lang = normalize_lang(str(lang))
            except LangTagError as e:
                raise fail("lang", str(e)) from None
        script_unknown = lang == "zh"  # Chinese, script left to detection per page
        if script_unknown:
            lang = None
        pattern = entry.get("article_pattern", "")
        if pattern:
            try:
                re.compile(pattern)
            except re.error as e:
                raise fail("article_pattern", f"bad regex: {e}") from e
        max_pages = entry.get("max_pages", 3)
        start = tuple(
            [StartPoint(u, "listing", lang, max_pages) for u in entry.get("start_urls", [])]
            + [StartPoint(u, "feed", lang) for u in entry.get("feeds", [])]
            + [StartPoint(u, "sitemap", lang) for u in entry.get("sitemaps", [])]
        )
        hosts = sorted({(urlsplit(u).hostname or "").lower() for u in urls})
        domains = tuple(sorted({h[4:] if h.startswith("www.") else h for h in hosts}))
        profiles.append(SiteProfile(
            key=name, name=name, homepage=home or f"{urlsplit(urls[0]).scheme}://{hosts[0]}/",
            languages=("zh-Hans", "zh-Hant") if script_unknown else (lang,) if lang else ("en", "zh-Hans"),
            domains=domains, start=start,
            article_pattern=pattern, title=entry.get("title"), body=entry.get("body"),
            date=entry.get("date"), author=entry.get("author"), next_page=entry.get("next_page"),
            encoding=entry.get("encoding"), timezone=entry.get("timezone", "Asia/Shanghai"),
            download_delay=float(entry.get("download_delay", 1.0)),
            republished=entry.get("republished", False), user_defined=True, discover=bool(home),
            notes=f"user-defined in {p.name}",
        ))
    return profiles
