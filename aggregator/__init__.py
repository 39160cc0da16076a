"""lednews: a news aggregator for the LED and semiconductor-lighting industry."""

__version__ = "0.1.0"
