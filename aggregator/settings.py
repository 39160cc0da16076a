"""Scrapy settings: only deviations from Scrapy's defaults, each with its reason.

lednews' own keys are prefixed ``AGGREGATOR_``.
"""

BOT_NAME = "lednews"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Identify ourselves; operators set a contact URL with AGGREGATOR_CONTACT_URL.
USER_AGENT = "lednews/0.1 (+https://github.com/lednews/lednews)"

# Politeness for live runs: obey robots.txt, one request at a time per domain,
# a delay between them (profiles may ask for more), AutoThrottle on top.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Retry-After on 429/503 slows the site's slot before the retry (aggregator/politeness.py);
# 560 puts it just below RetryMiddleware (550), so it sees the response first.
DOWNLOADER_MIDDLEWARES = {"aggregator.politeness.RetryAfterMiddleware": 560}

# News pages are small; a 10 MB page is a trap, not an article.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30

# No remote-control console on a cron host.
TELNETCONSOLE_ENABLED = False

# Crawl breadth-first-ish: feeds and listings before deep pagination.
DEPTH_PRIORITY = 1

ITEM_PIPELINES = {
    "aggregator.pipelines.ValidatePipeline": 100,
    "aggregator.pipelines.CleanPipeline": 200,
    "aggregator.pipelines.DedupPipeline": 300,
    "aggregator.pipelines.StorePipeline": 900,
}

LOG_LEVEL = "INFO"

# lednews' own settings.
AGGREGATOR_DB = "data/news.db"
AGGREGATOR_MIRROR_DIR = ""  # set by `lednews crawl --mirror DIR`
AGGREGATOR_SOURCES_FILE = ""  # TOML of user-defined sources
# Longest Retry-After honoured, in seconds (0 turns it off). One minute: an hourly cron run
# can afford it; a longer wait is not honoured and the URL's retries fail and are recorded.
AGGREGATOR_RETRY_AFTER_MAX = 60
AGGREGATOR_WRITE_BATCH = 200  # rows per transaction; peers.md §5: batching is ~14x faster
