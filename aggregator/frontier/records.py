"""Requests and fetched pages as they travel through Redis: JSON plus page bytes.

No pickle crosses the network (a Redis that others can write to must not be a way to
run code in the writer): a request is its URL, method, headers, body, meta (the
JSON-able values: every key lednews and Scrapy's middlewares put there is), priority,
flags and the *names* of its callbacks on the writer's spider; a fetched page is the
final request (after redirects, with ``redirect_urls``), the status, headers and body
as received, or the one-line failure reason for a request that got no answer. That is
a raw fetched record, what an archive (WARC) keeps too.
"""

from __future__ import annotations

import json
import zlib
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

# Page bodies travel zlib-compressed (level 1) when larger than this: fetched pages waiting
# for the writer are most of Redis's memory. Measured on this machine: the bundled mirror's
# pages (5.3 KB mean) shrink to 42 %, bench/crawl.py's (21.8 KB) to 27 %, for 0.3-0.4 ms
# per page in the worker and 0.1 ms in the writer (against ~30 ms of processing a page).
COMPRESS_ABOVE = 1024

__all__ = ["request_payload", "request_from_payload", "page_record", "response_from_record", "slot_of",
           "INTERNAL_META"]

# meta keys the frontier uses for itself: never shipped
INTERNAL_META = ("frontier", "frontier_new", "frontier_record", "frontier_robots", "frontier_wake",
                 "download_latency", "_scheduler_slot")


def _text(b: Any) -> str:
    return b.decode("latin-1") if isinstance(b, bytes) else str(b)


def _jsonable_meta(meta: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in meta.items():
        if k in INTERNAL_META:
            continue
        try:
            json.dumps(v)
        except (TypeError, ValueError):
            continue  # e.g. a proxy object a middleware keeps for itself
        out[k] = v
    return out


def _cb_name(cb: Any, spider: Any) -> str | None:
    if cb is None:
        return None
    if isinstance(cb, str):
        return cb
    if getattr(cb, "__self__", None) is spider:
        return str(cb.__name__)
    raise ValueError(f"callback {cb!r} is not a method of the spider")


def request_payload(request: scrapy.Request, spider: Any, names: tuple[Any, Any] | None = None) -> dict[str, Any]:
    """``request`` as a JSON-able dict: callbacks by name on ``spider``, or the
    ``names`` given (a worker ships the names the writer's request had)."""
    cb, eb = names if names is not None else (_cb_name(request.callback, spider), _cb_name(request.errback, spider))
    return {
        "url": request.url, "method": request.method,
        "headers": [[_text(k), _text(v)] for k, vs in request.headers.items() for v in vs],
        "body": _text(request.body), "meta": _jsonable_meta(request.meta),
        "priority": request.priority, "dont_filter": request.dont_filter, "flags": list(request.flags),
        "encoding": request.encoding,
        "callback": cb, "errback": eb,
    }


def request_from_payload(d: dict[str, Any], spider: Any = None, callback: Any = None, errback: Any = None,
                         **meta: Any) -> scrapy.Request:
    """The request back: callbacks looked up on ``spider`` by name, or the ones given."""
    headers = Headers()
    for k, v in d.get("headers", []):
        headers.appendlist(k, v.encode("latin-1"))
    if spider is not None:
        callback = getattr(spider, d["callback"]) if d.get("callback") else None
        errback = getattr(spider, d["errback"]) if d.get("errback") else None
    return scrapy.Request(d["url"], method=d.get("method", "GET"), headers=headers,
                          body=d.get("body", "").encode("latin-1"), meta={**d.get("meta", {}), **meta},
                          priority=d.get("priority", 0), dont_filter=d.get("dont_filter", False),
                          flags=d.get("flags", []), encoding=d.get("encoding", "utf-8"),
                          callback=callback, errback=errback)


def slot_of(request: scrapy.Request) -> str:
    """The politeness slot: the request's download slot (lednews sets one per profile
    domain, so ``www.`` and other subdomains share it, as in a local crawl) or its host."""
    return str(request.meta.get("download_slot") or (urlsplit(request.url).hostname or "").lower())


def page_record(payload: dict[str, Any], request: scrapy.Request | None, response: Response | None,
                reason: str | None, worker: str) -> tuple[str, bytes]:
    """(record JSON, body) for the result stream. ``payload`` is the claimed request's;
    its request part is replaced by the final ``request`` (redirects followed)."""
    names = (payload["req"].get("callback"), payload["req"].get("errback"))
    req = request_payload(request, None, names) if request is not None else payload["req"]
    rec: dict[str, Any] = {"run": payload.get("run"), "req": req, "worker": worker}
    if response is not None:
        body = response.body
        rec.update(kind="response", url=response.url, status=response.status,
                   headers=[[_text(k), _text(v)] for k, vs in response.headers.items() for v in vs],
                   flags=list(response.flags), protocol=response.protocol, z=len(body) > COMPRESS_ABOVE)
        return json.dumps(rec), zlib.compress(body, 1) if rec["z"] else body
    rec.update(kind="failure", reason=reason or "unknown failure")
    return json.dumps(rec), b""


def response_from_record(rec: dict[str, Any], body: bytes, request: scrapy.Request) -> Response:
    if rec.get("z"):
        body = zlib.decompress(body)
    headers = Headers()
    for k, v in rec.get("headers", []):
        headers.appendlist(k, v.encode("latin-1"))
    cls = responsetypes.from_args(headers=headers, url=rec["url"], body=body)
    return cls(url=rec["url"], status=rec["status"], headers=headers, body=body, request=request,
               flags=rec.get("flags") or [], protocol=rec.get("protocol"))
