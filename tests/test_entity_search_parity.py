"""Issue 19: "search 三安 and the Sanan company page return the same stories in both
languages", checked on every labelled article we wrote (tests/entities/*.txt, three
languages) plus articles that name a company only where it is not tagged (an exhibitor
list, a related-links line): for every company tagged in that database, a search by
its English, Simplified or Traditional name returns exactly the stories of its page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from publish_support import Client

from aggregator.dedup.run import link_stories
from aggregator.entities import load_gazetteer
from aggregator.entities.labelled import read_labelled
from aggregator.items import Article
from aggregator.storage import Storage

SETS = Path(__file__).parent / "entities"
# A company named where the tagger does not tag it: text search alone would find these.
UNTAGGED = [
    ("https://cn.example/list.html", "zh-Hans", "光亚展参展商名单公布",
     "主办方公布部分参展商名单。\n参展企业包括三安光电、华灿光电、木林森、利亚德、洲明科技和艾比森等。"),
    ("https://cn.example/related.html", "zh-Hans", "某市路灯改造完成",
     "某市完成道路照明改造，共更换LED路灯三万余盏。\n相关阅读：三安光电Mini LED芯片项目投产；晶电十月营收"),
    ("https://en.example/related.html", "en", "Port city finishes street light upgrade",
     "A port city replaced 20,000 street lights with LED fixtures.\nRelated: Sanan starts Mini LED line; Nichia UV-C LEDs"),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    items = [i for name in ("dev", "heldout", "heldout2") for i in read_labelled(SETS / f"{name}.txt")]
    arts = [Article(url=f"https://{i.lang.lower()}.example/{i.id}", canonical_url=f"https://{i.lang.lower()}.example/{i.id}",
                    source=i.lang.lower(), lang=i.lang, published=i.published or "2026-11-01", title=i.title,
                    text=i.text, content_hash=i.id) for i in items]
    arts += [Article(url=u, canonical_url=u, source=lang.lower(), lang=lang, published="2026-11-02", title=t,
                     text=x, content_hash=u) for u, lang, t, x in UNTAGGED]
    path = tmp_path_factory.mktemp("parity") / "news.db"
    st = Storage(path)
    st.ensure_sources(sorted({a.source for a in arts}))
    st.save_articles(arts)
    link_stories(st)
    st.close()
    c = Client(path)
    yield c
    c.close()


def _page(client, eid):
    r = client.get(f"/company/{eid}")
    assert r.status_code == 200, r.text[:300]
    return set(re.findall(r'data-story-id="([^"]+)"', r.text))


def _search(client, q):
    return {r["story_id"] for r in client.rows("search", q=q)}


def test_sanan_search_equals_page_in_every_language(client):
    page = _page(client, "sanan")
    langs = {lang for r in client.rows("search", q="Sanan") for lang in re.findall(r"zh-Han[st]|en", r["languages"])}
    assert len(page) >= 5 and langs == {"en", "zh-Hans", "zh-Hant"}
    for q in ("三安", "三安光电", "三安光電", "Sanan", "Sanan Optoelectronics", "三安 Sanan"):
        assert _search(client, q) == page, q


def test_every_tagged_company_search_equals_page(client):
    gaz = load_gazetteer()
    checked = 0
    for e in gaz.companies():
        page = _page(client, e.id)
        if not page:
            continue
        for name in {e.en, e.zh_hans, e.zh_hant} - {None}:
            assert _search(client, name) == page, (e.id, name)
        checked += 1
    assert checked >= 60
