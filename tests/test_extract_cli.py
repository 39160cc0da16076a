"""`lednews extract`: one saved page, and the JSON-lines stream (1,000 pages and
garbage in one process, one output line per input line)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from aggregator.extract.encoding import decode_html
from aggregator.mirror import mirror_path
from support import ROOT, SITES, expected_articles, run_cli

sys.path.insert(0, str(ROOT / "bench"))
from extraction import load_fundus  # noqa: E402

EXPECTED_ARTICLES = expected_articles()


def _stream(data: bytes, timeout: float = 240, in_process: bool = False) -> tuple[list[dict], str]:
    """`lednews extract --jsonl` over ``data``: in a subprocess (a page that crashed the
    interpreter would fail the test, not the test run) or ``in_process`` (support.run_cli)."""
    if in_process:
        res = run_cli("extract", "--jsonl", input=data)
        assert res.returncode == 0, res.stderr[-2000:]
        return [json.loads(ln) for ln in res.stdout.splitlines()], res.stderr
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "aggregator", "extract", "--jsonl"], input=data,
                          capture_output=True, timeout=timeout, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    return [json.loads(ln) for ln in proc.stdout.decode("utf-8").splitlines()], proc.stderr.decode()


def _mirror_html(url: str) -> str:
    return decode_html(mirror_path(SITES, url).read_bytes())[0]


def test_thousand_pages_in_one_process() -> None:
    pages = [(e["url"], _mirror_html(e["url"]), e) for e in EXPECTED_ARTICLES]
    fundus = load_fundus(ROOT / "tests/fixtures/fundus")
    pages += [(url, html, None) for _n, url, html, _t in fundus]
    lines = []
    for i in range(1000):
        url, html, _ = pages[i % len(pages)]
        lines.append(json.dumps({"id": i, "url": url, "html": html}, ensure_ascii=False))
    out, err = _stream(("\n".join(lines) + "\n").encode("utf-8"), in_process=True)
    assert [o["id"] for o in out] == list(range(1000))
    assert "extracted 1000 of 1000 pages" in err
    for i, o in enumerate(out[:len(pages)]):
        exp = pages[i][2]
        if exp is not None:  # a mirror page: the profile path, exactly as the crawl stores it
            assert o["text"].split("\n") == exp["paragraphs"], exp["url"]
            assert o["title"] == exp["title"] and o["lang"] == exp["lang"]
        else:
            assert o["extraction_method"] == "generic" and len(o["text"]) > 200
    assert out[len(pages)] == {**out[0], "id": len(pages)}  # deterministic


def test_garbage_gives_one_line_each_and_no_crash() -> None:
    big = "<html><head><title>Big</title></head><body><article>" + "".join(
        f"<div><p>Paragraph {i} of a very large page, long enough to count as text.</p></div>"
        for i in range(250_000)) + "</article></body></html>"
    assert len(big) > 20_000_000
    recs = [
        {"id": "empty", "url": "https://example.com/a", "html": ""},
        {"id": "binary", "url": "https://example.com/b", "html": os.urandom(5000).decode("latin-1")},
        {"id": "unclosed", "url": "https://example.com/c",
         "html": "<html><body><div><p>" + "unclosed <b><i><div><table><tr><td>" * 3000},
        {"id": "deep", "url": "https://example.com/d", "html": "<div>" * 100_000 + "text " * 50},
        {"id": "big", "url": "https://example.com/e", "html": big},
        {"id": "nul", "url": "https://example.com/f", "html": "<p>\x00\x01</p>" * 10},
        {"id": "notstr", "url": "https://example.com/g", "html": 42},
    ]
    data = "".join(json.dumps(r) + "\n" for r in recs).encode()
    data += b"not json\n\n[1, 2]\n\xff\xfe\x00\x80 raw bytes\n"
    out, _ = _stream(data)
    assert len(out) == len(recs) + 4
    assert [o["id"] for o in out[:len(recs)]] == [r["id"] for r in recs]
    by_id = {o["id"]: o for o in out[:len(recs)]}
    assert by_id["empty"]["error"] and by_id["empty"]["text"] == ""
    assert by_id["notstr"]["error"] == "fields 'html' and 'url' must be strings"
    assert by_id["big"]["title"] == "Big" and by_id["big"]["text"].startswith("Paragraph 0 of")
    for o in out[len(recs):]:
        assert o["error"] and o["text"] == "" and o["id"] is None
    for o in out:
        assert set(o) >= {"id", "title", "text", "lang", "published", "author", "extraction_method"}


def test_single_file_with_url(tmp_path) -> None:
    exp = next(e for e in EXPECTED_ARTICLES if e["lang"] == "zh-Hans")
    page = mirror_path(SITES, exp["url"])
    proc = run_cli("extract", str(page), "--url", exp["url"])
    assert proc.returncode == 0, proc.stderr
    o = json.loads(proc.stdout)
    assert o["title"] == exp["title"] and o["text"].split("\n") == exp["paragraphs"]
    assert o["extraction_method"] == "profile"
    # unknown URL: no profile, generic path
    proc = run_cli("extract", str(page), "--url", "https://unknown.example/x.html")
    assert json.loads(proc.stdout)["extraction_method"] in ("generic", "jsonld")
    missing = run_cli("extract", str(tmp_path / "nope.html"))
    assert missing.returncode == 2 and missing.stderr.startswith("lednews: error: cannot read")


def test_extract_output_pipes_into_ingest(tmp_path) -> None:
    """`lednews extract --jsonl` lines carry `url` and `source` (the profile's key, else
    the host), so `lednews ingest` stores them unchanged."""
    known = next(e for e in EXPECTED_ARTICLES if e["lang"] == "en")
    pages = [(known["url"], _mirror_html(known["url"])),
             ("https://www.unknown.example/news/1.html", _mirror_html(known["url"]))]
    data = "\n".join(json.dumps({"id": i, "url": u, "html": h}) for i, (u, h) in enumerate(pages))
    out, _ = _stream(data.encode())
    assert [o["url"] for o in out] == [u for u, _h in pages]
    assert out[0]["source"] == known["_file"].split("/")[0]
    assert out[1]["source"] == "unknown.example"
    f = tmp_path / "extracted.jsonl"
    f.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in out) + "\n", "utf-8")
    proc = run_cli("ingest", str(f), "--db", str(tmp_path / "db.sqlite"))
    assert proc.returncode == 0, proc.stderr
    assert "0 lines skipped" in proc.stdout, proc.stdout
