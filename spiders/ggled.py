"""高工LED (GGII): Chinese LED trade news and research site, GB2312-labelled pages; facts from docs/sources.md#ggled."""

from __future__ import annotations

from aggregator.profiles import SiteProfile, StartPoint
from aggregator.spider import ProfileSpider

PROFILE = SiteProfile(
    key="ggled",
    name="高工LED",
    homepage="http://www.gg-led.com/",
    languages=("zh-Hans",),
    domains=("gg-led.com",),
    start=(
        # List URL shape news_more2-65b095fb--<hex category>-<page>.html, docs/sources.md#ggled (M, 2018);
        # 9ad85de562a59053 = 高工报道. The /rss.xml feed is only L (untested), so not used.
        StartPoint("http://www.gg-led.com/news_more2-65b095fb--9ad85de562a59053-1.html", kind="listing", lang="zh-Hans", max_pages=3),
    ),
    # Article shape asdisp2-65b095fb-<id>-.html on www. and news. hosts, docs/sources.md#ggled (M).
    article_pattern=r"^https?://(?:www\.|news\.)?gg-led\.com/asdisp2-[0-9a-f]+-\d+-\.html$",
    title="#meyu h1",                     # made up for the mirror
    body="#zoom",                         # made up for the mirror
    date="#meyu > div:nth-of-type(2) > span:nth-of-type(1)",  # docs/sources.md#ggled (M): #meyu/div[2]/span[1]
    author="#meyu span.author",           # made up for the mirror
    links="#newslist",                    # made up for the mirror
    next_page="div.fenye a:contains('下一页')",  # made up for the mirror
    alternate=None,                       # english.gg-led.com is a site-level header link only (M)
    drop=(),
    drop_lines=(),
    body_end=(),
    encoding="gb18030",                   # GB2312 meta (M), read as GB18030: docs/sources.md#encodings
    timezone="Asia/Shanghai",
    republished=False,
)


class Spider(ProfileSpider):
    profile = PROFILE
