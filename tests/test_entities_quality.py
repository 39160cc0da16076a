"""The tagger against our labelled articles (tests/entities/*.txt, docs/entities.md):
precision and recall floors, per language. ``dev.txt`` is what the rules were tuned
on; ``heldout.txt`` was written first and never tuned on. Floors are the issue-19
acceptance targets where the held-out figures reach them; the held-out topic
precision (0.857 when last measured, target 0.90) is pinned just below its measurement
so a regression shows. ``bench/entities.py`` prints the full table."""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.entities import load_gazetteer
from aggregator.entities.labelled import read_labelled, score

SETS = Path(__file__).parent / "entities"
LANGS = ("en", "zh-Hans", "zh-Hant")
# (kind, precision floor, recall floor) per set; per language the floor is 0.05 lower
# (25 articles a language: one tag is ~0.03).
FLOORS = {
    "heldout": {"company": (0.95, 0.90), "topic": (0.85, 0.85)},
    "dev": {"company": (0.95, 0.95), "topic": (0.90, 0.95)},
}


@pytest.fixture(scope="module")
def results():
    gaz = load_gazetteer()
    return {name: score(gaz, read_labelled(SETS / f"{name}.txt")) for name in FLOORS}


def test_labelled_sets_are_big_enough():
    items = [i for name in FLOORS for i in read_labelled(SETS / f"{name}.txt")]
    assert len(items) >= 150
    assert len({i.id for i in items}) == len(items)
    for lang in LANGS:
        assert sum(i.lang == lang for i in items) >= 50
    known = {e.id for e in load_gazetteer().entities.values()}
    assert {e for i in items for e in i.companies | i.topics} <= known


@pytest.mark.parametrize("name", sorted(FLOORS))
@pytest.mark.parametrize("kind", ["company", "topic"])
def test_floors(results, name, kind):
    p_min, r_min = FLOORS[name][kind]
    got = results[name][kind]
    assert got["all"]["precision"] >= p_min and got["all"]["recall"] >= r_min, got["all"]
    for lang in LANGS:
        assert got[lang]["precision"] >= p_min - 0.05, (lang, got[lang])
        assert got[lang]["recall"] >= r_min - 0.05, (lang, got[lang])
