"""Companies and topics: a gazetteer shipped as data (``gazetteer.toml``), its loader,
and the tagger that finds them in an article's title and text, across English,
Simplified and Traditional Chinese (docs/entities.md).

``load_gazetteer(extra)`` -> ``Gazetteer``; ``tag_article(gaz, title, text, published)``
-> the tags of one article. Pure functions, no database: ``aggregator.storage.entities``
stores the tags, ``lednews tag`` re-tags a database.
"""

from __future__ import annotations

from aggregator.entities.gazetteer import Entity, Gazetteer, GazetteerError, load_gazetteer
from aggregator.entities.tagger import Tag, tag_article

__all__ = ["Entity", "Gazetteer", "GazetteerError", "load_gazetteer", "Tag", "tag_article"]
