"""Download failures as short, stable reasons for ``crawl_errors`` (docs/reliability.md).

Scrapy hands errbacks a Twisted ``Failure`` whose message may be empty, a ``repr`` of
nested failures, or carry the whole URL. ``describe_failure`` turns it into one short
line that groups well (``select reason, count(*) ... group by reason``), and
``attempts`` says how many times the URL was tried, retries included.
"""

from __future__ import annotations

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
    if "DownloadCancelledError" in names:
        return "download cancelled (body over DOWNLOAD_MAXSIZE)"
    for name in names:
        if name in _BY_TYPE and _BY_TYPE[name]:
            return str(_BY_TYPE[name]).format(timeout=meta.get("download_timeout", "?"))
    if "IgnoreRequest" in names and text:
        return text.splitlines()[0][:200]
    first = (text.splitlines() or [""])[0]
    return (first or (names[0] if names else "unknown failure"))[:200]
