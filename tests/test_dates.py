from __future__ import annotations

from datetime import datetime

import pytest

from aggregator.extract.dates import (
    date_from_url,
    find_dates,
    parse_feed_date,
    parse_one,
)

NOW = datetime(2026, 11, 25, 12, 0)


@pytest.mark.parametrize("text,tz,expected", [
    ("发布时间：2026年11月20日 08:00", "Asia/Shanghai", "2026-11-20T08:00+08:00"),
    ("2026年1月6日", None, "2026-01-06"),
    ("2021-06-10 09:30 [编辑：ZQY]", "Asia/Shanghai", "2021-06-10T09:30+08:00"),
    ("2019-10-14 18:23 [編輯：YiningChen]", "Asia/Taipei", "2019-10-14T18:23+08:00"),
    ("2011-01-24 10:05:33[编辑: user]", "Asia/Shanghai", "2011-01-24T10:05:33+08:00"),
    ("Jan. 6, 2021", None, "2021-01-06"),
    ("Sept. 7, 2018", None, "2018-09-07"),
    ("March 16, 2023", None, "2023-03-16"),
    ("18 May 2021", None, "2021-05-18"),
    ("- Jul 28, 2018 -", None, "2018-07-28"),
    ("- Jan 02, 2019-", None, "2019-01-02"),
    ("Published: Sep 28,2020", None, "2020-09-28"),
    ("25 January 2021 LED Max Chen", None, "2021-01-25"),
    ("Tuesday 10th November 2026", None, "2026-11-10"),
    ("LpR Article | Aug 11, 2016", None, "2016-08-11"),
    ("Monday , 06 / 17 / 2019 [ Analysts: x ]", None, "2019-06-17"),
    ("2026-04-20T08:00:00+08:00", None, "2026-04-20T08:00+08:00"),
    ("2026-11-13T16:30:00Z", None, "2026-11-13T16:30+00:00"),
    ("Date: 2016-11-18 10:30:08 Hits: 684", "Asia/Shanghai", "2016-11-18T10:30:08+08:00"),
])
def test_formats(text: str, tz: str | None, expected: str) -> None:
    d = parse_one(text, NOW)
    assert d is not None and d.to_iso(tz) == expected


@pytest.mark.parametrize("text", ["2031-01-01", "Dec 1, 2099", "1985-05-05", "2026-13-40", "no date here"])
def test_rejects_future_impossible_and_absent(text: str) -> None:
    assert parse_one(text, NOW) is None


def test_dates_in_order_of_appearance() -> None:
    ds = find_dates("Updated Jul 28, 2018; first 2016-11-17", NOW)
    assert [d.value.date().isoformat() for d in ds] == ["2018-07-28", "2016-11-17"]


def test_feed_dates() -> None:
    assert parse_feed_date("Wed, 18 Nov 2026 08:00:00 +0000", NOW).to_iso() == "2026-11-18T08:00+00:00"
    assert parse_feed_date("2026-11-18T08:00:00+08:00", NOW).to_iso() == "2026-11-18T08:00+08:00"
    assert parse_feed_date("Fri, 01 Jan 2100 00:00:00 +0000", NOW) is None
    assert parse_feed_date("", NOW) is None


@pytest.mark.parametrize("url,expected", [
    ("https://www.ledinside.cn/news/20261118-61234.html", "2026-11-18"),
    ("https://www.trendforce.com/presscenter/news/20260420-13017.html", "2026-04-20"),
    ("https://www.china-led.net/news/201006/11/12187.html", "2010-06-11"),
    ("https://www.trendforce.com/news/2019/06/17/apples-newest-display", "2019-06-17"),
    ("https://www.ledinside.com/news/2026/1/2026_01_02_01", "2026-01-02"),
    ("https://www.example.com/about.html", None),
])
def test_url_dates(url: str, expected: str | None) -> None:
    d = date_from_url(url, NOW)
    assert (d.to_iso() if d else None) == expected


def test_odd_month_spellings_and_impossible_offsets_are_no_crash() -> None:
    """"ſep" (long s) matched the month pattern under re.I but was not in the month
    table; an offset of 24 h or more cannot be a time zone. Both raised before."""
    from aggregator.extract.dates import find_dates

    assert [f.value.date().isoformat() for f in find_dates("ſep 28, 2020")] == ["2020-09-28"]
    assert find_dates("posted 2020-09-28T10:00:00+25:00") == []
    assert [f.value.isoformat() for f in find_dates("2020-09-28T10:00:00+08:00")] == ["2020-09-28T10:00:00+08:00"]
