"""Bulk ``lednews ingest`` (issue 14): the dedup features of each batch computed in a
worker process while the batch before is stored and linked give the same database as
computing them in the story passes; a URL repeated in a later batch is still caught."""

from __future__ import annotations

import json
from pathlib import Path

from aggregator.dedup.ingest import ingest_file
from aggregator.storage import Storage
from stories_data import articles

TABLES = ("select id, story_id, content_hash, text from articles order by id",
          "select * from stories order by id",
          "select article_id, content_hash, keys, terms from dedup_features order by article_id",
          "select * from dedup_pairs order by a, b",
          "select * from dedup_graph order by 1, 2, 3")


def _ingest(tmp_path: Path, name: str, lines: list[dict], workers: int) -> tuple[object, list]:
    f = tmp_path / f"{name}.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), "utf-8")
    s = Storage(tmp_path / f"{name}.db")
    try:
        rep = ingest_file(f, s, {}, {}, workers=workers, batch_size=9)
        rows = [s.db.execute(q).fetchall() for q in TABLES]
    finally:
        s.close()
    return rep, rows


def test_features_in_a_worker_give_the_same_database(tmp_path: Path) -> None:
    lines = [{k: v for k, v in a.items() if k not in ("story", "role")} for a in articles()]
    lines.insert(40, dict(lines[3]))  # a URL again, batches after its first line
    with_worker, rows_w = _ingest(tmp_path, "worker", lines, workers=1)
    alone, rows_a = _ingest(tmp_path, "alone", lines, workers=0)
    assert rows_w == rows_a
    assert len(rows_w[0]) == len(lines) - 1 and len(rows_w[2]) == len(lines) - 1
    assert len(rows_w[1]) < len(rows_w[0])  # some articles were linked into stories
    for rep in (with_worker, alone):
        assert rep.errors == [(41, f"duplicate URL in this file: {lines[3]['url']}")]  # type: ignore[attr-defined]
        assert rep.new == len(lines) - 1  # type: ignore[attr-defined]


def test_cli_workers_option(tmp_path: Path) -> None:
    """``lednews ingest --workers 0`` runs in one process and stores the same articles."""
    from support import run_lednews

    lines = [{k: v for k, v in a.items() if k not in ("story", "role")} for a in articles()[:12]]
    f = tmp_path / "few.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), "utf-8")
    proc = run_lednews("ingest", str(f), "--db", str(tmp_path / "one.db"), "--workers", "0")
    assert proc.returncode == 0, proc.stderr
    assert "12 new" in proc.stdout
    bad = run_lednews("ingest", str(f), "--db", str(tmp_path / "one.db"), "--workers", "x")
    assert bad.returncode == 2 and "--workers" in bad.stderr
