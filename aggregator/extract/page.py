"""The page object every extraction step reads: parsed once, its costly parts computed
on first use (``functools.cached_property``), in the spirit of fundus's article
attributes and web-poet's page objects.

The tree is changed in place in two places only, both here so their order is explicit:
``text_root`` removes script/style/noscript/template (after ``profile_date_text`` and
``alternates`` were read from the untouched tree), and the body step prunes what is
left (after ``lines``, the whole page's text, has been read when a step needs it).
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cached_property
from urllib.parse import urljoin

from aggregator.extract.encoding import decode_html
from aggregator.extract.metadata import PageMeta, read_meta
from aggregator.html import ParseError, block_lines, css, parse_html
from aggregator.profiles import SiteProfile
from aggregator.text import collapse_ws, text_units

__all__ = ["Page", "ExtractError", "el_text", "first_text"]


_END_TAGS = re.compile(r"</(?:body|html)\s*>", re.I)


class ExtractError(ValueError):
    """The page holds no article we can extract (empty, unparseable, no body)."""


def el_text(el) -> str:
    return collapse_ws(" ".join(block_lines(el)))


def first_text(doc, selector: str | None) -> str | None:
    """The first non-empty text of the elements ``selector`` matches."""
    if not selector:
        return None
    for el in css(doc, selector):
        t = el_text(el)
        if t:
            return t
    return None


class Page:
    """One page being extracted: input, parsed tree, metadata, and the notes
    (``warnings``) the steps leave."""

    def __init__(self, body: bytes | str, url: str, profile: SiteProfile | None = None, *,
                 header_charset: str | None = None, lang_hint: str | None = None,
                 feed_date: str | None = None, now: datetime | None = None) -> None:
        self.url = url
        self.profile = profile
        self.lang_hint = lang_hint
        self.feed_date = feed_date
        self.now = now
        self.warnings: list[str] = []
        if isinstance(body, bytes):
            html, how = decode_html(body, header_charset, profile.encoding if profile else None)
            if how.endswith(":replace"):
                self.warnings.append(f"encoding: undecodable bytes replaced ({how})")
        else:
            html = body
        self.html = html
        self._not_text: list = []

    @property
    def tz(self) -> str | None:
        return self.profile.timezone if self.profile else None

    @cached_property
    def doc(self):
        try:
            return parse_html(self.html)
        except ParseError as e:
            raise ExtractError(str(e)) from e

    @cached_property
    def meta(self) -> PageMeta:
        """JSON-LD, meta and link tags (one walk, which also finds the not-text elements)."""
        return read_meta(self.doc, self.url, self._not_text)

    @cached_property
    def profile_date_text(self) -> str | None:
        """The profile's date element's text, read from the untouched tree."""
        return first_text(self.doc, self.profile.date if self.profile else None)

    @cached_property
    def alternates(self) -> list[str]:
        """Other-language versions: the profile's alternate links, then hreflang links."""
        out: list[str] = []
        if self.profile and self.profile.alternate:
            for a in css(self.doc, self.profile.alternate):
                href = a.get("href")
                if href and not href.startswith(("#", "javascript:")):
                    out.append(urljoin(self.url, href.strip()))
        out.extend(u for u in self.meta.alternates.values() if u not in out)
        return out

    @cached_property
    def h1(self) -> str:
        """The first <h1> with a text of 3+ units ("" when none)."""
        for h in self.doc.iter("h1"):
            t = el_text(h)
            if t and text_units(t) >= 3:
                return t
        return ""

    @cached_property
    def has_headline(self) -> bool:
        """Whether the page names an article headline (JSON-LD or an <h1>), read before
        the body search prunes the tree: a captcha or listing page has neither."""
        return bool(self.meta.ld_headline) or next(self.doc.iter("h1"), None) is not None

    @cached_property
    def text_root(self):
        """``<body>`` (else the document) with script, style, noscript and template gone.
        What must see the untouched tree is read first."""
        self.meta, self.profile_date_text, self.alternates, self.has_headline  # noqa: B018 - read before removal
        for el in self._not_text:
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
        body = next(self.doc.iterchildren("body"), None)  # (1.3 us, find(): 2.6 us)
        return self.doc if body is None else body

    def reparse_past_end(self):
        """The page parsed again without its ``</body>``/``</html>`` tags, when text
        follows them (browsers show it; lxml drops what comes after ``</html>``: WCXB dev
        0310 closes both before its article). None when nothing follows them."""
        m = _END_TAGS.search(self.html)
        if m is None or len(self.html) - m.end() < 500:
            return None
        try:
            doc = parse_html(_END_TAGS.sub("", self.html))
        except ParseError:
            return None
        for el in list(doc.iter("script", "style", "noscript", "template")):
            if el.getparent() is not None:
                el.getparent().remove(el)
        body = next(doc.iterchildren("body"), None)
        return doc if body is None else body

    @cached_property
    def profile_author_text(self) -> str | None:
        self.text_root  # noqa: B018 - read after the not-text elements went, as always
        return first_text(self.doc, self.profile.author if self.profile else None)

    @cached_property
    def lines(self) -> list[str]:
        """The whole page's text lines before the body search prunes the tree (the date
        and author fallbacks read them). The largest single cost of a generic
        extraction (0.5 of 1.4 ms a page on the generated mirror, cProfile): only read
        when a step needs it, and the steps that do run before the body step."""
        return block_lines(self.text_root)
