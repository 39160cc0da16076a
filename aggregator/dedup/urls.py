"""Moved to ``aggregator.urls`` (a leaf module: storage and the spider use it without
importing dedup); kept so ``aggregator.dedup.urls`` imports go on working."""

from aggregator.urls import HOST_ALIASES, canonicalize_url, strip_tracking

__all__ = ["canonicalize_url", "strip_tracking", "HOST_ALIASES"]
