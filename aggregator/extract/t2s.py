"""Moved to ``aggregator.t2s`` (a leaf module the text helpers can import without
importing extraction); kept so ``aggregator.extract.t2s`` imports go on working."""

from aggregator.t2s import _FastT2S, converter, to_simplified

__all__ = ["converter", "to_simplified", "_FastT2S"]
