"""Unit tests: URLs, mirror mapping, cleaning, stories, TOML sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.clean.lines import clean_lines
from aggregator.dedup.fingerprint import content_hash
from aggregator.dedup.stories import ArticleRef, build_stories
from aggregator.dedup.urls import canonicalize_url, strip_tracking
from aggregator.mirror import mirror_path, read_sidecar
from aggregator.profiles import SourcesError, load_sources


@pytest.mark.parametrize("url,expected", [
    ("https://www.Example.com/a?utm_source=rss&utm_medium=feed#comments", "https://www.example.com/a"),
    ("http://m.ledinside.cn/news/20110124-14464.html", "https://www.ledinside.cn/news/20110124-14464.html"),
    ("https://m.lights.ofweek.com/2023-10/ART-1.html", "https://lights.ofweek.com/2023-10/ART-1.html"),
    ("http://194.147.122.84/news_items/2021/may/x.shtml", "https://www.semiconductor-today.com/news_items/2021/may/x.shtml"),
    ("https://dev.semiconductor-today.com/a.shtml", "https://www.semiconductor-today.com/a.shtml"),
    ("https://x.com:443/p?b=2&a=1&fbclid=z", "https://x.com/p?a=1&b=2"),
])
def test_canonicalize(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


def test_strip_tracking_keeps_host_and_scheme() -> None:
    assert strip_tracking("http://m.x.com/a?id=3&utm_source=rss#f") == "http://m.x.com/a?id=3"


def test_mirror_path(tmp_path: Path) -> None:
    (tmp_path / "h.com/news").mkdir(parents=True)
    assert mirror_path(tmp_path, "https://h.com") == tmp_path / "h.com/index.html"
    assert mirror_path(tmp_path, "https://h.com/news/") == tmp_path / "h.com/news/index.html"
    assert mirror_path(tmp_path, "https://h.com/news") == tmp_path / "h.com/news/index.html"
    assert mirror_path(tmp_path, "https://H.com/news?page=2") == tmp_path / "h.com/news?page=2"
    assert mirror_path(tmp_path, "https://h.com/../../etc/passwd") == tmp_path / "h.com/etc/passwd"


def test_sidecar(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text("x")
    assert read_sidecar(f) == (200, [])
    (tmp_path / "page.html.headers").write_text("HTTP/1.1 301 Moved\nLocation: /b.html\nX-A: 1\n")
    assert read_sidecar(f) == (301, [("Location", "/b.html"), ("X-A", "1")])


def test_clean_lines_removes_known_chrome_and_keeps_text() -> None:
    body = "Mini LED chip revenue will grow 35% in 2026 as TV brands adopt the backlight, said the analysts."
    lines = ["English: 中文版 ∷ 英文版", "Industry news", "Headline here", "- Jul 28, 2018 -",
             "OFweek半导体照明网讯：" + body, "Contact us: the company said buyers who contact its Shenzhen office before December get early access to the new Mini LED chip line, priced 12% below the previous generation of chips sold in Europe and Japan",
             "如需转载，需本网站E-Mail授权。", "Scan the qr codeclose", "the qr code"]
    kept, removed = clean_lines(lines, None, "Headline here")
    assert kept == [body, lines[5]]
    assert "Industry news" in removed and "OFweek半导体照明网讯：" in removed


def test_content_hash_folds_script_and_spacing() -> None:
    assert content_hash("集邦科技表示，顯示器 需求強勁。") == content_hash("集邦科技表示,显示器需求强劲.")
    assert content_hash("a b c") != content_hash("a b d")


def _ref(i: str, **kw) -> ArticleRef:
    base = dict(id=i, canonical_url=f"https://h{i}.com/{i}", source="s", lang="en", title=i,
                published=None, content_hash=i, text_chars=500)
    return ArticleRef(**{**base, **kw})


def test_stories_are_order_independent() -> None:
    refs = [
        _ref("a", content_hash="same"), _ref("b", content_hash="same"),
        _ref("c", alternate_urls=("https://hd.com/d",)), _ref("d", lang="zh-Hans"),
        _ref("e", source="tf", sibling_key="tf:20260420", sibling_seq=13016, canonical_url="https://tw.tf/e"),
        _ref("f", source="tf", sibling_key="tf:20260420", sibling_seq=13017, canonical_url="https://en.tf/f"),
        _ref("g", source="tf", sibling_key="tf:20260420", sibling_seq=13020, canonical_url="https://tw.tf/g"),
        _ref("h", content_hash="tiny", text_chars=10), _ref("i", content_hash="tiny", text_chars=10),
    ]
    m1, s1 = build_stories(refs, 80, {"tf": 2})
    m2, s2 = build_stories(list(reversed(refs)), 80, {"tf": 2})
    assert m1 == m2 and s1 == s2
    assert m1["a"] == m1["b"] and m1["c"] == m1["d"] and m1["e"] == m1["f"]
    assert m1["g"] != m1["e"] and m1["h"] != m1["i"]
    story_cd = next(s for s in s1 if s.id == m1["c"])
    assert story_cd.canonical_article_id == "d"  # Chinese original first when dates are equal


def _toml(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "sources.toml"
    p.write_text(text, "utf-8")
    return p


def test_sources_ok(tmp_path: Path) -> None:
    p = _toml(tmp_path, '[[source]]\nname = "acme"\nstart_urls = ["https://www.acme.com/news/"]\n'
                        'feeds = ["https://www.acme.com/rss.xml"]\narticle_pattern = "/news/\\\\d+"\nlang = "en"\n')
    (prof,) = load_sources(p)
    assert prof.key == "acme" and prof.domains == ("acme.com",) and prof.user_defined
    assert [s.kind for s in prof.start] == ["listing", "feed"]


@pytest.mark.parametrize("text,needle", [
    ('[[source]]\nname = "a"\nstart_urls = ["https://a.com/"]\ncolour = "red"\n', ":4: field 'colour': unknown key"),
    ('[[source]]\nname = "a"\nstart_urls = [https://a.com/]\n', ":3: invalid TOML"),
    ('[[source]]\nname = "a"\n', ":1: field 'source': needs at least one"),
    ('[[source]]\nname = "a"\nstart_urls = ["https://a.com/"]\nlang = "fr"\n', ":4: field 'lang'"),
    ('[[source]]\nname = "a"\nstart_urls = ["https://a.com/"]\narticle_pattern = "("\n', ":4: field 'article_pattern': bad regex"),
    ('[[source]]\nname = "a"\nstart_urls = "https://a.com/"\n', ":3: field 'start_urls': expected list"),
    ('[[source]]\nname = "a"\nstart_urls = ["https://a.com/"]\n[[source]]\nname = "a"\nfeeds = ["https://b.com/f"]\n',
     ":5: field 'name': duplicate"),
    ('[[sauce]]\nname = "a"\n', ":1: field 'sauce': unknown top-level key"),
])
def test_sources_errors_name_file_line_and_field(tmp_path: Path, text: str, needle: str) -> None:
    p = _toml(tmp_path, text)
    with pytest.raises(SourcesError) as ei:
        load_sources(p)
    msg = str(ei.value)
    assert msg.startswith(str(p)) and needle in msg and "\n" not in msg
