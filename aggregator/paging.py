"""Listing pagination that generalises: which link on a listing page leads to the next page.

In order: ``rel="next"`` (``<a>`` or ``<link>``); links whose text, ``title``,
``aria-label`` or image ``alt`` reads "next" once arrows and decoration are dropped
(``下一页 ›``, ``Next »``, ``后一页``, an ``<img alt="下一页">``, an icon with
``aria-label="Go to next page"``); links whose class says next; then the numbered link
for the page after the current one. Whatever is found must stay on the site; a numbered
link must also be a page of the same listing (``?page=N``, ``&start=N``, ``/page/N/``,
``list_1_N.html``, ``index_N.html``, ``list-3-N.html``...), so a "2" in a date or a
menu is not taken for a pager.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree

from aggregator.text import collapse_ws

__all__ = ["next_page", "page_number"]

# "Next" texts after dropping arrows, punctuation and spaces, lower-cased. "older posts" /
# "older entries" are WordPress's next-page words on a newest-first blog.
NEXT_WORDS = {"下一页", "下页", "下一頁", "后一页", "後一頁", "下一页>", "next", "nextpage", "gotonextpage",
              "older", "olderposts", "olderentries", "olderarticles", "more", "下一页»", "next»", "›", "»", ">",
              "→", "nextpage»"}
_DECOR = re.compile(r"[\s›»>‹«<→←\-–—_.:：·|()（）\[\]【】&;]+")
_NEXT_CLASS = re.compile(r"(?:^|[-_\s])(?:next|nextpage|next_btn|pager__item--next|pagination-next)(?:$|[-_\s])", re.I)
_PREV_CLASS = re.compile(r"prev|previous|first|last", re.I)
_PAGE_PARAM = re.compile(r"^(?:page|p|pn|pg|start|offset|paged|pageno|page_no|pagenum)$", re.I)
_PATH_PAGE = re.compile(r"(?:/page/(\d+)/?$|[_-](\d+)\.s?html?$|/(\d+)/?$)")


def _words(text: str) -> str:
    return _DECOR.sub("", text).lower()


def _reads_next(a: etree._Element) -> bool:
    texts = [a.text_content(), a.get("title") or "", a.get("aria-label") or ""]
    texts += [img.get("alt") or "" for img in a.iter("img")]
    for t in texts:
        t = collapse_ws(t)
        if not t:
            continue
        w = _words(t)
        if w in NEXT_WORDS or (t.strip() in NEXT_WORDS and len(t.strip()) == 1):
            return True
        if len(w) <= 14 and re.search(r"下一?页|下一頁|後一頁|后一页|gotonextpage|^nextpage|^next$", w):
            return True
    return False


def page_number(url: str) -> int | None:
    """The page number a listing URL names (query or path), None when it names none."""
    parts = urlsplit(url)
    for k, v in parse_qsl(parts.query):
        if _PAGE_PARAM.match(k) and v.isdigit():
            return int(v)
    m = _PATH_PAGE.search(parts.path)
    if m:
        return int(next(g for g in m.groups() if g))
    return None


def _classes(a: etree._Element) -> str:
    parent = a.getparent()
    return (a.get("class") or "") + " " + ((parent.get("class") or "") if parent is not None else "")


def _same_site(a: str, b: str) -> bool:
    return (urlsplit(a).hostname or "").removeprefix("www.") == (urlsplit(b).hostname or "").removeprefix("www.")


def _same_listing(url: str, nxt: str) -> bool:
    """``nxt`` is on the same site and differs from ``url`` only where a page number goes."""
    a, b = urlsplit(url), urlsplit(nxt)
    if (a.hostname or "").removeprefix("www.") != (b.hostname or "").removeprefix("www."):
        return False
    if nxt.split("#")[0] == url.split("#")[0]:
        return False
    qa = {k: v for k, v in parse_qsl(a.query) if not _PAGE_PARAM.match(k)}
    qb = {k: v for k, v in parse_qsl(b.query) if not _PAGE_PARAM.match(k)}
    if qa != qb:
        return False
    return _folder(a.path) == _folder(b.path)


def _folder(path: str) -> str:
    """The listing's folder: /page/N/ dropped, then the file name (index_2.html, list_1_2.html)."""
    return re.sub(r"/page/\d+/?$", "/", path or "/").rsplit("/", 1)[0]


def next_page(doc: etree._Element, url: str, selector_hits: list[etree._Element] | None = None) -> str | None:
    """The next page of the listing ``doc`` at ``url``, or None."""
    cands: list[etree._Element] = list(selector_hits or [])
    cands += doc.xpath('//a[@rel="next"]|//link[@rel="next"]')
    anchors = list(doc.iter("a"))
    cands += [a for a in anchors if _reads_next(a)]
    cands += [a for a in anchors if _NEXT_CLASS.search(_classes(a)) and not _PREV_CLASS.search(a.get("class") or "")]
    for a in cands:  # a link that says "next" may go anywhere on the site (a calendar's next month)
        href = (a.get("href") or "").strip()
        if href and not href.startswith(("#", "javascript:")):
            nxt = urljoin(url, href)
            if _same_site(url, nxt) and nxt.split("#")[0] != url.split("#")[0]:
                return nxt
    # numbered pagers: the link whose text is the current page number + 1
    current = page_number(url)
    if current is None:
        current = 1
    want = str(current + 1 if current >= 1 else 2)
    for a in anchors:
        if collapse_ws(a.text_content()) == want:
            href = (a.get("href") or "").strip()
            if href and not href.startswith(("#", "javascript:")):
                nxt = urljoin(url, href)
                if page_number(nxt) is not None and _same_listing(url, nxt):
                    return nxt
    return None
