"""The crawl: from a start page, through the index pages, to every record page, into the cache.

Workers (at most `concurrency`) visit URLs; the main thread hands them out and records each
visit, its page and the links it found in one transaction, so the crawl can be killed at any
point and resumed by running it again.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, replace

from kg.crawl.cache import Cache, CachedPage
from kg.crawl.fetcher import Fetcher, Validators
from kg.crawl.frontier import Entry, Frontier, Outcome
from kg.crawl.links import PageKind, extract_links, is_web_url, normalize_url
from kg.crawl.options import CrawlOptions
from kg.crawl.report import CrawlReport, PageResult
from kg.crawl.robots import Robots
from kg.errors import CrawlError, ReadError, RobotsDisallowed
from kg.readers import FORM_BY_MEDIA_TYPE, read_records
from kg.sources import Source

Progress = Callable[[int, int, str], None]
"""Called after each visit with the URLs done, the URLs known, and the URL just visited."""

POLL_SECONDS = 0.2


@contextmanager
def _interrupt_as_event() -> Iterator[threading.Event]:
    """Turn Ctrl-C into an event the crawl loop polls, raising KeyboardInterrupt once it stopped.

    A KeyboardInterrupt raised inside `concurrent.futures.wait` can leave a future's lock held
    and hang the worker threads forever; the loop stops cleanly instead.
    """
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = signal.signal(signal.SIGINT, lambda number, frame: stop.set())
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)
    if stop.is_set():
        raise KeyboardInterrupt


@dataclass(frozen=True)
class _Visit:
    entry: Entry
    outcome: Outcome
    reason: str | None = None
    page: CachedPage | None = None
    links: tuple[tuple[str, PageKind], ...] = ()


def form_of(media_type: str | None) -> str | None:
    """The reader for a media type; None lets the readers sniff the content."""
    return FORM_BY_MEDIA_TYPE.get(media_type or "")


class Crawler:
    """Crawls one site into a cache."""

    def __init__(self, cache: Cache, options: CrawlOptions) -> None:
        self.cache = cache
        self.options = options

    def crawl(self, start_url: str, on_progress: Progress | None = None) -> CrawlReport:
        """Crawl from `start_url`, resuming its interrupted crawl if there is one."""
        start = normalize_url(start_url)
        if not is_web_url(start):
            raise CrawlError(start_url, "not an http(s) URL; give the address of an index page")
        began = time.monotonic()
        frontier = Frontier(self.cache, self.options.max_pages, self.options.max_depth)
        resumed = frontier.begin(start, self.options.patterns.kind(start) or PageKind.INDEX)
        with _interrupt_as_event() as stop, Fetcher(self.options, self.cache) as fetcher:
            pool = ThreadPoolExecutor(self.options.concurrency, thread_name_prefix="crawl")
            try:
                self._run(start, frontier, fetcher, pool, on_progress, stop)
            finally:
                fetcher.close()  # on Ctrl-C, workers waiting to retry give up at once
                pool.shutdown(cancel_futures=True)
        frontier.finish()
        return CrawlReport(start, self._results(frontier), resumed, time.monotonic() - began, frontier.not_followed())

    def _run(
        self,
        start: str,
        frontier: Frontier,
        fetcher: Fetcher,
        pool: ThreadPoolExecutor,
        on_progress: Progress | None,
        stop: threading.Event,
    ) -> None:
        robots = Robots(fetcher, self.cache, self.options.user_agent)
        busy: dict[Future[_Visit], str] = {}
        while True:
            for entry in frontier.pending(self.options.concurrency - len(busy), busy.values()):
                busy[pool.submit(self._visit, start, entry, fetcher, robots)] = entry.url
            if not busy or stop.is_set():
                return
            done, _ = wait(busy, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
            for future in done:
                url = busy.pop(future)
                self._record(frontier, future.result())
                if on_progress:
                    on_progress(*frontier.counts(), url)

    def _visit(self, start: str, entry: Entry, fetcher: Fetcher, robots: Robots) -> _Visit:
        """Fetch one URL (in a worker thread); nothing is recorded here."""
        previous = self.cache.page(entry.url)
        try:
            fetched = fetcher.fetch(entry.url, Validators.of(previous), robots.refusal)
        except RobotsDisallowed as error:
            return _Visit(entry, Outcome.DISALLOWED, error.reason)
        except CrawlError as error:
            return _Visit(entry, Outcome.FAILED, error.reason)
        page = fetched.as_cached(previous)
        if previous is None:
            outcome = Outcome.NEW
        else:
            outcome = Outcome.UNCHANGED if page.sha256 == previous.sha256 else Outcome.CHANGED
        content = self.cache.read_blob(page.sha256)
        if entry.kind is PageKind.INDEX:
            links = self.options.patterns.follow(start, extract_links(page.final_url, content))
            return _Visit(entry, outcome, page=page, links=tuple(links))
        if previous is not None and outcome is Outcome.UNCHANGED and previous.records is not None:
            page = replace(page, records=previous.records, problems=previous.problems)
        else:
            page = self._read(page, content)
        return _Visit(entry, outcome, page=page)

    @staticmethod
    def _read(page: CachedPage, content: bytes) -> CachedPage:
        """Count the records of a record page, as the build will read them."""
        records, problems = 0, []
        for item in read_records(page.url, content, form_of(page.media_type)):
            if isinstance(item, ReadError):
                problems.append(item.reason)
            else:
                records += 1
        return replace(page, records=records, problems=tuple(problems))

    def _record(self, frontier: Frontier, visit: _Visit) -> None:
        with self.cache.transaction():
            if visit.page is not None:
                self.cache.save_page(visit.page)
            frontier.add(visit.links, visit.entry.depth + 1)
            frontier.settle(visit.entry.url, visit.outcome, visit.reason)

    def _results(self, frontier: Frontier) -> list[PageResult]:
        results = []
        for entry in frontier.entries():
            page = self.cache.page(entry.url) if entry.kind is PageKind.RECORD else None
            results.append(PageResult(
                entry.url, entry.kind, entry.outcome, entry.reason,
                page.records if page else None, page.problems if page else (),
            ))
        return results


def crawled_sources(cache: Cache, report: CrawlReport) -> list[Source]:
    """The record pages of a crawl as build sources: keyed by URL, read from the cached body."""
    sources = []
    for result in report.record_pages:
        page = cache.page(result.url)
        if page is not None:
            sources.append(Source(result.url, cache.blob_path(page.sha256), form_of(page.media_type)))
    return sources
