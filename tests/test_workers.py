"""The page worker (aggregator/workers.py): same results with and without it, and a
worker that dies costs one page at most, never the crawl."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from aggregator.workers import PagePool, WorkerDied, default_workers
from tests.support import SITES, USER_SOURCES, run_cli, table_snapshot

TABLES = {
    "articles": "select id, url, canonical_url, source, lang, title, text, raw_text, body_html, published,"
                " republished, author, content_hash, extraction_method, date_method, story_id,"
                " alternate_urls, sibling_key, sibling_seq, warnings, cleaning, version from articles",
    "stories": "select * from stories",
    "dedup_features": "select article_id, content_hash, version, keys, terms from dedup_features",
    "site_templates": "select source, key, line, pages, docs from site_templates",
}


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    return table_snapshot(db, TABLES)


def test_worker_and_in_process_crawls_store_the_same_rows(tmp_path: Path) -> None:
    """One process; a worker doing all page work; a worker doing only the features while
    the crawl process extracts every page (work sharing with backlog 0)."""
    snaps = {}
    for name, workers, share in (("1", "1", "-1"), ("0", "0", "4"), ("shared", "1", "0")):
        db = tmp_path / name / "news.db"
        out = run_cli("crawl", "--mirror", str(SITES), "--sources", str(USER_SOURCES),
                      "--db", str(db), "-s", f"AGGREGATOR_WORKERS={workers}",
                      "-s", f"AGGREGATOR_SHARE_BACKLOG={share}")
        assert out.returncode == 0, out.stderr[-2000:]
        snaps[name] = _snapshot(db)
    log = (tmp_path / "shared" / "lednews.log").read_text("utf-8")
    assert "article pages extracted in the crawl process" in log
    assert len(snaps["1"]["articles"]) >= 40
    assert len(snaps["1"]["dedup_features"]) == len(snaps["1"]["articles"])
    for table in TABLES:
        assert snaps["1"][table] == snaps["0"][table], table
        assert snaps["shared"][table] == snaps["0"][table], table
    # features and scoring profiles made by the worker give what a pass from scratch gives
    db = tmp_path / "1" / "news.db"
    out = run_cli("dedup", "--rebuild", "--db", str(db))
    assert out.returncode == 0, out.stderr[-2000:]
    rebuilt = _snapshot(db)
    for table in ("articles", "stories", "dedup_features"):
        assert rebuilt[table] == snaps["1"][table], table


def _die() -> None:
    os._exit(3)  # what a crash in a C extension or the OOM killer looks like to the pool


def _pid() -> int:
    return os.getpid()


def test_a_dying_worker_is_replaced_and_the_job_reported() -> None:
    pool = PagePool(1)
    pool.start()
    try:
        first = asyncio.run(pool.run(_pid))
        assert first != os.getpid()  # ran in another process
        with pytest.raises(WorkerDied):
            asyncio.run(pool.run(_die))
        assert pool.restarts == 2  # one retry in a fresh worker, then reported
        assert asyncio.run(pool.run(pow, 2, 10)) == 1024  # the next page is served
        assert asyncio.run(pool.run(_pid)) not in (first, os.getpid())
    finally:
        pool.close()


def test_no_workers_runs_in_this_process() -> None:
    pool = PagePool(0)
    pool.start()
    assert asyncio.run(pool.run(_pid)) == os.getpid()
    pool.close()


def test_default_is_one_worker_when_two_cores_are_usable() -> None:
    cores = len(os.sched_getaffinity(0))
    assert default_workers() == (1 if cores >= 2 else 0)


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent's reaper does not count)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_killing_the_crawl_leaves_no_worker_behind(tmp_path: Path) -> None:
    """SIGKILL of the crawl process (cron timeout, OOM killer): its worker exits too."""
    import signal
    import subprocess
    import sys

    from tests.support import ROOT

    db = tmp_path / "news.db"
    proc = subprocess.Popen([sys.executable, "-m", "aggregator", "crawl", "--mirror", str(SITES),
                             "--db", str(db), "-s", "AGGREGATOR_WORKERS=1", "-s", "DOWNLOAD_DELAY=0.5"],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def children() -> list[int]:
        out = []
        for d in Path("/proc").iterdir():
            if d.name.isdigit():
                try:
                    if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == proc.pid:
                        out.append(int(d.name))
                except (OSError, ValueError, IndexError):
                    pass
        return out

    deadline = time.monotonic() + 60
    kids: list[int] = []
    while time.monotonic() < deadline and not kids:
        kids = children()
        time.sleep(0.1)
    assert kids, "the crawl started no worker"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(k) for k in kids):
        time.sleep(0.2)
    alive = [k for k in kids if _alive(k)]
    assert not alive, f"worker(s) {alive} outlived the killed crawl"


def test_workers_that_cannot_start_leave_the_work_to_the_crawl_process(tmp_path: Path) -> None:
    """A worker that dies before serving anything (here: spawn cannot re-import a main
    module that is not a file) is not a page's fault: the pool works in-process."""
    import subprocess
    import sys

    from tests.support import ROOT

    code = ("import asyncio, os\nfrom aggregator.workers import PagePool\n"
            "p = PagePool(1); p.start()\nprint(asyncio.run(p.run(os.getpid)) == os.getpid(), p.workers)\n")
    out = subprocess.run([sys.executable, "-"], input=code, capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "0"]
    assert "page workers could not start" in out.stderr


def test_a_page_that_breaks_extraction_is_an_error_reason_not_a_crash(monkeypatch) -> None:
    """An unexpected exception inside the page work (a bug met by one page) comes back
    as the page's error reason, which the spider records; the crawl goes on."""
    import aggregator.process as workers  # prepare_page's home (aggregator.workers uses it)
    from spiders import site_profiles

    def broken(*_a, **_k):
        raise KeyError("odd")

    monkeypatch.setattr(workers, "extract", broken)
    profile = site_profiles()[0]
    got = workers.prepare_page(b"<html><body><p>x</p></body></html>", "https://x.example/a.html", profile,
                               None, None, None)
    assert got == "extraction failed: KeyError: 'odd'"
