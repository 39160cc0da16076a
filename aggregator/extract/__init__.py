"""html + url (+ profile) -> Article. Pure functions: no Scrapy objects here.

``extract`` builds one ``Page`` (parsed once, its costly parts computed on first use,
``page.py``) and runs one step per field (``steps.py``): title, date, author, body and
language, each returning ``(value, method)``. The body's method is stored as
``extraction_method`` and the date's as ``date_method``.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from html import escape

from aggregator.extract.author import may_name_author
from aggregator.extract.page import ExtractError, Page
from aggregator.extract.steps import (
    author_step,
    body_step,
    date_step,
    generic_lines,
    is_render_time,
    language_step,
    title_step,
)
from aggregator.html import filter_html_blocks, sanitize_html
from aggregator.items import Article
from aggregator.profiles import SiteProfile
from aggregator.text import repair_text

__all__ = ["extract", "ExtractError", "generic_text", "may_name_author", "is_render_time",
           "generic_lines", "EXTRACTOR_VERSION"]

# Raised by hand with any change that can change what ``extract`` returns for a page;
# stored with every article (``articles.extractor_version``), so `lednews process`
# says "extractor 1 -> 2" on the articles whose result changed with it.
EXTRACTOR_VERSION = 1


def extract(body: bytes | str, url: str, profile: SiteProfile | None = None, *,
            header_charset: str | None = None, lang_hint: str | None = None,
            feed_date: str | None = None, now: datetime | None = None) -> Article:
    """Extract one article. Raises ``ExtractError`` when there is no article."""
    page = Page(body, url, profile, header_charset=header_charset, lang_hint=lang_hint,
                feed_date=feed_date, now=now)
    page.meta  # noqa: B018 - parse and read metadata first: an unparseable page stops here
    title, _title_method = title_step(page)
    found, date_method = date_step(page, title)
    author, _author_method = author_step(page)
    content, method = body_step(page)  # prunes the tree: every other step ran before

    published = found.to_iso(page.tz) if found else None
    republished = None
    if profile and profile.republished:
        # B2B copies: the page's date is when the copy went up, not the story's date.
        republished, published = published, None
    if profile and profile.date and date_method != "profile":
        page.warnings.append(f"selector miss: date {profile.date!r}; used {date_method or 'nothing'}")

    if method.endswith("jsonld") or not content.elements:
        body_html = "".join(f"<p>{escape(ln)}</p>" for ln in content.lines)
    else:
        body_html = filter_html_blocks(sanitize_html(content.elements, url), content.left_out)
    lines = [ln for ln in (repair_text(x) for x in content.lines) if ln]
    title = repair_text(title)
    text = "\n".join(lines)
    author = repair_text(author) if author else author
    lang, _lang_method = language_step(page, title, text)

    meta = page.meta
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
        alternate_urls=[a for a in page.alternates if a != url],
        warnings=page.warnings,
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
