"""One profile schema: bundled ``spiders/*.py`` profiles and TOML sources are the same
``SiteProfile``; every field can be written in TOML and loads back equal."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from aggregator.profiles import SourcesError, load_sources, profile_toml
from aggregator.validate import check_profile
from spiders import site_profiles


@pytest.mark.parametrize("profile", site_profiles(), ids=lambda p: p.key)
def test_bundled_profile_round_trips_through_toml(tmp_path: Path, profile) -> None:
    f = tmp_path / "sources.toml"
    f.write_text(profile_toml(profile), "utf-8")
    (loaded,) = load_sources(f)
    assert loaded == replace(profile, user_defined=True, notes=profile.notes or "user-defined in sources.toml")


def test_toml_sets_profile_fields(tmp_path: Path) -> None:
    f = tmp_path / "s.toml"
    f.write_text("""[[source]]
name = "acme"
start = [{url = "https://www.acme.com/rss.xml", kind = "feed", lang = "en"}]
links = "div.news-list"
drop = ["div.share", "div.related"]
drop_lines = ["^Source:"]
sibling = {pattern = '/news/(?P<key>\\d{8})-(?P<seq>\\d+)\\.html$', max_gap = 3}
languages = ["en", "zh-Hans"]
""", "utf-8")
    (p,) = load_sources(f)
    assert p.start[0].kind == "feed" and p.links == "div.news-list" and p.drop == ("div.share", "div.related")
    assert p.sibling is not None and p.sibling.max_gap == 3 and p.languages == ("en", "zh-Hans")


@pytest.mark.parametrize("line,msg", [
    ('drop_lines = ["(unclosed"]', "field 'drop_lines': bad regex"),
    ('start = [{url = "https://a.com/", kind = "rss"}]', "field 'start': start kind must be one of"),
    ('sibling = "x"', "field 'sibling': expected a table"),
    ('drop = "div.share"', "field 'drop': expected list of strings"),
    ('languages = ["fr"]', "field 'languages': expected languages from"),
])
def test_toml_field_errors_name_the_line(tmp_path: Path, line: str, msg: str) -> None:
    f = tmp_path / "s.toml"
    f.write_text(f'[[source]]\nname = "a"\nstart_urls = ["https://a.com/"]\n{line}\n', "utf-8")
    with pytest.raises(SourcesError, match=rf"s.toml:4: {msg}"):
        load_sources(f)


def test_one_validator_for_both_kinds_of_profile(tmp_path: Path) -> None:
    """Values are checked by aggregator.validate for bundled and TOML profiles alike."""
    f = tmp_path / "s.toml"
    f.write_text('[[source]]\nname = "a"\nstart_urls = ["https://a.com/"]\ndrop = ["div[class"]\n', "utf-8")
    (p,) = load_sources(f)
    problem = check_profile(p)
    assert problem is not None and problem.key == "drop"
    assert [q.key for q in site_profiles() if check_profile(q)] == []
