"""Publish dates in the formats our sources use, Chinese and English.

``find_dates(text)`` returns every date it recognises, in order of appearance;
``parse_one`` the first. Each result knows whether a time of day was given, and
``to_iso`` renders it in the source's timezone. Dates in the future (beyond one
day of clock skew) or before 1990 are rejected: docs/background.md#dates (newspaper4k#575,
impossible future dates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

__all__ = ["FoundDate", "find_dates", "parse_one", "parse_feed_date", "date_from_url"]

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MON = r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_TIME = r"(?:[ T]*(?P<h>\d{1,2})[:：](?P<mi>\d{2})(?:[:：](?P<s>\d{2}))?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"

_PATTERNS = [
    # 2026年11月20日 08:00
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日" + _TIME),
    # 2026-11-20 08:00[:00], 2026/11/20, 2026.11.20, ISO 8601 with T and offset
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)" + _TIME),
    # Jan. 6, 2021 / Jul 28, 2018 / Sep 28,2020 / September 4th 2018
    re.compile(r"\b" + _MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(?P<y>(?:19|20)\d{2})\b" + _TIME, re.I),
    # 18 May 2021 / 20 April 2026
    re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MON + r",?\s+(?P<y>(?:19|20)\d{2})\b" + _TIME, re.I),
    # Monday , 06 / 17 / 2019 (press.trendforce.com: MM / DD / YYYY); 18/11/2024 (day first)
    # when the first number cannot be a month (find_dates swaps them)
    re.compile(r"(?<!\d)(?P<m>\d{1,2})\s*/\s*(?P<d>\d{1,2})\s*/\s*(?P<y>(?:19|20)\d{2})(?!\d)"),
    # 18.11.2024 / 18-11-2024: day first (European); swapped when the second cannot be a month
    re.compile(r"(?<![\w.\-])(?P<d>\d{1,2})(?P<sep2>[.\-])(?P<m>\d{1,2})(?P=sep2)(?P<y>(?:19|20)\d{2})(?![\d.\-])"),
    # 民國114年12月31日 / 民国114年12月31日 (Taiwan's ROC calendar: year + 1911)
    re.compile(r"民[國国]\s*(?P<roc>1\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日" + _TIME),
    # CNA copies end with "（編輯：…）1141231": ROC yyyMMdd as the tail of a line
    # (docs/sources.md#syndicators); only after a closing bracket or alone, never inside a number.
    re.compile(r"(?:(?<=[)）\]】])|^)\s*(?P<roc>1[01]\d)(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])\s*$",
               re.M),
]
ROC_OFFSET = 1911  # ROC year 1 = 1912

EARLIEST = date(1990, 1, 1)
SKEW = timedelta(days=1)  # tolerated clock/timezone skew before a date counts as future


@dataclass(frozen=True)
class FoundDate:
    value: datetime  # naive local time unless ``aware``
    has_time: bool
    aware: bool = False
    pos: int = 0

    def to_iso(self, tz: str | None = None) -> str:
        if not self.has_time:
            return self.value.date().isoformat()
        dt = self.value
        if not self.aware and tz:
            dt = dt.replace(tzinfo=ZoneInfo(tz))
        return dt.isoformat(timespec="minutes" if dt.second == 0 else "seconds")


@lru_cache(maxsize=64)
def _offset(tz: str) -> timezone:
    """The fixed offset of a "Z" / "+08:00" / "-0500" suffix (a page's dates share one)."""
    off = tz.replace(":", "")
    if off == "Z":
        return timezone.utc
    sign = 1 if off[0] == "+" else -1
    return timezone(sign * timedelta(hours=int(off[1:3]), minutes=int(off[3:5])))


def _mk(y: int, m: int, d: int, h: str | None, mi: str | None, s: str | None,
        tz: str | None, pos: int, now: datetime | None) -> FoundDate | None:
    try:
        dt = datetime(y, m, d, int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        return None
    aware = False
    if tz:
        try:
            dt = dt.replace(tzinfo=_offset(tz))
        except ValueError:  # an offset of 24 h or more ("+25:00") is no date
            return None
        aware = True
    if dt.date() < EARLIEST:
        return None
    ref = now or datetime.now()
    if dt.replace(tzinfo=None) > ref.replace(tzinfo=None) + SKEW:
        return None
    return FoundDate(dt, h is not None, aware, pos)


def _month(name: str) -> int:
    # casefold, as re.I matched: "ſep" (long s) is "sep"
    return MONTHS[name.casefold()[:3]]


# Text each of _PATTERNS cannot match without: 年, a month name's first three letters
# (compared case-folded: re.I also matches "ſ" for "s", which casefold() turns into
# "s"), "/", 民. A pattern whose text is missing is not run: an ISO meta date is then
# read by two regexes instead of seven (21 -> 12 us, issue 8).
_MONTH3 = tuple(dict.fromkeys(k[:3] for k in MONTHS))  # every _MON spelling starts so


def _needs(text: str) -> tuple[bool, ...]:
    folded = text.casefold()
    month = any(m in folded for m in _MONTH3)
    return ("年" in text, True, month, month, "/" in text, "." in text or "-" in text, "民" in text, True)


def find_dates(text: str, now: datetime | None = None) -> list[FoundDate]:
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for rx, run in zip(_PATTERNS, _needs(text)):
        if not run:
            continue
        for m in rx.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            g = m.groupdict()
            month = _month(g["mon"]) if g.get("mon") else int(g["m"])
            year = int(g["roc"]) + ROC_OFFSET if g.get("roc") else int(g["y"])
            day = int(g["d"])
            if month > 12 and day <= 12 and not g.get("mon"):  # 18/11/2024: the day comes first
                month, day = day, month
            fd = _mk(year, month, day, g.get("h"), g.get("mi"), g.get("s"),
                     g.get("tz"), m.start(), now)
            if fd:
                found.append(fd)
                taken.append((m.start(), m.end()))
    found.sort(key=lambda f: f.pos)
    return found


def parse_one(text: str, now: datetime | None = None) -> FoundDate | None:
    ds = find_dates(text, now)
    return ds[0] if ds else None


def parse_feed_date(text: str | None, now: datetime | None = None) -> FoundDate | None:
    """RSS pubDate (RFC 822) or Atom (ISO 8601) dates."""
    if not text:
        return None
    text = text.strip()
    try:
        dt = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return parse_one(text, now)
    if dt is None:
        return None
    fd = FoundDate(dt, True, dt.tzinfo is not None)
    ref = now or datetime.now(timezone.utc)
    cmp_ref = ref if ref.tzinfo else ref.replace(tzinfo=timezone.utc)
    cmp_dt = dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)
    if cmp_dt > cmp_ref + SKEW or dt.date() < EARLIEST:
        return None
    return fd


_URL_DATES = [
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)[-_/]"),  # /20261118-61234.html
    re.compile(r"/(?P<y>(?:19|20)\d{2})[/_-](?P<m>\d{1,2})[/_-](?P<d>\d{1,2})(?:/|_\d)"),  # /2026/11/18/
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)/(?P<d>[0-3]\d)/"),  # /news/201006/11/
]


def date_from_url(url: str, now: datetime | None = None) -> FoundDate | None:
    """A day-precise date from the URL path, used only as a last hint."""
    for rx in _URL_DATES:
        m = rx.search(url)
        if m:
            fd = _mk(int(m["y"]), int(m["m"]), int(m["d"]), None, None, None, None, 0, now)
            if fd:
                return fd
    return None
