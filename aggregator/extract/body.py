"""Main content without a site profile: our own text-density search on lxml.

Language-aware throughout: length is counted in reading units (CJK characters plus
Latin words, ``aggregator.text.text_units``), never in whitespace words.

1. ``prune``: never-content tags and page chrome go; widgets are recognised by the
   *words* of their class/id (``share``, ``related``, ``newsletter`` ...), and an
   element holding most of the page's text is never dropped as a widget (a
   ``<body class="has-sidebar">`` or ``<article class="... post-share-style">``).
2. ``generic_body``: paragraph-like blocks vote for their parent (fully) and
   grandparent (half) with their units discounted by link density; class/id words
   like ``article-body`` add a bonus, ``comment`` a penalty. The winner widens to an
   ancestor holding much more voting text, and siblings that also scored well join it
   (live blogs, articles split into several ``<div>`` groups).
3. ``content_blocks``: the winner's text split into blocks (at block tags and
   ``<br>``), each with its share of link text; link-dense blocks are menus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from aggregator.html import BLOCK_TAGS, SKIP_TAGS, remove, text_of
from aggregator.text import collapse_ws, text_units

__all__ = ["generic_body", "content_blocks", "prune", "Block", "MIN_BODY_UNITS", "body_units"]

# A selected body shorter than this (reading units) counts as a miss. The shortest
# real article body in the mirror is ~120 units; chrome-only containers (share bars,
# date rows) are < 30.
MIN_BODY_UNITS = 40
# Paragraph-like blocks under this many units do not vote (captions, buttons, dates).
MIN_BLOCK_UNITS = 8
_NOT_CONTAINER = frozenset({"blockquote", "li", "ul", "ol", "p", "span", "font", "h2", "h3", "pre"})
_PARA_TAGS = ("p", "div", "td", "li", "pre", "blockquote", "font", "span", "section", "article",
              "h2", "h3")
_NEVER = ("nav", "aside", "footer", "form", "button", "select", "textarea", "iframe", "svg",
          "figure", "figcaption", "noscript", "template", "dialog", "menu")

# Words (class/id split at -, _, spaces and camelCase) that mark non-content widgets.
# From the chrome in docs/sources.md#boilerplate plus the widget names seen on the
# fundus-evaluation pages (bench/extraction.py --worst lists the pages to look at). Not
# "widget" or "skip": page builders name every content block so (Elementor
# "elementor-widget-text-editor", HubSpot "widget-type-rich_text"); dropping both took
# WCXB dev F1 from 0.931 to 0.940, fundus and the mirror unchanged.
_JUNK_WORDS = frozenset("""
share sharing sharebar social comment comments disqus related relatedlinks sidebar breadcrumb
breadcrumbs crumb crumbs advert advertisement advertising ad ads adslot adunit banner popup modal
subscribe subscription newsletter signup qrcode erweima weixin wechat footer copyright
nav navbar navigation menu pager pagination recommend recommended recommendation tags tagcloud
login cookie cookies toolbar prevnext promo promotion sponsored outbrain taboola trending
popular mostread most-read teaser teasers byline skiplink
newsletter inline-newsletter gallery caption credit credits tooltip masthead tweet
instagram tiktok bio collections donate donation hide carousel slideshow slider
register registration signin
""".split())
# Whole class tokens that hide an element. "hidden" only counts as a token of its own and
# without a responsive display token ("hidden lg:block" shows on wide screens): as a word
# it marked Drupal's "field--label-hidden" and Tailwind's "overflow-hidden" (WCXB dev
# 4684, 0267 lost their whole body).
_HIDDEN_TOKENS = frozenset({"hidden", "visually-hidden", "sr-only", "screen-reader-text", "d-none"})
_KEEP_WORDS = re.compile(r"(?:article|post|entry|news|story|node)[-_]?(?:body|content|text)|"
                         r"^(?:content|main|body|articlebody|article-body|story-body)$", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|clip\s*:\s*rect\(0", re.I)
_SPLIT = re.compile(r"[-_\s:]+|(?<=[a-z])(?=[A-Z])")
_POSITIVE = re.compile(r"article|body|content|entry|main|post|story|text|blog", re.I)
_NEGATIVE = re.compile(r"comment|footer|sidebar|related|share|widget|promo|nav|menu|teaser|"
                       r"recommend|newsletter|hidden|caption|meta|tags?\b|author|byline", re.I)
# An element holding more than this share of the body's text is a page wrapper, not a
# widget, whatever its class says (fundus pages: <body class="...sidebar...">). Sweep on
# 2026-11-25 (fundus F1 / mirror F1): 0.3, 0.5 and 0.7 all 0.959 / 0.997.
WRAPPER_SHARE = 0.5
# Siblings of the winning container join it when their voting text is at least this
# share of the winner's (readability uses 0.2). Sweep: 0.15 -> 0.959 / 0.996, 0.2-0.33
# -> 0.959 / 0.997.
SIBLING_SHARE = 0.25
# A <p> sibling of the winner joins it at this many units with < 25 % link text (the
# readability rule, in reading units; fundus live blogs keep their intro paragraphs).
# Sweep: 8 -> 0.960, 15 -> 0.959, 25 -> 0.958 on fundus; mirror 0.997 throughout.
SIBLING_P_UNITS = 15
# The winner is replaced by an ancestor whose voting text is at least this multiple of
# the winner's. Sweep (fundus F1): 1.25 -> 0.960, 1.5 -> 0.959, 1.75 -> 0.953, 2.0 ->
# 0.952; mirror 0.997 throughout. 1.5 rather than 1.25: the smaller the factor, the
# more often comment threads and teaser lists below an article would be pulled in.
CLIMB = 1.5
# A block with more than this share of link text is navigation, not content. Sweep
# (fundus F1): 0.35 -> 0.960, 0.5 -> 0.959, 0.65 -> 0.961; mirror 0.997 throughout.
LINK_SHARE = 0.5


def _attr(el: etree._Element) -> str:
    return (el.get("class") or "") + " " + (el.get("id") or "")


@lru_cache(maxsize=8192)
def _junk_attr(raw: str) -> bool | None:
    """True: widget words; False: content words ("article-body"); None: neither.
    Cached: a page repeats the same class strings many times."""
    tokens = raw.split()
    if any(_KEEP_WORDS.search(t) for t in tokens):
        return False
    if any(t.lower() in _HIDDEN_TOKENS for t in tokens) and not any(":" in t for t in tokens):
        return True
    words = (w.lower() for w in _SPLIT.split(raw) if w)
    return True if any(w in _JUNK_WORDS for w in words) else None


# ``is_widget`` is False for an element with no class, id or style attribute: only the
# others are looked at, found in C (document order, as iter() gave them) rather than
# by a Python step for every element (issue 8).
_STYLED = etree.XPath("descendant::*[@class or @id or @style]")


# React server rendering streams late parts of a page as <div hidden id="S:1f">, which a
# script moves into place: hidden in the HTML, the article once rendered.
_STREAMED = re.compile(r"S:[0-9a-f]+$")


def is_widget(el: etree._Element) -> bool:
    raw = _attr(el).strip()
    verdict = _junk_attr(raw) if raw else None
    if verdict is False:
        return False
    if el.get("aria-hidden") == "true" or el.get("hidden") is not None:
        if _STREAMED.match(el.get("id") or ""):
            return False  # React's streamed segment, shown by script (WCXB dev 4503)
        return bool(raw)
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    return bool(verdict)


def _units(el: etree._Element) -> int:
    return text_units(el.text_content())


def _p_units(el: etree._Element) -> int:
    return sum(text_units(text_of(p)) for p in el.iter("p"))


# Never-content tags that are still kept when they hold most of the page's text: a
# <form> or <footer> wrapping a whole page, and a <nav> the parser made the article's
# (or <button>) parent because the menu's markup was never closed (WCXB dev 4042,
# 4377, 4007, 0044, 4708: 5 of the 11
# pages we returned nothing for).
_MAY_WRAP = frozenset({"footer", "aside", "form", "nav", "menu", "dialog", "button"})

# What prune removes first, and the paragraphs it measures, found in one walk of the
# page (two walks before: ~15 us each on a 21 KB page, issue 8).
_NEVER_OR_SKIP = tuple(dict.fromkeys((*_NEVER, *SKIP_TAGS)))


def prune(root: etree._Element, cache: dict | None = None) -> Votes | None:
    """Remove chrome and widgets under ``root`` in place (wrappers are kept). Returns the
    body search's votes when the widgets removed did not change them (see ``_same``),
    else None (with no ``cache``, always None)."""
    never: list[etree._Element] = []
    total_p = 0
    for el in root.iter("p", *_NEVER_OR_SKIP):
        if el.tag == "p":
            total_p += text_units(text_of(el))
        else:
            never.append(el)
    # the whole text's units only count on pages with little <p> text (read before any
    # removal, as always; skipped otherwise: 0.05 ms a page, issue 8)
    total = (_units(root) or 1) if total_p < MIN_BODY_UNITS else 1

    def wrapper(el: etree._Element) -> bool:
        if total_p >= MIN_BODY_UNITS:
            return _p_units(el) > WRAPPER_SHARE * total_p
        return _units(el) > WRAPPER_SHARE * total

    for el in never:
        parent = el.getparent()
        if parent is None or el is root:
            continue
        if el.tag == "figure" and next(el.iter("table"), None) is not None:
            continue  # a table in a <figure> (WordPress, Dotdash) is part of the article
        if el.tag in _MAY_WRAP and wrapper(el):
            if el.tag in SKIP_TAGS:  # (<button>) its text is never read: unwrap it
                el.drop_tag()
            continue  # a page wrapper, or an unclosed menu the parser put the article in
        remove(el)
    # The best container before widget removal, and its ancestors, are never widgets:
    # "BrandPageWrapper-liveAlertAd" wraps a whole CNBC article.
    votes = _votes(root, {} if cache is None else cache)
    first = _winner(votes[0], votes[1], raw=True)
    protected = set(first[0].iterancestors()) | {first[0]} if first else set()
    stale: dict = {}  # own units dropped from the cache, as they were
    for el in _STYLED(root):
        if el is root or el.getparent() is None or not isinstance(el.tag, str):
            continue
        if el in protected or el.tag in ("html", "body", "main") or not is_widget(el):
            continue
        if wrapper(el):
            continue
        if cache:
            for a in el.iterancestors():
                old = cache.pop(a, None)  # their own text changes with the widget gone
                if old is not None:
                    stale.setdefault(a, old)
        remove(el)
    return votes if cache is not None and _same(root, votes[2], stale, cache) else None


def _attached(el: etree._Element, root: etree._Element) -> bool:
    while el is not None and el is not root:
        el = el.getparent()
    return el is root


def _same(root: etree._Element, voters: list, stale: dict, cache: dict) -> bool:
    """Whether ``_votes`` would count the same again after the widgets went: every voter
    is still there, and every element whose own units were dropped from the cache (the
    widgets' ancestors, the only ones whose own text changed) has the same units again
    (measured here and cached, as the search would). Then the scores, the sums and the
    voters' order are the same and the second search of the body is not needed (~10 %
    of the generic path on the generated mirror, issue 8): a removed element that held
    no voter was never among the winner's siblings either."""
    if not all(_attached(v, root) for v in voters):
        return False
    for el, old in stale.items():
        if _attached(el, root):
            new = cache[el] = _own_units(el)
            if new != old:
                return False
    return True


def _own_units(el: etree._Element) -> tuple[int, int]:
    """(units of the text directly in ``el`` and its inline children, units inside links)."""
    parts: list[str] = [el.text or ""]
    link: list[str] = []
    for child in el:
        tag = child.tag  # (read once: each .tag access builds a new string)
        if isinstance(tag, str) and tag not in BLOCK_TAGS:
            t = text_of(child)
            parts.append(t)
            if tag == "a":
                link.append(t)
        parts.append(child.tail or "")
    return text_units(" ".join(parts)), text_units(" ".join(link))


def _class_weight(el: etree._Element) -> float:
    return _attr_weight(_attr(el))


@lru_cache(maxsize=8192)
def _attr_weight(a: str) -> float:
    """Cached like ``_junk_attr``: a page's class strings repeat, and so do a site's."""
    if not a.strip():
        return 0.0
    w = 0.0
    if _POSITIVE.search(a):
        w += 25
    if _NEGATIVE.search(a):
        w -= 25
    return w


# (scores, voter score summed over each ancestor, the voters in document order)
Votes = tuple[dict, dict, list]


def generic_body(root: etree._Element, raw: bool = False, cache: dict | None = None,
                 votes: Votes | None = None) -> list[etree._Element]:
    """The element(s) holding the main content, in document order; [] if none.
    ``votes``: what ``_votes(root, cache)`` returns for the tree as it is now."""
    cache = {} if cache is None else cache  # element -> own units (reused after pruning)
    scores, cum, _voters = _votes(root, cache) if votes is None else votes
    return _winner(scores, cum, raw)


def _votes(root: etree._Element, cache: dict) -> Votes:
    scores: dict[etree._Element, float] = {}
    cum: dict[etree._Element, float] = {}  # voter score summed over each ancestor
    voters: list[etree._Element] = []
    for el in root.iter(*_PARA_TAGS):
        own = cache.get(el)
        if own is None:
            own = cache[el] = _own_units(el)
        units, link_units = own
        if units < MIN_BLOCK_UNITS:
            continue
        density = link_units / units
        if density > LINK_SHARE:
            continue
        score = units * (1.0 - density)
        voters.append(el)
        parent = el.getparent()
        if el.tag in ("p", "pre", "blockquote", "h2", "h3") and parent is not None:
            scores[parent] = scores.get(parent, 0.0) + score
            grand = parent.getparent()
            if grand is not None:
                scores[grand] = scores.get(grand, 0.0) + score / 2
        else:
            # text directly in a div/td (br-separated pages): the element itself is content
            scores[el] = scores.get(el, 0.0) + score
            if parent is not None:
                scores[parent] = scores.get(parent, 0.0) + score / 2
        a = el
        while a is not None:
            cum[a] = cum.get(a, 0.0) + score
            a = a.getparent()
    for el in scores:
        scores[el] += _class_weight(el)
    return scores, cum, voters


def _winner(scores: dict, cum: dict, raw: bool) -> list[etree._Element]:
    if not scores:
        return []
    best = max(scores.items(), key=lambda kv: kv[1])[0]
    while best.tag in _NOT_CONTAINER and best.getparent() is not None \
            and best.getparent().tag not in ("body", "html"):
        best = best.getparent()  # a long quote or list item is part of an article
    if raw:
        return [best]
    # Climb while the parent holds much more voting text than the winner (live blogs,
    # articles split into sibling sections the per-block scores cannot see).
    while True:
        base = cum.get(best, 0.0)
        up = next((a for a in best.iterancestors() if cum.get(a, 0.0) >= CLIMB * base), None)
        if up is None or up.tag in ("body", "html"):
            break
        best = up
    top = cum.get(best, 0.0)
    parent = best.getparent()
    if parent is None:
        return [best]
    out = []
    for sib in parent:
        if sib is best:
            out.append(sib)
        elif isinstance(sib.tag, str) and cum.get(sib, 0.0) >= SIBLING_SHARE * top:
            out.append(sib)
        elif sib.tag == "p":
            units, link_units = _own_units(sib)
            if units >= SIBLING_P_UNITS and link_units < 0.25 * units:
                out.append(sib)  # a paragraph beside the winner (a live blog's intro)
    return out


_CELLS = frozenset({"td", "th"})


@dataclass
class Block:
    text: str
    link_units: int
    tag: str  # the block element the text sits in

    @property
    def units(self) -> int:
        return text_units(self.text)


def content_blocks(el: etree._Element) -> list[Block]:
    """Text of ``el`` split at block boundaries and <br>, with link text counted."""
    blocks: list[Block] = []
    buf: list[str] = []
    link: list[int] = [0]
    tags: list[str] = [el.tag if isinstance(el.tag, str) else "div"]

    def flush() -> None:
        # source line breaks render as spaces (a block's text is one line)
        t = collapse_ws("".join(buf).replace("\r", " ").replace("\n", " "))
        if t:
            blocks.append(Block(t, link[0], tags[-1]))
        buf.clear()
        link[0] = 0

    def walk(e: etree._Element, in_link: bool) -> None:
        tag = e.tag if isinstance(e.tag, str) else ""
        if not tag or tag in SKIP_TAGS:
            return
        block = tag in BLOCK_TAGS or tag == "br"
        if block:
            flush()
            tags.append(tag)
        elif tag in _CELLS and buf:
            buf.append(" ")  # a table row is one line, its cells apart ("1 State Farm 107,764")
        here = in_link or tag == "a"
        t = e.text  # (each .text / .tail access decodes the text again)
        if t:
            buf.append(t)
            if here:
                link[0] += text_units(t)
        for c in e:
            walk(c, here)
            t = c.tail
            if t:
                buf.append(t)
                if here:
                    link[0] += text_units(t)
        if block:
            flush()
            tags.pop()

    walk(el, False)
    flush()
    return blocks


def body_units(el: etree._Element) -> int:
    return sum(b.units for b in content_blocks(el))
