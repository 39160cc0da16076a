"""Reading a labelled set (``tests/entities/*.txt``) and scoring the tagger on it:
micro-averaged precision and recall of (article, entity) pairs, for companies and
topics, per language. Used by ``tests/test_entities_quality.py`` and ``bench/entities.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aggregator.entities.gazetteer import Gazetteer
from aggregator.entities.tagger import tag_article

__all__ = ["Labelled", "read_labelled", "score"]


@dataclass
class Labelled:
    id: str
    lang: str
    companies: set[str]
    topics: set[str]
    title: str
    text: str
    published: str | None = None
    line: int = 0


def _ids(value: str) -> set[str]:
    return {v.strip() for v in value.split(",") if v.strip()}


def read_labelled(path: str | Path) -> list[Labelled]:
    out: list[Labelled] = []
    cur: Labelled | None = None
    body: list[str] = []

    def close() -> None:
        if cur is not None:
            lines = [b for b in body if b.strip()]
            cur.title, cur.text = (lines[0] if lines else ""), "\n".join(lines[1:])
            out.append(cur)

    for n, raw in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
        if raw.startswith("### "):
            close()
            parts = [p.strip() for p in raw[4:].split("|")]
            fields = dict(p.split(":", 1) for p in parts[2:])
            cur = Labelled(parts[0], parts[1], _ids(fields.get("companies", "")),
                           _ids(fields.get("topics", "")), "", "",
                           (fields.get("date") or "").strip() or None, n)
            body = []
        elif cur is not None:
            body.append(raw)
        elif raw.strip() and not raw.startswith("#"):
            raise ValueError(f"{path}:{n}: text before the first ### header")
    close()
    return out


@dataclass
class _Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score(gaz: Gazetteer, items: Iterable[Labelled]) -> dict[str, dict[str, Any]]:
    """``{kind: {lang or "all": {"precision", "recall", "tp", "fp", "fn", "errors"}}}``
    for kind in company, topic."""
    counts: dict[tuple[str, str], _Counts] = {}
    for item in items:
        tags = tag_article(gaz, item.title, item.text, item.published)
        for kind, gold in (("company", item.companies), ("topic", item.topics)):
            got = {t.entity_id for t in tags if t.tagged and t.kind == kind}
            for lang in (item.lang, "all"):
                c = counts.setdefault((kind, lang), _Counts())
                c.tp += len(got & gold)
                c.fp += len(got - gold)
                c.fn += len(gold - got)
                if lang == "all":
                    c.errors += [f"{item.id}: +{e}" for e in sorted(got - gold)]
                    c.errors += [f"{item.id}: -{e}" for e in sorted(gold - got)]
    out: dict[str, dict[str, Any]] = {}
    for (kind, lang), c in sorted(counts.items()):
        out.setdefault(kind, {})[lang] = {"precision": round(c.precision, 3), "recall": round(c.recall, 3),
                                          "tp": c.tp, "fp": c.fp, "fn": c.fn, "errors": c.errors}
    return out
