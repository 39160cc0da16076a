"""Per-article dedup features.

``Keys`` are small and stored (table ``dedup_features``): they drive candidate search
(MinHash LSH band keys, anchor tokens, dates) and the vetoes (figures and periods).
``Profile`` is the heavier view used to score a candidate pair (shingle ids, content
terms, glosses); it is not stored: a pass builds it once per article that is in a new
pair (from the text, or while computing a new article's keys) and drops it after.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from aggregator.dedup.minhash import minhash_of_hashes
from aggregator.dedup.numbers import figures, mantissas, numbers, periods, years
from aggregator.dedup.tokens import (
    en_terms,
    en_words,
    joined_names,
    lang_group,
    latin_anchors,
    shingles,
    simplify,
    zh_words,
)

__all__ = ["Keys", "Profile", "keys_for", "profile_for", "extract", "features_row", "features_and_profile", "features_keys_and_profile", "preload", "NUM_PERM", "BANDS", "ROWS",
           "FEATURE_VERSION"]

# Bump when the features below change, so stored keys are recomputed.
FEATURE_VERSION = 3
# LSH banding: 24 bands of 5 rows (120 permutations). A pair with shingle Jaccard 0.6
# becomes a candidate with p = 1-(1-0.6^5)^24 = 0.86, at 0.7 with p = 0.99, at 0.15 with
# p = 0.002 (datasketch's threshold maths: docs/background.md#lsh-banding; unverified:
# syndicated copies sit > 0.8, spun copies 0.5-0.7 and are also reached by the anchor path).
BANDS, ROWS = 24, 5
NUM_PERM = BANDS * ROWS
# The lead that carries a story's key figures and periods: title + this many chars.
LEAD_CHARS = 400
# The lead whose reporting periods and years must agree: title + this many sentences
# (a translation keeps its sentences; 400 characters of Chinese are ~1,000 of English).
LEAD_SENTENCES = 2
LEAD_MAX = 600
# Figures kept in order for the alignment veto (the longest article of the hard
# labelled set has 14 measurements; a price table can have hundreds).
MAX_SEQ = 64
_SENT_END = re.compile(r"[。！？!?]|\.(?=\s)|\n")


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
    # issue 17: periods and years of the lead (title + first sentences), measurements in
    # order by their digits (numbers.mantissas)
    lead_periods: tuple[str, ...] = ()
    lead_years: tuple[str, ...] = ()
    figure_seq: tuple[str, ...] = ()

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
    # Sorted unique 64-bit ids of the shingles (SHA-1 bytes 4-12): 8 bytes each instead of
    # a string in a set, so each profile is built once per pass and kept (run.PairScorer).
    # Exact for Jaccard unless two distinct shingles of one pair share an id (p < 1e-12).
    shingles: np.ndarray
    terms: set[str]  # en: content stems; zh: jieba words
    glossed: list[frozenset[str]] = field(default_factory=list)  # zh: gloss stems per word
    names: set[str] = field(default_factory=set)  # pinyin / Latin names
    # The text the sentences come from (Simplified for Chinese): split only when a pair
    # is accepted by its scores (few pairs; splitting every article was 0.07 ms of its
    # 0.8 ms of features on bench/dedup.py's corpus).
    source: str = ""
    _sents: tuple[str, ...] | None = None

    @property
    def sents(self) -> tuple[str, ...]:
        """Normalised sentences (and quotes) of MIN_SENT+ characters, in order: a pair that
        shares some verbatim must still agree on the rest (issue 17, pairs.own_text_veto)."""
        if self._sents is None:
            self._sents = sentences(self.source, self.group)
        return self._sents


def _day(published: str | None) -> int | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


def _digests(sh: set[str]) -> tuple[np.ndarray, np.ndarray]:
    """One SHA-1 per shingle serves both uses: bytes 0-4 are datasketch's ``sha1_hash32``
    (the MinHash input), bytes 4-12 a 64-bit shingle id for the profile's exact-set
    comparisons (sorted, unique)."""
    sha1 = hashlib.sha1
    raw = np.frombuffer(b"".join([sha1(b).digest() for b in map(str.encode, sh)]),
                        dtype=np.uint8).reshape(-1, 20)
    h32 = raw[:, :4].copy().view("<u4").ravel().astype(np.uint32)
    ids = np.sort(raw[:, 4:12].copy().view("<u8").ravel())
    if len(ids) > 1 and not (ids[1:] != ids[:-1]).all():
        ids = np.unique(ids)  # two shingles of one text share an id: keep it once
    return h32, ids


_BAND_PREFIX = [bytes([b]) for b in range(BANDS)]
_BAND_BYTES = ROWS * 4  # ROWS uint32 values


def _band_keys(h32: np.ndarray) -> tuple[int, ...]:
    """Per band, 7 bytes of BLAKE2b over the band number and its rows' bytes."""
    raw = minhash_of_hashes(h32, NUM_PERM, seed=1).tobytes()
    blake2b, step = hashlib.blake2b, _BAND_BYTES
    return tuple([int.from_bytes(blake2b(_BAND_PREFIX[b] + raw[b * step:(b + 1) * step], digest_size=7).digest(),
                                 "big") for b in range(BANDS)])


def _zh_names(words: list[str]) -> set[str]:
    from aggregator.dedup.gloss import table

    return set(filter(None, map(table()[1].get, words)))  # pinyin_name of each word


# Sentence and quote boundaries; a quote is its own unit, so one shared quote is found
# whatever sentence each outlet wraps it in.
_SENT_SPLIT = re.compile(r"[。！？!?；;\n“”\"「」『』]|\.(?=\s)")
_NOT_WORD_NUL = re.compile(r"(?:[^\w\x00]|_)+")
MIN_SENT = 12


def sentences(text: str, group: str) -> tuple[str, ...]:
    """Sentences of ``text`` (already simplified for Chinese), lower case, punctuation
    dropped (Chinese: spaces too; English: words joined by one space), of MIN_SENT
    characters or more."""
    # Two passes over the whole text (boundaries to NUL, then punctuation runs between
    # them), not one substitution per sentence: half the time on bench/dedup.py's corpus.
    t = _NOT_WORD_NUL.sub("" if group == "zh" else " ", _SENT_SPLIT.sub("\x00", text.lower()))
    return tuple([x for x in map(str.strip, t.split("\x00")) if len(x) >= MIN_SENT])


def _joined(full: str, group: str) -> set[str]:
    return joined_names(full) if group != "zh" else set()


def _profile(group: str, sh_ids: np.ndarray, terms: list[str] | set[str], names: set[str],
             source: str = "") -> Profile:
    from aggregator.dedup.gloss import glosses

    if group == "zh":
        uniq = sorted(terms)
        return Profile(group, sh_ids, set(uniq), list(filter(None, map(glosses, uniq))), names, source)
    return Profile(group, sh_ids, set(terms), [], names, source)


def extract(aid: str, title: str, text: str, lang: str | None, published: str | None,
            republished: bool, content_hash: str) -> tuple[Keys, list[str], Profile]:
    """Keys, content terms and the scoring profile of one text, sharing the work
    (simplification, segmentation, shingle hashes, anchors) between them."""
    full = f"{title}\n{text}"
    group = lang_group(lang, full)
    lead = full[: len(title) + 1 + LEAD_CHARS]
    names = latin_anchors(full, group)
    terms: list[str] = []
    if group == "zh":
        simp = simplify(full)
        terms = sorted(set(zh_words(simp)))
        names |= _zh_names(terms)
        sh = shingles(simp, group)
        content: list[str] | set[str] = terms
        source = simp
    else:
        words = en_words(full)
        sh = shingles(full, group, words)
        content = en_terms(full, words)
        source = full
    h32, sh_ids = _digests(sh)
    nums, seq = figures(full)
    head = lead_of(title, text)
    day = _day(published)
    keys = Keys(
        id=aid, group=group, lang=lang, day=day, wide=republished or day is None,
        content_hash=content_hash, chars=len(text), bands=_band_keys(h32),
        anchors=tuple(sorted(names | {"#" + n for n in nums})),
        numbers=tuple(sorted(nums)), lead_numbers=tuple(sorted(numbers(lead))),
        title_periods=tuple(sorted(periods(title))), title_years=tuple(sorted(years(title))),
        lead_periods=tuple(sorted(periods(head))), lead_years=tuple(sorted(years(head))),
        figure_seq=mantissas(seq[:MAX_SEQ]),
    )
    return keys, terms, _profile(group, sh_ids, content, names | _joined(full, group), source)


def lead_of(title: str, text: str) -> str:
    """Title and the first LEAD_SENTENCES sentences of the text (at most LEAD_MAX chars)."""
    end, n = 0, 0
    for m in _SENT_END.finditer(text, 0, LEAD_MAX):
        if m.start() > end + 1:
            n += 1
            end = m.end()
            if n == LEAD_SENTENCES:
                break
        else:
            end = m.end()
    return f"{title}\n{text[: end if n == LEAD_SENTENCES else LEAD_MAX]}"


def preload() -> None:
    """Load the per-process tables ``extract`` needs (jieba's dictionary, CC-CEDICT's
    glosses, the Traditional->Simplified map: ~0.3 s of CPU together), e.g. in a page
    worker while it waits for its first page."""
    from aggregator.dedup.gloss import table
    from aggregator.dedup.segment import dictionary
    from aggregator.dedup.tokens import _t2s_table

    dictionary()
    table()
    _t2s_table()


def keys_for(aid: str, title: str, text: str, lang: str | None, published: str | None,
             republished: bool, content_hash: str) -> tuple[Keys, list[str]]:
    """The stored keys, and the content terms (jieba words for Chinese; stored beside
    the keys so scoring a pair later does not segment the text again)."""
    keys, terms, _ = extract(aid, title, text, lang, published, republished, content_hash)
    return keys, terms


def features_row(aid: str, content_hash: str, title: str, text: str, lang: str | None,
                 published: str | None = None, republished: bool = False
                 ) -> tuple[str, str, str, str]:
    """One article's ``dedup_features`` row for FEATURE_VERSION: ``(article_id,
    content_hash, keys_json, terms_json)``, as ``Storage.save_dedup_keys`` takes it.
    Pure and picklable (no Storage, no open files), so a worker process can compute it
    during a crawl; ``run_dedup`` then skips articles whose row is stored for this
    version and content hash."""
    return features_and_profile(aid, content_hash, title, text, lang, published, republished)[0]


def features_and_profile(aid: str, content_hash: str, title: str, text: str, lang: str | None,
                         published: str | None = None, republished: bool = False
                         ) -> tuple[tuple[str, str, str, str], Profile]:
    """``features_row`` and the article's scoring profile (``run_dedup(known=...)``)."""
    row, _keys, profile = features_keys_and_profile(aid, content_hash, title, text, lang, published, republished)
    return row, profile


def features_keys_and_profile(aid: str, content_hash: str, title: str, text: str, lang: str | None,
                              published: str | None = None, republished: bool = False
                              ) -> tuple[tuple[str, str, str, str], Keys, Profile]:
    """``features_row``, the ``Keys`` it holds as JSON and the scoring profile."""
    keys, terms, profile = extract(aid, title or "", text or "", lang, published, republished, content_hash)
    return (aid, content_hash, keys.to_json(), json.dumps(terms, ensure_ascii=False)), keys, profile


def profile_for(title: str, text: str, group: str, terms: list[str] | None = None) -> Profile:
    """Scoring view of one article; ``terms`` are the stored jieba words (zh)."""
    full = f"{title}\n{text}"
    names = latin_anchors(full, group)
    if group == "zh":
        simp = simplify(full)
        uniq = sorted(set(terms if terms is not None else zh_words(simp)))
        return _profile(group, _digests(shingles(simp, group))[1], uniq, names | _zh_names(uniq),
                        simp)
    words = en_words(full)
    return _profile(group, _digests(shingles(full, group, words))[1], en_terms(full, words),
                    names | _joined(full, group), full)
