"""Bounds on inputs that grow with the site (issue 15): entries per feed/sitemap start
point (newest first) and article requests per source. The spider's parse methods are
called in place with built responses (no crawl needed)."""

from __future__ import annotations

from scrapy.http import Request, XmlResponse
from scrapy.utils.test import get_crawler

from aggregator.profiles import SiteProfile, StartPoint
from aggregator.spider import ProfileSpider

PROFILE = SiteProfile(key="big", name="Big", homepage="http://127.0.0.1/", languages=("en",),
                      domains=("127.0.0.1",), start=(StartPoint("http://127.0.0.1/sitemap.xml", "sitemap"),),
                      article_pattern=r"/news/\d+")


def _spider(**settings: object) -> ProfileSpider:
    crawler = get_crawler(ProfileSpider, settings)
    spider = ProfileSpider(profiles=[PROFILE])
    spider.crawler = crawler
    crawler.spider = spider
    crawler.stats.open_spider()
    return spider


def _sitemap(n: int) -> XmlResponse:
    # URL i was last modified on day i (mod 28) of month 1 + i % 12 of 2025: newest are
    # not at the end of the file
    urls = "".join(f"<url><loc>http://127.0.0.1/news/{i}.html</loc>"
                   f"<lastmod>2025-{1 + i % 12:02d}-{1 + i % 28:02d}</lastmod></url>" for i in range(n))
    body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()
    req = Request("http://127.0.0.1/sitemap.xml", meta={"profile": "big", "start": "http://127.0.0.1/sitemap.xml"})
    return XmlResponse(req.url, body=body, request=req)


def test_a_huge_sitemap_queues_the_newest_entries_up_to_the_bound() -> None:
    spider = _spider(AGGREGATOR_MAX_ENTRIES=500)
    requests = [r for r in spider.parse_sitemap(_sitemap(20_000)) if isinstance(r, Request)]
    assert len(requests) == 500  # before: 20,000 (190,001 for the sitemap)
    dates = sorted({r.meta["feed_date"] for r in requests})
    assert dates[0] >= "2025-12-01"  # the newest month only
    assert [e[2] for e in spider.errors] == ["19500 older entries over the 500 per start point "
                                             "(AGGREGATOR_MAX_ENTRIES) left for later runs"]


def test_article_requests_per_source_are_capped_once_with_one_error_row() -> None:
    spider = _spider(AGGREGATOR_MAX_ENTRIES=100_000, AGGREGATOR_MAX_QUEUED_PER_SOURCE=300)
    requests = [r for r in spider.parse_sitemap(_sitemap(2_000)) if isinstance(r, Request)]
    assert len(requests) == 300
    assert len(spider.errors) == 1 and "more than 300 article requests in one run" in spider.errors[0][2]
    # the ones left out are not marked seen: the next run wants them
    assert spider.state.wants("http://127.0.0.1/news/1999.html", "big")
