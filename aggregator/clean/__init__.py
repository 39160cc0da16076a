"""Boilerplate removal: element-level (``dom``) and line-level (``lines``)."""

from aggregator.clean.dom import drop_junk_elements, strip_page_chrome
from aggregator.clean.lines import clean_article, clean_lines

__all__ = ["clean_article", "clean_lines", "drop_junk_elements", "strip_page_chrome", "CLEANER_VERSION"]

# Raised by hand with any change to the built-in cleaning rules (phrases, end markers,
# element rules); stored with every article beside EXTRACTOR_VERSION.
CLEANER_VERSION = 1
