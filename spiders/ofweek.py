"""OFweek 半导体照明网 (lights.ofweek.com): GBK-encoded Chinese LED channel of OFweek; facts from docs/sources.md#ofweek."""

from __future__ import annotations

from aggregator.profiles import SiteProfile, StartPoint
from aggregator.spider import ProfileSpider

PROFILE = SiteProfile(
    key="ofweek",
    name="OFweek半导体照明网",
    homepage="https://lights.ofweek.com/",
    languages=("zh-Hans",),
    domains=("ofweek.com",),
    start=(
        # Listing URL shape invented for the mirror (no feed is trusted: docs/sources.md#ofweek, feeds are L/untested).
        StartPoint("https://lights.ofweek.com/CATList-220008-8100-lights.html", kind="listing", lang="zh-Hans", max_pages=3),
    ),
    # URL shape /YYYY-MM/ART-<channel>-<n>-<id>.html (H); host list narrowed to the lighting channels (M).
    article_pattern=r"^https?://(?:m\.)?(?:lights|led|lighting)\.ofweek\.com/\d{4}-\d{2}/ART-\d+-\d+-\d+\.html$",
    title="div.artical > p",              # docs/sources.md#ofweek (M)
    body="#articleC",                     # docs/sources.md#ofweek (M)
    date="div.artical-relative",          # docs/sources.md#ofweek (M): `div.artical-relative.clearfix > div`, widened to the box
    author="div.artical-relative div.author",  # made up for the mirror
    links="#listBox",                     # made up for the mirror
    next_page="div.pagination a.next",    # made up for the mirror
    alternate=None,                       # en.ofweek.com exists (L) but no per-article link is known
    drop=(".page",),                      # in-article pagination, docs/sources.md#ofweek (M)
    drop_lines=(r"^＞＞＞点击投票＜＜＜$",),  # trailing vote line, docs/sources.md#ofweek (M)
    body_end=("声明：本文系OFweek",),      # reprint disclaimer wording made up for the mirror
    encoding="gb18030",                   # GB2312/GBK (docs/sources.md#ofweek, M-H); labels can lie: docs/sources.md#encodings
    timezone="Asia/Shanghai",
    republished=False,
)


class Spider(ProfileSpider):
    profile = PROFILE
