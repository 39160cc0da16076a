"""A scriptable local web site on 127.0.0.1:0 for live-crawl tests: fixed pages, optional
per-page delay and one-off answers (e.g. a 429 first), with a request log."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE = """<html><head><title>{t} - Acme Lighting</title></head><body>
<div class="menu"><a href="/">Home</a> <a href="/news/">News</a></div>
<div class="content"><h1>{t}</h1><p class="date">Release on :2026-11-0{n}</p>
<p>Acme Lighting said on Monday that its new COB module line in Dongguan will raise output of
Mini LED backlight units by {n}0% next year, as television brands move more models to local dimming.</p>
<p>The company expects revenue of US${n}2 million from the line in 2027 and plans a second phase in 2028.</p>
</div><div class="footer">Copyright 2026 Acme Lighting. Contact us</div></body></html>"""


def news_site(n_articles: int) -> dict[str, bytes]:
    """A listing at /news/ linking ``n_articles`` article pages."""
    pages = {}
    links = ""
    for n in range(1, n_articles + 1):
        path = f"/news/acme-cob-module-line-{n}.html"
        links += f'<li><a href="{path}">Acme COB module line news number {n}</a></li>'
        pages[path] = ARTICLE.format(t=f"Acme expands COB line, phase {n}", n=n).encode()
    pages["/news/"] = f"<html><body><ul>{links}</ul></body></html>".encode()
    pages["/robots.txt"] = b"User-agent: *\nAllow: /\n"
    return pages


@dataclass
class Hit:
    at: float
    path: str
    user_agent: str
    status: int


@dataclass
class LiveSite:
    pages: dict[str, bytes]
    delay: dict[str, float] = field(default_factory=dict)  # path -> seconds before answering
    once: dict[str, tuple[int, dict[str, str]]] = field(default_factory=dict)  # first answer
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # path -> extra headers
    hits: list[Hit] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0

    def start(self) -> str:
        site = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                with lock:
                    site.in_flight += 1
                    site.max_in_flight = max(site.max_in_flight, site.in_flight)
                try:
                    time.sleep(site.delay.get(self.path, 0))
                    status, headers, body = 200, {"Content-Type": "text/html; charset=utf-8"}, b""
                    if self.path in site.once:
                        status, extra = site.once.pop(self.path)
                        headers.update(extra)
                    elif self.path in site.pages:
                        body = site.pages[self.path]
                        headers.update(site.headers.get(self.path, {}))
                    else:
                        status = 404
                    site.hits.append(Hit(time.monotonic(), self.path, self.headers.get("User-Agent", ""), status))
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                finally:
                    with lock:
                        site.in_flight -= 1

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def sources_toml(base: str, delay: float = 0.0, name: str = "acme") -> str:
    return (f'[[source]]\nname = "{name}"\nstart_urls = ["{base}/news/"]\nlang = "en"\n'
            f'download_delay = {delay}\ntimezone = "Asia/Shanghai"\n')
