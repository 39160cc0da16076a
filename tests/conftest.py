"""Shared fixtures: one real mirror crawl per test session, run as a user would."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from support import SITES, USER_SOURCES, run_lednews


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo crawl: every profile plus the user-defined sources, from the mirror."""
    db = tmp_path_factory.mktemp("demo") / "news.db"
    proc = run_lednews("crawl", "--mirror", str(SITES), "--db", str(db), "--sources", str(USER_SOURCES))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "articles" in proc.stdout
    return db


@pytest.fixture()
def conn(demo_db: Path):
    c = sqlite3.connect(demo_db)
    c.row_factory = sqlite3.Row
    yield c
    c.close()


# Property-based tests (tests/test_properties.py): reproducible by default; set
# LEDNEWS_HYPOTHESIS=explore for fresh random examples, many more of them.
try:
    import os

    from hypothesis import HealthCheck, settings

    settings.register_profile("default", derandomize=True, max_examples=150, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    settings.register_profile("explore", max_examples=3000, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    settings.load_profile(os.environ.get("LEDNEWS_HYPOTHESIS", "default"))
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    pass
