"""html + url (+ profile) -> Article. Pure functions: no Scrapy objects here.

``extract`` parses once, reads JSON-LD and meta once, applies the profile's
selectors, falls back to generic extraction when one misses, and records which
path produced the body (``extraction_method``) and the date (``date_method``).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from html import escape
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from aggregator.clean.dom import drop_junk_elements
from aggregator.extract.author import author_from, may_name_author
from aggregator.extract.body import (
    LINK_SHARE,
    MIN_BODY_UNITS,
    content_blocks,
    generic_body,
    prune,
)
from aggregator.extract.dates import (
    FoundDate,
    date_from_url,
    find_dates,
    parse_feed_date,
)
from aggregator.extract.encoding import decode_html
from aggregator.extract.language import detect_language
from aggregator.extract.metadata import PageMeta, read_meta
from aggregator.html import (
    ParseError,
    block_lines,
    css,
    filter_html_blocks,
    parse_html,
    sanitize_html,
)
from aggregator.items import Article
from aggregator.profiles import SiteProfile
from aggregator.text import collapse_ws, normalize_for_hash, repair_text, text_units

__all__ = ["extract", "ExtractError", "generic_text", "may_name_author"]


class ExtractError(ValueError):
    """The page holds no article we can extract (empty, unparseable, no body)."""


_TITLE_SPLIT = re.compile(r"\s+[-|–—_]\s+|\s*[|_]\s*|\s+-\s*|\s*--\s*")
_DATE_LABEL = re.compile(r"(发布时间|發布時間|发表时间|时间\s*[:：]|日期\s*[:：]|Published|Posted|Date\s*[:：]|Release on|Released|Updated)", re.I)
_ROC_TAIL = re.compile(r"(?:[)）\]】]|^)\s*1[01]\d[01]\d[0-3]\d\s*$")
def _el_text(el) -> str:
    return collapse_ws(" ".join(block_lines(el)))


# A line repeated verbatim in one body is dropped from its second occurrence on when it
# has at least this many units (fundus pages: carousel captions x3, teaser titles x2);
# shorter repeats ("Q:", "A:", "—") are legitimate.
REPEAT_UNITS = 5


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
        for b in content_blocks(el):
            if b.link_units > LINK_SHARE * b.units:
                left_out.add(b.text)
                continue
            if b.text in seen and b.units >= REPEAT_UNITS:
                continue  # the same caption or teaser again (carousels, card lists)
            seen.add(b.text)
            out.append(b.text)
    return out, els, left_out - seen


def _body_or_doc(doc):
    """``doc.find("body")`` if there is one, else ``doc`` (iterchildren: 1.3 instead of
    2.6 us a call)."""
    body = next(doc.iterchildren("body"), None)
    return doc if body is None else body


def _first_text(doc, selector: str | None) -> str | None:
    if not selector:
        return None
    for el in css(doc, selector):
        t = _el_text(el)
        if t:
            return t
    return None


def _clean_html_title(title: str, site_name: str | None) -> str:
    parts = [p.strip() for p in _TITLE_SPLIT.split(title) if p.strip()]
    if len(parts) <= 1:
        return title.strip()
    if site_name:
        parts = [p for p in parts if p.lower() != site_name.lower()] or parts
    return max(parts, key=text_units)


def _pick_title(doc, profile: SiteProfile | None, meta: PageMeta) -> tuple[str, str]:
    t = _first_text(doc, profile.title if profile else None)
    if t:
        return t, "profile"
    if meta.ld_headline:
        return collapse_ws(meta.ld_headline), "jsonld"
    if meta.title:
        return collapse_ws(_clean_html_title(meta.title, meta.site_name)), "meta"
    for h in doc.iter("h1"):
        t = _el_text(h)
        if t and text_units(t) >= 3:
            return t, "h1"
    if meta.html_title:
        return _clean_html_title(meta.html_title, meta.site_name), "title"
    return "", "none"


# Render-time traps (peers.md §2.1, sources.md §18): a page header that prints the
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


def _date_near_title(lines: list[str], title: str, now: datetime | None,
                     tz: str | None = None) -> FoundDate | None:
    """The first date on a labelled line, else the first after the headline; render
    times (see ``is_render_time``) are skipped."""
    key = normalize_for_hash(title) if title else ""
    idx = next((i for i, ln in enumerate(lines) if key and normalize_for_hash(ln) == key), None)
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


def extract(body: bytes | str, url: str, profile: SiteProfile | None = None, *,
            header_charset: str | None = None, lang_hint: str | None = None,
            feed_date: str | None = None, now: datetime | None = None) -> Article:
    """Extract one article. Raises ``ExtractError`` when there is no article."""
    warnings: list[str] = []
    if isinstance(body, bytes):
        html, how = decode_html(body, header_charset, profile.encoding if profile else None)
        if how.endswith(":replace"):
            warnings.append(f"encoding: undecodable bytes replaced ({how})")
    else:
        html = body
    try:
        doc = parse_html(html)
    except ParseError as e:
        raise ExtractError(str(e)) from e
    not_text: list = []
    meta = read_meta(doc, url, not_text)
    title, _title_method = _pick_title(doc, profile, meta)

    # Date and author are read before any element is removed.
    date_text = _first_text(doc, profile.date if profile else None)
    alternates = []
    if profile and profile.alternate:
        for a in css(doc, profile.alternate):
            href = a.get("href")
            if href and not href.startswith(("#", "javascript:")):
                alternates.append(urljoin(url, href.strip()))
    alternates.extend(u for u in meta.alternates.values() if u not in alternates)
    for el in not_text:  # script, style, noscript, template (read_meta found them)
        el.getparent().remove(el) if el.getparent() is not None else None
    page_root = _body_or_doc(doc)
    author_text = _first_text(doc, profile.author if profile else None)

    # Date cascade, first part: profile element, JSON-LD/meta (peers.md §2.1). Pure
    # functions of strings read above, so decided here, before the tree is pruned.
    tz = profile.timezone if profile else None
    found: FoundDate | None = None
    date_method = ""
    fresh: tuple[FoundDate, str] | None = None
    for candidate, how in ((date_text, "profile"), (meta.ld_published, "jsonld"),
                           (meta.published, "meta")):
        if candidate:
            d = _first_real(candidate, now, tz)
            if d:
                found, date_method = d, how
                break
            if fresh is None and how != "profile":
                ds = find_dates(candidate, now)
                fresh = (ds[0], how) if ds else None
    # The whole page's lines feed the text date and author fallbacks only; reading them
    # is the largest single cost of a generic extraction (0.5 of 1.4 ms a page on the
    # generated mirror, cProfile), so they are read (before the body search prunes the
    # tree) only when one of those fallbacks will look at them. Which lines the date
    # fallback reads when metadata dates were all render times (the whole page, or what
    # the body search left of it) depends, as it always did, on whether metadata
    # answered both date and author.
    author_needed = not (meta.ld_author or meta.author or author_text)
    whole_page = not (date_text or meta.ld_published or meta.published) or author_needed
    page_lines = None
    if (whole_page and not found) or (author_needed and may_name_author(page_root)):
        page_lines = block_lines(page_root)

    # Body: profile selector, then JSON-LD articleBody, then the generic search.
    method = ""
    lines: list[str] = []
    body_els: list = []
    left_out: set[str] = set()
    if profile and profile.body:
        els = css(doc, profile.body)
        if els:
            for el in els:
                drop_junk_elements(el, profile.drop)
            lines = [ln for el in els for ln in block_lines(el)]
            body_els = els
        if lines and sum(text_units(ln) for ln in lines) >= MIN_BODY_UNITS:
            method = "profile"
        else:
            warnings.append(f"selector miss: body {profile.body!r} matched {len(els)} element(s)"
                            f" with {sum(text_units(ln) for ln in lines)} units; fell back")
            lines = []
    # JSON-LD articleBody is often a teaser, paywall-cut or one unbroken blob: on the
    # fundus set the DOM path scored higher on all 15 pages that carry one. Profiled
    # sites keep it before the generic search (their mirror pages were tuned so).
    ld_ok = bool(meta.ld_body) and text_units(meta.ld_body or "") >= MIN_BODY_UNITS
    if not method and ld_ok and profile is not None:
        lines = [collapse_ws(p) for p in (meta.ld_body or "").splitlines() if collapse_ws(p)]
        method = "jsonld"
    if not method:
        root = _body_or_doc(doc)
        if profile:
            for sel in profile.drop:
                for el in css(doc, sel):
                    if el.getparent() is not None:
                        el.getparent().remove(el)
        lines, body_els, left_out = generic_lines(root)
        if sum(text_units(ln) for ln in lines) >= MIN_BODY_UNITS:
            method = "generic"
    if not method and ld_ok:
        lines = [collapse_ws(p) for p in (meta.ld_body or "").splitlines() if collapse_ws(p)]
        method = "jsonld"
    if not method:
        raise ExtractError("no article body found")
    if profile and profile.body and method != "profile":
        method = f"profile>{method}"

    # Date cascade, rest: labelled or post-headline line, feed date, URL.
    if not found:
        if page_lines is None:  # metadata dates were all render times: read what is left
            page_lines = block_lines(page_root)
        found = _date_near_title(page_lines, title, now, tz)
        date_method = "text" if found else ""
    if not found and feed_date:
        found = parse_feed_date(feed_date, now)
        date_method = "feed" if found else ""
    if not found:
        found = date_from_url(url, now)
        date_method = "url" if found else ""
    if not found and fresh:
        # An explicit publish field within minutes of the fetch, and no other date on
        # the page: a story crawled right after it went up, not a render stamp.
        found, date_method = fresh[0], f"{fresh[1]}:fresh"
    published = found.to_iso(tz) if found else None
    republished = None
    if profile and profile.republished:
        # B2B copies: the page's date is when the copy went up, not the story's date.
        republished, published = published, None
    if profile and profile.date and date_method != "profile":
        warnings.append(f"selector miss: date {profile.date!r}; used {date_method or 'nothing'}")

    if method.endswith("jsonld") or not body_els:
        body_html = "".join(f"<p>{escape(ln)}</p>" for ln in lines)
    else:
        body_html = filter_html_blocks(sanitize_html(body_els, url), left_out)
    lines = [ln for ln in (repair_text(x) for x in lines) if ln]
    title = repair_text(title)
    text = "\n".join(lines)
    author = author_from(author_text, meta, page_lines or [])
    author = repair_text(author) if author else author
    lang = detect_language(title + "\n" + text, lang_hint)

    canonical = url
    if meta.canonical and profile and profile.owns(meta.canonical):
        canonical = meta.canonical

    sibling_key = sibling_seq = None
    if profile and profile.sibling:
        m = re.search(profile.sibling.pattern, url)
        if m:
            sibling_key, sibling_seq = f"{profile.key}:{m['key']}", int(m["seq"])

    return Article(
        url=url,
        source=profile.key if profile else "",
        title=title,
        text=text,
        lang=lang,
        published=published,
        republished=republished,
        body_html=body_html,
        author=author,
        canonical_url=canonical,
        extraction_method=method,
        date_method=date_method,
        fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        alternate_urls=[a for a in alternates if a != url],
        warnings=warnings,
        sibling_key=sibling_key,
        sibling_seq=sibling_seq,
    )


def generic_text(html: bytes | str, url: str) -> str:
    """Body text as the pipeline stores it for a page with no profile: the generic
    extractor then line cleaning; empty when there is no article."""
    from aggregator.clean.lines import clean_lines

    try:
        art = extract(html, url)
    except ExtractError:
        return ""
    kept, _removed = clean_lines(art.text.split("\n"), None, art.title)
    return "\n".join(kept)
