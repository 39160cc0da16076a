"""Scale-out: one crawl over many fetching processes and machines, one store (issue 20).

``lednews crawl --frontier redis://HOST:PORT/DB`` runs the **writer**: the same
``AllSourcesSpider`` and pipelines as a local crawl (feeds, listings, article
extraction in aggregator/workers.py, ValidatePipeline -> StorePipeline -> SQLite, story
linking at the end), except that its requests go to a shared frontier in Redis instead
of its own downloader, and its responses come back from that frontier's result stream.
``lednews worker --frontier URL`` runs a **fetcher**: it takes requests from the
frontier, downloads them (robots.txt, retries, redirects, challenge detection) and
puts what it fetched, raw, on the result stream. Workers never parse articles and never
open the database.

Modules: ``redisq`` the frontier's data in Redis (atomic Lua scripts: push with the
dupefilter, claim a host's next request under a lease, complete, re-queue); ``records``
requests and fetched pages as JSON and bytes; ``writer`` the writer's Scrapy scheduler
and replay download handler; ``worker`` the fetcher's scheduler, spider and handler;
``status`` what ``lednews status --frontier`` prints. docs/scale-out.md has the design
and the measurements.
"""
