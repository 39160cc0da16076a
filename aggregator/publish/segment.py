"""Index form of a text for the stored search index: CJK character bigrams (issue 8).

The index stays portable: ``articles`` text is turned into index terms here, in Python,
and stock FTS5 (``unicode61``) indexes them (``aggregator.storage.search``). Any SQLite
can then search the file; our Datasette plugin only adds ``zh_fts_query(q)``, which
turns a *query* into terms the same way (``fts_query`` below).

Both sides normalise alike (NFKC, Traditional folded to Simplified character by
character with OpenCC's t2s character table, lower case, LED product names unified);
then every run of CJK characters becomes its
overlapping two-character pieces ("智能照明" -> "智能 能照 照明"; a one-character run
stays itself) set apart by spaces, and Latin words and numbers stay words. A Chinese
query of two or more characters is the FTS5 phrase of its bigrams, which matches
exactly where the query is a substring of the normalised text: no dictionary, no word
boundaries to disagree about (the idea of Lucene's CJK bigram filter). Bigrams cost
0.02 ms per article of bench/storage.py's corpus against 1.5 ms for jieba's search
mode, which the index used before.

Changing ``index_form`` changes the terms of stored rows: it needs a migration that
rebuilds the index (``aggregator.storage.search.rebuild``), since the contentless FTS5
table deletes a row's old terms by recomputing them from the old text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

__all__ = ["normalize", "index_form", "fts_query"]

_WORD = re.compile(r"\w")
# Characters that make the text "Chinese" for the Traditional -> Simplified fold.
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Runs cut into bigrams: CJK ideographs (with extensions A-F and compatibility forms),
# kana and Hangul syllables, the scripts written without spaces between words.
_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
                  r"\U00020000-\U0003134f]+")
# "MicroLED", "micro-LED", "μLED" are written all ways; index them all as "micro led".
_LED_NAMES = re.compile(r"\b(micro|mini|μ)[\s\-‐]?(led|oled)\b")  # on lower-cased text
_QUOTED = re.compile(r'"([^"]*)"|(\S+)')


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    """OpenCC's Traditional -> Simplified character table (its first candidate per
    character), for ``str.translate``. Character by character, unlike OpenCC's phrase
    conversion, so the fold of a query is the fold of the same substring in any text
    (a bigram phrase needs that), and it costs ~2 µs per article instead of ~70 µs for
    the pure-Python OpenCC on bench/storage.py's texts."""
    import opencc

    table: dict[int, str] = {}
    path = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    for line in path.read_text("utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        first = simp.split(" ")[0]
        if len(trad) == 1 and first and first != trad:
            table[ord(trad)] = first
    return table


def normalize(text: str | None) -> str:
    """NFKC, Traditional -> Simplified (character by character), lower case."""
    text = unicodedata.normalize("NFKC", text or "")
    if _CJK.search(text):
        text = text.translate(_t2s_table())
    return text.lower()


def _led_name(m: re.Match[str]) -> str:
    return ("micro" if m.group(1) == "μ" else m.group(1)) + " " + m.group(2)


def _bigrams(m: re.Match[str]) -> str:
    run = m.group()
    if len(run) == 1:
        return f" {run} "
    return " " + " ".join(map(str.__add__, run, run[1:])) + " "


def index_form(text: str | None) -> str:
    """What the index stores for a text: normalised, CJK runs as spaced bigrams, LED
    product names unified (after the spacing, so "miniled背光" is "mini led" too)."""
    if not text:
        return ""
    return _LED_NAMES.sub(_led_name, _RUN.sub(_bigrams, normalize(text)))


def _phrase(text: str) -> str | None:
    form = index_form(text).split()
    if not any(_WORD.search(t) for t in form):
        return None
    return '"' + " ".join(form).replace('"', '""') + '"'


def fts_query(q: str | None) -> str:
    """An FTS5 MATCH expression for a user query.

    Space-separated parts must all match (AND). A part with Chinese is one phrase (its
    bigrams, in order: a substring match); consecutive Latin words ("Micro LED", "UV-C")
    form one phrase too; text in double quotes is always one phrase. A one-character
    Chinese query only finds the character standing alone; the canned ``search`` query
    adds a substring scan for such short queries. Never raises: an empty query gives
    ``'""'``, which matches nothing."""
    groups: list[str] = []
    latin_run: list[str] = []
    for m in _QUOTED.finditer(q or ""):
        quoted, bare = m.group(1), m.group(2)
        text = quoted if quoted is not None else bare
        if quoted is None and not _RUN.search(normalize(text)):
            latin_run.append(text)
            continue
        if latin_run:
            groups.append(" ".join(latin_run))
            latin_run = []
        groups.append(text)
    if latin_run:
        groups.append(" ".join(latin_run))
    exprs = [p for p in map(_phrase, groups) if p]
    return " AND ".join(exprs) if exprs else '""'
