"""Dedup: canonical URLs, content fingerprints, story clustering."""

from aggregator.dedup.fingerprint import content_hash
from aggregator.dedup.urls import canonicalize_url

__all__ = ["canonicalize_url", "content_hash"]
