"""The dedup pass: candidates -> pair scores -> accepted links -> stories.

Layers, cheapest first: explicit links and exact hashes (``stories.explicit_edges``);
same-language near-duplicates (LSH candidates, exact Jaccard check) and translation
variants (anchor candidates, content-term cosine); cross-language pairs, accepted only
as a mutual best match with a margin over the second-best story; vetoes on every
content layer. Pure: the caller supplies stored keys and a scorer (which may cache).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aggregator.dedup.candidates import candidate_pairs
from aggregator.dedup.features import Keys
from aggregator.dedup.pairs import MARGIN, MIN_HASH_CHARS, PairScore, veto
from aggregator.dedup.stories import (
    _UF,
    ArticleRef,
    Edge,
    Story,
    cluster,
    explicit_edges,
)

__all__ = ["LinkResult", "link", "SAME_LANGUAGE_KINDS"]

SAME_LANGUAGE_KINDS = ("exact", "near", "variant")
Scorer = Callable[[list[tuple[str, str]]], dict[tuple[str, str], PairScore]]


@dataclass
class LinkResult:
    mapping: dict[str, str]
    stories: list[Story]
    edges: list[Edge]
    scores: dict[tuple[str, str], PairScore]
    cross_choice: dict[str, tuple[str, str, float, float]]  # id -> (comp, partner, best, 2nd)


def _cross_choices(keys: dict[str, Keys], scores: dict[tuple[str, str], PairScore],
                   comp: Callable[[str], str], explicit_groups: dict[str, set[str]]
                   ) -> dict[str, tuple[str, str, float, float]]:
    """Per article: its best other-language story (component), best partner in it,
    best score and second-best score over *other* components."""
    per: dict[str, dict[str, tuple[float, str]]] = {}
    for (a, b), ps in scores.items():
        if ps.kind != "cross" or ps.veto:
            continue
        for x, y in ((a, b), (b, a)):
            if keys[y].group in explicit_groups.get(x, ()):
                continue  # x already has its publisher-linked version in that language
            cx, cy = comp(x), comp(y)
            if cx == cy:
                continue
            opts = per.setdefault(x, {})
            cur = opts.get(cy)
            if cur is None or (ps.score, _neg(y)) > (cur[0], _neg(cur[1])):
                opts[cy] = (ps.score, y)
    out: dict[str, tuple[str, str, float, float]] = {}
    for x, opts in per.items():
        ranked = sorted(opts.items(), key=lambda kv: (-kv[1][0], kv[0]))
        best_c, (best, partner) = ranked[0]
        second = ranked[1][1][0] if len(ranked) > 1 else 0.0
        out[x] = (best_c, partner, best, second)
    return out


def _neg(s: str) -> tuple[int, ...]:
    """Sort key making the smaller id win ties when compared with ``>``."""
    return tuple(-ord(c) for c in s)


_KIND_RANK = {"exact": 0, "near": 1, "variant": 2}


def _strength(ps: PairScore) -> tuple:
    """Strongest evidence first, so a weak link never pre-empts a strong one."""
    return (_KIND_RANK[ps.kind], -ps.score, ps.a, ps.b)


class _Merger:
    """Union-find that refuses a content link joining two stories when any of their
    members veto each other (different periods or figures), so look-alikes cannot be
    chained together through a third article. Checks at most REPS members per side."""

    REPS = 12  # members compared per side; stories past this size are syndication bursts

    def __init__(self, uf: _UF, keys: dict[str, Keys], refs: list[ArticleRef]) -> None:
        self.uf, self.keys = uf, keys
        self.members: dict[str, list[str]] = {}
        for r in refs:
            self.members.setdefault(uf.find(r.id), []).append(r.id)

    def join(self, a: str, b: str, exact: bool = False) -> bool:
        ra, rb = self.uf.find(a), self.uf.find(b)
        if ra == rb:
            return True
        ma, mb = self.members.get(ra, [a]), self.members.get(rb, [b])
        if not exact:
            for x in sorted(ma)[: self.REPS]:
                for y in sorted(mb)[: self.REPS]:
                    if x in self.keys and y in self.keys and veto(self.keys[x], self.keys[y]):
                        return False
        self.uf.union(a, b)
        self.members[self.uf.find(a)] = ma + mb
        return True


def link(refs: list[ArticleRef], keys: dict[str, Keys], scorer: Scorer,
         sibling_gaps: dict[str, int] | None = None,
         cands: list[tuple[str, str]] | None = None) -> LinkResult:
    """``cands``: the candidate pairs among ``refs`` when the caller knows them (an
    incremental pass links a few graph components: aggregator.dedup.index); by default
    ``candidate_pairs`` over ``refs``."""
    explicit = explicit_edges(refs, MIN_HASH_CHARS, sibling_gaps)
    if cands is None:
        cands = sorted(candidate_pairs([keys[r.id] for r in refs if r.id in keys]))
    scores = scorer(cands)
    edges: list[Edge] = list(explicit)
    uf = _UF()
    explicit_groups: dict[str, set[str]] = {}
    for a, b, kind in explicit:
        uf.union(a, b)
        if kind in ("link", "sibling") and a in keys and b in keys:
            explicit_groups.setdefault(a, set()).add(keys[b].group)
            explicit_groups.setdefault(b, set()).add(keys[a].group)
    merger = _Merger(uf, keys, refs)
    content = sorted((scores[p] for p in cands if scores[p].kind in SAME_LANGUAGE_KINDS
                      and not scores[p].veto), key=_strength)
    for ps in content:
        if merger.join(ps.a, ps.b, exact=ps.kind == "exact"):
            edges.append((ps.a, ps.b, ps.kind))
    choice = _cross_choices(keys, scores, uf.find, explicit_groups)
    crossed: set[Edge] = set()
    for x, (_, y, best, second) in sorted(choice.items()):
        back = choice.get(y)
        edge = (min(x, y), max(x, y), "cross")
        if back and back[0] == uf.find(x) and best - second >= MARGIN \
                and back[2] - back[3] >= MARGIN and edge not in crossed and merger.join(x, y):
            crossed.add(edge)
            edges.append(edge)
    mapping, stories = cluster(refs, edges)
    return LinkResult(mapping, stories, edges, scores, choice)
