"""Issue 20's acceptance at full size, opt-in (about 3 minutes on 2 cores, so not part of
`make test`; `LEDNEWS_LONG_TESTS=1 .venv/bin/python -m pytest tests/test_frontier_bench_mirror.py`):
the 5,000-page bench mirror served over HTTP with a per-host delay, 3 workers of which
one is killed with SIGKILL at 30 %, one writer, a real redis-server on a free loopback
port. The database equals a one-process crawl of the same mirror (articles, versions,
stories) and the smallest gap between two requests to one host across all workers is at
least the delay. The everyday suite runs the same check on the bundled mirror
(tests/test_frontier.py)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from support import ROOT

pytestmark = pytest.mark.skipif(os.environ.get("LEDNEWS_LONG_TESTS") != "1" or not shutil.which("redis-server"),
                                reason="long test: set LEDNEWS_LONG_TESTS=1 (needs redis-server)")

PAGES = 5000
DELAY = 0.05  # bench/crawl.py --frontier's default per-host delay


def test_5000_pages_three_workers_one_killed_equal_a_one_process_crawl(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from crawl import HOSTS, build_mirror
    from frontier import run

    root = tmp_path / "mirror"
    info = build_mirror(root, PAGES)
    assert info["pages"] == PAGES
    names = [h.split(".")[1].replace("-", "_") for h, _, _ in HOSTS]
    rows: list[tuple] = []
    run(root, tmp_path, PAGES, names, DELAY, 4, ["3k"], 0, rows_out=rows)
    (label, _secs, _rate, gap, equal, _peak, _per_k, requests), = rows
    assert "killed" in label and requests >= PAGES
    assert equal  # articles, versions and stories as the one-process crawl
    assert gap >= DELAY  # politeness held across all workers
