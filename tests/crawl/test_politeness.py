"""Politeness measured at the server: the per-host rate, the concurrency limit, robots.txt."""

from __future__ import annotations

from tests.crawl.fixture_site import ROBOTS, FixtureSite


def _gaps(site: FixtureSite) -> list[float]:
    times = sorted(hit.time for hit in site.hits)
    return [later - earlier for earlier, later in zip(times, times[1:])]


def test_the_rate_limit_holds_at_the_server(crawl):
    site = FixtureSite(faults=False)
    site.start()
    try:
        report = crawl(site.url, rate=10.0, concurrency=4)
    finally:
        site.stop()
    gaps = _gaps(site)
    assert len(gaps) == len(report.pages)  # robots.txt and every page, one request each
    assert sum(gaps) / len(gaps) >= 0.095
    # Arrival times carry the server's scheduling jitter (a late arrival followed by a punctual
    # one looks like a short gap), so the limit is checked over one-second windows, and
    # bursts separately.
    times = sorted(hit.time for hit in site.hits)
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest <= 11, f"{busiest} requests within one second at 10 requests/s"
    assert min(gaps) >= 0.03, f"two requests {min(gaps):.3f} s apart at 10 requests/s"


def test_no_more_requests_in_flight_than_the_concurrency(crawl):
    site = FixtureSite(faults=False, delay=0.2)
    site.start()
    try:
        crawl(site.url, concurrency=3)
    finally:
        site.stop()
    assert 2 <= site.most_in_flight <= 3


def test_robots_crawl_delay_slows_the_pace(crawl):
    site = FixtureSite(faults=False, robots=ROBOTS + "Crawl-delay: 1\n")
    site.start()
    try:
        crawl(site.url + "eval/3388", rate=1000.0)  # a record page as start: robots.txt, then the page
    finally:
        site.stop()
    assert [hit.path for hit in site.hits] == ["/robots.txt", "/ievaldiscovery/eval/3388"]
    assert _gaps(site)[0] >= 0.95
