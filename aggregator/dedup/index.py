"""Incremental story linking: a pass touches only what changed, with the stories a
whole-set pass (``link`` over every article) would give.

Why it can: ``link`` decides each connected component of the *link graph* on its own.
The graph's edges are the explicit links (switcher/hreflang, identical text, profile
siblings) and the candidate pairs whose score can join (kind other than ``none``, no
veto). Merging, vetoes between members, the mutual-best zh<->en choice and its margin
only ever compare articles joined by such edges, so a component whose edges did not
change keeps its stories. A pass therefore

1. reads the articles written since the last pass (``dedup_dirty``, kept by triggers);
2. finds the candidate pairs whose status can have changed, through the persistent
   index: the LSH buckets and anchor postings the changed articles were and are in.
   The candidate rules have caps (a crowded bucket is chained; a crowded anchor
   window is skipped), so a new article can also make or break a pair of two old
   ones: those buckets and postings are recomputed before and after, and every pair
   whose share changed is decided again from the index (``Candidacy``);
3. scores those pairs (cached per pair of texts, as before) and updates the graph;
4. re-links only the components that contain an article whose edges changed.

The index holds per article: its 24 band keys, its anchors with their dates, its
explicit-link fields (content hash, canonical URL, alternates, sibling key) and its
graph edges. A pass reads a bounded neighbourhood of each changed article (its buckets,
its anchors' postings within WIDE_DAYS, its components), never the whole set.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aggregator.dedup import candidates as C
from aggregator.dedup.candidates import Posting, chain_pairs, is_candidate, posting_counts
from aggregator.dedup.features import Keys
from aggregator.dedup.fingerprint import MIN_HASH_CHARS
from aggregator.dedup.pairs import PairScore
from aggregator.dedup.stories import ArticleRef, Edge, explicit_edges
from aggregator.dedup.urls import canonicalize_url

if TYPE_CHECKING:
    from aggregator.storage import Storage

__all__ = ["is_edge", "graph_edges", "Changes", "find_changes", "region", "explicit_changes",
           "Candidacy", "EXPLICIT_KINDS"]

EXPLICIT_KINDS = ("link", "exact", "sibling")
Pair = tuple[str, str]


def is_edge(ps: PairScore) -> bool:
    """A scored candidate pair ``link`` can use: a content link or a zh<->en option."""
    return ps.kind != "none" and not ps.veto


def graph_edges(explicit: Iterable[Edge], scores: Iterable[PairScore]) -> set[tuple[str, str, str]]:
    """Rows of ``dedup_graph``: explicit links (ends sorted) and matching candidate pairs."""
    out = {(min(a, b), max(a, b), kind) for a, b, kind in explicit if a != b}
    out |= {(ps.a, ps.b, "pair") for ps in scores if is_edge(ps)}
    return out


def _bands(k: Keys) -> set[int]:
    return {b << 56 | v for b, v in enumerate(k.bands)}


def _anchor_rows(k: Keys) -> list[tuple[str, int, str, int]]:
    return [(a, -1 if k.day is None else k.day, k.id, int(k.wide)) for a in k.anchors]


@dataclass
class Changes:
    """What one pass found: the pairs to decide again and the articles to re-link from."""
    pairs: set[Pair] = field(default_factory=set)  # candidate status or score may have changed
    touched: set[str] = field(default_factory=set)  # articles whose graph edges changed
    buckets: dict[int, list[str]] = field(default_factory=dict)  # new members of the changed buckets
    # Pairs of a changed article: every bucket and anchor they share was recounted, so
    # their candidacy needs no look-up: in a bucket's chain, shared-anchor totals.
    banded: set[Pair] = field(default_factory=set)
    near: dict[Pair, int] = field(default_factory=dict)
    far: dict[Pair, int] = field(default_factory=dict)

    def candidate(self, p: Pair) -> bool:
        """Candidacy of a pair with a changed article (exact, from the recounts)."""
        return p in self.banded or is_candidate(self.near.get(p, 0), self.far.get(p, 0))


class Candidacy:
    """Is a pair a candidate now? Decided from the index (after its update), exactly as
    ``candidate_pairs`` over the whole set would: any shared bucket whose chain holds
    the pair, or enough shared anchors within the windows the caps allow. Counts read
    with a LIMIT, so a crowded posting costs no more than a quiet one."""

    def __init__(self, storage: Storage, keys: Callable[[str], Keys], buckets: dict[int, list[str]]) -> None:
        self.s, self.keys = storage, keys
        self.buckets = dict(buckets)
        self.sizes: dict[str, int] = {}
        self.windows: dict[tuple[str, str], tuple[int, int]] = {}

    def _bucket(self, bkey: int) -> list[str]:
        got = self.buckets.get(bkey)
        if got is None:
            got = self.buckets[bkey] = self.s.bucket_members([bkey]).get(bkey, [])
        return got

    def _banded(self, kx: Keys, ky: Keys) -> bool:
        for b, (vx, vy) in enumerate(zip(kx.bands, ky.bands)):
            if vx != vy:
                continue
            ids = self._bucket(b << 56 | vx)
            try:
                i, j = ids.index(kx.id), ids.index(ky.id)
            except ValueError:
                continue
            if 0 < abs(i - j) <= C.BUCKET_CAP:
                return True
        return False

    def _window(self, anchor: str, k: Keys) -> tuple[int, int]:
        """(postings in the near window before k, postings in the far window), capped."""
        got = self.windows.get((anchor, k.id))
        if got is None:
            day = k.day or 0
            cap = C.ANCHOR_CAP + 1
            got = (self.s.count_before(anchor, day - C.NARROW_DAYS, day, k.id, cap),
                   self.s.count_days(anchor, day - C.WIDE_DAYS, day - C.NARROW_DAYS, cap))
            self.windows[(anchor, k.id)] = got
        return got

    def _contribution(self, anchor: str, kx: Keys, ky: Keys) -> tuple[int, int]:
        size = self.sizes.get(anchor)
        if size is None:
            size = self.sizes[anchor] = self.s.anchor_size(anchor, C.ANCHOR_CAP + 1)
        if size <= C.ANCHOR_CAP:
            near: dict[Pair, int] = {}
            far: dict[Pair, int] = {}
            posting_counts([(kx.id, kx.day, kx.wide), (ky.id, ky.day, ky.wide)], near, far)
            return (sum(near.values()), sum(far.values()))
        if kx.day is None or ky.day is None:
            return (0, 0)
        late, early = (kx, ky) if (kx.day, kx.id) > (ky.day, ky.id) else (ky, kx)
        gap = late.day - early.day  # type: ignore[operator]
        if gap > C.WIDE_DAYS:
            return (0, 0)
        n_near, n_far = self._window(anchor, late)
        if gap <= C.NARROW_DAYS:
            return (1, 0) if n_near <= C.ANCHOR_CAP else (0, 0)
        return (0, 1) if n_far <= C.ANCHOR_CAP else (0, 0)

    def __call__(self, a: str, b: str) -> bool:
        ka, kb = self.keys(a), self.keys(b)
        if self._banded(ka, kb):
            return True
        near = far = 0
        for anchor in sorted(set(ka.anchors) & set(kb.anchors)):
            n, f = self._contribution(anchor, ka, kb)
            near, far = near + n, far + f
            if is_candidate(near, far):
                return True
        return False


def _anchor_changes(storage: Storage, anchor: str, old_rows: list[tuple[int, str, int]],
                    new_rows: list[tuple[int, str, int]], changed: set[str], out: Changes) -> None:
    """Pairs whose count from ``anchor`` differs before and after (old state read
    before the index is updated). ``old_rows``/``new_rows``: the changed articles'
    postings of this anchor before and after."""
    removed = len(old_rows)
    size_old = storage.anchor_size(anchor, C.ANCHOR_CAP + 1 + removed)
    rest_small = size_old <= C.ANCHOR_CAP + removed  # exact: the posting is small
    size_new = size_old - removed + len(new_rows) if rest_small else None

    def as_posting(rows: Iterable[tuple[int, str, int]]) -> list[Posting]:
        return [(aid, None if day < 0 else day, bool(wide)) for day, aid, wide in rows]

    if rest_small and (size_old <= C.ANCHOR_CAP or (size_new or 0) <= C.ANCHOR_CAP):
        full = [r for r in storage.postings(anchor) if r[1] not in changed]
        before = as_posting(full + old_rows)
        after = as_posting(full + new_rows)
        sizes: tuple[int | None, int | None] = (None, None)
        days = None
    else:  # common both before and after: only the windows a changed date reaches
        ds = [d for d, _, _ in old_rows + new_rows if d >= 0]
        if not ds:
            return
        lo, hi = min(ds), max(ds)
        part = [r for r in storage.postings(anchor, lo - C.WIDE_DAYS, hi + C.WIDE_DAYS) if r[1] not in changed]
        before = as_posting(part + [r for r in old_rows if r[0] >= 0])
        after = as_posting(part + [r for r in new_rows if r[0] >= 0])
        sizes = (C.ANCHOR_CAP + 1, C.ANCHOR_CAP + 1)
        days = (lo, hi + C.WIDE_DAYS)
    counts = []
    for plist, size in ((before, sizes[0]), (after, sizes[1])):
        near: dict[Pair, int] = {}
        far: dict[Pair, int] = {}
        posting_counts(plist, near, far, size=size, x_days=days)
        counts.append((near, far))
    (n0, f0), (n1, f1) = counts
    # pairs whose count changed, and every pair of a changed article (its score may have);
    # a changed article's anchors are all recounted here, so its pairs' totals are exact
    for p in set(n0) | set(n1) | set(f0) | set(f1):
        mine = p[0] in changed or p[1] in changed
        if mine or n0.get(p, 0) != n1.get(p, 0) or f0.get(p, 0) != f1.get(p, 0):
            out.pairs.add(p)
        if mine:
            out.near[p] = out.near.get(p, 0) + n1.get(p, 0)
            out.far[p] = out.far.get(p, 0) + f1.get(p, 0)


def find_changes(storage: Storage, changed: list[str], keys: dict[str, Keys]) -> Changes:
    """Read the changed articles' old index rows, compute the pairs whose candidate
    status can have changed (the index is not written here). ``keys``:
    the current keys of the changed articles still stored (deleted ones are absent)."""
    out = Changes()
    cset = set(changed)
    old_bands = storage.band_rows(changed)
    old_anchor: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    for anchor, day, aid, wide in storage.anchor_rows(changed):
        old_anchor[anchor].append((day, aid, wide))
    new_anchor: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    for k in keys.values():
        for anchor, day, aid, wide in _anchor_rows(k):
            new_anchor[anchor].append((day, aid, wide))
    # Buckets: members before (as stored) and after.
    new_bands = {aid: _bands(k) for aid, k in keys.items()}
    affected = {b for bs in old_bands.values() for b in bs} | {b for bs in new_bands.values() for b in bs}
    members = storage.bucket_members(affected)
    joining: dict[int, list[str]] = defaultdict(list)
    for aid, bs in new_bands.items():
        for b in bs:
            joining[b].append(aid)
    for bkey in affected:
        before = members.get(bkey, [])
        after = sorted([a for a in before if a not in cset] + joining.get(bkey, []))
        out.buckets[bkey] = after
        if len(before) < 2 and len(after) < 2:
            continue
        old_p, new_p = set(chain_pairs(before)), set(chain_pairs(after))
        out.pairs |= old_p ^ new_p
        mine = {p for p in new_p if p[0] in cset or p[1] in cset}
        out.pairs |= mine
        out.banded |= mine
    # Anchors: counts before and after, over the posting or the windows a change reaches.
    for anchor in sorted(set(old_anchor) | set(new_anchor)):
        _anchor_changes(storage, anchor, old_anchor.get(anchor, []), new_anchor.get(anchor, []), cset, out)
    return out


def region(storage: Storage, start: set[str]) -> set[str]:
    """The articles of every graph component that holds one of ``start``, closed over
    sibling groups (the sibling rule chains a group in order, so ``explicit_edges``
    needs the whole group)."""
    seen: set[str] = set()
    frontier = set(start)
    while frontier:
        seen |= frontier
        nxt: set[str] = set()
        for a, b, _ in storage.graph_edges(frontier):
            nxt.add(a)
            nxt.add(b)
        state = storage.index_state(sorted(frontier))
        sib = {s[3] for s in state.values() if s[3]}
        if sib:
            nxt |= storage.sibling_members(sib)
        frontier = nxt - seen
    return seen


def explicit_changes(storage: Storage, changed: list[str], refs: dict[str, ArticleRef],
                     old_state: dict[str, tuple[str, int, str, str | None]],
                     stored: set[tuple[str, str, str]], sibling_gaps: dict[str, int] | None
                     ) -> tuple[set[tuple[str, str, str]], set[tuple[str, str, str]]]:
    """Explicit links to drop and to add (graph rows) after ``changed`` were written;
    read after the index update. Recomputed: the links of the changed articles, and the
    whole hash groups and sibling groups they were or are in (both rules chain a group
    from its first member, so one member can change every link of its group)."""
    cset = set(changed)
    hashes = {s[0] for s in old_state.values() if s[1]}
    hashes |= {r.content_hash for r in refs.values() if r.text_chars >= MIN_HASH_CHARS}
    hash_ids = {i for ids in storage.hash_members(hashes).values() for i in ids}
    groups = {s[3] for s in old_state.values() if s[3]}
    groups |= {r.sibling_key for r in refs.values() if r.sibling_key and r.sibling_seq is not None}
    sib_ids = storage.sibling_members(groups)
    near = set(cset) | hash_ids | sib_ids
    urls = {s[2] for s in old_state.values()} | {r.canonical_url for r in refs.values()}
    near |= storage.ids_linking_to(urls)
    alts = {canonicalize_url(u) for r in refs.values() for u in r.alternate_urls}
    near.update(storage.ids_by_canonical(alts).values())
    stored = stored | storage.graph_edges(near - cset)

    def mine(a: str, b: str, kind: str) -> bool:
        if kind == "link":
            return a in cset or b in cset
        if kind == "exact":
            return bool({a, b} & (hash_ids | cset))
        if kind == "sibling":
            return bool({a, b} & (sib_ids | cset))
        return False

    old = {e for e in stored if mine(*e)}
    near_refs = dict(refs)
    near_refs.update(storage.refs_for(sorted(near - set(refs))))
    by_id = {i: r for i, r in near_refs.items() if i in near}
    new = set()
    for a, b, kind in explicit_edges(sorted(by_id.values(), key=lambda r: r.id), MIN_HASH_CHARS, sibling_gaps):
        if a == b:
            continue
        if kind == "exact" and by_id[a].content_hash not in hashes:
            continue
        if kind == "sibling" and by_id[a].sibling_key not in groups:
            continue
        if kind == "link" and not {a, b} & cset:
            continue
        new.add((min(a, b), max(a, b), kind))
    return old - new, new - old
