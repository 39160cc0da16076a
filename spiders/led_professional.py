"""LED professional (LpR): Austrian English-language LED technology magazine site; facts from docs/sources.md#led_professional."""

from __future__ import annotations

from aggregator.profiles import SiteProfile, StartPoint
from aggregator.spider import ProfileSpider

PROFILE = SiteProfile(
    key="led_professional",
    name="LED professional",
    homepage="https://www.led-professional.com/",
    languages=("en",),
    domains=("led-professional.com",),
    start=(
        StartPoint("https://www.led-professional.com/RSS", kind="feed", lang="en"),  # docs/sources.md#led_professional (L)
        # Listing URL from the article URL shape (H); its ?page=N pagination is made up for the mirror.
        StartPoint("https://www.led-professional.com/resources-1/articles", kind="listing", lang="en", max_pages=3),
    ),
    # /resources-1/articles/<slug> and /products/<category>/<slug>, docs/sources.md#led_professional (H); tools excluded.
    article_pattern=r"^https?://(?:www\.)?led-professional\.com/(?:resources-1/articles|products/[a-z0-9\-]+)/[a-z0-9][a-z0-9\-]*/?$",
    title="h1.page-title",                # made up for the mirror
    body="div.article-text",              # made up for the mirror (product news uses another template: generic fallback)
    date="div.article-date",              # made up; its text "LpR Article | Aug 11, 2016" is H (docs/sources.md#led_professional)
    author="div.article-author span.author-name",  # made up for the mirror
    links="div.article-listing",          # made up for the mirror
    next_page="ul.pagination li.next a",  # made up for the mirror
    alternate=None,                       # English only, no counterpart (docs/sources.md#led_professional)
    drop=(),
    drop_lines=(),
    body_end=(),
    encoding=None,                        # unknown (docs/sources.md#led_professional); pages are UTF-8 in the mirror
    timezone="Europe/Vienna",
    republished=False,
)


class Spider(ProfileSpider):
    profile = PROFILE
