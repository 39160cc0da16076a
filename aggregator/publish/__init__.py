"""Publishing: Datasette (metadata, canned queries, plugin), Atom feeds, exports, and the
word segmentation that makes the stored search index work for Chinese and English."""
