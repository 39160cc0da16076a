"""The article's author: the profile's element, JSON-LD and meta, else a byline among
the page's lines (``author_from``); ``may_name_author`` says, before the lines are read,
whether any of them can hold one."""

from __future__ import annotations

import re

from lxml import etree

from aggregator.extract.metadata import PageMeta
from aggregator.html import SKIP_TAGS
from aggregator.text import text_units

__all__ = ["author_from", "may_name_author"]

_AUTHOR_PATTERNS = [
    re.compile(r"[\[【(（]\s*(?:编辑|編輯|责任编辑|責任編輯)\s*[:：]\s*([^\]】)）]+)[\]】)）]"),
    re.compile(r"(?:作者|编辑|編輯|责任编辑|責任編輯|记者|記者)\s*[:：]\s*([^\s|，,]+)"),
    re.compile(r"^\s*By\s+([A-Z][\w.\-']+(?:\s+[A-Z][\w.\-']+){0,3})\s*$"),
]
# Every _AUTHOR_PATTERNS match holds "By" or one of these labels (责任编辑 holds 编辑):
# a page whose lines have none is answered by six substring tests instead of three
# regex searches a line (0.074 -> 0.017 ms a page on the generated mirror, issue 8).
_AUTHOR_WORDS = ("编辑", "編輯", "作者", "记者", "記者")
_AUTHOR_LABEL = re.compile(r"^\s*(?:by|author|作者|编辑|編輯|责任编辑|責任編輯|记者|記者)\s*[:：]?\s*", re.I)


# Whether the page's lines (block_lines) can hold "By" or an _AUTHOR_WORDS label, asked
# before the lines are read (0.04 instead of 0.45 ms a page on the generated mirror).
# block_lines only inserts line breaks and turns whitespace into spaces, so a word of
# the lines is a word of the tree's whole text, read in C, unless the text nodes it
# joins had left-out nodes between them (SKIP_TAGS elements, comments): then each text
# node is looked at apart, a word inside one or starting at the end of one (the "\x00"
# separator) counting. False here means author_from's own test on the lines is False too.
_AUTHOR_FIRST = tuple(dict.fromkeys(w[0] for w in ("By", *_AUTHOR_WORDS)))
_LEFT_OUT = (*SKIP_TAGS, etree.Comment, etree.ProcessingInstruction)


def may_name_author(root) -> bool:
    """False when no line of ``block_lines(root)`` can contain "By" or an author label."""
    whole = etree.tostring(root, method="text", encoding=str, with_tail=False)
    if "By" in whole or any(w in whole for w in _AUTHOR_WORDS):
        return True
    if next(root.iter(*_LEFT_OUT), None) is None:
        return False
    nodes = "\x00".join(root.itertext()) + "\x00"
    return any(c + "\x00" in nodes for c in _AUTHOR_FIRST)


def author_from(raw: str | None, meta: PageMeta, lines: list[str]) -> str | None:
    """The author: the profile element's text (``raw``), JSON-LD, meta, else a byline
    among the page's ``lines``."""
    if raw:
        for rx in _AUTHOR_PATTERNS[:1]:
            m = rx.search(raw)
            if m:
                return m.group(1).strip()
        return _AUTHOR_LABEL.sub("", raw).strip() or None
    if meta.ld_author:
        return meta.ld_author
    if meta.author:
        return meta.author
    page = "\n".join(lines)
    if "By" not in page and not any(w in page for w in _AUTHOR_WORDS):
        return None  # no line can match any pattern
    for ln in lines:
        for rx in _AUTHOR_PATTERNS:
            m = rx.search(ln)
            if m and text_units(m.group(1)) <= 6:
                return m.group(1).strip()
    return None
