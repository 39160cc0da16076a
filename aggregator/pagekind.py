"""Is a fetched page a news article? Product offers, job ads, downloads and listings are not.

Used for sources set up from a home URL (discovery): their article URLs are learned, not
written by hand, so a product page with an article-like URL and long text can slip
through. A page rejected here is never stored; the spider counts it
(``lednews/rejected/SOURCE``) and logs the reason.
"""

from __future__ import annotations

import re

from lxml import etree

from aggregator.discovery import headline_links
from aggregator.text import collapse_ws

__all__ = ["non_article_reason"]

# Phrases of shop and B2B offer pages (Shopify, WooCommerce, Destoon, site builders,
# Chinese CMS product templates), compared case-folded against the page text.
PRODUCT_MARKERS = ("add to cart", "send inquiry", "get a quote", "moq", "model no", "fob ", "buy now",
                   "立即询价", "在线询价", "加入购物车", "产品型号", "产品参数", "规格参数", "起订", "供货总量",
                   "立即购买", "单价：")
JOB_MARKERS = ("岗位职责", "任职要求", "招聘人数", "工作地点", "投递简历", "job description", "responsibilities",
               "requirements", "apply now", "salary")
DOWNLOAD_FILES = re.compile(r"\.(?:pdf|zip|rar|7z|exe|dwg|ies|docx?|xlsx?)$", re.I)
# Two markers make a product or job page: one alone occurs in real news ("the MOQ was cut",
# "requirements for exporters"); none of the 83 articles of tests/discovery-sites has two.
MIN_MARKERS = 2
# A page with this many headline links in its main area is a listing, tag or archive page:
# article pages of both mirrors have at most 3 there (previous/next/related).
LISTING_LINKS = 6
_TYPES = re.compile(r'"@type"\s*:\s*"(Product|JobPosting|CollectionPage|ItemList)"')


def non_article_reason(doc: etree._Element, url: str) -> str | None:
    """Why the page is not a news article (``"product page"``...), or None. JSON-LD types
    are read by regex: a broken block must not hide its ``@type``."""
    for script in doc.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json":
            m = _TYPES.search(script.text or "")
            if m:
                return {"Product": "product page", "JobPosting": "job posting"}.get(m.group(1), "listing page")
    for meta in doc.iter("meta"):
        if (meta.get("property") or "").lower() == "og:type" and (meta.get("content") or "").lower() == "product":
            return "product page"
    body = doc.find(".//body")
    text = collapse_ws((body if body is not None else doc).text_content()).lower()
    if sum(m in text for m in PRODUCT_MARKERS) >= MIN_MARKERS:
        return "product page"
    if sum(m in text for m in JOB_MARKERS) >= MIN_MARKERS:
        return "job posting"
    title = collapse_ws("".join(doc.xpath("//h1//text()")) or "".join(doc.xpath("//title//text()")))
    if ("下载" in title or "download" in title.lower()) and any(
            DOWNLOAD_FILES.search(a.get("href") or "") for a in doc.iter("a")):
        return "download page"
    if len(doc.findall(".//article")) >= 3 or len(headline_links(doc, url)) >= LISTING_LINKS:
        return "listing page"
    return None
