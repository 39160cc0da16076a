"""Helpers shared by the tests (paths, running the CLI, expected JSON)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "tests" / "sites"
EXPECTED = ROOT / "tests" / "expected"
USER_SOURCES = ROOT / "tests" / "fixtures" / "user-sources.toml"


def run_lednews(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``python -m aggregator ARGS`` in a subprocess (a fresh Twisted reactor each time)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "aggregator", *args], cwd=cwd or ROOT,
                          capture_output=True, text=True, timeout=timeout, env=env)


def expected_articles() -> list[dict]:
    out = []
    for f in sorted(EXPECTED.glob("*/*.json")):
        e = json.loads(f.read_text("utf-8"))
        e["_file"] = f"{f.parent.name}/{f.name}"
        out.append(e)
    return out
