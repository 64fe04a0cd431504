"""A local site shaped like i-eval Discovery, faults included, for the crawler's tests and demos.

It serves a paginated index at `/ievaldiscovery/` (`?page=N`) linking to record pages: the
test corpus (`tests/data/corpus/`, the JSON Lines file excepted) byte for byte, as
`/ievaldiscovery/recommendations/{id}` and `/ievaldiscovery/eval/{n}` in text, HTML (three
layouts) and JSON. The index links to two listings, `/ievaldiscovery/lessons` and
`/ievaldiscovery/good-practices`, paginated by `rel="next"` links only (`?offset=N`, which no
index pattern matches), of the lesson-learned and good-practice test pages (`tests/data/pages/`)
served as `/ievaldiscovery/lessons/{id}` and `/ievaldiscovery/good-practices/{id}`. Every page
carries an ETag and a Last-Modified date and answers conditional requests with 304. With faults
on (the default) it also has:

| URL | behaves |
|---|---|
| `/ievaldiscovery/recommendations/16089` | 500 on the first request, then the page |
| `/ievaldiscovery/eval/3502` | 429 with `Retry-After: 1` on the first request, then the page |
| `/ievaldiscovery/eval/3666` | a 301 to where the page really is |
| `/ievaldiscovery/recommendations/99001` | answers only after `slow_seconds` (past the crawler's timeout) |
| `/ievaldiscovery/recommendations/99002` | a truncated body (Content-Length larger than sent) |
| `/ievaldiscovery/recommendations/99003` | a redirect loop |
| `/ievaldiscovery/recommendations/99004` | a PNG image |
| `/ievaldiscovery/recommendations/99005` | a 20 MB page, streamed without Content-Length |
| `/ievaldiscovery/recommendations/99006` | disallowed by robots.txt |
| `/ievaldiscovery/eval/99999` | 404 |

`/ievaldiscovery/eval/3701` changes (a progress status is updated) when `version` goes up:
`GET /_fixture/change` does that from outside. Start it with

    python -m tests.crawl.fixture_site --port 8765

The server records every request (`hits`: time, path, status, body bytes sent, whether it was
conditional) so tests can check what the crawler did.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

CORPUS = Path(__file__).parents[1] / "data" / "corpus"
PAGES = Path(__file__).parents[1] / "data" / "pages"
PREFIX = "/ievaldiscovery"
SEGMENTS = {
    "recommendation": "recommendations", "evaluation": "eval", "lesson": "lessons", "good-practice": "good-practices",
}
LISTINGS = {f"{PREFIX}/lessons": "Lessons learned", f"{PREFIX}/good-practices": "Good practices"}
LISTING_SIZE = 2
LAST_MODIFIED = "Mon, 05 Feb 2024 10:00:00 GMT"
CHANGED_LAST_MODIFIED = "Tue, 06 Feb 2024 10:00:00 GMT"
MEDIA_TYPES = {".html": "text/html", ".txt": "text/plain; charset=utf-8", ".json": "application/json"}
ROBOTS = f"User-agent: *\nDisallow: {PREFIX}/recommendations/99006\nDisallow: {PREFIX}/search\n"
CHANGING = f"{PREFIX}/eval/3701"
MOVED = {f"{PREFIX}/eval/3666": f"{PREFIX}/pages/ilo-evaluation-3666.html"}
FAULTS = {
    f"{PREFIX}/recommendations/99001": "slow",
    f"{PREFIX}/recommendations/99002": "truncated",
    f"{PREFIX}/recommendations/99003": "loop",
    f"{PREFIX}/recommendations/99004": "image",
    f"{PREFIX}/recommendations/99005": "huge",
    f"{PREFIX}/recommendations/99006": "disallowed",
    f"{PREFIX}/eval/99999": "missing",
}
FAIL_ONCE = {f"{PREFIX}/recommendations/16089": 500, f"{PREFIX}/eval/3502": 429}
HUGE_BYTES = 20_000_000
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)


def _sample_url(path: Path) -> str | None:
    match = re.fullmatch(r"ilo-(recommendation|evaluation|lesson|good-practice)-(\d+)", path.stem)
    if match is None or path.suffix not in MEDIA_TYPES:
        return None
    return f"{PREFIX}/{SEGMENTS[match[1]]}/{match[2]}"


def sample_pages() -> dict[str, Path]:
    """URL path → test file, for every record page the site serves (the test corpus, then the
    lesson-learned and good-practice pages)."""
    pages = {}
    for path in [*sorted(CORPUS.iterdir()), *sorted(PAGES.iterdir())]:
        url = _sample_url(path)
        if url is not None:
            pages[url] = path
    return pages


@dataclass(frozen=True)
class Hit:
    """One request the site answered."""

    time: float
    path: str
    status: int
    sent: int
    conditional: bool
    user_agent: str


class FixtureSite:
    """The site and its request log; `start()` serves it on 127.0.0.1 in a background thread."""

    def __init__(
        self, faults: bool = True, page_size: int = 8, slow_seconds: float = 3.0, delay: float = 0.0,
        robots: str = ROBOTS, honour_validators: bool = True,
    ) -> None:
        self.faults = faults
        self.robots = robots
        self.honour_validators = honour_validators
        self.page_size = page_size
        self.slow_seconds = slow_seconds
        self.delay = delay
        self.version = 1
        self.pages = sample_pages()
        self.hits: list[Hit] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self._served: set[str] = set()
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._host = "127.0.0.1"

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the site first"
        return f"http://{self._host}:{self._server.server_port}{PREFIX}/"

    def start(self, port: int = 0, host: str = "127.0.0.1") -> str:
        site = self

        class Handler(_Handler):
            fixture = site

        self._host = host
        self._server = _Server((host, port), Handler)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def record_paths(self) -> list[str]:
        """Every record URL path the index links to, in index order."""
        paths = [p for p in self.pages if not p.startswith(tuple(f"{listing}/" for listing in LISTINGS))]
        if self.faults:
            paths += list(FAULTS)
        return paths

    def index_pages(self) -> int:
        return -(-len(self.record_paths()) // self.page_size)

    def listed(self, listing: str) -> list[str]:
        """The record URL paths a listing (`/ievaldiscovery/lessons`) links to, in order."""
        return [p for p in self.pages if p.startswith(f"{listing}/")]

    def listing_pages(self) -> int:
        """The pages of all the listings together."""
        return sum(-(-len(self.listed(listing)) // LISTING_SIZE) for listing in LISTINGS)

    def body(self, path: str) -> bytes:
        """The current bytes of a sample record page."""
        content = self.pages[path].read_bytes()
        if path == CHANGING and self.version > 1:
            content = content.replace(b"<td>Not achieved</td>", b"<td>Partially achieved</td>")
        return content

    def hits_for(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path == path]

    def save(self, folder: Path) -> list[Path]:
        """Write the record pages as currently served, under their sample file names."""
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for path, sample in self.pages.items():
            target = folder / sample.name
            target.write_bytes(self.body(path))
            written.append(target)
        return written

    def _log(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def _first_time(self, path: str) -> bool:
        with self._lock:
            first = path not in self._served
            self._served.add(path)
            return first

    def _enter(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def index_html(self, page: int) -> bytes:
        paths = self.record_paths()[(page - 1) * self.page_size : page * self.page_size]
        items = "\n".join(
            f'<li><a href="{p if i % 2 else p[len(PREFIX) + 1:]}">Record {p.rsplit("/", 1)[1]}</a></li>'
            for i, p in enumerate(paths)
        )
        pager = []
        if page > 1:
            pager.append(f'<a rel="prev" href="{"./" if page == 2 else f"?page={page - 1}"}">Previous</a>')
        for number in range(1, self.index_pages() + 1):
            pager.append(f'<a href="{PREFIX}/{"" if number == 1 else f"?page={number}"}">{number}</a>')
        if page < self.index_pages():
            pager.append(f'<a rel="next" href="?page={page + 1}">Next</a>')
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Recommendations, page {page} | i-eval Discovery</title></head>
<body><header><a href="https://www.ilo.org/">ILO</a> <a href="?lang=fr">Français</a>
<a href="{PREFIX}/search">Search</a> <a href="#content">Skip</a>
{" ".join(f'<a href="{listing}">{name}</a>' for listing, name in LISTINGS.items())}</header>
<main id="content"><h1>Recommendations</h1><ul class="results">
{items}
</ul><nav class="pager">{" ".join(pager)}</nav></main></body></html>
""".encode()


    def listing_html(self, listing: str, offset: int) -> bytes | None:
        """A page of a listing, its next page linked only by `rel="next"`: a `<link>` in the
        head of the lessons, an `<a>` in the body of the good practices. None past the end."""
        paths = self.listed(listing)
        if offset % LISTING_SIZE or not 0 <= offset < len(paths):
            return None
        items = "\n".join(f'<li><a href="{p}">{p.rsplit("/", 1)[1]}</a></li>' for p in paths[offset : offset + LISTING_SIZE])
        following = f"?offset={offset + LISTING_SIZE}" if offset + LISTING_SIZE < len(paths) else None
        head = f'<link rel="next" href="{following}">' if following and listing.endswith("lessons") else ""
        more = f'<a rel="next" href="{following}">More</a>' if following and not head else ""
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{LISTINGS[listing]} | i-eval Discovery</title>{head}</head>
<body><main><h1>{LISTINGS[listing]}</h1><p><a href="?offset=0&amp;sort=title">Sort by title</a></p>
<ul class="results">
{items}
</ul>{more}</main></body></html>
""".encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet about clients that hang up (the crawler does, on purpose, at its limits)."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fixture: FixtureSite

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the site keeps its own log in `hits`."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        site = self.fixture
        site._enter()
        started = time.monotonic()
        try:
            status, sent = self._route(site)
        except (BrokenPipeError, ConnectionResetError):
            status, sent = 0, 0
            self.close_connection = True
        finally:
            site._leave()
        conditional = "If-None-Match" in self.headers or "If-Modified-Since" in self.headers
        site._log(Hit(started, self.path, status, sent, conditional, self.headers.get("User-Agent", "")))

    def _route(self, site: FixtureSite) -> tuple[int, int]:
        parts = urlsplit(self.path)
        path = parts.path
        if path == "/robots.txt":
            return self._page(site.robots.encode(), "text/plain; charset=utf-8", LAST_MODIFIED)
        if path == "/_fixture/change":
            site.version += 1
            return self._send(200, b"changed\n", {"Content-Type": "text/plain"})
        if path in (f"{PREFIX}/", PREFIX):
            page = int(parse_qs(parts.query).get("page", ["1"])[0] or 1)
            if not 1 <= page <= site.index_pages():
                return self._send(404, b"no such page\n", {"Content-Type": "text/plain"})
            return self._page(site.index_html(page), "text/html; charset=utf-8", LAST_MODIFIED)
        if path.rstrip("/") in LISTINGS:
            query = parse_qs(parts.query)
            offset = query.get("offset", ["0"])[0]
            listing = site.listing_html(path.rstrip("/"), int(offset)) if offset.isdigit() and "sort" not in query else None
            if listing is None:
                return self._send(404, b"no such page\n", {"Content-Type": "text/plain"})
            return self._page(listing, "text/html; charset=utf-8", LAST_MODIFIED)
        if site.faults:
            if path in FAIL_ONCE and site._first_time(path):
                status = FAIL_ONCE[path]
                headers = {"Content-Type": "text/plain", **({"Retry-After": "1"} if status == 429 else {})}
                return self._send(status, b"try again later\n", headers)
            if path in MOVED:
                return self._send(301, b"", {"Location": MOVED[path]})
            moved_from = {v: k for k, v in MOVED.items()}
            if path in moved_from:
                path = moved_from[path]
            elif path in FAULTS:
                return self._fault(FAULTS[path], site)
            elif path.startswith(f"{PREFIX}/loop/"):
                target = f"{PREFIX}/loop/b" if path.endswith("/a") else f"{PREFIX}/loop/a"
                return self._send(302, b"", {"Location": target})
        if path in site.pages:
            if site.delay:
                time.sleep(site.delay)
            changed = path == CHANGING and site.version > 1
            media = MEDIA_TYPES[site.pages[path].suffix]
            return self._page(site.body(path), media, CHANGED_LAST_MODIFIED if changed else LAST_MODIFIED)
        return self._send(404, b"not found\n", {"Content-Type": "text/plain"})

    def _page(self, body: bytes, media_type: str, last_modified: str) -> tuple[int, int]:
        """A page with validators; 304 when the request's validators still hold."""
        etag = f'"{hashlib.sha256(body).hexdigest()[:20]}"'
        validators = {"ETag": etag, "Last-Modified": last_modified}
        if_none_match = self.headers.get("If-None-Match")
        fresh = (
            if_none_match == etag if if_none_match is not None
            else self.headers.get("If-Modified-Since") == last_modified
        )
        if fresh and self.fixture.honour_validators:
            return self._send(304, b"", validators, body_allowed=False)
        return self._send(200, body, {"Content-Type": media_type, **validators})

    def _send(self, status: int, body: bytes, headers: dict[str, str], body_allowed: bool = True) -> tuple[int, int]:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if body_allowed:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)
        return status, len(body)

    def _fault(self, fault: str, site: FixtureSite) -> tuple[int, int]:
        if fault == "slow":
            time.sleep(site.slow_seconds)
            self.close_connection = True
            return self._send(200, b"<html><body>late</body></html>", {"Content-Type": "text/html"})
        if fault == "truncated":
            body = site.body(f"{PREFIX}/eval/3640")
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 3])
            self.close_connection = True
            return 200, len(body) // 3
        if fault == "loop":
            return self._send(302, b"", {"Location": f"{PREFIX}/loop/a"})
        if fault == "image":
            return self._send(200, PNG, {"Content-Type": "image/png"})
        if fault == "huge":
            return self._stream_huge()
        return self._send(404, b"not found\n", {"Content-Type": "text/plain"})

    def _stream_huge(self) -> tuple[int, int]:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        sent = 0
        try:
            for chunk in _huge_page():
                self.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return 200, sent


def _huge_page() -> Iterator[bytes]:
    head = b"<!DOCTYPE html><html><body><main><ul class='record'>"
    yield head
    row = b"<li>filler:<ul><li>" + b"x" * 990 + b"</li></ul></li>\n"
    chunk = row * 64
    remaining = HUGE_BYTES - len(head)
    while remaining > 0:
        piece = chunk[:remaining]
        yield piece
        remaining -= len(piece)


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the i-eval Discovery fixture site on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--no-faults", action="store_true", help="serve only the sample pages, without faults")
    parser.add_argument("--page-size", type=int, default=8, help="record links per index page")
    parser.add_argument("--slow-seconds", type=float, default=40.0, help="how long the slow page takes")
    parser.add_argument("--save", type=Path, default=None, metavar="DIR",
                        help="write the record pages as served to DIR and exit (to compare with `kg build DIR`)")
    args = parser.parse_args()
    site = FixtureSite(faults=not args.no_faults, page_size=args.page_size, slow_seconds=args.slow_seconds)
    if args.save:
        for path in site.save(args.save):
            print(path)
        return
    url = site.start(args.port, args.host)
    print(f"i-eval Discovery fixture site at {url} (Ctrl-C to stop)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        site.stop()


if __name__ == "__main__":
    main()
