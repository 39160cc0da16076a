"""The extraction metric (the fundus benchmark's word-shingle scoring), shared by the bench
and the quality gate: word 4-gram ("shingle") sets, per-page precision and recall,
averaged over pages, F1 of the two averages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["shingles", "page_scores", "Score", "aggregate"]

_WORD = re.compile(r"\w+")
N = 4  # shingle size fixed by the metric


def shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text)
    return {tuple(words[i:i + N]) for i in range(max(len(words) - N + 1, 0))}


def page_scores(pred: str, truth: str) -> tuple[float | None, float]:
    """(precision or None for an empty prediction, recall) of one page."""
    p, t = shingles(pred or ""), shingles(truth)
    if not p:
        return None, 0.0
    common = len(p & t)
    return common / len(p), (common / len(t) if t else 0.0)


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    pages: int
    empty: int


def aggregate(pairs: Iterable[tuple[float | None, float]]) -> Score:
    ps: list[float] = []
    rs: list[float] = []
    empty = 0
    for p, r in pairs:
        rs.append(r)
        if p is None:
            empty += 1
        else:
            ps.append(p)
    P = sum(ps) / len(ps) if ps else 0.0
    R = sum(rs) / len(rs) if rs else 0.0
    f1 = 2 * P * R / (P + R) if P + R else 0.0
    return Score(P, R, f1, len(rs), empty)
