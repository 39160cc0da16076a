"""Configuration checked at load time (issue 15): source keys and -s settings are
refused with exit 2 and one line before any request; regexes that backtrack
catastrophically are refused; misspelled -s names are warned about."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from aggregator.cli import main
from aggregator.validate import check_settings, redos_risk

# OWASP's "evil regex" forms and two found in the issue, then the shapes real profiles use
EVIL = [r"(a+)+$", r"([a-zA-Z]+)*", r"(a|aa)+", r"(a|a?)+", r"(.*a){12}", r"(\w+\s?)+$", r"^(\d+)*$",
        r"/news/(?:[a-z]+)+\.html"]
FINE = [r"/news/\d+\.html", r"(/[a-z0-9-]+)+\.html", r"/(?:news|blog)/\d{4}-\d{2}/ART-\d+\.html",
        r"([a-z0-9-]+/)*\d+\.s?html?", r".*led.*", r"(\d{2}){3}", r"(?:ab|cd)+"]


@pytest.mark.parametrize("pattern", EVIL)
def test_catastrophic_regexes_are_flagged(pattern: str) -> None:
    assert redos_risk(pattern)


@pytest.mark.parametrize("pattern", FINE)
def test_ordinary_regexes_are_not_flagged(pattern: str) -> None:
    assert not redos_risk(pattern)


def test_every_bundled_and_fixture_profile_passes() -> None:
    from support import USER_SOURCES

    from aggregator.profiles import load_sources
    from aggregator.validate import check_profile
    from spiders import site_profiles

    assert [p.key for p in site_profiles() + load_sources(USER_SOURCES) if check_profile(p)] == []


BAD_SOURCES = {
    "download_delay = inf": "must be a finite number, got inf",
    "download_delay = nan": "must be a finite number, got nan",
    "download_delay = -5": "must be between 0 and 60, got -5",
    "max_pages = 0": "must be a whole number from 1 to 100",
    'article_pattern = "(a+)+$"': "can backtrack catastrophically",
    'timezone = "Mars/Olympus"': "unknown time zone 'Mars/Olympus'",
    'encoding = "utf-99"': "unknown encoding 'utf-99'",
    'body = "div[class"': "bad CSS selector 'div[class'",
}


@pytest.mark.parametrize("line", sorted(BAD_SOURCES))
def test_a_bad_source_key_exits_2_with_one_line_naming_file_and_line(tmp_path: Path, line: str) -> None:
    toml = tmp_path / "sources.toml"
    toml.write_text('[[source]]\nname = "acme"\nstart_urls = ["http://127.0.0.1:9/news/"]\n' + line + "\n")
    t0 = time.monotonic()
    res = CliRunner().invoke(main, ["crawl", "--sources", str(toml), "--site", "acme", "--db", str(tmp_path / "n.db")])
    assert res.exit_code == 2, res.output
    lines = res.output.strip().splitlines()
    key = line.split(" =")[0]
    assert len(lines) == 1 and lines[0].startswith(f"lednews: error: {toml}:4: field '{key}': ")
    assert BAD_SOURCES[line] in lines[0]
    assert time.monotonic() - t0 < 30  # refused, not run (the (a+)+$ pattern never runs)
    assert not (tmp_path / "n.db").exists()


BAD_SETTINGS = {
    "DOWNLOAD_TIMEOUT=abc": "-s DOWNLOAD_TIMEOUT: expected a number, got 'abc'",
    "AGGREGATOR_WORKERS=abc": "-s AGGREGATOR_WORKERS: expected a whole number, got 'abc'",
    "DOWNLOAD_DELAY=nan": "-s DOWNLOAD_DELAY: must be a finite number, got nan",
    "DOWNLOAD_DELAY=inf": "-s DOWNLOAD_DELAY: must be a finite number, got inf",
    "CONCURRENT_REQUESTS=0": "-s CONCURRENT_REQUESTS: must be from 1 to 1000, got 0",
    "AUTOTHROTTLE_ENABLED=maybe": "-s AUTOTHROTTLE_ENABLED: expected True or False, got 'maybe'",
}


@pytest.mark.parametrize("setting", sorted(BAD_SETTINGS))
def test_a_bad_setting_exits_2_with_one_line(tmp_path: Path, setting: str) -> None:
    res = CliRunner().invoke(main, ["crawl", "--mirror", str(tmp_path), "--db", str(tmp_path / "n.db"),
                                    "-s", setting])
    assert res.exit_code == 2, res.output
    assert res.output.strip().splitlines() == [f"lednews: error: {BAD_SETTINGS[setting]}"]


def test_a_misspelled_setting_is_warned_with_the_closest_name(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["crawl", "--mirror", str(tmp_path), "--db", str(tmp_path / "n.db"),
                                    "-s", "DOWNLOAD_TIMEOUTT=5", "-s", "AGGREGATOR_WRTIE_BATCH=5",
                                    "-s", "RETRY_TIMES=-1"])  # and a bad one, so no crawl starts
    assert res.exit_code == 2
    assert "lednews: warning: -s DOWNLOAD_TIMEOUTT: not a setting Scrapy or lednews reads (ignored); " \
           "did you mean DOWNLOAD_TIMEOUT?" in res.output
    assert "did you mean AGGREGATOR_WRITE_BATCH?" in res.output
    assert check_settings([("LOG_LEVEL", "INFO"), ("DOWNLOAD_TIMEOUT", "10")]) == ([], [])


def test_scrapy_crawl_checks_settings_too(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from support import ROOT

    out = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "csa", "-s", "DOWNLOAD_TIMEOUT=abc",
                          "-s", f"AGGREGATOR_DB={tmp_path / 'n.db'}"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 2
    assert "lednews: error: -s DOWNLOAD_TIMEOUT: expected a number, got 'abc'" in out.stderr
    assert "Spider opened" not in out.stderr and not (tmp_path / "n.db").exists()
