"""Word segmentation for the stored search index (peers.md §4, recommendation 1-4).

The index stays portable: ``articles`` text is segmented here, in Python, and stored as
space-separated words in ``article_search``, which stock FTS5 (``unicode61``) indexes.
Any SQLite can then search it by words; our Datasette plugin only adds
``zh_fts_query(q)``, which segments a *query* the same way (``fts_query`` below).

Both sides use one jieba tokenizer with the LED user dictionary (``led_userdict.txt``),
Traditional folded to Simplified (OpenCC t2s) and Latin lower-cased, so index and query
agree. Pure functions apart from the lazily built tokenizer.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["segment", "fts_query", "clear_cache", "USER_DICT"]

USER_DICT = Path(__file__).with_name("led_userdict.txt")

_WORD = re.compile(r"\w")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# "MicroLED", "micro-LED", "μLED" are written all ways; index them all as "micro led".
_LED_NAMES = re.compile(r"\b(micro|mini|μ)[\s\-‐]?(led|oled)\b", re.IGNORECASE)
_QUOTED = re.compile(r'"([^"]*)"|(\S+)')
# jieba's cut_for_search puts a long word's dictionary sub-words (2- and 3-grams) just
# before the word itself, so two consecutive pieces of one query word can be up to 3
# index positions apart ("中华人民共和国": 人民 .. 共和 has 0, 共和 .. 国 via 共和国 1;
# the widest seen in the demo corpus was 2). NEAR allows this many per gap.
NEAR_PER_GAP = 3


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.load_userdict(str(USER_DICT))
    return tk


def normalize(text: str) -> str:
    """NFKC, Traditional -> Simplified, lower case, LED product names unified."""
    text = unicodedata.normalize("NFKC", text or "")
    if _CJK.search(text):  # the same OpenCC t2s, through its cache (the content hash converted this text)
        from aggregator.extract.language import to_simplified

        text = to_simplified(text)
    text = _LED_NAMES.sub(lambda m: ("micro" if m.group(1).lower() == "μ" else m.group(1).lower())
                          + " " + m.group(2).lower(), text)
    return text.lower()


def _words(tokens: Any) -> list[str]:
    return [t.strip() for t in tokens if _WORD.search(t)]


# Blocks of at most this many characters have their words cached: English words,
# numbers and short Chinese clauses repeat from article to article, long clauses do not.
# 40,000 entries of short words measured 9 MB; on 3,128 texts (tests/expected plus
# bench/dedup.py's generator) segmentation went from 4.36 to 2.15 s, same words (issue 8).
_CACHED_BLOCK = 16


@lru_cache(maxsize=40_000)
def _block_words(block: str) -> tuple[str, ...]:
    return tuple(_words(_tokenizer().cut_for_search(block)))


def clear_cache() -> None:
    """Drop the cached block words (memory back for whatever runs next)."""
    _block_words.cache_clear()


def _segment_words(text: str) -> list[str]:
    """``_words(cut_for_search(text))``, block by block: jieba cuts the runs its
    ``re_han_default`` matches independently and yields every other character alone,
    so splitting the same way first gives the same words and lets short runs be cached."""
    import jieba

    han = jieba.re_han_default
    out: list[str] = []
    for blk in han.split(text):
        if not blk:
            continue
        if han.match(blk):
            out.extend(_block_words(blk) if len(blk) <= _CACHED_BLOCK
                       else _words(_tokenizer().cut_for_search(blk)))
        else:
            out.extend(c for c in blk if _WORD.search(c))
    return out


def segment(text: str | None) -> str:
    """Index form of a text: jieba search-mode words separated by single spaces."""
    if not text:
        return ""
    return " ".join(_segment_words(normalize(text)))


def _pieces(word: str) -> list[str]:
    """Finest dictionary pieces of one query word: a Chinese word longer than two
    characters is replaced by its two-character sub-words when they cover it, because
    the index always holds those (search mode) while the long word may be cut
    differently in a longer sentence."""
    tk = _tokenizer()
    out: list[str] = []
    for w in _words(tk.cut(word)):
        if len(w) > 2 and _CJK.search(w):
            subs = [w[i:i + 2] for i in range(len(w) - 1) if tk.FREQ.get(w[i:i + 2])]
            covered = {i + k for i in range(len(w) - 1) if w[i:i + 2] in subs for k in (0, 1)}
            if len(covered) == len(w):
                # keep only a chain of non-overlapping pieces, left to right
                chain, i = [], 0
                while i < len(w):
                    if w[i:i + 2] in subs:
                        chain.append(w[i:i + 2])
                        i += 2
                    else:
                        chain.append(w[i - 1:i + 1] if i else w[i])
                        i += 1
                out.extend(chain)
                continue
        out.append(w)
    return out


def _group(tokens: list[str]) -> str:
    quoted = ['"' + t.replace('"', '""') + '"' for t in tokens]
    if len(quoted) == 1:
        return quoted[0]
    return f"NEAR({' '.join(quoted)}, {NEAR_PER_GAP * (len(quoted) - 1)})"


def fts_query(q: str | None) -> str:
    """An FTS5 MATCH expression for a user query.

    Space-separated parts must all match (AND). A part with Chinese is one group whose
    pieces must be near each other (a phrase, allowing search-mode sub-words in
    between); consecutive Latin words ("Micro LED", "UV-C") form one such group too;
    text in double quotes is always one group. Never raises: an empty query gives
    ``'""'``, which matches nothing."""
    groups: list[list[str]] = []
    latin_run: list[str] = []
    for m in _QUOTED.finditer(q or ""):
        quoted, bare = m.group(1), m.group(2)
        text = normalize(quoted if quoted is not None else bare)
        if quoted is None and not _CJK.search(text):
            latin_run.append(text)
            continue
        if latin_run:
            groups.append(_pieces(" ".join(latin_run)))
            latin_run = []
        groups.append(_pieces(text))
    if latin_run:
        groups.append(_pieces(" ".join(latin_run)))
    exprs = [_group(g) for g in groups if g]
    return " AND ".join(exprs) if exprs else '""'
