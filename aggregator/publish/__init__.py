"""Publishing: Datasette (metadata, canned queries, plugin), Atom feeds, exports, and the
index terms (CJK bigrams) that make the stored search index work for Chinese and English."""
