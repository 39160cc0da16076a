"""Content fingerprints for exact-duplicate detection."""

from __future__ import annotations

from aggregator.text import content_hash

__all__ = ["content_hash", "MIN_HASH_CHARS"]

# Texts shorter than this after normalisation are too generic to call two pages one
# story by hash alone (a one-line stub would merge everything that has it).
MIN_HASH_CHARS = 80

