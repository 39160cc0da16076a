"""Mirror mode: answer every http(s) request from a directory instead of the network.

``scheme://HOST/PATH?QUERY`` is served from ``DIR/HOST/PATH`` (empty path, trailing
``/`` or a directory -> ``index.html``; a query is appended to the file name as
``?QUERY``). A sidecar ``<file>.headers`` holds raw header lines and may start with a
status line (``HTTP/1.1 301 Moved Permanently``). A missing file is a 404. A sidecar
``ETag`` / ``Last-Modified`` is honoured: a request whose ``If-None-Match`` /
``If-Modified-Since`` matches gets ``304 Not Modified`` (conditional requests are
testable offline). The handler
sits at the bottom of Scrapy's download path, so middlewares (robots, retry,
redirects, compression, encodings) run as they do on the live web.
"""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils.asyncio import run_in_thread

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["MirrorDownloadHandler", "apply_mirror_settings", "mirror_path", "not_modified",
           "read_sidecar"]

_DEFAULT_TYPES = {".xml": b"application/xml", ".rss": b"application/rss+xml",
                  ".txt": b"text/plain", ".json": b"application/json"}


def mirror_path(root: Path, url: str) -> Path:
    """The file that stands for ``url`` under ``root`` (it may not exist)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = unquote(parts.path or "/")
    segments = [s for s in path.split("/") if s not in ("", ".", "..")]
    target = root.joinpath(host, *segments)
    if path.endswith("/") or not segments:
        target = target / "index.html"
    if parts.query:
        target = target.with_name(target.name + "?" + parts.query)
    elif target.is_dir():
        target = target / "index.html"
    return target


def read_sidecar(path: Path) -> tuple[int, list[tuple[str, str]]]:
    """Status and header lines from ``<file>.headers`` (status 200 when absent)."""
    side = path.with_name(path.name + ".headers")
    status, headers = 200, []  # type: tuple[int, list[tuple[str, str]]]
    if not side.is_file():
        return status, headers
    for i, line in enumerate(side.read_text("utf-8").splitlines()):
        line = line.strip()
        if not line:
            continue
        if i == 0 and line.upper().startswith("HTTP/"):
            status = int(line.split()[1])
            continue
        name, _, value = line.partition(":")
        if name.lower() == "status":
            status = int(value.split()[0])
        elif value:
            headers.append((name.strip(), value.strip()))
    return status, headers


def _http_date(value: str) -> Any:
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def not_modified(request_headers: dict[str, str], header_lines: list[tuple[str, str]]) -> bool:
    """RFC 9110 §13.1: If-None-Match wins over If-Modified-Since when both are sent."""
    have = {k.lower(): v for k, v in header_lines}
    inm = request_headers.get("if-none-match")
    if inm is not None:
        tags = {t.strip() for t in inm.split(",")}
        return "etag" in have and ("*" in tags or have["etag"] in tags)
    ims = request_headers.get("if-modified-since")
    if ims and "last-modified" in have:
        since, modified = _http_date(ims), _http_date(have["last-modified"])
        return since is not None and modified is not None and modified <= since
    return False


class MirrorDownloadHandler(BaseDownloadHandler):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        root = crawler.settings.get("AGGREGATOR_MIRROR_DIR")
        if not root:
            raise NotConfigured("AGGREGATOR_MIRROR_DIR is not set")
        self.root = Path(root).resolve()

    async def download_request(self, request: Request) -> Response:
        return await run_in_thread(self._serve, request)

    def _serve(self, request: Request) -> Response:
        path = mirror_path(self.root, request.url)
        if not path.resolve().is_relative_to(self.root) or not path.is_file():
            return responsetypes.from_args(url=request.url)(
                url=request.url, status=404, body=b"not in mirror",
                headers=Headers({"Content-Type": "text/plain"}))
        body = path.read_bytes()
        status, header_lines = read_sidecar(path)
        headers = Headers()
        for name, value in header_lines:
            headers.appendlist(name, value)
        if b"Content-Type" not in headers:
            headers[b"Content-Type"] = _DEFAULT_TYPES.get(path.suffix.lower(), b"text/html")
        conditional = {name: (request.headers.get(name) or b"").decode("latin-1")
                       for name in ("if-none-match", "if-modified-since") if request.headers.get(name)}
        if status == 200 and conditional and not_modified(conditional, header_lines):
            status, body = 304, b""
        if request.method == "HEAD":
            body = b""
        respcls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return respcls(url=request.url, status=status, headers=headers, body=body,
                       request=request)


def apply_mirror_settings(settings: Any) -> None:
    """When ``AGGREGATOR_MIRROR_DIR`` is set, route http(s) to the mirror and drop the
    politeness delays (local files). Called from the spider's ``update_settings``, so
    ``scrapy crawl SITE -s AGGREGATOR_MIRROR_DIR=tests/sites`` works too."""
    if not settings.get("AGGREGATOR_MIRROR_DIR"):
        return
    handler = "aggregator.mirror.MirrorDownloadHandler"
    settings.set("DOWNLOAD_HANDLERS", {"http": handler, "https": handler}, priority="spider")
    settings.set("DOWNLOAD_DELAY", 0, priority="spider")
    settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
    settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 16, priority="spider")
    settings.set("DOWNLOAD_SLOTS", {}, priority="spider")
