"""Numbers and reporting periods, normalised so that Chinese and English agree.

``260亿美元`` and ``US$26 billion`` both become ``2.6e10``; ``4,500万只`` and ``45 million
units`` become ``4.5e7``; ``27%`` and ``27 percent`` become ``27%``. Years are kept apart
(they are periods, not figures). Periods: quarters (``Q3``, ``第三季度``, ``third
quarter``), halves (``H1``, ``上半年``) and nine-month totals (``前三季度``, ``first three
quarters``), which is how LEDinside/TrendForce/CSA reports differ from one another.
"""

from __future__ import annotations

import math
import re
import unicodedata

__all__ = ["numbers", "periods", "years", "number_agreement"]

_MULT = {
    "万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "百万": 1e6, "千万": 1e7,
    "萬億": 1e12, "億": 1e8, "萬": 1e4, "百萬": 1e6, "千萬": 1e7,
    "trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6,
    "thousand": 1e3,
}
# A figure: digits not glued to a word or a decimal point before them, then a fraction,
# a multiplier, a percent. The look-behind sits after the first digit (``\d(?<!X\d)`` is
# "no X before this digit"), so the pattern starts with a digit class and the regex
# engine skips to digits: 2.6x faster than the look-behind first, same matches
# (1,000 pages of bench/crawl.py's mirror).
_NUM = re.compile(
    r"(\d(?<![A-Za-z0-9.]\d)(?:\d{0,2}(?:,\d{3})+|\d*))(\.\d+)?(?!\s*[月日号號时時])\s*"
    r"(万亿|萬億|千万|千萬|百万|百萬|亿|億|万|萬|千|trillion\b|billion\b|bn\b|million\b|mn\b|thousand\b)?\s*"
    r"(%|percent\b|per cent\b|个百分点|percentage points?\b)?", re.I)
# Bare integers below this carry no identity ("1-2 companies", "3 lines").
MIN_BARE = 10


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _sig(v: float) -> str:
    """Three significant digits, so 7.05亿 and 705 million are one key."""
    if v == 0:
        return "0"
    digits = 3 - int(math.floor(math.log10(abs(v)))) - 1
    return f"{round(v, digits):.3g}"


def numbers(text: str) -> set[str]:
    """Figures in ``text`` as keys: ``'2.6e+10'``, ``'27%'``; years excluded."""
    out: set[str] = set()
    for m in _NUM.finditer(_fold(text)):
        whole, frac, mult, pct = m.group(1), m.group(2) or "", m.group(3), m.group(4)
        try:
            v = float(whole.replace(",", "") + frac)
        except ValueError:
            continue
        if pct:
            out.add(_sig(v) + "%")
            continue
        if mult:
            out.add(_sig(v * _MULT[mult.lower()]))
            continue
        if not frac and 1900 <= v <= 2099:
            continue  # a year
        if not frac and v < MIN_BARE:
            continue
        out.add(_sig(v))
    return out


def years(text: str) -> set[str]:
    return set(re.findall(r"(?<!\d)((?:19|20)\d\d)(?=\s*年|\b|[^\d])", _fold(text)))


_CN_ORD = {"一": "1", "二": "2", "三": "3", "四": "4", "1": "1", "2": "2", "3": "3", "4": "4"}
_EN_ORD = {"first": "1", "second": "2", "third": "3", "fourth": "4", "1st": "1", "2nd": "2",
           "3rd": "3", "4th": "4"}
_PERIOD_RX = [
    (re.compile(r"前三季度|first three quarters|(?:1-3|1~3|Q1-Q3|Q1–Q3)\s*Q?|nine months|9M", re.I), lambda m: "9M"),
    (re.compile(r"上半年|first half|\bH1\b|1H(?:\d\d)?\b", re.I), lambda m: "H1"),
    (re.compile(r"下半年|second half|\bH2\b|2H(?:\d\d)?\b", re.I), lambda m: "H2"),
    (re.compile(r"\bQ([1-4])\b|\b([1-4])Q(?:\d\d)?\b", re.I), lambda m: "Q" + (m.group(1) or m.group(2))),
    (re.compile(r"第([一二三四1-4])季|([一二三四1-4])季度"),
     lambda m: "Q" + _CN_ORD[m.group(1) or m.group(2)]),
    (re.compile(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter", re.I),
     lambda m: "Q" + _EN_ORD[m.group(1).lower()]),
]


def periods(text: str) -> set[str]:
    """Reporting periods named in ``text`` (``Q1``..``Q4``, ``H1``, ``H2``, ``9M``)."""
    s = _fold(text)
    out: set[str] = set()
    for rx, fn in _PERIOD_RX:
        for m in rx.finditer(s):
            out.add(fn(m))
        s = rx.sub(" ", s)  # 前三季度 must not also count as Q3
    return out


def number_agreement(a: set[str], b: set[str]) -> float:
    """Share of the smaller figure set found in the other (1.0 when either is empty)."""
    if not a or not b:
        return 1.0
    return len(a & b) / min(len(a), len(b))
