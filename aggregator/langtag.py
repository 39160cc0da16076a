"""Language tags as users write them (BCP 47, RFC 5646) -> the stored languages.

``en``, ``en-US``, ``EN_gb`` -> ``en``; ``zh-CN``, ``zh-SG``, ``zh-Hans``, ``zh-Hans-CN``
-> ``zh-Hans``; ``zh-TW``, ``zh-HK``, ``zh-MO``, ``zh-Hant``, ``zh-Hant-HK`` -> ``zh-Hant``
(a script subtag wins over a region: ``zh-Hant-CN`` is Traditional); plain ``zh`` (or
``cmn``, ``zh-cmn``) says Chinese without the script, returned as ``zh`` for the caller
to decide from the text. Subtags are case-insensitive and may be joined by ``_`` as
in POSIX locales (RFC 5646 §2.1.1). The regions written in Traditional characters by
default are those of CLDR's likely-subtags data (``zh-TW``, ``zh-HK``, ``zh-MO`` ->
``Hant``); every other Chinese region is Simplified.
"""

from __future__ import annotations

__all__ = ["normalize_lang", "LangTagError"]

_TRADITIONAL_REGIONS = {"tw", "hk", "mo"}
_CHINESE = {"zh", "cmn", "zho", "chi"}
_ENGLISH = {"en", "eng"}


class LangTagError(ValueError):
    pass


def normalize_lang(tag: str) -> str:
    """``en``, ``zh-Hans``, ``zh-Hant``, or ``zh`` (Chinese, script not said); raises
    LangTagError for any other language or a malformed tag."""
    parts = [p for p in tag.strip().replace("_", "-").lower().split("-")]
    if not parts or not all(p.isalnum() and 1 <= len(p) <= 8 for p in parts):
        raise LangTagError(f"{tag!r} is not a language tag (e.g. en, zh-CN, zh-TW, zh-Hant)")
    lang, rest = parts[0], parts[1:]
    if lang in ("zh",) and rest and rest[0] in ("cmn",):  # extlang form zh-cmn-...
        rest = rest[1:]
    if lang in _ENGLISH:
        return "en"
    if lang not in _CHINESE:
        raise LangTagError(f"{tag!r}: only English and Chinese are kept (en, zh, zh-CN, zh-TW, ...)")
    for p in rest:
        if p == "hans":
            return "zh-Hans"
        if p == "hant":
            return "zh-Hant"
    for p in rest:
        if len(p) == 2 and p.isalpha() or (len(p) == 3 and p.isdigit()):
            return "zh-Hant" if p in _TRADITIONAL_REGIONS else "zh-Hans"
    return "zh"
