"""Issue 17: a page that drips its bytes, an endless chain of index pages, a crawl past its page
limit and a redirect to another host, each against a real server on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kg.crawl import Cache, Crawler, Outcome
from tests.crawl.conftest import fast_options

PAGE = "<html><body><dl><dt>eval_number</dt><dd>{n}</dd><dt>eval_title</dt><dd>Evaluation {n}</dd></dl></body></html>"


class _Hostile(BaseHTTPRequestHandler):
    """`/ievaldiscovery/?page=N` links to page N+1 for ever, and to one record; `/drip` sends a
    byte a tenth of a second; `/away` redirects to `elsewhere`, another server on 127.0.0.2."""

    elsewhere = ""

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        path, _, query = self.path.partition("?")
        if path == "/ievaldiscovery/":
            page = int(query.removeprefix("page=") or 0)
            body = (f'<html><body><a rel="next" href="/ievaldiscovery/?page={page + 1}">next</a>'
                    f'<a href="/ievaldiscovery/eval/{page}">record</a></body></html>')
            self._send(body.encode())
        elif path.startswith("/ievaldiscovery/eval/"):
            self._send(PAGE.format(n=int(path.rsplit("/", 1)[1]) + 1).encode())
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(600):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif path == "/away":
            self.send_response(302)
            self.send_header("Location", f"{self.elsewhere}/ievaldiscovery/eval/1")
            self.end_headers()
        else:
            self.send_error(404)

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hostile() -> Iterator[str]:
    servers = [ThreadingHTTPServer((host, 0), _Hostile) for host in ("127.0.0.1", "127.0.0.2")]
    for server in servers:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    _Hostile.elsewhere = f"http://127.0.0.2:{servers[1].server_address[1]}"
    yield f"http://127.0.0.1:{servers[0].server_address[1]}"
    for server in servers:
        server.shutdown()
        server.server_close()


def test_a_page_that_drips_its_bytes_is_stopped_at_its_deadline(hostile, tmp_path):
    options = fast_options(timeout=1.0, retries=0, page_deadline=1.5,
                           patterns=fast_options().patterns.__class__.compile([r"/drip"], [r"/ievaldiscovery/"]))
    started = time.monotonic()
    with Cache(tmp_path / "cache") as cache:
        report = Crawler(cache, options).crawl(f"{hostile}/drip")
    assert time.monotonic() - started < 5  # a byte a tenth of a second would take a minute
    (page,) = report.pages
    assert page.outcome is Outcome.FAILED
    assert page.reason.startswith("not received in full within 1.5 s (crawl_page_deadline); stopped after ")


def test_an_endless_chain_of_index_pages_stops_at_the_depth_limit_and_says_so(hostile, tmp_path):
    with Cache(tmp_path / "cache") as cache:
        report = Crawler(cache, fast_options(max_depth=5)).crawl(f"{hostile}/ievaldiscovery/")
    index = [page for page in report.pages if page.url.startswith(f"{hostile}/ievaldiscovery/?") or
             page.url == f"{hostile}/ievaldiscovery/"]
    assert len(index) == 6  # the start and five pages after it
    assert report.not_followed.over_depth == 1
    assert "1 index pages not followed past the crawl_max_depth limit" in report.summary()


def test_a_crawl_stops_at_its_page_limit_and_says_how_many_links_it_left(hostile, tmp_path):
    with Cache(tmp_path / "cache") as cache:
        report = Crawler(cache, fast_options(max_pages=7, concurrency=1)).crawl(f"{hostile}/ievaldiscovery/")
    assert len(report.pages) == 7
    assert report.not_followed.over_pages >= 1
    assert f"{report.not_followed.over_pages} links not followed past the crawl_max_pages limit" in report.summary()


def test_a_redirect_to_another_host_is_followed_only_when_the_setting_allows_it(hostile, tmp_path):
    patterns = fast_options().patterns.__class__.compile([r"/away", r"/ievaldiscovery/eval/\d+"], [r"/none"])
    with Cache(tmp_path / "off") as cache:
        (page,) = Crawler(cache, fast_options(patterns=patterns)).crawl(f"{hostile}/away").pages
    assert page.outcome is Outcome.FAILED
    assert page.reason == (f"redirected to {_Hostile.elsewhere}/ievaldiscovery/eval/1, on another host"
                           " (crawl_cross_host_redirects is off)")
    with Cache(tmp_path / "on") as cache:
        (page,) = Crawler(cache, fast_options(patterns=patterns, cross_host_redirects=True)).crawl(f"{hostile}/away").pages
    assert page.outcome is Outcome.NEW and page.records == 1
