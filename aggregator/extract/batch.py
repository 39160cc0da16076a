"""Batch extraction for tools and benchmarks: JSON lines in, JSON lines out.

One input line ``{"id", "url", "html"}`` gives exactly one output line
``{"id", "url", "source", "title", "text", "lang", "published", "author",
"extraction_method"}``; a page that fails gives the same keys with empty text and
``"error"``. Nothing a page contains can stop the stream: every failure is caught per
line. ``url`` and ``source`` (the owning profile's key, else the URL's host without
``www.``; null without a URL) make the output a valid ``lednews ingest`` input as it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any
from urllib.parse import urlsplit

from aggregator.clean.lines import clean_article
from aggregator.extract import ExtractError, extract
from aggregator.profiles import SiteProfile

__all__ = ["extract_page", "run_jsonl", "profile_for"]

OUT_KEYS = ("id", "url", "source", "title", "text", "lang", "published", "author",
            "extraction_method")
# Pages larger than this (characters) lose their <script>/<style> blocks before parsing,
# and are cut here if still larger. The largest fundus page is 1.3 M characters (inline
# CSS); with the cut, a 21 M-character page is read in ~6 s (tests/test_extract_cli.py).
MAX_HTML_CHARS = 4_000_000
_SCRIPTS = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.I | re.S)


def profile_for(url: str, profiles: Sequence[SiteProfile]) -> SiteProfile | None:
    """The profile owning ``url``'s host; None sends the page down the generic path."""
    return next((p for p in profiles if url and p.owns(url)), None)


def source_for(url: str, profile: SiteProfile | None) -> str | None:
    """The ``source`` an extracted page is ingested under: its profile's key, else its
    host (lowercase, without ``www.``), which ``lednews ingest`` accepts as a name."""
    if profile is not None:
        return profile.key
    host = (urlsplit(url).hostname or "") if url else ""
    host = host[4:] if host.startswith("www.") else host
    return host[:64] or None


def _shrink(html: str) -> tuple[str, str | None]:
    if len(html) <= MAX_HTML_CHARS:
        return html, None
    html = _SCRIPTS.sub("", html)
    if len(html) <= MAX_HTML_CHARS:
        return html, None
    return html[:MAX_HTML_CHARS], f"page cut to {MAX_HTML_CHARS} characters"


def extract_page(rec_id: Any, url: str, html: str | bytes,
                 profiles: Sequence[SiteProfile] = ()) -> dict[str, Any]:
    """One output record; never raises for bad page content."""
    out: dict[str, Any] = {k: None for k in OUT_KEYS}
    out.update(id=rec_id, url=url, title="", text="")
    try:
        profile = profile_for(url, profiles)
        out["source"] = source_for(url, profile)
        if isinstance(html, str):
            html, note = _shrink(html)
        else:
            note = None
        art = clean_article(extract(html, url, profile), profile)
        out.update(title=art.title, text=art.text, lang=art.lang, published=art.published,
                   author=art.author, extraction_method=art.extraction_method)
        if note:
            out["warnings"] = [note]
    except ExtractError as e:
        out["error"] = str(e) or "no article"
    except RecursionError:
        out["error"] = "page nested too deeply to read"
    except Exception as e:  # noqa: BLE001 - one bad page never ends the stream
        out["error"] = f"{type(e).__name__}: {e}"[:300]
    return out


def _record(line: str, profiles: Sequence[SiteProfile]) -> dict[str, Any]:
    try:
        rec = json.loads(line)
    except ValueError as e:
        return {**{k: None for k in OUT_KEYS}, "title": "", "text": "",
                "error": f"input is not a JSON object: {e}"[:300]}
    if not isinstance(rec, dict):
        return {**{k: None for k in OUT_KEYS}, "title": "", "text": "",
                "error": "input is not a JSON object"}
    html, url = rec.get("html"), rec.get("url") or ""
    if not isinstance(html, str) or not isinstance(url, str):
        return {**{k: None for k in OUT_KEYS}, "id": rec.get("id"), "title": "", "text": "",
                "error": "fields 'html' and 'url' must be strings"}
    return extract_page(rec.get("id"), url, html, profiles)


def run_jsonl(lines: Iterable[str], out: IO[str], profiles: Sequence[SiteProfile] = ()) -> tuple[int, int]:
    """Extract every input line to ``out``; returns (pages, failures)."""
    n = failed = 0
    for line in lines:
        if not line.strip():
            res = {**{k: None for k in OUT_KEYS}, "title": "", "text": "", "error": "empty input line"}
        else:
            res = _record(line, profiles)
        n += 1
        failed += "error" in res
        out.write(json.dumps(res, ensure_ascii=False) + "\n")
        out.flush()
    return n, failed
