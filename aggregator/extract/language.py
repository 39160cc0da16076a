"""Language of an article: en, zh-Hans or zh-Hant.

Restricted to the languages our sources publish in. Chinese vs English by the share
of CJK characters among letters; Traditional vs Simplified by how much of the text
OpenCC's t2s conversion changes.
"""

from __future__ import annotations

from aggregator.t2s import to_simplified
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
    if not any(map(str.isalpha, sample)):  # no letter at all (stops at the first one)
        return hint
    cjk = cjk_count(sample)
    if cjk == 0:
        return "en"
    # The share of CJK among letters is at least its share of all characters: when
    # that is enough, the letters need no counting (22 us on a 700-character Chinese
    # sample, a third of this function, issue 8). Float division rounds monotonically,
    # so the shortcut decides as the exact ratio would.
    if cjk / len(sample) < ZH_SHARE and cjk / _letters(sample) < ZH_SHARE:
        return "en"
    simplified = to_simplified(sample)
    changed = _changed(sample, simplified)
    return "zh-Hant" if changed / max(cjk, 1) >= HANT_SHARE else "zh-Hans"
