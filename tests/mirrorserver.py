"""A site mirror served over HTTP on 127.0.0.1 (port 0), for the scale-out tests and
bench/crawl.py --frontier: workers send every request here with the URL it stands for
in ``X-Mirror-URL`` (aggregator.frontier.worker.MirrorServerHandler), and the server
answers as ``aggregator.mirror.MirrorDownloadHandler`` does from the same directory,
logging when each request arrived, per host, so politeness is measured where requests
land."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aggregator.mirror import _DEFAULT_TYPES, mirror_path, not_modified, read_sidecar


class MirrorServer:
    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self.log: list[tuple[float, str, str]] = []  # (time.time(), host, url) per request
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                arrived = time.time()
                url = self.headers.get("X-Mirror-URL") or ""
                host = (urlsplit(url).hostname or "").lower()
                with server._lock:
                    server.log.append((arrived, host, url))
                status, headers, body = server.answer(url, {k.lower(): v for k, v in self.headers.items()})
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a worker killed mid-request resets its connection: expected here

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def answer(self, url: str, req_headers: dict[str, str]) -> tuple[int, list[tuple[str, str]], bytes]:
        path = mirror_path(self.root, url)
        if not url or not path.resolve().is_relative_to(self.root) or not path.is_file():
            return 404, [("Content-Type", "text/plain")], b"not in mirror"
        body = path.read_bytes()
        status, lines = read_sidecar(path)
        headers = list(lines)
        if not any(k.lower() == "content-type" for k, _ in headers):
            headers.append(("Content-Type", _DEFAULT_TYPES.get(path.suffix.lower(), b"text/html").decode()))
        conditional = {k: v for k, v in req_headers.items() if k in ("if-none-match", "if-modified-since")}
        if status == 200 and conditional and not_modified(conditional, lines):
            status, body = 304, b""
        return status, headers, body

    def __enter__(self) -> MirrorServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def min_gaps(self) -> dict[str, float]:
        """Per host, the smallest time between two requests that arrived there."""
        by_host: dict[str, list[float]] = {}
        with self._lock:
            for t, host, _url in self.log:
                by_host.setdefault(host, []).append(t)
        out = {}
        for host, times in by_host.items():
            times.sort()
            if len(times) > 1:
                out[host] = min(b - a for a, b in zip(times, times[1:]))
        return out
