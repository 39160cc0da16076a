"""docs/operations.md cannot drift: its commands and options exist, its exit codes are
the CLI's, and its backup command produces a usable database."""

from __future__ import annotations

import re
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

from aggregator import cli
from support import ROOT, run_cli

DOC = (ROOT / "docs" / "operations.md").read_text("utf-8")
README = (ROOT / "README.md").read_text("utf-8")


def test_every_command_is_documented() -> None:
    for name in cli.main.commands:
        assert f"lednews {name}" in DOC + README, name
    for name in ("status", "record", "check-profiles", "crawl"):
        assert run_cli(name, "--help").returncode == 0


def test_documented_command_lines_use_real_options() -> None:
    lines = re.findall(r"lednews (crawl|status|record|check-profiles)((?: [^\n&>|]*)?)", DOC)
    assert len(lines) >= 6
    for name, rest in lines:
        params = {o for p in cli.main.commands[name].params for o in getattr(p, "opts", [])}
        for tok in shlex.split(rest.replace("$(date +%F)", "X")):
            if tok.startswith("--"):
                assert tok.split("=")[0] in params, f"lednews {name} {tok}"
    for opt in re.findall(r"`(--max-[a-z-]+)`", DOC):
        assert opt in {o for p in cli.status.params for o in p.opts}


def test_exit_code_table_matches_the_cli() -> None:
    rows = dict(re.findall(r"^\| (\d) \| ([^|]*)\|", DOC, re.M))
    assert set(rows) == {"0", "1", "2", "3"}
    assert (cli.EXIT_CRAWL_FAILED, cli.EXIT_CONFIG, cli.EXIT_LOCKED) == (1, 2, 3)
    assert "abnormally" in rows["1"] and "configuration" in rows["2"] and "lock" in rows["3"]


def test_documented_backup_makes_a_usable_copy(demo_db: Path, tmp_path: Path) -> None:
    snippet = re.search(r'\.venv/bin/python (-c "[^"]+")', DOC).group(1)
    backup = tmp_path / "news-backup.db"
    out = subprocess.run([sys.executable, *shlex.split(snippet), str(demo_db), str(backup)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    a, b = sqlite3.connect(demo_db), sqlite3.connect(backup)
    try:
        for table in ("articles", "crawl_runs", "crawl_run_sources", "fetched_urls"):
            q = f"select count(*) from {table}"
            assert a.execute(q).fetchone() == b.execute(q).fetchone()
        assert b.execute("pragma integrity_check").fetchone() == ("ok",)
    finally:
        a.close()
        b.close()
    assert run_cli("status", "--db", str(backup)).returncode == 0
