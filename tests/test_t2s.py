"""The fast Traditional->Simplified conversion gives OpenCC's own result, character for
character: on every text of the bundled mirror and on strings built to stress the
phrase search (overlapping phrases, phrases cut by separators, astral characters)."""

from __future__ import annotations

import random

import opencc
from support import expected_articles

from aggregator.extract.language import to_simplified
from aggregator.extract.t2s import _FastT2S, converter


def test_the_fast_converter_is_in_use() -> None:
    # If an OpenCC upgrade changed the t2s configuration, the fallback is OpenCC itself
    # (still right, only slow): this says when that happened.
    assert isinstance(converter(), _FastT2S)


def test_ascii_is_never_converted() -> None:
    # text.normalize_for_hash skips the conversion for ASCII text on this ground
    fast = converter()
    assert not any(c.isascii() for k in fast.phrases for c in k)
    assert not any(chr(c).isascii() for c in fast.table)
    every = "".join(map(chr, range(128)))
    assert to_simplified(every) == every == opencc.OpenCC("t2s").convert(every)


def test_same_as_opencc_on_the_mirror_texts() -> None:
    cc = opencc.OpenCC("t2s")
    texts = set()
    for e in expected_articles():
        texts.add(e["title"])
        texts.update(e["paragraphs"])
        texts.add("\n".join(e["paragraphs"]))
    changed = 0
    for t in sorted(texts):
        want = cc.convert(t)
        assert to_simplified(t) == want, t[:60]
        changed += want != t
    assert changed >= 10  # the zh-Hant articles (14 texts on 2026-11-25) really were converted


def test_same_as_opencc_on_generated_strings() -> None:
    cc = opencc.OpenCC("t2s")
    fast = converter()
    phrases = sorted(fast.phrases)
    chars = sorted(chr(c) for c in fast.table)
    astral = [c for c in chars if ord(c) > 0xFFFF]
    simplified = list("的是在了不和有大这中人上为们地个用工时要动国产以我到会作来分生序船默沈")
    separators = list(" ，。、-.?!　“”（）《》\n\t…")
    rng = random.Random(8)
    for _ in range(3000):
        parts = []
        for _ in range(rng.randint(1, 25)):
            r = rng.random()
            if r < 0.25:
                parts.append(rng.choice(phrases))
            elif r < 0.35:
                parts.append(rng.choice(phrases)[1:])  # a phrase's tail next to another
            elif r < 0.6:
                parts.append(rng.choice(simplified))
            elif r < 0.75:
                parts.append(rng.choice(chars))
            elif r < 0.8:
                parts.append(rng.choice(astral) + rng.choice("abc的"))
            else:
                parts.append(rng.choice(separators))
        s = "".join(parts)
        assert fast(s) == cc.convert(s), s


def test_astral_characters_that_are_no_key() -> None:
    # an astral character sends a text down the exact path; one that is no key of the
    # table must come out as it went in, the keys around it converted
    cc = opencc.OpenCC("t2s")
    fast = converter()
    for s in ["后裔\U0002C0A9水鸟", "發展\U0001F600臺灣", "\U0002C0A9", "有序\U0002C0A9沈默，乾燥"]:
        assert 0x2C0A9 not in fast.table and 0x1F600 not in fast.table
        assert fast(s) == cc.convert(s), s
