"""Language of an article: en, zh-Hans or zh-Hant.

Restricted to the languages our sources publish in. Chinese vs English by the share
of CJK characters among letters; Traditional vs Simplified by how much of the text
OpenCC's t2s conversion changes.
"""

from __future__ import annotations

from functools import lru_cache

from aggregator.text import cjk_count

__all__ = ["detect_language", "to_simplified"]

# A page is Chinese when CJK characters are at least this share of its letters.
# Chosen on the mirror: English MT pages carry < 2 % CJK (switchers, names); Chinese
# pages with English product names (Mini LED, COB) stay above 60 %.
ZH_SHARE = 0.30
# Traditional when t2s changes at least this share of CJK characters. Measured on the
# mirror's zh-Hant pages: 12-25 % change; zh-Hans pages: < 1 % (variant characters).
HANT_SHARE = 0.04
_SAMPLE = 1500  # characters examined; enough for a stable ratio, keeps opencc cheap


# One article's text and lines are converted by several stages (cleaning, content hash,
# search index, template learning: ~7 s of a 68 s crawl of 2,000 pages, pyinstrument);
# a crawl batch of 200 articles is ~2,500 strings, so the 4,096 latest are kept
# (measured: 16 MB when all are whole 650-character Chinese texts; issue 8).
@lru_cache(maxsize=4096)
def to_simplified(s: str) -> str:
    """OpenCC t2s (its phrase and character tables), exact, mostly at C speed."""
    from aggregator.extract.t2s import converter

    return converter()(s)


_ASCII_LETTERS = bytes(c for c in range(128) if chr(c).isalpha())


def _letters(s: str) -> int:
    """How many characters of ``s`` are letters (``str.isalpha``)."""
    if s.isascii():  # deleting the letters' bytes counts them in C
        raw = s.encode("ascii")
        return len(raw) - len(raw.translate(None, _ASCII_LETTERS))
    return sum(map(str.isalpha, s))


def _changed(a: str, b: str) -> int:
    """Positions where ``a`` and ``b`` differ (as zip pairs them). Equal 64-character
    slices are skipped by one C comparison: a Simplified page differs in few places."""
    n = 0
    for i in range(0, min(len(a), len(b)), 64):
        x, y = a[i:i + 64], b[i:i + 64]
        if x != y:
            n += sum(map(str.__ne__, x, y))
    return n


def detect_language(text: str, hint: str | None = None) -> str | None:
    sample = text[:_SAMPLE]
    letters = _letters(sample)
    if letters == 0:
        return hint
    cjk = cjk_count(sample)
    if cjk / letters < ZH_SHARE:
        return "en"
    simplified = to_simplified(sample)
    changed = _changed(sample, simplified)
    return "zh-Hant" if changed / max(cjk, 1) >= HANT_SHARE else "zh-Hans"
