"""Per-article dedup features.

``Keys`` are small and stored (table ``dedup_features``): they drive candidate search
(MinHash LSH band keys, anchor tokens, dates) and the vetoes (figures and periods).
``Profile`` is the heavier view used to score a candidate pair (shingle set, content
terms, glosses); it is recomputed from the text when a new pair needs a score.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from aggregator.dedup.numbers import numbers, periods, years
from aggregator.dedup.tokens import (
    en_terms,
    lang_group,
    latin_anchors,
    shingles,
    simplify,
    zh_words,
)

__all__ = ["Keys", "Profile", "keys_for", "profile_for", "NUM_PERM", "BANDS", "ROWS",
           "FEATURE_VERSION"]

# Bump when the features below change, so stored keys are recomputed.
FEATURE_VERSION = 2
# LSH banding: 24 bands of 5 rows (120 permutations). A pair with shingle Jaccard 0.6
# becomes a candidate with p = 1-(1-0.6^5)^24 = 0.86, at 0.7 with p = 0.99, at 0.15 with
# p = 0.002 (datasketch's threshold maths; peers.md §3.2: syndicated copies sit > 0.8,
# spun copies 0.5-0.7 and are also reached by the anchor path).
BANDS, ROWS = 24, 5
NUM_PERM = BANDS * ROWS
# The lead that carries a story's key figures and periods: title + this many chars.
LEAD_CHARS = 400


@dataclass(frozen=True)
class Keys:
    id: str
    group: str  # "zh" or "en"
    lang: str | None
    day: int | None  # proleptic ordinal of the publish date
    wide: bool  # date unreliable (republished copy or no date): wide candidate window
    content_hash: str
    chars: int
    bands: tuple[int, ...] = ()
    anchors: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    lead_numbers: tuple[str, ...] = ()
    title_periods: tuple[str, ...] = ()
    title_years: tuple[str, ...] = ()

    def to_json(self) -> str:
        d = {f: getattr(self, f) for f in self.__dataclass_fields__}
        return json.dumps(d, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, s: str) -> Keys:
        d: dict[str, Any] = json.loads(s)
        fixed: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}
        return cls(**fixed)


@dataclass
class Profile:
    group: str
    shingles: set[str]
    terms: set[str]  # en: content stems; zh: jieba words
    glossed: list[frozenset[str]] = field(default_factory=list)  # zh: gloss stems per word
    names: set[str] = field(default_factory=set)  # pinyin / Latin names


def _day(published: str | None) -> int | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _template() -> Any:
    """Seeded permutations built once (building them per article cost 0.3 ms)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1)


def _band_keys(sh: set[str]) -> tuple[int, ...]:
    from datasketch import MinHash

    t = _template()
    m = MinHash(num_perm=NUM_PERM, seed=1, permutations=t.permutations, scheme=t.scheme)
    m.update_batch([s.encode("utf-8") for s in sorted(sh)])
    hv = m.hashvalues
    out = []
    for b in range(BANDS):
        chunk = hv[b * ROWS:(b + 1) * ROWS].tobytes()
        out.append(int.from_bytes(hashlib.blake2b(bytes([b]) + chunk, digest_size=7).digest(), "big"))
    return tuple(out)


def _zh_names(words: list[str]) -> set[str]:
    from aggregator.dedup.gloss import pinyin_name

    return {n for w in words if (n := pinyin_name(w))}


def keys_for(aid: str, title: str, text: str, lang: str | None, published: str | None,
             republished: bool, content_hash: str) -> tuple[Keys, list[str]]:
    """The stored keys, and the content terms (jieba words for Chinese; stored beside
    the keys so scoring a pair later does not segment the text again)."""
    full = f"{title}\n{text}"
    group = lang_group(lang, full)
    lead = full[: len(title) + 1 + LEAD_CHARS]
    anchors = latin_anchors(full, group)
    terms: list[str] = []
    if group == "zh":
        simp = simplify(full)
        terms = sorted(set(zh_words(simp)))
        anchors |= _zh_names(terms)
        sh = shingles(simp, group)
    else:
        sh = shingles(full, group)
    nums = numbers(full)
    day = _day(published)
    return Keys(
        id=aid, group=group, lang=lang, day=day, wide=republished or day is None,
        content_hash=content_hash, chars=len(text), bands=_band_keys(sh),
        anchors=tuple(sorted(anchors | {"#" + n for n in nums})),
        numbers=tuple(sorted(nums)), lead_numbers=tuple(sorted(numbers(lead))),
        title_periods=tuple(sorted(periods(title))), title_years=tuple(sorted(years(title))),
    ), terms


def profile_for(title: str, text: str, group: str, terms: list[str] | None = None) -> Profile:
    """Scoring view of one article; ``terms`` are the stored jieba words (zh)."""
    from aggregator.dedup.gloss import glosses

    full = f"{title}\n{text}"
    if group == "zh":
        simp = simplify(full)
        uniq = sorted(set(terms if terms is not None else zh_words(simp)))
        return Profile(group, shingles(simp, group), set(uniq),
                       [g for w in uniq if (g := glosses(w))],
                       _zh_names(uniq) | latin_anchors(full, group))
    return Profile(group, shingles(full, group), en_terms(full), [], latin_anchors(full, group))
