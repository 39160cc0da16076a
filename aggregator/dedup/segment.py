"""jieba's dictionary segmentation (``jieba.lcut(text, HMM=False)``), cheaper per process.

Two costs of using jieba itself in the page worker, measured over 1,000 pages of
bench/crawl.py's mirror: loading its dictionary (``Tokenizer.initialize``: a
``marshal.load`` that reads the file object piece by piece) took 0.6-0.7 s of CPU per
process and ``import jieba`` 0.16 s more (its HMM tables, which HMM=False never uses);
scoring the route looked every word up twice (``FREQ``, then ``log``).

So the dictionary is derived once into a cache file beside CC-CEDICT's table
(``gloss.cache_dir()``): every word and prefix of jieba's ``FREQ`` with its route score
``log(freq) - log(total)`` computed in the float operations jieba uses (prefixes, which
jieba never takes as words, get ``0.0``, a value no word can have since no word holds
the whole total), plus jieba's ``re_han_default`` block pattern. Loading it is one read,
one ``marshal.loads`` and one ``dict(zip(...))``: ~0.19 s, without importing jieba. The
file's name carries a digest of jieba's version, of its dict.txt's size and mtime and of
this module's code, so another dictionary or a changed derivation rebuilds it.
"""

from __future__ import annotations

import array
import hashlib
import importlib.util
import logging
import marshal
import re
from functools import lru_cache
from math import log
from pathlib import Path

__all__ = ["dictionary", "segment", "release"]


def _dict_file() -> Path:
    """jieba's default dict.txt, located without importing jieba."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "dict.txt"


def _cache_file() -> Path:
    from importlib.metadata import version

    from aggregator.dedup.gloss import cache_dir

    src = _dict_file()
    st = src.stat()
    h = hashlib.sha256(f"{src}|{st.st_size}|{st.st_mtime_ns}|{version('jieba')}".encode())
    h.update(Path(__file__).read_bytes())
    return cache_dir() / f"jieba-{h.hexdigest()[:16]}.marshal"


def _build() -> tuple[str, str, bytes, float]:
    """``(block pattern, words and prefixes joined by newlines, their scores as float64
    bytes, -log(total))`` from jieba's own Tokenizer."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    logtotal = log(tk.total)
    words = list(tk.FREQ)
    if any("\n" in w for w in words):
        raise ValueError("jieba dictionary word with a newline")
    scores = array.array("d", [log(f) - logtotal if f else 0.0 for f in tk.FREQ.values()])
    if any(s == 0.0 for s, f in zip(scores, tk.FREQ.values()) if f):
        raise ValueError("jieba dictionary word with the whole total: 0.0 would mark it a prefix")
    return jieba.re_han_default.pattern, "\n".join(words), scores.tobytes(), 0.0 - logtotal


def _read(path: Path) -> tuple[str, str, bytes, float] | None:
    """The cache file's tuple, or None when it is missing or not one of ours."""
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if (isinstance(data, tuple) and len(data) == 4 and isinstance(data[0], str)
            and isinstance(data[1], str) and isinstance(data[2], bytes) and isinstance(data[3], float)
            and len(data[2]) == 8 * (data[1].count("\n") + 1)):
        return data
    return None


@lru_cache(maxsize=1)
def dictionary() -> tuple[dict[str, float], re.Pattern[str], float]:
    """``(word or prefix -> route score (0.0 for a prefix), block pattern, -log(total))``,
    from the cache file (built and written on first use; rebuilt in memory each process
    when the cache dir is not writable)."""
    cached = _cache_file()
    data = _read(cached)
    if data is None:  # missing or damaged: build it
        from aggregator.dedup.gloss import write_cache

        data = _build()
        write_cache(cached, data)
    pattern, words, scores, neg_logtotal = data
    del data  # each big piece is dropped once used: a lower memory peak while loading
    keys = words.split("\n")
    del words
    values = array.array("d", scores)
    del scores
    return dict(zip(keys, values)), re.compile(pattern, re.U), neg_logtotal


def release() -> None:
    dictionary.cache_clear()


def segment(block: str, table: dict[str, float], neg_logtotal: float) -> list[str]:
    """Words of two or more characters on jieba's best path through ``block`` (one
    ``re_han_default`` run), as ``jieba.lcut(block, HMM=False)`` finds them: the same
    prefix DAG and route, scored right to left in one pass (the DAG of a position is
    walked while its route is chosen), each score the same float sum as jieba's, ties
    to the longer word as jieba's ``max`` over ``(score, end)`` tuples. Single
    characters (including the Latin ones jieba glues back together) are left out:
    ``zh_words`` drops them anyway (tests/test_dedup_perf.py checks equality)."""
    n = len(block)
    get = table.get
    score = [0.0] * (n + 1)
    nxt = list(range(n + 1))
    for k in range(n - 1, -1, -1):
        v = get(block[k])
        best = None
        i = k
        while v is not None:
            if v:  # a word (a prefix has 0.0)
                sc = v + score[i + 1]
                if best is None or sc >= best:  # ends ascend: a tie goes to the longer word
                    best, nxt[k] = sc, i
            i += 1
            if i >= n:
                break
            v = get(block[k:i + 1])
        # no word starts here: jieba takes the character alone with frequency 1, log 0
        score[k] = neg_logtotal + score[k + 1] if best is None else best
    out = []
    x = 0
    while x < n:
        y = nxt[x] + 1
        if y - x >= 2:
            out.append(block[x:y])
        x = y
    return out
