"""Date cascade (every listed format, ROC tails, render-time traps, republish dates),
encoding and text repair, language per article, sanitised body HTML."""

from __future__ import annotations

from datetime import datetime, timezone

import re

import pytest

from aggregator.extract import extract, is_render_time
from aggregator.extract.dates import FoundDate, parse_one
from aggregator.extract.encoding import decode_html
from aggregator.extract.language import detect_language
from aggregator.html import parse_html, sanitize_html
from aggregator.profiles import SiteProfile, StartPoint
from aggregator.text import normalize_width, repair_mojibake, repair_text

NOW = datetime(2026, 11, 25, 12, 0)
ZH = ("半导体照明产业在二〇二六年继续增长，Mini LED背光芯片出货量同比增加百分之三十五，多家厂商扩产。"
      "业内人士表示，倒装芯片成本下降与良率提升将推动小间距显示屏价格继续走低。")
EN = ("Micro LED chip maker PlayNitride said it has signed a three-year supply agreement with AUO "
      "covering chips and mass-transfer services for automotive displays, with shipments due in 2027.")


def _page(head: str = "", top: str = "", dateline: str = "", body: str = ZH, tail: str = "",
          title: str = "镕晟光电扩产Mini LED芯片") -> str:
    return (f"<html><head><title>{title}</title>{head}</head><body><div class='top'>{top}</div>"
            f"<div class='art'><h1>{title}</h1><div class='info'>{dateline}</div>"
            f"<div class='content'><p>{body}</p><p>{body[::-1]}</p><p>{tail}</p></div></div></body></html>")


def _profile(**kw) -> SiteProfile:
    base = dict(key="t", name="t", homepage="https://t.example/", languages=("zh-Hans",),
                domains=("t.example",), start=(StartPoint("https://t.example/news/"),),
                article_pattern=r"/a/\d+\.html$", title="h1", body="div.content", date="div.info")
    base.update(kw)
    return SiteProfile(**base)


# --- the cascade, in order --------------------------------------------------------------

def test_jsonld_wins_over_text_and_url() -> None:
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x",'
            ' "datePublished": "2026-11-19T09:15:00+08:00"}</script>')
    a = extract(_page(head=head, dateline="发布时间：2026年11月20日 08:00"), "https://x.example/2026/11/18/a.html", now=NOW)
    assert (a.published, a.date_method) == ("2026-11-19T09:15+08:00", "jsonld")


def test_meta_then_chinese_text_then_url() -> None:
    meta = '<meta property="article:published_time" content="2026-11-17">'
    assert extract(_page(head=meta), "https://x.example/a.html", now=NOW).date_method == "meta"
    a = extract(_page(dateline="发布时间：2026年11月20日 08:00"), "https://x.example/2026/11/18/a.html",
                _profile(date=None, timezone="Asia/Shanghai"), now=NOW)
    assert (a.published, a.date_method) == ("2026-11-20T08:00+08:00", "text")
    a = extract(_page(), "https://x.example/news/2026/11/18/a.html", now=NOW)
    assert (a.published, a.date_method) == ("2026-11-18", "url")


@pytest.mark.parametrize("line,tz,expected", [
    ("2026年11月20日 08:00", "Asia/Shanghai", "2026-11-20T08:00+08:00"),
    ("2021-06-10 09:30 [编辑：ZQY]", "Asia/Shanghai", "2021-06-10T09:30+08:00"),
    ("2019-10-14 18:23 [編輯：YiningChen]", "Asia/Taipei", "2019-10-14T18:23+08:00"),
    ("Jan. 6, 2021", None, "2021-01-06"),
    ("18 May 2021", None, "2021-05-18"),
    ("- Jul 28, 2018 -", None, "2018-07-28"),
    ("Published: Sep 28,2020", None, "2020-09-28"),
    ("民國114年12月31日 10:20", "Asia/Taipei", "2025-12-31T10:20+08:00"),
    ("民国114年1月5日", None, "2025-01-05"),
])
def test_every_listed_format_through_the_profile_date_element(line: str, tz: str | None, expected: str) -> None:
    a = extract(_page(dateline=line), "https://t.example/a/1.html", _profile(timezone=tz or "UTC"), now=NOW)
    assert a.published[:len(expected)] == expected if tz is None else a.published == expected


@pytest.mark.parametrize("tail,expected", [
    ("（中央社記者王大明台北31日電）…（編輯：陳政偉）1141231", "2025-12-31"),
    ("（編輯：李佳）1140105", "2025-01-05"),
])
def test_roc_tail_dates(tail: str, expected: str) -> None:
    a = extract(_page(tail=tail), "https://news.example/story/1", now=NOW)
    assert (a.published, a.date_method) == (expected, "text")


@pytest.mark.parametrize("text", ["訂單1141231件", "編號 1141231 號", "tel 0911412315", "（編輯：李佳）1141332"])
def test_roc_lookalikes_are_not_dates(text: str) -> None:
    assert parse_one(text, NOW) is None


def test_render_time_traps() -> None:
    # ctimes EN: the dateline with weekday and clock is the render time; Published: is the date
    a = extract(_page(top="Taipei, Thursday, Oct 29, 2020, 16:36", dateline="Published: Sep 28,2020",
                      body=EN, title="PlayNitride signs AUO deal"), "https://en.example/DispNews.asp?O=1", now=NOW)
    assert a.published == "2020-09-28"
    # a Chinese header printing today's date, and no other date: nothing rather than today
    a = extract(_page(top="今天是2026年11月25日 星期三"), "https://zh.example/a.html", now=NOW)
    assert a.published is None
    # a meta tag stamped with the fetch time is the render time
    meta = '<meta name="pubdate" content="2026-11-25T12:03:00Z">'
    a = extract(_page(head=meta, dateline="2026-11-02 10:00"), "https://zh.example/b.html",
                now=datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc))
    assert a.published.startswith("2026-11-02")
    # ...but a story fetched minutes after it went up, with no other date, keeps its date
    a = extract(_page(head=meta), "https://zh.example/c.html", now=datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc))
    assert (a.published, a.date_method) == ("2026-11-25T12:03+00:00", "meta:fresh")
    assert is_render_time(FoundDate(datetime(2026, 11, 25, 20, 5), True), NOW.replace(tzinfo=timezone.utc),
                          tz="Asia/Shanghai")
    assert not is_render_time(FoundDate(datetime(2026, 11, 25, 8, 0), True), NOW, tz="Asia/Shanghai")


def test_future_dates_are_never_published() -> None:
    a = extract(_page(dateline="发布时间：2031年1月1日"), "https://t.example/a/1.html", _profile(), now=NOW)
    assert a.published is None


def test_republish_dates_are_stored_as_such() -> None:
    a = extract(_page(dateline="- Jul 28, 2018 -"), "https://t.example/a/1.html",
                _profile(republished=True), now=NOW)
    assert a.published is None and a.republished == "2018-07-28"


# --- encodings and repair -----------------------------------------------------------------

def test_gb_family_with_and_without_declaration_and_wrong_labels() -> None:
    page = _page()
    assert decode_html(page.encode("gbk"))[1].startswith("gb18030")  # no declaration
    with_meta = page.replace("<head>", '<head><meta charset="gb2312">')
    assert decode_html(with_meta.encode("gbk"))[0].count("镕晟") == 2
    # wrong HTTP header (utf-8) on a GBK body, and a meta that lies (utf-8) on a GBK body
    lying = page.replace("<head>", '<head><meta charset="utf-8">').encode("gbk")
    text, how = decode_html(lying, header_charset="utf-8")
    assert "镕晟光电" in text and "\ufffd" not in text and how.startswith("gb18030")


def test_big5_page_is_traditional() -> None:
    page = _page(body="集邦科技表示，2026年Mini LED背光晶片營收成長35%，顯示器需求強勁，車用市場同步擴大。",
                 title="集邦科技：Mini LED背光晶片營收成長")
    raw = page.replace("<head>", '<head><meta charset="big5">').encode("big5")
    a = extract(raw, "https://tw.example/a.html", now=NOW)
    assert a.lang == "zh-Hant" and "營收" in a.text


def test_utf8_read_as_cp1252_is_repaired_in_the_article() -> None:
    raw = "He said “Mini LED” shipments grew — 35% in 2026.".encode("utf-8")
    # as a browser shows it: cp1252, its five undefined bytes as C1 controls
    damaged = "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in raw)
    assert "â€œ" in damaged
    a = extract(_page(body=(damaged + " ") * 4, title="Mini LED shipments grow"), "https://en.example/a", now=NOW)
    assert "“Mini LED”" in a.text and "â€" not in a.text


@pytest.mark.parametrize("raw,fixed", [
    ("â€œquotedâ€\x9d", "“quoted”"),
    ("æ–°é—»ä¸­å¿ƒ", "新闻中心"),
    ("café naïve", "café naïve"),  # real Latin-1 text is left alone
    ("Â£100 per lamp", "£100 per lamp"),
])
def test_mojibake(raw: str, fixed: str) -> None:
    assert repair_mojibake(raw) == fixed


@pytest.mark.parametrize("raw,fixed", [
    ("Ｍｉｎｉ ＬＥＤ出货量达到１２０万片，同比增长", "Mini LED出货量达到120万片，同比增长"),
    ("Price：＄５ （ｎｅｔ）", "Price:$5 (net)"),
    ("深圳（中国）LED，芯片", "深圳（中国）LED，芯片"),  # Chinese keeps its full-width punctuation
    ("soft\u00adhyphen\u200bzero", "softhyphenzero"),
])
def test_width_normalisation(raw: str, fixed: str) -> None:
    assert normalize_width(raw) == fixed


def test_whitespace_normalisation() -> None:
    assert repair_text("  A\u3000B\u00a0 C \t") == "A B C"


@pytest.mark.parametrize("text,lang", [
    ("Mini LED backlight chips grew 35% in 2026, TrendForce said.", "en"),
    ("集邦咨询表示，2026年Mini LED背光芯片营收成长35%。", "zh-Hans"),
    ("集邦科技表示，2026年Mini LED背光晶片營收成長35%，顯示器需求強勁。", "zh-Hant"),
    ("Mini LED 背光出货", "zh-Hans"),  # short mixed title: Chinese
    ("三安光电 (San'an Optoelectronics) expands its Micro LED line in Xiamen, the company said.", "en"),
    ("隆達電子 Lextar", "zh-Hant"),
    ("LED", "en"),
    ("2026 — 35%", None),  # no letters: no guess
])
def test_language_detector_restricted_to_en_and_zh(text: str, lang: str | None) -> None:
    assert detect_language(text) == lang


# --- sanitised body HTML --------------------------------------------------------------------

def test_body_html_is_sanitised() -> None:
    doc = parse_html(
        "<html><body><div class='content' onclick='x()'><h2 style='c'>Head</h2>"
        "<p onmouseover='y'>Para <a href='javascript:alert(1)'>bad</a> <a href='/rel'>ok</a>"
        "<script>alert(1)</script></p><div>only text</div><img src='javascript:x'>"
        "<img src='/i.png' onerror='z' alt='A'><table><tr><td colspan='2' class='q'>c</td></tr></table>"
        "<style>p{}</style><iframe src='x'></iframe><ul><li>one</li><li></li></ul>"
        "<a href=' JaVa\tScRiPt:evil()'>sneaky</a><form><input></form></div></body></html>")
    out = sanitize_html([doc.find("body")[0]], "https://ex.example/a/b.html")
    assert out == ('<h2>Head</h2><p>Para <a>bad</a> <a href="https://ex.example/rel">ok</a></p>'
                   '<p>only text</p><img src="https://ex.example/i.png" alt="A">'
                   '<table><tr><td colspan="2">c</td></tr></table><ul><li>one</li></ul><a>sneaky</a>')


def test_article_body_html_matches_text_without_boilerplate() -> None:
    a = extract(_page(tail="分享到微信"), "https://t.example/a/1.html", _profile(), now=NOW)
    from aggregator.clean import clean_article

    c = clean_article(a, _profile())
    assert c.body_html.count("<p>") == len(c.text.split("\n")) == 2
    assert "分享" not in c.body_html and "<script" not in c.body_html


def test_stored_body_html_in_the_mirror_crawl(conn) -> None:
    """Every stored article carries body_html: one block per text line at least, no
    listed boilerplate, nothing executable."""
    from support import ROOT

    boiler = [ln.strip() for ln in (ROOT / "tests/fixtures/boilerplate.txt").read_text("utf-8").splitlines()
              if ln.strip() and not ln.startswith("#")]
    rows = conn.execute("select url, text, body_html from articles").fetchall()
    assert len(rows) >= 40
    for r in rows:
        html = r["body_html"]
        assert html, r["url"]
        low = html.lower()
        assert "<script" not in low and "javascript:" not in low and "<style" not in low
        assert not re.search(r"<[^>]*\s(?:on\w+|style|class)\s*=", low), r["url"]
        assert [b for b in boiler if b in html] == [], r["url"]
        first = r["text"].split("\n")[0][:20]
        assert first.split("&")[0].split("<")[0] in html.replace("&amp;", "&"), r["url"]
