"""LEDinside (English): TrendForce's LED news, intelligence and price-quote site; facts from docs/sources.md#ledinside."""

from __future__ import annotations

from aggregator.profiles import SiteProfile, StartPoint
from aggregator.spider import ProfileSpider

PROFILE = SiteProfile(
    key="ledinside",
    name="LEDinside",
    homepage="https://www.ledinside.com/",
    languages=("en",),
    domains=("ledinside.com",),
    start=(
        # /rss.xml: several independent crawler configs, one marks it stable (M).
        StartPoint("https://www.ledinside.com/rss.xml", kind="feed", lang="en"),
        # Drupal tag listing /taxonomy/term/<n> (H); 5720 is a real term id (H).
        StartPoint("https://www.ledinside.com/taxonomy/term/5720", kind="listing", lang="en", max_pages=3),
    ),
    # URL shapes news|intelligence|pricequotes/YYYY/M/<slug> (H, docs/sources.md#ledinside).
    article_pattern=r"^https?://(?:www\.)?ledinside\.com/(?:news|intelligence|pricequotes)/\d{4}/\d{1,2}/[A-Za-z0-9_\-]+/?$",
    # EN body/title selectors are unknown (docs/sources.md#ledinside): everything below is made up for the
    # mirror, modelled on the Drupal markup (div.submitted) of the CN/TW sister sites (M).
    title="h1.page-title",                # made up (Drupal default)
    body="div.node-body",                 # made up
    date="div.submitted",                 # made up by analogy with .cn/.com.tw div.submitted (M)
    author="div.submitted span.username",  # made up; price-quote pages carry no author
    links="div.view-content",             # made up (Drupal views list on the term page)
    next_page="li.pager-next a",          # made up (Drupal pager)
    alternate=None,                       # EN/CN/TW share no id or link (M): content matching only
    drop=("div.share", "div.related"),    # made up: share bar and related list inside the body
    drop_lines=(r"^\(Photo credit:",),    # made up: image credit line
    body_end=(),
    encoding=None,                        # UTF-8 (L)
    timezone="Asia/Taipei",               # TrendForce / LEDinside are Taipei-based
    republished=False,
)


class Spider(ProfileSpider):
    profile = PROFILE
