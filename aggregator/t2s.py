"""Traditional -> Simplified conversion with OpenCC's ``t2s`` dictionaries and OpenCC's
exact result, at C speed for the common cases.

opencc-python-reimplemented converts in pure Python: it splits the text at
punctuation and whitespace, then within each segment repeatedly takes the longest
dictionary phrase (the leftmost of that length), and converts the single characters
left between phrases with the character table. That was ~10 % of a crawl's CPU (issue
8). The result is the same as this:

- a phrase occurrence never crosses a separator (no phrase key contains one), so the
  segments need not be cut apart: all phrase occurrences of the whole text are taken
  longest first, leftmost first among equal lengths, each one kept unless it overlaps
  one kept before (the order OpenCC's recursive search keeps them in);
- every other character goes through the character table (``str.translate``), except
  the separators themselves, which OpenCC copies unconverted;
- a text with no character-table key and no phrase "anchor" (see ``_ANCHORS``) is
  returned as it is, which is most Simplified and all English text.

``tests/test_t2s.py`` and ``bench/extract_regress.py`` compare it with OpenCC itself.
When the installed OpenCC's t2s configuration has another shape than the one this
reads (one group: a phrase file, then a one-character file), OpenCC is used instead.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable

__all__ = ["converter", "to_simplified"]


def _read(path: Path) -> dict[str, str]:
    """A dictionary file the way OpenCC reads it: later keys win, first of several values."""
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            key, value = line.strip().split("\t")
            out[key] = value.split(" ")[0]
    return out


def _charclass(chars: set[str]) -> re.Pattern[str]:
    """A class matching ``chars`` and every character outside the BMP. sre tests a
    class of BMP characters with a bitmap but scans a list for one holding astral
    characters (18 ms instead of 0.15 ms over 40,000 characters); the looser class only
    sends the rare text with an astral character down the slower exact path."""
    bmp = "".join(re.escape(c) for c in sorted(chars) if ord(c) <= 0xFFFF)
    return re.compile("[" + bmp + "\U00010000-\U0010FFFF]")


class _FastT2S:
    def __init__(self, phrases: dict[str, str], chars: dict[str, str], separators: re.Pattern[str]):
        # OpenCC matches inside separator-free segments only: a key holding a separator
        # never matches, and a separator is never converted.
        self.phrases = {k: v for k, v in phrases.items() if k and not separators.search(k)}
        self.table = {ord(k): v for k, v in chars.items() if not separators.fullmatch(k)}
        # str.translate with this 4,000-key table rebuilds the text a character at a time
        # (~150 ns each): 114 us for a 740-character Simplified paragraph that holds one
        # astral character (which sends it down the exact path) and no key. Replacing
        # only the characters that can be keys costs a scan plus ~0.5 us a replaced one
        # (issue 8).
        self.key_class = _charclass({chr(c) for c in self.table})
        # The lengths of the phrases that start with each character, longest first:
        # 1.2 lengths a first character instead of all 9 (OpenCC 1.1's t2s). With
        # ``_translate`` below, t2s went from 33 to 15 us a page on the generated mirror
        # (8 us of it this; issue 8).
        starts: dict[str, set[int]] = {}
        for k in self.phrases:
            starts.setdefault(k[0], set()).add(len(k))
        self.starts = {c: tuple(sorted(ns, reverse=True)) for c, ns in starts.items()}
        self.first = _charclass({k[0] for k in self.phrases})
        # Every phrase holds at least one anchor: its characters that the character
        # table converts (Traditional-only characters, rare in Simplified text), or
        # its last character when it has none (3 of the 277 phrases: 有序, 沈船, 沈默).
        anchors: set[str] = set()
        for k in self.phrases:
            own = {c for c in k if ord(c) in self.table}
            anchors |= own or {k[-1]}
        self.anchor = _charclass(anchors) if anchors else None
        changing = anchors | {chr(c) for c in self.table}
        self.changing = _charclass(changing) if changing else None

    def _translate(self, s: str) -> str:
        """``s.translate(self.table)``."""
        table = self.table
        return self.key_class.sub(lambda m: table.get(ord(m[0]), m[0]), s)

    def __call__(self, s: str) -> str:
        if self.changing is None or not self.changing.search(s):
            return s
        if self.anchor is None or not self.anchor.search(s):
            return self._translate(s)
        phrases = self.phrases
        found = []
        size = len(s)
        starts = self.starts
        for m in self.first.finditer(s):
            i = m.start()
            for n in starts.get(s[i], ()):  # (the class also matches astral characters)
                if i + n <= size and s[i:i + n] in phrases:
                    found.append((-n, i))
        if not found:
            return self._translate(s)
        found.sort()
        taken = bytearray(len(s))
        kept = []
        for neg, i in found:
            n = -neg
            if taken.find(1, i, i + n) < 0:
                taken[i:i + n] = b"\x01" * n
                kept.append((i, n))
        kept.sort()
        out = []
        pos = 0
        for i, n in kept:
            out.append(self._translate(s[pos:i]))
            out.append(phrases[s[i:i + n]])
            pos = i + n
        out.append(self._translate(s[pos:]))
        return "".join(out)


@lru_cache(maxsize=1)
def converter() -> Callable[[str], str]:
    """The t2s function: ``_FastT2S`` over OpenCC's own files, or OpenCC's ``convert``."""
    import opencc

    cc = opencc.OpenCC("t2s")
    base = Path(opencc.__file__).parent
    config = json.loads((base / "config" / "t2s.json").read_text("utf-8"))
    chain = config.get("conversion_chain") or []
    group = chain[0].get("dict", {}) if len(chain) == 1 else {}
    files = [d.get("file") for d in group.get("dicts", []) if d.get("type") == "txt"]
    if group.get("type") != "group" or len(files) != 2 or len(group["dicts"]) != 2:
        return cc.convert
    phrases, chars = (_read(base / "dictionary" / f) for f in files)
    if any(len(k) != 1 for k in chars):
        return cc.convert
    return _FastT2S(phrases, chars, cc.split_chars_re)


class _ToSimplified:
    """OpenCC t2s (its phrase and character tables), exact, mostly at C speed. It was an
    lru_cache of 4,096 texts while OpenCC's pure-Python conversion cost ~7 s of a 68 s
    crawl; converting again now costs no more than the cache lookup did (5.3 vs 6.0 us a
    call over the mirror's Chinese lines, issue 8), so nothing is kept and the cache's
    ~16 MB are saved."""

    def __call__(self, s: str) -> str:
        return converter()(s)


# A leaf module (no lednews imports), so text helpers (aggregator.text), cleaning and
# extraction all use it without importing one another.
to_simplified = _ToSimplified()
