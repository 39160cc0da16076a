"""Bot-challenge detection: captcha pages, WAF interstitials, HTTP 202 challenges.

A challenge page is not news and must never be stored, nor should it pass silently as
"a listing with no links" (peers.md §2.7: fundus#936, a 202 + AWS-WAF page parsed as an
empty sitemap). ``detect_challenge`` is a pure function over status, headers and the
first bytes of the body; the downloader middleware in ``aggregator.middlewares``
reports what it returns and drops the response.
"""

from __future__ import annotations

import re

__all__ = ["detect_challenge"]

# Only the head of a page is searched: every interstitial below puts its marker in the
# first few KB (title, first script); 64 KB covers the largest one we know of (AWS WAF's
# inline challenge script, ~20 KB) with room to spare and keeps the scan cheap.
SCAN_BYTES = 64 * 1024

# Header markers (lowercase name -> regex over the value, or "" for presence).
_HEADER_MARKERS: tuple[tuple[str, str, str], ...] = (
    ("cf-mitigated", r"challenge", "Cloudflare challenge"),
    ("x-amzn-waf-action", r"challenge|captcha", "AWS WAF challenge"),
    ("x-datadome", r"", "DataDome"),
    ("x-sucuri-block", r"", "Sucuri firewall"),
)

# Body markers that only challenge pages carry (vendor script URLs, page titles).
_STRONG_MARKERS: tuple[tuple[str, str], ...] = (
    (r"<title>\s*just a moment\.\.\.", "Cloudflare challenge"),
    (r"cf-browser-verification|/cdn-cgi/challenge-platform/|cf_chl_opt", "Cloudflare challenge"),
    (r"attention required! \| cloudflare", "Cloudflare block page"),
    (r"awswafintegration|aws-waf-token|gokuprops", "AWS WAF challenge"),
    (r"_incapsula_resource|incapsula incident id", "Imperva/Incapsula"),
    (r"geo\.captcha-delivery\.com", "DataDome"),
    (r"sucuri website firewall", "Sucuri firewall"),
    (r"acw_sc__v2|aliyun_waf|/_guard/auto\.js", "Aliyun WAF"),
    (r"errors\.edgesuite\.net", "Akamai block page"),
)
# Words an article could also contain (a story about captchas): they count only on a
# small page, where there is no room for an article around them. 16 KB: the largest
# challenge page we know (a Chinese WAF slider page) is ~9 KB; real article pages on
# the bundled sites are 3-60 KB and carry none of these words.
_WEAK_MARKERS: tuple[tuple[str, str], ...] = (
    (r"class=\"g-recaptcha\"|www\.google\.com/recaptcha/api|hcaptcha\.com/1/api|class=\"h-captcha\"",
     "captcha"),
    (r"geetest|tencentcaptcha|turing\.captcha\.qcloud", "captcha"),
    (r"安全验证|人机验证|滑动验证|请完成验证|访问验证|请输入验证码", "captcha (zh)"),
    (r"please enable (?:javascript and )?cookies to continue|checking your browser before accessing",
     "browser check"),
    (r"<title>\s*access denied\s*</title>", "access-denied page"),
)
SMALL_PAGE_BYTES = 16 * 1024
_STRONG_RE = [(re.compile(p, re.I | re.S), name) for p, name in _STRONG_MARKERS]
_WEAK_RE = [(re.compile(p, re.I | re.S), name) for p, name in _WEAK_MARKERS]
_HEADER_RE = [(h, re.compile(p, re.I), name) for h, p, name in _HEADER_MARKERS]

# A 202 with a page this small is a challenge placeholder, not an article: the
# smallest real article page in the mirror is ~3 KB of HTML; AWS WAF's 202 is ~2 KB.
SMALL_202_BYTES = 3000


def detect_challenge(status: int, headers: dict[str, str], body: bytes) -> str | None:
    """Name of the challenge this response is, or None for an ordinary page.

    ``headers`` maps lowercase names to values."""
    for name, rx, what in _HEADER_RE:
        value = headers.get(name)
        if value is not None and rx.search(value):
            return what
    head = body[:SCAN_BYTES].decode("utf-8", "replace")
    markers = _STRONG_RE + (_WEAK_RE if len(body) < SMALL_PAGE_BYTES else [])
    for rx, what in markers:
        if rx.search(head):
            return what
    if status == 202 and len(body) < SMALL_202_BYTES:
        return "HTTP 202 placeholder"
    return None
