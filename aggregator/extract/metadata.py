"""Page metadata read once per page: JSON-LD, OpenGraph/meta, links.

Everything here is a best-effort hint; the extractor decides what wins.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml import html as lxml_html

from aggregator.html import text_of

__all__ = ["PageMeta", "read_meta"]

_ARTICLE_TYPES = {"newsarticle", "article", "blogposting", "reportagenewsarticle",
                  "analysisnewsarticle", "webpage", "pressrelease"}


@dataclass
class PageMeta:
    title: str | None = None  # og:title / twitter:title
    html_title: str | None = None  # <title>
    site_name: str | None = None
    description: str | None = None
    published: str | None = None  # raw string from JSON-LD / meta
    author: str | None = None
    canonical: str | None = None
    html_lang: str | None = None
    alternates: dict[str, str] = field(default_factory=dict)  # hreflang -> url
    ld_headline: str | None = None
    ld_body: str | None = None
    ld_published: str | None = None
    ld_author: str | None = None


def _ld_objects(data: Any) -> list[dict]:
    out: list[dict] = []
    if isinstance(data, list):
        for d in data:
            out.extend(_ld_objects(d))
    elif isinstance(data, dict):
        out.append(data)
        if "@graph" in data:
            out.extend(_ld_objects(data["@graph"]))
    return out


def _ld_author(a: Any) -> str | None:
    if isinstance(a, list):
        names = [n for n in (_ld_author(x) for x in a) if n]
        return ", ".join(names) if names else None
    if isinstance(a, dict):
        a = a.get("name")
    return a.strip() if isinstance(a, str) and a.strip() else None


# An absolute http(s) URL that urljoin would give back unchanged: lower-case scheme, a
# plain host, a path without dot segments, ";" (params), "?", "#", spaces or controls.
# urljoin returns such a URL as urlunparse(urlparse(url)), which rebuilds it as it was;
# it cost ~15 us of read_meta's ~60 us a page (py-spy, generated mirror, issue 8).
_PLAIN_ABSOLUTE = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/(?!\.\.?(?:/|$))[A-Za-z0-9_~!$&'()*+,=:@%-][A-Za-z0-9._~!$&'()*+,=:@%-]*|/)*")


def _join(base: str, href: str) -> str:
    """``urljoin(base, href)``."""
    return href if _PLAIN_ABSOLUTE.fullmatch(href) else urljoin(base, href)


def read_meta(doc: lxml_html.HtmlElement, url: str) -> PageMeta:
    m = PageMeta()
    for el in doc.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        val = (el.get("content") or "").strip()
        if not key or not val:
            continue
        if key in ("og:title", "twitter:title") and not m.title:
            m.title = val
        elif key == "og:site_name":
            m.site_name = val
        elif key in ("description", "og:description") and not m.description:
            m.description = val
        elif key in ("article:published_time", "pubdate", "publishdate", "publish_date",
                     "datepublished", "dc.date.issued", "dc.date", "sailthru.date",
                     "parsely-pub-date") and not m.published:
            m.published = val
        elif key in ("author", "article:author", "dc.creator") and not m.author:
            if not val.startswith("http"):
                m.author = val
    t = next(doc.iter("title"), None)  # the first in document order, as find(".//title")
    title = text_of(t) if t is not None else ""
    if title.strip():
        m.html_title = " ".join(title.split())
    hl = doc.get("lang") or doc.get("xml:lang")
    m.html_lang = hl.strip() if hl else None
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = link.get("href")
        if not href:
            continue
        if "canonical" in rel and not m.canonical:
            m.canonical = _join(url, href.strip())
        elif "alternate" in rel and link.get("hreflang"):
            m.alternates[link.get("hreflang").strip()] = _join(url, href.strip())
    for script in doc.iter("script"):
        if script.get("type") != "application/ld+json":
            continue
        try:
            data = json.loads(script.text_content() or "")
        except ValueError:
            continue
        for obj in _ld_objects(data):
            types = obj.get("@type")
            types = types if isinstance(types, list) else [types]
            if not any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in types):
                continue
            if isinstance(obj.get("headline"), str) and not m.ld_headline:
                m.ld_headline = obj["headline"].strip()
            if isinstance(obj.get("articleBody"), str) and not m.ld_body:
                m.ld_body = obj["articleBody"]
            if isinstance(obj.get("datePublished"), str) and not m.ld_published:
                m.ld_published = obj["datePublished"].strip()
            if not m.ld_author:
                m.ld_author = _ld_author(obj.get("author"))
    return m
