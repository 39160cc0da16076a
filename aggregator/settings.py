"""Scrapy settings: only deviations from Scrapy's defaults, each with its reason.

lednews' own keys are prefixed ``AGGREGATOR_``.
"""

BOT_NAME = "lednews"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
# `scrapy crawl` takes lednews' writer lock (aggregator/scrapy_commands/crawl.py).
COMMANDS_MODULE = "aggregator.scrapy_commands"

# Identify ourselves; operators set a contact URL with AGGREGATOR_CONTACT_URL
# (`lednews crawl --contact URL`), which replaces the project URL below.
USER_AGENT = "lednews/0.1 (+https://github.com/lednews/lednews)"

# Politeness for live runs: obey robots.txt, one request at a time per domain,
# a delay between them (profiles may ask for more), AutoThrottle on top.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
# The delay is a floor, not a mean: Scrapy's default randomisation (0.5x-1.5x) would send
# requests closer together than a profile's download_delay (measured: 0.97 s gaps at 1.2 s).
# Scrapy 2.19 spells it DOWNLOAD_DELAY_JITTER (RANDOMIZE_DOWNLOAD_DELAY is deprecated).
DOWNLOAD_DELAY_JITTER = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# News pages are small; a 10 MB page is a trap, not an article.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30

# No remote-control console on a cron host: neither the telnet console nor Scrapy
# 2.19's remote-control HTTP server (on by default, listening on a local port).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# A memory bound for the crawl process (aggregator.bounds.MemoryBound, in place of
# Scrapy's MemoryUsage, reads the process's peak RSS): the largest crawl we measure, the
# 5,000-page bench mirror, peaks at 386-504 MB (docs/performance.md), so a warning at 2x
# and a stop at 4x that. A stopped run stores what it fetched, ends "memusage_exceeded",
# exits 1 with one line, and the next run catches up (aggregator/cli.py).
MEMUSAGE_WARNING_MB = 1024
MEMUSAGE_LIMIT_MB = 2048
MEMUSAGE_CHECK_INTERVAL_SECONDS = 15.0

# Crawl breadth-first-ish: feeds and listings before deep pagination.
DEPTH_PRIORITY = 1

DOWNLOADER_MIDDLEWARES = {
    # Per-source request/response counts: after robots.txt (100), so requests that
    # robots.txt forbids (never sent) are not counted.
    "aggregator.middlewares.SourceStatsMiddleware": 120,
    # Retry-After: after RetryMiddleware (550) on the way out, before it on the way back.
    "aggregator.politeness.RetryAfterMiddleware": 560,
    # robots.txt Crawl-delay: reads the robots.txt answers RobotsTxtMiddleware (100) asks
    # for, sets the delay of the page requests after it (live runs only).
    "aggregator.politeness.CrawlDelayMiddleware": 570,
    # Challenge pages: after decompression (590) and before retries (550) on the way back.
    "aggregator.middlewares.ChallengeMiddleware": 580,
}

# Per-profile delays (DOWNLOAD_SLOTS) stay a floor under AutoThrottle.
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "aggregator.politeness.ProfileAutoThrottle": 0,
    "aggregator.console.ProgressExtension": 500,  # only when AGGREGATOR_PROGRESS is on
    "scrapy.extensions.memusage.MemoryUsage": None,  # its ERROR lines repeat until the end
    "aggregator.bounds.MemoryBound": 0,  # MEMUSAGE_LIMIT_MB, one warning, one CLI line
}

# Scrapy starts CONCURRENT_ITEMS asyncio tasks for every response's output (2.19,
# scrapy/utils/asyncio.py _parallel_asyncio), whatever the output's size. Our callbacks
# yield one article and its language alternates, listings up to a page of links:
# 100 (the default) -> 8 took bare Scrapy from 12.5 to 7.1 s and lednews from 32 to
# 22 s on bench/crawl.py's 5,000 pages (the bench gives bare Scrapy the same value).
CONCURRENT_ITEMS = 8

ITEM_PIPELINES = {
    "aggregator.pipelines.ValidatePipeline": 100,
    "aggregator.pipelines.StorePipeline": 900,
}

LOG_LEVEL = "INFO"

# lednews' own settings.
AGGREGATOR_DB = "data/news.db"
AGGREGATOR_MIRROR_DIR = ""  # set by `lednews crawl --mirror DIR`
AGGREGATOR_SOURCES_FILE = ""  # TOML of user-defined sources
AGGREGATOR_WRITE_BATCH = 200  # rows per transaction (docs/background.md#sqlite-batching)
# Also write whatever is buffered (articles, error rows) this often: a killed live run,
# at a page a second, loses at most these seconds of work instead of up to 200 pages;
# the bench's 5,000-page mirror crawl fills a batch every ~0.5 s, so it never fires there.
AGGREGATOR_FLUSH_SECONDS = 5.0
AGGREGATOR_REFRESH = False  # `lednews crawl --refresh`: re-fetch stored articles, no conditional requests
AGGREGATOR_CONTACT_URL = ""  # shown in the User-Agent (`lednews crawl --contact URL`)
AGGREGATOR_MAX_CRAWL_DELAY = 60  # longest robots.txt Crawl-delay honoured (aggregator/politeness.py)
AGGREGATOR_MAX_RETRY_AFTER = 300  # longest Retry-After waited for in a run (aggregator/politeness.py)
AGGREGATOR_PROGRESS = False  # progress line on stderr; the CLI turns it on for a terminal
# Processes that extract, clean and hash article pages beside the crawl (aggregator/workers.py):
# "auto" = 1 on a machine with 2+ cores when requests are not delayed (the mirror, a
# re-crawl at full speed), 0 (in the crawl process) on one core and on a polite crawl,
# where the worker does not pay (aggregator.workers.default_workers; bench/crawl.py).
AGGREGATOR_WORKERS = "auto"
# Work sharing: the crawl process extracts an article page itself while the workers hold
# this many jobs (aggregator.workers.SHARE_BACKLOG says how it was chosen; -1: never).
AGGREGATOR_SHARE_BACKLOG = 32
# Bounds on what a site can make a run queue (aggregator/bounds.py says how chosen):
# entries per feed/sitemap start point, newest first; article requests per source.
AGGREGATOR_MAX_ENTRIES = 1000
AGGREGATOR_MAX_QUEUED_PER_SOURCE = 5000
# The raw archive (aggregator/archive, docs/archive.md): article pages, feeds and
# sitemaps kept as WARC records in DATA_DIR/archive, so `lednews process` can extract
# them again without a request. Files rotate at this size (1 GB, the size WARC 1.1's
# annex C and Common Crawl use); `lednews archive prune` drops files whose records are
# all older than the retention (days; 0 keeps everything).
AGGREGATOR_ARCHIVE = True
AGGREGATOR_ARCHIVE_MAX_FILE_MB = 1024
AGGREGATOR_ARCHIVE_RETENTION_DAYS = 0
# Scale-out (aggregator/frontier, docs/scale-out.md): `lednews crawl --frontier URL` and
# `lednews worker --frontier URL` set AGGREGATOR_FRONTIER_URL themselves.
AGGREGATOR_FRONTIER_URL = ""
AGGREGATOR_FRONTIER_PREFIX = "lednews"  # key prefix in Redis: one per database
AGGREGATOR_FRONTIER_LEASE = 60  # seconds before a silent worker's requests are queued again (worker.LEASE)
AGGREGATOR_FRONTIER_BACKLOG = 2000  # unread pages at which workers stop claiming (worker.MAX_BACKLOG)
# A site mirror served over HTTP (tests, bench/crawl.py --frontier): workers send every
# request to this server with the URL in X-Mirror-URL (aggregator.frontier.worker).
AGGREGATOR_MIRROR_SERVER = ""
# Per-host delay of a frontier crawl from a mirror (local mirror crawls use none):
# what makes a mirror crawl politeness-bound like a live one, in tests and the bench.
AGGREGATOR_MIRROR_DELAY = 0.0
