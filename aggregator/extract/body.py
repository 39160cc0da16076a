"""Main content: the profile's body selector, else a generic text-density search.

The generic search scores paragraph-like blocks by their reading units (CJK
characters + Latin words, never whitespace words) discounted by link density,
credits each block's parent fully and grandparent by half, and returns the best
container (the readability family's idea, written for mixed zh/en pages).
"""

from __future__ import annotations

from lxml import etree

from aggregator.html import BLOCK_TAGS, block_lines
from aggregator.text import collapse_ws, text_units

__all__ = ["generic_body", "MIN_BODY_UNITS"]

# A selected body shorter than this (reading units) counts as a miss. The shortest
# real article body in the mirror is ~120 units; chrome-only containers (share bars,
# date rows) are < 30.
MIN_BODY_UNITS = 40
# Paragraph-like blocks under this many units do not vote (captions, buttons, dates).
MIN_BLOCK_UNITS = 8
_PARA_TAGS = ("p", "div", "td", "li", "pre", "blockquote", "font", "span", "section", "article")


def _own_units(el: etree._Element) -> tuple[int, int]:
    """(units of the text directly in ``el`` and its inline children, units inside links)."""
    parts: list[str] = [el.text or ""]
    link: list[str] = []
    for child in el:
        if isinstance(child.tag, str) and child.tag not in BLOCK_TAGS:
            t = child.text_content() if child.tag not in ("script", "style") else ""
            parts.append(t)
            if child.tag == "a":
                link.append(t)
        parts.append(child.tail or "")
    text = collapse_ws(" ".join(parts))
    return text_units(text), text_units(" ".join(link))


def generic_body(root: etree._Element) -> etree._Element | None:
    scores: dict[etree._Element, float] = {}
    for el in root.iter(*_PARA_TAGS):
        units, link_units = _own_units(el)
        if units < MIN_BLOCK_UNITS:
            continue
        density = link_units / units
        if density > 0.5:
            continue
        score = units * (1.0 - density)
        parent = el.getparent()
        if el.tag in ("p", "pre", "blockquote") and parent is not None:
            scores[parent] = scores.get(parent, 0.0) + score
            grand = parent.getparent()
            if grand is not None:
                scores[grand] = scores.get(grand, 0.0) + score / 2
        else:
            # text directly in a div/td (br-separated pages): the element itself is content
            scores[el] = scores.get(el, 0.0) + score
            if parent is not None:
                scores[parent] = scores.get(parent, 0.0) + score / 2
    if not scores:
        return None
    return max(scores.items(), key=lambda kv: kv[1])[0]


def body_units(el: etree._Element) -> int:
    return sum(text_units(ln) for ln in block_lines(el))
