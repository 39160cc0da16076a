"""Input as users write it: BCP 47 language tags, reduced-precision and future dates,
missing titles (`lednews ingest`, sources TOML), and the `summary` / `sites` output."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from support import run_cli

from aggregator.langtag import LangTagError, normalize_lang
from aggregator.profiles import SourcesError, load_sources


@pytest.mark.parametrize("tag,want", [
    ("en", "en"), ("EN-us", "en"), ("en_GB", "en"), ("zh", "zh"), ("cmn", "zh"),
    ("zh-CN", "zh-Hans"), ("zh-cn", "zh-Hans"), ("zh-SG", "zh-Hans"), ("zh-Hans", "zh-Hans"),
    ("zh-TW", "zh-Hant"), ("zh-HK", "zh-Hant"), ("zh_hk", "zh-Hant"), ("zh-MO", "zh-Hant"),
    ("ZH-HANT", "zh-Hant"), ("zh-Hant-CN", "zh-Hant"), ("zh-Hans-HK", "zh-Hans"),
])
def test_language_tags_map_to_stored_languages(tag: str, want: str) -> None:
    assert normalize_lang(tag) == want


@pytest.mark.parametrize("tag", ["fr", "ja-JP", "", "zh--CN", "english"])
def test_other_languages_and_bad_tags_are_refused(tag: str) -> None:
    with pytest.raises(LangTagError):
        normalize_lang(tag)


ZH = ("三安光电宣布投资120亿元在湖北鄂州建设Micro LED芯片及配套外延片生产线，项目建设期为36个月，"
      "预计2029年全面达产。公告显示，项目达产后将形成月产6英寸Micro LED外延片2.5万片的产能。")
ZH_T = ("晶電宣布擴大Micro LED晶片產能，新竹廠區新增兩條產線，預計明年第二季量產，"
        "主要供應車用顯示與穿戴裝置客戶，年產值可望成長三成以上，公司表示訂單能見度已達半年。")
EN = ("Sanan Optoelectronics said on Monday it will invest 12 billion yuan in a Micro LED chip and "
      "epitaxial wafer line in Ezhou, Hubei, with full production expected in 2029 and a monthly "
      "capacity of 25,000 six-inch wafers once the line is complete.")


def test_ingest_takes_tags_partial_dates_and_missing_titles(tmp_path: Path) -> None:
    future = (date.today() + timedelta(days=40)).isoformat()
    lines = [
        {"url": "https://a.example/1", "title": "三安光电扩产", "text": ZH, "source": "acme",
         "lang": "zh-CN", "published": "2024-05"},
        {"url": "https://a.example/2", "title": "晶電擴產", "text": ZH_T, "source": "acme",
         "lang": "ZH-tw", "published": "2024"},
        {"url": "https://a.example/3", "text": EN, "source": "acme", "lang": "en-US",
         "published": "2024-05-06"},
        {"url": "https://a.example/4", "title": "Future", "text": EN + " Again.", "source": "acme",
         "lang": "en", "published": future},
        {"url": "https://a.example/5", "title": "Other", "text": EN + " Once more.", "source": "acme",
         "lang": "fr"},
        {"url": "https://a.example/6", "title": "", "text": ZH + "另外一段。", "source": "acme", "lang": "zh"},
    ]
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in lines) + "\n", "utf-8")
    db = tmp_path / "news.db"
    out = run_cli("ingest", str(f), "--db", str(db))
    assert out.returncode == 2, out.stderr  # lines were skipped
    assert f"{f}:4: skipped: field 'published': {future} is in the future" in out.stderr
    assert f"{f}:5: skipped: field 'lang':" in out.stderr and "'fr'" in out.stderr
    assert "3 new" not in out.stdout and "4 new" in out.stdout
    c = sqlite3.connect(db)
    rows = {u: (lang, pub, dm, title, json.loads(w or "[]")) for u, lang, pub, dm, title, w in c.execute(
        "select url, lang, published, date_method, title, warnings from articles")}
    c.close()
    assert rows["https://a.example/1"][:3] == ("zh-Hans", "2024-05", "ingest (month only)")
    assert rows["https://a.example/2"][:3] == ("zh-Hant", "2024", "ingest (year only)")
    assert rows["https://a.example/3"][:2] == ("en", "2024-05-06")
    title, warnings = rows["https://a.example/3"][3:]
    # the first sentence is too long: cut at a word within 80 characters, marked
    assert title.endswith("…") and len(title) <= 81 and EN.startswith(title[:-1])
    assert EN[len(title) - 1] == " " and title.startswith("Sanan Optoelectronics said on Monday")
    assert any("title derived" in w for w in warnings)
    lang6, _, _, title6, warnings6 = rows["https://a.example/6"]
    assert lang6 == "zh-Hans" and title6.startswith("三安光电宣布投资") and title6.endswith("。")
    assert any("title derived" in w for w in warnings6)


def test_sources_toml_takes_language_tags(tmp_path: Path) -> None:
    f = tmp_path / "sources.toml"
    f.write_text('[[source]]\nname = "tw"\nfeeds = ["https://tw.example/rss"]\nlang = "zh-TW"\n\n'
                 '[[source]]\nname = "cn"\nfeeds = ["https://cn.example/rss"]\nlang = "zh"\n\n'
                 '[[source]]\nname = "us"\nfeeds = ["https://us.example/rss"]\nlang = "EN-us"\n', "utf-8")
    tw, cn, us = load_sources(f)
    assert tw.languages == ("zh-Hant",) and tw.start[0].lang == "zh-Hant"
    assert cn.languages == ("zh-Hans", "zh-Hant") and cn.start[0].lang is None
    assert us.languages == ("en",)
    f.write_text('[[source]]\nname = "fr"\nfeeds = ["https://fr.example/rss"]\nlang = "fr-FR"\n', "utf-8")
    with pytest.raises(SourcesError, match=r"sources\.toml:\d+: field 'lang'"):
        load_sources(f)


def test_summary_is_a_table_and_json_on_request(demo_db: Path) -> None:
    out = run_cli("summary", "--db", str(demo_db))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "articles from" in lines[0] and lines[1].startswith("languages: ")
    assert lines[3].split() == ["source", "articles"] and len(lines) > 5
    js = json.loads(run_cli("summary", "--db", str(demo_db), "--json").stdout)
    assert sum(js["per_source"].values()) == js["articles"]
    for key, n in js["per_source"].items():
        assert any(ln.split() == [key, f"{n:,}"] for ln in lines[4:]), key


def test_sites_lists_user_sources_of_the_database(demo_db: Path) -> None:
    out = run_cli("sites", "--db", str(demo_db))
    assert out.returncode == 0, out.stderr
    c = sqlite3.connect(demo_db)
    user = [k for (k,) in c.execute("select key from sources where user_defined = 1")]
    c.close()
    assert user and all(any(ln.startswith(k + " ") and "(user" in ln for ln in out.stdout.splitlines())
                        for k in user)
