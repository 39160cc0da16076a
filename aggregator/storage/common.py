"""Small pieces shared by the storage modules."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

__all__ = ["StorageError", "article_id", "now"]


class StorageError(RuntimeError):
    pass


def article_id(canonical_url: str) -> str:
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()[:16]


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
