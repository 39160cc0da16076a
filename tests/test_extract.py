"""The extractor as a pure function: encodings, selectors, fallbacks, language."""

from __future__ import annotations

import pytest

from aggregator.extract import ExtractError, extract
from aggregator.extract.encoding import decode_html, normalize_charset
from aggregator.extract.language import detect_language
from aggregator.profiles import SiteProfile, StartPoint

ZH = "半导体照明产业在二〇二六年继续增长，Mini LED背光芯片出货量同比增加百分之三十五，多家厂商扩产。"
PAGE = """<html><head><meta charset="{cs}"><title>{title} - 测试网</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/news/">新闻中心</a></div>
<div class="art"><h1 class="t">{title}</h1><div class="info">发布时间：2026年11月20日 08:00 来源：测试</div>
<div class="body"><p>{p1}</p><p>{p2}</p><div class="share">分享到微信</div></div></div>
<div class="footer">版权所有 粤ICP备12345678号</div></body></html>"""


def _page(cs: str = "utf-8", title: str = "镕晟光电扩产Mini LED芯片") -> str:
    return PAGE.format(cs=cs, title=title, p1=ZH, p2=ZH[::-1])


PROFILE = SiteProfile(key="t", name="t", homepage="https://t.example/", languages=("zh-Hans",),
                      domains=("t.example",), start=(StartPoint("https://t.example/news/"),),
                      article_pattern=r"/a/\d+\.html$", title="h1.t", body="div.body", date="div.info")


def test_gbk_without_declaration_is_detected() -> None:
    raw = _page().replace('<meta charset="utf-8">', "").encode("gbk")
    text, how = decode_html(raw)
    assert "镕晟光电" in text and how.startswith("gb18030")


def test_gb2312_label_with_gbk_only_characters() -> None:
    raw = _page("gb2312").encode("gbk")  # 镕 is not in GB2312
    text, how = decode_html(raw)
    assert "镕晟光电" in text and "\ufffd" not in text and how == "gb18030:meta"


def test_wrong_utf8_header_does_not_win() -> None:
    raw = _page("gbk").encode("gbk")
    text, how = decode_html(raw, header_charset="utf-8")
    assert "镕晟光电" in text and "\ufffd" not in text


def test_utf8_page_labelled_gbk_is_read_as_utf8() -> None:
    text, how = decode_html(_page("gbk").encode("utf-8"), header_charset="gbk")
    assert "镕晟光电" in text and how == "utf-8:valid"


def test_charset_names() -> None:
    assert normalize_charset("GB2312") == normalize_charset("gbk") == "gb18030"
    assert normalize_charset("no-such-charset") is None


def test_profile_path() -> None:
    a = extract(_page("gbk").encode("gbk"), "https://t.example/a/1.html", PROFILE)
    assert a.title == "镕晟光电扩产Mini LED芯片"
    assert a.extraction_method == "profile"
    assert a.published == "2026-11-20T08:00+08:00" and a.date_method == "profile"
    assert a.lang == "zh-Hans"
    assert a.text.split("\n") == [ZH, ZH[::-1]]
    assert a.warnings == []


def test_selector_miss_falls_back_and_says_so() -> None:
    broken = SiteProfile(**{**PROFILE.__dict__, "body": "div.no-such-body", "date": "span.nope"})
    a = extract(_page().encode(), "https://t.example/a/1.html", broken)
    assert a.extraction_method == "profile>generic"
    assert ZH in a.text and "版权所有" not in a.text and "首页" not in a.text
    assert any("selector miss: body" in w for w in a.warnings)
    assert a.published.startswith("2026-11-20")


def test_no_profile_generic_and_jsonld() -> None:
    body = " ".join(["LED makers raised prices by 5% in Q3 2026 as Mini LED demand grew."] * 6)
    html = f"""<html><head><title>Prices rise | Example</title>
    <script type="application/ld+json">{{"@type":"NewsArticle","headline":"Prices rise",
    "datePublished":"2026-10-02T09:00:00+08:00","author":{{"name":"Jane Doe"}},"articleBody":"{body}"}}</script>
    </head><body><div id="x">tiny</div></body></html>"""
    a = extract(html.encode(), "https://x.example/a")
    assert a.title == "Prices rise" and a.extraction_method == "jsonld"
    assert a.published == "2026-10-02T09:00+08:00" and a.author == "Jane Doe" and a.lang == "en"


def test_script_dates_are_not_publish_dates() -> None:
    html = _page().replace("发布时间：2026年11月20日 08:00", "")
    html = html.replace("<body>", '<body><script>var expires = "2026-11-01";</script>')
    a = extract(html.encode(), "https://t.example/a/2.html")
    assert a.published is None


@pytest.mark.parametrize("raw", [b"", b"   ", b"\x00\xff\xfe garbage \x00", b"<html></html>"])
def test_garbage_raises_clean_error(raw: bytes) -> None:
    with pytest.raises(ExtractError):
        extract(raw, "https://t.example/a/3.html", PROFILE)


@pytest.mark.parametrize("text,lang", [
    ("Mini LED backlight chips grew 35% in 2026, TrendForce said.", "en"),
    ("集邦咨询表示，2026年Mini LED背光芯片营收成长35%。", "zh-Hans"),
    ("集邦科技表示，2026年Mini LED背光晶片營收成長35%，顯示器需求強勁。", "zh-Hant"),
    ("English: 中文版 ∷ 英文版. The South China Sea district signed an agreement with CSA.", "en"),
])
def test_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


# Each body holds an author line only once its text nodes are joined as block_lines joins
# them: across inline tags, across a left-out <button>, across a comment.
@pytest.mark.parametrize("byline, author", [
    ("<p>By Jane Doe</p>", "Jane Doe"),
    ("<p><b>B</b>y Jane Doe</p>", "Jane Doe"),
    ("<p>B<button>x</button>y Jane Doe</p>", "Jane Doe"),
    ("<p>B<!-- c -->x<i>y</i> Jane Doe</p>", "Jane Doe"),  # a comment's tail is left out
    ("<p>记<span>者：王小明</span></p>", "王小明"),
    ("<p>编<select><option>1</option></select>辑：李四</p>", "李四"),
    ("<p>Bylines are short.</p>", None),  # "By" is there: the lines are read, no match
    ("", None),
])
def test_author_from_page_lines(byline: str, author: str | None) -> None:
    from aggregator.extract import may_name_author
    from aggregator.html import block_lines, parse_html

    body = " ".join(["LED makers raised prices by 5% in Q3 2026 as Mini LED demand grew."] * 6)
    html = (f"<html><head><title>Prices rise</title></head><body><div class='art'><h1>Prices rise</h1>"
            f"{byline}<div class='body'><p>{body}</p><p>{body}</p></div></div></body></html>")
    assert extract(html.encode(), "https://x.example/a").author == author
    root = parse_html(html).find("body")
    page = "\n".join(block_lines(root))
    # the cheap test may say yes where the lines say no, never the reverse
    assert may_name_author(root) or not ("By" in page or any(w in page for w in "编辑 編輯 作者 记者 記者".split()))
    assert may_name_author(root) == bool(byline)


def test_pruning_hands_its_votes_on_only_when_they_still_hold() -> None:
    # prune returns the body search's votes when the widgets it removed changed none of
    # them; the search then skips its second count. On every tests/sites page the body
    # found so is the one a fresh count finds.
    from pathlib import Path

    from lxml import etree

    from aggregator.extract.body import generic_body, prune
    from aggregator.html import parse_html

    def body(html: str, reuse: bool) -> tuple[list[bytes], bool]:
        doc = parse_html(html)
        for el in list(doc.iter("script", "style", "noscript", "template")):
            el.getparent().remove(el)
        root = doc.find("body") if doc.find("body") is not None else doc
        cache: dict = {}
        votes = prune(root, cache)
        els = generic_body(root, cache=cache, votes=votes if reuse else None)
        return [etree.tostring(e) for e in els], votes is not None

    reused = fresh = 0
    for f in sorted((Path(__file__).parent / "sites").rglob("*.html")):
        html = decode_html(f.read_bytes())[0]
        if not html.strip():
            continue
        got, handed = body(html, True)
        assert got == body(html, False)[0], f
        reused += handed
        fresh += not handed
    assert reused >= 10 and fresh >= 10  # both ways taken (20 and 54 of 74 pages on 2026-11-25)


_BODY = "<p>" + "木林森日前发布公告称，公司中标的红外LED芯片光效达到255流明每瓦，主要面向消费电子领域的客户。" * 3 + "</p>"


@pytest.mark.parametrize("html, want", [
    # MetInfo: the site name in a hidden <h1> beside the logo, the headline in a later <h1>
    ("<html><head><title>木林森中标红外LED芯片-瑞光照明</title></head><body><header><h1 hidden>瑞光照明</h1>"
     "</header><main><h1 class='m-0'>木林森中标红外LED芯片</h1>" + _BODY + "</main></body></html>",
     "木林森中标红外LED芯片"),
    # PHPCMS: the info line inside the headline's <h1>
    ("<html><head><title>阳光照明交付透明LED屏 - 光彩科技</title></head><body><div id='Article'>"
     "<h1>阳光照明交付透明LED屏<br /><span>发布时间：2024-08-08 09:44:00 来源：本站 点击:</span></h1>"
     + _BODY + "</div></body></html>", "阳光照明交付透明LED屏"),
    # PbootCMS: no <h1>; <title> is "headline-Site Name" without spaces, the headline an <h2>
    ("<html><head><title>Seoul Semiconductor ships GaN-on-silicon epitaxial wafer-Jingcai Lighting</title>"
     "</head><body><h2>Seoul Semiconductor ships GaN-on-silicon epitaxial wafer</h2>" + _BODY + "</body></html>",
     "Seoul Semiconductor ships GaN-on-silicon epitaxial wafer"),
])
def test_titles_of_cms_templates_without_site_names_or_info_lines(html: str, want: str) -> None:
    assert extract(html, "https://www.example.com/news/1.html").title == want
