"""Profile health against recorded pages: which selectors still hit.

``check_profile`` runs one profile's CSS selectors over its pages in a site mirror
(``tests/sites`` or pages saved with ``lednews record``) and counts hits and misses:
article selectors (title, body, date, author, alternate) on article pages, listing
selectors (links, next_page) on listing start pages. A selector that hits no page at
all is *dead*: the layout it was written for is gone. No Scrapy objects; pure reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from aggregator.extract.encoding import decode_html
from aggregator.html import ParseError, css, parse_html
from aggregator.mirror import read_sidecar
from aggregator.profiles import SiteProfile

__all__ = ["ProfileCheck", "check_profile", "mirror_pages"]

ARTICLE_SELECTORS = ("title", "body", "date", "author", "alternate")
LISTING_SELECTORS = ("links", "next_page")
# Mirror paths that look like articles to the generic rule when a profile has no
# article_pattern (same shape rule as the spider's link filter).
_ARTICLE_PATH = re.compile(r"(?:\d{3,}|[a-z0-9]+(?:[-_][a-z0-9]+){2,}).*?(?:\.s?html?|\.php|/)?$", re.I)


@dataclass
class ProfileCheck:
    key: str
    articles: int = 0
    listings: int = 0
    hits: dict[str, int] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)  # selector -> URLs missed

    @property
    def dead(self) -> list[str]:
        """Selectors configured, tried on at least one page, and hitting none."""
        return sorted(s for s, urls in self.misses.items() if urls and not self.hits.get(s))

    def line(self) -> str:
        cells = []
        for sel in (*ARTICLE_SELECTORS, *LISTING_SELECTORS):
            tried = self.hits.get(sel, 0) + len(self.misses.get(sel, []))
            if tried:
                cells.append(f"{sel} {self.hits.get(sel, 0)}/{tried}")
        return (f"{self.key:24} {self.articles:>3} articles {self.listings:>2} listings  "
                + (", ".join(cells) or "no selectors (generic extraction)"))


def _url(host: str, rel: Path) -> str:
    parts = list(rel.parts)
    name = parts[-1] if parts else "index.html"
    query = ""
    if "?" in name:
        name, query = name.split("?", 1)
    if name == "index.html":
        name = ""
    path = "/".join([quote(p) for p in parts[:-1]] + [quote(name)])
    return f"https://{host}/{path}" + (f"?{query}" if query else "")


def mirror_pages(root: Path, profile: SiteProfile) -> list[tuple[str, Path]]:
    """(URL, file) for every page of ``profile``'s hosts under ``root`` (answering 200)."""
    out = []
    for host_dir in sorted(p for p in Path(root).iterdir() if p.is_dir()):
        if not profile.owns(f"https://{host_dir.name}/"):
            continue
        for f in sorted(host_dir.rglob("*")):
            if f.is_file() and not f.name.endswith((".headers", ".draft")) and read_sidecar(f)[0] == 200:
                out.append((_url(host_dir.name, f.relative_to(host_dir)), f))
    return out


def _is_article(profile: SiteProfile, url: str) -> bool:
    if profile.article_pattern:
        return bool(profile.article_re.search(url) or profile.article_re.search(url.replace("https:", "http:", 1)))
    return bool(_ARTICLE_PATH.search(url.rstrip("/").rsplit("/", 1)[-1]))


def _charset(f: Path) -> str | None:
    for name, value in read_sidecar(f)[1]:
        m = re.search(r"charset=([\w\-:.]+)", value, re.I) if name.lower() == "content-type" else None
        if m:
            return m.group(1)
    return None


def check_profile(profile: SiteProfile, root: Path) -> ProfileCheck:
    res = ProfileCheck(profile.key)
    starts = {sp.url.split("://", 1)[-1] for sp in profile.start if sp.kind == "listing"}
    for url, f in mirror_pages(root, profile):
        selectors: tuple[str, ...]
        if url.split("://", 1)[-1] in starts:
            kind, selectors = "listing", LISTING_SELECTORS
        elif _is_article(profile, url):
            kind, selectors = "article", ARTICLE_SELECTORS
        else:
            continue
        configured = [(s, getattr(profile, s)) for s in selectors if getattr(profile, s)]
        text, _how = decode_html(f.read_bytes(), _charset(f), profile.encoding)
        try:
            doc = parse_html(text)
        except ParseError:
            res.misses.setdefault("parse", []).append(url)
            continue
        if kind == "listing":
            res.listings += 1
        else:
            res.articles += 1
        for name, sel in configured:
            if css(doc, sel):
                res.hits[name] = res.hits.get(name, 0) + 1
                res.misses.setdefault(name, [])
            else:
                res.misses.setdefault(name, []).append(url)
    return res
