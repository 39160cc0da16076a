"""Element-level boilerplate: page chrome and widgets removed before text is read."""

from __future__ import annotations

import re

from lxml import etree

from aggregator.html import css, remove
from aggregator.text import text_units

__all__ = ["drop_junk_elements", "strip_page_chrome", "JUNK_ATTR"]

# Never content, anywhere on a page.
_ALWAYS = ("script", "style", "noscript", "template", "iframe", "svg", "form", "button",
           "select", "textarea", "input", "object", "embed")
# Page chrome: only stripped when looking for the main content generically.
_CHROME = ("nav", "header", "footer", "aside")

# class/id tokens of widgets that are never article text (share bars, related lists,
# comment boxes, chat widgets, QR codes, breadcrumbs, sidebars, ads). Substring match
# on each token; from the chrome listed in docs/sources.md#boilerplate.
JUNK_ATTR = re.compile(
    r"share|social|comment|related|sidebar|side-bar|breadcrumb|crumb|advert|\bads?\b|banner|"
    r"popup|modal|subscribe|newsletter|qrcode|qr-code|\bqr\b|erweima|weixin|wechat|chat|"
    r"widget|footer|copyright|\bnav\b|navbar|menu|pager|pagination|hotnews|hot-news|"
    r"recommend|tags?\b|tagcloud|login|signup|cookie|toolbar|print-|prevnext|prev-next",
    re.I,
)
# Tokens that mark content even when a junk word also appears ("article-tags" is junk,
# "article-body" is not): checked first.
_KEEP_ATTR = re.compile(r"(?:article|post|entry|news|node)[-_]?(?:body|content|text)|^content$|^main", re.I)


def _attr_tokens(el: etree._Element) -> list[str]:
    return ((el.get("class") or "") + " " + (el.get("id") or "")).split()


def is_junk(el: etree._Element) -> bool:
    tokens = _attr_tokens(el)
    if not tokens or any(_KEEP_ATTR.search(t) for t in tokens):
        return False
    return any(JUNK_ATTR.search(t) for t in tokens)


# Inside a body, a container whose text is at least this share link text, with at least
# two links, is a related/"More on This" list (ctimes puts one mid-article: docs/sources.md#syndicators).
# Real paragraphs in the mirror have link shares under 0.2.
LINK_LIST_SHARE = 0.7
_LIST_TAGS = ("div", "ul", "ol", "section", "table", "dl")


def _is_link_list(el: etree._Element) -> bool:
    links = el.findall(".//a")
    if len(links) < 2:
        return False
    total = text_units(el.text_content())
    if total == 0:
        return False
    linked = sum(text_units(a.text_content()) for a in links)
    return linked / total >= LINK_LIST_SHARE


def drop_junk_elements(root: etree._Element, selectors: tuple[str, ...] = ()) -> int:
    """Remove never-content tags, junk widgets and ``selectors`` under ``root``.
    Returns the number of elements removed."""
    n = 0
    for sel in selectors:
        for el in css(root, sel):
            if el is not root:
                remove(el)
                n += 1
    for el in list(root.iter(*_ALWAYS)):
        if el is not root:
            remove(el)
            n += 1
    for el in list(root.iter()):
        if el is not root and isinstance(el.tag, str) and el.getparent() is not None and is_junk(el):
            remove(el)
            n += 1
    for el in list(root.iter(*_LIST_TAGS)):
        if el is not root and el.getparent() is not None and _is_link_list(el):
            remove(el)
            n += 1
    return n


def strip_page_chrome(doc: etree._Element) -> None:
    """Remove header/nav/footer/aside and junk widgets from a whole page (generic path)."""
    for el in list(doc.iter(*_CHROME)):
        remove(el)
    body = doc.find("body")
    drop_junk_elements(body if body is not None else doc)
