"""HTML parsing and element helpers shared by extract, clean and the spider on lxml: CSS via parsel's translator, block text."""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree
from lxml import html as lxml_html
from parsel.csstranslator import HTMLTranslator

__all__ = ["parse_html", "css", "block_lines", "remove", "BLOCK_TAGS"]

BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
    "article", "blockquote", "dd", "dt", "dl", "pre", "figure", "figcaption", "header", "footer",
    "main", "aside", "nav", "form", "address", "center", "hr", "tbody", "thead",
})
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "object",
                       "embed", "select", "option", "textarea", "button", "input"})

_translator = HTMLTranslator()
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ParseError(ValueError):
    pass


def parse_html(text: str) -> lxml_html.HtmlElement:
    """Parse a (possibly broken) HTML document; ValueError when nothing parseable."""
    # C0 control characters (NUL from broken servers, stray bytes) are invalid in XML/lxml
    # text and make later edits of the tree raise ValueError: drop them (fuzz finding).
    text = _CONTROL.sub("", text) if text else text
    if not text or not text.strip():
        raise ParseError("empty document")
    # lxml refuses str input that carries an XML encoding declaration.
    if text.lstrip().startswith("<?xml"):
        text = text.split("?>", 1)[-1]
    try:
        doc = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as e:
        raise ParseError(f"unparseable HTML: {e}") from e
    return doc


@lru_cache(maxsize=512)
def _xpath(selector: str) -> etree.XPath:
    return etree.XPath(_translator.css_to_xpath(selector))


def css(el: etree._Element, selector: str) -> list[etree._Element]:
    """Elements matching a CSS selector (parsel dialect, e.g. ``:contains()``)."""
    try:
        res = _xpath(selector)(el)
    except Exception:  # noqa: BLE001 - a bad selector in a profile is a miss, not a crash
        return []
    return [r for r in res if isinstance(r, etree._Element)]


def remove(el: etree._Element) -> None:
    """Remove an element but keep its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def block_lines(el: etree._Element) -> list[str]:
    """Visible text of ``el`` split at block boundaries and <br>, whitespace collapsed."""
    from aggregator.text import collapse_ws

    parts: list[str] = []
    skip_depth = 0
    for event, e in etree.iterwalk(el, events=("start", "end")):
        tag = e.tag if isinstance(e.tag, str) else ""
        if event == "start":
            if skip_depth or tag in SKIP_TAGS or not tag:
                if tag in SKIP_TAGS or (not tag and skip_depth):
                    skip_depth += 1
                continue
            if tag in BLOCK_TAGS or tag == "br":
                parts.append("\n")
            if e.text:
                parts.append(e.text)
        else:
            if tag in SKIP_TAGS or (not tag and skip_depth):
                skip_depth -= 1
                if skip_depth:
                    continue
            elif skip_depth:
                continue
            elif tag in BLOCK_TAGS:
                parts.append("\n")
            if e is not el and e.tail:
                parts.append(e.tail)
    return [ln for ln in (collapse_ws(x) for x in "".join(parts).split("\n")) if ln]
