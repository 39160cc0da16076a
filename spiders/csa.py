"""CSA 中国半导体照明网 (www.china-led.net): the CSA alliance's Chinese news site; URL shape, list page and encoding from docs/sources.md#csa, page selectors made up for the mirror."""

from __future__ import annotations

from aggregator.profiles import SiteProfile, StartPoint
from aggregator.spider import ProfileSpider

PROFILE = SiteProfile(
    key="csa",
    name="CSA 中国半导体照明网",
    homepage="https://www.china-led.net/",
    languages=("zh-Hans",),
    domains=("china-led.net",),
    start=(
        # /news/ list page crawled by public collectors (docs/sources.md#csa, M)
        StartPoint("https://www.china-led.net/news/", kind="listing", lang="zh-Hans", max_pages=3),
    ),
    # /news/YYYYMM/DD/<id>.html (docs/sources.md#csa, M)
    article_pattern=r"^https?://(?:www\.)?china-led\.net/news/\d{6}/\d{2}/\d+\.html$",
    # Body/title selectors are unknown (docs/sources.md#csa): all below are made up for the mirror.
    title="div.article h1",
    body="div.article-content",
    date="div.article-info",  # "发布时间：2026-11-20 08:00  来源：CSA  浏览：1234 次浏览" (line text per docs/sources.md#boilerplate; element made up)
    author="span.editor-name",  # inside the "(编辑:ZQY)" / "[编辑：LWL]" line (made up)
    links="ul.news-list",  # list rows: <a> + sibling <span>YYYY-MM-DD</span> (docs/sources.md#csa, M; class made up)
    next_page="div.pages a:contains('下一页')",  # made up
    alternate=None,  # no English edition (docs/sources.md#csa, H)
    drop=(
        "div.summary",  # 本文摘要: box
        "p.editor",  # (编辑:ZQY)
        "p.disclaimer",  # 凡注明为其它来源的信息…
        "div.share",  # 分享:
        "div.qrcode",  # 扫描二维码 随时随地手机看文章
        "div.related",  # 相关文章
    ),
    drop_lines=(
        r"^本文摘要[:：]",
        r"^[\(（]编辑[:：].*[\)）]$",
        r"^\[编辑[:：].*\]$",
        r"^凡注明为其它来源的信息",
        r"^分享[:：]",
    ),
    body_end=("扫描二维码", "相关文章"),
    encoding=None,  # UTF-8 <meta charset> in the mirror; collectors decode as UTF-8 / detect (docs/sources.md#csa, M-L)
    timezone="Asia/Shanghai",
    republished=False,
)


class Spider(ProfileSpider):
    profile = PROFILE
