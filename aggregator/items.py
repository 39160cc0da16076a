"""Article: the one record type that flows through the pipeline."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Article:
    url: str
    source: str
    title: str = ""
    text: str = ""
    lang: str | None = None
    published: str | None = None  # ISO 8601; date only when the page gives no time
    republished: str | None = None  # republish date on B2B copies (not the story's date)
    author: str | None = None
    canonical_url: str = ""
    extraction_method: str = ""  # e.g. "profile", "jsonld", "generic", "profile>generic"
    date_method: str = ""  # where ``published`` came from
    fetched_at: str = ""
    alternate_urls: list[str] = field(default_factory=list)  # other-language versions
    warnings: list[str] = field(default_factory=list)
    content_hash: str = ""
    sibling_key: str | None = None
    sibling_seq: int | None = None
    clean_log: list[dict] = field(default_factory=list)  # what cleaning removed, and why
    body_html: str = ""  # sanitised structure beside ``text`` (aggregator.html.sanitize_html)
    # what made it: "EXTRACTOR.CLEANER" versions (aggregator.process.maker_version) and a
    # hash of the profile's fields; `lednews process` names the one that changed
    extractor_version: str = ""
    profile_hash: str = ""
    # the dedup features row computed with the page (aggregator.workers.features_job):
    # (article_id, content_hash, keys_json, terms_json), stored beside the article; not
    # an article field (left out of ``to_dict``)
    dedup_features: tuple[str, str, str, str] | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        del out["dedup_features"]
        return out


# What story linking reads of a stored article (aggregator.dedup; rows made by
# aggregator.storage): a record type here, so storage does not import dedup.
@dataclass(frozen=True)
class ArticleRef:
    id: str
    canonical_url: str
    source: str
    lang: str | None
    title: str
    published: str | None
    content_hash: str
    text_chars: int
    alternate_urls: tuple[str, ...] = ()
    sibling_key: str | None = None
    sibling_seq: int | None = None
    republished: bool = False
