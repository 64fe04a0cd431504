"""Each fault the fixture site injects ends as the report says, and nothing else is lost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.crawl import Cache, Crawler, CrawlReport, Outcome, PageKind
from tests.crawl.conftest import fast_options
from tests.crawl.fixture_site import HUGE_BYTES, PREFIX, FixtureSite, sample_pages

FAILED = {
    f"{PREFIX}/recommendations/99001": "timed out after 0.4 s (ReadTimeout) (gave up after 2 attempts)",
    f"{PREFIX}/recommendations/99002": "peer closed connection without sending complete message body",
    f"{PREFIX}/recommendations/99003": f"redirect loop: http://HOST{PREFIX}/loop/a → http://HOST{PREFIX}/loop/b"
                                       f" → http://HOST{PREFIX}/loop/a",
    f"{PREFIX}/recommendations/99004": "not a page: image/png (only HTML, text and JSON are kept)",
    f"{PREFIX}/recommendations/99005": "over the 1 MB limit (crawl_max_page_mb); stopped after",
    f"{PREFIX}/eval/99999": "HTTP 404 Not Found",
}


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> Iterator[tuple[FixtureSite, CrawlReport, Path]]:
    """One crawl of the site with every fault, shared by the tests that read its outcome."""
    site = FixtureSite(slow_seconds=2.0)
    site.start()
    cache = tmp_path_factory.mktemp("crawl") / "cache"
    with Cache(cache) as opened:
        report = Crawler(opened, fast_options()).crawl(site.url)
    yield site, report, cache
    site.stop()


def test_every_fault_ends_as_the_report_says(crawled):
    site, report, _ = crawled
    host = site.url.split("/")[2]
    by_path = {_path(page.url): page for page in report.pages}
    failed = {_path(page.url): page.reason for page in report.failed}
    assert set(failed) == set(FAILED)
    for path, expected in FAILED.items():
        assert expected.replace("HOST", host) in failed[path], (path, failed[path])
    assert [_path(p.url) for p in report.disallowed] == [f"{PREFIX}/recommendations/99006"]
    assert by_path[f"{PREFIX}/recommendations/99006"].reason == "disallowed by robots.txt"
    assert not report.start_failed and report.exit_status() == 0 and report.exit_status(strict=True) == 1
    assert report.fetched == 21 + site.index_pages() + site.listing_pages() and report.count(Outcome.UNCHANGED) == 0
    assert report.records == 21 and not report.unreadable
    assert report.summary().startswith(f"35 pages: {report.fetched} fetched ({report.fetched} new, 0 changed),"
                                       " 0 unchanged, 6 failed, 1 disallowed by robots.txt; 21 records on 21 record pages")


def test_transient_faults_are_retried_and_nothing_else_is_lost(crawled):
    site, report, cache_dir = crawled
    assert [h.status for h in site.hits_for(f"{PREFIX}/recommendations/16089")] == [500, 200]
    first, second = site.hits_for(f"{PREFIX}/eval/3502")
    assert (first.status, second.status) == (429, 200)
    assert second.time - first.time >= 0.95, "Retry-After: 1 was not honoured"
    assert [h.status for h in site.hits_for(f"{PREFIX}/eval/3666")] == [301]
    kept = {_path(p.url): p for p in report.record_pages}
    assert set(kept) == set(sample_pages())
    with Cache(cache_dir) as cache:
        for path, sample in sample_pages().items():
            page = cache.page(site.url.rstrip("/").removesuffix(PREFIX) + path)
            assert page is not None and cache.read_blob(page.sha256) == sample.read_bytes(), path
            assert page.etag and page.last_modified and page.status == 200 and page.records == 1
        moved = cache.page(site.url + "eval/3666")
        assert moved is not None and moved.final_url.endswith("/pages/ilo-evaluation-3666.html")


def test_oversized_page_is_stopped_at_the_cap_and_nothing_partial_is_kept(crawled):
    site, _, cache_dir = crawled
    (hit,) = site.hits_for(f"{PREFIX}/recommendations/99005")
    assert hit.sent < HUGE_BYTES / 2, "the crawler read far past its cap"
    blobs = [p for p in (cache_dir / "blobs").rglob("*") if p.is_file()]
    assert blobs and max(p.stat().st_size for p in blobs) <= 1_000_000
    assert list((cache_dir / "tmp").iterdir()) == []


def test_robots_disallow_is_honoured_and_the_user_agent_names_tool_and_contact(crawled):
    site, _, _ = crawled
    assert site.hits_for(f"{PREFIX}/recommendations/99006") == []
    assert site.hits[0].path == "/robots.txt"
    assert {hit.user_agent for hit in site.hits} == {"evalkg/0.1.0 (+crawler-tests@example.org)"}


def test_a_start_page_that_cannot_be_had_is_reported(site, crawl):
    report = crawl(site.url + "?page=99")
    assert report.start_failed and report.exit_status() == 1
    assert [(p.kind, p.outcome, p.reason) for p in report.pages] == [(PageKind.INDEX, Outcome.FAILED, "HTTP 404 Not Found")]


def test_retry_after_longer_than_the_limit_gives_the_page_up(site, crawl):
    report = crawl(site.url + "eval/3502", max_wait=0.5)
    (page,) = [p for p in report.failed if p.url.endswith("/eval/3502")]
    assert page.reason == "HTTP 429 Too Many Requests; the server asks to wait 1 s, more than the 0.5 s limit (crawl_max_wait)"
    assert len(site.hits_for(f"{PREFIX}/eval/3502")) == 1


def test_too_many_redirects(site, crawl):
    report = crawl(site.url + "eval/3666", max_redirects=0)
    (page,) = [p for p in report.failed if p.url.endswith("/eval/3666")]
    assert page.reason == "more than 0 redirects (crawl_max_redirects)"


def test_unreachable_robots_txt_forbids_the_site(tmp_path, crawl):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    report = crawl(f"http://127.0.0.1:{port}/ievaldiscovery/", retries=0)
    (page,) = report.pages
    assert page.outcome is Outcome.DISALLOWED and "cannot be had" in (page.reason or "") and "RFC 9309" in page.reason
    assert report.start_failed
