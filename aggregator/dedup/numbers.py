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


_MONTH_ALT = "|".join(_MONTHS)
# One pass over the text: the alternatives are tried in this order at each position and
# the leftmost match wins, so 前三季度 is 9M and not also Q3, "1-3Q" is 9M, "first half"
# is H1 (the same results as applying the patterns one after another and blanking each
# one's matches, in one scan instead of eight: periods of the lead are taken for every
# article). Months: 3月 / March 2026, not a day's date (3月2日, March 2); month names are
# matched case-sensitively ("may" is a verb).
_PERIOD = re.compile(
    # first a look at the one character any alternative starts with: most positions fail
    # here at once instead of in each of the ten alternatives (4x faster on leads)
    r"(?=[\d前上下首第一二三四]|\b[QqHhFfSsTtNnJjMmAaOoDd])(?:"
    r"(?P<nine>前三季度|(?i:first three quarters|(?:1-3|1~3)\s*Q|Q1\s*[-–]\s*Q3|nine months|9M))"
    r"|(?P<h1>上半年|(?i:first half|\bH1\b|1H(?:\d\d)?\b))"
    r"|(?P<h2>下半年|(?i:second half|\bH2\b|2H(?:\d\d)?\b))"
    r"|(?i:\bQ(?P<qa>[1-4])\b|\b(?P<qb>[1-4])Q(?:\d\d)?\b)"
    r"|(?P<first>首季)"
    r"|第(?P<cna>[一二三四1-4])季|(?P<cnb>[一二三四1-4])季度"
    r"|(?i:\b(?P<en>first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter)"
    r"|(?<![\d.])(?P<ma>1[0-2]|[1-9])\s*(?:[-~至到]\s*(?P<mb>1[0-2]|[1-9])\s*)?月"
    r"(?!\s*\d|\s*[一二三四五六七八九十]+[日号號])"
    r"|\b(?P<mc>" + _MONTH_ALT + r")(?:\s*[-–]\s*(?P<md>" + _MONTH_ALT + r"))?\b(?=,?\s+(?:19|20)\d\d))")
# Characters one of the patterns needs; text without any names no period (most
# English leads without a digit, 季, 半, 月 or a month/quarter word).
_PERIOD_HINT = re.compile(r"[\d季半月]|quarter|half|nine|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec", re.I)


def _period(m: re.Match) -> str:
    g = m.groupdict()
    if g["nine"]:
        return "9M"
    if g["h1"]:
        return "H1"
    if g["h2"]:
        return "H2"
    if g["qa"] or g["qb"]:
        return "Q" + (g["qa"] or g["qb"])
    if g["first"]:
        return "Q1"
    if g["cna"] or g["cnb"]:
        return "Q" + _CN_ORD[g["cna"] or g["cnb"]]
    if g["en"]:
        return "Q" + _EN_ORD[g["en"].lower()]
    if g["ma"]:
        a, b = g["ma"], g["mb"]
    else:
        a = str(_MONTHS.index(g["mc"]) + 1)
        b = str(_MONTHS.index(g["md"]) + 1) if g["md"] else None
    return f"M{a}-{b}" if b else f"M{a}"


def periods(text: str) -> set[str]:
    """Reporting periods named in ``text`` (``Q1``..``Q4``, ``H1``, ``H2``, ``9M``, months
    ``M1``..``M12`` and cumulative ``M1-5``)."""
    s = _fold(text)
    if not _PERIOD_HINT.search(s):
        return set()
    return set(map(_period, _PERIOD.finditer(s)))


def number_agreement(a: set[str], b: set[str]) -> float:
    """Share of the smaller figure set found in the other (1.0 when either is empty)."""
    if not a or not b:
        return 1.0
    return len(a & b) / min(len(a), len(b))
