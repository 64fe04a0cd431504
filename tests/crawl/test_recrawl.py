"""Re-crawls ask only for what changed: conditional requests, 304s, and the one changed page."""

from __future__ import annotations

from kg.crawl import Outcome
from tests.crawl.fixture_site import CHANGING, FixtureSite


def _hits_since(site: FixtureSite, start: int) -> list:
    return site.hits[start:]


def test_recrawl_of_an_unchanged_site_downloads_no_body_again(clean_site, crawl):
    first = crawl(clean_site.url)
    assert first.count(Outcome.NEW) == len(first.pages) == 21 + clean_site.index_pages() + clean_site.listing_pages()
    mark = len(clean_site.hits)
    second = crawl(clean_site.url)
    again = _hits_since(clean_site, mark)
    assert again, "the second crawl sent no request"
    assert all(hit.conditional for hit in again), [h.path for h in again if not h.conditional]
    assert {hit.status for hit in again} == {304}
    assert sum(hit.sent for hit in again) == 0
    assert second.count(Outcome.UNCHANGED) == len(second.pages) == len(first.pages)
    assert second.fetched == 0 and second.records == first.records == 21
    assert f"0 fetched (0 new, 0 changed), {len(second.pages)} unchanged, 0 failed" in second.summary()


def test_a_page_that_changed_is_the_only_one_downloaded(clean_site, crawl):
    crawl(clean_site.url)
    clean_site.version = 2
    mark = len(clean_site.hits)
    report = crawl(clean_site.url)
    downloaded = [hit.path for hit in _hits_since(clean_site, mark) if hit.status == 200]
    assert downloaded == [CHANGING]
    assert [(p.url.split("/ievaldiscovery")[1], p.outcome) for p in report.pages if p.outcome is not Outcome.UNCHANGED] \
        == [("/eval/3701", Outcome.CHANGED)]


def test_a_server_ignoring_validators_still_reports_unchanged_pages(crawl):
    site = FixtureSite(faults=False, honour_validators=False)
    site.start()
    try:
        crawl(site.url)
        mark = len(site.hits)
        report = crawl(site.url)
    finally:
        site.stop()
    assert {hit.status for hit in _hits_since(site, mark)} == {200}
    assert report.count(Outcome.UNCHANGED) == len(report.pages) and report.records == 21
