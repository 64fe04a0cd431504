"""A crawl killed midway (SIGKILL, a real subprocess) resumes and completes without refetching."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from kg.cli import main
from tests.crawl.conftest import FAST_ENV
from tests.crawl.fixture_site import FixtureSite

pytestmark = pytest.mark.slow


def _target(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _done(cache: Path) -> set[str]:
    with sqlite3.connect(cache / "index.sqlite") as db:
        return {url for (url,) in db.execute("SELECT url FROM frontier WHERE outcome != 'pending'")}


def _pending(cache: Path) -> set[str]:
    with sqlite3.connect(cache / "index.sqlite") as db:
        return {url for (url,) in db.execute("SELECT url FROM frontier WHERE outcome = 'pending'")}


def test_a_killed_crawl_resumes_where_it_stopped(tmp_path):
    site = FixtureSite(faults=False, page_size=4, delay=0.15)
    site.start()
    cache = tmp_path / "cache"
    env = {**os.environ, **FAST_ENV, "KG_CRAWL_CONCURRENCY": "2"}
    try:
        crawler = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "crawl", site.url, "--cache", str(cache)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while sum(1 for h in site.hits if h.status == 200 and "/eval/" in h.path) < 5:
            assert crawler.poll() is None, "the crawl ended before it could be killed"
            assert time.monotonic() < deadline, "the crawl made no progress"
            time.sleep(0.01)
        crawler.send_signal(signal.SIGKILL)
        crawler.wait()
        done, pending = _done(cache), _pending(cache)
        assert len(done) >= 3 and pending, "not killed midway"
        mark = len(site.hits)

        result = CliRunner().invoke(main, ["crawl", site.url, "--cache", str(cache)], env=FAST_ENV)
    finally:
        site.stop()
    assert result.exit_code == 0, result.output
    refetched = {hit.path for hit in site.hits[mark:]} & {_target(url) for url in done}
    assert not refetched, f"pages the killed crawl had recorded were fetched again: {refetched}"
    assert f"resumed after {len(done)} pages done" in result.output
    assert "21 records on 21 record pages" in result.output and " 0 failed" in result.output
    assert _pending(cache) == set() and list((cache / "tmp").iterdir()) == []


def test_ctrl_c_stops_a_crawl_waiting_to_retry_at_once_and_keeps_its_state(tmp_path):
    site = FixtureSite(slow_seconds=5.0)
    site.start()
    cache = tmp_path / "cache"
    env = {**os.environ, **FAST_ENV, "KG_CRAWL_BACKOFF": "60", "KG_CRAWL_MAX_WAIT": "120"}
    try:
        crawler = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "crawl", site.url, "--cache", str(cache)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        deadline = time.monotonic() + 30
        good_pages = 21 + site.index_pages() + site.listing_pages()
        while sum(1 for h in site.hits if h.status == 200 and "/ievaldiscovery/" in h.path) < good_pages:
            assert crawler.poll() is None and time.monotonic() < deadline, "the crawl did not get going"
            time.sleep(0.01)
        time.sleep(0.5)  # the slow and the truncated page have failed once and wait 30 to 60 s to retry
        interrupted = time.monotonic()
        crawler.send_signal(signal.SIGINT)
        _, stderr = crawler.communicate(timeout=10)
        assert time.monotonic() - interrupted < 3
    finally:
        site.stop()
    assert crawler.returncode == 130
    assert "interrupted: run the same command again to resume the crawl" in stderr
    assert {url.rsplit("/", 1)[1] for url in _pending(cache)} >= {"99001", "99002"}
