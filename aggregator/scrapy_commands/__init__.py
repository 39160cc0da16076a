"""Scrapy commands of the project (``COMMANDS_MODULE``): ``crawl`` replaces Scrapy's
own so that ``scrapy crawl SITE`` takes the same writer lock as ``lednews crawl``."""
