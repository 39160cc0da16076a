"""The gazetteer, the tagger and the stored tags (issue 19; docs/entities.md)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from aggregator.cli import main
from aggregator.entities import GazetteerError, load_gazetteer, tag_article
from aggregator.entities.fold import fold
from aggregator.items import Article
from aggregator.storage import Storage


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def tagged(gaz, title, text, published=None, kind=None):
    return {t.entity_id for t in tag_article(gaz, title, text, published)
            if t.tagged and (kind is None or t.kind == kind)}


# --- the data --------------------------------------------------------------------

def test_gazetteer_size_and_evidence(gaz):
    companies, topics = gaz.companies(), gaz.topics()
    assert len(companies) >= 80 and len(topics) >= 20
    assert all(c.evidence for c in companies)
    segments = {c.segment for c in companies}
    assert {"chips", "packaging", "display", "lighting", "equipment", "research"} <= segments
    issue_topics = {"mini-led", "micro-led", "uv-led", "automotive", "horticulture", "displays",
                    "chips-epitaxy", "packaging", "drivers", "smart-lighting", "street-lighting",
                    "prices", "capacity-investment", "m-and-a", "policy-standards", "trade-tariffs",
                    "patents-litigation", "exhibitions", "earnings", "gan-sic"}
    assert issue_topics <= {t.id for t in topics}
    # most companies carry a Chinese name in both scripts
    both = [c for c in companies if c.zh_hans and c.zh_hant]
    assert len(both) >= 70


def test_names_resolve_across_scripts(gaz):
    for name in ("晶電", "晶元光电", "晶元光電", "Epistar", "EPISTAR"):
        assert gaz.resolve(name) == ["epistar"], name
    assert gaz.resolve("三安") == gaz.resolve("Sanan") == ["sanan"]
    assert gaz.entities["epistar"].parent == "ennostar"
    assert gaz.entities["lextar"].parent == "ennostar"
    assert gaz.resolve("次毫米发光二极管") == ["mini-led"]


def test_fold_keeps_offsets():
    for s in ("晶電ＳＡＮＡＮ　Mini LED，（２０２６）", "İstanbul LED", "abc", "三安光電"):
        assert len(fold(s)) == len(s)
    assert fold("晶電ＳＡＮＡＮ") == "晶电sanan"


def test_user_file_extends_and_overrides(tmp_path, gaz):
    extra = tmp_path / "mine.toml"
    extra.write_text('[[company]]\nid = "acme"\nen = "Acme Photonics"\nzh_hans = "阿克米光电"\n'
                     'evidence = ["https://acme.example/"]\n\n'
                     '[[company]]\nid = "sanan"\nen = "Sanan Optoelectronics"\nshort = ["SAN-AN"]\n'
                     'evidence = ["SSE listing 600703"]\n', "utf-8")
    g = load_gazetteer(extra)
    assert g.version != gaz.version
    assert tagged(g, "阿克米光电扩产", "Acme Photonics 投资", kind="company") == {"acme"}
    assert g.resolve("SAN-AN") == ["sanan"] and g.resolve("三安") == []  # replaced whole


@pytest.mark.parametrize("body, message", [
    ('[[company]]\nid = "x"\nen = "X"\n', "'evidence'"),
    ('[[company]]\nid = "Bad Id"\nen = "X"\nevidence = ["e"]\n', "'id'"),
    ('[[company]]\nid = "x"\nen = "X"\nevidence = ["e"]\ncolour = "red"\n', "unknown key(s) colour"),
    ('[[company]]\nid = "x"\nen = "X"\nevidence = ["e"]\nparent = "nobody"\n', "parent 'nobody'"),
    ('[[company]]\nid = "x"\nen = "X"\nevidence = ["e"]\ndated = [{ name = "Y", until = "2020" }]\n',
     "YYYY-MM-DD"),
    ('[[company]\n', "mine.toml"),
])
def test_bad_user_file_one_line(tmp_path, body, message):
    extra = tmp_path / "mine.toml"
    extra.write_text(body, "utf-8")
    with pytest.raises(GazetteerError) as e:
        load_gazetteer(extra)
    assert message in str(e.value) and "\n" not in str(e.value)


# --- the tagger ----------------------------------------------------------------------

def test_one_company_in_every_script(gaz):
    for title in ("晶电第三季营收成长", "晶電第三季營收成長", "晶元光電公布營收", "Epistar posts revenue",
                  "ＥＰＩＳＴＡＲ　posts revenue"):
        assert "epistar" in tagged(gaz, title, "LED chip revenue rose.", kind="company"), title


def test_topics_zh_and_en(gaz):
    assert "mini-led" in tagged(gaz, "次毫米发光二极管背光出货", "背光电视", kind="topic")
    assert "mini-led" in tagged(gaz, "MiniLED backlight TVs", "Shipments rose.", kind="topic")
    assert "micro-led" in tagged(gaz, "μLED 巨量转移突破", "", kind="topic")
    # one passing body mention is not the topic
    assert "prices" not in tagged(gaz, "Sanan opens plant", "The plant opened.\nIt has a price list.")


def test_ambiguous_names(gaz):
    assert tagged(gaz, "Interview with Stanley Chen", "Stanley Chen leads LED packaging at a firm.",
                  kind="company") == set()
    assert tagged(gaz, "Stanley develops LED headlamp", "Japan's Stanley showed an automotive lamp.",
                  kind="company") == {"stanley-electric"}
    assert tagged(gaz, "Morgan Stanley upgrades LED makers", "Morgan Stanley said LED chips recover.",
                  kind="company") == set()
    assert tagged(gaz, "What the numbers signify", "The LED lighting numbers signify a shift.",
                  kind="company") == set()
    assert tagged(gaz, "Signify launches luminaires", "Signify said its LED lamps sell well.",
                  kind="company") == {"signify"}
    assert tagged(gaz, "Lamp gives 800 lumens", "The LED lamp gives 800 Lumens at 7 W.",
                  kind="company") == set()
    assert tagged(gaz, "Every citizen benefits", "A citizen panel discussed the park.",
                  kind="company") == set()
    assert tagged(gaz, "这家三星级酒店改造照明", "三星级酒店更换LED灯", kind="company") == set()


def test_topic_context_rules(gaz):
    def topics(title, text):
        return tagged(gaz, title, text, kind="topic")

    # weak terms count only beside a non-weak term of their topic
    assert "drivers" not in topics("Taxi drivers strike", "Taxi drivers stopped work.\nThe drivers want fees cut.")
    assert "drivers" in topics("New drivers for luminaires", "The LED drivers dim to 1 %.\nDrivers ship in May.")
    assert "policy-standards" not in topics("Standard time returns", "Clocks go back to standard time.\n"
                                            "Our returns policy and standards apply.")
    assert "earnings" not in topics("商场业绩创新高", "商场周年庆业绩创新高。\n业绩增长来自化妆品。")
    # vetoes: another thing's price, investors, consolidated revenue, blue chips, driver chips
    assert "prices" not in topics("Share price of LED maker jumps", "Its share price rose.\nStock prices rallied.")
    assert "capacity-investment" not in topics("投资者交流会召开", "公司召开投资者交流会。\n投资者提问踊跃。")
    assert topics("億光十月合併營收年增", "億光公布十月合併營收，年增5%。\n合併營收創新高。") == {"earnings"}
    assert "chips-epitaxy" not in topics("Blue-chip stocks rally", "Blue-chip stocks rose.\nBlue chips led.")
    assert topics("集创北方驱动芯片出货", "集创北方LED显示驱动芯片出货增长。\n驱动芯片支持高刷新率。") == {"drivers"}
    # a company's "About" paragraph and related-links lines are not the article
    about = "Acme shipped LED street lights to a city.\nAbout Acme: Acme makes Micro LED displays and UV-C LEDs."
    assert topics("Acme ships street lights", about) == {"street-lighting"}
    assert topics("路灯改造完成", "某市更换LED路灯三万盏。\n相关阅读：Mini LED背光涨价；光亚展开幕") == {"street-lighting"}
    assert "sanan" not in tagged(gaz, "路灯改造完成", "某市更换LED路灯。\n相关阅读：三安光电扩产", kind="company")
    # an enumeration of technologies is a product range, not the subject
    listing = ("Kairo reported flat revenue and net profit.\nIts products span Mini LED, Micro LED, "
               "UV-C, automotive and horticulture lighting.")
    assert topics("Kairo revenue flat", listing) == {"earnings"}
    assert topics("公司业绩", "公司营收增长，净利润持平。\n公司布局Mini LED、Micro LED、车用显示与植物照明。") == {"earnings"}
    assert {"mini-led", "micro-led"} <= topics("Mini LED and Micro LED lines", "Mini LED and Micro LED grow.")
    # a technology in an event's name is where something was shown
    shown = topics("Acme shows drivers", "Acme showed LED drivers at the Smart Lighting Expo.\n"
                   "The LED drivers are dimmable. Smart Lighting Expo closed.")
    assert "drivers" in shown and "smart-lighting" not in shown
    assert "horticulture" not in topics("新品发布", "在植物照明论坛上，公司发布了新产品。\n植物照明论坛为期两天。")
    # Latin terms match their plural (a longer match would otherwise hide the shorter one)
    assert "prices" in topics("LED lamp price cuts deepen", "Price cuts continue.")


def test_topic_weak_and_veto_fields(tmp_path):
    f = tmp_path / "g.toml"
    f.write_text('[[topic]]\nid = "lasers"\nen = "Lasers"\nterms = ["laser"]\nweak = ["beam"]\n'
                 'veto = ["laser pointer"]\n', "utf-8")
    g = load_gazetteer(f)
    assert tagged(g, "Laser beam", "A laser beam.", kind="topic") >= {"lasers"}
    assert "lasers" not in tagged(g, "Laser pointer sale", "Laser pointer prices.", kind="topic")
    assert "lasers" not in tagged(g, "Beam me up", "The beam of light.\nA beam.", kind="topic")
    f.write_text('[[topic]]\nid = "lasers"\nen = "Lasers"\nterms = ["beam"]\nweak = ["beam"]\n', "utf-8")
    with pytest.raises(GazetteerError, match="every term is 'weak'"):
        load_gazetteer(f)


def test_dated_names(gaz):
    body = "Cree announced LED chip results."
    assert tagged(gaz, "Cree results", body, "2020-05-01", kind="company") == {"wolfspeed"}
    assert tagged(gaz, "Cree results", body, "2023-05-01", kind="company") == {"cree-led"}
    assert tagged(gaz, "Cree results", body, None, kind="company") == {"cree-led"}
    assert tagged(gaz, "Philips Lighting", "Philips Lighting LED lamps", "2017-01-01",
                  kind="company") == {"signify"}


def test_enumeration_is_listed_not_tagged(gaz):
    text = ("Light + Building opened with new luminaires.\nExhibitors include Signify, ams OSRAM, "
            "LEDVANCE, Zumtobel, Opple Lighting and Nichia.\nOpple Lighting showed a smart lamp.")
    tags = {t.entity_id: t for t in tag_article(gaz, "Light + Building opens", text)}
    assert tags["nichia"].listed and not tags["nichia"].tagged
    assert tags["opple"].tagged and not tags["opple"].listed


def test_zones_counts_and_determinism(gaz):
    title, text = "三安光电扩产", "三安光电公告扩产。\n三安表示产能提升。另外，三安将投资。"
    a = tag_article(gaz, title, text)
    assert a == tag_article(gaz, title, text)
    sanan = next(t for t in a if t.entity_id == "sanan")
    assert (sanan.title, sanan.lead, sanan.body, sanan.mentions, sanan.first) == (1, 1, 2, 4, 0)


# --- storage and the command -----------------------------------------------------------

def _article(url, title, text, lang="en", published="2026-11-01"):
    return Article(url=url, canonical_url=url, source="test", title=title, text=text, lang=lang,
                   published=published, content_hash=str(hash(text)))


def test_save_tags_and_story_union(tmp_path):
    st = Storage(tmp_path / "news.db")
    st.ensure_sources(["test"])
    st.save_articles([
        _article("https://a.example/1", "Sanan expands Mini LED chips", "Sanan Optoelectronics said capacity grows."),
        _article("https://a.example/2", "三安光电扩产", "三安光电表示，晶电也将扩产。", "zh-Hans"),
    ])
    rows = dict(st.db.execute("select a.url, group_concat(ae.entity_id) from articles a join article_entities ae"
                              " on ae.article_id = a.id where ae.kind = 'company' group by a.url").fetchall())
    assert rows == {"https://a.example/1": "sanan", "https://a.example/2": "epistar,sanan"}
    # one story of both versions: its tags are the union
    st.db.execute("update articles set story_id = 'sX'")
    st.db.conn.commit()
    got = {r[0] for r in st.db.execute("select entity_id from story_entities where story_id = 'sX'"
                                       " and kind = 'company'")}
    assert got == {"sanan", "epistar"}
    # a changed text is re-tagged on save
    st.save_articles([_article("https://a.example/2", "三安光电扩产", "三安光电表示扩产。", "zh-Hans")])
    assert st.tagged_stories(["epistar"]) == set()
    st.close()


def test_tag_command_and_bad_gazetteer(tmp_path):
    db = tmp_path / "news.db"
    st = Storage(db)
    st.ensure_sources(["test"])
    st.save_articles([_article("https://a.example/1", "Nichia sues", "Nichia filed a patent lawsuit over LEDs.")])
    st.db.execute("delete from article_entities")
    st.db.execute("delete from entity_tagged")
    st.db.conn.commit()
    st.close()
    runner = CliRunner()
    res = runner.invoke(main, ["tag", "--db", str(db)])
    assert res.exit_code == 0 and "tagged 1 articles" in res.output
    res = runner.invoke(main, ["tag", "--db", str(db)])
    assert "tagged 0 articles" in res.output  # nothing stale
    res = runner.invoke(main, ["tag", "--all", "--db", str(db)])
    assert "tagged 1 articles" in res.output
    conn = sqlite3.connect(db)
    assert {r[0] for r in conn.execute("select entity_id from article_entities where tagged = 1")} == {
        "nichia", "patents-litigation"}
    conn.close()
    bad = tmp_path / "bad.toml"
    bad.write_text("[[company]]\nid = 'x'\n", "utf-8")
    res = runner.invoke(main, ["tag", "--db", str(db), "--gazetteer", str(bad)])
    assert res.exit_code == 2 and "bad.toml" in res.output
    res = runner.invoke(main, ["tag", "--check"])
    assert res.exit_code == 0 and "companies" in res.output


def test_bad_gazetteer_beside_db_loses_no_article(tmp_path, caplog):
    (tmp_path / "gazetteer.toml").write_text("not toml [", "utf-8")
    st = Storage(tmp_path / "news.db")
    st.ensure_sources(["test"])
    res = st.save_articles([_article("https://a.example/1", "Nichia", "Nichia LED chips.")])
    assert res.new == 1 and st.db.execute("select count(*) from articles").fetchone()[0] == 1
    assert st.db.execute("select count(*) from article_entities").fetchone()[0] == 0
    assert "articles not tagged" in caplog.text
    st.close()


def test_migration_twice_is_noop(tmp_path):
    Storage(tmp_path / "x.db").close()
    st = Storage(tmp_path / "x.db")
    assert "story_entities" in st.db.view_names()
    st.close()


ROOT = Path(__file__).resolve().parent.parent
