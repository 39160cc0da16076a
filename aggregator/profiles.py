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

import json
import re
import tomllib
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

from aggregator.langtag import LangTagError, normalize_lang

__all__ = [
    "SiblingRule",
    "SiteProfile",
    "SourcesError",
    "StartPoint",
    "load_sources",
    "profile_toml",
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


# One schema: a [[source]] table sets SiteProfile's fields by their names (``title``,
# ``body``, ``links``, ``drop``, ``sibling``, ``start``...), plus conveniences that
# build fields: ``home`` (homepage + discovery), ``start_urls`` / ``feeds`` /
# ``sitemaps`` with ``lang`` and ``max_pages`` (start points). ``name`` is the key (the
# ``source`` column), ``display_name`` the profile's ``name``;
# ``user_defined`` and ``discover`` are set by the loader. ``profile_toml`` writes any
# profile, bundled ones included, as a table that loads back equal.
_DERIVED = ("key", "user_defined", "discover")
_CONVENIENCE = {"home": "url", "start_urls": "urls", "feeds": "urls", "sitemaps": "urls", "lang": "lang",
                "max_pages": "int", "display_name": "str"}
_KINDS = {"str": "str", "str | None": "str", "tuple[str, ...]": "strs", "bool": "bool", "float": "number",
          "int": "int", "SiblingRule | None": "sibling", "tuple[StartPoint, ...]": "start"}
_REGEXES = ("article_pattern", "drop_lines")
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,40}$")
_URL_RE = re.compile(r"^https?://[^/\s]+")


def _schema() -> dict[str, str]:
    kinds = {f.name: _KINDS[str(f.type)] for f in fields(SiteProfile) if f.name not in _DERIVED}
    return {**kinds, **_CONVENIENCE}  # "name" stays: the key, a str


def _check(key: str, kind: str, value: object) -> str | None:
    """What is wrong with ``value`` for a key of ``kind`` (None when it is fine)."""
    if kind in ("str", "url", "lang"):
        if not isinstance(value, str):
            return f"expected str, got {type(value).__name__}"
        if kind == "url" and not _URL_RE.match(value):
            return "expected an http(s) URL"
        if kind == "lang":  # BCP 47 as users write it: zh-CN, zh-TW, en-US, any case
            try:
                normalize_lang(value)
            except LangTagError as e:
                return str(e)
    elif kind in ("strs", "urls"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"expected list of strings, got {type(value).__name__}"
        if kind == "urls" and not all(_URL_RE.match(v) for v in value):
            return "expected a list of http(s) URLs"
    elif kind == "bool" and not isinstance(value, bool):
        return f"expected bool, got {type(value).__name__}"
    elif kind in ("int", "number") and (isinstance(value, bool) or not isinstance(
            value, (int,) if kind == "int" else (int, float))):
        return f"expected {'int' if kind == 'int' else 'number'}, got {type(value).__name__}"
    elif kind == "sibling" and not (isinstance(value, dict) and isinstance(value.get("pattern"), str)
                                    and set(value) <= {"pattern", "max_gap"}
                                    and isinstance(value.get("max_gap", 2), int)):
        return "expected a table {pattern = '...', max_gap = N}"
    elif kind == "start":
        if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
            return "expected an array of tables {url, kind, lang, max_pages}"
        for t in value:
            if set(t) - {"url", "kind", "lang", "max_pages"} or not _URL_RE.match(str(t.get("url", ""))):
                return "each start point needs an http(s) url (keys: url, kind, lang, max_pages)"
            if t.get("kind", "listing") not in START_KINDS or t.get("lang", LANGS[0]) not in LANGS:
                return f"start kind must be one of {', '.join(START_KINDS)}, lang one of {', '.join(LANGS)}"
    return _check_value(key, value)


def _check_value(key: str, value: object) -> str | None:
    """Regexes compile and languages are known. Values of any profile, bundled or TOML,
    are checked further by ``aggregator.validate.check_profile`` (CSS selectors, time
    zone, encoding, number ranges, risky regexes) before a crawl."""
    items = value if isinstance(value, list) else [value]
    if key in _REGEXES or key == "sibling":
        for v in items:
            try:
                re.compile(v["pattern"] if isinstance(v, dict) else str(v))
            except re.error as e:
                return f"bad regex: {e}"
    if key == "languages" and not set(items) <= set(LANGS):
        return f"expected languages from {', '.join(LANGS)}"
    return None


def _profile(entry: dict, file_name: str) -> SiteProfile:
    """The SiteProfile of a checked [[source]] table."""
    name, home, lang = entry["name"], entry.get("home"), entry.get("lang")
    lang = normalize_lang(lang) if lang is not None else None
    script_unknown = lang == "zh"  # Chinese, script left to detection per page
    if script_unknown:
        lang = None
    max_pages = entry.get("max_pages", 3)
    start = tuple([StartPoint(t["url"], t.get("kind", "listing"), t.get("lang"), t.get("max_pages", 3))
                   for t in entry.get("start", [])]
                  + [StartPoint(u, "listing", lang, max_pages) for u in entry.get("start_urls", [])]
                  + [StartPoint(u, "feed", lang) for u in entry.get("feeds", [])]
                  + [StartPoint(u, "sitemap", lang) for u in entry.get("sitemaps", [])])
    urls = ([home] if home else []) + [sp.url for sp in start]
    hosts = sorted({(urlsplit(u).hostname or "").lower() for u in urls})
    given = {k: v for k, v in entry.items() if k in _schema() and k not in _CONVENIENCE and k not in ("start", "name")}
    given["name"] = entry.get("display_name", name)
    for k, v in given.items():
        if isinstance(v, list):
            given[k] = tuple(v)
    if isinstance(given.get("sibling"), dict):
        given["sibling"] = SiblingRule(**given["sibling"])
    if "download_delay" in given:
        given["download_delay"] = float(given["download_delay"])
    given.setdefault("homepage", home or f"{urlsplit(urls[0]).scheme}://{hosts[0]}/")
    given.setdefault("languages", ("zh-Hans", "zh-Hant") if script_unknown else (lang,) if lang else ("en", "zh-Hans"))
    given.setdefault("domains", tuple(sorted({h[4:] if h.startswith("www.") else h for h in hosts})))
    given.setdefault("article_pattern", "")
    given.setdefault("notes", f"user-defined in {file_name}")
    return SiteProfile(key=name, start=start, user_defined=True, discover=bool(home), **given)


def profile_toml(profile: SiteProfile) -> str:
    """``profile`` as a [[source]] table that ``load_sources`` turns back into it (with
    ``user_defined`` set): one schema for bundled and user-defined sources."""
    defaults = {f.name: f.default for f in fields(SiteProfile) if f.default is not MISSING}
    out = ["[[source]]", f"name = {_toml(profile.key)}"]
    if profile.discover:
        out.append(f"home = {_toml(profile.homepage)}")
    for f in fields(SiteProfile):
        value = getattr(profile, f.name)
        if f.name in _DERIVED or (f.name in defaults and value == defaults[f.name]) or (f.name == "name" and value == profile.key):
            continue
        if f.name == "name":
            out.append(f"display_name = {_toml(value)}")
            continue
        if f.name == "start":
            value = [{k: v for k, v in vars(sp).items() if v is not None} for sp in value]
        elif f.name == "sibling":
            value = vars(value)
        elif f.name == "homepage" and profile.discover:
            continue
        out.append(f"{f.name} = {_toml(value)}")
    return "\n".join(out) + "\n"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


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
    extra = set(data) - {"source", "monitors"}  # [monitors]: health thresholds (aggregator.monitors)
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

        schema = _schema()
        for key, value in entry.items():
            if key not in schema:
                raise fail(key, f"unknown key (allowed: {', '.join(sorted(schema))})")
            problem = _check(key, schema[key], value)
            if problem:
                raise fail(key, problem)
        if "name" not in entry:
            raise fail(None, "missing required key 'name'")
        name = entry["name"]
        if not _NAME_RE.match(name):
            raise fail("name", "use lowercase letters, digits, '-' or '_' (max 41 chars)")
        if name in names:
            raise fail("name", f"duplicate source name {name!r}")
        names.add(name)
        if not any(entry.get(k) for k in ("home", "start", "start_urls", "feeds", "sitemaps")):
            raise fail(None, "needs at least one of home, start_urls, feeds, sitemaps")
        profiles.append(_profile(entry, p.name))
    return profiles
