"""Canonical URLs: one spelling per page, so a re-crawl and a tracked link collapse."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["canonicalize_url", "strip_tracking", "HOST_ALIASES"]

# Hosts known to serve the same pages as another host (docs/sources.md#url-canonicalisation).
HOST_ALIASES = {
    "dev.semiconductor-today.com": "www.semiconductor-today.com",
    "194.147.122.84": "www.semiconductor-today.com",
    "semiconductor-today.com": "www.semiconductor-today.com",
    "www.compoundsemiconductor.net": "compoundsemiconductor.net",
}
# Query parameters that never change the page: analytics and feed trackers.
_TRACKING_PREFIXES = ("utm_", "fb_", "ga_", "mc_", "spm", "from", "share", "wx", "feed")
_TRACKING = {"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "ref", "ref_src",
             "source", "isappinstalled", "scene", "clicktime", "enterid", "_ga"}


def _fold_host(host: str) -> str:
    host = host.lower().rstrip(".")
    host = HOST_ALIASES.get(host, host)
    while host.startswith(("m.", "wap.")):  # a loop, so folding is idempotent (m.m.x.cn)
        rest = host.split(".", 1)[1]
        # m.ledinside.cn -> www.ledinside.cn; m.lights.ofweek.com -> lights.ofweek.com
        host = rest if rest.count(".") >= 2 else "www." + rest
        host = HOST_ALIASES.get(host, host)
    return host


def _keep(key: str) -> bool:
    k = key.lower()
    return k not in _TRACKING and not k.startswith(_TRACKING_PREFIXES)


def strip_tracking(url: str) -> str:
    """The URL to request: tracking parameters and fragment removed, nothing else changed."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if _keep(k)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def canonicalize_url(url: str) -> str:
    """Lower-case scheme/host, fold mobile and mirror hosts, drop default ports,
    fragments and tracking parameters, sort the remaining query."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port if parts.port not in (None, 80, 443) else None  # ValueError: bad port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower() or "http"
    host = _fold_host(parts.hostname or "")
    netloc = f"{host}:{port}" if port else host
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if _keep(k))
    path = parts.path or "/"
    # http and https serve the same article on every source we know.
    scheme = "https" if scheme in ("http", "https") else scheme
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))
