"""`kg crawl`: a polite, resumable crawler that keeps raw pages for the build.

    with Cache("crawl-cache") as cache:
        report = Crawler(cache, CrawlOptions.from_settings(settings)).crawl(start_url)
        sources = crawled_sources(cache, report)   # for kg.build.Builder

Modules: `links` (which links to follow), `ratelimit` and `fetcher` (HTTP, politeness, retries),
`robots`, `cache` (bodies by content, metadata by URL), `frontier` (resumable state),
`crawler` (orchestration), `report`. See docs/crawling.md.
"""

from kg.crawl.cache import Cache, CachedPage
from kg.crawl.crawler import Crawler, crawled_sources
from kg.crawl.frontier import Outcome
from kg.crawl.links import LinkPatterns, PageKind
from kg.crawl.options import CrawlOptions, user_agent
from kg.crawl.report import CrawlReport, PageResult

__all__ = [
    "Cache", "CachedPage", "CrawlOptions", "CrawlReport", "Crawler", "LinkPatterns", "Outcome",
    "PageKind", "PageResult", "crawled_sources", "user_agent",
]
