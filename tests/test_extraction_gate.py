"""Quality gate: the generic extractor may not fall below the floors pinned in
tests/fixtures/extraction-floors.toml (a regression fails `make test`)."""

from __future__ import annotations

import sys
import tomllib

import pytest

from aggregator.extract import generic_text
from aggregator.extract.scoring import aggregate, page_scores, shingles
from support import EXPECTED, ROOT, SITES

sys.path.insert(0, str(ROOT / "bench"))
from extraction import load_fundus, load_mirror, load_wcxb  # noqa: E402

FLOORS = tomllib.loads((ROOT / "tests/fixtures/extraction-floors.toml").read_text("utf-8"))
FUNDUS = ROOT / "tests/fixtures/fundus"
WCXB = ROOT / "tests/fixtures/wcxb"


def _corpus(name: str) -> list:
    if name == "fundus_subset":
        return load_fundus(FUNDUS)
    if name == "wcxb_subset":
        return load_wcxb(WCXB)[0]
    return load_mirror(SITES, EXPECTED)


@pytest.mark.parametrize("corpus", sorted(FLOORS))
def test_generic_extractor_meets_floors(corpus: str) -> None:
    pages = _corpus(corpus)
    assert len(pages) >= 30
    score = aggregate(page_scores(generic_text(html, url), truth) for _n, url, html, truth in pages)
    floor = FLOORS[corpus]
    assert score.empty <= floor["max_empty"], score
    assert score.precision >= floor["precision"], score
    assert score.recall >= floor["recall"], score
    assert score.f1 >= floor["f1"], score


def test_wcxb_metadata_meets_floors() -> None:
    """Title exact match (after white-space collapse) and publish date to the day on the
    WCXB subset, as bench/extraction.py measures them on the whole dev split."""
    from aggregator.extract import ExtractError, extract

    pages, truth = load_wcxb(WCXB)
    titles = dates = with_date = 0
    for name, url, html, _t in pages:
        try:
            art = extract(html, url)
        except ExtractError:
            continue
        titles += " ".join(art.title.split()) == " ".join(truth[name]["title"].split())
        if truth[name]["date"]:
            with_date += 1
            dates += (art.published or "")[:10] == truth[name]["date"][:10]
    floor = FLOORS["wcxb_subset"]
    assert titles / len(pages) >= floor["title"], titles
    assert dates / with_date >= floor["date"], (dates, with_date)


def test_wcxb_subset_is_licensed_and_complete() -> None:
    assert "CC-BY-4.0" in (WCXB / "LICENSE").read_text("utf-8")
    pages, truth = load_wcxb(WCXB)
    assert len(pages) == 40 and set(truth) == {p[0] for p in pages}


def test_fundus_subset_is_licensed_and_complete() -> None:
    assert "MIT License" in (FUNDUS / "LICENSE").read_text("utf-8")
    assert len(load_fundus(FUNDUS)) == 32


def test_metric_matches_its_definition() -> None:
    """Word 4-gram sets; an empty prediction scores recall 0 and no precision."""
    assert shingles("a b c d e") == {("a", "b", "c", "d"), ("b", "c", "d", "e")}
    assert page_scores("", "a b c d") == (None, 0.0)
    p, r = page_scores("x a b c d", "a b c d e")
    assert (p, r) == (0.5, 0.5)
    s = aggregate([(1.0, 1.0), (None, 0.0)])
    assert (s.precision, s.recall, s.empty) == (1.0, 0.5, 1)
    assert abs(s.f1 - 2 / 3) < 1e-9
