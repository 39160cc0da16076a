"""The process stage: an article page's bytes -> the cleaned, hashed ``Article``.

One pure function (``prepare_page``: extract, canonicalise, clean, hash) used by the
crawl on the page it just fetched and by `lednews process` on pages read back from the
archive (aggregator/reprocess.py), so both store the same article for the same bytes.
Each article records what made it: the extractor and cleaner versions
(``maker_version``) and a hash of the profile fields that extraction and cleaning read
(``profile_hash``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import datetime

from aggregator.clean import CLEANER_VERSION, clean_article
from aggregator.dedup.fingerprint import content_hash
from aggregator.dedup.urls import canonicalize_url
from aggregator.extract import EXTRACTOR_VERSION, ExtractError, extract
from aggregator.items import Article
from aggregator.profiles import SiteProfile
from aggregator.text import text_units

__all__ = ["prepare_page", "maker_version", "profile_hash", "refusal", "MIN_STORED_UNITS"]

# An article body shorter than this (reading units) after cleaning is not stored:
# the shortest real body in the mirror is ~120 units; error and stub pages are < 20.
MIN_STORED_UNITS = 30

# SiteProfile fields that extraction and cleaning never read (where to crawl, how fast,
# how to show the source): a change to them is not a reason to reprocess.
_NOT_READ = frozenset({"key", "name", "homepage", "start", "links", "next_page", "download_delay",
                       "user_defined", "discover", "notes", "article_pattern"})


def maker_version() -> str:
    """``"EXTRACTOR.CLEANER"``, e.g. ``"1.1"`` (stored as ``articles.extractor_version``)."""
    return f"{EXTRACTOR_VERSION}.{CLEANER_VERSION}"


_HASHES: dict[int, tuple[SiteProfile, str]] = {}


def _plain(o: object) -> object:
    if dataclasses.is_dataclass(o) and not isinstance(o, type):
        return dataclasses.asdict(o)
    return str(o)


def profile_hash(profile: SiteProfile) -> str:
    """12 hex digits of sha1 over the profile fields extraction and cleaning read."""
    hit = _HASHES.get(id(profile))
    if hit is not None and hit[0] is profile:
        return hit[1]
    fields = {f.name: getattr(profile, f.name) for f in dataclasses.fields(profile) if f.name not in _NOT_READ}
    blob = json.dumps(fields, sort_keys=True, ensure_ascii=False,
                      default=_plain)
    digest = hashlib.sha1(blob.encode("utf-8")).hexdigest()[:12]
    _HASHES[id(profile)] = (profile, digest)
    return digest


def refusal(article: Article) -> str | None:
    """Why an article must not be stored (no title, a body too short), or None."""
    if not article.title.strip():
        return "no title"
    units = text_units(article.text)
    if units < MIN_STORED_UNITS:
        return f"body too short after cleaning ({units} units)"
    return None


def prepare_page(body: bytes, url: str, profile: SiteProfile, header_charset: str | None,
                 lang_hint: str | None, feed_date: str | None, now: datetime | None = None,
                 fetched_at: str | None = None) -> Article | str:
    """An article page's bytes -> the cleaned, hashed ``Article``, or the error reason.

    ``now`` is the time the page was fetched (dates after it are refused; default: now),
    ``fetched_at`` the stored fetch time when the page comes from the archive."""
    try:
        article = extract(body, url, profile, header_charset=header_charset, lang_hint=lang_hint,
                          feed_date=feed_date, now=now)
        # extract and clean_article return new Articles nobody else holds: set the fields
        # in place rather than copying the whole Article twice (dataclasses.replace)
        article.canonical_url = canonicalize_url(article.canonical_url)
        cleaned = clean_article(article, profile)
        cleaned.content_hash = content_hash(cleaned.text)
        cleaned.extractor_version = maker_version()
        cleaned.profile_hash = profile_hash(profile)
        if fetched_at:
            cleaned.fetched_at = fetched_at
    except ExtractError as e:
        return f"extraction failed: {e}"
    except Exception as e:  # a bug met by one page: recorded with the page, the crawl goes on
        return f"extraction failed: {type(e).__name__}: {e}"
    return cleaned
