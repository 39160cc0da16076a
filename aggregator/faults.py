"""Download failures as short, stable reasons for ``crawl_errors`` (docs/reliability.md).

Scrapy hands errbacks a Twisted ``Failure`` whose message may be empty, a ``repr`` of
nested failures, or carry the whole URL. ``describe_failure`` turns it into one short
line that groups well (``select reason, count(*) ... group by reason``), and
``attempts`` says how many times the URL was tried, retries included.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["describe_failure", "attempts"]

# Exception class name -> reason; matched on the class and its bases, first hit wins.
_BY_TYPE = {
    "HttpError": None,  # "HTTP <status>", from the response
    "DownloadTimeoutError": "timeout: no complete answer within {timeout}s",
    "TimeoutError": "timeout: no connection within {timeout}s",
    "ResponseDataLossError": "truncated body: connection closed before Content-Length bytes",
    "ConnectionRefusedError": "connection refused",
    "DownloadConnectionRefusedError": "connection refused",
    "CannotResolveHostError": "DNS lookup failed",
    "DNSLookupError": "DNS lookup failed",
    "ConnectionLost": "connection lost (closed or reset by the server)",
    "ConnectionDone": "connection lost (closed or reset by the server)",
    "ResponseFailed": "connection lost (closed or reset by the server)",
    "ResponseNeverReceived": "connection lost (closed or reset by the server)",
    "DownloadFailedError": "connection lost (closed or reset by the server)",
}


# What an OpenSSL failure looks like once Scrapy has wrapped it (2.19: a
# DownloadFailedError whose message is "[<Failure OpenSSL.SSL.Error: [('SSL routines',
# '', 'wrong version number')]>]", seen against a plain-HTTP port asked for https).
# Before this it was grouped as "connection lost", which health does not count as
# unreachable, so a certificate or protocol problem looked like a flaky server.
_TLS_MARKS = ("openssl.ssl.error", "ssl routines", "sslerror", "tlsv1 alert", "certificate verify failed",
              "ssl3_", "handshake failure")


def _tls_problem(exc: BaseException | None, text: str) -> str | None:
    """The OpenSSL reason of a TLS failure (``wrong version number``), or None."""
    seen: list[str] = [text]
    for inner in getattr(exc, "reasons", None) or []:  # Twisted's ResponseNeverReceived & co
        seen.append(f"{type(getattr(inner, 'value', inner)).__module__} {getattr(inner, 'value', inner)}")
    cause = getattr(exc, "__cause__", None)
    if cause is not None:
        seen.append(f"{type(cause).__module__} {cause}")
    joined = " ".join(seen)
    low = joined.lower()
    if not any(m in low for m in _TLS_MARKS):
        return None
    detail = re.findall(r"'([^'\[\]]{4,80})'\)", joined)  # the last field of OpenSSL's tuples
    return detail[-1] if detail else "see the log"


def attempts(meta: dict[str, Any]) -> int:
    """Requests made for one URL: the first plus Scrapy's retries (``retry_times``)."""
    return int(meta.get("retry_times", 0)) + 1


def describe_failure(exc: BaseException | None, meta: dict[str, Any], message: str = "") -> str:
    """One short line for a failed request. ``message`` is the Failure's own message."""
    told = getattr(exc, "frontier_reason", None)  # described by the worker that fetched it (aggregator.frontier)
    if told:
        return str(told)
    resp = getattr(exc, "response", None)
    if resp is not None:
        return f"HTTP {resp.status}"
    names = [c.__name__ for c in type(exc).__mro__] if exc is not None else []
    text = message or (str(exc) if exc is not None else "")
    low = text.lower()
    if "parseerror" in low or "badstatusline" in low:  # Scrapy wraps Twisted's parse errors
        return "invalid HTTP answer (no status line and headers)"
    if "decompress" in low and "maxsize" in low:
        return "compressed body inflates past DOWNLOAD_MAXSIZE (decompression bomb)"
    if "max size" in low or "download_maxsize" in low or "maxsize" in low:
        limit = meta.get("download_maxsize")
        return "body over DOWNLOAD_MAXSIZE" + (f" ({limit} bytes)" if limit else "")
    tls = _tls_problem(exc, text)
    if tls:
        return f"TLS handshake failed: {tls}"
    if "DownloadCancelledError" in names:
        return "download cancelled (body over DOWNLOAD_MAXSIZE)"
    for name in names:
        if name in _BY_TYPE and _BY_TYPE[name]:
            return str(_BY_TYPE[name]).format(timeout=meta.get("download_timeout", "?"))
    if "IgnoreRequest" in names and text:
        return text.splitlines()[0][:200]
    first = (text.splitlines() or [""])[0]
    return (first or (names[0] if names else "unknown failure"))[:200]
