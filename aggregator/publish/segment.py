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

__all__ = ["normalize", "index_form", "fts_query", "parse_query"]

_WORD = re.compile(r"\w")
# Characters that make the text "Chinese" for the Traditional -> Simplified fold.
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Runs cut into bigrams: CJK ideographs (with extensions A-F and compatibility forms),
# kana and Hangul syllables, the scripts written without spaces between words.
_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
                  r"\U00020000-\U0003134f]+")
# "MicroLED", "micro-LED", "μLED" are written all ways; index them all as "micro led".
_LED_NAMES = re.compile(r"\b(micro|mini|μ)[\s\-‐]?(led|oled)\b")  # on lower-cased text


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


_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


def parse_query(q: str | None) -> tuple[list[list[str]], list[str]]:
    """A user query as (clauses, negatives): every clause must match, a clause is a
    list of alternatives (joined by ``OR``), each alternative a phrase text; a
    ``-word`` or ``-"phrase"`` excludes. Consecutive Latin words form one phrase (as
    ``fts_query`` always did: "Micro LED"); Chinese parts and quoted text are one
    phrase each."""
    items: list[tuple[str, str]] = []  # ("pos" | "neg" | "or" | "latin", text)
    for m in _TOKEN.finditer(q or ""):
        neg, quoted, bare = m.group(1), m.group(2), m.group(3)
        if quoted is not None:
            items.append(("neg" if neg else "pos", quoted))
        elif bare == "OR":
            items.append(("or", bare))
        elif bare.startswith("-") and len(bare) > 1 and _WORD.search(bare[1:]):
            items.append(("neg", bare[1:]))
        elif not _RUN.search(normalize(bare)):
            items.append(("latin", bare))
        else:
            items.append(("pos", bare))
    units: list[tuple[str, str]] = []  # latin runs merged into one "pos"
    for kind, text in items:
        if kind == "latin":
            if units and units[-1][0] == "run":
                units[-1] = ("run", units[-1][1] + " " + text)
            else:
                units.append(("run", text))
        else:
            units.append((kind, text))
    clauses: list[list[str]] = []
    negatives: list[str] = []
    pending_or = False
    for kind, text in units:
        if kind == "or":
            pending_or = bool(clauses)
            continue
        if kind == "neg":
            negatives.append(text)
        elif pending_or:
            clauses[-1].append(text)
        else:
            clauses.append([text])
        pending_or = False
    return clauses, negatives


def fts_query(q: str | None) -> str:
    """An FTS5 MATCH expression for a user query.

    Space-separated parts must all match (AND); ``A OR B`` matches either; ``-word``
    (or ``-"a phrase"``) excludes. A part with Chinese is one phrase (its bigrams, in
    order: a substring match); consecutive Latin words ("Micro LED", "UV-C") form one
    phrase too; text in double quotes is always one phrase. A one-character Chinese
    query only finds the character standing alone; the canned ``search`` query adds a
    substring scan for such short queries. Never raises: an empty query, or one with
    only exclusions, gives ``'""'``, which matches nothing."""
    clauses, negatives = parse_query(q)
    parts = []
    for alts in clauses:
        exprs = [p for p in map(_phrase, alts) if p]
        if exprs:
            parts.append(exprs[0] if len(exprs) == 1 else "(" + " OR ".join(exprs) + ")")
    if not parts:
        return '""'
    expr = " AND ".join(parts)
    nots = [p for p in map(_phrase, negatives) if p]
    if nots:
        expr = f"({expr}) NOT ({' OR '.join(nots)})"
    return expr
