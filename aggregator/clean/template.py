"""Site-template learning: lines that recur across many pages of one source.

Menus, footers and disclaimers that no profile lists show up as the same line in
many articles of a source. ``learn`` finds them from the stored texts of one source;
``apply`` removes them from one article. Both are pure and deterministic (the result
depends only on the set of texts, never on their order), and ``apply`` has two
safeguards: it never removes a line that appears in the title, and it never removes
anything when that would leave the article shorter than ``MIN_KEEP_UNITS``.
Persistence (the ``site_templates`` table) and re-application live in storage.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from aggregator.text import normalize_for_hash, text_units

__all__ = ["TemplateLine", "learn", "apply", "line_key", "MIN_DOCS", "MIN_PAGES", "SHARE"]

# A source needs at least this many stored articles before anything is learned: with
# fewer, "recurring" means little (the mirror's smallest sources have 3 articles).
MIN_DOCS = 4
# A line is template when it appears in at least MIN_PAGES articles and in at least
# SHARE of the source's articles. Boilerplate the line cleaner misses recurs on every
# page (share 1.0); a source mixing zh and en pages halves that, hence 0.3. Three
# pages keeps one repeated quote between two sister articles from counting.
MIN_PAGES = 3
SHARE = 0.3
# Lines with fewer reading units than this are never learned: at one or two units
# ("Q:", "1.", "Next:", "Chat Online") recurring real text and chrome look alike, and the
# chrome among them is already covered by the line cleaner's phrases (the shortest
# strings of tests/fixtures/boilerplate.txt are 1-2 units).
MIN_LINE_UNITS = 3
# Never shrink an article below this many reading units (the pipeline's storage floor).
MIN_KEEP_UNITS = 30


@dataclass(frozen=True)
class TemplateLine:
    key: str  # normalize_for_hash(line)
    line: str  # the line as first seen (smallest article id)
    pages: int  # articles it appears in
    docs: int  # articles of the source at learning time

    @property
    def share(self) -> float:
        return self.pages / self.docs if self.docs else 0.0


def line_key(line: str) -> str:
    return normalize_for_hash(line)


def learn(docs: Iterable[tuple[str, list[str]]]) -> list[TemplateLine]:
    """Template lines of one source from ``(article_id, lines)`` pairs."""
    items = sorted(docs)
    df: Counter[str] = Counter()
    first: dict[str, str] = {}
    for _aid, lines in items:
        seen = set()
        for ln in lines:
            if text_units(ln) < MIN_LINE_UNITS:
                continue
            k = line_key(ln)
            if not k or k in seen:
                continue
            seen.add(k)
            df[k] += 1
            first.setdefault(k, ln)
    n = len(items)
    if n < MIN_DOCS:
        return []
    need = max(MIN_PAGES, SHARE * n)
    return sorted((TemplateLine(k, first[k], c, n) for k, c in df.items() if c >= need),
                  key=lambda t: (-t.pages, t.key))


def apply(lines: list[str], title: str, templates: dict[str, TemplateLine]) -> tuple[list[str], list[dict]]:
    """``(kept, log)``: template lines removed from ``lines``; ``log`` says what was
    removed and why, and what was kept although it matched, and why."""
    if not templates:
        return lines, []
    title_key = line_key(title) if title else ""
    kept: list[str] = []
    log: list[dict] = []
    removed: list[str] = []
    for ln in lines:
        t = templates.get(line_key(ln))
        if t is None:
            kept.append(ln)
        elif title_key and t.key in title_key:
            kept.append(ln)
            log.append({"line": ln, "rule": "template", "action": "kept",
                        "why": "the line appears in the title"})
        else:
            removed.append(ln)
            log.append({"line": ln, "rule": "template", "action": "removed",
                        "why": f"recurs in {t.pages} of {t.docs} articles of this source"})
    if removed and sum(text_units(k) for k in kept) < MIN_KEEP_UNITS:
        return lines, [{"line": ln, "rule": "template", "action": "kept",
                        "why": f"removing all template lines would leave under {MIN_KEEP_UNITS} units"}
                       for ln in removed]
    return kept, log
