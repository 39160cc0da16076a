"""Health that tells the truth (issue 15): errors per URL, "unreachable" told apart from
"no article links", a whole-crawl outage exits 1 with one line and no traceback, and
per-run monitors (items, field coverage, finish reason) shown by `lednews status`."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from redisserver import free_port
from support import SITES, run_cli, run_lednews

from aggregator.health import assess


def _row(run_id: int, **kw: object) -> dict:
    base = {"run_id": run_id, "source": "s", "started_at": f"2026-12-0{run_id}T06:00:00+00:00",
            "finish_reason": "finished", "links_found": 10, "responses": 10}
    return {**base, **kw}


def test_error_rate_is_per_url_not_per_attempt() -> None:
    # 10 URLs, 6 failed after 3 attempts each: 6 + 4 = 22 requests; 6 of 10 URLs failed
    rows = [_row(1, requests=22, urls=10, errors=6)]
    h = assess(rows, {}, datetime(2026, 12, 2, tzinfo=timezone.utc))[0]
    assert h.error_rate == 0.6 and not h.healthy  # per attempt (main): 27 %, "ok"
    assert any("error rate 60%" in p for p in h.problems)


def test_a_whole_crawl_outage_exits_1_in_one_line_and_status_says_unreachable(tmp_path: Path) -> None:
    port = free_port()  # nothing listens: every connection is refused, as with the network down
    toml = tmp_path / "sources.toml"
    toml.write_text(f'[[source]]\nname = "down"\nstart_urls = ["http://127.0.0.1:{port}/news/"]\n'
                    f'feeds = ["http://127.0.0.1:{port}/rss.xml"]\ndownload_delay = 0\n')
    db = tmp_path / "news.db"
    for _ in range(2):  # two cron runs
        out = run_lednews("crawl", "--sources", str(toml), "--site", "down", "--db", str(db),
                          "-s", "AUTOTHROTTLE_ENABLED=False", timeout=120)
        assert out.returncode == 1, out.stderr[-2000:]
        assert out.stderr.strip().splitlines() == [
            "lednews: error: no site answered: 9 requests, 2 URLs unreachable (commonest: 'connection refused'); "
            "is the network or DNS down?"]
        assert "Traceback" not in out.stderr
    st = run_cli("status", "--db", str(db), "--json")
    assert st.returncode == 1
    h = json.loads(st.stdout)[0]
    assert h["last_state"] == "unreachable" and h["error_rate"] == 1.0
    assert any(p.startswith("host unreachable (DNS, connect or TLS) in 2 runs") for p in h["problems"])
    assert not any("no article links" in p for p in h["problems"])  # not a layout change


def test_status_shows_per_run_monitors(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    assert run_cli("crawl", "--mirror", str(SITES), "--site", "csa", "--db", str(db)).returncode == 0
    c = sqlite3.connect(db)
    c.row_factory = sqlite3.Row
    row = dict(c.execute("select * from crawl_run_sources").fetchone())
    c.close()
    assert row["items"] > 0 and row["dated"] == row["items"] and row["with_lang"] == row["items"]
    assert row["urls"] <= row["requests"] and row["body_units"] > 60 * row["items"]
    st = run_cli("status", "--db", str(db), "--json")
    h = json.loads(st.stdout)[0]
    assert (h["last_finish"], h["last_state"], h["date_coverage"], h["lang_coverage"]) == ("finished", "ok", 1.0, 1.0)
    assert h["items"] == row["items"] and h["mean_body_units"] > 60
    table = run_cli("status", "--db", str(db)).stdout
    assert "dated" in table.splitlines()[0] and "finish" in table.splitlines()[0]


def test_a_field_the_last_run_lost_is_flagged_against_the_source_itself() -> None:
    now = datetime(2026, 12, 9, tzinfo=timezone.utc)
    usual = [_row(i, requests=5, urls=5, items=5, dated=5, with_lang=5, body_units=1500) for i in range(1, 4)]
    broken = _row(4, requests=5, urls=5, items=5, dated=1, with_lang=5, body_units=300)
    h = assess([*usual, broken], {}, now)[0]
    assert h.problems == ["a date on 20% of the last run's articles (was 100%): the layout may have changed",
                          "mean body 60 units in the last run (was 300): the body selector may have moved"]
    # a source that never dates its articles (B2B republishers) is not flagged for it
    undated = [_row(i, requests=5, urls=5, items=5, dated=0, with_lang=5, body_units=1500) for i in range(1, 5)]
    assert assess(undated, {}, now)[0].healthy


def test_thresholds_come_from_the_sources_file(tmp_path: Path) -> None:
    """[monitors] for every source, [monitors.SOURCE] for one; an option given on the
    command line wins; a bad value is one line, exit 2."""
    from click.testing import CliRunner

    from aggregator.cli import main
    from aggregator.storage import Storage

    db = tmp_path / "news.db"
    s = Storage(db)
    run_id = s.start_run("live", ["a", "b"])
    s.finish_run(run_id, finish_reason="finished")
    # 3 of 10 URLs failed on both sources: healthy at the default 50 %
    s.record_run_sources(run_id, [{"source": src, "requests": 16, "urls": 10, "errors": 3, "links_found": 10,
                                   "responses": 13} for src in ("a", "b")])
    s.close()
    toml = tmp_path / "sources.toml"
    toml.write_text("[monitors]\nmax_error_rate = 0.25\n\n[monitors.b]\nmax_error_rate = 0.4\n")
    res = CliRunner().invoke(main, ["status", "--db", str(db), "--sources", str(toml), "--json"])
    got = {h["source"]: h["healthy"] for h in json.loads(res.output.split("\nlednews:")[0])}
    assert got == {"a": False, "b": True}
    res = CliRunner().invoke(main, ["status", "--db", str(db), "--sources", str(toml), "--json",
                                    "--max-error-rate", "0.9"])
    assert res.exit_code == 0
    toml.write_text("[monitors]\nmax_error_rate = inf\n")
    res = CliRunner().invoke(main, ["status", "--db", str(db), "--sources", str(toml)])
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == [
        f"lednews: error: {toml}: [monitors] max_error_rate: must be between 0 and 1, got inf"]


def test_a_tls_failure_is_unreachable_not_a_flaky_server(tmp_path: Path) -> None:
    """https:// to a port that speaks plain HTTP: the TLS handshake fails ("wrong version
    number"). Scrapy reports it as a DownloadFailedError, which was grouped as
    "connection lost" and so never counted as unreachable."""
    import http.server
    import threading

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    srv.RequestHandlerClass.log_message = lambda *a: None  # type: ignore[method-assign]
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    port = srv.server_address[1]
    try:
        toml = tmp_path / "sources.toml"
        toml.write_text(f'[[source]]\nname = "badtls"\nstart_urls = ["https://127.0.0.1:{port}/news/"]\n'
                        'download_delay = 0\n')
        db = tmp_path / "news.db"
        out = run_lednews("crawl", "--sources", str(toml), "--site", "badtls", "--db", str(db),
                          "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_TIMES=0", timeout=120)
    finally:
        srv.shutdown()
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines() == [
        "lednews: error: no site answered: 2 requests, 1 URLs unreachable (commonest: "
        "'TLS handshake failed: wrong version number'); is the network or DNS down?"], out.stderr
    reasons = [r[0] for r in sqlite3.connect(db).execute("select reason from crawl_errors")]
    assert reasons == ["TLS handshake failed: wrong version number"]
    st = run_cli("status", "--db", str(db), "--json")
    assert json.loads(st.stdout)[0]["last_state"] == "unreachable"


def test_an_exception_inside_lednews_fails_the_run_in_one_line_and_loses_nothing(tmp_path: Path) -> None:
    """A bug in lednews' own page code (here every article callback raises, patched in by
    a ``sitecustomize`` module on PYTHONPATH, the way a broken install or a bad release
    fails): Scrapy logged a traceback per page and went on, and the run ended
    "finished", exit 0, "0 errors", nothing stored. Now each page is an error row, the
    CLI says so in one line and exits 1, and the next run stores every article."""
    import os
    import subprocess
    import sys

    from support import ROOT

    patch = tmp_path / "patch"
    patch.mkdir()
    (patch / "sitecustomize.py").write_text(
        "import aggregator.spider as s\n\n"
        "async def parse_article(self, response):\n"
        "    raise RuntimeError('simulated bug in lednews')\n"
        "    yield\n\n"
        "s.ProfileSpider.parse_article = parse_article\n")
    db = tmp_path / "news.db"
    args = [sys.executable, "-m", "aggregator", "crawl", "--mirror", str(SITES), "--site", "csa", "--db", str(db)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(patch), str(ROOT)])}
    out = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "pages raised an internal error in lednews" in lines[0], out.stderr
    assert "RuntimeError: simulated bug in lednews" in lines[0] and "Traceback" not in out.stderr
    c = sqlite3.connect(db)
    n_errors = c.execute("select count(*) from crawl_errors where reason like 'internal error: RuntimeError%'").fetchone()[0]
    assert n_errors >= 1 and c.execute("select count(*) from fetched_urls").fetchone()[0] == 0
    c.close()
    again = run_lednews("crawl", "--mirror", str(SITES), "--site", "csa", "--db", str(db))
    assert again.returncode == 0, again.stderr
    stored = sqlite3.connect(db).execute("select count(*) from articles").fetchone()[0]
    assert stored == n_errors  # every page that failed is stored by the next run
