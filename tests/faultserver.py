"""A hostile web site on 127.0.0.1 (port 0) for the reliability tests.

Every path under ``/a/`` is an "article" URL that misbehaves in one way (see ``FAULTS``);
``/news/`` links them all. The server is bounded and stops itself: it answers at most
``max_requests`` requests, a hanging handler waits at most ``hang_seconds``, and the whole
server shuts down after ``lifetime`` seconds even if a test forgets to stop it.
"""

from __future__ import annotations

import re
import socket
import struct
import threading
import time
import zlib
from collections import Counter
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"

ARTICLE = """<html><head><meta charset="utf-8"><title>{title} - Faulty LED News</title>{head}</head>
<body><div class="menu"><a href="/">Home</a> <a href="/news/">News</a></div>
<div class="content"><h1>{title}</h1><p class="date">Published: 2026-11-{day:02d}</p>
<p>Faulty Lighting said on {weekday} that its {product} line in Xiamen will raise output of
Mini LED backlight units by {pct}% next year, as television and monitor brands move more
models to local dimming and away from edge-lit panels.</p>
<p>The company expects revenue of US${rev} million from the line in 2027, and plans a second
phase with micro LED transfer equipment in 2028 if demand from car makers holds up.</p>
</div><div class="footer">Copyright 2026 Faulty Lighting. Contact us</div></body></html>"""

ZH_ARTICLE = """<html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="content"><h1>{title}</h1><p class="date">发布时间：2026-11-20</p>
<p>厦门某照明企业表示，其新建的Mini LED背光模组产线将于明年第一季度量产，
预计年产能提升三成，主要供应电视和显示器品牌，并计划在二零二八年导入微型LED巨量转移设备。</p>
<p>公司负责人称，车用照明需求回暖，海外订单同比增长，全年营收有望创下新高。</p>
</div></body></html>"""

# Good articles: (slug, title). Each must be stored exactly once.
GOOD = [
    ("good-cob-line-1", "Faulty Lighting expands COB line, phase 1"),
    ("good-cob-line-2", "Faulty Lighting expands COB line, phase 2"),
    ("good-cob-line-3", "Faulty Lighting expands COB line, phase 3"),
    ("flaky-503-article", "Faulty Lighting recovers after two 503s"),
    ("flaky-500-article", "Faulty Lighting recovers after one 500"),
    ("rate-limited-article", "Faulty Lighting answers 429 then the page"),
    ("malformed-html-article", "Faulty Lighting page with broken markup"),
    ("wrong-charset-header", "厦门照明企业扩产Mini LED背光模组"),
    ("xss-payload-article", None),  # title comes from the fixture
    ("alternate-chain-1", "Faulty Lighting alternate chain, link 1"),
    ("alternate-chain-2", "Faulty Lighting alternate chain, link 2"),
]
# Failing article URLs and the reason recorded for each (a regex over crawl_errors.reason).
FAILING = {
    "never-answers": r"timeout|took longer",
    "connection-reset": r"connection|reset|lost",
    "garbage-status-line": r"invalid HTTP answer",
    "truncated-body": r"data ?loss|lost|truncat|connection",
    "redirect-loop-a": r"redirect loop",
    "endless-redirects-0": r"max redirections",
    "twenty-megabytes": r"max ?size|larger than|cancel",
    "twenty-megabytes-chunked": r"max ?size|larger than|cancel",
    "gzip-bomb": r"max ?size|larger than|decompress",
    "annual-report-pdf": r"not an HTML page \(application/pdf",
    "factory-photo-png": r"not an HTML page \(image/png",
    "always-503": r"HTTP 503",
    "gone-404": r"HTTP 404",
    "robots-disallowed": r"robots",
    "empty-body": r"extraction failed|empty",
    "meta-refresh-javascript": r"scheme",
}
# How many pages a trap may cost: documented limits (docs/reliability.md).
MAX_PAGES = 3  # listing pagination (profile max_pages default)
BIG = 20 * 1024 * 1024  # bytes sent by the "20 MB" pages
BOMB_UNPACKED = 64 * 1024 * 1024  # the gzip bomb inflates to this


@lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """64 MB of zeros gzip-compressed to ~65 KB (made once, in ~0.2 s)."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1024 * 1024)
    out = [z.compress(chunk) for _ in range(BOMB_UNPACKED // len(chunk))]
    return b"".join(out) + z.flush()


def article_html(slug: str, title: str, head: str = "") -> bytes:
    n = sum(map(ord, slug)) % 27 + 1
    return ARTICLE.format(title=title, head=head, day=n, weekday="Monday", product="COB module",
                          pct=10 + n, rev=20 + n).encode("utf-8")


def listing(base: str) -> bytes:
    links = [f'<li><a href="/a/{slug}.html">{title or slug}</a></li>' for slug, title in GOOD
             if not slug.startswith("alternate-chain-2")]
    links += [f'<li><a href="/a/{slug}.html">Faulty page {slug}</a></li>' for slug in FAILING]
    # The same article again, with tracking parameters and fragments.
    links += ['<li><a href="/a/good-cob-line-1.html?utm_source=newsletter&utm_medium=email#comments">again</a></li>',
              '<li><a href="/a/good-cob-line-1.html#top">again</a></li>',
              f'<li><a href="{base}/a/good-cob-line-1.html?fbclid=XYZ">again</a></li>']
    return (f'<html><body><ul>{"".join(links)}</ul>'
            '<a rel="next" href="/news/?page=2">Next</a></body></html>').encode()


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *, max_requests: int = 3000, hang_seconds: float = 20.0,
                 lifetime: float = 240.0, articles: int = 0, article_delay: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.hits: Counter[str] = Counter()
        self.times: dict[str, list[float]] = {}  # path -> monotonic time of each request
        self.max_requests = max_requests
        self.hang_seconds = hang_seconds
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.bulk_articles = articles  # >0: /bulk/ lists this many plain articles
        self.article_delay = article_delay
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> FaultServer:
        self._thread.start()
        self._timer.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def stop(self) -> None:
        if self.stopping.is_set():
            return
        self.stopping.set()
        self._timer.cancel()
        self.shutdown()
        self.server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up on us (cancelled downloads) are expected here

    def count(self, path: str) -> int:
        with self.lock:
            self.times.setdefault(path, []).append(time.monotonic())
            self.hits[path] += 1
            return self.hits[path]


class FaultHandler(BaseHTTPRequestHandler):
    server: FaultServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    # helpers -------------------------------------------------------------------
    def send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def reset(self) -> None:
        """Close with RST instead of FIN (SO_LINGER 0)."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        srv = self.server
        path = self.path
        n = srv.count(path.split("#")[0])
        if sum(srv.hits.values()) > srv.max_requests:
            self.send(503, b"request budget of the fault server exhausted")
            return
        try:
            self.route(path, n)
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True

    def route(self, path: str, n: int) -> None:
        srv = self.server
        base = srv.base
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /a/robots-disallowed\n", "text/plain")
        if path == "/news/":
            return self.send(200, listing(base))
        m = re.fullmatch(r"/news/\?page=(\d+)", path)
        if m:  # endless pagination: every page has a "next"
            p = int(m.group(1))
            return self.send(200, (f'<html><body><a href="/a/good-cob-line-2.html">Faulty Lighting COB line phase two again</a>'
                                   f'<a rel="next" href="/news/?page={p + 1}">Next</a></body></html>').encode())
        m = re.fullmatch(r"/calendar/(\d{4})-(\d{2})/", path)
        if m:  # endless calendar: each month links the next one
            y, mo = int(m.group(1)), int(m.group(2))
            y2, mo2 = (y + 1, 1) if mo == 12 else (y, mo + 1)
            return self.send(200, (f'<html><body><h2>Events {y}-{mo:02d}</h2>'
                                   f'<a href="/a/good-cob-line-3.html">Faulty Lighting COB line phase three event</a>'
                                   f'<a href="/calendar/{y2}-{mo2:02d}/">next</a></body></html>').encode())
        m = re.fullmatch(r"/sitemap-(\d+)\.xml", path)
        if m:  # endless sitemap index chain
            k = int(m.group(1))
            return self.send(200, (
                '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f'<sitemap><loc>{base}/sitemap-{k + 1}.xml</loc></sitemap></sitemapindex>').encode(),
                "application/xml")
        if path.startswith("/bulk/"):
            return self.bulk(path)
        m = re.fullmatch(r"/a/([\w-]+)\.html(?:\?.*)?", path)
        if not m:
            return self.send(404, b"<html><body>not found</body></html>")
        return self.article(m.group(1), n)

    def bulk(self, path: str) -> None:
        srv = self.server
        if path == "/bulk/":
            links = "".join(f'<li><a href="/bulk/story-{i}.html">Bulk story {i}</a></li>'
                            for i in range(srv.bulk_articles))
            return self.send(200, f"<html><body><ul>{links}</ul></body></html>".encode())
        m = re.fullmatch(r"/bulk/story-(\d+)\.html", path)
        if not m:
            return self.send(404, b"")
        if srv.article_delay:
            srv.stopping.wait(srv.article_delay)
        slug = f"story-{m.group(1)}"
        return self.send(200, article_html(slug, f"Bulk LED industry story number {m.group(1)}"))

    def article(self, slug: str, n: int) -> None:  # noqa: C901 - one branch per fault
        srv = self.server
        titles = dict(GOOD)
        if slug == "flaky-503-article" and n <= 2:
            return self.send(503, b"busy")
        if slug == "flaky-500-article" and n <= 1:
            return self.send(500, b"oops")
        if slug == "rate-limited-article" and n <= 1:
            return self.send(429, b"slow down", headers={"Retry-After": "1"})
        if slug == "always-503":
            return self.send(503, b"down for maintenance")
        if slug == "gone-404":
            return self.send(404, b"<html><body>gone</body></html>")
        if slug == "never-answers":
            srv.stopping.wait(srv.hang_seconds)
            self.close_connection = True
            return None
        if slug == "connection-reset":
            return self.reset()
        if slug == "garbage-status-line":  # not HTTP at all
            self.wfile.write(b"HELLO THERE\r\nthis is not http\r\n\r\n")
            self.close_connection = True
            return None
        if slug == "truncated-body":
            body = article_html(slug, "This page is cut short by the server")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body) + 5000))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            return self.reset()
        if slug == "redirect-loop-a":
            return self.send(302, b"", headers={"Location": "/a/redirect-loop-b.html"})
        if slug == "redirect-loop-b":
            return self.send(302, b"", headers={"Location": "/a/redirect-loop-a.html"})
        m = re.fullmatch(r"endless-redirects-(\d+)", slug)
        if m:
            return self.send(302, b"", headers={"Location": f"/a/endless-redirects-{int(m.group(1)) + 1}.html"})
        if slug.startswith("twenty-megabytes"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            chunked = slug.endswith("chunked")
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Content-Length", str(BIG))
            self.end_headers()
            block = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
            for _ in range(BIG // len(block)):
                if srv.stopping.is_set():
                    break
                if chunked:
                    self.wfile.write(f"{len(block):x}\r\n".encode() + block + b"\r\n")
                else:
                    self.wfile.write(block)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
            return None
        if slug == "gzip-bomb":
            return self.send(200, gzip_bomb(), headers={"Content-Encoding": "gzip"})
        if slug == "annual-report-pdf":
            return self.send(200, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
        if slug == "factory-photo-png":
            png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
                   b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
                   b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
            return self.send(200, png, "image/png")
        if slug == "empty-body":
            return self.send(200, b"")
        if slug == "robots-disallowed":
            return self.send(200, article_html(slug, "This page must never be fetched"))
        if slug == "malformed-html-article":
            # unclosed <p>/<div>, misnested <b><i>, stray end tags, an unquoted attribute,
            # a bare table cell, no </body></html>, a dangling "<p" at the end of the file
            body = article_html(slug, titles[slug]).decode()
            body = (body.replace("</p>", "", 3).replace('<div class="content">', "<div class=content><b><i>")
                    .replace("</div><div class=\"footer\">", "</b></i></span><td>stray cell<div class=footer>")
                    .replace("</body></html>", "") + "</section><p")
            return self.send(200, body.encode())
        if slug == "meta-refresh-javascript":
            return self.send(200, b'<html><head><meta http-equiv="refresh" content="0;url=javascript:alert(1)">'
                                  b"</head><body>moved</body></html>")
        if slug == "wrong-charset-header":  # GB18030 bytes labelled UTF-8 in header and <meta>
            body = ZH_ARTICLE.format(title=titles[slug]).encode("gb18030")
            return self.send(200, body, "text/html; charset=utf-8")
        if slug == "xss-payload-article":
            return self.send(200, (FIXTURES / "xss-article.html").read_bytes())
        m = re.fullmatch(r"alternate-chain-(\d+)", slug)
        if m:  # each page names a new "other-language version": an endless chain
            k = int(m.group(1))
            head = f'<link rel="alternate" hreflang="zh-Hans" href="/a/alternate-chain-{k + 1}.html">'
            return self.send(200, article_html(slug, f"Faulty Lighting alternate chain, link {k}", head))
        if slug in titles:
            return self.send(200, article_html(slug, titles[slug]))
        return self.send(404, b"<html><body>no such article</body></html>")


def sources_toml(base: str, name: str = "faulty", starts: tuple[str, ...] = ("/news/",),
                 sitemaps: tuple[str, ...] = ()) -> str:
    """A user-defined source (README "Your own sources") for the fault site."""
    lines = [f'name = "{name}"', f"start_urls = {[base + s for s in starts]!r}".replace("'", '"')]
    if sitemaps:
        lines.append(f"sitemaps = {[base + s for s in sitemaps]!r}".replace("'", '"'))
    lines += ["article_pattern = '/(a|bulk)/[\\w-]+\\.html'", 'lang = "en"', "download_delay = 0"]
    return "[[source]]\n" + "\n".join(lines) + "\n"


def wait_for(pred: Any, timeout: float, step: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return False
