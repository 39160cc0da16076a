"""Recall of the generic extractor (no profile) on pages written here, one page shape
each: the article's whole text comes out (headings, lists, tables, every part of a body
split by ads, figures, pull quotes and "read more" widgets), the chrome does not, and a
page with an article never gives nothing."""

from __future__ import annotations

import random

from lxml import html as lxml_html

from aggregator.extract import extract, generic_text
from aggregator.html import unwrap

URL = "https://news.example.org/2026/11/30/story.html"

PARAS = [
    "The regional grid operator approved the storage project after a two year review of "
    "its effect on local transmission lines and the surrounding wetlands.",
    "Construction starts in the spring, and the developer expects the first battery units "
    "to be connected before the end of the following year.",
    "Local officials said the project would create about two hundred jobs during "
    "construction and forty permanent positions once the site is running.",
    "Critics argued that the review underestimated the fire risk, and a citizens group "
    "said it would ask the state court to look at the permit again.",
]
CHROME = "Subscribe to our newsletter for the latest grid news every morning"


def _page(body: str, head: str = "") -> str:
    return (f"<html><head><title>Storage project approved | Grid News</title>{head}</head>"
            f"<body><header><nav><ul><li><a href='/'>Home</a></li><li><a href='/grid'>Grid</a>"
            f"</li></ul></nav></header>{body}"
            f"<footer><p>{CHROME}</p><p>Copyright 2026 Grid News</p></footer></body></html>")


def _text(html: str) -> str:
    return generic_text(html, URL)


def _assert_all(text: str, parts: list[str]) -> None:
    for p in parts:
        assert p in text, (p, text)


def test_short_article_is_not_empty() -> None:
    html = _page("<main><h1>Storage project approved</h1>"
                 "<p>The regional grid operator approved the storage project on Monday.</p>"
                 "<p>Construction starts in the spring next year.</p></main>")
    text = _text(html)
    assert "approved the storage project on Monday" in text
    assert "Construction starts in the spring" in text


def test_body_split_by_ad_figure_pull_quote_and_read_more() -> None:
    html = _page(
        "<article><h1>Storage project approved</h1>"
        f"<div class='content'><p>{PARAS[0]}</p></div>"
        "<div class='ad-slot'><p>Advertisement. Scroll to continue reading the story.</p></div>"
        f"<div class='content'><p>{PARAS[1]}</p></div>"
        "<figure><img src='/a.jpg'><figcaption>The site, seen from the east, in a photo "
        "taken last week by our photographer</figcaption></figure>"
        f"<div class='content'><p>{PARAS[2]}</p>"
        "<blockquote class='pull-quote'><p>We waited two years for this decision</p></blockquote></div>"
        "<div class='read-more related'><h3>Read more</h3><ul><li><a href='/x'>Another story "
        "about batteries and the grid</a></li><li><a href='/y'>Yet another story about the "
        "grid</a></li></ul></div>"
        f"<div class='content'><p>{PARAS[3]}</p></div></article>")
    text = _text(html)
    _assert_all(text, PARAS)
    assert "We waited two years for this decision" in text
    assert "Advertisement" not in text and "Another story" not in text
    assert "photo taken last week" not in text and CHROME not in text


def test_headings_lists_and_tables_stay() -> None:
    html = _page(
        "<article><h1>Storage project approved</h1>"
        f"<p>{PARAS[0]}</p><h2>What the permit allows</h2><p>{PARAS[1]}</p>"
        "<ul><li>Up to 400 megawatt-hours of lithium iron phosphate cells</li>"
        "<li>A new substation connected to the 220 kV line</li></ul>"
        f"<h3>The numbers</h3><p>{PARAS[2]}</p>"
        "<figure class='wp-block-table'><table><tr><th>Phase</th><th>Capacity</th></tr>"
        "<tr><td>One</td><td>200 MWh</td></tr><tr><td>Two</td><td>400 MWh</td></tr>"
        f"</table></figure><p>{PARAS[3]}</p></article>")
    text = _text(html)
    _assert_all(text, [*PARAS, "What the permit allows", "The numbers",
                       "Up to 400 megawatt-hours", "A new substation"])
    lines = text.split("\n")
    assert "One 200 MWh" in lines and "Two 400 MWh" in lines  # a row a line, cells apart


def test_listicle_cards_and_page_builder_widgets_are_content() -> None:
    cards = "".join(
        f"<div class='listicle-card' id='card-{i}'><h2>#{i} Pick number {i}</h2>"
        f"<p>{p}</p></div>" for i, p in enumerate(PARAS, 1))
    html = _page("<main><h1>The four best storage projects</h1>"
                 "<div class='widget-span widget-type-rich_text'><p>" + PARAS[0] + "</p></div>"
                 + cards + "</main>")
    text = _text(html)
    _assert_all(text, [*PARAS, "#2 Pick number 2", "#4 Pick number 4"])


def test_article_inside_an_unclosed_menu() -> None:
    """The parser puts the whole page inside a <nav> or <button> whose markup was never
    closed; the article is still found."""
    for opener in ("<nav class='menu'><ul><li><a href='/'>Home</a>",
                   "<div class='menu-top'><button class='menu-button'><span>Menu</span>"):
        html = ("<html><head><title>Story</title></head><body><header>" + opener +
                "<main><h1>Storage project approved</h1>" +
                "".join(f"<p>{p}</p>" for p in PARAS) + "</main></body></html>")
        art = extract(html, URL)
        _assert_all(art.text, PARAS)
        assert art.extraction_method == "generic"


def test_article_after_the_closing_html_tag_falls_back_and_says_so() -> None:
    html = ("<html><head><title>Story</title></head><body><nav><a href='/'>Home</a></nav>"
            "</body></html>\n<div class='post'>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</div>")
    art = extract(html, URL)
    _assert_all(art.text, PARAS)
    assert art.extraction_method == "generic:reparsed"


def test_streamed_react_segments_and_label_hidden_fields_are_content() -> None:
    html = _page("<main><h1>Storage project approved</h1>"
                 f"<div class='field field--label-hidden'><p>{PARAS[0]}</p></div>"
                 f"<p>{PARAS[1]}</p>"
                 f"<div hidden id='S:1f'><p>{PARAS[2]}</p><p>{PARAS[3]}</p></div>"
                 f"<div hidden class='modal'><p>{CHROME}, or sign in to keep reading here</p></div>"
                 "</main>")
    text = _text(html)
    _assert_all(text, PARAS)
    assert "sign in to keep reading" not in text


def test_linked_item_titles_stay_calls_to_action_go() -> None:
    html = _page("<article><h1>Deals of the month</h1>"
                 f"<p>{PARAS[0]}</p><p><a href='/a'>Dataminr acquires ThreatConnect</a></p>"
                 f"<p>{PARAS[1]}</p><p><a href='/app'>CLICK TO GET THE NEWS APP</a></p>"
                 f"<p>{PARAS[2]}</p></article>")
    text = _text(html)
    assert "Dataminr acquires ThreatConnect" in text
    assert "CLICK TO GET THE NEWS APP" not in text


def test_unwrap_is_drop_tag() -> None:
    """``unwrap`` (linear time) leaves the same tree as lxml's ``drop_tag``."""
    rng = random.Random(7)

    def gen(depth: int = 0) -> str:
        out = ""
        for _ in range(rng.randint(0, 3)):
            text = rng.choice(["", "a", "b ", " c"])
            tail = rng.choice(["", "x", "y "])
            if depth < 3 and rng.random() < 0.6:
                out += f"<div>{text}{gen(depth + 1)}</div>{tail}"
            else:
                out += f"<span>{text}</span>{tail}"
        return out

    for _ in range(500):
        src = f"<div id='r'>q{gen()}w</div>"
        a, b = lxml_html.fromstring(src), lxml_html.fromstring(src)
        for e in [x for x in a.iter("div") if x is not a]:
            e.drop_tag()
        for e in [x for x in b.iter("div") if x is not b]:
            unwrap(e)
        assert lxml_html.tostring(a) == lxml_html.tostring(b), src
