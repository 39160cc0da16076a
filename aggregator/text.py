"""Small text helpers shared by the extractor, cleaner and dedup: language-aware.

Chinese has no spaces, so "length" here is never a whitespace word count: every
CJK character counts as one unit and every run of Latin letters/digits as one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["collapse_ws", "cjk_count", "text_units", "normalize_for_hash", "content_hash", "repair_mojibake",
           "normalize_width", "repair_text"]

# Horizontal whitespace (no "\n": aggregator.html.block_lines relies on that).
_WS_NOT_SPACE = r"\t\r\f\v\u00a0\u3000\u2002-\u200b\ufeff"
WS_RUN = re.compile(f"[ {_WS_NOT_SPACE}]+")
_WS = WS_RUN
_WS_ODD = re.compile(f"[{_WS_NOT_SPACE}]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_RUN = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_ASCII_NOT_WORD = bytes(c for c in range(128) if _NOT_WORD.match(chr(c)))


# A line passes here several times (as a content block, as a body line in repair_text,
# again in the line cleaner): 77 % of the calls on the generated mirror repeat a text
# seen just before (28.6 calls, 6.6 distinct texts a page), answered by this cache.
@lru_cache(maxsize=512)
def collapse_ws(s: str) -> str:
    """Collapse runs of horizontal whitespace (incl. NBSP, ideographic space) to one space."""
    if "  " in s or _WS_ODD.search(s):
        return _WS.sub(" ", s).strip()
    # Only single spaces: the substitution would rebuild the line unchanged, one
    # replacement per word (0.3 instead of 1.2 us a line, issue 8).
    return s.strip()


_CJK_RUN = re.compile(_CJK.pattern + "+")
# ASCII byte -> b"a" for a _LATIN_RUN character, else b" ": an ASCII text's Latin runs
# are then counted by bytes.count, without making one string object per word.
_ASCII_UNITS = bytes(97 if i < 128 and _LATIN_RUN.fullmatch(chr(i)) else 32 for i in range(256))


# text_units and cjk_count run on every block, paragraph and line of every page (~100
# calls a page): counted as below they take 0.9 instead of 3.7 us on an English line
# and 1.6 instead of 6.7 us on a Chinese one (bench/extract_regress.py, issue 8).
def cjk_count(s: str) -> int:
    if s.isascii():
        return 0
    m = _CJK.search(s)  # a text without CJK: one scan, no run search
    return sum(map(len, _CJK_RUN.findall(s, m.start()))) if m else 0


# The same text is measured several times a page (a paragraph as a voter, a wrapper's
# part, a content block, a body line, a boilerplate candidate): 80 % of the calls hit
# this cache on the generated mirror, 0.97 -> 0.93 ms of prepare_page a page (issue 8).
# 512 entries hold a few pages' paragraphs.
@lru_cache(maxsize=512)
def text_units(s: str) -> int:
    """Length in reading units: CJK characters plus Latin words."""
    if s.isascii():
        t = s.encode("ascii").translate(_ASCII_UNITS)
        return t.count(b" a") + (t[:1] == b"a")
    return cjk_count(s) + len(_LATIN_RUN.findall(s))


def normalize_for_hash(s: str) -> str:
    """NFKC, Traditional->Simplified, lower case, no whitespace or punctuation."""
    from aggregator.t2s import to_simplified

    if s.isascii():
        # NFKC and t2s leave ASCII as it is (tests/test_t2s.py checks the latter); in
        # ASCII, [\W_] is every byte but a letter or digit: bytes.translate deletes them
        # (English lines: 1.1 -> 0.4 us each; ~30 lines an article, issue 8)
        return s.lower().encode("ascii").translate(None, _ASCII_NOT_WORD).decode("ascii")
    s = unicodedata.normalize("NFKC", s)
    s = to_simplified(s)
    return _NOT_WORD.sub("", s.lower())


# --- repair ------------------------------------------------------------------------
# UTF-8 bytes decoded as cp1252/latin-1 ("â€œ" for a curly quote, "æ–°é—»" for 新闻):
# every byte of a UTF-8 multi-byte sequence is >= 0x80, so the damage is a run of
# characters that cp1252 maps to bytes >= 0x80. Such a run is re-encoded to bytes and
# decoded as UTF-8; it is replaced only if that decodes strictly (so "café" stays).
_CP1252_EXTRA = {ch: b for b in range(0x80, 0xA0)
                 for ch in [bytes([b]).decode("cp1252", "ignore")] if ch}
_MOJI_CHARS = "".join(sorted(_CP1252_EXTRA)) + "".join(chr(c) for c in range(0x80, 0x100))
_MOJI_RUN = re.compile("[" + re.escape(_MOJI_CHARS) + "]{2,}")
# Lead bytes of 2-4 byte UTF-8 sequences as latin-1 characters; a run must contain one.
_LEADS = frozenset(chr(c) for c in range(0xC2, 0xF5))
# Searched first: a range is tested faster than _MOJI_RUN's class (1.5 vs 3.8 us on a
# 220-character Chinese paragraph; ~20 texts a page go through here, issue 8).
_LEAD = re.compile("[\u00c2-\u00f4]")


def _to_bytes(run: str) -> bytes | None:
    out = bytearray()
    for ch in run:
        if ch in _CP1252_EXTRA:
            out.append(_CP1252_EXTRA[ch])
        elif 0x80 <= ord(ch) < 0x100:
            out.append(ord(ch))
        else:
            return None
    return bytes(out)


def _fix_run(m: re.Match[str]) -> str:
    run = m.group(0)
    if not any(c in _LEADS for c in run):
        return run
    raw = _to_bytes(run)
    if raw is None:
        return run
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return run


def repair_mojibake(s: str) -> str:
    """Undo UTF-8-read-as-cp1252 damage (``â€œ`` -> ``“``); other text is unchanged."""
    if not s or s.isascii() or not _LEAD.search(s):
        return s  # (_fix_run changes no run without a lead byte)
    return _MOJI_RUN.sub(_fix_run, s)


_FW_ALNUM = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF5F)
             if chr(c - 0xFEE0).isalnum()}
_FW_PUNCT = frozenset(chr(c) for c in range(0xFF01, 0xFF5F) if not chr(c - 0xFEE0).isalnum())
_CJK_OR_CJK_PUNCT = re.compile(r"[\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WIDE_OR_INVISIBLE = re.compile(r"[\uff01-\uff5e\u00ad\u200b-\u200f\u2060\ufeff]")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2060\ufeff]")


def normalize_width(s: str) -> str:
    """Full-width Latin letters and digits to ASCII (``Ｍｉｎｉ ＬＥＤ`` -> ``Mini LED``);
    full-width punctuation to ASCII only in a line without Chinese text (``，`` in a
    Chinese sentence is the correct comma); invisible characters dropped."""
    if not s or s.isascii() or not _WIDE_OR_INVISIBLE.search(s):
        return s
    s = _INVISIBLE.sub("", s.translate(_FW_ALNUM))
    if not any(c in _FW_PUNCT for c in s) or _CJK_OR_CJK_PUNCT.search(s):
        return s  # Chinese text keeps its full-width punctuation
    return "".join(chr(ord(c) - 0xFEE0) if c in _FW_PUNCT else c for c in s)


def repair_text(s: str) -> str:
    """Mojibake repair, width normalisation and whitespace collapse of one line."""
    return collapse_ws(normalize_width(repair_mojibake(s)))


def content_hash(text: str) -> str:
    """sha1 of the text after NFKC, Traditional->Simplified, lower case, no spaces or
    punctuation: identical syndicated copies and script variants hash alike (the
    fingerprint dedup compares, ``aggregator.dedup.fingerprint``; here so storage can
    hash a re-cleaned text without importing dedup)."""
    import hashlib

    return hashlib.sha1(normalize_for_hash(text).encode("utf-8")).hexdigest()
