"""Build the discovery mirror: twelve small company sites built like common CMSs.

    python tests/discovery/build.py          # rewrites tests/discovery-sites/ and tests/discovery-expected/

Each site imitates the HTML one CMS family really emits (class names, URL routes,
pagers, feeds, sitemaps) and carries the traps discovery must survive: calendar and
tag archives, share links, product / job / download pages with article-like URLs and
long text, image-only and icon-only next links, news only inside a dropdown menu, GBK
pages without an HTTP charset, a translated section (``/en/``, ``?lang=en``).
Expected JSON per article comes from the same data the pages are written from (never
from lednews' output). ``tests/discovery/sources.toml`` lists each site by name and
home URL only.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from content import Text, article_text, product_text  # noqa: E402

from aggregator.mirror import mirror_path  # noqa: E402

SITES_DIR = ROOT / "tests" / "discovery-sites"
EXPECTED_DIR = ROOT / "tests" / "discovery-expected"
SOURCES = HERE / "sources.toml"
PAGE = 3  # articles per listing page: three pages hold a site's news (max_pages = 3)


@dataclass
class Art:
    url: str
    day: date
    lang: str
    text: Text
    num: int


@dataclass
class Site:
    name: str
    host: str
    cms: str
    files: dict[str, tuple[bytes, str | None]] = field(default_factory=dict)
    arts: list[Art] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"https://{self.host}"

    def put(self, path: str, body: str, headers: str | None = None, encoding: str = "utf-8") -> None:
        self.files[self.base + path] = (body.encode(encoding), headers)

    def new_articles(self, n: int, url_of, start: date, lang: str = "en", step: int = 9, first_id: int = 101,
                     min_day: int = 1) -> list[Art]:
        out = []
        d = start
        for i in range(n):
            while d.day < min_day:
                d -= timedelta(days=1)
            num = first_id + (n - i) * 3
            a = Art(url_of(num, d), d, lang, article_text(f"{self.name}:{num}:{lang}", lang != "en"), num)
            out.append(a)
            d -= timedelta(days=step)
        self.arts += out
        return out


def pages(items: list, size: int = PAGE) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def slug(title: str, words: int = 7) -> str:
    return "-".join(re.sub(r"[^a-z0-9]+", " ", title.lower()).split()[:words])


def paras(t: Text) -> str:
    return "\n".join(f"<p>{escape(p)}</p>" for p in t.paragraphs)


RSS_HEADERS = "Content-Type: application/rss+xml; charset=UTF-8"
ATOM_HEADERS = "Content-Type: application/atom+xml; charset=utf-8"
XML_HEADERS = "Content-Type: application/xml; charset=UTF-8"


def rss(site: Site, title: str, arts: list[Art]) -> str:
    items = "".join(
        f"<item><title>{escape(a.text.title)}</title><link>{a.url}</link>"
        f"<pubDate>{a.day.strftime('%a, %d %b %Y')} 08:00:00 +0000</pubDate>"
        f"<description><![CDATA[{a.text.teaser}]]></description></item>\n" for a in arts)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel><title>{escape(title)}</title><link>{site.base}/</link>\n{items}</channel></rss>\n")


def urlset(urls: list[tuple[str, str | None]]) -> str:
    body = "".join(f"<url><loc>{escape(u)}</loc>{f'<lastmod>{m}</lastmod>' if m else ''}</url>\n" for u, m in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}</urlset>\n')


def sitemapindex(urls: list[str]) -> str:
    body = "".join(f"<sitemap><loc>{escape(u)}</loc></sitemap>\n" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}</sitemapindex>\n')


def robots(site: Site, *sitemaps: str, disallow: str = "/admin/") -> None:
    lines = ["User-agent: *", f"Disallow: {disallow}", ""] + [f"Sitemap: {site.base}{s}" for s in sitemaps]
    site.put("/robots.txt", "\n".join(lines) + "\n", "Content-Type: text/plain")


# ---------------------------------------------------------------------------------------------
# 1. WordPress: posts on the front page, /page/N/, wp-sitemap.xml, calendar and tag archives
def wordpress() -> Site:
    s = Site("solaris", "www.solaris-led.example", "WordPress")
    arts = s.new_articles(8, lambda n, d: f"{s.base}/{d:%Y/%m/%d}/{slug(article_text(f'solaris:{n}:en', False).title)}/",
                          date(2024, 11, 18), step=11)
    product = product_text("solaris-highbay", False)
    prod_url = "/led-high-bay-lights-for-industrial-warehouses/"

    def head(title: str) -> str:
        return f"""<!doctype html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel='dns-prefetch' href='//fonts.googleapis.com' />
<link rel="alternate" type="application/rss+xml" title="Solaris LED &raquo; Feed" href="{s.base}/feed/" />
<link rel="alternate" type="application/rss+xml" title="Solaris LED &raquo; Comments Feed" href="{s.base}/comments/feed/" />
<link rel='stylesheet' id='wp-block-library-css' href='{s.base}/wp-includes/css/dist/block-library/style.min.css?ver=6.5.3' media='all' />
<link rel="https://api.w.org/" href="{s.base}/wp-json/" />
<meta name="generator" content="WordPress 6.5.3" />
</head>
<body class="home blog wp-embed-responsive hfeed">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
<header id="masthead" class="site-header">
<div class="site-branding"><p class="site-title"><a href="{s.base}/" rel="home">Solaris LED</a></p>
<p class="site-description">Industrial LED lighting since 2009</p></div>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
<li class="menu-item menu-item-home current-menu-item"><a href="{s.base}/">Home</a></li>
<li class="menu-item menu-item-has-children"><a href="#">Products</a>
<ul class="sub-menu"><li class="menu-item"><a href="{s.base}{prod_url}">LED High Bay Lights</a></li></ul></li>
<li class="menu-item"><a href="{s.base}/about-us/">About Us</a></li>
<li class="menu-item"><a href="{s.base}/contact/">Contact</a></li>
</ul></nav>
</header>
<div id="content" class="site-content"><main id="primary" class="site-main">
"""

    def sidebar() -> str:
        recent = "".join(f'<li><a href="{a.url}">{escape(a.text.title)}</a></li>' for a in arts[:5])
        return f"""</main>
<aside id="secondary" class="widget-area">
<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>{recent}</ul></section>
<section id="archives-2" class="widget widget_archive"><h2 class="widget-title">Archives</h2><ul>
<li><a href="{s.base}/2024/11/">November 2024</a></li><li><a href="{s.base}/2024/10/">October 2024</a></li>
<li><a href="{s.base}/2024/09/">September 2024</a></li></ul></section>
<section id="tag_cloud-2" class="widget widget_tag_cloud"><h2 class="widget-title">Tags</h2><div class="tagcloud">
<a href="{s.base}/tag/micro-led-displays/" class="tag-cloud-link">Micro LED displays</a>
<a href="{s.base}/tag/horticulture-lighting-projects/" class="tag-cloud-link">Horticulture lighting projects</a></div></section>
<section id="calendar-2" class="widget widget_calendar"><div id="calendar_wrap" class="calendar_wrap">
<table id="wp-calendar" class="wp-calendar-table"><caption>November 2024</caption><tbody><tr>
<td><a href="{s.base}/2024/11/04/" aria-label="Posts published on November 4, 2024">4</a></td>
<td><a href="{s.base}/2024/11/18/" aria-label="Posts published on November 18, 2024">18</a></td></tr></tbody></table>
<nav aria-label="Previous and next months" class="wp-calendar-nav"><span class="wp-calendar-nav-prev"><a href="{s.base}/2024/10/">&laquo; Oct</a></span></nav></div></section>
</aside></div>
<footer id="colophon" class="site-footer"><div class="site-info">Copyright &copy; 2024 Solaris LED Co., Ltd. All rights reserved.
<span class="sep"> | </span>Proudly powered by <a href="https://wordpress.org/">WordPress</a></div></footer>
</div></body></html>
"""

    def teaser(a: Art) -> str:
        return f"""<article id="post-{a.num}" class="post-{a.num} post type-post status-publish format-standard hentry category-news">
<header class="entry-header"><h2 class="entry-title"><a href="{a.url}" rel="bookmark">{escape(a.text.title)}</a></h2>
<div class="entry-meta"><span class="posted-on">Posted on <a href="{a.url}" rel="bookmark"><time class="entry-date published" datetime="{a.day}T08:00:00+00:00">{a.day:%B} {a.day.day}, {a.day.year}</time></a></span></div></header>
<div class="entry-summary"><p>{escape(a.text.teaser)}</p></div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="{s.base}/category/news/" rel="category tag">News</a></span>
<a href="{a.url}" class="more-link">Continue reading<span class="screen-reader-text"> "{escape(a.text.title)}"</span></a></footer>
</article>
"""

    for i, chunk in enumerate(pages(arts), 1):
        nav = ""
        if i < len(pages(arts)):
            nav = (f'<nav class="navigation posts-navigation" aria-label="Posts"><h2 class="screen-reader-text">Posts navigation</h2>'
                   f'<div class="nav-links"><div class="nav-previous"><a href="{s.base}/page/{i + 1}/">Older posts</a></div></div></nav>')
        s.put("/" if i == 1 else f"/page/{i}/", head("Solaris LED – Industrial LED lighting since 2009")
              + "".join(teaser(a) for a in chunk) + nav + sidebar())
    for a in arts:
        share = (f'<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul>'
                 f'<li><a href="https://www.facebook.com/sharer.php?u={a.url}" class="share-facebook">Facebook</a></li>'
                 f'<li><a href="https://twitter.com/intent/tweet?url={a.url}" class="share-twitter">Twitter</a></li>'
                 f'<li><a href="mailto:?subject=LED%20news&amp;body={a.url}" class="share-email">Email</a></li></ul></div>')
        s.put(a.url[len(s.base):], head(f"{a.text.title} – Solaris LED").replace('class="home blog', 'class="post-template-default single single-post')
              + f"""<article id="post-{a.num}" class="post-{a.num} post type-post status-publish format-standard hentry category-news">
<header class="entry-header"><h1 class="entry-title">{escape(a.text.title)}</h1>
<div class="entry-meta"><span class="posted-on">Posted on <a href="{a.url}" rel="bookmark"><time class="entry-date published" datetime="{a.day}T08:00:00+00:00">{a.day:%B} {a.day.day}, {a.day.year}</time></a></span>
<span class="byline"> by <span class="author vcard"><a class="url fn n" href="{s.base}/author/admin/">admin</a></span></span></div></header>
<div class="entry-content">
{paras(a.text)}
</div>
{share}
<footer class="entry-footer"><span class="tags-links">Tagged <a href="{s.base}/tag/micro-led-displays/" rel="tag">Micro LED displays</a></span></footer>
</article>
<nav class="navigation post-navigation"><div class="nav-links"><div class="nav-previous"><a href="{arts[0].url}" rel="prev">{escape(arts[0].text.title)}</a></div></div></nav>
""" + sidebar())
    s.put(prod_url, head(product.title) + f"""<article id="post-7" class="post-7 page type-page status-publish hentry">
<header class="entry-header"><h1 class="entry-title">{escape(product.title)}</h1></header>
<div class="entry-content">{paras(product)}
<figure class="wp-block-table"><table><tbody><tr><td>Model No.</td><td>SL-HB-200</td></tr><tr><td>Power</td><td>200W</td></tr>
<tr><td>Price</td><td>Get a quote</td></tr></tbody></table></figure>
<p><a class="wp-block-button__link" href="{s.base}/contact/">Send Inquiry</a></p></div></article>
""" + sidebar())
    s.put("/tag/micro-led-displays/", head("Micro LED displays – Solaris LED") + '<header class="page-header"><h1 class="page-title">Tag: <span>Micro LED displays</span></h1></header>'
          + "".join(teaser(a) for a in arts[:4]) + sidebar())
    s.put("/about-us/", head("About Us – Solaris LED") + """<article class="page type-page"><header class="entry-header"><h1 class="entry-title">About Us</h1></header>
<div class="entry-content"><p>Solaris LED designs and manufactures industrial LED luminaires for warehouses, factories and sports venues. Our team of 120 engineers works from our headquarters and two plants, serving customers in more than 40 countries with certified products and project support.</p></div></article>""" + sidebar())
    s.put("/feed/", rss(s, "Solaris LED", arts[:3]), RSS_HEADERS)
    robots(s, "/wp-sitemap.xml", disallow="/wp-admin/")
    s.put("/wp-sitemap.xml", sitemapindex([f"{s.base}/wp-sitemap-posts-post-1.xml", f"{s.base}/wp-sitemap-posts-page-1.xml",
                                           f"{s.base}/wp-sitemap-taxonomies-category-1.xml", f"{s.base}/wp-sitemap-taxonomies-post_tag-1.xml",
                                           f"{s.base}/wp-sitemap-users-1.xml"]), XML_HEADERS)
    s.put("/wp-sitemap-posts-post-1.xml", urlset([(a.url, f"{a.day}T08:00:00+00:00") for a in arts]), XML_HEADERS)
    s.put("/wp-sitemap-posts-page-1.xml", urlset([(s.base + p, None) for p in ("/about-us/", "/contact/", prod_url)]), XML_HEADERS)
    s.put("/wp-sitemap-taxonomies-post_tag-1.xml", urlset([(s.base + "/tag/micro-led-displays/", None)]), XML_HEADERS)
    return s


# ---------------------------------------------------------------------------------------------
# 2. Drupal 10 (Chinese): /news view with ?page=N and a "下一页 ›" pager, /node/N for news AND products
def drupal() -> Site:
    s = Site("huaguang", "www.huaguang-opto.example", "Drupal")
    arts = s.new_articles(7, lambda n, d: f"{s.base}/node/{n}", date(2024, 10, 30), lang="zh-Hans", step=13)
    prods = [(f"{s.base}/node/{40 + i}", product_text(f"huaguang-{i}", True)) for i in range(2)]

    def page(title: str, main: str, body_class: str = "path-frontpage") -> str:
        return f"""<!DOCTYPE html>
<html lang="zh-hans" dir="ltr">
<head>
<meta charset="utf-8" />
<meta name="Generator" content="Drupal 10 (https://www.drupal.org)" />
<meta name="MobileOptimized" content="width" />
<link rel="icon" href="/themes/custom/hg/favicon.ico" type="image/vnd.microsoft.icon" />
<link rel="alternate" type="application/rss+xml" title="华光光电" href="{s.base}/rss.xml" />
<title>{escape(title)} | 华光光电</title>
</head>
<body class="{body_class}">
<a href="#main-content" class="visually-hidden focusable skip-link">跳转到主要内容</a>
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<header role="banner"><div class="region region-header"><a href="{s.base}/" rel="home" class="site-logo">华光光电</a></div>
<nav role="navigation" aria-labelledby="block-hg-main-menu" id="block-hg-main-menu"><h2 class="visually-hidden" id="block-hg-main-menu">主导航</h2>
<ul class="menu menu--main nav"><li class="menu-item"><a href="{s.base}/" data-drupal-link-system-path="&lt;front&gt;">首页</a></li>
<li class="menu-item"><a href="{s.base}/products" data-drupal-link-system-path="node/3">产品中心</a></li>
<li class="menu-item"><a href="{s.base}/news" data-drupal-link-system-path="news">新闻中心</a></li>
<li class="menu-item"><a href="{s.base}/about" data-drupal-link-system-path="node/2">关于我们</a></li>
<li class="menu-item"><a href="{s.base}/contact" data-drupal-link-system-path="contact">联系我们</a></li></ul></nav></header>
<main role="main"><a id="main-content" tabindex="-1"></a>
<div class="region region-content">
{main}
</div></main>
<footer role="contentinfo"><div class="region region-footer">版权所有 © 2024 华光光电科技有限公司 粤ICP备12345678号</div></footer>
</div></body></html>
"""

    def row(a: Art) -> str:
        return (f'<div class="views-row"><div class="views-field views-field-title"><span class="field-content">'
                f'<a href="{a.url}" hreflang="zh-hans">{escape(a.text.title)}</a></span></div>'
                f'<div class="views-field views-field-created"><span class="field-content">{a.day}</span></div>'
                f'<div class="views-field views-field-body"><div class="field-content">{escape(a.text.teaser)}</div></div></div>\n')

    chunks = pages(arts)
    for i, chunk in enumerate(chunks):
        pager = '<nav class="pager" role="navigation" aria-labelledby="pagination-heading"><h4 id="pagination-heading" class="visually-hidden">分页</h4><ul class="pager__items js-pager__items">'
        for j in range(len(chunks)):
            pager += (f'<li class="pager__item{" is-active" if j == i else ""}"><a href="?page={j}" title="{"当前页" if j == i else f"转到第 {j + 1} 页"}">'
                      f'<span class="visually-hidden">{"当前页" if j == i else "页面"}</span>{j + 1}</a></li>')
        if i + 1 < len(chunks):
            pager += f'<li class="pager__item pager__item--next"><a href="?page={i + 1}" title="去下一页"><span aria-hidden="true">下一页 ›</span></a></li>'
            pager += f'<li class="pager__item pager__item--last"><a href="?page={len(chunks) - 1}" title="去最后一页"><span aria-hidden="true">末页 »</span></a></li>'
        pager += "</ul></nav>"
        s.put("/news" if i == 0 else f"/news?page={i}", page("新闻中心", f'<div class="views-element-container"><div class="view view-news view-id-news view-display-id-page_1"><div class="view-content">{"".join(row(a) for a in chunk)}</div>{pager}</div></div>', "path-news"))
    for a in arts:
        s.put(a.url[len(s.base):], page(a.text.title, f"""<article role="article" about="/node/{a.num}" class="node node--type-article node--view-mode-full">
<h1 class="page-title"><span class="field field--name-title">{escape(a.text.title)}</span></h1>
<div class="node__meta"><span class="field--name-uid">admin</span> 发布时间：{a.day.year}年{a.day.month}月{a.day.day}日</div>
<div class="node__content"><div class="clearfix text-formatted field field--name-body field--type-text-with-summary field--label-hidden field__item">
{paras(a.text)}
</div>
<div class="field field--name-field-tags field--type-entity-reference"><div class="field__label">标签</div><div class="field__items"><div class="field__item"><a href="{s.base}/taxonomy/term/5" hreflang="zh-hans">Mini LED</a></div></div></div>
<div class="share-links">分享到：<a href="http://service.weibo.com/share/share.php?url={a.url}">新浪微博</a> <a href="https://connect.qq.com/widget/shareqq/index.html?url={a.url}">QQ</a></div>
</div></article>""", "path-node page-node-type-article"))
    for url, t in prods:
        s.put(url[len(s.base):], page(t.title, f"""<article role="article" class="node node--type-product node--view-mode-full">
<h1 class="page-title"><span class="field field--name-title">{escape(t.title)}</span></h1>
<div class="node__content"><div class="field field--name-field-image"><img src="/sites/default/files/products/p1.jpg" alt="{escape(t.title)}"></div>
<div class="field field--name-body">{paras(t)}</div>
<div class="field field--name-field-specs"><table><tr><th>产品型号</th><td>HG-{url[-2:]}</td></tr><tr><th>额定功率</th><td>150W</td></tr><tr><th>产品参数</th><td>IP66</td></tr></table></div>
<a class="button" href="{s.base}/contact">立即询价</a></div></article>""", "path-node page-node-type-product"))
    plist = "".join(f'<li><a href="{u}">{escape(t.title)}</a></li>' for u, t in prods)
    home = (f'<div class="block block-views"><h2>新闻动态</h2>{"".join(row(a) for a in arts[:3])}</div>'
            f'<div class="block block-products"><h2>推荐产品</h2><ul>{plist}</ul></div>')
    s.put("/", page("首页", home))
    s.put("/rss.xml", rss(s, "华光光电", arts[:3]), RSS_HEADERS)
    robots(s, disallow="/admin/")
    return s


# ---------------------------------------------------------------------------------------------
# 3. Joomla 4: news only inside the "About Us" dropdown, ?start=N pager with icon-only links,
#    "Published: 18/11/2024" (day first; every day > 12)
def joomla() -> Site:
    s = Site("northlight", "www.northlight-lighting.example", "Joomla")
    cat = "/index.php/about-us/company-news"
    arts = s.new_articles(6, lambda n, d: f"{s.base}{cat}/{n}-{slug(article_text(f'northlight:{n}:en', False).title, 6)}",
                          date(2024, 11, 28), step=17, min_day=13)

    def page(title: str, main: str, feed: bool = False) -> str:
        link = f'<link href="{s.base}{cat}?format=feed&amp;type=rss" rel="alternate" type="application/rss+xml" title="RSS 2.0">' if feed else ""
        return f"""<!DOCTYPE html>
<html lang="en-gb" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Joomla! - Open Source Content Management">
<title>{escape(title)} - Northlight Lighting</title>
{link}
<link href="/media/templates/site/cassiopeia/css/template.min.css?4.4.2" rel="stylesheet">
</head>
<body class="site com_content wrapper-static view-category layout-blog">
<header class="header container-header full-width">
<div class="grid-child"><div class="navbar-brand"><a class="brand-logo" href="{s.base}/"><span title="Northlight Lighting">Northlight Lighting</span></a></div></div>
<div class="grid-child container-nav"><nav class="navbar navbar-expand-md" aria-label="Main Menu">
<ul class="mod-menu mod-menu_dropdown-metismenu metismenu mod-list">
<li class="metismenu-item item-101 level-1 default"><a href="{s.base}/index.php">Home</a></li>
<li class="metismenu-item item-102 level-1"><a href="{s.base}/index.php/products">Products</a></li>
<li class="metismenu-item item-103 level-1 deeper parent"><button class="mod-menu__heading nav-header mm-toggler mm-toggler-nolink" aria-haspopup="true" aria-expanded="false">About Us</button>
<ul class="mm-collapse"><li class="metismenu-item item-104 level-2"><a href="{s.base}/index.php/about-us/profile">Company Profile</a></li>
<li class="metismenu-item item-105 level-2"><a href="{s.base}{cat}">Company News</a></li>
<li class="metismenu-item item-106 level-2"><a href="{s.base}/index.php/about-us/certificates">Certificates</a></li></ul></li>
<li class="metismenu-item item-107 level-1"><a href="{s.base}/index.php/contact-us">Contact Us</a></li></ul></nav></div>
</header>
<div class="site-grid"><div class="grid-child container-component"><main>
{main}
</main></div></div>
<footer class="container-footer footer full-width"><div class="grid-child">© 2024 Northlight Lighting Ltd. | Unit 5, Riverside Park, Leeds</div></footer>
</body></html>
"""

    def meta(a: Art) -> str:
        return (f'<dl class="article-info text-muted"><dt class="article-info-term">Details</dt>'
                f'<dd class="createdby">Written by Super User</dd><dd class="category-name">Category: <a href="{s.base}{cat}">Company News</a></dd>'
                f'<dd class="published"><span class="icon-calendar icon-fw" aria-hidden="true"></span>Published: {a.day:%d/%m/%Y}</dd></dl>')

    chunks = pages(arts, 4)
    for i, chunk in enumerate(chunks):
        items = "".join(f"""<div class="com-content-category-blog__item blog-item" itemprop="blogPost" itemscope itemtype="https://schema.org/BlogPosting">
<div class="item-content"><div class="page-header"><h2 itemprop="name"><a href="{a.url}" itemprop="url">{escape(a.text.title)}</a></h2></div>
{meta(a)}<p>{escape(a.text.teaser)}</p>
<p class="readmore"><a class="btn btn-secondary" href="{a.url}" aria-label="Read more: {escape(a.text.title)}"><span class="icon-chevron-right" aria-hidden="true"></span> Read more …</a></p></div></div>""" for a in chunk)
        pager = ""
        if len(chunks) > 1:
            pager = '<div class="com-content-category-blog__navigation w-100"><nav class="pagination__wrapper" aria-label="Pagination"><ul class="pagination ms-0 mb-4">'
            for j in range(len(chunks)):
                href = f"{s.base}{cat}" + (f"?start={4 * j}" if j else "")
                pager += (f'<li class="active page-item"><a aria-current="true" aria-label="Page {j + 1}" href="#" class="page-link">{j + 1}</a></li>' if j == i else
                          f'<li class="page-item"><a aria-label="Go to page {j + 1}" href="{href}" class="page-link">{j + 1}</a></li>')
            if i + 1 < len(chunks):
                pager += f'<li class="page-item"><a aria-label="Go to next page" href="{s.base}{cat}?start={4 * (i + 1)}" class="page-link"><span class="icon-angle-right" aria-hidden="true"></span></a></li>'
            pager += "</ul></nav></div>"
        s.put(cat if i == 0 else f"{cat}?start={4 * i}", page("Company News", f'<div class="com-content-category-blog blog"><h1>Company News</h1><div class="com-content-category-blog__items blog-items">{items}</div>{pager}</div>', feed=True))
    for a in arts:
        s.put(a.url[len(s.base):], page(a.text.title, f"""<div class="com-content-article item-page" itemscope itemtype="https://schema.org/Article">
<meta itemprop="inLanguage" content="en-GB">
<div class="page-header"><h1 itemprop="headline">{escape(a.text.title)}</h1></div>
{meta(a)}
<div itemprop="articleBody" class="com-content-article__body">
{paras(a.text)}
</div>
<nav class="pagenavigation" aria-label="Page Navigation"><span class="pagination ms-0"><a class="btn btn-sm btn-secondary next" href="{arts[-1].url}" rel="next"><span class="visually-hidden">Next article</span> Next <span class="icon-chevron-right" aria-hidden="true"></span></a></span></nav>
</div>"""))
    s.put("/", page("Home", """<div class="com-content-featured blog-featured"><h1>Quality LED lighting for offices, schools and retail</h1>
<p>Northlight Lighting designs energy-efficient LED panels, downlights and linear luminaires for commercial buildings across the United Kingdom and Europe.</p></div>"""))
    s.put(f"{cat}?format=feed&type=rss", rss(s, "Company News", arts[:3]), RSS_HEADERS)
    robots(s, disallow="/administrator/")
    return s


# ---------------------------------------------------------------------------------------------
# 4. DedeCMS 织梦: /news/ with list_1_N.html, dated article paths, products with the same path shape
def dedecms() -> Site:
    s = Site("xinyuan", "www.xinyuan-led.example", "DedeCMS")
    arts = s.new_articles(7, lambda n, d: f"{s.base}/news/{d:%Y}/{d:%m%d}/{n}.html", date(2024, 9, 20), lang="zh-Hans", step=8)
    prods = [(f"{s.base}/products/2024/0301/{60 + i}.html", product_text(f"xinyuan-{i}", True)) for i in range(2)]

    def page(title: str, main: str, here: str = "首页") -> str:
        prod_links = "".join(f'<li><a href="{u}" title="{escape(t.title)}">{escape(t.title)}</a></li>' for u, t in prods)
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{escape(title)}_鑫源LED照明</title>
<meta name="keywords" content="LED照明,LED灯具,鑫源" />
<meta name="description" content="鑫源LED照明专业生产LED灯具" />
<link href="/templets/default/style/dedecms.css" rel="stylesheet" media="screen" type="text/css" />
</head>
<body class="articlelist">
<div class="header"><div class="top w960 center"><div class="title"><h1><a href="{s.base}/"><img src="/templets/default/images/logo.gif" alt="鑫源LED照明" /></a></h1></div></div>
<div class="module blue mT10 wrapper w963"><div id="navMenu"><ul>
<li><a href='{s.base}/'><span>主页</span></a></li>
<li><a href='{s.base}/about/' rel='dropmenu1'><span>关于我们</span></a></li>
<li><a href='{s.base}/products/' rel='dropmenu2'><span>产品中心</span></a></li>
<li{' class="thisclass"' if here == "新闻中心" else ''}><a href='{s.base}/news/' rel='dropmenu3'><span>新闻中心</span></a></li>
<li><a href='{s.base}/contact/'><span>联系我们</span></a></li></ul></div></div></div>
<div class="w960 center clear mt1">
<div class="pleft">{main}</div>
<div class="pright"><div class="commend"><dl class="tbox"><dt><strong>推荐产品</strong></dt><dd><ul class="d4">{prod_links}</ul></dd></dl></div></div>
</div>
<div class="footer w960 center mt1 clear"><p class="powered">Powered by <a href="http://www.dedecms.com" title="织梦内容管理系统(DedeCMS)">DedeCMS</a> © 2004-2024 DesDev Inc.</p>
<div class="copyright">Copyright &copy; 2024 鑫源LED照明有限公司 版权所有 粤ICP备87654321号</div></div>
</body></html>
"""

    chunks = pages(arts)
    for i, chunk in enumerate(chunks, 1):
        rows = "".join(f"""<li><a href="{a.url}" class="preview"><img src='/uploads/allimg/{a.day:%y%m%d}/1-{a.num}.jpg'/></a>
<h3><a href="{a.url}" class="title">{escape(a.text.title)}</a></h3>
<p class="info"><small>日期：</small>{a.day} <small>点击：</small>{a.num * 7}<small>好评：</small>0</p><p class="intro">{escape(a.text.teaser)}</p></li>""" for a in chunk)
        pl = "".join(f"<li class='thisclass'>{j}</li>" if j == i else f"<li><a href='list_1_{j}.html'>{j}</a></li>" for j in range(1, len(chunks) + 1))
        nxt = f"<li><a href='list_1_{i + 1}.html'>下一页</a></li>" if i < len(chunks) else ""
        pager = (f"<div class=\"dede_pages\"><ul class=\"pagelist\"><li><a>首页</a></li>{pl}{nxt}<li><a href='list_1_{len(chunks)}.html'>末页</a></li>"
                 f"<span class=\"pageinfo\">共 <strong>{len(chunks)}</strong>页<strong>{len(arts)}</strong>条</span></ul></div>")
        s.put("/news/" if i == 1 else f"/news/list_1_{i}.html", page("新闻中心", f'<div class="place"><strong>当前位置:</strong> <a href="{s.base}/">主页</a> &gt; <a href="{s.base}/news/">新闻中心</a> &gt;</div><div class="listbox"><ul class="e2">{rows}</ul></div>{pager}', "新闻中心"))
    for a in arts:
        s.put(a.url[len(s.base):], page(a.text.title, f"""<div class="place"><strong>当前位置:</strong> <a href="{s.base}/">主页</a> &gt; <a href="{s.base}/news/">新闻中心</a> &gt;</div>
<div class="viewbox"><div class="title"><h2>{escape(a.text.title)}</h2></div>
<div class="info"><small>时间:</small>{a.day} 10:{a.num % 60:02d}<small>来源:</small>未知 <small>作者:</small>admin <small>点击:</small><script src="/plus/count.php?view=yes&aid={a.num}&mid=1" type='text/javascript' language="javascript"></script> 次</div>
<div class="content"><table width='100%'><tr><td>
{paras(a.text)}
</td></tr></table></div>
<div class="boxoff"><strong>------分隔线----------------------------</strong></div>
<div class="handle"><div class="context"><ul><li>上一篇：没有了 </li><li>下一篇：<a href='{arts[0].url}'>{escape(arts[0].text.title)}</a> </li></ul></div></div></div>""", "新闻中心"))
    for u, t in prods:
        s.put(u[len(s.base):], page(t.title, f"""<div class="viewbox"><div class="title"><h2>{escape(t.title)}</h2></div>
<div class="content"><div class="pic"><img src="/uploads/allimg/240301/1-p.jpg" alt="{escape(t.title)}" /></div>
<table class="canshu"><tr><td>产品型号：</td><td>XY-{u[-7:-5]}</td></tr><tr><td>规格参数：</td><td>AC220V 50Hz</td></tr><tr><td>价格：</td><td>面议</td></tr></table>
{paras(t)}<p><a href="{s.base}/contact/">在线询价</a></p></div></div>""", "产品中心"))
    home_news = "".join(f'<li><span>{a.day:%m-%d}</span><a href="{a.url}">{escape(a.text.title)}</a></li>' for a in arts[:4])
    s.put("/", page("首页", f'<div class="listbox"><h2>公司新闻</h2><ul class="c1 ico2">{home_news}</ul></div>'))
    robots(s, disallow="/plus/ad_js.php")
    return s


# ---------------------------------------------------------------------------------------------
# 5. PHPCMS v9: dynamic routes (a=lists / a=show&catid=&id=), two news categories in a dropdown,
#    &page=N, product pages on the same show route
def phpcms() -> Site:
    s = Site("guangcai", "www.guangcai-tech.example", "PHPCMS")
    route = "/index.php?m=content&c=index"
    co = s.new_articles(3, lambda n, d: f"{s.base}{route}&a=show&catid=7&id={n}", date(2024, 8, 28), lang="zh-Hans", step=10)
    ind = s.new_articles(4, lambda n, d: f"{s.base}{route}&a=show&catid=8&id={n}", date(2024, 8, 25), lang="zh-Hans", step=7, first_id=201)
    prods = [(f"{s.base}{route}&a=show&catid=12&id={30 + i}", product_text(f"guangcai-{i}", True)) for i in range(2)]

    def page(title: str, main: str) -> str:
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=7" />
<title>{escape(title)} - 光彩科技</title>
<meta name="keywords" content="光彩科技,LED显示屏">
<link href="{s.base}/statics/css/reset.css" rel="stylesheet" type="text/css" />
<link href="{s.base}/statics/css/default_blue.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="{s.base}/statics/js/jquery.min.js"></script>
</head><body>
<div class="body-top"><div class="content"><a href="{s.base}/" class="logo"><img src="{s.base}/statics/images/v9/logo.jpg" /></a></div></div>
<div class="header"><div class="nav-bar"><map><ul class="nav-site">
<li><a href="{s.base}/"><span>首页</span></a></li><li class="line">|</li>
<li><a href="{s.base}{route}&a=lists&catid=11"><span>产品展示</span></a></li><li class="line">|</li>
<li class="menu"><a href="javascript:void(0)"><span>新闻资讯</span></a>
<ul class="sub"><li><a href="{s.base}{route}&a=lists&catid=7">公司新闻</a></li><li><a href="{s.base}{route}&a=lists&catid=8">行业资讯</a></li></ul></li><li class="line">|</li>
<li><a href="{s.base}{route}&a=lists&catid=3"><span>关于我们</span></a></li></ul></map></div></div>
<div class="main">{main}</div>
<div class="footer"><p class="info">Powered by <strong><a href="http://www.phpcms.cn" target="_blank">PHPCMS</a></strong> <em>V9</em> &copy; 2024 光彩科技 <a href="http://www.miibeian.gov.cn/" target="_blank">京ICP备11223344号</a></p></div>
</body></html>
"""

    for catid, name, group in ((7, "公司新闻", co), (8, "行业资讯", ind)):
        chunks = pages(group)
        for i, chunk in enumerate(chunks, 1):
            rows = "".join(f'<li><span class="rt">{a.day}</span>·<a href="{a.url}" target="_blank">{escape(a.text.title)}</a></li>' for a in chunk)
            lst = f"{s.base}{route}&a=lists&catid={catid}"
            pager = (f'<div id="pages" class="text-c"><a class="a1">{len(group)}条</a> '
                     + (f'<a href="{lst}&page={i - 1}" class="a1">上一页</a> ' if i > 1 else '<a class="a1">上一页</a> ')
                     + " ".join(f"<span>{j}</span>" if j == i else f'<a href="{lst}&page={j}">{j}</a>' for j in range(1, len(chunks) + 1))
                     + (f' <a href="{lst}&page={i + 1}" class="a1">下一页</a>' if i < len(chunks) else ' <a class="a1">下一页</a>') + "</div>")
            s.put(f"{route}&a=lists&catid={catid}" + (f"&page={i}" if i > 1 else ""),
                  page(name, f'<div class="col-left"><div class="crumbs"><a href="{s.base}/">首页</a><span> &gt; </span>{name}</div><ul class="list lh24 f14">{rows}</ul>{pager}</div>'))
        for a in group:
            s.put(a.url[len(s.base):], page(a.text.title, f"""<div class="col-left"><div class="crumbs"><a href="{s.base}/">首页</a><span> &gt; </span><a href="{s.base}{route}&a=lists&catid={catid}">{name}</a> &gt;  正文</div>
<div id="Article"><h1>{escape(a.text.title)}<br /><span>发布时间：{a.day} 09:{a.num % 60:02d}:00&nbsp;&nbsp;&nbsp;来源：本站&nbsp;&nbsp;&nbsp;评论：<a href="#comment_iframe" id="comment">0</a> 点击:</span></h1>
<div class="content">
{paras(a.text)}
</div>
<p style="margin-bottom:10px"><strong>相关热词搜索：</strong><a href="{s.base}/index.php?m=content&c=tag&a=lists&tag=LED">LED</a></p>
<p class="f14"><strong>上一篇：</strong>没有了<br /><strong>下一篇：</strong>没有了</p></div></div>"""))
    for u, t in prods:
        s.put(u[len(s.base):], page(t.title, f"""<div class="col-left"><div id="Article"><h1>{escape(t.title)}</h1>
<div class="content"><p><img src="{s.base}/uploadfile/2024/0301/p.jpg" /></p>{paras(t)}
<table><tr><td>产品型号</td><td>GC-{u[-2:]}</td></tr><tr><td>产品参数</td><td>P2.5 室内</td></tr><tr><td>价格</td><td>面议</td></tr></table>
<p><a href="{s.base}{route}&a=lists&catid=3">在线询价</a></p></div></div></div>"""))
    plist = "".join(f'<li><a href="{u}">{escape(t.title)}</a></li>' for u, t in prods)
    s.put("/", page("首页", f'<div class="col-left"><h5 class="title-2">热门产品</h5><ul class="list">{plist}</ul></div>'))
    robots(s, disallow="/phpsso_server/")
    return s


# ---------------------------------------------------------------------------------------------
# 6. EmpireCMS 帝国: /news/index_N.html, the next link is only an image with alt text,
#    tag archives /e/tags/?tagname=
def empirecms() -> Site:
    s = Site("tianrui", "www.tianrui-display.example", "EmpireCMS")
    arts = s.new_articles(7, lambda n, d: f"{s.base}/news/{d}/{n}.html", date(2024, 11, 6), lang="zh-Hans", step=6)

    def page(title: str, main: str) -> str:
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{escape(title)} - 天瑞显示</title>
<meta name="keywords" content="天瑞显示,LED显示屏" />
<link href="/skin/default/css/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/e/data/js/ajax.js"></script>
</head><body>
<table width="960" border="0" align="center" cellpadding="0" cellspacing="0" class="top"><tr><td><a href="{s.base}/"><img src="/skin/default/images/logo.gif" alt="天瑞显示" /></a></td></tr></table>
<table width="960" border="0" align="center" cellpadding="0" cellspacing="0" class="nav"><tr><td class="nav_global"><ul>
<li class="curr" id="nav_index"><a href="{s.base}/">首页</a></li>
<li id="nav_1"><a href="{s.base}/products/">产品展示</a></li>
<li id="nav_2"><a href="{s.base}/news/">行业资讯</a></li>
<li id="nav_3"><a href="{s.base}/about/">企业简介</a></li></ul></td></tr></table>
<table width="960" border="0" align="center" cellpadding="0" cellspacing="10"><tr><td class="main">{main}</td></tr></table>
<table width="960" border="0" align="center" cellpadding="0" cellspacing="0" class="copyright"><tr><td>Powered by <strong><a href="http://www.phome.net" target="_blank">EmpireCMS</a></strong> &copy; 2002-2024 天瑞显示 版权所有</td></tr></table>
</body></html>
"""

    chunks = pages(arts)
    for i, chunk in enumerate(chunks, 1):
        rows = "".join(f'<tr><td class="list_title"><a href="{a.url}" target="_blank" title="{escape(a.text.title)}">{escape(a.text.title)}</a></td><td class="list_date">{a.day}</td></tr>' for a in chunk)
        nxt = ""
        if i < len(chunks):
            nxt = f'<a href="{s.base}/news/index_{i + 1}.html"><img src="/skin/default/images/next.gif" alt="下一页" border="0" /></a>'
        prev = ""
        if i > 1:
            prev = f'<a href="{s.base}/news/{"" if i == 2 else f"index_{i - 1}.html"}"><img src="/skin/default/images/prev.gif" alt="上一页" border="0" /></a>'
        pager = f'<div class="epages"><a title="Total record">&nbsp;<b>{len(arts)}</b> </a>&nbsp;&nbsp;{prev}&nbsp;<b>{i}</b>&nbsp;{nxt}</div>'
        s.put("/news/" if i == 1 else f"/news/index_{i}.html", page("行业资讯", f'<table class="box"><tr><td class="title">行业资讯</td></tr></table><table width="100%" class="list">{rows}</table>{pager}'))
    for a in arts:
        s.put(a.url[len(s.base):], page(a.text.title, f"""<table class="box" width="100%"><tr><td class="position">现在的位置：<a href="{s.base}/">首页</a>&nbsp;>&nbsp;<a href="{s.base}/news/">行业资讯</a></td></tr></table>
<h1 class="title_info">{escape(a.text.title)}</h1>
<div class="info_text">时间：{a.day} 14:{a.num % 60:02d}:05 | 作者：编辑部 | 来源：天瑞显示 | 点击：<script src="{s.base}/e/public/ViewClick/?classid=2&id={a.num}&addclick=1"></script> 次</div>
<div id="text">
{paras(a.text)}
</div>
<div class="tags">TAGS：<a href="{s.base}/e/tags/?tagname=MiniLED" target="_blank">MiniLED</a> <a href="{s.base}/e/tags/?tagname=xiaojianju" target="_blank">小间距</a></div>
<div class="share">分享到：<a href="http://share.baidu.com/s?url={a.url}">百度分享</a></div>"""))
    tag_rows = "".join(f'<li><a href="{a.url}">{escape(a.text.title)}</a> <span>{a.day}</span></li>' for a in arts[:5])
    s.put("/e/tags/?tagname=MiniLED", page("MiniLED", f'<h1>TAG：MiniLED</h1><ul class="tag_list">{tag_rows}</ul>'))
    s.put("/", page("首页", f'<table class="box"><tr><td class="title">最新资讯</td></tr></table><ul>{tag_rows}</ul>'))
    robots(s, disallow="/e/admin/")
    return s


# ---------------------------------------------------------------------------------------------
# 7. MetInfo 米拓: shownews.php?lang=cn&id=N, an English version behind ?lang=en, &page=N
def metinfo() -> Site:
    s = Site("ruiguang", "www.ruiguang-led.example", "MetInfo")
    cn = s.new_articles(4, lambda n, d: f"{s.base}/news/shownews.php?lang=cn&id={n}", date(2024, 10, 12), lang="zh-Hans", step=12)
    en = s.new_articles(4, lambda n, d: f"{s.base}/news/shownews.php?lang=en&id={n}", date(2024, 10, 12), lang="en", step=12)

    def page(title: str, main: str, lang: str) -> str:
        zh = lang == "cn"
        labels = ("网站首页", "产品中心", "新闻资讯", "联系我们", "English") if zh else ("Home", "Products", "News", "Contact Us", "中文")
        other = "en" if zh else "cn"
        return f"""<!DOCTYPE HTML>
<html class="" lang="{'zh-cn' if zh else 'en'}">
<head>
<meta name="renderer" content="webkit">
<meta charset="utf-8" />
<meta name="generator" content="MetInfo 7.3.0" data-variable="{s.base}/|{lang}|cn|mui196|2||" />
<title>{escape(title)}-{'瑞光照明' if zh else 'Ruiguang Lighting'}</title>
<link href="{s.base}/public/images/metinfo.ico" rel="shortcut icon" type="image/x-icon" />
<link rel="stylesheet" type="text/css" href="{s.base}/public/web/css/basic.css">
</head>
<body>
<header class="met-head" m-id="met_head" m-type="head_nav"><nav class="navbar navbar-default box-shadow-none met-nav"><div class="container"><div class="row">
<h1 hidden>{'瑞光照明' if zh else 'Ruiguang Lighting'}</h1>
<a href="{s.base}/index.php?lang={lang}" class="met-logo"><img src="{s.base}/upload/201905/logo.png" alt="logo"></a>
<ul class="nav navbar-nav navlist">
<li><a href="{s.base}/index.php?lang={lang}" title="{labels[0]}" class="nav-link">{labels[0]}</a></li>
<li class="dropdown"><a href="{s.base}/product/product.php?lang={lang}&class1=3" class="nav-link dropdown-toggle">{labels[1]}</a></li>
<li class="dropdown"><a href="{s.base}/news/news.php?lang={lang}&class1=2" title="{labels[2]}" class="nav-link dropdown-toggle">{labels[2]}</a></li>
<li><a href="{s.base}/message/message.php?lang={lang}" class="nav-link">{labels[3]}</a></li></ul>
<div class="metlang m-l-10"><a href="{s.base}/index.php?lang={other}" title="{labels[4]}" class="btn btn-outline btn-default btn-squared btn-lang">{labels[4]}</a></div>
</div></div></nav></header>
{main}
<footer class='met-foot-info border-top1' m-id='met_foot' m-type="foot"><div class="met-footnav text-xs-center"><div class="container"><p>{'瑞光照明科技有限公司 版权所有 2008-2024' if zh else 'Ruiguang Lighting Technology Co., Ltd. All rights reserved 2008-2024'}</p>
<div class="powered_by_metinfo">Powered by <b><a href=https://www.metinfo.cn target=_blank>MetInfo 7.3.0</a></b> &copy;2008-2024 &nbsp;<a href=https://www.mituo.cn target=_blank>mituo.cn</a></div></div></div></footer>
</body></html>
"""

    for lang, group in (("cn", cn), ("en", en)):
        zh = lang == "cn"
        chunks = pages(group)
        lst = f"{s.base}/news/news.php?lang={lang}&class1=2"
        for i, chunk in enumerate(chunks, 1):
            rows = "".join(f"""<li class="border-bottom1"><h4><a href="{a.url}" title="{escape(a.text.title)}" target='_self'>{escape(a.text.title)}</a></h4>
<p class="des font-weight-300">{escape(a.text.teaser)}</p><p class="info font-weight-300"><span>{a.day}</span><span class="margin-left-10"><i class="icon wb-eye m-r-5 font-weight-300"></i>{a.num}</span></p></li>""" for a in chunk)
            pager = '<div class="m-t-20 text-xs-center hidden-sm-down" m-type="nosysdata"><div class=\'met_pager\'>'
            for j in range(1, len(chunks) + 1):
                pager += f"<a href='{lst}&page={j}' class='{'Ahover' if j == i else ''}'>{j}</a>"
            if i < len(chunks):
                pager += f"<a href='{lst}&page={i + 1}' class='NextA'>{'下一页' if zh else 'Next'}</a>"
            pager += "</div></div>"
            s.put(f"/news/news.php?lang={lang}&class1=2" + (f"&page={i}" if i > 1 else ""),
                  page("新闻资讯" if zh else "News", f'<main class="news-list-md"><div class="container"><ul class="ulstyle met-pager-ajax imagesize" data-scale="400x400">{rows}</ul>{pager}</div></main>', lang))
        for a in group:
            label = "发布时间：" if zh else "Release time:"
            s.put(a.url[len(s.base):], page(a.text.title, f"""<main class="met-shownews animsition"><div class="container"><div class="row"><div class="col-md-9 met-shownews-body" m-id='noset'><div class="row">
<section class="details-title border-bottom1"><h1 class='m-0'>{escape(a.text.title)}</h1>
<div class="info font-weight-300"><span>{label}{a.day} 10:{a.num % 60:02d}:18</span><span>{'作者' if zh else 'Author'}：admin</span><span><i class="icon wb-eye m-r-5" aria-hidden="true"></i>{a.num}</span></div></section>
<section class="met-editor clearfix">
{paras(a.text)}
</section>
<div class='met-page p-y-30 border-top1'><div class="container p-t-30"><ul class="pagination block blocks-2"><li class='page-item m-b-0'><a href='{group[0].url}' class='page-link'>{'上一篇' if zh else 'Previous'}</a></li></ul></div></div>
</div></div></div></div></main>""", lang))
    s.put("/", page("网站首页", '<div class="met-index-about"><h2>关于瑞光</h2><p>瑞光照明专注于LED工矿灯、路灯和植物照明灯具的研发与生产。</p></div>', "cn"))
    s.put("/index.php?lang=cn", page("网站首页", '<div class="met-index-about"><h2>关于瑞光</h2><p>瑞光照明专注于LED工矿灯、路灯和植物照明灯具的研发与生产。</p></div>', "cn"))
    s.put("/index.php?lang=en", page("Home", '<div class="met-index-about"><h2>About Ruiguang</h2><p>Ruiguang Lighting makes LED high bay lights, street lights and grow lights.</p></div>', "en"))
    robots(s, disallow="/admin/")
    return s


# ---------------------------------------------------------------------------------------------
# 8. PbootCMS: /news/?page=N, job and download pages, sitemap.xml with everything,
#    a translated /en/ section announced by hreflang
def pbootcms() -> Site:
    s = Site("jingcai", "www.jingcai-lighting.example", "PbootCMS")
    zh = s.new_articles(5, lambda n, d: f"{s.base}/news/{n}.html", date(2024, 11, 2), lang="zh-Hans", step=9)
    en = s.new_articles(3, lambda n, d: f"{s.base}/en/news/{n}.html", date(2024, 10, 29), lang="en", step=14, first_id=301)
    job = (f"{s.base}/job/12.html", "招聘：LED封装工艺工程师（2名）")
    dl = (f"{s.base}/download/7.html", "2024年产品目录及安装说明书下载")

    def page(title: str, main: str, en_side: bool = False) -> str:
        p = "/en" if en_side else ""
        labels = ("Home", "About", "News", "Careers", "Download", "中文") if en_side else ("网站首页", "关于我们", "新闻中心", "人才招聘", "资料下载", "English")
        return f"""<!doctype html>
<html lang="{'en' if en_side else 'zh-CN'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
<title>{escape(title)}-{'Jingcai Lighting' if en_side else '晶彩照明'}</title>
<meta name="keywords" content="晶彩照明">
<link rel="alternate" hreflang="zh-CN" href="{s.base}/">
<link rel="alternate" hreflang="en" href="{s.base}/en/">
<link rel="stylesheet" href="/template/default/bootstrap/css/bootstrap.min.css">
<link rel="stylesheet" href="/template/default/css/aoyun.css?v=v3.0.0">
</head>
<body>
<nav class="navbar navbar-light bg-light fixed-top navbar-expand-lg shadow-sm"><div class="container">
<a class="navbar-brand my-1" href="{s.base}{p}/"><img src="/static/upload/image/20240101/logo.png" class="logo-sm-height" height="50"></a>
<div class="collapse navbar-collapse justify-content-end" id="navbarNav"><ul class="navbar-nav">
<li class="nav-item"><a class="nav-link" href="{s.base}{p}/">{labels[0]}</a></li>
<li class="nav-item"><a class="nav-link" href="{s.base}{p}/about/">{labels[1]}</a></li>
<li class="nav-item"><a class="nav-link" href="{s.base}{p}/news/">{labels[2]}</a></li>
<li class="nav-item"><a class="nav-link" href="{s.base}/job/">{labels[3]}</a></li>
<li class="nav-item"><a class="nav-link" href="{s.base}/download/">{labels[4]}</a></li>
<li class="nav-item"><a class="nav-link" href="{s.base}{'/' if en_side else '/en/'}">{labels[5]}</a></li></ul></div></div></nav>
<div class="container pages">{main}</div>
<div class="footer mt-3 pt-5 border-top text-secondary bg-light"><div class="container"><div class="row pb-5">
<div class="col-12 col-md-5"><div class="mb-2">{'Jingcai Lighting Co., Ltd.' if en_side else '晶彩照明有限公司'}</div><div>Tel: 0760-88886666</div></div></div></div>
<div class="copyright border-top pt-3 pb-3 text-center">Copyright © 2024 {'Jingcai Lighting' if en_side else '晶彩照明'} <a href="https://www.pbootcms.com">PbootCMS</a></div></div>
</body></html>
"""

    for group, en_side in ((zh, False), (en, True)):
        p = "/en" if en_side else ""
        chunks = pages(group)
        for i, chunk in enumerate(chunks, 1):
            rows = "".join(f"""<div class="media border-bottom pb-3 pt-3"><div class="media-body">
<h5 class="mt-0 mb-3"><a href="{a.url}">{escape(a.text.title)}</a></h5>
<p class="text-secondary mb-2">{escape(a.text.teaser)}</p>
<div class="text-secondary lh-2"><span class="mr-3"><i class="fa fa-calendar-check-o" aria-hidden="true"></i> {a.day}</span></div></div></div>""" for a in chunk)
            pager = '<div class="text-center d-none d-md-block"><div class="pagebar"><div class="pagination">'
            pager += f'<a class="page-item page-link" href="{s.base}{p}/news/">{"First" if en_side else "首页"}</a>'
            for j in range(1, len(chunks) + 1):
                pager += f'<a href="{s.base}{p}/news/{"" if j == 1 else f"?page={j}"}" class="page-num{" page-num-current" if j == i else ""}">{j}</a>'
            if i < len(chunks):
                pager += f'<a class="page-item page-link" href="{s.base}{p}/news/?page={i + 1}">{"Next" if en_side else "下一页"}</a>'
            pager += "</div></div></div>"
            s.put(f"{p}/news/" + (f"?page={i}" if i > 1 else ""), page("News" if en_side else "新闻中心", rows + pager, en_side))
        for a in group:
            label = "Time:" if en_side else "时间："
            s.put(a.url[len(s.base):], page(a.text.title, f"""<h2 class="text-center fs-sm-28 fs-20 mt-3">{escape(a.text.title)}</h2>
<div class="text-center border-bottom text-secondary pb-2 mb-3">{label}{a.day} 10:{a.num % 60:02d}:00&nbsp;&nbsp;&nbsp;{'Views' if en_side else '访问量'}：{a.num * 3}</div>
<div class="news_con">
{paras(a.text)}
</div>
<div class="text-secondary lh-3">{'Previous' if en_side else '上一篇'}：<a href="{group[0].url}">{escape(group[0].text.title)}</a></div>""", en_side))
    s.put(job[0][len(s.base):], page(job[1], f"""<h2 class="text-center fs-sm-28 fs-20 mt-3">{job[1]}</h2>
<div class="text-center border-bottom text-secondary pb-2 mb-3">时间：2024-10-08 09:00:00&nbsp;&nbsp;&nbsp;访问量：312</div>
<div class="news_con"><p>岗位职责：负责LED封装产线的工艺开发与导入，制定固晶、焊线、点胶和分光各工序的作业指导书，分析并解决生产过程中出现的良率问题，配合研发部门完成新产品的试产与量产转移工作。</p>
<p>任职要求：本科及以上学历，光电、材料或机械相关专业，三年以上LED封装工艺经验，熟悉SMD与COB封装流程，具备良好的沟通能力和团队合作精神。工作地点：中山市古镇。薪资面议，欢迎投递简历至hr@jingcai-lighting.example。</p></div>"""))
    s.put(dl[0][len(s.base):], page(dl[1], f"""<h2 class="text-center fs-sm-28 fs-20 mt-3">{dl[1]}</h2>
<div class="text-center border-bottom text-secondary pb-2 mb-3">时间：2024-09-01 09:00:00&nbsp;&nbsp;&nbsp;访问量：95</div>
<div class="news_con"><p>本页面提供晶彩照明2024年全系列产品目录、LED筒灯与射灯安装说明书以及产品认证证书的下载，文件为PDF格式，请使用阅读器打开。如需获取产品的IES配光文件或定制化方案资料，请联系我们的销售人员。</p>
<p><a href="/static/upload/file/20240901/catalog2024.pdf">点击下载：晶彩照明2024产品目录.pdf</a></p></div>"""))
    latest = "".join(f'<li><a href="{a.url}">{escape(a.text.title)}</a></li>' for a in zh[:3])
    s.put("/", page("网站首页", f'<h3>新闻中心</h3><ul>{latest}</ul><h3>人才招聘</h3><ul><li><a href="{job[0]}">{job[1]}</a></li></ul>'))
    s.put("/en/", page("Home", '<h3>Welcome to Jingcai Lighting</h3><p>LED downlights and spotlights from Guzhen, Zhongshan.</p>', True))
    robots(s, "/sitemap.xml", disallow="/admin.php")
    s.put("/sitemap.xml", urlset([(s.base + "/", None), (s.base + "/about/", None), (s.base + "/news/", None)]
                                 + [(a.url, str(a.day)) for a in zh + en] + [(job[0], "2024-10-08"), (dl[0], "2024-09-01")]), XML_HEADERS)
    return s


# ---------------------------------------------------------------------------------------------
# 9. A Destoon-style GBK B2B portal: no charset in the HTTP header, /news/list-3-N.html,
#    /sell/show-N.html product offers next to /news/show-N.html articles
def destoon() -> Site:
    s = Site("ledb2b", "www.ledb2b-china.example", "Destoon B2B (GBK)")
    arts = s.new_articles(6, lambda n, d: f"{s.base}/news/show-{n + 4000}.html", date(2024, 11, 10), lang="zh-Hans", step=5)
    offers = [(f"{s.base}/sell/show-{8800 + i}.html", product_text(f"ledb2b-{i}", True)) for i in range(3)]
    gbk = "Content-Type: text/html"

    def page(title: str, main: str) -> str:
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html;charset=gbk"/>
<title>{escape(title)}_LED照明网</title>
<meta name="generator" content="DESTOON B2B - www.destoon.com"/>
<link rel="stylesheet" type="text/css" href="{s.base}/skin/default/style.css"/>
</head>
<body>
<div class="head" id="head"><div class="head_m"><div class="head_r" id="destoon_member"></div><div class="head_l"><ul><li class="h_fav"><a href="javascript:SetHome();">设为首页</a></li></ul></div></div></div>
<div class="m"><div id="logo"><a href="{s.base}/"><img src="{s.base}/skin/default/image/logo.gif" alt="LED照明网"/></a></div></div>
<div class="m"><div class="menu"><ul>
<li class="menuon"><a href="{s.base}/"><span>网站首页</span></a></li>
<li><a href="{s.base}/sell/"><span>供应</span></a></li>
<li><a href="{s.base}/buy/"><span>求购</span></a></li>
<li><a href="{s.base}/company/"><span>公司</span></a></li>
<li><a href="{s.base}/news/"><span>资讯</span></a></li>
<li><a href="{s.base}/exhibit/"><span>展会</span></a></li></ul></div></div>
<div class="m">{main}</div>
<div class="m"><div class="b10">&nbsp;</div><div class="foot_page"><a href="{s.base}/about/index.html">关于我们</a> | <a href="{s.base}/about/contact.html">联系方式</a></div>
<div class="foot">(c)2024 LED照明网 All Rights Reserved</div></div>
</body></html>
"""

    lst = "/news/list-3"
    chunks = pages(arts)
    for i, chunk in enumerate(chunks, 1):
        rows = "".join(f'<li><i>{a.day}</i><a href="{a.url}" target="_blank" title="{escape(a.text.title)}">{escape(a.text.title)}</a></li>' for a in chunk)
        pg = "".join(f"<strong>&nbsp;{j}&nbsp;</strong>" if j == i else f'<a href="{s.base}{lst}{"" if j == 1 else f"-{j}"}.html">&nbsp;{j}&nbsp;</a>' for j in range(1, len(chunks) + 1))
        nxt = f'<a href="{s.base}{lst}-{i + 1}.html" title="下一页">&nbsp;&#8250;&nbsp;</a>' if i < len(chunks) else ""
        html = page("行业资讯", f'<div class="left_box"><div class="pos">当前位置: <a href="{s.base}/">首页</a> &raquo; <a href="{s.base}/news/">资讯</a> &raquo; 行业资讯</div>'
                    f'<div class="catlist"><ul>{rows}</ul></div><div class="pages">{pg}{nxt}<cite>共{len(arts)}条/{len(chunks)}页</cite></div></div>')
        s.put(f"{lst}.html" if i == 1 else f"{lst}-{i}.html", html, gbk, "gbk")
        if i == 1:
            s.put("/news/", page("资讯", f'<div class="left_box"><div class="box_head"><span class="f_r"><a href="{s.base}{lst}.html">更多&raquo;</a></span><strong>行业资讯</strong></div><div class="catlist"><ul>{rows}</ul></div></div>'), gbk, "gbk")
    for a in arts:
        s.put(a.url[len(s.base):], page(a.text.title, f"""<div class="left_box"><div class="pos">当前位置: <a href="{s.base}/">首页</a> &raquo; <a href="{s.base}/news/">资讯</a> &raquo; <a href="{s.base}{lst}.html">行业资讯</a> &raquo; 正文</div>
<h1 class="title" id="title">{escape(a.text.title)}</h1>
<div class="info"><span class="f_r"><img src="{s.base}/skin/default/image/zoomin.gif" width="16" height="16" alt="放大字体"/></span>
发布日期：{a.day}&nbsp;&nbsp;来源：中国照明网&nbsp;&nbsp;作者：佚名&nbsp;&nbsp;浏览次数：<span id="hits">{a.num}</span></div>
<div id="content"><div class="content" id="article">
{paras(a.text)}
</div></div>
<div class="b10 c_b">&nbsp;</div><div class="np"><ul><li><strong>下一篇：</strong><a href="{arts[0].url}" title="{escape(arts[0].text.title)}">{escape(arts[0].text.title)}</a></li></ul></div></div>"""), gbk, "gbk")
    for u, t in offers:
        s.put(u[len(s.base):], page(t.title, f"""<div class="left_box"><div class="pos">当前位置: <a href="{s.base}/">首页</a> &raquo; <a href="{s.base}/sell/">供应</a> &raquo; 正文</div>
<h1 class="title_trade" id="title">{escape(t.title)}</h1>
<table width="100%"><tr><td class="f_dblue">单价：</td><td><span class="f_price">面议</span></td></tr><tr><td class="f_dblue">起订：</td><td>100 件</td></tr>
<tr><td class="f_dblue">供货总量：</td><td>50000 件</td></tr><tr><td class="f_dblue">发货期限：</td><td>自买家付款之日起 3 天内发货</td></tr></table>
<div class="box_head"><strong>详细说明</strong></div><div class="box_body"><div class="content" id="content">{paras(t)}</div></div>
<a href="{s.base}/member/inquiry.php?itemid={u[-9:-5]}" class="btn_inquiry">立即询价</a></div>"""), gbk, "gbk")
    hot = "".join(f'<li><a href="{u}">{escape(t.title)}</a></li>' for u, t in offers)
    news = "".join(f'<li><a href="{a.url}">{escape(a.text.title)}</a></li>' for a in arts[:3])
    s.put("/", page("LED照明网", f'<div class="box_head"><strong>最新供应</strong></div><ul class="trade">{hot}</ul><div class="box_head"><strong>行业资讯</strong></div><ul>{news}</ul>'), gbk, "gbk")
    robots(s, disallow="/member/")
    return s


# ---------------------------------------------------------------------------------------------
# 10. Shopify-style store: /blogs/news (+ .atom), ?page=N, /products/<slug> with long text,
#     /blogs/news/tagged/<tag>, sitemap index with products and collections
def shopify() -> Site:
    s = Site("glowhaus", "www.glowhaus-store.example", "Shopify")
    arts = s.new_articles(6, lambda n, d: f"{s.base}/blogs/news/{slug(article_text(f'glowhaus:{n}:en', False).title, 6)}",
                          date(2024, 11, 18), step=12)
    prods = [(f"{s.base}/products/{slug(t.title, 6)}", t) for t in (product_text(f"glowhaus-{i}", False) for i in range(3))]

    def page(title: str, main: str, feed: bool = False, path: str = "/") -> str:
        link = f'<link rel="alternate" type="application/atom+xml" title="Feed" href="/blogs/news.atom" />' if feed else ""
        return f"""<!doctype html>
<html class="no-js" lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="canonical" href="{s.base}{path}">
<link rel="preconnect" href="https://cdn.shopify.com" crossorigin>
<title>{escape(title)} &ndash; Glowhaus</title>
{link}
<meta property="og:site_name" content="Glowhaus">
<script>window.Shopify = window.Shopify || {{}};Shopify.shop = "glowhaus.myshopify.com";Shopify.theme = {{"name":"Dawn","id":1234}};</script>
<link href="//www.glowhaus-store.example/cdn/shop/t/3/assets/base.css?v=1234" rel="stylesheet" type="text/css" media="all" />
</head>
<body class="gradient">
<a class="skip-to-content-link button visually-hidden" href="#MainContent">Skip to content</a>
<div class="announcement-bar" role="region"><p class="announcement-bar__message h5">Free shipping on orders over $99</p></div>
<sticky-header class="header-wrapper color-background-1 gradient"><header class="header header--middle-left page-width">
<a href="/" class="header__heading-link link link--text focus-inset"><span class="h2">Glowhaus</span></a>
<nav class="header__inline-menu"><ul class="list-menu list-menu--inline" role="list">
<li><a href="/" class="header__menu-item list-menu__item link link--text focus-inset"><span>Home</span></a></li>
<li><a href="/collections/all" class="header__menu-item list-menu__item link link--text focus-inset"><span>Shop all</span></a></li>
<li><a href="/blogs/news" class="header__menu-item list-menu__item link link--text focus-inset"><span>Blog</span></a></li>
<li><a href="/pages/contact" class="header__menu-item list-menu__item link link--text focus-inset"><span>Contact</span></a></li></ul></nav>
<a href="/cart" class="header__icon header__icon--cart link focus-inset" id="cart-icon-bubble"><span class="visually-hidden">Cart</span></a>
</header></sticky-header>
<main id="MainContent" class="content-for-layout focus-none" role="main" tabindex="-1">
{main}
</main>
<footer class="footer color-background-1 gradient section-sections--footer-padding"><div class="footer__content-bottom">
<small class="copyright__content">&copy; 2024, <a href="/" title="">Glowhaus</a> <a target="_blank" rel="nofollow" href="https://www.shopify.com">Powered by Shopify</a></small></div></footer>
</body></html>
"""

    def card(a: Art) -> str:
        return f"""<li class="blog-articles__article article"><div class="article-card-wrapper card-wrapper underline-links-hover"><div class="card article-card card--standard">
<div class="card__content"><div class="card__information"><h3 class="card__heading h2"><a href="{a.url[len(s.base):]}" class="full-unstyled-link">{escape(a.text.title)}</a></h3>
<div class="article-card__info caption-with-letter-spacing h5"><span class="circle-divider"><time datetime="{a.day}T09:00:00Z">{a.day:%B} {a.day.day}, {a.day.year}</time></span></div>
<p class="article-card__excerpt rte-width">{escape(a.text.teaser)}</p></div></div></div></div></li>"""

    chunks = pages(arts)
    for i, chunk in enumerate(chunks, 1):
        pager = ""
        if len(chunks) > 1:
            pager = '<div class="pagination-wrapper"><nav class="pagination" role="navigation" aria-label="Pagination"><ul class="pagination__list list-unstyled" role="list">'
            for j in range(1, len(chunks) + 1):
                pager += (f'<li><span class="pagination__item pagination__item--current light" aria-current="page" aria-label="Page {j}">{j}</span></li>' if j == i else
                          f'<li><a href="/blogs/news?page={j}" class="pagination__item link" aria-label="Page {j}">{j}</a></li>')
            if i < len(chunks):
                pager += (f'<li><a href="/blogs/news?page={i + 1}" class="pagination__item pagination__item--prev pagination__item-arrow link motion-reduce" aria-label="Next page">'
                          '<svg aria-hidden="true" focusable="false" class="icon icon-caret" viewBox="0 0 10 6"><path d="M9.354.646a.5.5 0 00-.708 0L5 4.293"/></svg></a></li>')
            pager += "</ul></nav></div>"
        path = "/blogs/news" if i == 1 else f"/blogs/news?page={i}"
        s.put(path, page("News", f'<div class="main-blog page-width section-main-padding"><h1 class="title--primary">News</h1><div class="blog-articles">{"".join(card(a) for a in chunk)}</div>{pager}</div>', True, path))
    for a in arts:
        s.put(a.url[len(s.base):], page(a.text.title, f"""<article class="article-template" itemscope itemtype="http://schema.org/BlogPosting">
<header class="page-width page-width--narrow"><h1 class="article-template__title" itemprop="headline">{escape(a.text.title)}</h1>
<span class="circle-divider caption-with-letter-spacing">Date: {a.day:%b} {a.day.day}, {a.day.year}</span></header>
<div class="article-template__content page-width page-width--narrow rte" itemprop="articleBody">
{paras(a.text)}
</div>
<div class="article-template__social-sharing page-width page-width--narrow"><share-button class="share-button"><a href="https://www.facebook.com/sharer.php?u={a.url}">Share on Facebook</a> <a href="https://pinterest.com/pin/create/button/?url={a.url}">Pin it</a></share-button></div>
<div class="article-template__back element-margin-top center"><a href="/blogs/news" class="article-template__link link animate-arrow">Back to blog</a></div>
<div class="article-template__tags">Tagged: <a href="/blogs/news/tagged/micro-led-lighting">Micro LED lighting</a></div>
</article>""", path=a.url[len(s.base):]))
    for u, t in prods:
        s.put(u[len(s.base):], page(t.title, f"""<section class="product__info-wrapper"><div id="ProductInfo" class="product__info-container">
<h1>{escape(t.title)}</h1><div class="price price--large"><span class="price-item price-item--regular">$189.00 USD</span></div>
<div class="product__description rte quick-add-hidden">{paras(t)}</div>
<product-form class="product-form"><form method="post" action="/cart/add" id="product-form-main"><button type="submit" name="add" class="product-form__submit button button--full-width">Add to cart</button></form></product-form>
</div></section>
<script type="application/ld+json">{{"@context":"http://schema.org/","@type":"Product","name":{json.dumps(t.title)},"offers":{{"@type":"Offer","price":"189.00","priceCurrency":"USD"}}}}</script>""", path=u[len(s.base):]))
    featured = "".join(f'<li class="grid__item"><div class="card__information"><h3 class="card__heading"><a href="{u[len(s.base):]}" class="full-unstyled-link">{escape(t.title)}</a></h3></div></li>' for u, t in prods)
    s.put("/", page("Glowhaus", f'<div class="collection page-width"><h2 class="title">Featured collection</h2><ul class="grid product-grid">{featured}</ul></div>'))
    atom = "".join(f"""<entry><id>{a.url}</id><published>{a.day}T09:00:00Z</published><updated>{a.day}T09:00:00Z</updated>
<link rel="alternate" type="text/html" href="{a.url}"/><title>{escape(a.text.title)}</title><author><name>Glowhaus</name></author><summary type="html">{escape(a.text.teaser)}</summary></entry>\n""" for a in arts)
    s.put("/blogs/news.atom", f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xml:lang="en-US" xmlns="http://www.w3.org/2005/Atom"><id>{s.base}/blogs/news</id><link rel="alternate" type="text/html" href="{s.base}/blogs/news"/>
<link rel="self" type="application/atom+xml" href="{s.base}/blogs/news.atom"/><title>Glowhaus - News</title><updated>{arts[0].day}T09:00:00Z</updated>
{atom}</feed>
""", ATOM_HEADERS)
    s.put("/robots.txt", "# we use Shopify as our ecommerce platform\n\nUser-agent: *\nDisallow: /admin\nDisallow: /cart\nDisallow: /checkout\n"
          "Disallow: /collections/*+*\nDisallow: /blogs/*+*\n\nSitemap: " + s.base + "/sitemap.xml\n", "Content-Type: text/plain")
    s.put("/sitemap.xml", sitemapindex([f"{s.base}/sitemap_products_1.xml?from=1&to=99", f"{s.base}/sitemap_pages_1.xml",
                                        f"{s.base}/sitemap_collections_1.xml", f"{s.base}/sitemap_blogs_1.xml"]), XML_HEADERS)
    s.put("/sitemap_products_1.xml?from=1&to=99", urlset([(u, "2024-06-01") for u, _ in prods]), XML_HEADERS)
    s.put("/sitemap_blogs_1.xml", urlset([(a.url, f"{a.day}T09:00:00Z") for a in arts]), XML_HEADERS)
    return s


# ---------------------------------------------------------------------------------------------
# 11. Hugo static site: index.xml linked in <head>, /posts/<slug>/, /page/N/, tags and categories
def hugo() -> Site:
    s = Site("lumitech", "blog.lumitech-labs.example", "Hugo")
    arts = s.new_articles(7, lambda n, d: f"{s.base}/posts/{slug(article_text(f'lumitech:{n}:en', False).title, 6)}/",
                          date(2024, 10, 21), step=10)

    def page(title: str, main: str) -> str:
        return f"""<!DOCTYPE html>
<html lang="en-us">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Hugo 0.125.4">
<title>{escape(title)} | Lumitech Labs</title>
<link rel="alternate" type="application/rss+xml" href="{s.base}/index.xml" title="Lumitech Labs">
<link rel="stylesheet" href="{s.base}/css/main.min.css">
</head>
<body>
<header class="site-header"><a class="site-title" href="{s.base}/">Lumitech Labs</a>
<nav class="menu"><ul><li><a href="{s.base}/posts/">Posts</a></li><li><a href="{s.base}/tags/">Tags</a></li><li><a href="{s.base}/about/">About</a></li></ul></nav></header>
<main class="main">
{main}
</main>
<footer class="footer"><span>&copy; 2024 Lumitech Labs</span> · <span>Powered by <a href="https://gohugo.io/">Hugo</a></span></footer>
</body></html>
"""

    def entry(a: Art) -> str:
        return f"""<article class="post-entry"><header class="entry-header"><h2>{escape(a.text.title)}</h2></header>
<div class="entry-content"><p>{escape(a.text.teaser)}</p></div>
<footer class="entry-footer">Posted on {a.day:%B} {a.day.day}, {a.day.year}</footer>
<a class="entry-link" aria-label="post link to {escape(a.text.title)}" href="{a.url}"></a></article>"""

    chunks = pages(arts, 4)
    for i, chunk in enumerate(chunks, 1):
        nav = '<footer class="page-footer"><nav class="pagination">'
        if i > 1:
            nav += f'<a class="prev" href="{s.base}/{"" if i == 2 else f"page/{i - 1}/"}">« Prev Page</a>'
        if i < len(chunks):
            nav += f'<a class="next" href="{s.base}/page/{i + 1}/">Next Page »</a>'
        nav += "</nav></footer>"
        s.put("/" if i == 1 else f"/page/{i}/", page("Lumitech Labs", "".join(entry(a) for a in chunk) + nav))
    for a in arts:
        s.put(a.url[len(s.base):], page(a.text.title, f"""<article class="post-single"><header class="post-header">
<h1 class="post-title">{escape(a.text.title)}</h1>
<div class="post-meta">Posted on {a.day:%B} {a.day.day}, {a.day.year}&nbsp;·&nbsp;3 min</div></header>
<div class="post-content">
{paras(a.text)}
</div>
<footer class="post-footer"><ul class="post-tags"><li><a href="{s.base}/tags/micro-led/">Micro-LED</a></li><li><a href="{s.base}/tags/supply-chain/">Supply-Chain</a></li></ul></footer>
</article>"""))
    s.put("/tags/micro-led/", page("Micro-LED", '<header class="page-header"><h1>Micro-LED</h1></header>' + "".join(entry(a) for a in arts[:4])))
    items = "".join(f"<item><title>{escape(a.text.title)}</title><link>{a.url}</link><pubDate>{a.day.strftime('%a, %d %b %Y')} 00:00:00 +0000</pubDate>"
                    f"<guid>{a.url}</guid><description>{escape(a.text.teaser)}</description></item>\n" for a in arts)
    s.put("/index.xml", f"""<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Lumitech Labs</title><link>{s.base}/</link>
<generator>Hugo -- gohugo.io</generator><language>en-us</language>
{items}</channel></rss>
""", RSS_HEADERS)
    robots(s, "/sitemap.xml", disallow="")
    s.put("/sitemap.xml", urlset([(a.url, str(a.day)) for a in arts] + [(f"{s.base}/tags/micro-led/", None), (f"{s.base}/tags/", None),
                                                                       (f"{s.base}/categories/", None), (f"{s.base}/about/", None)]), XML_HEADERS)
    return s


# ---------------------------------------------------------------------------------------------
# 12. A B2B site-builder template: news only inside the "Company" dropdown, the next link is an
#     image (alt "Next"), "Date: Nov 18, 2024", products /products/<slug>-p-N.html with long text
def sitebuilder() -> Site:
    s = Site("hongxin", "www.hongxin-lamps.example", "site-builder B2B")
    arts = s.new_articles(6, lambda n, d: f"{s.base}/news/{slug(article_text(f'hongxin:{n}:en', False).title, 6)}-n-{n + 2000}.html",
                          date(2024, 11, 18), step=15)
    prods = [(f"{s.base}/products/{slug(t.title, 6)}-p-{5500 + i}.html", t) for i, t in enumerate(product_text(f"hongxin-{i}", False) for i in range(3))]

    def page(title: str, main: str) -> str:
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
<title>{escape(title)} - Hongxin Lamps Co., Ltd.</title>
<meta name="keywords" content="LED street light, LED flood light, solar light">
<link rel="stylesheet" href="/static/css/global.css">
<script src="/static/js/jquery-1.11.3.min.js"></script>
</head>
<body>
<div class="top_bar"><div class="container">Welcome to Hongxin Lamps! <a href="mailto:sales@hongxin-lamps.example">sales@hongxin-lamps.example</a></div></div>
<div class="header"><div class="container"><a class="logo" href="/"><img src="/uploads/logo.png" alt="Hongxin Lamps"></a>
<ul class="nav" id="nav"><li><a href="/">Home</a></li>
<li class="has_sub"><a href="/products/">Products</a><ul class="sub_nav"><li><a href="/products/street-light/">LED Street Light</a></li><li><a href="/products/flood-light/">LED Flood Light</a></li></ul></li>
<li class="has_sub"><a href="javascript:;">Company</a><ul class="sub_nav"><li><a href="/about.html">About Us</a></li><li><a href="/news/">News</a></li><li><a href="/certificate.html">Certificates</a></li></ul></li>
<li><a href="/contact.html">Contact Us</a></li></ul></div></div>
<div class="main_con container">{main}</div>
<div class="footer"><div class="container"><div class="foot_nav"><a href="/">Home</a> | <a href="/products/">Products</a> | <a href="/contact.html">Contact Us</a></div>
<p>Copyright © 2024 Hongxin Lamps Co., Ltd. All Rights Reserved. Site built by <a href="https://www.example-builder.example">SiteBuilder</a></p></div></div>
</body></html>
"""

    chunks = pages(arts)
    for i, chunk in enumerate(chunks, 1):
        rows = "".join(f"""<div class="news_item clearfix"><div class="news_img"><a href="{a.url[len(s.base):]}"><img src="/uploads/news/{a.num}.jpg" alt="{escape(a.text.title)}"></a></div>
<div class="news_txt"><h3><a href="{a.url[len(s.base):]}" title="{escape(a.text.title)}">{escape(a.text.title)}</a></h3><p class="news_date">{a.day:%b} {a.day.day}, {a.day.year}</p><p>{escape(a.text.teaser)}</p>
<a class="more" href="{a.url[len(s.base):]}">Read More</a></div></div>""" for a in chunk)
        pager = '<div class="page_list">'
        if i > 1:
            pager += f'<a href="/news/{"" if i == 2 else f"list-{i - 1}.html"}" class="prev"><img src="/static/images/page_prev.png" alt="Prev"></a>'
        pager += f'<span class="current">{i}</span>'
        if i < len(chunks):
            pager += f'<a href="/news/list-{i + 1}.html" class="next_btn"><img src="/static/images/page_next.png" alt="Next"></a>'
        pager += "</div>"
        s.put("/news/" if i == 1 else f"/news/list-{i}.html", page("News", f'<div class="crumbs"><a href="/">Home</a> &gt; News</div><div class="news_list">{rows}</div>{pager}'))
    for a in arts:
        s.put(a.url[len(s.base):], page(a.text.title, f"""<div class="crumbs"><a href="/">Home</a> &gt; <a href="/news/">News</a> &gt; Detail</div>
<div class="news_detail"><h1 class="news_title">{escape(a.text.title)}</h1>
<div class="news_info"><span>Date: {a.day:%b} {a.day.day}, {a.day.year}</span> <span>Views: {a.num}</span></div>
<div class="news_content">
{paras(a.text)}
</div>
<div class="share_this">Share: <a href="https://www.linkedin.com/shareArticle?url={a.url}">LinkedIn</a> <a href="https://wa.me/?text={a.url}">WhatsApp</a></div>
<div class="prev_next"><p>Next: <a href="{arts[-1].url[len(s.base):]}">{escape(arts[-1].text.title)}</a></p></div></div>"""))
    for u, t in prods:
        s.put(u[len(s.base):], page(t.title, f"""<div class="crumbs"><a href="/">Home</a> &gt; <a href="/products/">Products</a></div>
<div class="pro_detail"><h1 class="pro_title">{escape(t.title)}</h1>
<table class="pro_params"><tr><th>Model No.</th><td>HX-{u[-9:-5]}</td></tr><tr><th>MOQ</th><td>50 pcs</td></tr><tr><th>Price</th><td>FOB USD 35-60</td></tr></table>
<div class="pro_desc">{paras(t)}</div>
<a class="inquiry_btn" href="/contact.html">Send Inquiry</a></div>"""))
    hot = "".join(f'<li><a href="{u[len(s.base):]}" title="{escape(t.title)}">{escape(t.title)}</a></li>' for u, t in prods)
    s.put("/", page("LED Street Light Manufacturer", f'<div class="index_pro"><h2>Hot Products</h2><ul>{hot}</ul></div>'
                    '<div class="index_about"><h2>About Hongxin</h2><p>Hongxin Lamps has made outdoor LED lighting in Yangzhou since 2011.</p></div>'))
    robots(s, disallow="/admin/")
    return s


BUILDERS = [wordpress, drupal, joomla, dedecms, phpcms, empirecms, metinfo, pbootcms, destoon, shopify, hugo, sitebuilder]


def main() -> None:
    sites = [b() for b in BUILDERS]
    for d in (SITES_DIR, EXPECTED_DIR):
        if d.exists():
            shutil.rmtree(d)
    src = ["# Discovery mirror sources: a name and a home URL per site, nothing else.",
           "# Generated by tests/discovery/build.py.", ""]
    for site in sites:
        targets = {url: mirror_path(SITES_DIR, url) for url in site.files}
        parents = {p for t in targets.values() for p in t.parents}
        for url, (body, headers) in site.files.items():
            path = targets[url]
            if path in parents:  # /news is both a page and the folder of /news/<slug>
                path = path / "index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
            if headers:
                path.with_name(path.name + ".headers").write_text(headers + "\n", "utf-8")
        for a in site.arts:
            out = EXPECTED_DIR / site.name / f"{a.lang}-{a.num}.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps({"url": a.url, "source": site.name, "cms": site.cms, "title": a.text.title,
                                       "published": str(a.day), "lang": a.lang, "paragraphs": a.text.paragraphs},
                                      ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8")
        src += [f"# {site.cms}", "[[source]]", f'name = "{site.name}"', f'home = "{site.base}/"', ""]
    SOURCES.write_text("\n".join(src), "utf-8")
    print(f"{len(sites)} sites, {sum(len(s.files) for s in sites)} files, {sum(len(s.arts) for s in sites)} articles")


if __name__ == "__main__":
    main()
