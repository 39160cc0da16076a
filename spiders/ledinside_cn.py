"""LEDinside CN (www.ledinside.cn): Simplified-Chinese LEDinside site on a Drupal template; facts from docs/sources.md#ledinside_cn."""

from __future__ import annotations

from aggregator.profiles import SiteProfile, StartPoint
from aggregator.spider import ProfileSpider

PROFILE = SiteProfile(
    key="ledinside_cn",
    name="LEDinside 中国",
    homepage="https://www.ledinside.cn/",
    languages=("zh-Hans",),
    domains=("ledinside.cn",),            # m.ledinside.cn is a subdomain, allowed automatically
    start=(
        # /rss.xml used by several unrelated RSS collectors (M).
        StartPoint("https://www.ledinside.cn/rss.xml", kind="feed", lang="zh-Hans"),
        # /news.html list with ul.pagination (M, an older Java crawler).
        StartPoint("https://www.ledinside.cn/news.html", kind="listing", lang="zh-Hans", max_pages=3),
    ),
    # /news|products/YYYYMMDD-<id>.html on www or m. (H, docs/sources.md#ledinside_cn).
    article_pattern=r"^https?://(?:www|m)\.ledinside\.cn/(?:news|products|[a-z]+)/(\d{8})-(\d+)\.html$",
    title="#squeeze > div > h2",          # docs/sources.md#ledinside_cn (M)
    body="#squeeze > div > div.node_body",  # docs/sources.md#ledinside_cn (M: div.node_body.clear-block)
    date="#squeeze > div > div.submitted",  # docs/sources.md#ledinside_cn (M): "<date time> [编辑：<editor>]"
    author="div.submitted span.username",  # made up: editor name wrapped in a Drupal username span
    links="td.title",                     # list rows td.title > a, docs/sources.md#ledinside_cn (M)
    next_page="ul.pagination li.next a",  # ul.pagination is M; the li.next class is made up
    alternate=None,                       # no link to EN/TW versions (M)
    drop=("div.share", "div.related"),    # made up classes for the 分享:/相关文章 blocks (strings M/H)
    drop_lines=(r"^如需获取更多资讯，请关注LEDinside官网",),  # WeChat promo line (M)
    body_end=("如需转载，需本网站E-Mail授权",),  # reprint notice ends the article (M)
    encoding=None,                        # UTF-8 (M)
    timezone="Asia/Shanghai",
    republished=False,
)


class Spider(ProfileSpider):
    profile = PROFILE
