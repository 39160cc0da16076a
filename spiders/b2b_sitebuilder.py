"""B2B template B: hosted site-builder company sites republishing MT English LED news (docs/sources.md#b2b_sitebuilder)."""

from __future__ import annotations

from aggregator.profiles import SiteProfile, StartPoint
from aggregator.spider import ProfileSpider

PROFILE = SiteProfile(
    key="b2b_sitebuilder",
    name="B2B site-builder company sites",
    homepage="https://www.sleep-wakeuplight.com/",
    languages=("en",),
    # three members of the family whose URL shapes and date lines are known (docs/sources.md#b2b_sitebuilder, H)
    domains=("sleep-wakeuplight.com", "china-sincere.com", "z-lightbulb.com"),
    start=(
        # news listings with a page-2.html next link: made up for the mirror
        StartPoint("https://www.sleep-wakeuplight.com/news/", kind="listing", lang="en", max_pages=3),
        StartPoint("https://www.china-sincere.com/info/", kind="listing", lang="en", max_pages=3),
        StartPoint("https://www.z-lightbulb.com/news/", kind="listing", lang="en", max_pages=3),
    ),
    # /news|info/<slug cut at ~45 chars>-<7-8 digit id>.html (docs/sources.md#b2b_sitebuilder, H/M)
    article_pattern=(
        r"^https?://(?:www\.|m\.)?(?:sleep-wakeuplight\.com|china-sincere\.com|z-lightbulb\.com)"
        r"/(?:news|info)/[a-z0-9\-]+-(\d{7,8})\.html$"
    ),
    # Selectors below were made up for the mirror; the date-line formats ("- Jul 28, 2018 -",
    # "Sep 04, 2018") and the chrome strings are from docs/sources.md#b2b_sitebuilder (H).
    title="div.news-detail h1",
    body="div.news-detail div.news-content",
    date="div.news-detail div.news-date",
    author=None,
    links="ul.news-list",
    next_page="div.pages a.next",
    alternate=None,
    drop=("div.share-box", "div.news-page"),
    drop_lines=(r"^Previous:", r"^Next:", r"^Share:"),
    body_end=(),
    encoding=None,
    timezone="Asia/Shanghai",
    republished=True,  # dates shown are republish dates (2018 copies of older stories)
)


class Spider(ProfileSpider):
    profile = PROFILE
