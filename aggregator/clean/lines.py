"""Line-level boilerplate: known phrases, per-profile rules, end markers.

Applied to the body's lines after element-level cleaning. Each pattern comes from
boilerplate seen in the page text of the profiled sites (docs/extraction.md and the
per-site notes in spiders/) or a B2B republisher's sample page (the "English: 中文版 ∷
英文版" switcher, the "Scan the qr code" footer). A line is only dropped by a *phrase*
pattern when it is short (``SHORT``), so a real paragraph that merely mentions
"contact us" survives.

Every phrase rule knows scripts and widths: lines and rules are both folded (``fold``:
NFKC, which turns full-width letters and punctuation half-width, then Traditional ->
Simplified with the project's OpenCC t2s) before they are compared, so a rule written
once in Simplified with ASCII punctuation also removes 「如需轉載，需本網站E-Mail授權」.
tests/test_clean_scripts.py generates the Traditional and full-width variants of every
rule and checks that none leaks.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from aggregator.html import filter_html_blocks
from aggregator.text import collapse_ws, normalize_for_hash, text_units

if TYPE_CHECKING:
    from aggregator.items import Article
    from aggregator.profiles import SiteProfile

__all__ = ["clean_lines", "clean_article", "explain_lines"]

# Lines at most this many reading units long may be dropped by a phrase pattern.
# Mirror chrome lines are <= 40 units; the shortest real paragraphs in the mirror
# bodies are ~25 units, which is why phrase patterns are anchored, not substrings.
SHORT = 30

# A line matching one of these (re.match, anchored at the start) is boilerplate.
_DROP = [
    r"English\s*[:：]\s*中文版", r"中文版\s*∷\s*英文版", r"英文版\s*∷\s*中文版",
    r"(?:Scan the qr code|the qr code|close)$", r"Scan the qr code",
    r"扫描二维码", r"手机看文章", r"分享\s*[:：到]", r"分享$",
    r"(?:Industry news|Company news|Press Center|News Article|Loading\.\.\.|News: ?Markets|News|行业新闻|行业资讯|新闻中心|新聞中心)$",
    r"Date\s*[:：].*Hits\s*[:：]?\s*\d+", r".*\bHits\s*[:：]\s*\d+$", r"Release on\s*[:：]",
    r"by\s*[:：]\s*\S+\s+\d{4}-\d{2}-\d{2}", r"Source\s*[:：]\s*\S+$", r"来源\s*[:：]", r"來源\s*[:：]",
    r"[\[【(（]?\s*(?:编辑|編輯|责任编辑|責任編輯)\s*[:：]", r"本文摘要\s*[:：]?",
    r"发布时间\s*[:：]", r"發布時間\s*[:：]", r"时间\s*[:：]\s*\d{4}", r"浏览\s*[:：]?\s*\d+",
    r"如需转载", r"如需获取更多资讯", r".*请关注LEDinside", r"凡注明为", r".*不代表本网赞同其观点",
    r"版权所有", r"版權所有", r"Copyright\b", r"©", r".*ICP备", r".*ICP證", r"友情链接", r"合作伙伴", r"高工旗下网站",
    r"相关文章", r"相关阅读", r"相关新闻", r"相關文章", r"More on This", r"Related (?:articles|news|posts)",
    r"Continue reading", r"READ MORE", r"Read more", r"ALSO READ", r"Previous\s*[:：]", r"Next\s*[:：]",
    r"上一篇", r"下一篇", r"Leave a Reply", r"Your email address will not be published",
    r"Please enter your comment", r"No comments", r"Post a Comment",
    r"Custom message", r"Chat Online", r"Leave Your Message", r"Shop Address", r"Mobile\s*[:：]",
    r"Skype\s*[:：]", r"New Products", r"Contact us", r"Your position\s*[:：]", r"您的位置", r"当前位置",
    r"Subscribe to our newsletter", r"Subscribe\b", r"订阅", r"[＞>]+\s*点击投票", r"Tags?\s*[:：]", r"标签\s*[:：]",
    r"Published\s*[:：]", r"Posted (?:on|by)\b", r"(?:Source|VIA)\s*/\s*VIA\s*[:：]",
    r"Gizchina News of the week", r"Share (?:this|on)\b", r"Print\b",
]


def fold(s: str) -> str:
    """What lines and rules are compared as: NFKC (full-width letters, digits and
    punctuation to their ASCII forms) then Traditional -> Simplified. ASCII is as it is."""
    if s.isascii():
        return s
    from aggregator.t2s import to_simplified

    return to_simplified(unicodedata.normalize("NFKC", s))


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def fold_pattern(pattern: str) -> str:
    """A regex that matches the folded form of what ``pattern`` matches: its non-ASCII
    literals folded (and escaped, since NFKC turns "（" into a regex's "(")."""
    return _NON_ASCII_RUN.sub(lambda m: re.escape(fold(m.group())), pattern)


_DROP_RX = re.compile("|".join(f"(?:{fold_pattern(p)})" for p in _DROP), re.I)

# A line that is only a date (with labels/punctuation), e.g. "- Jul 28, 2018 -".
_DATE_ONLY = re.compile(fold_pattern(
    r"^[\s\-–—|:：]*(?:(?:Date|Time|日期|时间|時間|Published|Posted|LpR Article)[\s|:：]*)?"
    r"(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s*\d{4})"
    r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?[\s\-–—|]*(?:\S+\s*){0,4}$"),
    re.I,
)

# The article ends at the first line that starts with one of these.
_END = [
    "相关文章", "相关阅读", "相关新闻", "相關文章", "分享:", "分享：", "Scan the qr code",
    "扫描二维码", "若有兴趣", "若有興趣", "Leave a Reply", "Related articles", "Related News",
    "Previous:", "Next:", "上一篇", "下一篇", "Custom message",
    # reprint notices and disclaimers close Chinese articles (mirror: LEDinside.cn, OFweek)
    "如需转载", "声明：本文", "免责声明", "版权声明", "For more information on reports and market data",
]
_END_FOLDED = tuple(fold(m) for m in _END)

# Dropped whatever their length: an editor's summary repeating the article (CSA), a
# pager ("上一页 1 2 下一页"), and a spam source trailer that a GBK portal appends to
# copied stories ("本文来源:… app下载-www.….com": a source line naming an app download or
# a bare www address).
_DROP_ANY = re.compile(fold_pattern(
    r"本文摘要\s*[:：]|上一页(?:\s*\d+)*\s*下一页$"
    r"|(?:本文)?来源\s*[:：].{0,80}?(?:app\s*下载|下载\s*app|www\.[\w-]+\.)"), re.I)

# Channel lead-ins glued to the first paragraph (OFweek: "OFweek半导体照明网讯：").
_LEAD_IN = re.compile(fold_pattern(r"^(?:OFweek[^\s：:]{0,12}网讯[：:]|[^\s：:]{2,10}网讯[：:]|（?本报讯）?)\s*"))


def _is_boilerplate(line: str, folded: str | None = None) -> bool:
    folded = fold(line) if folded is None else folded
    if _DROP_ANY.match(folded):
        return True
    if text_units(line) > SHORT:
        return False
    return bool(_DROP_RX.match(folded)) or bool(_DATE_ONLY.match(folded))


@lru_cache(maxsize=256)
def _profile_rules(drop_lines: tuple[str, ...], body_end: tuple[str, ...]) -> tuple[list, dict]:
    """A profile's drop_lines (as written, and folded) and the end markers, folded ->
    as written (the log names the marker as written)."""
    rules = [(re.compile(p), re.compile(fold_pattern(p))) for p in drop_lines]
    markers: dict[str, str] = {}
    for m in (*_END, *body_end):
        markers.setdefault(fold(m), m)  # the first as written ("若有兴趣", not "若有興趣")
    return rules, markers


def _strip_lead_in(line: str) -> str:
    """``line`` without a channel lead-in, in either script or width."""
    stripped = _LEAD_IN.sub("", line)
    if stripped != line or line.isascii():
        return stripped
    folded = fold(line)
    m = _LEAD_IN.match(folded)
    if m and m.end() and len(folded) == len(line):  # character for character: cut as long
        return line[m.end():]
    return line


def explain_lines(lines: list[str], profile: SiteProfile | None = None,
                  title: str = "") -> tuple[list[str], list[dict]]:
    """Return ``(kept, log)`` where ``log`` holds one ``{"line", "rule", "action",
    "why"}`` entry per removed line (or removed lead-in)."""
    extra, end_markers = _profile_rules(tuple(profile.drop_lines) if profile else (),
                                        tuple(profile.body_end) if profile else ())
    end_folded = tuple(end_markers)
    end_originals = (*_END, *(profile.body_end if profile else ()))
    title_key = normalize_for_hash(title) if title else ""
    kept: list[str] = []
    log: list[dict] = []

    def drop(line: str, rule: str, why: str) -> None:
        log.append({"line": line, "rule": rule, "action": "removed", "why": why})

    for i, raw in enumerate(lines):
        line = collapse_ws(raw)
        if not line:
            continue
        folded = fold(line)
        if folded.startswith(end_folded):
            marker = next((m for m in end_originals if line.startswith(m)), None) \
                or end_markers[next(m for m in end_folded if folded.startswith(m))]
            for rest in lines[i:]:
                if collapse_ws(rest):
                    drop(collapse_ws(rest), "end-marker", f"at or after the line starting {marker!r}")
            break
        if title_key and normalize_for_hash(line) == title_key:
            drop(line, "title", "repeats the title")
        elif _is_boilerplate(line, folded):
            drop(line, "phrase", "short line matching a boilerplate or date-only pattern")
        elif any(rx.search(line) or fx.search(folded) for rx, fx in extra):
            drop(line, "profile", "matches the profile's drop_lines")
        else:
            kept.append(line)
    if kept:
        stripped = _strip_lead_in(kept[0])
        if stripped != kept[0]:
            drop(kept[0][: len(kept[0]) - len(stripped)], "lead-in", "channel lead-in before the first paragraph")
            kept[0] = stripped
    return kept, log


def clean_lines(lines: list[str], profile: SiteProfile | None = None,
                title: str = "") -> tuple[list[str], list[str]]:
    """Return ``(kept, removed)``."""
    kept, log = explain_lines(lines, profile, title)
    return kept, [e["line"] for e in log]


def clean_article(article: Article, profile: SiteProfile | None = None) -> Article:
    """Text-level cleaning of an extracted article (the pipeline's clean stage)."""
    kept, log = explain_lines(article.text.split("\n"), profile, article.title)
    if not kept:
        return replace(article, warnings=[*article.warnings, "clean: everything looked like boilerplate; kept raw text"])
    removed = {e["line"] for e in log if e["rule"] != "lead-in"}
    lead_in = next((e["line"] for e in log if e["rule"] == "lead-in"), "")
    body_html = filter_html_blocks(article.body_html, removed - set(kept), lead_in)
    return replace(article, text="\n".join(kept), body_html=body_html,
                   clean_log=[*article.clean_log, *log])
