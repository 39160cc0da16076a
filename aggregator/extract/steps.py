"""One step per field (fundus's attribute methods, trafilatura's ``handle_*``): each
takes the shared ``Page`` and returns ``(value, method)``, the method saying which rung
of the field's cascade answered ("" or "none" when none did).

``extract`` calls them in this order: title and date read the untouched tree and the
whole page's lines, author the lines, then ``body`` prunes the tree in place.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from lxml import etree

from aggregator.clean.dom import drop_junk_elements
from aggregator.extract.author import author_from, may_name_author
from aggregator.extract.body import LINK_SHARE, MIN_BODY_UNITS, content_blocks, generic_body, prune
from aggregator.extract.dates import FoundDate, date_from_url, find_dates, parse_feed_date
from aggregator.extract.language import detect_language
from aggregator.extract.page import Page, el_text, first_text
from aggregator.html import block_lines, css
from aggregator.text import collapse_ws, normalize_for_hash, text_units

__all__ = ["title_step", "date_step", "author_step", "body_step", "language_step", "Body",
           "is_render_time", "generic_lines", "REPEAT_UNITS"]

# ---------------------------------------------------------------- title

_TITLE_SPLIT = re.compile(r"\s+[-|–—_]\s+|\s*[|_]\s*|\s+-\s*|\s*--\s*")


def _clean_html_title(title: str, site_name: str | None) -> str:
    parts = [p.strip() for p in _TITLE_SPLIT.split(title) if p.strip()]
    if len(parts) <= 1:
        return title.strip()
    if site_name:
        parts = [p for p in parts if p.lower() != site_name.lower()] or parts
    return max(parts, key=text_units)


# <header> is not among them: 2 WCXB dev pages hold the headline's <h1> in a page-wide
# <header> (outside any <article>), and taking them out lost both titles
_CHROME_TAGS = frozenset({"nav", "footer", "aside"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _chrome_or_hidden(el: etree._Element) -> bool:
    """In the navigation, footer or a sidebar, or not shown: a site-name <h1 hidden>
    beside the logo (MetInfo templates) is not the headline."""
    node: etree._Element | None = el
    chrome = False
    while node is not None:
        if node.get("hidden") is not None or node.get("aria-hidden") == "true" \
                or _HIDDEN_STYLE.search(node.get("style") or ""):
            return True
        if node.tag in _CHROME_TAGS:
            chrome = True
        elif node.tag in ("article", "main") and chrome:
            return False  # an article's own <header> holds its headline
        node = node.getparent()
    return chrome


def _headline_text(h: etree._Element) -> str:
    """A heading's text without the info line some templates put inside it (PHPCMS:
    ``<h1>Headline<br/><span>发布时间：2024-08-08 来源：本站 点击:</span></h1>``)."""
    at = next((i for i, c in enumerate(h.iterdescendants()) if isinstance(c.tag, str) and c.tag != "br"
               and _DATE_LABEL.search(c.text_content() or "")), None)
    if at is None:
        return el_text(h)
    copy = deepcopy(h)  # the page's tree stays whole for the other steps
    copy.tail = None
    info = next(c for i, c in enumerate(copy.iterdescendants()) if i == at)
    info.getparent().remove(info)
    return el_text(copy) or el_text(h)


_SEP_AFTER = re.compile(r"^\s*[-|–—_:·]")
_SEP_BEFORE = re.compile(r"[-|–—_:·]\s*$")


def _heading_in_title(doc: etree._Element, html_title: str) -> str | None:
    """The longest visible h1-h3 that is the <title> less a site name joined by a
    separator, with or without spaces ("Headline-Site Name", "Site | Headline"). The
    separator split alone cannot tell "GaN-on-silicon wafer-Jingcai Lighting" apart."""
    best = ""
    for h in doc.iter("h1", "h2", "h3"):
        t = collapse_ws(el_text(h))
        if len(t) <= len(best) or text_units(t) < 3 or len(t) >= len(html_title) or _chrome_or_hidden(h):
            continue
        if (html_title.startswith(t) and _SEP_AFTER.match(html_title[len(t):])) or \
                (html_title.endswith(t) and _SEP_BEFORE.search(html_title[:-len(t)])):
            best = t
    return best or None


def title_step(page: Page) -> tuple[str, str]:
    """Profile element, JSON-LD headline, og:title, the first real <h1>, <title> (as the
    heading it repeats when there is one)."""
    profile, meta, doc = page.profile, page.meta, page.doc
    t = first_text(doc, profile.title if profile else None)
    if t:
        return t, "profile"
    if meta.ld_headline:
        return collapse_ws(meta.ld_headline), "jsonld"
    if meta.title:
        return collapse_ws(_clean_html_title(meta.title, meta.site_name)), "meta"
    for h in doc.iter("h1"):
        if _chrome_or_hidden(h):
            continue
        t = _headline_text(h)
        if t and text_units(t) >= 3:
            return t, "h1"
    if meta.html_title:
        html_title = collapse_ws(meta.html_title)
        return _heading_in_title(doc, html_title) or _clean_html_title(html_title, meta.site_name), "title"
    return "", "none"


# ---------------------------------------------------------------- date

_DATE_LABEL = re.compile(r"(发布时间|發布時間|发表时间|时间\s*[:：]|日期\s*[:：]|Published|Posted|Date\s*[:：]|Release on|Released|Updated)", re.I)
_ROC_TAIL = re.compile(r"(?:[)）\]】]|^)\s*1[01]\d[01]\d[0-3]\d\s*$")
# Render-time traps (newspaper4k#575 reports dates taken from page chrome; Taiwanese
# news portals print today's date in the header): a page header that prints the
# current day ("今天是2026年11月25日 星期三"), or a ctimes-style dateline with weekday and
# clock ("Taipei, Thursday, Oct 29, 2020, 16:36") that is the time the page was built.
_RENDER_LINE = re.compile(
    r"今天是|今日是|当前时间|當前時間|现在时间|現在時間|^\s*[A-Z][a-z]+,\s*(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,"
    r"\s*[A-Za-z]{3,9}\.?\s+\d{1,2},\s*\d{4},\s*\d{1,2}:\d{2}")
# A candidate with a clock time this close to the fetch time is the render time: pages
# are rendered on request or held a few minutes by a cache; real publish stamps that
# fresh only win when the page has no other date (``:fresh`` below).
RENDER_WINDOW = timedelta(minutes=10)


def is_render_time(fd: FoundDate, now: datetime | None, line: str = "", tz: str | None = None) -> bool:
    """True for a page-render time: a render-time line, or a clock time within
    ``RENDER_WINDOW`` of the fetch (naive times read in the source's timezone)."""
    if line and _RENDER_LINE.search(line) and not _DATE_LABEL.search(line):
        return True
    if not fd.has_time:
        return False
    ref = now or datetime.now(timezone.utc)
    if ref.tzinfo is None:
        ref = ref.replace(tzinfo=timezone.utc)
    value = fd.value
    if not fd.aware:
        value = value.replace(tzinfo=ZoneInfo(tz) if tz else timezone.utc)
    return abs(value - ref) <= RENDER_WINDOW


def _first_real(text: str, now: datetime | None, tz: str | None = None) -> FoundDate | None:
    for d in find_dates(text, now):
        if not is_render_time(d, now, text, tz):
            return d
    return None


def _headline_index(lines: list[str], title: str, h1: str = "") -> int | None:
    """The line holding the headline: the title itself, else the page's first <h1>, else
    a line the title starts with or that starts with the title ("Title | Site" in
    og:title); None when no line is it."""
    keys = [k for k in (normalize_for_hash(title) if title else "",
                        normalize_for_hash(h1) if h1 else "") if k]
    if not keys:
        return None
    norm = [normalize_for_hash(ln) for ln in lines]
    for key in keys:
        idx = next((i for i, n in enumerate(norm) if n == key), None)
        if idx is not None:
            return idx
    key = keys[0]
    return next((i for i, n in enumerate(norm) if len(n) >= HEADLINE_PREFIX
                 and (key.startswith(n) or n.startswith(key))), None)


# A line that is a prefix of the title (or has it as prefix) is the headline when it has
# at least this many characters once normalised (a short "News" line is not).
HEADLINE_PREFIX = 12


_UPDATED_LINE = re.compile(r"updated|modified|revised|更新|修改", re.I)


def _date_under_headline(lines: list[str], title: str, now: datetime | None,
                         tz: str | None = None, h1: str = "") -> FoundDate | None:
    """The first date in the few lines right after the headline (the byline's), which
    is what a reader is shown as the article's date."""
    idx = _headline_index(lines, title, h1)
    if idx is None:
        return None
    for ln in lines[idx + 1: idx + 1 + UNDER_HEADLINE]:
        d = _first_real(ln, now, tz)
        if d:
            if not _UPDATED_LINE.search(ln):
                return d
    return None


# How many lines after the headline hold its byline date. Sweep on WCXB dev (date right
# to the day, 587 pages): 2 -> 0.842, 4 -> 0.838, 6 -> 0.847, 8 -> 0.848, 10 -> 0.847,
# 12 -> 0.843, 16 -> 0.842 (without this rung: 0.831).
UNDER_HEADLINE = 8


def _date_near_title(lines: list[str], title: str, now: datetime | None,
                     tz: str | None = None, h1: str = "") -> FoundDate | None:
    """The first date on a labelled line, else the first after the headline; render
    times (see ``is_render_time``) are skipped."""
    idx = _headline_index(lines, title, h1)
    if idx is None:
        window = lines[:60]
    else:
        window = lines[max(0, idx - 6): idx + 12]
    for ln in window:
        if _DATE_LABEL.search(ln):
            d = _first_real(ln, now, tz)
            if d:
                return d
    if idx is not None:
        for ln in lines[idx + 1: idx + 12] + lines[max(0, idx - 6): idx]:
            d = _first_real(ln, now, tz)
            if d:
                return d
    # ROC-style tails sit at the very end of CNA copies ("（編輯：…）1141231").
    for ln in reversed(lines[-8:]):
        if _ROC_TAIL.search(ln):
            d = _first_real(ln, now, tz)
            if d:
                return d
    return None


_PUBLISHED_HINT = re.compile(r"publish|posted|entry-date|post-date|article-date|pubdate|"
                             r"created|dateline|\bdate\b", re.I)
_MODIFIED_HINT = re.compile(r"modif|updat|revis|edited", re.I)
_ITEMPROP_DATES = etree.XPath("//*[@itemprop='datePublished' or @itemprop='dateModified']"
                              "[@datetime or @content]")


def _time_hint(el) -> str:
    """What a <time> says about itself: class, id, itemprop, pubdate, its parent's class."""
    parent = el.getparent()
    return " ".join(filter(None, (el.get("class"), el.get("id"), el.get("itemprop"),
                                  "pubdate" if el.get("pubdate") is not None else None,
                                  parent.get("class") if parent is not None else None)))


def _time_elements(page: Page) -> tuple[str | None, str | None]:
    """(publish stamp, modified stamp) from the page's machine-readable dates:
    ``itemprop`` datePublished/dateModified, then ``<time datetime>`` elements. A
    <time> counts as the publish date when it or its parent says so (class, id,
    ``pubdate``), else the first <time> not marked as an update is taken."""
    published = modified = first = None
    for el in _ITEMPROP_DATES(page.doc):
        value = el.get("datetime") or el.get("content")
        if el.get("itemprop") == "datePublished":
            return value, None
        modified = modified or value
    for el in page.doc.iter("time"):
        value = el.get("datetime")
        if not value:
            continue
        hint = _time_hint(el)
        if _MODIFIED_HINT.search(hint):
            modified = modified or value
        elif _PUBLISHED_HINT.search(hint):
            published = value
            break
        elif first is None:
            first = value
    return published or first, modified


def date_step(page: Page, title: str) -> tuple[FoundDate | None, str]:
    """Profile element, JSON-LD, meta (the order fundus and trafilatura use); then a
    labelled or post-headline line of the page, the feed's date, the URL; last, a
    metadata date that looked like the render time (``:fresh``)."""
    now, tz, meta = page.now, page.tz, page.meta
    fresh: tuple[FoundDate, str] | None = None
    # Without a profile, the date shown under the headline wins over a machine-readable
    # one that is more than a day away from it (a page's metadata often carries the first
    # version's date while it shows "Updated ..."); within a day the machine-readable one
    # is kept, as it has the time zone.
    shown = _date_under_headline(page.lines, title, now, tz, page.h1) if page.profile is None else None

    def pick(d: FoundDate, how: str) -> tuple[FoundDate, str]:
        if shown and abs((shown.value.date() - d.value.date()).days) > 1:
            return shown, "text:headline"
        return d, how

    for candidate, how in ((page.profile_date_text, "profile"), (meta.ld_published, "jsonld"),
                           (meta.published, "meta")):
        if candidate:
            d = _first_real(candidate, now, tz)
            if d:
                return pick(d, how)
            if fresh is None and how != "profile":
                ds = find_dates(candidate, now)
                fresh = (ds[0], how) if ds else None
    stamp, modified = _time_elements(page)
    if stamp:
        d = _first_real(stamp, now, tz)
        if d:
            return pick(d, "time")
    if shown:
        return shown, "text"  # a date under the headline: the text rung, found first
    found = _date_near_title(page.lines, title, now, tz, page.h1)
    if found:
        return found, "text"
    if page.feed_date:
        found = parse_feed_date(page.feed_date, now)
        if found:
            return found, "feed"
    found = date_from_url(page.url, now)
    if found:
        return found, "url"
    # Only a last-modified stamp: the story's date as the page states it (WCXB dev pages
    # that carry no publish date give the modified one as theirs).
    for candidate, how in ((meta.ld_modified, "jsonld:modified"), (meta.modified, "meta:modified"),
                           (modified, "time:modified")):
        if candidate:
            d = _first_real(candidate, now, tz)
            if d:
                return d, how
    if fresh:
        # An explicit publish field within minutes of the fetch, and no other date on
        # the page: a story crawled right after it went up, not a render stamp.
        return fresh[0], f"{fresh[1]}:fresh"
    return None, ""


# ---------------------------------------------------------------- author

def author_step(page: Page) -> tuple[str | None, str]:
    """Profile element, JSON-LD, meta, else a byline among the page's lines (read only
    when ``may_name_author`` says a line can hold one)."""
    raw, meta = page.profile_author_text, page.meta
    method = "profile" if raw else "jsonld" if meta.ld_author else "meta" if meta.author else "text"
    lines: list[str] = []
    if method == "text" and may_name_author(page.text_root):
        lines = page.lines
    author = author_from(raw, meta, lines)
    return author, (method if author else "")


# ---------------------------------------------------------------- body

# A line repeated verbatim in one body is dropped from its second occurrence on when it
# has at least this many units (fundus pages: carousel captions x3, teaser titles x2);
# shorter repeats ("Q:", "A:", "—") are legitimate.
REPEAT_UNITS = 5


def _linked_heading(blocks: list, i: int) -> bool:
    """A short all-link <p> or heading between two prose blocks: an item's title linking
    to its subject ("<p><a>Dataminr acquires ThreatConnect</a></p>" before the
    paragraph on it), not a menu."""
    b = blocks[i]
    if b.tag not in _HEADING_TAGS or b.units > LINKED_HEADING_UNITS or b.text.isupper():
        return False  # (upper case: a call to action, "CLICK TO GET THE FOX NEWS APP")
    prev = blocks[i - 1] if i else None
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    return all(x is not None and x.units >= LINKED_HEADING_UNITS
               and x.link_units <= LINK_SHARE * x.units for x in (prev, nxt))


_HEADING_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6"})
# At most this many units (a headline's length), and the prose around it at least as long.
LINKED_HEADING_UNITS = 12


def generic_lines(root) -> tuple[list[str], list, set[str]]:
    """The generic extractor's body lines, the elements they came from and the block
    texts it left out (``root`` is pruned in place)."""
    cache: dict = {}
    votes = prune(root, cache)
    out: list[str] = []
    seen: set[str] = set()
    left_out: set[str] = set()
    els = generic_body(root, cache=cache, votes=votes)
    for el in els:
        blocks = content_blocks(el)
        for i, b in enumerate(blocks):
            if b.link_units > LINK_SHARE * b.units and not _linked_heading(blocks, i):
                left_out.add(b.text)
                continue
            if b.text in seen and b.units >= REPEAT_UNITS:
                continue  # the same caption or teaser again (carousels, card lists)
            seen.add(b.text)
            out.append(b.text)
    return out, els, left_out - seen


# The last rung: what the generic search found, though under MIN_BODY_UNITS, when it
# holds at least this many units (two short sentences; a page of chrome only gives
# none, since no block under MIN_BLOCK_UNITS votes), the page has a headline (the
# mirror's captcha page has none) and fewer linked blocks than lines were left out (a
# listing page's teaser titles are links). The store's own floor
# (pipelines.MIN_STORED_UNITS) still decides what is kept.
SHORT_BODY_UNITS = 15


@dataclass
class Body:
    lines: list[str]
    elements: list = field(default_factory=list)  # where the lines came from ([] for JSON-LD)
    left_out: set[str] = field(default_factory=set)  # block texts dropped as link lists


def _units(lines: list[str]) -> int:
    return sum(text_units(ln) for ln in lines)


def _ld_lines(page: Page) -> list[str]:
    return [collapse_ws(p) for p in (page.meta.ld_body or "").splitlines() if collapse_ws(p)]


def body_step(page: Page) -> tuple[Body, str]:
    """Profile selector, then (profiled sites) JSON-LD articleBody, then the generic
    search, then JSON-LD. Raises ``ExtractError`` when none gives a body."""
    from aggregator.extract.page import ExtractError

    profile, doc = page.profile, page.doc
    root = page.text_root
    method = ""
    body = Body([])
    if profile and profile.body:
        els = css(doc, profile.body)
        lines: list[str] = []
        if els:
            for el in els:
                drop_junk_elements(el, profile.drop)
            lines = [ln for el in els for ln in block_lines(el)]
        if lines and _units(lines) >= MIN_BODY_UNITS:
            body, method = Body(lines, els), "profile"
        else:
            page.warnings.append(f"selector miss: body {profile.body!r} matched {len(els)} element(s)"
                                 f" with {_units(lines)} units; fell back")
    # JSON-LD articleBody is often a teaser, paywall-cut or one unbroken blob: on the
    # fundus set the DOM path scored higher on all 15 pages that carry one. Profiled
    # sites keep it before the generic search (their mirror pages were tuned so).
    ld_ok = bool(page.meta.ld_body) and text_units(page.meta.ld_body or "") >= MIN_BODY_UNITS
    if not method and ld_ok and profile is not None:
        body, method = Body(_ld_lines(page)), "jsonld"
    if not method:
        if profile:
            for sel in profile.drop:
                for el in css(doc, sel):
                    if el.getparent() is not None:
                        el.getparent().remove(el)
        lines, els, left_out = generic_lines(root)
        body = Body(lines, els, left_out)
        if _units(lines) >= MIN_BODY_UNITS:
            method = "generic"
        elif (again := page.reparse_past_end()) is not None:
            lines, els, left_out = generic_lines(again)
            if _units(lines) >= MIN_BODY_UNITS:
                body, method = Body(lines, els, left_out), "generic:reparsed"
    if not method and ld_ok:
        body, method = Body(_ld_lines(page)), "jsonld"
    if (not method and _units(body.lines) >= SHORT_BODY_UNITS and page.has_headline
            and len(body.left_out) < len(body.lines)):
        method = "generic:short"  # a short article: a few lines under a headline
    if not method:
        raise ExtractError("no article body found")
    if profile and profile.body and method != "profile":
        method = f"profile>{method}"
    return body, method


# ---------------------------------------------------------------- language

def language_step(page: Page, title: str, text: str) -> tuple[str | None, str]:
    lang = detect_language(title + "\n" + text, page.lang_hint)
    return lang, ("hint" if page.lang_hint and lang == page.lang_hint else "text")
