"""B2B template A (xyhltd.com, archled.net): company sites republishing machine-translated Chinese LED news with a "中文版 ∷ 英文版" switcher (docs/sources.md#b2b_switcher).

The Chinese counterpart URL is not known (docs/sources.md#b2b_switcher); the
mirror invents /cn/news/<same slug>.html.html for it. Pages show no date.
"""

from __future__ import annotations

from aggregator.profiles import SiteProfile, StartPoint
from aggregator.spider import ProfileSpider

PROFILE = SiteProfile(
    key="b2b_switcher",
    name="B2B template A (xyhltd / archled)",
    homepage="https://www.xyhltd.com/",
    languages=("en", "zh-Hans"),
    domains=("xyhltd.com", "archled.net"),
    start=(
        # /news/ list pages are made up for the mirror (no list URL is known)
        StartPoint("https://www.xyhltd.com/news/", kind="listing", lang="en", max_pages=3),
        StartPoint("https://www.archled.net/news/", kind="listing", lang="en", max_pages=3),
    ),
    # English: /news/<Title-Words-Truncated>.html.html (docs/sources.md#b2b_switcher, H);
    # Chinese: /cn/news/<same slug>.html.html (invented for the mirror)
    article_pattern=r"^https?://(?:www\.)?(?:xyhltd\.com|archled\.net)/(?:cn/)?news/[A-Za-z0-9\-]+\.html\.html$",
    # Switcher text, "Industry news" label, title, subtitle, body, QR footer order: docs/sources.md#b2b_switcher (H);
    # the element names/classes are made up for the mirror.
    title="h1.news-title",
    body="div.news-content",
    date=None,  # no visible date (docs/sources.md#b2b_switcher, H)
    author=None,
    links="div.news-list",  # made up
    next_page="div.pager a.next",  # made up
    alternate="div.lang-switch a:not(.current)",  # switcher link to the OTHER language (text H, markup made up)
    drop=("div.qr-box",),  # "Scan the qr code" / "close" / "the qr code" (H)
    drop_lines=(
        r"^English:\s*中文版",
        r"^中文版\s*∷\s*英文版$",
        r"^Industry news$",
        r"^行业新闻$",
    ),
    body_end=("Scan the qr code", "扫描二维码"),
    encoding=None,
    timezone="Asia/Shanghai",
    republished=True,  # B2B copies of 2009–2013 CSA-era news (H)
)


class Spider(ProfileSpider):
    profile = PROFILE
