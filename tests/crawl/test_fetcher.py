"""Back-off and Retry-After: how long the fetcher waits before trying again."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from kg.crawl import Cache
from kg.crawl.fetcher import Fetcher, retry_after
from tests.crawl.conftest import fast_options


@pytest.mark.parametrize("value, seconds", [("120", 120.0), ("0", 0.0), (None, None), ("soon", None)])
def test_retry_after_in_seconds(value, seconds):
    assert retry_after(value) == seconds


def test_retry_after_as_an_http_date():
    when = datetime(2024, 2, 5, 10, 0, 30, tzinfo=timezone.utc)
    now = (when - timedelta(seconds=30)).timestamp()
    assert retry_after(format_datetime(when, usegmt=True), clock=lambda: now) == pytest.approx(30.0)
    assert retry_after(format_datetime(when, usegmt=True), clock=lambda: now + 60) == 0.0


def test_backoff_doubles_with_jitter_and_is_capped(tmp_path):
    with Cache(tmp_path / "c") as cache, Fetcher(fast_options(backoff=1.0, max_wait=5.0), cache) as fetcher:
        for attempt, (low, high) in {1: (0.5, 1.0), 2: (1.0, 2.0), 3: (2.0, 4.0), 6: (2.5, 5.0)}.items():
            delays = [fetcher._backoff(attempt) for _ in range(200)]
            assert low <= min(delays) and max(delays) <= high
            assert max(delays) - min(delays) > (high - low) / 2, "no jitter"
