"""Extraction, cleaning and dedup outside a crawl: ``extract``, ``learn-templates``,
``explain-clean``, ``ingest``, ``dedup``."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import click

from aggregator.commands.common import (
    DEFAULT_DB,
    EXIT_CONFIG,
    EXIT_CRAWL_FAILED,
    _fail,
    _open_db,
    _profiles,
    _sibling_gaps,
    writer_lock,
)
from aggregator.profiles import SiteProfile


def _learn_templates(storage: Any, profiles: list[SiteProfile]) -> dict[str, int]:
    """Learn/re-apply site templates of the crawled sources; relink stories if any
    stored text changed."""
    learned, changed = storage.relearn_templates([p.key for p in profiles])
    if changed:
        from aggregator.dedup.run import link_stories

        link_stories(storage, {p.key: p.sibling.max_gap for p in profiles if p.sibling})
    return learned


@click.command(name="learn-templates")
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--site", "sites", multiple=True, help="Only this source (repeatable).")
@click.option("--sources", type=click.Path(), help="TOML file of user-defined sources.")
def learn_templates_cmd(db: str, sites: tuple[str, ...], sources: str | None) -> None:
    """Learn per-source template lines (menus, footers) from stored articles and remove them."""
    with writer_lock(db, "learn-templates"):
        storage = _open_db(db)
        try:
            profiles = _profiles(sources, sites)
            learned = _learn_templates(storage, profiles)
        finally:
            storage.close()
    for key, n in sorted(learned.items()):
        if n:
            click.echo(f"{key:24} {n} template line(s)")
    click.echo(f"lednews: {sum(learned.values())} template lines over {len(learned)} sources; "
               f"see `lednews explain-clean URL`")


@click.command(name="explain-clean")
@click.argument("url")
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
def explain_clean_cmd(url: str, db: str, as_json: bool) -> None:
    """Show what cleaning removed from a stored article, and why."""
    storage = _open_db(db)
    try:
        info = storage.explain_clean(url)
    finally:
        storage.close()
    if info is None:
        _fail(f"no stored article for {url}")
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    click.echo(f"{info['title']}\n  {info['url']} (source {info['source']}, "
               f"{info['source_templates']} learned template lines)")
    click.echo(f"  stored text: {info['stored_chars']} characters"
               f" ({info['chars_before_templates']} before template removal)")
    if not info["log"]:
        click.echo("  cleaning removed nothing")
    for entry in info["log"]:
        click.echo(f"  {entry['action']:7} [{entry['rule']}] {entry['line'][:80]!r}: {entry['why']}")


@click.command(name="extract")
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--url", default="", help="The page's URL (picks a site profile; none: generic path).")
@click.option("--jsonl", is_flag=True, help='Read JSON lines {"id", "url", "html"} on stdin, '
              "write one JSON line per input line on stdout.")
@click.option("--sources", type=click.Path(), help="Also match the sources in this TOML file.")
def extract_cmd(file: str | None, url: str, jsonl: bool, sources: str | None) -> None:
    """Extract one saved page (FILE --url URL) or a stream of pages (--jsonl)."""
    import io

    from aggregator.extract.batch import extract_page, run_jsonl

    profiles = _profiles(sources, ())
    if jsonl:
        if file and file != "-":
            _fail("--jsonl reads standard input; give no FILE")
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
        lines = (raw.decode("utf-8", "replace") for raw in sys.stdin.buffer)
        n, failed = run_jsonl(lines, out, profiles)
        out.detach()
        click.echo(f"lednews: extracted {n - failed} of {n} pages ({failed} failed)", err=True)
        return
    if not file:
        _fail("give FILE (and --url URL), or --jsonl")
    try:
        body = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as e:
        _fail(f"cannot read {file}: {e.strerror or e}")
    res = extract_page(file, url, body, profiles)
    click.echo(json.dumps(res, ensure_ascii=False, indent=2))
    if "error" in res:
        sys.exit(EXIT_CRAWL_FAILED)


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite database to write.")
@click.option("--workers", type=int, default=None,
              help="Worker processes for dedup features of a file of several batches (default: 1 on two or"
                   " more cores; 0: one process, less memory in all, slower).")
def ingest(file: str, db: str, workers: int | None) -> None:
    """Store already-extracted articles from a JSON-lines FILE (fields: url, title, text,
    lang, published, source) through clean -> dedup -> store. Bad lines are reported as
    FILE:LINE and skipped, the rest go in; the exit code is then 2 so scripts notice."""
    from aggregator.dedup.ingest import ingest_file

    profiles, gaps = _sibling_gaps()
    with writer_lock(db, "ingest"):
        storage = _open_db(db, must_exist=False)
        try:
            rep = ingest_file(file, storage, profiles, gaps, workers=workers)
        finally:
            storage.close()
    for lineno, reason in rep.errors:
        click.echo(f"{file}:{lineno}: skipped: {reason}", err=True)
    click.echo(f"lednews: ingested {file} into {db}: {rep.new} new, {rep.updated} updated, "
               f"{rep.unchanged} unchanged, {len(rep.errors)} lines skipped; "
               f"{rep.stories} stories ({rep.multi_version} with several versions); "
               f"links by layer {json.dumps(dict(sorted(rep.links.items())))}")
    if rep.errors:
        sys.exit(EXIT_CONFIG)


@click.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--rebuild", is_flag=True, help="Drop stored dedup features and pair scores first.")
@click.option("--explain", nargs=2, metavar="A B", help="Say why articles A and B (ids or URLs) "
              "are or are not one story.")
def dedup(db: str, rebuild: bool, explain: tuple[str, str] | None) -> None:
    """Recompute stories (incrementally, or from scratch with --rebuild), or --explain a pair."""
    from aggregator.dedup.run import explain as explain_pair
    from aggregator.dedup.run import run_dedup

    _, gaps = _sibling_gaps()
    with nullcontext() if explain else writer_lock(db, "dedup"):  # --explain only reads
        storage = _open_db(db)
        try:
            if explain:
                ids = [storage.find_article(x) for x in explain]
                for given, found in zip(explain, ids, strict=True):
                    if found is None:
                        _fail(f"no article {given!r} in {db} (give an article id or URL)")
                for line in explain_pair(storage, ids[0], ids[1], gaps):
                    click.echo(line)
                return
            run = run_dedup(storage, gaps, full=rebuild)
            s = storage.summary(brief=True)
        finally:
            storage.close()
    what = (f"{'rebuild' if rebuild else 'whole-set pass'} over {run.articles} articles" if run.whole
            else f"pass over {run.articles} new or changed articles ({run.relinked} in the stories linked again)")
    click.echo(f"lednews: dedup {what}: "
               f"{run.new_keys} new feature rows, {run.candidates} candidate pairs "
               f"({run.new_pairs} newly scored), {run.written} rows written; "
               f"{s['stories']} stories ({s['multi_version_stories']} with several versions); "
               f"links by layer {json.dumps(dict(sorted(run.links.items())))}; "
               f"seconds {json.dumps(run.seconds)}")
