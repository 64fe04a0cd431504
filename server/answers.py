"""Answers reused within a store generation: ETag, `If-None-Match` → 304, and a bounded cache per worker.

The data changes only when a build or a write switches the store's generation, so a GET of a
query or a page gives the same answer until then. Each such answer carries an ETag made of the
generation's id, the server's settings and the request (path, query string, and the headers
its Vary names), and `Cache-Control: public, no-cache`: clients and proxies may keep it but
must revalidate it every time, since a build may switch the generation at any moment; a
revalidation is a 304 while the generation lasts. Answers of up to an eighth of `max_bytes` are
kept in memory (least recently used first out) and sent again without running anything; the
generation is read from the store's `CURRENT` before each request, so an answer of a previous
generation is never sent after the switch. Writes, POSTs, errors, and queries whose answer is
not a function of the data (NOW, RAND, UUID, STRUUID, BNODE, SERVICE) are never reused.
`ReusedAnswers.kept` finds a kept answer by the same key for a server that answers before any
WSGI call (`server.serving`), under the same guarantees.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote_plus

from kg.store import StoreDirectory, generation_id

CACHE_CONTROL = "public, no-cache"
# The paths whose GET answers depend only on the store's generation, the settings and the request.
# Not /healthz, /void (it lists the dumps, which `kg dump` writes without a new generation),
# /dumps/ (files with their own validators), /graph-store or static files.
REUSED_PATHS = re.compile(r"^/(sparql|search|id/.*|browse/.*)?$")
# What of the request besides its path and query string every answer depends on: the published
# address its URLs start with (as PublicAddress or ProxyFix set it). The headers an answer depends
# on are those its Vary names, learned from the first answer to the same URL.
KEY_ENVIRON = ("wsgi.url_scheme", "HTTP_HOST", "SCRIPT_NAME")
MAX_URLS = 65_536  # URLs whose Vary is remembered; past it, forgotten all at once (a few MB at most)
VOLATILE = re.compile(r"\b(now|rand|uuid|struuid|bnode)\s*\(|\bservice\b", re.IGNORECASE)
ENTRY_OVERHEAD = 512  # bytes an entry costs beside its body, headers and key (the objects holding them)
SHARE_OF_BOUND = 8  # an answer larger than max_bytes / SHARE_OF_BOUND is not kept


@dataclass(frozen=True)
class Answer:
    """A response as the app gave it: status line, headers (its ETag among them), body."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str = ""
    wire: dict = field(default_factory=dict, compare=False, repr=False)  # its HTTP/1.1 forms, made once (serving)

    def size(self, key: tuple) -> int:
        return (len(self.body) + sum(len(n) + len(v) for n, v in self.headers) + len(repr(key))
                + ENTRY_OVERHEAD)

    def not_modified(self) -> list[tuple[str, str]]:
        """The headers of its 304."""
        return [(n, v) for n, v in self.headers if n.lower() in ("etag", "cache-control", "vary", "content-location")]

    def matches(self, environ: dict) -> bool:
        """Whether the request's `If-None-Match` names its ETag (weak comparison, as for GET)."""
        return _matches(environ, self.etag)


class AnswerCache:
    """Answers by key, at most `max_bytes` of them (as `Answer.size` counts), least recently used out first."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, max_bytes)
        self.size = 0
        self._entries: OrderedDict[tuple, tuple[Answer, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple) -> Answer | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: tuple, answer: Answer) -> None:
        size = answer.size(key)
        if size > self.max_bytes // SHARE_OF_BOUND:
            return
        with self._lock:
            if (old := self._entries.pop(key, None)) is not None:
                self.size -= old[1]
            while self._entries and self.size + size > self.max_bytes:
                self.size -= self._entries.popitem(last=False)[1][1]
            self._entries[key] = (answer, size)
            self.size += size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0


class Generation:
    """The id of a store's live generation, read from `CURRENT` each time it is asked for."""

    def __init__(self, store_path: str) -> None:
        self.directory = StoreDirectory(store_path)
        self._name: str | None = None
        self._id: str | None = None

    def current(self) -> str | None:
        """`STORE-ID/gen-000007` (the path of the generation for a store without an id); None without a store."""
        name = self.directory.current_name()
        if name is None:
            return None
        if name != self._name:
            database = self.directory.path / name
            self._id, self._name = generation_id(database) or str(database.resolve()), name
        return self._id


class ReusedAnswers:
    """WSGI middleware: ETag, Cache-Control and 304 for answers that last a generation, and the cache of them.

    `fingerprint` names what else answers depend on (the settings, the code's version).
    """

    def __init__(self, app: Callable, store_path: str, max_bytes: int, fingerprint: str) -> None:
        self.app = app
        self.generation = Generation(store_path)
        self.cache = AnswerCache(max_bytes)
        self.fingerprint = fingerprint
        self._cached_generation: str | None = None
        self._varies: dict[tuple, tuple[str, ...]] = {}  # URL (with generation) -> the environ keys of its Vary

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not REUSED_PATHS.match(environ.get("PATH_INFO", "")):
            return self.app(environ, start_response)
        url = self._url(environ)
        if url is None:
            return self.app(environ, start_response)
        answer = self._kept(url, environ)
        if answer is not None:  # only answers that passed the checks below are kept
            return _send(answer, environ, start_response)
        if VOLATILE.search(unquote_plus(environ.get("QUERY_STRING", ""))):
            return self.app(environ, start_response)
        return self._run(environ, start_response, url)

    def kept(self, environ: dict) -> Answer | None:
        """The answer kept for a request (its environ as this middleware would get it), if any;
        `CURRENT` is read first, as for every request."""
        url = self._url(environ)
        return None if url is None else self._kept(url, environ)

    def _url(self, environ: dict) -> tuple | None:
        """The request's key without the headers its answer varies on, starting with the live
        generation (None without a store); the answers of a previous generation are dropped."""
        generation = self.generation.current()
        if generation is None:
            return None
        if generation != self._cached_generation or len(self._varies) > MAX_URLS:
            self.cache.clear()  # the answers kept are of a previous generation
            self._varies = {}
            self._cached_generation = generation
        return (generation, environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"), environ.get("QUERY_STRING"),
                *(environ.get(name) for name in KEY_ENVIRON))

    def _kept(self, url: tuple, environ: dict) -> Answer | None:
        varies = self._varies.get(url)
        return None if varies is None else self.cache.get(url + tuple(environ.get(name) for name in varies))

    def _etag(self, key: tuple) -> str:
        digest = hashlib.blake2b(repr((self.fingerprint, key)).encode("utf-8", "surrogateescape"), digest_size=12)
        return f'W/"{digest.hexdigest()}"'

    def _run(self, environ: dict, start_response: Callable, url: tuple) -> Iterable[bytes]:
        started: list[tuple[str, list[tuple[str, str]]]] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> Callable:
            started.append((status, headers))
            return lambda data: None

        body = self.app(environ, capture)
        chunks = iter(body)
        try:
            read = [next(chunks, b"")]  # a WSGI app has called start_response by its first chunk
            status, headers = started[-1]
            if not status.startswith("200 "):
                start_response(status, headers)
                return _Rest(read, chunks, body)
            varies = _varies(headers)
            self._varies[url] = varies
            key = url + tuple(environ.get(name) for name in varies)
            etag = self._etag(key)
            headers = [(n, v) for n, v in headers if n.lower() not in ("etag", "cache-control")]
            headers += [("ETag", etag), ("Cache-Control", CACHE_CONTROL)]
            kept, limit = len(read[0]), self.cache.max_bytes // SHARE_OF_BOUND
            while kept <= limit and (chunk := next(chunks, None)) is not None:
                read.append(chunk)
                kept += len(chunk)
        except BaseException:
            _close(body)
            raise
        if kept > limit:  # too big to keep: send what was read, then the rest as it comes
            return _send_streamed(status, headers, etag, read, chunks, body, environ, start_response)
        _close(body)
        answer = Answer(status, headers, b"".join(read), etag)
        if self.generation.current() == key[0]:
            self.cache.put(key, answer)
        return _send(answer, environ, start_response)


def _varies(headers: list[tuple[str, str]]) -> tuple[str, ...]:
    """The environ keys of the request headers a response's Vary names, in order."""
    names = {name.strip().upper().replace("-", "_") for n, v in headers if n.lower() == "vary" for name in v.split(",")}
    return tuple(sorted(f"HTTP_{name}" for name in names if name))


def _matches(environ: dict, etag: str) -> bool:
    """Whether `If-None-Match` names `etag` (weak comparison, as for GET)."""
    given = environ.get("HTTP_IF_NONE_MATCH")
    if not given:
        return False
    bare = etag.removeprefix("W/")
    return given.strip() == "*" or any(tag.strip().removeprefix("W/") == bare for tag in given.split(","))


def _send(answer: Answer, environ: dict, start_response: Callable) -> list[bytes]:
    if answer.matches(environ):
        start_response("304 Not Modified", answer.not_modified())
        return []
    start_response(answer.status, answer.headers)
    return [answer.body]


def _send_streamed(status: str, headers: list[tuple[str, str]], etag: str, read: list[bytes], chunks: Iterator[bytes],
                   body: Iterable[bytes], environ: dict, start_response: Callable) -> Iterable[bytes]:
    if _matches(environ, etag):
        _close(body)
        start_response("304 Not Modified", Answer(status, headers, b"", etag).not_modified())
        return []
    start_response(status, headers)
    return _Rest(read, chunks, body)


class _Rest:
    """The app's body, its first chunks already read, closed as the app's body would be."""

    def __init__(self, read: list[bytes], chunks: Iterator[bytes], body: Iterable[bytes]) -> None:
        self.read, self.chunks, self.body = read, chunks, body

    def __iter__(self) -> Iterator[bytes]:
        yield from self.read
        yield from self.chunks

    def close(self) -> None:
        _close(self.body)


def _close(body: Iterable[bytes]) -> None:
    if hasattr(body, "close"):
        body.close()
