"""Fixtures for the crawler: the fixture site on 127.0.0.1, fast crawl options, crawl runs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad

from kg.crawl import Cache, Crawler, CrawlOptions, CrawlReport, LinkPatterns
from kg.crawl.options import user_agent
from kg.iris import Iris
from kg.settings import Settings
from kg.store import StoreDirectory
from tests.crawl.fixture_site import FixtureSite

CONTACT = "crawler-tests@example.org"
FAST = {
    "user_agent": user_agent(CONTACT),
    "concurrency": 4,
    "rate": 200.0,
    "timeout": 0.4,
    "retries": 1,
    "backoff": 0.02,
    "max_wait": 5.0,
    "max_redirects": 5,
    "max_page_bytes": 1_000_000,
}
FAST_ENV = {  # the same, as the settings of a `kg crawl` subprocess or CliRunner
    "KG_CRAWL_CONTACT": CONTACT,
    "KG_CRAWL_CONCURRENCY": "4",
    "KG_CRAWL_RATE": "200",
    "KG_CRAWL_TIMEOUT": "0.4",
    "KG_CRAWL_RETRIES": "1",
    "KG_CRAWL_BACKOFF": "0.02",
    "KG_CRAWL_MAX_WAIT": "5",
    "KG_CRAWL_MAX_PAGE_MB": "1",
}


def fast_options(**overrides: object) -> CrawlOptions:
    defaults = Settings()
    patterns = LinkPatterns.compile(defaults.crawl_record_patterns, defaults.crawl_index_patterns)
    return CrawlOptions(**{**FAST, "patterns": patterns, **overrides})  # type: ignore[arg-type]


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    """The fixture site with every fault; a slow page takes 2 s, five times the crawl timeout."""
    site = FixtureSite(slow_seconds=2.0)
    site.start()
    yield site
    site.stop()


@pytest.fixture
def clean_site() -> Iterator[FixtureSite]:
    """The fixture site serving only the sample pages, without faults."""
    site = FixtureSite(faults=False)
    site.start()
    yield site
    site.stop()


@pytest.fixture
def crawl(tmp_path: Path) -> Callable[..., CrawlReport]:
    """Crawl a URL into the test's cache (`tmp_path/cache`) with fast options."""

    def run(url: str, cache: Path | None = None, **overrides: object) -> CrawlReport:
        with Cache(cache or tmp_path / "cache") as opened:
            return Crawler(opened, fast_options(**overrides)).crawl(url)

    return run


def source_triples(store: Path) -> set[tuple[str, str, str]]:
    """The union of the source graphs, graph names left out: what the sources say, whatever their keys."""
    iris = Iris()
    other = {iris.metadata_graph, iris.reference_graph}
    quads: list[Quad] = list(StoreDirectory(store).open_read_only())
    return {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in quads if isinstance(q.graph_name, NamedNode) and q.graph_name not in other
    }
