"""The repository stands alone: code and docs cite only documents inside it, and every
``docs/FILE.md#anchor`` they cite exists (GitHub's heading slugs)."""

from __future__ import annotations

import re
from pathlib import Path

from support import ROOT

_FILES = [p for d in ("aggregator", "spiders", "bench", "tests", "docs") for p in (ROOT / d).rglob("*")
          if p.suffix in (".py", ".md", ".toml") and p.is_file()] + [ROOT / "README.md", ROOT / "CHANGELOG.md"]
# Reference notes the project was started from live outside the repository; a newcomer
# has only the repo, so a citation of them is a dead end.
_OUTSIDE = re.compile(r"\.\./shared|/work/shared|\b(?:peers|companies|STYLE)\.md\b|(?<!docs/)\bsources\.md\s*§")


def _slug(heading: str) -> str:
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)  # GitHub keeps letters, digits, -, _ and spaces
    return s.replace(" ", "-")


def _anchors(doc: Path) -> set[str]:
    text = doc.read_text("utf-8")
    heads = {_slug(h) for h in re.findall(r"^#{1,6}\s+(.+?)\s*#*$", text, re.M)}
    return heads | set(re.findall(r'<a (?:name|id)="([^"]+)"', text))


def test_nothing_cites_documents_outside_the_repository() -> None:
    hits = [f"{p.relative_to(ROOT)}:{i}" for p in _FILES if p.name != Path(__file__).name
            for i, line in enumerate(p.read_text("utf-8", "replace").splitlines(), 1) if _OUTSIDE.search(line)]
    assert hits == []


def test_every_cited_docs_anchor_exists() -> None:
    cited = {(m.group(1), m.group(2)) for p in _FILES if p.name != Path(__file__).name
             for m in re.finditer(r"docs/([\w-]+\.md)#([\w-]+)", p.read_text("utf-8", "replace"))}
    assert len(cited) >= 20  # the code cites docs/sources.md and docs/background.md sections
    missing = [f"{d}#{a}" for d, a in sorted(cited)
               if not (ROOT / "docs" / d).is_file() or a not in _anchors(ROOT / "docs" / d)]
    assert missing == []
