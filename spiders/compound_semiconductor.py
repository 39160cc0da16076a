"""Compound Semiconductor: Angel Business Communications' news site (URL shape, feed and page chrome from docs/sources.md#compound_semiconductor)."""

from __future__ import annotations

from aggregator.profiles import SiteProfile, StartPoint
from aggregator.spider import ProfileSpider

PROFILE = SiteProfile(
    key="compound_semiconductor",
    name="Compound Semiconductor",
    homepage="https://compoundsemiconductor.net/",
    languages=("en",),
    domains=("compoundsemiconductor.net",),
    start=(
        # /rss/news (docs/sources.md#compound_semiconductor, L; /rss.xml reported 404)
        StartPoint("https://compoundsemiconductor.net/rss/news", kind="feed", lang="en"),
        # /news?page=N listing: made up for the mirror
        StartPoint("https://compoundsemiconductor.net/news?page=1", kind="listing", lang="en", max_pages=3),
    ),
    # /article/<id>/<Title_With_Underscores>[/feature] (docs/sources.md#compound_semiconductor, H)
    article_pattern=r"^https?://(?:www\.)?compoundsemiconductor\.net/article/(\d+)/[^/?#]+(?:/feature)?$",
    # Selectors below were made up for the mirror (none public: docs/sources.md#compound_semiconductor).
    # The chrome they avoid ("Loading...", "News Article", section label "News") is H (same section).
    title="div.article-header h1",
    body="div.article-body",
    date="div.article-header span.article-date",  # text like "Tuesday 10th November 2026"
    author=None,
    links="div.news-listing",
    next_page="ul.pagination li.next a",
    alternate=None,
    drop=("div.section-label", "div.article-share"),
    drop_lines=(r"^News$", r"^Share this article$"),
    body_end=(),
    encoding=None,
    timezone="Europe/London",
    republished=False,
)


class Spider(ProfileSpider):
    profile = PROFILE
