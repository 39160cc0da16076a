"""Security: stored text is plain text; SQL is never built by formatting input into it.

(body_html sanitising and the Datasette browser check of the XSS fixture belong to the
publish work; tests/fixtures/xss-article.html is the shared payload page.)
"""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

from support import ROOT

from aggregator.dedup.run import link_stories
from aggregator.extract import extract
from aggregator.items import Article
from aggregator.storage import Storage

XSS = ROOT / "tests" / "fixtures" / "xss-article.html"
_SQL_METHODS = {"execute", "executemany", "executescript", "query", "rows_where", "count_where",
                "delete_where", "search"}


def _placeholders(node: ast.AST) -> bool:
    """``",".join("?" * n)`` (or ``["?"] * n``): a list of ``?`` marks, never input."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "join"
            and isinstance(node.func.value, ast.Constant) and len(node.args) == 1):
        return False
    arg = node.args[0]
    if not (isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mult)):
        return False
    left = arg.left
    return (isinstance(left, ast.Constant) and left.value == "?") or (
        isinstance(left, ast.List) and all(isinstance(e, ast.Constant) and e.value == "?" for e in left.elts))


def _formatted(node: ast.AST) -> bool:
    """True if ``node`` builds a string from values at run time (f-string, %, +, .format),
    other than ``?`` placeholder lists."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) and not _placeholders(v.value) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _placeholders(node.right):
        return False
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return not (isinstance(node.left, ast.Constant) and isinstance(node.right, ast.Constant))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"):
        return True
    return False


def _sql_calls() -> tuple[list[str], int]:
    bad, n = [], 0
    for f in sorted((ROOT / "aggregator").rglob("*.py")) + sorted((ROOT / "spiders").rglob("*.py")):
        tree = ast.parse(f.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in _SQL_METHODS and node.args:
                if isinstance(node.func.value, ast.Name) and node.func.value.id.lstrip("_").isupper():
                    continue  # a compiled regex constant's .search(), not SQL
                n += 1
                arg = node.args[0]
                if _formatted(arg) or (isinstance(arg, ast.Name) and _assigned_formatted(tree, arg.id)):
                    bad.append(f"{f.relative_to(ROOT)}:{node.lineno}")
    return bad, n


def _assigned_formatted(tree: ast.AST, name: str) -> bool:
    return any(isinstance(a, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in a.targets)
               and _formatted(a.value) for a in ast.walk(tree))


def test_no_sql_is_built_by_string_formatting() -> None:
    bad, n = _sql_calls()
    assert n >= 10  # the scan does see the project's queries
    assert bad == [], f"SQL built by formatting at {bad}; use ? parameters"


def test_the_scan_catches_formatted_sql(tmp_path: Path) -> None:
    src = 'def f(db, site):\n    db.execute(f"select * from articles where source = \'{site}\'")\n' \
          '    q = "select * from t where x = %s" % site\n    db.query(q)\n'
    tree = ast.parse(src)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") in _SQL_METHODS]
    assert _formatted(calls[0].args[0])
    assert _assigned_formatted(tree, "q")
    ok = ast.parse('db.query("select * from a where id in (%s)" % ",".join("?" * len(ids)), ids)')
    assert not _formatted(ok.body[0].value.args[0])  # placeholders only: allowed


def test_hostile_strings_are_stored_verbatim_as_data(tmp_path: Path) -> None:
    payloads = ["'); DROP TABLE articles;--", '" OR 1=1 --', "Robert'); DELETE FROM stories; --",
                "<script>alert(1)</script>", "\\x00 \u202e gnp.exe", "%s %d {0} {site}"]
    s = Storage(tmp_path / "news.db")
    try:
        arts = [Article(url=f"https://www.china-led.net/news/{i}.html", source="csa", title=p,
                        text=f"{p}\n" + "正文内容" * 20, canonical_url=f"https://www.china-led.net/news/{i}.html",
                        content_hash=str(i), fetched_at="2026-11-25T00:00:00+00:00", author=p)
                for i, p in enumerate(payloads)]
        assert s.save_articles(arts).new == len(payloads)
        link_stories(s)
    finally:
        s.close()
    c = sqlite3.connect(tmp_path / "news.db")
    try:
        assert [r[0] for r in c.execute("select title from articles order by url")] == payloads
        tables = {r[0] for r in c.execute("select name from sqlite_master where type = 'table'")}
        assert {"articles", "stories", "crawl_runs", "crawl_errors"} <= tables
        assert c.execute("select count(*) from stories").fetchone()[0] == len(payloads)
    finally:
        c.close()


def test_extracted_text_of_the_xss_fixture_has_no_markup() -> None:
    art = extract(XSS.read_bytes(), "https://www.led-example.com/news/2026/uv-c.html", None)
    blob = "\n".join([art.title, art.text, art.author or ""])
    assert "UV-C LED module" in art.text and "ten thousand hours" in art.text
    for bad in ("<", ">", "alert", "javascript:", "onerror", "onload", "xss-"):
        assert bad not in blob, bad
