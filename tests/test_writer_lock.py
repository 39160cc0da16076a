"""One writer at a time (issue 15): every writing command takes the data directory's
lock, waits for it up to a bound, else exits 3 with one line naming the holder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import ROOT, SITES

from aggregator.cli import main
from aggregator.runlock import LockHeld, RunLock

ARTICLE = {"url": "https://example.org/news/1.html", "title": "Micro LED shipments double",
           "text": "Micro LED display shipments doubled this year, makers said on Monday. " * 4,
           "lang": "en", "published": "2026-11-20", "source": "example"}


def _jsonl(tmp_path: Path) -> Path:
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps(ARTICLE) + "\n", "utf-8")
    return f


@pytest.mark.parametrize("command", ["ingest", "dedup", "learn-templates", "tag", "prune"])
def test_a_writer_waits_for_the_lock_then_gives_up_with_exit_3(tmp_path: Path, command: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "news.db"
    assert CliRunner().invoke(main, ["ingest", str(_jsonl(tmp_path)), "--db", str(db)]).exit_code == 0
    args = {"ingest": ["ingest", str(_jsonl(tmp_path))], "dedup": ["dedup"],
            "learn-templates": ["learn-templates"], "tag": ["tag"], "prune": ["prune"]}[command] + ["--db", str(db)]
    monkeypatch.setenv("LEDNEWS_LOCK_WAIT", "0.3")
    before = db.stat().st_mtime_ns
    with RunLock(tmp_path, "crawl"):  # a crawl is writing
        t0 = time.monotonic()
        res = CliRunner().invoke(main, args)
        waited = time.monotonic() - t0
    assert res.exit_code == 3, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and f"another lednews crawl is running (PID {os.getpid()}" in lines[0]
    assert "after waiting 0.3s" in lines[0]
    assert waited >= 0.3
    assert db.stat().st_mtime_ns == before  # nothing written
    # the same command, when the writer lets go during the wait, runs
    monkeypatch.setenv("LEDNEWS_LOCK_WAIT", "10")
    lock = RunLock(tmp_path, "crawl").acquire()
    release = threading.Timer(0.3, lock.release)
    release.start()
    res = CliRunner().invoke(main, args)
    release.join()
    assert res.exit_code == 0, res.output


def test_two_ingests_at_once_both_store(tmp_path: Path) -> None:
    """On main one of two concurrent ingests crashed with a traceback; now the second
    waits for the first."""
    db = tmp_path / "news.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    files = []
    for n in range(2):
        f = tmp_path / f"in{n}.jsonl"
        f.write_text("".join(json.dumps({**ARTICLE, "url": f"https://example.org/news/{n}-{i}.html",
                                         "title": f"Story {n}-{i}", "text": ARTICLE["text"] + f" {n}-{i}"}) + "\n"
                             for i in range(30)), "utf-8")
        files.append(f)
    procs = [subprocess.Popen([sys.executable, "-m", "aggregator", "ingest", str(f), "--db", str(db)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for f in files]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert all("Traceback" not in err for _, err in outs)
    import sqlite3

    c = sqlite3.connect(db)
    assert c.execute("select count(*) from articles").fetchone()[0] == 60
    c.close()


def test_scrapy_crawl_takes_the_same_lock(tmp_path: Path) -> None:
    """`scrapy crawl SITE` during a `lednews crawl` used to store nothing and exit 0."""
    db = tmp_path / "news.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "scrapy", "crawl", "csa", "-s", f"AGGREGATOR_DB={db}",
            "-s", f"AGGREGATOR_MIRROR_DIR={SITES}", "-s", "AGGREGATOR_WORKERS=0"]
    with RunLock(tmp_path, "crawl"):
        held = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert held.returncode == 3, held.stderr[-2000:]
    # Scrapy's own start-up log, then one line from lednews, and no crawl
    errors = [ln for ln in held.stderr.splitlines() if "error" in ln.lower()]
    assert len(errors) == 1 and errors[0].startswith("lednews: error: another lednews crawl is running")
    assert "Spider opened" not in held.stderr
    assert f"PID {os.getpid()}" in held.stderr and not db.exists()
    free = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert free.returncode == 0, free.stderr[-2000:]
    assert (tmp_path / "lednews.lock").read_text() == ""  # released
    with pytest.raises(LockHeld):  # and it is the one lock lednews crawl takes
        with RunLock(tmp_path, "crawl"):
            RunLock(tmp_path, "scrapy crawl").acquire()
