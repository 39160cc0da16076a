"""The folded form both the gazetteer's names and an article's text are matched in:
full-width Latin letters and digits to ASCII, Traditional to Simplified character by character, lower
case. Every character folds to exactly one character, so an offset in the folded text
is the same offset in the original (the tagger reads case and neighbours there).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

__all__ = ["fold"]

# Full-width letters and digits (ＬＥＤ, ２０２６) only: full-width punctuation ("，", "（")
# is in nearly every Chinese text and no name holds it; translating whole texts for it
# was half of the tagging time on the mirror's Chinese pages (cProfile, bench/entities.py).
_WIDE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


@lru_cache(maxsize=1)
def _t2s() -> tuple[dict[int, int], re.Pattern[str]]:
    """OpenCC's Traditional -> Simplified character table, one-to-one entries only
    (the same file and first-candidate rule as the search index's fold), with a class
    of its keys: text without a key is left as it is after one scan."""
    import opencc

    table: dict[int, int] = {}
    path = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    for line in path.read_text("utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        first = simp.split(" ")[0]
        if len(trad) == 1 and len(first) == 1 and first != trad:
            table[ord(trad)] = ord(first)
    # BMP keys only in the class (sre tests a BMP class with a bitmap; see
    # aggregator.extract.t2s): the few astral keys are not company or topic characters.
    keys = "".join(re.escape(chr(c)) for c in sorted(table) if c <= 0xFFFF)
    return table, re.compile("[" + keys + "]")


def fold(s: str) -> str:
    """Width-, script- and case-folded ``s``, of the same length."""
    if s.isascii():
        return s.lower()
    if _WIDE.search(s):
        s = _WIDE.sub(lambda m: chr(ord(m[0]) - 0xFEE0), s)
    table, keys = _t2s()
    if keys.search(s):
        s = keys.sub(lambda m: chr(table[ord(m[0])]), s)
    low = s.lower()
    if len(low) != len(s):  # a character whose lower case is longer (İ): keep it
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in s)
    return low
