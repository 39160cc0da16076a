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

__all__ = ["numbers", "figures", "periods", "years", "number_agreement", "alignment", "mantissas"]

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


# A figure followed by one of these is a specification (0.2W, 275nm, 6-inch, 85℃), not
# a measurement: consecutive reports on one product repeat their specs with new prices
# and shares, so specs are left out of the figure sequence the vetoes compare (they stay
# anchors). Seen in the hard labelled set's price reports (0.2W 2835 in every quarter).
_SPEC = re.compile(r"\s*(?:-?\s*(?:[mkμu]?W|V|nm|mm|μm|um|cm|K|Hz|kHz|lm(?:/W)?|nits?|inch(?:es)?|in\b|英寸|寸|"
                   r"纳米|毫米|微米|厘米|瓦|伏|尼特|流明|℃|°C|摄氏度|degrees?|[x×]\s*\d))", re.I)


_DAY_OF = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+$")


def _figures(text: str) -> list[tuple[str, bool]]:
    """Figures of ``text`` in order of appearance, each with "is a specification"."""
    out: list[tuple[str, bool]] = []
    s = _fold(text)
    for m in _NUM.finditer(s):
        whole, frac, mult, pct = m.group(1), m.group(2) or "", m.group(3), m.group(4)
        try:
            v = float(whole.replace(",", "") + frac)
        except ValueError:
            continue
        if pct:
            out.append((_sig(v) + "%", False))
            continue
        if mult:
            out.append((_sig(v * _MULT[mult.lower()]), False))
            continue
        if not frac and 1900 <= v <= 2099:
            continue  # a year
        if not frac and v < MIN_BARE:
            continue
        if not frac and v <= 31 and _DAY_OF.search(s, max(0, m.start() - 11), m.start()):
            continue  # "May 17": a date (5月17日 is skipped by the pattern itself)
        out.append((_sig(v), _SPEC.match(s, m.end()) is not None))
    return out


def numbers(text: str) -> set[str]:
    """Figures in ``text`` as keys: ``'2.6e+10'``, ``'27%'``; years excluded."""
    return {k for k, _ in _figures(text)}


def figures(text: str) -> tuple[set[str], tuple[str, ...]]:
    """``numbers(text)`` and the sequence of its measurements (specifications left out,
    a figure repeated right after itself kept once), in text order: the order a
    translation keeps and two different articles do not."""
    seq: list[str] = []
    keys: set[str] = set()
    for k, spec in _figures(text):
        keys.add(k)
        if not spec and (not seq or seq[-1] != k):
            seq.append(k)
    return keys, tuple(seq)


def mantissas(seq: tuple[str, ...]) -> tuple[str, ...]:
    """Figure keys without their power of ten (percentages kept whole): machine
    translation slips on 万/亿 multipliers (1万亿元 as "10,000 billion", 100亿 as "100
    million") change a figure's magnitude, not its digits (the mirror's three MT copies
    of CSA's 13th Five-Year plan article: 0.40-0.50 of figures agree as written, 1.0 by
    digits)."""
    out = []
    for k in seq:
        if k.endswith("%"):
            out.append(k)
            continue
        v = float(k)
        if v > 0:
            v /= 10 ** math.floor(math.log10(v))
        out.append(f"{v:.3g}")
    return tuple(out)


def alignment(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Longest common subsequence of two figure sequences over the shorter one's length
    (1.0 when either is empty): a translation or copy keeps its figures in order."""
    if not a or not b:
        return 1.0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1] / min(len(a), len(b))


def years(text: str) -> set[str]:
    """Years named in ``text``, also inside period codes: ``2Q26``, ``1H26``, ``FY26``,
    ``Q3'26``."""
    s = _fold(text)
    out = set(re.findall(r"(?<!\d)((?:19|20)\d\d)(?=\s*年|\b|[^\d])", s))
    out |= {"20" + y for y in re.findall(r"\b(?:[1-4]Q|[12]H|FY|Q[1-4]\s?['’])(\d\d)\b", s, re.I)}
    return out


_CN_ORD = {"一": "1", "二": "2", "三": "3", "四": "4", "1": "1", "2": "2", "3": "3", "4": "4"}
_EN_ORD = {"first": "1", "second": "2", "third": "3", "fourth": "4", "1st": "1", "2nd": "2",
           "3rd": "3", "4th": "4"}
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]


def _month(m: re.Match) -> str:
    """``M3`` for one month, ``M1-3`` for a cumulative range."""
    if m.group(1):
        a, b = m.group(1), m.group(2)
    else:
        a = str(_MONTHS.index(m.group(3)) + 1)
        b = str(_MONTHS.index(m.group(4)) + 1) if m.group(4) else None
    return f"M{a}-{b}" if b else f"M{a}"


_PERIOD_RX = [
    (re.compile(r"前三季度|first three quarters|(?:1-3|1~3)\s*Q|Q1\s*[-–]\s*Q3|nine months|9M", re.I), lambda m: "9M"),
    (re.compile(r"上半年|first half|\bH1\b|1H(?:\d\d)?\b", re.I), lambda m: "H1"),
    (re.compile(r"下半年|second half|\bH2\b|2H(?:\d\d)?\b", re.I), lambda m: "H2"),
    (re.compile(r"\bQ([1-4])\b|\b([1-4])Q(?:\d\d)?\b", re.I), lambda m: "Q" + (m.group(1) or m.group(2))),
    (re.compile(r"首季"), lambda m: "Q1"),
    (re.compile(r"第([一二三四1-4])季|([一二三四1-4])季度"),
     lambda m: "Q" + _CN_ORD[m.group(1) or m.group(2)]),
    (re.compile(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter", re.I),
     lambda m: "Q" + _EN_ORD[m.group(1).lower()]),
    # Months of monthly bulletins: 3月 / March 2026, not a day's date (3月2日, March 2).
    (re.compile(r"(?<![\d.])(1[0-2]|[1-9])\s*(?:[-~至到]\s*(1[0-2]|[1-9])\s*)?月(?!\s*\d|\s*[一二三四五六七八九十]+[日号號])|"
                r"\b(" + "|".join(_MONTHS) + r")(?:\s*[-–]\s*(" + "|".join(_MONTHS) + r"))?\b(?=,?\s+(?:19|20)\d\d)"),
     lambda m: _month(m)),
]


def periods(text: str) -> set[str]:
    """Reporting periods named in ``text`` (``Q1``..``Q4``, ``H1``, ``H2``, ``9M``, months
    ``M1``..``M12`` and cumulative ``M1-5``)."""
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
