"""Candidate pairs, sub-linear: LSH band buckets and anchor postings within a date window.

Every rule here is a function of the whole stored set, evaluated in sorted order, so
the candidates (and therefore the stories) are the same whatever order articles came in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from aggregator.dedup.features import Keys

__all__ = ["band_pairs", "anchor_pairs", "candidate_pairs", "posting_counts", "chain_pairs",
           "is_candidate", "NARROW_DAYS", "WIDE_DAYS"]

# A bucket with more members than this is chained (each member paired with the next
# BUCKET_CAP ids) instead of all pairs: keeps a 500-copy syndication burst linear.
BUCKET_CAP = 40
# Dated originals: versions of one story appear within this many days of each other
# (TrendForce EN/CN/TW and Semiconductor Today's rewrite: same day; CSA -> OFweek: 1-2).
NARROW_DAYS = 3
# Far window: republished or undated copies (B2B sites) carry the republish date; the
# mirror's three MT copies of one CSA story span 60 days, so allow half a year.
WIDE_DAYS = 180
# An anchor seen more often than this within one window is not distinctive there
# ("trendforce" on a busy week); it is skipped for that window. Bench: the mean anchor
# posting in a window is < 3 at 100 articles/day.
ANCHOR_CAP = 25
# Pairs sharing at least this many anchors are candidates (one shared name is chance).
MIN_SHARED = 2
# Dated pairs further apart than NARROW_DAYS (an MT copy posted weeks later by a site
# without a profile) need this many shared anchors: the labelled set's late MT copies
# share 5-12 figures and names with their original; unrelated same-season news <= 3.
MIN_SHARED_FAR = 4


def band_pairs(keys: Iterable[Keys]) -> set[tuple[str, str]]:
    """Pairs sharing an LSH bucket; one band at a time, so only one band's buckets are
    in memory (all 24 at once cost ~0.5 GB at 100k articles)."""
    ks = sorted(keys, key=lambda k: k.id)
    out: set[tuple[str, str]] = set()
    for band in range(max((len(k.bands) for k in ks), default=0)):
        members = [k for k in ks if band < len(k.bands)]
        values = [k.bands[band] for k in members]
        # Only values held by two or more articles make buckets (most are alone): counted
        # in C, then only their members gathered, still in id order.
        shared = {v for v, n in Counter(values).items() if n > 1}
        if not shared:
            continue
        buckets: dict[int, list[str]] = defaultdict(list)
        for v, k in zip(values, members):
            if v in shared:
                buckets[v].append(k.id)
        for ids in buckets.values():
            out.update(chain_pairs(ids))  # ids are sorted: ks is
    return out


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


Posting = tuple[str, "int | None", bool]  # (article id, day or None, wide)


def posting_counts(plist: list[Posting], near: dict[tuple[str, str], int],
                   far: dict[tuple[str, str], int], size: int | None = None,
                   x_days: tuple[int, int] | None = None) -> None:
    """Add one anchor's shared-anchor counts to ``near``/``far``. ``plist``: the
    anchor's postings (all of them; or, with ``x_days``, the dated ones of a day range
    of a posting of ``size`` > ANCHOR_CAP, counting only pairs whose later member's day
    is in ``x_days`` (aggregator.dedup.index: the range a change can reach)."""
    n = len(plist) if size is None else size
    if n < 2:
        return
    if n <= ANCHOR_CAP:  # rare anchor: every pair whose windows allow it
        for i, (xid, dx, xw) in enumerate(plist):
            loose = dx is None or xw
            for yid, dy, yw in plist[i + 1:]:
                p = (xid, yid) if xid < yid else (yid, xid)
                if loose or dy is None or yw:
                    # republished/undated copies: the date says nothing, names do
                    if dx is None or dy is None or abs(dx - dy) <= WIDE_DAYS:
                        near[p] = near.get(p, 0) + 1
                    continue
                gap = abs(dx - dy)  # type: ignore[operator]  # both dated: not loose
                if gap <= NARROW_DAYS:
                    near[p] = near.get(p, 0) + 1
                elif gap <= WIDE_DAYS:
                    far[p] = far.get(p, 0) + 1
        return
    # Common anchor: sliding windows over the dated postings, skipped where crowded.
    # Undated postings of a common anchor carry no date to narrow them: skipped.
    dated = sorted(((d, i) for i, d, _ in plist if d is not None))
    lo = lo_near = 0
    for i, (dx, xid) in enumerate(dated):
        while dated[lo][0] < dx - WIDE_DAYS:
            lo += 1
        while dated[lo_near][0] < dx - NARROW_DAYS:
            lo_near += 1
        if x_days is not None and not x_days[0] <= dx <= x_days[1]:
            continue
        if i - lo_near <= ANCHOR_CAP:
            for _, yid in dated[lo_near:i]:
                p = (xid, yid) if xid < yid else (yid, xid)
                near[p] = near.get(p, 0) + 1
        if lo_near - lo <= ANCHOR_CAP:
            for _, yid in dated[lo:lo_near]:
                p = (xid, yid) if xid < yid else (yid, xid)
                far[p] = far.get(p, 0) + 1


def is_candidate(near: int, far: int) -> bool:
    return near >= MIN_SHARED or near + far >= MIN_SHARED_FAR


def anchor_pairs(keys: Iterable[Keys]) -> set[tuple[str, str]]:
    """Pairs sharing >= MIN_SHARED anchors (names, figures) within NARROW_DAYS, or
    >= MIN_SHARED_FAR within WIDE_DAYS (or either undated / a republished copy)."""
    postings: dict[str, list[Posting]] = defaultdict(list)
    for k in keys:
        for a in k.anchors:
            postings[a].append((k.id, k.day, k.wide))
    # Shared-anchor counts per pair, in plain dicts (a Counter's missing-key hook is a
    # Python call per new pair) with the pair test inlined: 0.41 -> 0.30 s of CPU over
    # the keys of a 5,000-page crawl of bench/crawl.py's mirror.
    near: dict[tuple[str, str], int] = {}
    far: dict[tuple[str, str], int] = {}
    for plist in postings.values():
        posting_counts(plist, near, far)
    out = {p for p, n in near.items() if n >= MIN_SHARED}
    out |= {p for p, n in far.items() if n + near.get(p, 0) >= MIN_SHARED_FAR}
    return out


def chain_pairs(ids: list[str]) -> Iterator[tuple[str, str]]:
    """The pairs one LSH bucket makes: ``ids`` sorted, each paired with the next BUCKET_CAP."""
    for i, a in enumerate(ids):
        for b in ids[i + 1: i + 1 + BUCKET_CAP]:
            yield (a, b)


def candidate_pairs(keys: list[Keys]) -> set[tuple[str, str]]:
    return band_pairs(keys) | anchor_pairs(keys)
