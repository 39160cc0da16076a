"""Site profiles, one module per site. ``SITE_MODULES`` is the explicit registry.

``scrapy list`` shows one spider per site plus ``lednews`` (every site, and the
user-defined sources named by ``AGGREGATOR_SOURCES_FILE``).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from aggregator.profiles import SiteProfile, load_sources
from aggregator.spider import ProfileSpider

# Every site module, in priority order (docs/sources.md#shipping-order).
SITE_MODULES = (
    "ledinside",
    "ledinside_cn",
    "trendforce",
    "ofweek",
    "semiconductor_today",
    "compound_semiconductor",
    "csa",
    "ggled",
    "led_professional",
    "b2b_switcher",
    "b2b_sitebuilder",
)


def site_profiles() -> list[SiteProfile]:
    return [import_module(f"spiders.{name}").PROFILE for name in SITE_MODULES]


class AllSourcesSpider(ProfileSpider):
    """Every bundled profile plus the user-defined sources file, in one crawl."""

    name = "lednews"

    def __init__(self, *args: Any, profiles: list[SiteProfile] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, profiles=profiles if profiles is not None else site_profiles(), **kwargs)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        if "profiles" not in kwargs:
            profiles = site_profiles()
            sources_file = crawler.settings.get("AGGREGATOR_SOURCES_FILE")
            if sources_file:
                profiles += load_sources(sources_file)
            kwargs["profiles"] = profiles
        return super().from_crawler(crawler, *args, **kwargs)
