"""Boilerplate rules know scripts and widths: for every phrase rule, end marker and
lead-in of aggregator/clean/lines.py a matching line is generated from the rule itself,
then its Traditional variants (OpenCC s2t, s2tw, s2hk) and its full-width and
half-width punctuation variants; not one of them may survive cleaning."""

from __future__ import annotations

import re
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]

import opencc
import pytest

from aggregator.clean import lines as L
from aggregator.clean.lines import clean_lines, explain_lines
from aggregator.clean.template import learn, line_key

BODY = ("这是一段足够长的正文，讲述LED显示屏厂商今年的出货情况、价格走势以及下游需求的变化，"
        "用来确保清理规则只删除样板行而保留正文。")
_CONVERTERS = [opencc.OpenCC(c) for c in ("s2t", "s2tw", "s2hk")]
_FULL = {ord(c): chr(ord(c) + 0xFEE0) for c in ":,()[]!?;>"}
_HALF = {v: chr(k) for k, v in _FULL.items()} | {ord("【"): "[", ord("】"): "]"}


def _example(pattern: str) -> str:
    """A short string that ``re.match(pattern, ...)`` accepts: the first branch of every
    alternation, the fewest repeats (one where none is not allowed), the first member
    of each character class (a letter for a negated one)."""
    out: list[str] = []

    def walk(items) -> None:
        for op, av in items:
            if op is C.LITERAL:
                out.append(chr(av))
            elif op is C.SUBPATTERN:
                walk(av[-1])
            elif op is C.BRANCH:
                walk(av[1][0])
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
                lo, _hi, sub = av
                for _ in range(max(lo, 0)):
                    walk(sub)
            elif op is C.IN:
                first = av[0]
                if first[0] is C.NEGATE:
                    out.append("字")
                elif first[0] is C.LITERAL:
                    out.append(chr(first[1]))
                elif first[0] is C.RANGE:
                    out.append(chr(first[1][0]))
                elif first[0] is C.CATEGORY:
                    out.append({C.CATEGORY_DIGIT: "1", C.CATEGORY_SPACE: " "}.get(first[1], "a"))
            elif op is C.ANY:
                out.append("字")
            elif op is C.CATEGORY:
                out.append("a")
            # AT (anchors) and lookarounds add nothing

    walk(P.parse(pattern))
    return "".join(out)


def _variants(line: str) -> set[str]:
    out = {line, line.translate(_FULL), line.translate(_HALF)}
    for conv in _CONVERTERS:
        t = conv.convert(line)
        out |= {t, t.translate(_FULL), t.translate(_HALF)}
    return {v for v in out if v.strip()}


def _phrase_lines() -> list[tuple[str, str]]:
    out = []
    for rule in L._DROP:
        ex = _example(rule)
        if not ex.strip():
            continue
        assert re.match(rule, ex, re.I), (rule, ex)  # the generator is right
        out.append((rule, ex))
    return out


@pytest.mark.parametrize("rule,example", _phrase_lines())
def test_every_phrase_rule_removes_all_script_and_width_variants(rule: str, example: str) -> None:
    leaks = []
    for v in _variants(example):
        kept, _removed = clean_lines([BODY, v, BODY + "。"])
        if v in kept:
            leaks.append(v)
    assert not leaks, (rule, leaks)


@pytest.mark.parametrize("marker", L._END)
def test_every_end_marker_ends_the_article_in_every_variant(marker: str) -> None:
    for v in _variants(marker + " 更多内容"):
        kept, _removed = clean_lines([BODY, v, "后面的文字也都不是正文"])
        assert kept == [BODY], (marker, v, kept)


def test_lead_in_and_drop_any_rules_in_traditional() -> None:
    for v in _variants("LEDinside网讯：" + BODY):
        kept, log = explain_lines([v])
        assert [e["rule"] for e in log] == ["lead-in"], v
        assert not kept[0].startswith(("LEDinside", "ＬＥＤ")), kept
    for trailer in ("本文来源:新浪财经 app下载-www.example.com",
                    "本文来源：某某网 www.example-news.com 下载APP"):
        for v in _variants(trailer):
            kept, _removed = clean_lines([BODY, v])
            assert kept == [BODY], v
    # the two lines a zh-Hant page kept before rules were folded
    kept, removed = clean_lines([BODY, "如需獲取更多資訊，請關注LEDinside官網", BODY + "。",
                                 "如需轉載，需本網站E-Mail授權", "其他"])
    assert kept == [BODY, BODY + "。"] and len(removed) == 3


def test_profile_rules_fold_too() -> None:
    from dataclasses import replace

    from spiders import site_profiles

    prof = replace(site_profiles()[0], drop_lines=(r"^点击查看原文",), body_end=("延伸阅读",))
    kept, _ = clean_lines([BODY, "點擊查看原文", BODY + "。", "延伸閱讀：其他", "后文"], prof)
    assert kept == [BODY, BODY + "。"]


def test_learned_templates_fold_scripts() -> None:
    """A template learned from Simplified pages removes the same line in Traditional:
    its key is script- and width-folded."""
    docs = [(f"https://s.example/{i}", [f"第{i}篇正文内容不同", "扫描二维码关注我们的公众号"])
            for i in range(12)]
    keys = {t.key for t in learn(docs)}
    assert line_key("掃描二維碼關注我們的公眾號") in keys
    assert line_key("掃描二維碼，關注我們的公眾號！") in keys  # punctuation does not count
