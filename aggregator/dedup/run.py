"""One dedup pass over a database: keys for new texts, scores for new pairs, stories.

Incremental by construction: features are stored per article text and pair scores per
pair of texts, so a pass only tokenises new articles and scores pairs that involve
them. Linking is incremental too (``aggregator.dedup.index``): a pass reads the
articles written since the last one, finds the pairs they can change through the
persistent candidate index, and re-links only the graph components they touch, with
the stories a whole-set link would give. The whole-set link (``full=True``, ``lednews
dedup --rebuild``, or the first pass over a database without the index) is the
reference, and fills the index.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aggregator.dedup.features import (
    FEATURE_VERSION,
    Keys,
    Profile,
    _day,
    extract,
    keys_for,
    profile_for,
)
from aggregator.dedup.fingerprint import MIN_HASH_CHARS
from aggregator.dedup.index import (
    Candidacy,
    explicit_changes,
    find_changes,
    graph_edges,
    is_edge,
    region,
)
from aggregator.dedup.link import LinkResult, link
from aggregator.dedup.pairs import PairScore, score_pair
from aggregator.dedup.stories import ArticleRef, explicit_edges
from aggregator.dedup.tokens import release as release_segmenter

if TYPE_CHECKING:
    from aggregator.storage import Storage

__all__ = ["run_dedup", "link_stories", "DedupRun", "explain", "load_keys", "PairScorer", "Profiles"]


@dataclass
class DedupRun:
    written: int = 0
    articles: int = 0
    new_keys: int = 0
    candidates: int = 0
    new_pairs: int = 0
    profiles_built: int = 0  # scoring profiles built from stored text (not kept from keys)
    whole: bool = False  # linked the whole set (no index yet, or a rebuild)
    keep_segmenter: bool = False  # the caller runs more passes: keep the dictionary loaded
    relinked: int = 0  # articles of the graph components an incremental pass linked again
    seconds: dict[str, float] = field(default_factory=dict)
    links: dict[str, int] = field(default_factory=dict)  # accepted links per layer
    result: LinkResult | None = None


# Profiles kept between chunks of pairs, and from computing new articles' keys. Pairs are
# scored in date order, so an article's pairs are close together: on the 2,000-page
# mirror a cache of 1,000 builds each profile once (5,479 builds for 1,962 articles
# with the old per-chunk profiles). 6,000 holds every new article of a crawl in issue 8's
# range (2,000-5,000 new; at 4,000 the 5,000-page crawl rebuilt 2,354 profiles, 2.8 s).
# A profile is ~18 KB (tracemalloc over 1,000 mirror articles; 67 KB when shingles were
# strings), so a full cache is ~105 MB.
PROFILE_CACHE = 6000
PAIR_CHUNK = 2000  # pairs per text fetch and per pair-score write transaction


def _keys_row(aid: str, r: dict[str, Any]) -> tuple[Keys, list[str]]:
    return keys_for(aid, r["title"] or "", r["text"] or "", r["lang"], r["published"],
                    r["republished"] is not None, r["content_hash"] or "")


def _extract_row(aid: str, r: dict[str, Any]) -> tuple[Keys, list[str], Profile]:
    return extract(aid, r["title"] or "", r["text"] or "", r["lang"], r["published"],
                   r["republished"] is not None, r["content_hash"] or "")


class Profiles:
    """Bounded cache of scoring profiles, least recently used dropped first."""

    def __init__(self, cap: int | None = None) -> None:
        self.cap = PROFILE_CACHE if cap is None else cap
        self.items: OrderedDict[str, Profile] = OrderedDict()

    def get(self, aid: str) -> Profile | None:
        p = self.items.get(aid)
        if p is not None:
            self.items.move_to_end(aid)
        return p

    def put(self, aid: str, p: Profile) -> None:
        self.items[aid] = p
        self.items.move_to_end(aid)
        while len(self.items) > self.cap:
            self.items.popitem(last=False)


def _current(k: Keys, ref: ArticleRef | None) -> bool:
    """Stored keys still describe the article: same text (hash), date and language."""
    if ref is None:
        return True
    day = _day(ref.published)
    return k.content_hash == ref.content_hash and k.day == day and k.lang == ref.lang \
        and k.wide == (ref.republished or day is None)


def load_keys(storage: Storage, ids: list[str], hashes: dict[str, str], run: DedupRun,
              profiles: Profiles | None = None, known: dict[str, Keys] | None = None,
              refs: dict[str, ArticleRef] | None = None) -> dict[str, Keys]:
    """Stored keys of ``ids``; new ones computed and stored. Articles with a row
    for FEATURE_VERSION and their current content hash (written by an earlier pass or
    by ``features_row`` in a worker) are not touched again, unless ``refs`` show their
    date or language changed. ``known``: the ``Keys`` of
    stored rows, already parsed (the page worker made them; parsing the JSON again was
    0.17 s of the 2 s of linking after a 5,000-page crawl: cProfile)."""
    keys: dict[str, Keys] = {}
    known = known or {}
    refs = refs or {}
    for i in range(0, len(ids), 5000):
        for aid, (h, js) in storage.feature_rows(ids[i:i + 5000], FEATURE_VERSION).items():
            if hashes.get(aid) == h:
                k = known.get(aid)
                k = k if k is not None and k.content_hash == h else Keys.from_json(js)
                if _current(k, refs.get(aid)):
                    keys[aid] = k
    missing = [aid for aid in ids if aid not in keys]
    for i in range(0, len(missing), 1000):
        chunk = missing[i:i + 1000]
        rows = storage.article_texts(chunk)
        new = [_extract_row(aid, rows[aid]) for aid in chunk if aid in rows]
        storage.save_dedup_keys([(k.id, k.content_hash, k.to_json(), json.dumps(t, ensure_ascii=False))
                                 for k, t, _ in new], FEATURE_VERSION)
        for k, _, p in new:
            keys[k.id] = k
            if profiles is not None:
                profiles.put(k.id, p)
    run.new_keys += len(missing)
    return keys


class PairScorer:
    """Scores candidate pairs, reading cached scores and computing only new ones."""

    def __init__(self, storage: Storage, keys: dict[str, Keys], run: DedupRun,
                 profiles: Profiles | None = None) -> None:
        self.storage, self.keys, self.run = storage, keys, run
        self.profiles = profiles if profiles is not None else Profiles()

    def _profiles(self, ids: set[str]) -> dict[str, Profile]:
        out: dict[str, Profile] = {}
        for aid in ids:
            p = self.profiles.get(aid)
            if p is not None:
                out[aid] = p
        need = sorted(i for i in ids if i not in out)
        self.run.profiles_built += len(need)
        terms = self.storage.dedup_terms([i for i in need if self.keys[i].group == "zh"])
        for aid, r in self.storage.article_texts(need).items():
            out[aid] = profile_for(r["title"] or "", r["text"] or "", self.keys[aid].group,
                                   terms.get(aid))
        for aid in sorted(out):
            self.profiles.put(aid, out[aid])
        return out

    def _order(self, pair: tuple[str, str]) -> tuple:
        """Date order (undated last), so an article's pairs are scored close together."""
        da, db = self.keys[pair[0]].day, self.keys[pair[1]].day
        days = [d for d in (da, db) if d is not None]
        return (min(days) if days else 1 << 30, pair)

    def __call__(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], PairScore]:
        cached = self.storage.dedup_pair_rows(pairs)
        got: dict[tuple[str, str], PairScore] = {}
        todo = []
        for a, b in pairs:
            ka, kb = self.keys[a], self.keys[b]
            c = cached.get((a, b))
            if c and c[0] == ka.content_hash and c[1] == kb.content_hash:
                got[(a, b)] = PairScore(a, b, c[2], c[3], c[4], c[5], c[6])
            else:
                todo.append((a, b))
        del cached
        todo.sort(key=self._order)
        for i in range(0, len(todo), PAIR_CHUNK):
            chunk = todo[i:i + PAIR_CHUNK]
            prof = self._profiles({x for p in chunk for x in p})
            memo: dict[tuple[str, str], set[str]] = {}  # per chunk: the profiles are fixed
            rows = []
            for a, b in chunk:
                ka, kb = self.keys[a], self.keys[b]
                ps = score_pair(ka, prof.get(a), kb, prof.get(b), memo)
                got[(a, b)] = ps
                rows.append((a, b, ka.content_hash, kb.content_hash, ps.kind, ps.score,
                             ps.jaccard, ps.semantic, ps.veto))
            self.storage.save_dedup_pairs(rows)
        self.profiles.items.clear()
        self.run.new_pairs += len(todo)
        self.run.candidates += len(pairs)
        return {p: got[p] for p in pairs}


def link_stories(storage: Storage, sibling_gaps: dict[str, int] | None = None, full: bool = False,
                 known: dict[str, tuple[str, Profile, Keys]] | None = None) -> int:
    """``run_dedup``, returning the number of rows written (what the crawl logs)."""
    return run_dedup(storage, sibling_gaps, full=full, known=known).written


def run_dedup(storage: Storage, sibling_gaps: dict[str, int] | None = None,
              full: bool = False, known: dict[str, tuple[str, Profile, Keys]] | None = None,
              keep_segmenter: bool = False) -> DedupRun:
    """One story pass: incremental (only what changed since the last pass) when the
    database has its candidate index, else a whole-set link that builds it. ``full``:
    drop stored features, pair scores and the index first (``lednews dedup --rebuild``).
    ``known``: article id -> (content hash, scoring profile, keys) computed elsewhere
    (the crawl's page worker); used for articles whose stored content hash is that one.
    ``keep_segmenter``: keep the segmentation dictionary loaded after the pass (a bulk
    ingest runs one pass per batch; reloading it cost ~0.3 ms an article there)."""
    run = DedupRun(keep_segmenter=keep_segmenter)
    if full:
        storage.clear_dedup()
    with storage.db.atomic():
        storage.index_lock()  # the pass holds the write lock: no write slips between read and clear
        if full or not storage.index_built(FEATURE_VERSION):
            _whole(storage, sibling_gaps, known, run)
        else:
            _incremental(storage, sibling_gaps, known, run)
    return run


def _profiles_from(known: dict[str, tuple[str, Profile, Keys]] | None,
                   refs: Iterable[ArticleRef]) -> Profiles:
    profiles = Profiles()
    for ref in refs if known else ():
        got = known.get(ref.id)  # type: ignore[union-attr]
        if got is not None and got[0] == ref.content_hash:
            profiles.put(ref.id, got[1])
    return profiles


def _whole(storage: Storage, sibling_gaps: dict[str, int] | None,
           known: dict[str, tuple[str, Profile, Keys]] | None, run: DedupRun) -> None:
    """``link`` over every stored article (the reference), then the index filled from
    its keys, explicit links and scored candidates."""
    t0 = time.perf_counter()
    run.whole = True
    refs = storage.article_refs()
    run.articles = len(refs)
    profiles = _profiles_from(known, refs)
    keys = load_keys(storage, [r.id for r in refs], {r.id: r.content_hash for r in refs}, run,
                     profiles, {aid: got[2] for aid, got in known.items()} if known else None,
                     {r.id: r for r in refs})
    if not run.keep_segmenter:
        release_segmenter()  # linking reads stored words: its dictionary is not needed now
    t1 = time.perf_counter()
    result = link(refs, keys, PairScorer(storage, keys, run, profiles), sibling_gaps)
    t2 = time.perf_counter()
    run.written = storage.write_stories(result.mapping, result.stories)
    storage.index_clear()
    for i in range(0, len(refs), 5000):
        storage.index_insert(refs[i:i + 5000], keys, MIN_HASH_CHARS)
    storage.graph_insert(sorted(graph_edges(explicit_edges(refs, MIN_HASH_CHARS, sibling_gaps),
                                            result.scores.values())))
    storage.index_done(FEATURE_VERSION)
    run.result = result
    for _, _, kind in result.edges:
        run.links[kind] = run.links.get(kind, 0) + 1
    run.seconds = {"features": round(t1 - t0, 3), "link": round(t2 - t1, 3),
                   "write": round(time.perf_counter() - t2, 3)}


class _LazyKeys(dict):
    """Keys read from ``dedup_features`` on first use (computed if missing)."""

    def __init__(self, storage: Storage, run: DedupRun, profiles: Profiles) -> None:
        super().__init__()
        self.storage, self.run, self.profiles = storage, run, profiles

    def need(self, ids: Iterable[str]) -> None:
        missing = sorted(set(ids) - set(self))
        if missing:
            refs = self.storage.refs_for(missing)
            self.update(load_keys(self.storage, sorted(refs), {i: r.content_hash for i, r in refs.items()},
                                  self.run, self.profiles, None, refs))

    def __missing__(self, aid: str) -> Keys:
        self.need([aid])
        return dict.__getitem__(self, aid)


def _incremental(storage: Storage, sibling_gaps: dict[str, int] | None,
                 known: dict[str, tuple[str, Profile, Keys]] | None, run: DedupRun) -> None:
    t0 = time.perf_counter()
    changed = storage.dirty_ids()
    run.articles = len(changed)
    if not changed:
        run.seconds = {"features": 0.0, "link": 0.0, "write": 0.0}
        return
    refs = storage.refs_for(changed)
    profiles = _profiles_from(known, refs.values())
    keys = _LazyKeys(storage, run, profiles)
    keys.update(load_keys(storage, sorted(refs), {i: r.content_hash for i, r in refs.items()}, run,
                          profiles, {aid: got[2] for aid, got in known.items()} if known else None, refs))
    if not run.keep_segmenter:
        release_segmenter()
    tk = time.perf_counter()
    ckeys = {i: keys[i] for i in refs}
    # old state, then the index rewritten for the changed articles
    old_state = storage.index_state(changed)
    old_edges = storage.graph_edges(changed)
    ch = find_changes(storage, changed, ckeys)
    storage.index_replace(changed, refs, ckeys, MIN_HASH_CHARS)
    t1 = time.perf_counter()
    # explicit links
    drop, add = explicit_changes(storage, changed, refs, old_state, old_edges, sibling_gaps)
    touched = set(changed) | {x for e in drop | add for x in e[:2]}
    # candidate pairs: decide again, score, compare with the stored graph
    cset = set(changed)
    pair_edges_old = {e for e in old_edges if e[2] == "pair"}
    touched |= {x for e in pair_edges_old for x in e[:2]}
    deleted = cset - set(refs)
    pairs = sorted(p for p in ch.pairs if p[0] not in deleted and p[1] not in deleted)
    keys.need({x for p in pairs for x in p})
    cand = Candidacy(storage, keys.__getitem__, ch.buckets)
    live = [p for p in pairs if (ch.candidate(p) if p[0] in cset or p[1] in cset else cand(*p))]
    scores = PairScorer(storage, keys, run, profiles)(live)
    now_edges = {p for p in live if is_edge(scores[p])}
    was = {(a, b) for a, b, _ in pair_edges_old} | storage.has_pair_edges(
        p for p in pairs if p[0] not in cset and p[1] not in cset)
    drop |= {(a, b, "pair") for a, b in was - now_edges}
    add |= {(a, b, "pair") for a, b in now_edges - was}
    touched |= {x for e in drop | add for x in e[:2]}
    storage.graph_delete(drop)
    storage.graph_insert(add)
    # re-link the components that hold a touched article
    area = sorted(region(storage, touched - deleted) - deleted)
    t2 = time.perf_counter()
    rrefs = storage.refs_for(area)
    area_refs = [rrefs[i] for i in area if i in rrefs]
    keys.need(area)
    area_keys = {i: keys[i] for i in area}
    inside = {(a, b) for a, b, k in storage.graph_edges(area) if k == "pair"}
    result = link(area_refs, area_keys, PairScorer(storage, area_keys, run, profiles), sibling_gaps,
                  cands=sorted(inside))
    old_ids = {sid for sid in storage.story_ids(area).values() if sid} | {"s" + d for d in deleted}
    run.written = storage.write_region(result.mapping, result.stories, old_ids)
    storage.index_done(FEATURE_VERSION, changed)
    run.result = result
    run.relinked = len(area)
    for _, _, kind in result.edges:
        run.links[kind] = run.links.get(kind, 0) + 1
    run.seconds = {"features": round(tk - t0, 3), "index": round(t1 - tk, 3), "candidates": round(t2 - t1, 3),
                   "link": round(time.perf_counter() - t2, 3)}


def _relink(storage: Storage, sibling_gaps: dict[str, int] | None, ids: set[str]) -> LinkResult:
    """``link`` over the graph components of ``ids`` (as stored by the last pass)."""
    area = sorted(region(storage, ids))
    refs = storage.refs_for(area)
    run = DedupRun()
    keys = _LazyKeys(storage, run, Profiles())
    keys.need(area)
    area_keys = {i: keys[i] for i in area}
    inside = {(x, y) for x, y, k in storage.graph_edges(area) if k == "pair"}
    return link([refs[i] for i in area], area_keys, PairScorer(storage, area_keys, run), sibling_gaps,
                cands=sorted(inside))


def explain(storage: Storage, a: str, b: str, sibling_gaps: dict[str, int] | None = None,
            run: DedupRun | None = None) -> list[str]:
    """Why articles ``a`` and ``b`` are, or are not, one story (lines of text). ``run``:
    a pass already made over ``storage`` (else one is made). The decision is read from
    a link of the graph components of ``a`` and ``b`` (what a whole-set link decides for
    them: aggregator.dedup.index)."""
    if run is None:
        run = run_dedup(storage, sibling_gaps)
    res = _relink(storage, sibling_gaps, {a, b})
    refs = storage.refs_for([a, b])
    texts = storage.article_texts([a, b])
    ka, kb = (_keys_row(x, texts[x])[0] for x in (a, b))
    pa, pb = (profile_for(texts[x]["title"] or "", texts[x]["text"] or "", k.group)
              for x, k in ((a, ka), (b, kb)))
    ps = score_pair(ka, pa, kb, pb)
    same = res.mapping[a] == res.mapping[b]
    lines = [f"{x}: [{refs[x].lang or '?'}] {refs[x].source} {refs[x].published or 'undated'} "
             f"{refs[x].title[:70]}" for x in (a, b)]
    lines.append(f"verdict: {'ONE story' if same else 'DIFFERENT stories'} "
                 f"({res.mapping[a]}{'' if same else ' vs ' + res.mapping[b]})")
    direct = [e for e in res.edges if {e[0], e[1]} == {a, b}]
    for e in direct:
        lines.append(f"direct link: {e[2]}")
    from aggregator.dedup.candidates import candidate_pairs

    cand = tuple(sorted((a, b))) in candidate_pairs([ka, kb])
    lines.append(f"candidate by LSH bands or shared anchors: {'yes' if cand else 'no'} "
                 f"(shared anchors: {sorted(set(ka.anchors) & set(kb.anchors))[:12]})")
    lines.append(f"pair score: kind={ps.kind} score={ps.score:.3f} jaccard={ps.jaccard:.3f} "
                 f"semantic={ps.semantic:.3f}")
    lines.append(f"veto: {ps.veto or 'none'}")
    lines += _evidence(ka, kb, pa, pb)
    if not same and ps.ok:
        lines += _story_veto(res, a, b, keys_of=lambda x: _stored_keys(storage, x, res))
    for x in (a, b):
        ch = res.cross_choice.get(x)
        if ch:
            lines.append(f"{x} best other-language story: {ch[0]} via {ch[1]} "
                         f"(score {ch[2]:.3f}, second {ch[3]:.3f})")
    if same and not direct:
        path = sorted(e for e in res.edges if res.mapping.get(e[0]) == res.mapping[a])
        lines.append("joined through: " + ", ".join(f"{e[2]}:{e[0]}-{e[1]}" for e in path[:10]))
    return lines


def _evidence(ka: Keys, kb: Keys, pa: Profile, pb: Profile) -> list[str]:
    """The numbers behind the vetoes (issue 17), whether or not one fired."""
    from aggregator.dedup.numbers import alignment, number_agreement
    from aggregator.dedup.pairs import aligned_figures, own_text

    sa, sb = ka.figure_seq, kb.figure_seq
    lines = [f"lead periods: {list(ka.lead_periods)} vs {list(kb.lead_periods)}; lead years: "
             f"{list(ka.lead_years)} vs {list(kb.lead_years)}; title periods: {list(ka.title_periods)} vs "
             f"{list(kb.title_periods)}",
             f"measurements in order (digits): {list(sa)[:10]} vs {list(sb)[:10]}: agreement "
             f"{number_agreement(set(sa), set(sb)):.2f}, in line {alignment(sa, sb):.2f}"
             + ("; a translation variant by its figures" if ka.group == kb.group and aligned_figures(ka, kb) else "")]
    if ka.group == kb.group:
        n, fa, fb, sim = own_text(pa, pb)
        lines.append(f"sentences shared verbatim: {n}; own text {fa:.0%} / {fb:.0%}; own-text similarity "
                     + (f"{sim:.2f}" if sim >= 0 else "not needed"))
    return lines


def _stored_keys(storage: Storage, aid: str, res: LinkResult) -> Keys | None:
    texts = storage.article_texts([aid])
    return _keys_row(aid, texts[aid])[0] if aid in texts else None


def _story_veto(res: LinkResult, a: str, b: str, keys_of: Any) -> list[str]:
    """A direct pair that passes can still be kept apart because members of the two
    stories veto each other (link._Merger): name the first such pair."""
    from aggregator.dedup.pairs import veto

    sa, sb = res.mapping[a], res.mapping[b]
    ma = sorted(x for x, s in res.mapping.items() if s == sa)[:12]
    mb = sorted(x for x, s in res.mapping.items() if s == sb)[:12]
    cache: dict[str, Keys | None] = {}
    for x in ma:
        for y in mb:
            kx = cache[x] if x in cache else cache.setdefault(x, keys_of(x))
            ky = cache[y] if y in cache else cache.setdefault(y, keys_of(y))
            if kx is not None and ky is not None:
                why = veto(kx, ky)
                if why:
                    return [f"story-level veto: {x} (story {sa}) vs {y} (story {sb}): {why}"]
    return []
