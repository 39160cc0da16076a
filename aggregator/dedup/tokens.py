"""Language-aware tokens for dedup: English stems, Chinese words, shingles, anchors.

Chinese is never split on spaces: near-duplicate shingles are character 3-grams of
the Simplified text; content words come from jieba; English is split into words and
reduced by a small suffix stemmer (applied to CC-CEDICT glosses too, so both sides of a
zh<->en comparison meet in the same form).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from aggregator.dedup import segment as _segmenter

__all__ = ["joined_names", "lang_group", "stem", "en_words", "en_terms", "zh_words", "shingles",
           "latin_anchors", "simplify", "STOP"]

# Words: r"[a-z][a-z0-9]*(?:[-'][a-z0-9]+)*|\d+[a-z]+[a-z0-9]*" matched ignoring case,
# written case-sensitively: under re.I the class [a-z] also takes the four non-ASCII
# letters whose case maps into ASCII (İ ı ſ K), listed here so the matches are the same
# on any text (tests/test_dedup_perf.py checks every code point); a third less time.
_LATIN_I = "A-Za-z\u0130\u0131\u017f\u212a"
_EN_WORD = re.compile(f"[{_LATIN_I}][{_LATIN_I}0-9]*(?:[-'][{_LATIN_I}0-9]+)*|\\d+[{_LATIN_I}]+[{_LATIN_I}0-9]*")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9]|[0-9]+[A-Za-z]+[A-Za-z0-9]*")
_KEEP = re.compile(r"[\w]+", re.UNICODE)
_CJK_ONLY = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")

# Function words plus words every LED-industry article carries; none of them tells
# two stories apart. Drawn from the mirror's most frequent English stems.
STOP = frozenset("""
a an the and or of to in on at by for with from as is are was were be been being it its
this that these those than then there their they them he she his her we our you your
not no but if so such into over under up down out about after before between during
per via also will would can could may might should shall has have had do does did
which who whom whose what when where while how all any both each few more most other
some own same very just only new one two three four five six seven eight nine ten
year years month months day days said says say according report reports reported
led leds lighting light lights industry industries market markets company companies
china chinese global world product products percent per cent yuan rmb usd us inc ltd
co corp group first second third fourth last next well since through
""".split())


def lang_group(lang: str | None, text: str = "") -> str:
    """``zh`` for both scripts, ``en`` otherwise (unknown: guessed from CJK share)."""
    if lang:
        return "zh" if lang.startswith("zh") else lang.split("-")[0]
    from aggregator.extract.language import detect_language

    guess = detect_language(text) or "en"
    return "zh" if guess.startswith("zh") else guess


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light English suffix stemmer: plurals, -ing, -ed, -ly, -ment, -ation."""
    w = word.lower().strip("'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return w
    for suf, rep, minlen in (("ies", "y", 5), ("sses", "ss", 5), ("ations", "", 8),
                             ("ation", "", 7), ("ments", "", 7), ("ment", "", 6),
                             ("ingly", "", 7), ("ing", "", 6), ("edly", "", 6), ("ed", "", 5),
                             ("ers", "", 6), ("er", "", 6), ("ly", "", 5), ("es", "", 5),
                             ("s", "", 4)):
        if w.endswith(suf) and len(w) >= minlen and not w.endswith("ss"):
            return w[: len(w) - len(suf)] + rep
    return w


def en_words(text: str) -> list[str]:
    """Lower-cased words of the NFKC text. Lowered in one call over the words joined by
    newlines (no word holds one): ``str.lower`` maps character by character, its one
    context rule (a final sigma) concerns a letter no word can hold."""
    found = _EN_WORD.findall(unicodedata.normalize("NFKC", text))
    return "\n".join(found).lower().split("\n") if found else []


# word -> its content stem, or None when the word is no content term (short, a stop
# word, or its stem is one); cleared past this many words, as ``stem``'s cache (the
# 5,000-page mirror of bench/crawl.py has 7,521 distinct English words, bench/dedup.py's
# 10k corpus 7,369).
_TERMS_MAX = 200_000
_terms: dict[str, str | None] = {}


def _term(w: str) -> str | None:
    if len(w) <= 2 or w in STOP:
        return None
    s = stem(w)
    return None if s in STOP else s


def en_terms(text: str, words: list[str] | None = None) -> set[str]:
    """Content stems of English text (stop words and one/two-letter words dropped);
    ``words``: ``en_words(text)`` when the caller has it already."""
    ws = en_words(text) if words is None else words
    known = _terms
    new = set(ws).difference(known)
    if new:
        if len(known) + len(new) > _TERMS_MAX:
            known.clear()
            new = set(ws)
        for w in new:
            known[w] = _term(w)
    out = set(map(known.__getitem__, ws))
    out.discard(None)
    return out  # type: ignore[return-value]


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    """OpenCC's Traditional->Simplified *character* table as a str.translate map.
    Phrase-level conversion (opencc.convert) is ~40x slower and changes nothing that
    matters for shingles and segmentation (measured by bench/dedup.py profiling)."""
    from pathlib import Path

    import opencc

    table: dict[int, str] = {}
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    for line in path.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            table[ord(parts[0])] = parts[1].split(" ")[0]
    return table


def simplify(text: str) -> str:
    """NFKC, then Traditional->Simplified character by character."""
    return unicodedata.normalize("NFKC", text).translate(_t2s_table())


def release() -> None:
    """Drop the segmentation dictionary and caches (reloaded on next use, ~0.2 s)."""
    _block_words.cache_clear()
    _segmenter.release()


# Words of recently seen blocks. Copies are what dedup exists for, and a syndicated or
# Traditional-script copy repeats its original's blocks: 27 % of the Chinese characters
# of the labelled set (tests/stories_data.py) and 23 % of bench/dedup.py's corpus are in
# a block seen before. 20,000 entries measured 19.5 MB together with the per-word log
# table the segmenter kept then (tracemalloc over the bench corpus's 4,127 Chinese
# texts; 34 % of block look-ups hit); that table is gone, the scores are in segment.py's.
@lru_cache(maxsize=20_000)
def _block_words(block: str) -> tuple[str, ...]:
    table, _, neg_logtotal = _segmenter.dictionary()
    words = _segmenter.segment(block, table, neg_logtotal)
    if _CJK_ONLY.match(block):  # most blocks: every word is CJK, no need to look
        return tuple(words)
    return tuple(w for w in words if _CJK_ONLY.match(w))


def zh_words(simplified: str) -> list[str]:
    """jieba words (two CJK characters or more) of already simplified text, in order:
    ``jieba.lcut(simplified, HMM=False)`` filtered, computed by ``segment.segment``.
    The blocks are the pattern's matches (jieba splits on its capturing group and
    segments the parts that match: the same strings)."""
    out: list[str] = []
    words = _block_words
    for blk in _segmenter.dictionary()[1].findall(simplified):
        out += words(blk)
    return out


def shingles(text: str, group: str, words: list[str] | None = None) -> set[str]:
    """Near-duplicate shingles: char 3-grams (zh, of simplified text) or word 3-grams
    (``words``: ``en_words(text)`` when the caller has it already)."""
    if group == "zh":
        s = "".join(_KEEP.findall(text.lower()))
        return {s[i:i + 3] for i in range(max(len(s) - 2, 1))}
    w = en_words(text) if words is None else words
    if len(w) < 3:
        return {" ".join(w)}
    return set(map(" ".join, zip(w, w[1:], w[2:])))


def latin_anchors(text: str, group: str) -> set[str]:
    """Names and product codes: Latin tokens in Chinese text; in English text tokens
    that are capitalised mid-sentence, all-caps or carry digits (TrendForce, InP, 1.6T)."""
    s = unicodedata.normalize("NFKC", text)
    out: set[str] = set()
    if group == "zh":
        for t in _LATIN_TOKEN.findall(s):
            lw = t.lower()
            if len(lw) > 1 and lw not in STOP:
                out.add(lw)
        return out
    matches = list(_LATIN_TOKEN.finditer(s))
    # Tokens hold ASCII letters only, at least one: all lower case is ``islower``.
    for m, t in zip(matches, map(re.Match.group, matches)):
        if t.islower():
            continue  # all lower case: an ordinary word
        lw = t.lower()
        if len(lw) < 2 or lw in STOP:
            continue
        if t[1:] != lw[1:] or not t[0].isalpha():
            out.add(lw)  # ACRONYM, CamelCase, digits
            continue
        i = m.start() - 1
        while i >= 0 and s[i] in " \t":
            i -= 1
        if i >= 0 and s[i] not in '.!?\n"“':
            out.add(lw)  # Capitalised mid-sentence: a name
    return out


# Two or three capitalised pinyin syllables in a row (one name written in syllables: "Hua
# Can", "Su Qian", "Ai Bi Sen"), or a name with an apostrophe ("San'an", "E'zhou").
_NAME_RUN = re.compile(r"\b[A-Z][a-z]{0,5}(?:[ -][A-Z][a-z]{0,5}){1,2}\b|\b[A-Z][a-z]*['’][a-z]+\b")
_PINYIN = re.compile(r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:a|ai|an|ang|ao|e|ei|en|eng|er|i|ia|ian|"
                     r"iang|iao|ie|in|ing|iong|iu|o|ong|ou|u|ua|uai|uan|uang|ue|ui|un|uo)")


def joined_names(text: str) -> set[str]:
    """Names written in pinyin syllables, as one word, so a transliteration in syllables
    meets the pinyin of the Chinese name (宿迁 -> "suqian") and the other translation's
    spelling ("Hua Can" / "Huacan", "Nan Chang" / "Nanchang", "San'an" / "Sanan").
    Scoring only, not anchors (issue 17)."""
    out = set()
    for m in _NAME_RUN.finditer(text):
        g = m.group(0)
        if "'" not in g and "’" not in g:
            if not all(_PINYIN.fullmatch(w) for w in re.split(r"[ -]", g.lower())):
                continue
        out.add(re.sub(r"[ '’-]", "", g).lower())
    return out
