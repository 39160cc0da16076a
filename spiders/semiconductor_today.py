"""Semiconductor Today: UK compound-semiconductor trade news site (feed, URL shape and page-text facts from docs/sources.md#semiconductor_today)."""

from __future__ import annotations

from aggregator.profiles import SiteProfile, StartPoint
from aggregator.spider import ProfileSpider

PROFILE = SiteProfile(
    key="semiconductor_today",
    name="Semiconductor Today",
    homepage="https://www.semiconductor-today.com/",
    languages=("en",),
    # dev.semiconductor-today.com is a subdomain (allowed automatically); the bare-IP mirror
    # 194.147.122.84 is folded by URL canonicalisation, not listed here (docs/sources.md#semiconductor_today, H).
    domains=("semiconductor-today.com",),
    start=(
        # /rss/news.xml: tested in several independent configs (docs/sources.md#semiconductor_today, H)
        StartPoint("https://www.semiconductor-today.com/rss/news.xml", kind="feed", lang="en"),
    ),
    # /news_items/YYYY/<mon>/<company>-DDMMYY.shtml, plus the old .htm form (docs/sources.md#semiconductor_today, H)
    article_pattern=r"^https?://(?:www\.|dev\.)?semiconductor-today\.com/news_items/\d{4}/[A-Za-z]{3}/[\w\-]+\.s?html?$",
    # Selectors below were made up for the mirror (no public selector exists).
    # Page text order (sponsors, date line, headline, "News: Markets") is H (docs/sources.md#semiconductor_today).
    title="div#newsitem h1",
    body="div#newsitem div.newsbody",
    date="div#newsitem p.newsdate",  # text like "18 November 2026"
    author=None,  # news items carry no byline
    links=None,
    next_page=None,  # feed only
    alternate=None,
    drop=("div.inline-ad", "ul.relateditems"),
    drop_lines=(r"^Advertisement$",),
    # the item ends with "See related items:", "Tags:" and "Visit: <company site>" (mirror)
    body_end=("See related items:", "Tags:", "Visit:"),
    encoding=None,
    timezone="Europe/London",
    republished=False,
)


class Spider(ProfileSpider):
    profile = PROFILE
