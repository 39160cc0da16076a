"""The tagger against our labelled articles (tests/entities/*.txt, docs/entities.md):
precision and recall floors per set, kind and language.

Sets: ``dev.txt`` (217 articles, what the rules were tuned on), ``heldout.txt`` (76, the
first held-out set: never tuned on, but scored after each tuning round, so no longer
strictly unseen), ``heldout2.txt`` (68, written and labelled before the tagger ran on
it, figures only looked at), and the two held-out sets together.

How each floor was chosen (from the run of ``bench/entities.py`` recorded in
docs/entities.md): where the measurement meets the issue-19 target (company precision
0.95 / recall 0.90, topic precision 0.90 / recall 0.85) the floor IS the target, so the
gate fails as soon as the acceptance point is lost. Where it does not, the floor is
pinned one tag below the measurement ((tp - 1) / (tp + fp) for precision, (tp - 1) /
(tp + fn) for recall, rounded down to 0.01), so a regression shows while the shortfall
stays visible here and in the docs; those cells carry the measured value in a comment.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.entities import load_gazetteer
from aggregator.entities.labelled import read_labelled, score

SETS = Path(__file__).parent / "entities"
LANGS = ("en", "zh-Hans", "zh-Hant")
TARGET = {"company": (0.95, 0.90), "topic": (0.90, 0.85)}
# (set, kind, language) -> (precision floor, recall floor) where it is not the target.
BELOW_TARGET = {
    ("heldout", "topic", "all"): (0.84, 0.85),  # measured 0.858 / 0.938
    ("heldout", "topic", "zh-Hans"): (0.81, 0.85),  # measured 0.842 / 0.970
    ("heldout", "topic", "zh-Hant"): (0.78, 0.85),  # measured 0.818 / 0.964
    ("heldout2", "company", "en"): (0.88, 0.90),  # measured 0.944 / 0.944
    ("heldout2", "topic", "en"): (0.90, 0.74),  # measured 1.000 / 0.778
    ("heldout+heldout2", "topic", "en"): (0.90, 0.82),  # measured 0.946 / 0.841
    ("heldout+heldout2", "topic", "zh-Hant"): (0.85, 0.85),  # measured 0.877 / 0.962
}
NAMES = ("dev", "heldout", "heldout2", "heldout+heldout2")


@pytest.fixture(scope="module")
def results():
    gaz = load_gazetteer()
    items = {name: read_labelled(SETS / f"{name}.txt") for name in NAMES[:3]}
    items["heldout+heldout2"] = items["heldout"] + items["heldout2"]
    return {name: score(gaz, its) for name, its in items.items()}


def test_labelled_sets_are_big_enough():
    sets = {name: read_labelled(SETS / f"{name}.txt") for name in NAMES[:3]}
    items = [i for its in sets.values() for i in its]
    assert len(items) >= 150 and len(sets["heldout2"]) >= 60
    assert len({i.id for i in items}) == len(items)
    for lang in LANGS:
        assert sum(i.lang == lang for i in items) >= 50
        assert sum(i.lang == lang for i in sets["heldout2"]) >= 20
    known = {e.id for e in load_gazetteer().entities.values()}
    assert {e for i in items for e in i.companies | i.topics} <= known


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kind", ["company", "topic"])
def test_floors(results, name, kind):
    got = results[name][kind]
    for lang in ("all", *LANGS):
        p_min, r_min = BELOW_TARGET.get((name, kind, lang), TARGET[kind])
        assert got[lang]["precision"] >= p_min, (lang, got[lang])
        assert got[lang]["recall"] >= r_min, (lang, got[lang])
