"""Small text helpers shared by the extractor, cleaner and dedup: language-aware.

Chinese has no spaces, so "length" here is never a whitespace word count: every
CJK character counts as one unit and every run of Latin letters/digits as one.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["collapse_ws", "cjk_count", "text_units", "normalize_for_hash"]

_WS = re.compile(r"[ \t\r\f\v\u00a0\u3000\u2002-\u200b\ufeff]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_RUN = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def collapse_ws(s: str) -> str:
    """Collapse runs of horizontal whitespace (incl. NBSP, ideographic space) to one space."""
    return _WS.sub(" ", s).strip()


def cjk_count(s: str) -> int:
    return len(_CJK.findall(s))


def text_units(s: str) -> int:
    """Length in reading units: CJK characters plus Latin words."""
    return cjk_count(s) + len(_LATIN_RUN.findall(s))


def normalize_for_hash(s: str) -> str:
    """NFKC, Traditional->Simplified, lower case, no whitespace or punctuation."""
    from aggregator.extract.language import to_simplified

    s = unicodedata.normalize("NFKC", s)
    s = to_simplified(s)
    return _NOT_WORD.sub("", s.lower())
