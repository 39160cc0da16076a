"""Discovery: from a site's home URL to its news (feeds, sitemaps, news listings, article URLs).

Pure functions over parsed pages and URLs; the spider (``aggregator.spider``) fetches and
calls them, ``lednews add-source`` prints what they found. The order of the steps
(docs/adding-a-site.md): feeds linked in ``<head>`` (usual paths only when the home page
shows neither a feed nor a news section), sitemaps from robots.txt, news sections from
the navigation (dropdowns included), then the listings and their pagination
(``aggregator.paging``). Which URLs are articles is learned per source: the URL *shapes*
(``url_shape``) of feed items and of the repeated headline links of the news listings;
candidates from the home page and sitemaps must have a learned shape. The learned plan
(``Plan``) is stored per source so the next crawl starts from the news directly.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree

from aggregator.clean.dom import is_junk
from aggregator.text import collapse_ws, text_units

__all__ = ["Plan", "feed_links", "headline_links", "language_links", "learn_shapes", "news_sections",
           "more_links", "reject_reason", "shape_regex", "url_shape", "usual_feeds", "usual_sitemaps",
           "wanted_sitemap"]

# Labels of news sections in navigation menus (compared after folding case and dropping
# arrows/punctuation). Collected from the twelve CMS families of tests/discovery-sites and
# the bundled profiles' sites; "newsletter" and "news" inside a longer headline do not count
# (a label is at most MAX_LABEL_UNITS long).
NEWS_LABELS = {
    "新闻中心", "新闻资讯", "新闻动态", "新闻", "资讯", "资讯中心", "行业资讯", "行业新闻", "行业动态",
    "公司新闻", "公司动态", "企业新闻", "企业动态", "企业资讯", "媒体中心", "新闻公告", "最新动态", "动态",
    "新聞中心", "新聞資訊", "公司新聞", "行業資訊", "最新消息",
    "news", "company news", "industry news", "news center", "news centre", "newsroom", "press",
    "press releases", "press room", "media", "media center", "blog", "our blog", "latest news",
    "news & events", "news and events", "news & media", "events & news", "insights", "updates",
}
MAX_LABEL_UNITS = 6  # "news & events" is 3 units, "行业资讯" 4; headlines are 8+ (the mirror's)
# News sections followed per language version: the dropdowns of the mirror hold 2-3.
MAX_SECTIONS = 4
# Labels of "more" links from a news block to its full, paginated listing (Destoon's
# channel page -> list-3.html).
MORE_LABELS = {"更多", "更多资讯", "更多新闻", "more", "more news", "view all", "view more", "查看更多", "all news"}
# Language switchers: anchor text -> language.
LANG_LABELS = {
    "english": "en", "en": "en", "英文": "en", "英文版": "en", "english version": "en",
    "中文": "zh-Hans", "简体中文": "zh-Hans", "中文版": "zh-Hans", "简体": "zh-Hans", "cn": "zh-Hans",
    "chinese": "zh-Hans", "繁體中文": "zh-Hant", "繁體": "zh-Hant", "繁体中文": "zh-Hant",
}
_LANG_PATH = re.compile(r"^/(en|english|cn|zh|zh-cn|zh-hans|tw|zh-tw|zh-hant|big5)/?$", re.I)
_LANG_CODE = {"en": "en", "english": "en", "cn": "zh-Hans", "zh": "zh-Hans", "zh-cn": "zh-Hans",
              "zh-hans": "zh-Hans", "tw": "zh-Hant", "zh-tw": "zh-Hant", "zh-hant": "zh-Hant", "big5": "zh-Hant"}
MAX_LANGUAGES = 2  # other-language versions followed (en + one Chinese script)

# Feeds and sitemaps guessed only when the home page names no feed and no news section:
# each miss costs a request (the request budget is 3 per stored article, issue 13).
USUAL_FEEDS = ("/feed/", "/rss.xml", "/index.xml", "/atom.xml", "/blogs/news.atom")
USUAL_SITEMAPS = ("/sitemap.xml", "/wp-sitemap.xml", "/sitemap_index.xml")

# URL words that mark pages which are not news articles (path directories, whole final
# segments, query values). Matched as whole tokens, so a headline slug such as
# "acme-launches-new-product-line" is not rejected by its words.
REJECT_WORDS = {
    "product": "product", "products": "product", "goods": "product", "sell": "product", "shop": "product",
    "cart": "product", "collections": "product", "collection": "product", "chanpin": "product",
    "tag": "tag", "tags": "tag", "tagged": "tag", "category": "category", "categories": "category",
    "author": "author", "job": "job", "jobs": "job", "career": "job", "careers": "job", "recruit": "job",
    "zhaopin": "job", "download": "download", "downloads": "download", "about": "about", "about-us": "about",
    "aboutus": "about", "contact": "contact", "contact-us": "contact", "contactus": "contact",
    "login": "account", "register": "account", "member": "account", "search": "search", "cases": "case",
    "case": "case", "video": "video", "videos": "video", "feed": "feed", "comments": "feed",
    "taxonomy": "tag", "term": "tag",
}
# Words that reject a page only as its own name: Joomla files company news under /about-us/.
_PAGE_ONLY = {"about", "contact", "search", "case", "video"}
# Sitemaps of a sitemap index that hold no articles (WordPress, Yoast, Shopify names).
_SITEMAP_SKIP = re.compile(r"(?:^|[-_/.])(?:page|pages|product|products|collections?|categor(?:y|ies)|tags?|"
                           r"taxonom(?:y|ies)|users?|authors?|attachment|image|video)(?:[-_./]|s?\d|$)", re.I)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")


@dataclass
class Plan:
    """What discovery learned about one source; stored per source (``source_discovery``)."""

    source: str
    home: str
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    listings: list[tuple[str, str | None]] = field(default_factory=list)  # (url, lang)
    shapes: list[str] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)  # (home of a version, lang)
    steps: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (url, why), before fetching

    def step(self, text: str) -> None:
        self.steps.append(text)

    @property
    def pattern(self) -> str:
        """One regex for the learned article URLs (``SiteProfile.article_pattern``)."""
        return "|".join(f"(?:{shape_regex(s)})" for s in self.shapes)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Plan:
        d = json.loads(text)
        d["listings"] = [tuple(x) for x in d.get("listings", [])]
        d["languages"] = [tuple(x) for x in d.get("languages", [])]
        d["rejected"] = [tuple(x) for x in d.get("rejected", [])]
        return cls(**d)


# URL shapes ------------------------------------------------------------------------------
_DIGITS = re.compile(r"\d+")
_SLUG = re.compile(r"^(?=.*[a-z].*[-_].*[a-z])[a-z0-9%]+(?:[-_][a-z0-9%]+){2,}$", re.I)


def _segment_shape(seg: str) -> str:
    name, dot, ext = seg.rpartition(".") if re.search(r"\.[a-z]{2,5}$", seg, re.I) else (seg, "", "")
    if _SLUG.match(name):
        return "{slug}" + dot + ext
    return _DIGITS.sub("#", name) + dot + ext


def url_shape(url: str) -> str:
    """``https://x/news/2024/0512/123.html`` -> ``/news/#/#/#.html``; a slug of three or
    more words becomes ``{slug}``; query values that are numbers become ``#`` (keys keep
    their order). The host is left out: one source, one site."""
    parts = urlsplit(url)
    path = "/".join(_segment_shape(s) if s else "" for s in (parts.path or "/").split("/"))
    query = "&".join(f"{k}={_DIGITS.sub('#', v) if v.isdigit() else v}"
                     for k, v in parse_qsl(parts.query, keep_blank_values=True))
    return path + ("?" + query if query else "")


def shape_regex(shape: str) -> str:
    path, _, query = shape.partition("?")
    out = re.escape(path).replace(r"\{slug\}", r"[A-Za-z0-9%]+(?:[-_][A-Za-z0-9%]+){2,}").replace("\\#", r"\d+").replace("#", r"\d+")
    if query:
        q = re.escape(query).replace("\\#", r"\d+").replace("#", r"\d+")
        return rf"^https?://[^/?#]+{out}\?{q}$"
    return rf"^https?://[^/?#]+{out}$"


def reject_reason(url: str) -> str | None:
    """Why ``url`` is no article by its words alone (product, tag, job, about...), or None."""
    parts = urlsplit(url)
    segs = [s for s in parts.path.lower().split("/") if s]
    if not segs and not parts.query:
        return "home page"
    last = segs[-1].rsplit(".", 1)[0] if segs else ""
    for word in segs[:-1]:  # directories: /products/..., /tag/..., /job/...
        if word in REJECT_WORDS and REJECT_WORDS[word] not in _PAGE_ONLY:
            return f"{REJECT_WORDS[word]} page"
    if last in REJECT_WORDS:  # the page itself: /about-us/, /contact.html
        return f"{REJECT_WORDS[last]} page"
    for k, v in parse_qsl(parts.query):
        if v.lower() in REJECT_WORDS:
            return f"{REJECT_WORDS[v.lower()]} page"
        if k.lower() in ("tag", "tagname", "format", "feed"):
            return f"{REJECT_WORDS.get(k.lower(), 'tag')} page"
    if re.search(r"/(?:19|20)\d{2}/(?:[01]?\d/)?(?:[0-3]?\d/)?$", parts.path):
        return "calendar archive"
    if re.search(r"/page/\d+/?$|[?&](?:page|start|p)=\d+", url):
        return "listing page"
    return None


def learn_shapes(trusted: list[str], listed: list[str]) -> list[str]:
    """Article shapes: every shape of a feed item (``trusted``), and the shapes of listing
    headline links (``listed``) seen at least twice — the repeated teaser blocks; a shape
    seen once on a listing is a sidebar or "next article" link. Shapes that look like
    listings or archives (``reject_reason``) never count."""
    shapes = Counter(url_shape(u) for u in trusted if not reject_reason(u))
    listed_shapes = Counter(url_shape(u) for u in dict.fromkeys(listed) if not reject_reason(u))
    out = list(shapes)
    out += [s for s, n in listed_shapes.most_common() if n >= 2 and s not in shapes]
    return out


# Page reading -----------------------------------------------------------------------------
_PUNCT = re.compile(r"[\s>›»<‹«→←|·:：\-–—_/\\()（）\[\]【】\"'.…]+")


def label(text: str) -> str:
    return _PUNCT.sub(" ", text).strip().lower()


def _usable(href: str | None) -> bool:
    return bool(href) and not href.strip().lower().startswith(("#", "javascript:", "mailto:", "tel:"))  # type: ignore[union-attr]


def _same_site(a: str, b: str) -> bool:
    ha, hb = (urlsplit(a).hostname or "").lower(), (urlsplit(b).hostname or "").lower()
    return ha.removeprefix("www.") == hb.removeprefix("www.")


def feed_links(doc: etree._Element, base: str) -> list[str]:
    """Feeds announced in ``<head>`` (``<link rel="alternate" type="...rss/atom...">``),
    comment feeds left out."""
    out = []
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        typ = (link.get("type") or "").lower()
        href = link.get("href")
        if "alternate" in rel and typ in _FEED_TYPES and _usable(href):
            url = urljoin(base, href.strip())  # type: ignore[union-attr]
            if "comment" not in url.lower() and "comment" not in (link.get("title") or "").lower():
                out.append(url)
    return list(dict.fromkeys(out))


def usual_feeds(base: str) -> list[str]:
    return [urljoin(base, p) for p in USUAL_FEEDS]


def usual_sitemaps(base: str) -> list[str]:
    return [urljoin(base, p) for p in USUAL_SITEMAPS]


def wanted_sitemap(url: str) -> bool:
    """A child of a sitemap index worth reading (not the pages/products/tags ones)."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    return not _SITEMAP_SKIP.search(name)


def news_sections(doc: etree._Element, base: str) -> list[str]:
    """News listing URLs named by menu labels (dropdown items included: hidden sub-menus
    are in the HTML), nav/header links first."""
    found: list[tuple[int, str]] = []
    for a in doc.iter("a"):
        href = a.get("href")
        if not _usable(href):
            continue
        text = collapse_ws(a.text_content()) or collapse_ws(a.get("title") or "")
        if not text or text_units(text) > MAX_LABEL_UNITS or label(text) not in NEWS_LABELS:
            continue
        url = urljoin(base, href.strip())  # type: ignore[union-attr]
        if not _same_site(url, base) or url.rstrip("/") == base.rstrip("/"):
            continue
        in_menu = any(n.tag in ("nav", "header", "ul") for n in a.iterancestors())
        found.append((0 if in_menu else 1, url))
    found.sort(key=lambda x: x[0])
    return list(dict.fromkeys(u for _, u in found))[:MAX_SECTIONS]


def more_links(doc: etree._Element, base: str) -> list[str]:
    out = []
    for a in doc.iter("a"):
        href = a.get("href")
        if _usable(href) and label(a.text_content()) in MORE_LABELS:
            url = urljoin(base, href.strip())  # type: ignore[union-attr]
            if _same_site(url, base):
                out.append(url)
    return list(dict.fromkeys(out))[:2]


def language_links(doc: etree._Element, base: str) -> list[tuple[str, str]]:
    """Other language versions of the site: ``hreflang`` alternates, then switcher links
    (``English``, ``中文``, ``/en/``, ``?lang=en``). (url, lang) pairs, this page excluded."""
    out: dict[str, str] = {}
    for link in doc.iter("link"):
        hl = (link.get("hreflang") or "").lower()
        if hl and hl != "x-default" and _usable(link.get("href")):
            lang = "en" if hl.startswith("en") else "zh-Hant" if hl in ("zh-tw", "zh-hk", "zh-hant") else \
                "zh-Hans" if hl.startswith("zh") else None
            if lang:
                out.setdefault(urljoin(base, link.get("href").strip()), lang)  # type: ignore[union-attr]
    for a in doc.iter("a"):
        href = a.get("href")
        if not _usable(href):
            continue
        url = urljoin(base, href.strip())  # type: ignore[union-attr]
        parts = urlsplit(url)
        lang = LANG_LABELS.get(label(a.text_content()))
        m = _LANG_PATH.match(parts.path)
        q = dict(parse_qsl(parts.query)).get("lang", "").lower()
        if lang is None and m:
            lang = _LANG_CODE.get(m.group(1).lower())
        if lang is None and q and parts.path in ("", "/", "/index.php", "/index.html"):
            lang = _LANG_CODE.get(q)
        if lang and _same_site(url, base):
            out.setdefault(url, lang)
    here = base.rstrip("/")
    return [(u, lang) for u, lang in out.items() if u.rstrip("/") != here][:MAX_LANGUAGES]


# An article link from a listing needs an anchor text at least this long (reading units):
# menu and pager links are 1-4 units, headlines in both mirrors 8+.
MIN_ANCHOR_UNITS = 6


def _headline_text(a: etree._Element) -> str:
    text = collapse_ws(a.text_content())
    if text_units(text) >= MIN_ANCHOR_UNITS:
        return text
    # Hugo's cover links: an empty <a> over the teaser, the headline in aria-label/title
    for attr in ("title", "aria-label"):
        t = collapse_ws(a.get(attr) or "")
        t = re.sub(r"^(?:post link to|read more:?|link to)\s+", "", t, flags=re.I)
        if text_units(t) >= MIN_ANCHOR_UNITS:
            return t
    return ""


_LIST_TAGS = ("ul", "ol", "li", "table", "tbody", "tr", "td", "dl", "dd")


def _in_chrome(a: etree._Element) -> bool:
    """Inside the page's menus, header, footer, sidebar or a share/widget block. A
    ``<header>`` inside an ``<article>`` is a teaser's heading (WordPress), and list
    containers are not judged by class (MetInfo's news list is "met-pager-ajax")."""
    ancestors = list(a.iterancestors())
    in_article = any(n.tag == "article" for n in ancestors)
    for n in ancestors:
        if n.tag in ("nav", "aside") or (n.tag in ("header", "footer") and not in_article):
            return True
        if n.tag not in _LIST_TAGS and n.tag != "article" and is_junk(n):
            return True
    return False


def headline_links(doc: etree._Element, base: str) -> list[str]:
    """Same-site links that read like headlines, outside nav/header/footer/aside and
    widget/share blocks, in page order."""
    out = []
    for a in doc.iter("a"):
        href = a.get("href")
        if not _usable(href) or not _headline_text(a):
            continue
        if _in_chrome(a):
            continue
        url = urljoin(base, href.strip())  # type: ignore[union-attr]
        if _same_site(url, base):
            out.append(url)
    return list(dict.fromkeys(out))
