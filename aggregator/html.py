"""HTML parsing and element helpers shared by extract, clean and the spider on lxml: CSS via parsel's translator, block text."""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree
from lxml import html as lxml_html
from parsel.csstranslator import HTMLTranslator

from aggregator.text import WS_RUN

__all__ = ["parse_html", "css", "block_lines", "remove", "BLOCK_TAGS", "sanitize_html",
           "filter_html_blocks", "text_of"]

BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
    "article", "blockquote", "dd", "dt", "dl", "pre", "figure", "figcaption", "header", "footer",
    "main", "aside", "nav", "form", "address", "center", "hr", "tbody", "thead",
})
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "object",
                       "embed", "select", "option", "textarea", "button", "input"})

_translator = HTMLTranslator()
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes(c for c in range(128) if _CONTROL.match(chr(c)))


def _has_control(text: str, raw: bytes | None = None) -> bool:
    """Whether ``_CONTROL`` would match (``raw``: the text in UTF-8, if at hand): in
    UTF-8 an ASCII byte only ever encodes that character, so the bytes say it;
    bytes.translate deletes them 4x faster than the regex scans a 21 KB page (0.014 vs
    0.061 ms, issue 8)."""
    if raw is None:
        raw = text.encode("utf-8", "surrogatepass")
    return len(raw.translate(None, _CONTROL_BYTES)) != len(raw)


class ParseError(ValueError):
    pass


# lxml.html's own parser picks each element's Python class in Python (form, input,
# label... get their own classes), a call for every element the first time code touches
# it; this one makes every element an HtmlElement in C: 15 % off parsing plus a walk of
# the page (bench/extract_regress.py, issue 8). Nothing here uses the form classes.
_PARSER = etree.HTMLParser()
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment,
    pi=lxml_html.HtmlProcessingInstruction, entity=lxml_html.HtmlEntity))


# The same parser told that its input is UTF-8. lxml hands libxml2 a str of Chinese
# text as UTF-16, which libxml2 converts to UTF-8 again; the UTF-8 bytes made for the
# control-character test are parsed as they are instead: 0.194 -> 0.183 ms a page on the
# generated mirror, the same trees (bench/extract_regress.py, issue 8). The forced
# encoding wins over a <meta charset>, as the str's did.
_UTF8_PARSER = etree.HTMLParser(encoding="utf-8")
_UTF8_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment,
    pi=lxml_html.HtmlProcessingInstruction, entity=lxml_html.HtmlEntity))


def parse_html(text: str) -> lxml_html.HtmlElement:
    """Parse a (possibly broken) HTML document; ValueError when nothing parseable."""
    try:
        raw: bytes | None = text.encode("utf-8") if text else None
    except UnicodeEncodeError:  # a lone surrogate: lxml reads the str, as it always did
        raw = None
    # C0 control characters (NUL from broken servers, stray bytes) are invalid in XML/lxml
    # text, make lxml refuse a str outright and make later edits of the tree raise
    # ValueError: drop them (fuzz finding). They are never text.
    if text and _has_control(text, raw):
        text = _CONTROL.sub("", text)
        raw = None
    if not text or not text.strip():
        raise ParseError("empty document")
    # lxml refuses str input that carries an XML encoding declaration.
    if text.lstrip().startswith("<?xml"):
        text = text.split("?>", 1)[-1]
        raw = None
    if text.startswith("\ufeff"):  # bytes would start with a UTF-8 byte-order mark
        raw = None
    try:
        if raw is not None:
            doc = lxml_html.document_fromstring(raw, parser=_UTF8_PARSER)
        else:
            doc = lxml_html.document_fromstring(text, parser=_PARSER)
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


def text_of(el: etree._Element) -> str:
    """``el.text_content()``: an element without children holds only its own text, read
    without the XPath call text_content makes (0.3 instead of 1.6 us; most paragraphs,
    links and titles are such leaves, issue 8)."""
    if len(el):
        return el.text_content()
    return el.text or ""


def unwrap(el: etree._Element) -> None:
    """``el.drop_tag()`` (its children and text take its place) in time independent of
    its position: drop_tag finds the element by index (and re-slices the parent), which
    made sanitising a body of 50,000 sibling <div>s take minutes."""
    parent = el.getparent()
    if parent is None:
        return
    lead, tail = el.text or "", el.tail or ""
    kids = list(el)
    if kids:
        last = kids[-1]
        last.tail = (last.tail or "") + tail
        for c in reversed(kids):
            el.addnext(c)  # (addnext moves c with its tail)
        el.tail = None
    else:
        lead += tail
    el.tail = lead or None
    remove(el)


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
    """Visible text of ``el`` split at block boundaries and <br>, whitespace collapsed.
    Line breaks in the HTML source are spaces (as a browser renders them), except
    inside <pre>."""
    tag = el.tag
    if not isinstance(tag, str) or tag in SKIP_TAGS:
        return []
    parts: list[str] = []
    _block_text(el, tag == "pre", parts)
    # collapse_ws per line, done once over the joined text: its whitespace class holds
    # no "\n", so no run crosses a line break (one regex pass instead of one per line).
    text = WS_RUN.sub(" ", "".join(parts))
    return [ln for ln in (x.strip() for x in text.split("\n")) if ln]


def _block_text(e: etree._Element, pre: bool, parts: list[str]) -> None:
    """Append the text of ``e`` (not its tail) to ``parts``, "\n" around block elements
    and after <br>; ``pre``: inside a <pre> (within the element block_lines was given).
    Recursive rather than an iterwalk: one Python step per element instead of two
    events; lxml's HTML parser nests at most ~255 deep."""
    tag = e.tag
    block = tag in BLOCK_TAGS
    if block or tag == "br":
        parts.append("\n")
    t = e.text
    if t:
        parts.append(t if pre else t.replace("\r", " ").replace("\n", " "))
    for c in e:
        ctag = c.tag
        if not isinstance(ctag, str):
            # A comment's or processing instruction's tail is left out, as the iterwalk
            # this replaced did (it reports no events for them): "All <!-- -->Taxes"
            # reads "All". Kept for identical output; see docs/performance.md.
            continue
        if ctag not in SKIP_TAGS:
            _block_text(c, pre or ctag == "pre", parts)
        t = c.tail  # a skipped element's tail is text again
        if t:
            parts.append(t if pre else t.replace("\r", " ").replace("\n", " "))
    if block:
        parts.append("\n")


# --- sanitised body HTML ----------------------------------------------------------------
# Structure kept for readers: paragraphs, headings, lists, tables, images and links only.
KEEP_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
                       "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "img",
                       "a", "br", "blockquote"})
_DROP_TREE = SKIP_TAGS | {"canvas", "video", "audio", "picture", "source", "map", "head", "title",
                          "meta", "link", "base", "frame", "frameset", "applet", "math", "form"}
_KEEP_ATTRS = {"a": ("href", "title"), "img": ("src", "alt", "title"), "td": ("colspan", "rowspan"),
               "th": ("colspan", "rowspan")}
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_BLOCKISH = frozenset({"div", "section", "article", "main", "center", "header", "footer", "aside",
                       "figure", "figcaption", "address", "pre"})


def _safe_url(value: str | None, base_url: str, schemes: tuple[str, ...]) -> str | None:
    from urllib.parse import urljoin

    if not value:
        return None
    v = value.strip()
    if not (v.isascii() and v.isprintable()):  # printable ASCII would all be kept
        v = "".join(ch for ch in v if ch >= " " and not ch.isspace() or ch == " ")
    url = urljoin(base_url, v) if base_url else v
    return url if url.lower().startswith(schemes) else None


def sanitize_html(elements: list[etree._Element], base_url: str = "") -> str:
    """A safe HTML fragment from copies of ``elements``: only ``KEEP_TAGS`` survive (other
    containers are unwrapped, keeping their text; a div holding only text becomes a
    <p>); no script, style, event handler, style/class attribute or non-http(s) URL."""
    root = lxml_html.Element("div")
    for el in elements:
        root.append(el.__copy__())  # what copy.deepcopy calls, without its dispatch
    for e in list(root.iter()):
        if e is root or e.getparent() is None:
            continue
        tag = e.tag.lower() if isinstance(e.tag, str) else ""
        if not tag or tag in _DROP_TREE:
            remove(e)
            continue
        if tag not in KEEP_TAGS:
            own = (e.text or "").strip() or any((c.tail or "").strip() for c in e)
            if tag in _BLOCKISH and own and not any(
                    isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in e):
                e.tag = "p"
                tag = "p"
            else:
                unwrap(e)
                continue
        keep = _KEEP_ATTRS.get(tag, ())
        for name in e.keys():
            if name not in keep:
                del e.attrib[name]
        if tag == "a":
            href = _safe_url(e.get("href"), base_url, _SAFE_SCHEMES)
            if href:
                e.set("href", href)
            elif "href" in e.attrib:
                del e.attrib["href"]
        elif tag == "img":
            src = _safe_url(e.get("src"), base_url, _SAFE_SCHEMES[:2])
            if not src:
                remove(e)
                continue
            e.set("src", src)
    for e in list(root.iter("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "a",
                            "blockquote")):
        if e.getparent() is not None and not text_of(e).strip() and e.find(".//img") is None:
            remove(e)
    from aggregator.text import normalize_width, repair_mojibake

    # Text is only set where the repair changes it: setting makes a new text node (and
    # the text of most pages needs no repair). One serialisation of the wrapper instead
    # of one per child: sanitize_html 0.09 -> 0.06 ms a page (generated mirror, issue 8).
    for e in root.iter():
        t = e.text
        if t and (n := normalize_width(repair_mojibake(t))) != t:
            e.text = n
        t = e.tail
        if t and (n := normalize_width(repair_mojibake(t))) != t:
            e.tail = n
    return _inner_html(root)


def _inner_html(root: etree._Element) -> str:
    """The children of ``root`` (a bare <div>) serialised, after its own text stripped
    (as given, not escaped), the whole stripped."""
    if root.text and root.text.strip():
        parts = [root.text.strip()]
        parts += [etree.tostring(c, encoding="unicode", method="html", with_tail=True) for c in root]
        return "".join(parts).strip()
    root.text = None  # whitespace only: left out either way
    return etree.tostring(root, encoding="unicode", method="html")[len("<div>"):-len("</div>")].strip()


def filter_html_blocks(fragment: str, drop: set[str], lead_in: str = "") -> str:
    """Remove the leaf blocks of a sanitised fragment whose text is in ``drop`` (lines
    the text cleaner removed), and the first occurrence of ``lead_in``, so body_html
    carries no boilerplate the text lost."""
    from aggregator.text import collapse_ws

    if not fragment or not (drop or lead_in):
        return fragment
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for e in list(root.iter("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt")):
        if e.getparent() is not None and collapse_ws(text_of(e)) in drop:
            remove(e)
    lead_in = lead_in.strip()
    for e in root.iter() if lead_in else ():
        if e.text and lead_in in e.text:
            e.text = e.text.replace(lead_in, "", 1)
            break
        if e is not root and e.tail and lead_in in e.tail:
            e.tail = e.tail.replace(lead_in, "", 1)
            break
    return _inner_html(root)
