"""TrendForce press center (trendforce.com / .cn / .com.tw): EN, zh-Hans and zh-Hant releases; facts from docs/sources.md#trendforce."""

from __future__ import annotations

from aggregator.profiles import SiblingRule, SiteProfile, StartPoint
from aggregator.spider import ProfileSpider

PROFILE = SiteProfile(
    key="trendforce",
    name="TrendForce Press Center",
    homepage="https://www.trendforce.com/presscenter/news",
    languages=("en", "zh-Hans", "zh-Hant"),
    domains=("trendforce.com", "trendforce.cn", "trendforce.com.tw"),
    start=(
        # /presscenter/news?page=N listings (H); no feed seen.
        StartPoint("https://www.trendforce.com/presscenter/news?page=1", kind="listing", lang="en", max_pages=3),
        StartPoint("https://www.trendforce.cn/presscenter/news?page=1", kind="listing", lang="zh-Hans", max_pages=3),
        StartPoint("https://www.trendforce.com.tw/presscenter/news?page=1", kind="listing", lang="zh-Hant", max_pages=3),
    ),
    # /presscenter/news/YYYYMMDD-<id>.html on the three domains (H).
    article_pattern=r"^https?://(?:www\.)?trendforce\.(?:com|cn|com\.tw)/presscenter/news/\d{8}-\d+\.html$",
    title="div.presscenter-header h1",    # made up for the mirror
    body="div.presscenter",               # docs/sources.md#trendforce (M, a trendforce.cn scraper)
    date="div.tag-row",                   # fallback date element (M); line format "date category analyst" (H): docs/sources.md#trendforce
    author="div.tag-row a.analyst",       # made up: analyst name in the EN date line (format H)
    links="div.list-item",                # docs/sources.md#trendforce (M): first a = link + title
    next_page='ul.pagination a[rel="next"]',  # made up for the mirror
    alternate=None,                       # counterparts found by SiblingRule, not by links
    drop=(),
    drop_lines=(),
    body_end=("若有兴趣", "若有興趣"),     # CN/TW tail paragraph, docs/sources.md#trendforce (M)
    encoding=None,                        # UTF-8 (L)
    timezone="Asia/Taipei",
    republished=False,
    # same YYYYMMDD prefix + consecutive ids across .com.tw/.com/.cn (M, one triplet observed: docs/sources.md#trendforce)
    sibling=SiblingRule(pattern=r"/presscenter/news/(?P<key>\d{8})-(?P<seq>\d+)\.html$", max_gap=2),
)


class Spider(ProfileSpider):
    profile = PROFILE
