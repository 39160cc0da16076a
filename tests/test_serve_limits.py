"""`lednews serve` limits that hold (issue 15): a query that builds a huge value fails at
once, `.atom` is a 404 where there is no feed, a read-only data directory is refused
unless --immutable, and a public --host is warned about."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from publish_support import Client
from support import ROOT

from aggregator.publish.limits import MAX_VALUE_BYTES, check_host
from aggregator.storage import Storage


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("serve") / "news.db"
    Storage(db).close()
    c = Client(db)
    yield c
    c.close()


def test_a_query_building_a_huge_value_fails_at_once(client: Client) -> None:
    # 40 MB of hex, over the 32 MB limit: one VDBE step that the 2 s progress handler
    # never interrupts (the 400,000,000 peaked at 2 GB before)
    n = MAX_VALUE_BYTES // 2 + 4_000_000
    t0 = time.monotonic()
    r = client.get(f"/{client.db_name}.json", sql=f"select length(hex(randomblob({n})))")
    assert r.status_code == 400 and "too big" in r.text
    assert time.monotonic() - t0 < 5
    ok = client.get(f"/{client.db_name}.json", sql="select length(hex(randomblob(1000000))) as n", _shape="array")
    assert ok.status_code == 200 and ok.json() == [{"n": 2_000_000}]  # ordinary sizes work


@pytest.mark.parametrize("path", ["/{db}/daily_counts.atom", "/{db}/articles.atom", "/{db}.atom?sql=select+1",
                                  "/{db}/latest_stories.atom?sql=select+1"])
def test_atom_where_there_is_no_feed_is_a_404(client: Client, path: str) -> None:
    r = client.get(path.format(db=client.db_name))
    assert r.status_code == 404 and "no Atom feed here" in r.text


def test_feed_queries_still_render_atom(client: Client) -> None:
    r = client.get(f"/{client.db_name}/latest_stories.atom")
    assert r.status_code == 200 and r.text.startswith("<?xml")


def test_a_public_host_is_warned_about() -> None:
    assert "every network interface" in (check_host("0.0.0.0") or "")
    assert check_host("127.0.0.1") is None


# Inside a user and mount namespace (unshare -rm), a tmpfs holding the database is
# remounted read-only: a genuinely read-only directory, even for root.
_IN_NAMESPACE = r"""
import json, os, subprocess, sys
src, mnt = sys.argv[1], sys.argv[2]
subprocess.run(["mount", "-t", "tmpfs", "none", mnt], check=True)
db = os.path.join(mnt, "news.db")
with open(src, "rb") as f, open(db, "wb") as g:
    g.write(f.read())
subprocess.run(["mount", "-o", "remount,ro", mnt], check=True)
args = [sys.executable, "-m", "aggregator", "serve", "--db", db, "--port", "0"]
plain = subprocess.run(args, capture_output=True, text=True, timeout=60)
proc = subprocess.Popen(args + ["--immutable"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
first = proc.stdout.readline()
proc.kill()
proc.wait()
print(json.dumps({"rc": plain.returncode, "stderr": plain.stderr, "immutable": first}))
"""


def _namespaces_work() -> bool:
    try:
        return subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.skipif(not _namespaces_work(), reason="needs unshare -rm (user and mount namespaces)")
def test_serve_refuses_a_read_only_directory_unless_immutable(tmp_path: Path) -> None:
    import json

    src = tmp_path / "news.db"
    Storage(src).close()
    mnt = tmp_path / "ro"
    mnt.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(["unshare", "-rm", sys.executable, "-c", _IN_NAMESPACE, str(src), str(mnt)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    res = json.loads(out.stdout.strip().splitlines()[-1])
    assert res["rc"] == 2
    assert res["stderr"].strip().splitlines() == [
        f"lednews: error: {mnt} is read-only: SQLite needs to write news.db-shm there to read a WAL "
        "database; serve a snapshot with --immutable, or make the directory writable"]
    assert res["immutable"].startswith("lednews: serving")


def test_requests_past_the_concurrency_cap_get_a_503_and_the_server_stays_up(tmp_path: Path) -> None:
    """MAX_CONCURRENCY + 10 slow queries at once against a real `lednews serve`: the ones
    past the cap are refused at once with 503 (none is a 500), and the server answers
    normally afterwards."""
    import re
    import threading
    import urllib.error
    import urllib.parse
    import urllib.request

    from aggregator.publish.limits import MAX_CONCURRENCY

    db = tmp_path / "news.db"
    Storage(db).close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "aggregator", "serve", "--db", str(db), "--port", "0"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        assert proc.stdout is not None
        m = re.search(r"http://127\.0\.0\.1:\d+", proc.stdout.readline())
        assert m, (tmp_path / "serve.log").read_text()
        base = m.group(0)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=5).read()
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.1)
        # about half a second of SQL each, under Datasette's 2 s limit; Datasette runs 3 at a
        # time, so the others wait inside the server and hold their slot
        slow = "with recursive c(x) as (select 1 union all select x + 1 from c where x < 600000) select count(*) from c"
        url = f"{base}/news.json?" + urllib.parse.urlencode({"sql": slow})
        n = MAX_CONCURRENCY + 10
        ready = threading.Barrier(n)
        statuses: list[int] = []

        def ask() -> None:
            ready.wait()
            try:
                with urllib.request.urlopen(url, timeout=120) as r:
                    statuses.append(r.status)
            except urllib.error.HTTPError as e:
                statuses.append(e.code)

        threads = [threading.Thread(target=ask) for _ in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(statuses) == n and 500 not in statuses
        assert set(statuses) <= {200, 400, 503}, sorted(statuses)  # 400: over the 2 s SQL limit
        assert 1 <= n - statuses.count(503) <= MAX_CONCURRENCY, sorted(statuses)
        ok = urllib.request.urlopen(f"{base}/news.json?sql=select+1", timeout=30)
        assert ok.status == 200 and proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
