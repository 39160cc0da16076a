"""Bad configuration and input: one clear line on stderr, a non-zero exit, nothing written.

(Unknown keys in a sources file, an unknown --site and a database path under a regular
file are covered in test_cli.py; `lednews ingest` JSONL input lives on another branch.)
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from support import SITES, run_cli, run_lednews

from aggregator.storage import Storage, StorageError


def _one_line_error(out, code: int = 2) -> str:
    assert out.returncode == code, (out.returncode, out.stderr[-2000:])
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lednews: error: "), out.stderr[-2000:]
    assert "Traceback" not in out.stderr
    return lines[0]


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("good") / "news.db"
    out = run_cli("crawl", "--mirror", str(SITES), "--site", "csa", "--db", str(db))
    assert out.returncode == 0, out.stderr[-2000:]
    return db


def _copy(src: Path, dst: Path) -> Path:
    c = sqlite3.connect(src)
    d = sqlite3.connect(dst)
    c.backup(d)  # a consistent single-file copy (WAL folded in)
    c.close()
    d.close()
    return dst


@pytest.mark.parametrize("text, problem", [
    ('[[source]]\nname = "acme\nstart_urls = ["https://acme.com/"]\n', "invalid TOML"),
    ('[[source]]\nname = "acme"\nstart_urls = "https://acme.com/"\n', "field 'start_urls'"),
    ('[[source]]\nname = "acme"\nstart_urls = ["ftp://acme.com/"]\n', "field 'start_urls'"),
    ('[[source]]\nname = "x\'; drop table articles;--"\nstart_urls = ["https://a.com/"]\n', "field 'name'"),
    ('[[source]]\nname = "acme"\nstart_urls = ["https://acme.com/"]\narticle_pattern = "(["\n', "bad regex"),
    ('[[source]]\nname = "acme"\nstart_urls = ["https://acme.com/"]\nmax_pages = "3"\n', "field 'max_pages'"),
    ("[[source]]\nname = 'ok'\n", "needs at least one of"),
])
def test_broken_sources_file_leaves_the_database_untouched(tmp_path: Path, good_db: Path, text: str,
                                                           problem: str) -> None:
    db = _copy(good_db, tmp_path / "news.db")
    before = _digest(db)
    toml = tmp_path / "sources.toml"
    toml.write_text(text)
    line = _one_line_error(run_lednews("crawl", "--sources", str(toml), "--db", str(db)))
    assert str(toml) in line and problem in line
    assert _digest(db) == before
    assert not Path(f"{db}-wal").exists()


def test_sources_file_that_is_not_utf8(tmp_path: Path) -> None:
    toml = tmp_path / "sources.toml"
    toml.write_bytes('[[source]]\nname = "测试"\n'.encode("gb18030") + b"\xff\xfe\n")
    line = _one_line_error(run_lednews("crawl", "--sources", str(toml), "--db", str(tmp_path / "n.db")))
    assert "cannot read sources file" in line
    assert not (tmp_path / "n.db").exists()


def test_garbage_database_file_is_refused_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    db.write_bytes(bytes(range(256)) * 64)
    before = _digest(db)
    line = _one_line_error(run_lednews("crawl", "--mirror", str(SITES), "--site", "csa", "--db", str(db)))
    assert "file is not a database" in line and str(db) in line
    line = _one_line_error(run_cli("summary", "--db", str(db)))
    assert "file is not a database" in line
    assert _digest(db) == before
    # nothing else written: at most the (released) run lock, taken before the check
    assert sorted(p.name for p in tmp_path.iterdir()) in (["news.db"], ["lednews.lock", "news.db"])


def test_damaged_database_pages_are_detected_before_any_request(tmp_path: Path, good_db: Path) -> None:
    db = _copy(good_db, tmp_path / "news.db")
    raw = bytearray(db.read_bytes())
    page = 4096
    assert len(raw) > 6 * page
    for i in range(3 * page, len(raw) - page, 7):  # scribble over every page but the header
        raw[i] = (raw[i] * 31 + 7) & 0xFF
    db.write_bytes(bytes(raw))
    before = _digest(db)
    line = _one_line_error(run_lednews("crawl", "--mirror", str(SITES), "--site", "csa", "--db", str(db)))
    assert "is corrupted" in line or "malformed" in line
    assert _digest(db) == before
    line = _one_line_error(run_cli("summary", "--db", str(db)))
    assert "malformed" in line or "corrupted" in line


def test_database_path_that_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "news.db").mkdir()
    line = _one_line_error(run_lednews("crawl", "--mirror", str(SITES), "--site", "csa",
                                       "--db", str(tmp_path / "news.db")))
    assert "cannot open database" in line


def test_malformed_setting_override(tmp_path: Path) -> None:
    line = _one_line_error(run_lednews("crawl", "--mirror", str(SITES), "--site", "csa",
                                       "--db", str(tmp_path / "n.db"), "-s", "DOWNLOAD_TIMEOUT"))
    assert "NAME=VALUE" in line
    assert not (tmp_path / "n.db").exists()


def test_storage_check_passes_on_a_good_database(good_db: Path, tmp_path: Path) -> None:
    s = Storage(_copy(good_db, tmp_path / "ok.db"))
    try:
        s.check()  # raises on a bad file, see above
        assert s.summary()["articles"] > 0
    finally:
        s.close()
    with pytest.raises(StorageError):
        Storage(tmp_path)  # a directory
