"""``lednews record``: save live pages into the site mirror with their headers, and
draft the expected JSON of article pages for a maintainer to review.

For maintainers with network access, when a site changes its layout: record a
listing and a few articles, run ``lednews check-profiles``, fix the profile, review
the ``.json.draft`` files and rename them to ``.json``. Polite like a crawl: robots.txt
is obeyed, the User-Agent names lednews, the profile's delay separates requests.
Redirects are recorded as such (status line + ``Location``), not followed.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from aggregator.mirror import mirror_path
from aggregator.profiles import SiteProfile

__all__ = ["Recorded", "draft_expected", "record_url", "sidecar_text"]

# Response headers worth keeping in a sidecar: what the spider and the mirror handler
# read (type/charset, validators for conditional requests, redirects, retry hints).
KEPT_HEADERS = ("content-type", "etag", "last-modified", "location", "retry-after",
                "cf-mitigated", "x-amzn-waf-action")
TIMEOUT = 30  # seconds, as DOWNLOAD_TIMEOUT in aggregator/settings.py


@dataclass
class Recorded:
    url: str
    status: int
    path: Path | None
    draft: Path | None = None
    note: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def sidecar_text(status: int, reason: str, headers: list[tuple[str, str]]) -> str:
    lines = [f"HTTP/1.1 {status} {reason}".rstrip()]
    lines += [f"{k}: {v}" for k, v in headers if k.lower() in KEPT_HEADERS]
    return "\n".join(lines) + "\n"


def _fetch(url: str, user_agent: str) -> tuple[int, str, list[tuple[str, str]], bytes]:
    req = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept-Encoding": "identity"})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(req, timeout=TIMEOUT) as resp:
            return resp.status, resp.reason, list(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as e:  # 3xx (not followed), 4xx, 5xx: recorded as they are
        return e.code, str(e.reason), list(e.headers.items()), e.read()


def _robots(url: str, user_agent: str, cache: dict[str, urllib.robotparser.RobotFileParser]) -> bool:
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    if base not in cache:
        rp = urllib.robotparser.RobotFileParser(base + "/robots.txt")
        try:
            status, _r, _h, body = _fetch(base + "/robots.txt", user_agent)
        except (OSError, urllib.error.URLError):
            status, body = 404, b""
        if status == 200:
            rp.parse(body.decode("utf-8", "replace").splitlines())
        else:  # no robots.txt: everything allowed (as Scrapy's RobotsTxtMiddleware does)
            rp.parse([])
        cache[base] = rp
    return cache[base].can_fetch(user_agent, url)


def _slug(url: str) -> str:
    path = urlsplit(url).path.rstrip("/")
    last = path.rsplit("/", 1)[-1] or urlsplit(url).hostname or "index"
    last = re.sub(r"\.(s?html?|php|aspx?)$", "", last)
    return re.sub(r"[^A-Za-z0-9_\-]+", "-", last).strip("-")[:40] or "page"


def draft_expected(body: bytes, url: str, profile: SiteProfile, header_charset: str | None) -> dict | None:
    """The expected-JSON record the test suite compares a stored article with, as the
    current extractor and cleaner see the page (None when no article comes out)."""
    from aggregator.clean import clean_article
    from aggregator.extract import ExtractError, extract

    try:
        article = clean_article(extract(body, url, profile, header_charset=header_charset), profile)
    except ExtractError:
        return None
    return {"url": url, "title": article.title, "published": (article.published or "")[:10] or None,
            "lang": article.lang, "author": article.author, "paragraphs": article.text.split("\n")}


def record_url(url: str, profile: SiteProfile, mirror: Path, expected: Path, user_agent: str,
               is_article: bool, robots: dict[str, urllib.robotparser.RobotFileParser]) -> Recorded:
    if not profile.owns(url):
        return Recorded(url, 0, None, note=f"not a {profile.key} URL (domains: {', '.join(profile.domains)})")
    if not _robots(url, user_agent, robots):
        return Recorded(url, 0, None, note="disallowed by robots.txt; not fetched")
    status, reason, headers, body = _fetch(url, user_agent)
    path = mirror_path(Path(mirror), url)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    path.with_name(path.name + ".headers").write_text(sidecar_text(status, reason, headers), "utf-8")
    rec = Recorded(url, status, path)
    if status == 200 and is_article:
        charset = next((m.group(1) for k, v in headers if k.lower() == "content-type"
                        for m in [re.search(r"charset=([\w\-:.]+)", v, re.I)] if m), None)
        draft = draft_expected(body, url, profile, charset)
        if draft is None:
            rec.note = "no article extracted; no draft written"
        else:
            rec.draft = Path(expected) / profile.key / f"{_slug(url)}.json.draft"
            rec.draft.parent.mkdir(parents=True, exist_ok=True)
            rec.draft.write_text(json.dumps(draft, ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8")
    elif 300 <= status < 400:
        rec.note = "redirect recorded, not followed: record its Location too"
    return rec


def pause(profile: SiteProfile) -> None:
    time.sleep(profile.download_delay)
