"""Site-template learning: learned per source from a real SQLite file, deterministic,
with safeguards, persisted, explainable (`lednews explain-clean`)."""

from __future__ import annotations

import json
import random
import sqlite3

from aggregator.clean.template import MIN_KEEP_UNITS, learn
from aggregator.dedup import content_hash
from aggregator.items import Article
from aggregator.storage import Storage
from support import crawl, run_cli

FOOTER = "Shenzhen Bright Star Lighting Co. Ltd. all products ship worldwide within 7 days"
MENU = "Home Products Solutions Projects About Us"
TITLED = "Bright Star Lighting News"


def _article(i: int, extra: list[str] | None = None, title: str | None = None) -> Article:
    body = [f"Paragraph {i}: the company shipped {i * 100} LED street lamps to customers in region {i}, "
            f"with a power saving of {20 + i} percent over sodium lamps, engineers said on site. "
            f"The city plans a second phase next year covering all main roads and side streets."]
    lines = [MENU, *body, TITLED, *(extra or []), FOOTER]
    text = "\n".join(lines)
    return Article(url=f"https://brightstar.example/news/{i}.html", source="brightstar",
                   title=title or f"Bright Star ships lamps batch {i}", text=text,
                   canonical_url=f"https://brightstar.example/news/{i}.html", content_hash=content_hash(text),
                   clean_log=[{"line": "Share:", "rule": "phrase", "action": "removed", "why": "test"}])


def _db(tmp_path, n: int = 6) -> Storage:
    s = Storage(tmp_path / "news.db")
    s.db["sources"].insert({"key": "brightstar", "name": "Bright Star"})
    s.save_articles([_article(i) for i in range(n)])
    return s


def test_learns_removes_persists_and_explains(tmp_path) -> None:
    s = _db(tmp_path)
    assert s.learn_templates(["brightstar"]) == {"brightstar": 3}
    rows = list(s.db.query("select text, raw_text, content_hash from articles order by id"))
    for r in rows:
        assert FOOTER not in r["text"] and MENU not in r["text"] and "Paragraph" in r["text"]
        assert FOOTER in r["raw_text"]  # nothing lost: the pre-template text is kept
        assert r["content_hash"] == content_hash(r["text"])
    info = s.explain_clean("https://brightstar.example/news/2.html")
    s.close()
    removed = {e["line"]: e for e in info["log"] if e["rule"] == "template"}
    assert removed[FOOTER]["action"] == "removed" and "6 of 6 articles" in removed[FOOTER]["why"]
    assert info["log"][0]["rule"] == "phrase"  # crawl-time cleaning is logged too
    # persisted: a new connection sees the learned lines and applies them to new pages
    s2 = Storage(tmp_path / "news.db")
    assert len(s2.templates("brightstar")) == 3
    s2.save_articles([_article(99)])
    text = s2.db.execute("select text from articles where url like '%/99.html'").fetchone()[0]
    s2.close()
    assert FOOTER not in text and "Paragraph 99" in text
    proc = run_cli("explain-clean", "https://brightstar.example/news/2.html", "--db", str(tmp_path / "news.db"))
    assert proc.returncode == 0, proc.stderr
    assert "removed [template]" in proc.stdout and "recurs in 6 of 6 articles" in proc.stdout
    proc = run_cli("explain-clean", "https://brightstar.example/none.html", "--db", str(tmp_path / "news.db"))
    assert proc.returncode == 2 and "no stored article" in proc.stderr


def test_title_line_and_short_article_safeguards(tmp_path) -> None:
    s = _db(tmp_path)
    s.save_articles([_article(50, title="Bright Star Lighting News roundup")])
    s.learn_templates(["brightstar"])
    t = s.db.execute("select text, cleaning from articles where url like '%/50.html'").fetchone()
    assert TITLED in t[0]  # the recurring line is part of this article's title: kept
    kept = [e for e in json.loads(t[1]) if e["line"] == TITLED]
    assert kept[0]["action"] == "kept" and "title" in kept[0]["why"]
    s.close()
    short = [(str(i), [MENU, FOOTER, f"Short note {i}."]) for i in range(6)]
    from aggregator.clean.template import apply
    templates = {t.key: t for t in learn(short)}
    kept, log = apply([MENU, FOOTER, "Short note 1."], "x", templates)
    assert kept == [MENU, FOOTER, "Short note 1."]  # never empties an article
    assert all(e["action"] == "kept" and str(MIN_KEEP_UNITS) in e["why"] for e in log)


def test_learning_is_deterministic_and_needs_enough_pages() -> None:
    docs = [(str(i), _article(i).text.split("\n")) for i in range(8)]
    first = learn(docs)
    for seed in range(5):
        random.Random(seed).shuffle(docs)
        assert learn(docs) == first
    assert learn(docs[:3]) == []  # too few pages of a source: nothing learned
    one_off = [(str(i), ["A quote repeated in two sister articles only, nowhere else at all."] * (i < 2)
                + [f"unique line {i} with enough words"]) for i in range(10)]
    assert learn(one_off) == []


def test_mirror_crawl_learns_nothing_that_hurts(conn: sqlite3.Connection) -> None:
    """The e2e crawl ran template learning; every stored text still matches (checked by
    test_mirror_crawl) and the table exists."""
    assert conn.execute("select count(*) from site_templates").fetchone()[0] >= 0
    assert conn.execute("select count(*) from articles where raw_text is null").fetchone()[0] == 0


def test_a_crawl_that_learns_templates_links_stories_on_the_cleaned_texts(tmp_path) -> None:
    """Learning runs beside story linking when the spider closes; a learned template
    changes stored texts, so the stories are linked again: the result equals a story
    pass from scratch over the cleaned texts, whichever process did the work."""
    host = "www.brightstar-led.example"
    root = tmp_path / "mirror"
    (root / host / "news").mkdir(parents=True)
    urls = []
    for i in range(8):
        paras = "".join(f"<p>{line}</p>" for line in _article(i).text.split("\n"))
        (root / host / "news" / f"{i}.html").write_text(
            f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Bright Star ships lamps "
            f"batch {i}</title><meta property='article:published_time' content='2026-03-0{i + 1}T08:00:00Z'>"
            f"</head><body><article><h1>Bright Star ships lamps batch {i}</h1>{paras}</article></body></html>",
            "utf-8")
        urls.append(f"https://{host}/news/{i}.html")
    (root / host / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>{u}</loc></url>" for u in urls) + "</urlset>", "utf-8")
    (root / "sources.toml").write_text(
        f'[[source]]\nname = "brightstar"\nsitemaps = ["https://{host}/sitemap.xml"]\n'
        f"article_pattern = 'https://www\\.brightstar-led\\.example/news/\\d+\\.html$'\nlang = \"en\"\n", "utf-8")
    snaps = {}
    for workers in ("1", "0"):
        db = tmp_path / workers / "news.db"
        done = crawl("--mirror", str(root), "--sources", str(root / "sources.toml"),
                     "--db", str(db), "-s", f"AGGREGATOR_WORKERS={workers}")
        assert done.ok, done.log[-2000:]
        con = sqlite3.connect(db)
        texts = [r[0] for r in con.execute("select text from articles")]
        assert len(texts) == 8 and all(FOOTER not in t and "Paragraph" in t for t in texts)
        assert con.execute("select count(*) from site_templates").fetchone()[0] >= 2
        q = ("select a.id, a.content_hash, a.story_id, f.content_hash from articles a"
             " join dedup_features f on f.article_id = a.id order by a.id")
        crawled = con.execute(q).fetchall()
        stories = con.execute("select * from stories order by 1").fetchall()
        con.close()
        assert all(r[1] == r[3] for r in crawled)  # features are those of the cleaned texts
        proc = run_cli("dedup", "--rebuild", "--db", str(db))
        assert proc.returncode == 0, proc.stderr[-2000:]
        con = sqlite3.connect(db)
        assert con.execute(q).fetchall() == crawled
        assert con.execute("select * from stories order by 1").fetchall() == stories
        con.close()
        snaps[workers] = (crawled, stories)
    assert snaps["1"] == snaps["0"]


def test_relearning_an_unchanged_template_rereads_no_article(tmp_path) -> None:
    """Issue 14: learning again with the same template lines (a crawl of a site whose
    chrome did not change) reads only the learning window, never the source's other
    articles; a changed template still re-applies to every article of the source."""
    s = _db(tmp_path)
    assert s.learn_templates(["brightstar"]) == {"brightstar": 3}
    before = s.db.execute("select id, text, content_hash from articles order by id").fetchall()
    statements: list[str] = []
    s.db.conn.set_trace_callback(statements.append)
    s.save_articles([_article(98)])  # one more page with the same chrome
    assert s.relearn_templates(["brightstar"]) == ({"brightstar": 3}, 0)
    s.db.conn.set_trace_callback(None)
    reads = [q for q in statements if "select id, title, text, raw_text" in q]
    assert reads == []  # the re-application read nothing
    after = s.db.execute("select id, text, content_hash from articles order by id").fetchall()
    assert [r for r in after if r in before] == before and len(after) == len(before) + 1
    s.db.execute("delete from site_templates where source = 'brightstar' and line = ?", [MENU])
    s._template_cache.clear()
    statements.clear()
    s.db.conn.set_trace_callback(statements.append)
    assert s.relearn_templates(["brightstar"])[0] == {"brightstar": 3}
    s.db.conn.set_trace_callback(None)
    assert any("select id, title, text, raw_text" in q for q in statements)
    s.close()
