"""Content fingerprints for exact-duplicate detection."""

from __future__ import annotations

import hashlib

from aggregator.text import normalize_for_hash

__all__ = ["content_hash", "MIN_HASH_CHARS"]

# Texts shorter than this after normalisation are too generic to call two pages one
# story by hash alone (a one-line stub would merge everything that has it).
MIN_HASH_CHARS = 80


def content_hash(text: str) -> str:
    """sha1 of the text after NFKC, Traditional->Simplified, lower case, no spaces or
    punctuation: identical syndicated copies and script variants hash alike."""
    return hashlib.sha1(normalize_for_hash(text).encode("utf-8")).hexdigest()
