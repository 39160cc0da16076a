"""Property-based tests (hypothesis): URL canonicalisation, text normalisation, and a fuzz
of the extractor with random bytes and mutated mirror pages (only ExtractError may escape).

Runs are derandomised by default so CI is reproducible; ``LEDNEWS_HYPOTHESIS=explore``
(see tests/conftest.py) draws fresh, many more examples.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from hypothesis import assume, given
from hypothesis import strategies as st
from support import SITES

from aggregator.dedup.urls import canonicalize_url, strip_tracking
from aggregator.extract import ExtractError, extract
from aggregator.items import Article
from aggregator.text import cjk_count, collapse_ws, normalize_for_hash, text_units

# --- URLs ------------------------------------------------------------------------------

_label = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
_host = st.builds(lambda pre, labels, tld: pre + ".".join(labels) + "." + tld,
                  st.sampled_from(["", "www.", "m.", "news."]), st.lists(_label, min_size=1, max_size=3),
                  st.sampled_from(["com", "cn", "net", "com.tw"]))
_seg = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_.~%", min_size=1, max_size=12)
_value = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", max_size=6)
_plain_key = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6).filter(
    lambda k: strip_tracking(f"http://h/?{k}=1") == f"http://h/?{k}=1")
_tracking = st.sampled_from(["utm_source", "utm_medium", "utm_campaign", "fbclid", "gclid", "spm",
                             "from", "share_token", "wxfrom", "isappinstalled", "scene", "_ga"])


@st.composite
def urls(draw: st.DrawFn) -> tuple[str, str]:
    """(clean URL, the same URL with tracking params, a fragment, shuffled query, case)."""
    scheme = draw(st.sampled_from(["http", "https"]))
    host = draw(_host)
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    path = "/" + "/".join(draw(st.lists(_seg, max_size=4)))
    params = draw(st.lists(st.tuples(_plain_key, _value), max_size=4))
    tracking = draw(st.lists(st.tuples(_tracking, _value), max_size=3))
    clean = f"{scheme}://{host}{port}{path}" + ("?" + "&".join(f"{k}={v}" for k, v in params) if params else "")
    mixed = draw(st.permutations(params + tracking))
    frag = draw(st.sampled_from(["", "#", "#top", "#comments?utm_source=x"]))
    noisy_host = "".join(c.upper() if draw(st.booleans()) else c for c in host)
    noisy = (f"{scheme.upper() if draw(st.booleans()) else scheme}://{noisy_host}{port}{path}"
             + ("?" + "&".join(f"{k}={v}" for k, v in mixed) if mixed else "") + frag)
    return clean, noisy


@given(urls())
def test_canonical_url_ignores_tracking_fragments_order_and_case(pair: tuple[str, str]) -> None:
    clean, noisy = pair
    assert canonicalize_url(noisy) == canonicalize_url(clean)


@given(urls())
def test_canonicalize_is_idempotent_and_agrees_with_strip_tracking(pair: tuple[str, str]) -> None:
    _, noisy = pair
    c = canonicalize_url(noisy)
    assert canonicalize_url(c) == c
    assert strip_tracking(strip_tracking(noisy)) == strip_tracking(noisy)
    assert canonicalize_url(strip_tracking(noisy)) == c
    parts = urlsplit(c)
    assert parts.scheme == "https" and not parts.fragment and parts.hostname == parts.hostname.lower()
    assert "utm_" not in parts.query and "fbclid" not in parts.query


@given(st.text(max_size=80))
def test_url_functions_never_raise_on_junk(s: str) -> None:
    assert isinstance(canonicalize_url(s), str)
    assert isinstance(strip_tracking(s), str)


@given(st.sampled_from(["http", "https", "HTTP"]), _host, st.integers(min_value=0, max_value=10**6),
       st.sampled_from(["", "/", "/a/1.html"]))
def test_url_functions_never_raise_on_bad_ports(scheme: str, host: str, port: int, path: str) -> None:
    url = f"{scheme}://{host}:{port}{path}"
    assert isinstance(canonicalize_url(url), str) and isinstance(strip_tracking(url), str)


# --- text ------------------------------------------------------------------------------

_texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)
_mixed = st.lists(st.sampled_from(["LED", "Mini", "芯片", "晶圓", "發光", "二極體", " ", "\u3000", "\u00a0",
                                   "\t", "，", "。", "-", "2026", "億", "Ⅻ", "ﬁ", "Ａ"]), max_size=40).map("".join)


@given(st.one_of(_texts, _mixed))
def test_collapse_ws_is_idempotent_and_trimmed(s: str) -> None:
    c = collapse_ws(s)
    assert collapse_ws(c) == c
    assert c == c.strip(" ") and "  " not in c
    assert not any(ch in c for ch in "\t\u00a0\u3000\ufeff\u200b")
    assert text_units(c) == text_units(s)


@given(st.one_of(_texts, _mixed), st.one_of(_texts, _mixed))
def test_text_units_add_up_over_lines(a: str, b: str) -> None:
    assert text_units(a + "\n" + b) == text_units(a) + text_units(b)


@given(st.one_of(_texts, _mixed, st.text()))
def test_text_units_counts_what_its_definition_counts(s: str) -> None:
    # the fast paths (ASCII bytes, CJK runs) against the plain definition
    import re

    cjk = re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]", s)
    latin = re.findall(r"[A-Za-z0-9\u00c0-\u024f]+", s)
    assert cjk_count(s) == len(cjk)
    assert text_units(s) == len(cjk) + len(latin)


@given(st.one_of(_texts, _mixed, st.text(), st.text(" \t\r\n\f\v\u00a0\u3000\u2002\u200b\ufeff\x85a中")))
def test_collapse_ws_is_its_definition(s: str) -> None:
    import re

    assert collapse_ws(s) == re.sub(r"[ \t\r\f\v\u00a0\u3000\u2002-\u200b\ufeff]+", " ", s).strip()


@given(st.one_of(_texts, _mixed, st.text()), st.one_of(_texts, _mixed, st.text()))
def test_language_counts_match_their_definitions(a: str, b: str) -> None:
    from aggregator.extract.language import _changed, _letters

    assert _letters(a) == sum(1 for c in a if c.isalpha())
    assert _changed(a, b) == sum(1 for x, y in zip(a, b) if x != y)
    assert _changed(a, a + b) == 0


@given(st.one_of(_texts, _mixed, st.text(), st.text(alphabet=st.characters(max_codepoint=127))))
def test_normalize_for_hash_is_its_definition(s: str) -> None:
    # the ASCII fast path against NFKC -> t2s -> lower -> drop non-word characters
    import re
    import unicodedata

    from aggregator.extract.language import to_simplified

    want = re.sub(r"[\W_]+", "", to_simplified(unicodedata.normalize("NFKC", s)).lower())
    assert normalize_for_hash(s) == want


@given(st.one_of(_texts, _mixed))
def test_normalize_for_hash_is_idempotent_and_blind_to_spacing(s: str) -> None:
    n = normalize_for_hash(s)
    assert normalize_for_hash(n) == n
    assert normalize_for_hash(collapse_ws(s)) == n
    assert normalize_for_hash(" ".join(s)) == n  # a space between every character
    assert not any(ch.isspace() for ch in n)


@given(_mixed)
def test_normalize_for_hash_folds_traditional_and_full_width(s: str) -> None:
    assume(s.strip())
    trad_to_simp = s.replace("晶圓", "晶圆").replace("發光", "发光").replace("二極體", "二极体")
    assert normalize_for_hash(s) == normalize_for_hash(trad_to_simp)
    assert normalize_for_hash(s.replace("Ａ", "A")) == normalize_for_hash(s)


# --- extractor fuzz --------------------------------------------------------------------


@lru_cache(maxsize=1)
def _pages() -> list[tuple[str, bytes]]:
    out = []
    for f in sorted(SITES.rglob("*")):
        if f.is_file() and not f.name.endswith(".headers") and f.suffix in (".html", ".htm", ".shtml", "") \
                and f.stat().st_size < 400_000:
            rel = f.relative_to(SITES)
            out.append((f"https://{rel.parts[0]}/" + "/".join(rel.parts[1:]), f.read_bytes()))
    return out


@lru_cache(maxsize=1)
def _profiles() -> dict[str, object]:
    from spiders import site_profiles

    return {p.key: p for p in site_profiles()}


def _profile_for(url: str):
    return next((p for p in _profiles().values() if p.owns(url)), None)


def _extract_cleanly(body: bytes | str, url: str, profile, charset: str | None = None) -> None:
    try:
        art = extract(body, url, profile, header_charset=charset)
    except ExtractError:
        return
    assert isinstance(art, Article) and isinstance(art.text, str) and art.text.strip()


@given(st.binary(max_size=4096), st.sampled_from([None, "utf-8", "gbk", "big5", "latin-1", "bogus-x"]))
def test_extract_random_bytes_only_raises_extract_error(data: bytes, charset: str | None) -> None:
    _extract_cleanly(data, "https://www.ledinside.com/news/2026/11/x", None, charset)


@given(st.text(max_size=2000))
def test_extract_random_text_only_raises_extract_error(data: str) -> None:
    _extract_cleanly(data, "https://www.china-led.net/news/1.html", None)


_MUTATIONS = ("truncate", "delete", "insert", "duplicate", "swap_tags", "nul", "charset", "flip")


@st.composite
def mutated_pages(draw: st.DrawFn) -> tuple[str, bytes]:
    pages = _pages()
    url, body = pages[draw(st.integers(0, len(pages) - 1))]
    for op in draw(st.lists(st.sampled_from(_MUTATIONS), min_size=1, max_size=4)):
        n = len(body)
        i = draw(st.integers(0, max(n - 1, 0)))
        j = draw(st.integers(i, min(n, i + 4096)))
        if op == "truncate":
            body = body[:i]
        elif op == "delete":
            body = body[:i] + body[j:]
        elif op == "insert":
            body = body[:i] + draw(st.binary(min_size=1, max_size=64)) + body[i:]
        elif op == "duplicate":
            body = body[:j] + body[i:j] * draw(st.integers(1, 20)) + body[j:]
        elif op == "swap_tags":
            body = body.replace(b"</div>", b"<div>").replace(b"</p>", b"<p><table>")
        elif op == "nul":
            body = body[:i] + b"\x00" * (j - i) + body[j:]
        elif op == "charset":
            body = body.replace(b"utf-8", b"gb2312").replace(b"UTF-8", b"big5").replace(b"gbk", b"utf-8")
        elif op == "flip":
            body = bytes(b ^ 0x80 if i <= k < j else b for k, b in enumerate(body))
    return url, body


@given(mutated_pages())
def test_extract_mutated_mirror_pages_only_raises_extract_error(page: tuple[str, bytes]) -> None:
    url, body = page
    _extract_cleanly(body, url, _profile_for(url))
    _extract_cleanly(body, url, None)


def test_fuzz_corpus_is_the_whole_mirror() -> None:
    pages = _pages()  # every page of tests/sites (98 when written), most with their profile
    assert len(pages) >= 60
    assert sum(_profile_for(u) is not None for u, _ in pages) >= 0.8 * len(pages)
