"""Stages call downward only (issue 18): storage does not import dedup or extraction,
the text helpers import no stage. Read from the source (imports inside functions
count too), so a cycle cannot come back unnoticed."""

from __future__ import annotations

import ast
from pathlib import Path

from support import ROOT

PKG = ROOT / "aggregator"


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_storage_imports_neither_dedup_nor_extraction() -> None:
    files = sorted((PKG / "storage").glob("*.py"))
    assert len(files) >= 8
    bad = {f.name: sorted(m for m in _imports(f) if m.startswith(("aggregator.dedup", "aggregator.extract")))
           for f in files}
    assert {k: v for k, v in bad.items() if v} == {}


def test_text_helpers_import_no_stage() -> None:
    stages = ("aggregator.extract", "aggregator.clean", "aggregator.dedup", "aggregator.storage")
    for name in ("text.py", "html.py", "t2s.py", "urls.py", "items.py"):
        got = sorted(m for m in _imports(PKG / name) if m.startswith(stages))
        assert got == [], (name, got)
