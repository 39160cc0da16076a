"""Discovery's pieces on small pages: URL shapes, rejections, pagination, menus, language
versions, non-article pages, dates, the ``home`` key of sources files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aggregator.discovery import (
    Plan,
    feed_links,
    headline_links,
    language_links,
    learn_shapes,
    news_sections,
    reject_reason,
    shape_regex,
    url_shape,
    wanted_sitemap,
)
from aggregator.extract.dates import find_dates
from aggregator.html import parse_html
from aggregator.pagekind import non_article_reason
from aggregator.paging import next_page, page_number
from aggregator.profiles import SourcesError, load_sources


@pytest.mark.parametrize("url,shape", [
    ("https://x.com/2024/05/12/acme-ships-micro-led-panels/", "/#/#/#/{slug}/"),
    ("https://x.com/news/2024/0512/123.html", "/news/#/#/#.html"),
    ("https://x.com/node/12", "/node/#"),
    ("https://x.com/index.php?m=content&c=index&a=show&catid=7&id=21", "/index.php?m=content&c=index&a=show&catid=#&id=#"),
    ("https://x.com/news/show-4012.html", "/news/show-#.html"),
    ("https://x.com/blogs/news/acme-opens-new-line", "/blogs/news/{slug}"),
])
def test_url_shape(url: str, shape: str) -> None:
    assert url_shape(url) == shape
    assert re.search(shape_regex(shape), url)


def test_shape_regex_keeps_pager_pages_out() -> None:
    rx = shape_regex(url_shape("https://x.com/news/led-street-light-tender-n-2381.html"))
    assert re.search(rx, "https://x.com/news/new-led-panels-launched-n-12.html")
    assert not re.search(rx, "https://x.com/news/list-2.html")


@pytest.mark.parametrize("url,why", [
    ("https://x.com/products/2024/0301/60.html", "product page"),
    ("https://x.com/tag/micro-led/", "tag page"),
    ("https://x.com/job/12.html", "job page"),
    ("https://x.com/download/7.html", "download page"),
    ("https://x.com/about-us/", "about page"),
    ("https://x.com/contact.html", "contact page"),
    ("https://x.com/2024/11/", "calendar archive"),
    ("https://x.com/e/tags/?tagname=MiniLED", "tag page"),
    ("https://x.com/taxonomy/term/5", "tag page"),
    ("https://x.com/", "home page"),
])
def test_reject_reason(url: str, why: str) -> None:
    assert reject_reason(url) == why


@pytest.mark.parametrize("url", [
    "https://x.com/2024/05/12/acme-launches-new-product-line/",  # words of a headline slug
    "https://x.com/index.php/about-us/company-news/12-acme-opens-plant",  # Joomla: news under about-us
    "https://x.com/news/shownews.php?lang=cn&id=12",
])
def test_articles_not_rejected(url: str) -> None:
    assert reject_reason(url) is None


def test_learn_shapes_needs_repetition_on_listings() -> None:
    listed = [f"https://x.com/news/{n}.html" for n in (1, 2, 3)] + ["https://x.com/case/9.html",
                                                                     "https://x.com/about/team-members-and-history.html"]
    assert learn_shapes([], listed) == ["/news/#.html"]
    assert learn_shapes(["https://x.com/node/5"], []) == ["/node/#"]


PAGER = "https://x.com/news/"


@pytest.mark.parametrize("html,url,want", [
    ('<ul class="pager__items"><li class="pager__item pager__item--next"><a href="?page=1"><span>下一页 ›</span></a></li></ul>',
     "https://x.com/news", "https://x.com/news?page=1"),
    ('<div class="nav-links"><a class="next page-numbers" href="/page/2/">Next &raquo;</a></div>', "https://x.com/",
     "https://x.com/page/2/"),
    ('<a href="/news/index_2.html"><img src="next.gif" alt="下一页"></a>', PAGER, "https://x.com/news/index_2.html"),
    ('<a aria-label="Go to next page" href="/c/news?start=4" class="page-link"><span class="icon"></span></a>',
     "https://x.com/c/news", "https://x.com/c/news?start=4"),
    ("<div class='dede_pages'><li class='thisclass'>1</li><li><a href='list_1_2.html'>2</a></li></div>", PAGER,
     "https://x.com/news/list_1_2.html"),
    ('<a href="list-3-2.html" title="下一页">&nbsp;&#8250;&nbsp;</a>', "https://x.com/news/list-3.html",
     "https://x.com/news/list-3-2.html"),
    ('<a href="/news/?page=2">后一页</a>', PAGER, "https://x.com/news/?page=2"),
    ('<div class="nav-previous"><a href="/page/2/">Older posts</a></div>', "https://x.com/", "https://x.com/page/2/"),
    # an endless calendar: "next" month links are followed (bounded by max_pages)
    ('<a href="/calendar/2024-06/">next</a>', "https://x.com/calendar/2024-05/", "https://x.com/calendar/2024-06/"),
    # a numbered link must be a page of the same listing; an off-site "next" is not taken
    ('<a href="/products/2.html">2</a> <a href="https://other.com/p2" rel="next">Next</a>', PAGER, None),
])
def test_next_page(html: str, url: str, want: str | None) -> None:
    assert next_page(parse_html(f"<html><body><p>x</p>{html}</body></html>"), url) == want


def test_page_number() -> None:
    assert page_number("https://x.com/news?page=3") == 3
    assert page_number("https://x.com/page/4/") == 4
    assert page_number("https://x.com/news/list_1_5.html") == 5
    assert page_number("https://x.com/news/") is None


MENU = """<html><head>
<link rel="alternate" type="application/rss+xml" title="Feed" href="/feed/">
<link rel="alternate" type="application/rss+xml" title="Comments Feed" href="/comments/feed/">
<link rel="alternate" hreflang="en" href="https://x.com/en/">
</head><body><nav><ul>
<li><a href="/">首页</a></li>
<li class="menu"><a href="javascript:void(0)">新闻资讯</a><ul class="sub"><li><a href="/list?catid=7">公司新闻</a></li>
<li><a href="/list?catid=8">行业资讯 ›</a></li></ul></li>
<li><a href="/index.php?lang=en">English</a></li></ul></nav>
<div class="main"><h3><a href="/news/1.html">鑫源LED发布新一代植物照明灯具 订单增长</a></h3>
<div class="share"><a href="/news/2.html">分享到新浪微博的这篇很长的文章标题</a></div></div></body></html>"""


def test_menu_feeds_languages_headlines() -> None:
    doc = parse_html(MENU)
    assert feed_links(doc, "https://x.com/") == ["https://x.com/feed/"]
    assert news_sections(doc, "https://x.com/") == ["https://x.com/list?catid=7", "https://x.com/list?catid=8"]
    assert language_links(doc, "https://x.com/") == [("https://x.com/en/", "en"), ("https://x.com/index.php?lang=en", "en")]
    assert headline_links(doc, "https://x.com/") == ["https://x.com/news/1.html"]


def test_wanted_sitemap() -> None:
    assert wanted_sitemap("https://x.com/wp-sitemap-posts-post-1.xml")
    assert wanted_sitemap("https://x.com/sitemap_blogs_1.xml")
    for name in ("wp-sitemap-posts-page-1.xml", "wp-sitemap-taxonomies-category-1.xml", "wp-sitemap-users-1.xml",
                 "sitemap_products_1.xml?from=1&to=99", "page-sitemap.xml"):
        assert not wanted_sitemap(f"https://x.com/{name}"), name


def test_plan_round_trip() -> None:
    plan = Plan("acme", "https://x.com/", feeds=["https://x.com/feed/"], listings=[("https://x.com/en/news/", "en")],
                shapes=["/news/#.html"])
    again = Plan.from_json(plan.to_json())
    assert again == plan and re.search(again.pattern, "https://x.com/news/12.html")


ARTICLE = """<html><body><h1>Acme ships micro LED panels</h1><p>Date: Nov 18, 2024</p>
<p>Acme said on Monday it shipped the first micro LED panels to a carmaker in Munich, with more to follow.</p></body></html>"""


@pytest.mark.parametrize("html,why", [
    (ARTICLE, None),
    ("<html><body><h1>200W High Bay</h1><table><tr><td>Model No.</td><td>HB-2</td></tr></table>"
     "<p>Long description of the luminaire.</p><a>Send Inquiry</a></body></html>", "product page"),
    ('<html><head><script type="application/ld+json">{"@type":"Product","name":"x"}</script></head><body><p>x</p></body></html>',
     "product page"),
    ("<html><body><h1>招聘：工艺工程师</h1><p>岗位职责：负责产线。</p><p>任职要求：本科。</p></body></html>", "job posting"),
    ('<html><body><h1>产品目录下载</h1><p>目录</p><a href="/f/catalog.pdf">下载</a></body></html>', "download page"),
    ("<html><body>" + "".join(f"<article><h2><a href='/p/{i}'>A long enough headline number {i}</a></h2></article>"
                              for i in range(4)) + "</body></html>", "listing page"),
])
def test_non_article_reason(html: str, why: str | None) -> None:
    assert non_article_reason(parse_html(html), "https://x.com/p/1") == why


@pytest.mark.parametrize("text,iso", [
    ("Date: Nov 18, 2024", "2024-11-18"),
    ("发布时间：2024年5月12日", "2024-05-12"),
    ("Published: 18/11/2024", "2024-11-18"),  # the day cannot be a month: day first
    ("06/17/2019", "2019-06-17"),
    ("Posted on May 12, 2024", "2024-05-12"),
    ("时间：18.05.2024", "2024-05-18"),
])
def test_dates_in_common_layouts(text: str, iso: str) -> None:
    assert find_dates(text)[0].to_iso() == iso


def test_no_date_inside_version_numbers() -> None:
    assert find_dates("firmware v1.2.2024 released") == []


def test_sources_file_home_only(tmp_path: Path) -> None:
    f = tmp_path / "s.toml"
    f.write_text('[[source]]\nname = "acme"\nhome = "https://www.acme.com/"\n', "utf-8")
    (p,) = load_sources(f)
    assert p.discover and p.start == () and p.homepage == "https://www.acme.com/" and p.domains == ("acme.com",)
    f.write_text('[[source]]\nname = "acme"\nhome = "acme.com"\n', "utf-8")
    with pytest.raises(SourcesError, match=r"s.toml:3: field 'home': expected an http\(s\) URL"):
        load_sources(f)
