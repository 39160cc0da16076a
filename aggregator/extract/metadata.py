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
    ld_modified: str | None = None
    modified: str | None = None  # article:modified_time, og:updated_time, itemprop


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


# One walk of the page finds what read_meta reads (and, for extract, the elements it
# removes next): each tag kind is handled in document order as before, and the kinds
# fill separate fields. Four walks were ~45 us of a 21 KB page (issue 8).
_META_TAGS = ("meta", "title", "link", "script")
_NOT_TEXT = ("script", "style", "noscript", "template")


def read_meta(doc: lxml_html.HtmlElement, url: str, not_text: list | None = None) -> PageMeta:
    """The page's metadata; ``not_text``, when given, receives the page's script,
    style, noscript and template elements in document order."""
    m = PageMeta()
    first_title = True
    tags = (*_META_TAGS, *_NOT_TEXT[1:]) if not_text is not None else _META_TAGS
    for el in doc.iter(*tags):
        tag = el.tag
        if tag == "meta":
            _meta(m, el)
        elif tag == "link":
            _link(m, el, url)
        elif tag == "script":
            if not_text is not None:
                not_text.append(el)
            if el.get("type") == "application/ld+json":
                _ld(m, el)
        elif tag == "title":
            if first_title:  # the first in document order, as find(".//title")
                first_title = False
                title = text_of(el)
                if title.strip():
                    m.html_title = " ".join(title.split())
        elif not_text is not None:
            not_text.append(el)
    hl = doc.get("lang") or doc.get("xml:lang")
    m.html_lang = hl.strip() if hl else None
    return m


def _meta(m: PageMeta, el) -> None:
    key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
    val = (el.get("content") or "").strip()
    if not key or not val:
        return
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
    elif key in ("article:modified_time", "og:updated_time", "datemodified",
                 "last-modified", "dc.date.modified") and not m.modified:
        m.modified = val
    elif key in ("author", "article:author", "dc.creator") and not m.author:
        if not val.startswith("http"):
            m.author = val


def _link(m: PageMeta, link, url: str) -> None:
    rel = (link.get("rel") or "").lower().split()
    href = link.get("href")
    if not href:
        return
    if "canonical" in rel and not m.canonical:
        m.canonical = _join(url, href.strip())
    elif "alternate" in rel and link.get("hreflang"):
        m.alternates[link.get("hreflang").strip()] = _join(url, href.strip())


def _ld(m: PageMeta, script) -> None:
    try:
        data = json.loads(script.text_content() or "")
    except ValueError:
        return
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
        if isinstance(obj.get("dateModified"), str) and not m.ld_modified:
            m.ld_modified = obj["dateModified"].strip()
