"""`lednews process --warc` on a WARC file made by wget (issue 18): wget fetches one
mirror site's article pages from a local server (127.0.0.1, as a proxy, so the
records carry the site's own URLs) and the import stores the same articles as the
session's crawl of the mirror."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import EXPECTED, SITES

from aggregator.cli import main
from aggregator.dedup.urls import canonicalize_url
from aggregator.mirror import mirror_path, read_sidecar

SITE = "ledinside"
WGET = shutil.which("wget")


class _MirrorProxy(BaseHTTPRequestHandler):
    """Answers proxy requests (``GET http://host/path``) from tests/sites."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = self.path if self.path.startswith("http") else f"http://{self.headers['Host']}{self.path}"
        path = mirror_path(SITES, url)
        if not path.is_file():
            self.send_error(404)
            return
        status, headers = read_sidecar(path)
        body = path.read_bytes()
        self.send_response(status)
        if not any(k.lower() == "content-type" for k, _ in headers):
            headers.append(("Content-Type", "text/html"))
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def proxy() -> str:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _MirrorProxy)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.skipif(WGET is None and not os.environ.get("CI"), reason="wget not installed (.ci/run installs it)")
def test_process_warc_of_wget_stores_what_a_crawl_stores(demo_db: Path, proxy: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    urls = [json.loads(f.read_text("utf-8"))["url"] for f in sorted((EXPECTED / SITE).glob("*.json"))]
    assert len(urls) >= 4
    listing = tmp_path / "urls.txt"
    listing.write_text("".join(u.replace("https://", "http://", 1) + "\n" for u in urls), "utf-8")
    warc = tmp_path / "site"
    env = {"http_proxy": proxy, "PATH": "/usr/bin:/bin"}
    out = subprocess.run([WGET, "--quiet", "-e", "use_proxy=on", "-e", "robots=off", f"--warc-file={warc}",
                          "--delete-after", "-P", str(tmp_path / "files"), "-i", str(listing)],
                         capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    made = tmp_path / "site.warc.gz"
    assert made.is_file()
    monkeypatch.chdir(tmp_path)  # no data/sources.toml of the checkout
    db = tmp_path / "data" / "news.db"
    res = CliRunner().invoke(main, ["process", "--warc", str(made), "--db", str(db)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert f"{len(urls)} records imported" in res.output and f"{len(urls)} new" in res.output, res.output

    fields = "canonical_url, source, lang, title, text, published, republished, author, content_hash"
    crawl, imported = sqlite3.connect(demo_db), sqlite3.connect(db)
    try:
        for u in urls:
            q = f"select {fields} from articles where canonical_url = ?"
            want = crawl.execute(q, [canonicalize_url(u)]).fetchone()
            got = imported.execute(q, [canonicalize_url(u)]).fetchone()
            assert want is not None and got == want, u
        assert imported.execute("select count(*) from articles").fetchone()[0] == len(urls)
        n = imported.execute("select count(*) from archive_records where kind = 'article'").fetchone()[0]
        assert n == len(urls)
    finally:
        crawl.close()
        imported.close()
    # the imported pages are in the archive now: processing them again changes nothing
    res = CliRunner().invoke(main, ["process", "--all", "--db", str(db)], catch_exceptions=False)
    assert f"0 new, 0 updated, {len(urls)} unchanged" in res.output, res.output


def test_process_warc_refuses_a_file_that_is_not_warc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "not.warc.gz"
    bad.write_bytes(b"this is not a WARC file\n" * 10)
    db = tmp_path / "data" / "news.db"
    res = CliRunner().invoke(main, ["process", "--warc", str(bad), "--db", str(db)])
    assert res.exit_code == 2
    assert res.output.count("\n") == 1 and "not a readable WARC file" in res.output
