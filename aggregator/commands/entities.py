"""``lednews tag``: companies and topics of stored articles (docs/entities.md)."""

from __future__ import annotations

import click

from aggregator.commands.common import DEFAULT_DB, _fail, _open_db, writer_lock


@click.command(name="tag")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite database to tag.")
@click.option("--all", "everything", is_flag=True,
              help="Re-tag every article (after the gazetteer changed); default: only articles "
                   "never tagged or tagged with another gazetteer or text.")
@click.option("--gazetteer", type=click.Path(dir_okay=False),
              help="A user gazetteer TOML file added to the bundled one (default: $LEDNEWS_GAZETTEER, "
                   "else gazetteer.toml beside the database).")
@click.option("--check", is_flag=True, help="Only load and check the gazetteer; print its size.")
def tag_cmd(db: str, everything: bool, gazetteer: str | None, check: bool) -> None:
    """Tag stored articles with the companies and topics they mention."""
    from aggregator.entities import GazetteerError, load_gazetteer

    if check:
        try:
            gaz = load_gazetteer(gazetteer)
        except GazetteerError as e:
            _fail(str(e))
        click.echo(f"lednews: gazetteer ok: {len(gaz.companies())} companies, "
                   f"{len(gaz.topics())} topics (version {gaz.version})")
        return
    with writer_lock(db, "tag"):  # one writer at a time (issue 15)
        storage = _open_db(db)
        try:
            try:
                n = storage.retag(everything=everything, extra=gazetteer)
                gaz = storage.gazetteer(gazetteer)
            except GazetteerError as e:
                _fail(str(e))
            stories = len(storage.tagged_stories(e.id for e in gaz.entities.values()))
            click.echo(f"lednews: tagged {n} articles; {stories} stories carry a company or topic "
                       f"(gazetteer {gaz.version}: {len(gaz.companies())} companies, {len(gaz.topics())} topics)")
        finally:
            storage.close()
