"""Idle and slow clients against a real `kg serve` (issue 17, "Broken" item 5): 200 idle connections
and others that send their headers or body a byte at a time cannot hold the workers, lookups are
answered meanwhile, and each slow client is cut at its deadline (header_timeout, body_timeout)."""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
import time

import httpx
import pytest

from kg.store import StoreDirectory
from tests.server.running import Server, running_server
from tests.server.test_safety import SIMPLE

pytestmark = pytest.mark.slow

HEADER_TIMEOUT = 3.0
BODY_TIMEOUT = 2.0
LOOKUP_TARGET = 1.0  # seconds each lookup must be answered within, whatever the slow clients do


class Slowloris:
    """`idle` connections that send nothing and `drips` that send a request's headers a byte every
    `interval` seconds, each opened again as soon as the server closes it, until the block ends.

    `lifetimes` has the seconds each connection lived before the server closed it.
    """

    def __init__(self, url: str, idle: int = 200, drips: int = 20, interval: float = 1.0) -> None:
        host, port = url.removeprefix("http://").rsplit(":", 1)
        self.address = (host, int(port))
        self.idle, self.drips, self.interval = idle, drips, interval
        self.lifetimes: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Slowloris:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(30)

    def _open(self, selector: selectors.BaseSelector, dripping: bool) -> None:
        connection = socket.create_connection(self.address, timeout=10)
        connection.setblocking(False)
        text = b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10_000
        selector.register(connection, selectors.EVENT_READ, {"opened": time.monotonic(), "dripping": dripping,
                                                             "text": text, "sent": 0})

    def _run(self) -> None:
        selector = selectors.DefaultSelector()
        for index in range(self.idle + self.drips):
            self._open(selector, dripping=index >= self.idle)
        next_drip = time.monotonic()
        try:
            while not self._stop.is_set():
                for key, _ in selector.select(timeout=0.05):
                    self._closed(selector, key)
                if time.monotonic() >= next_drip:
                    next_drip += self.interval
                    for key in list(selector.get_map().values()):
                        if key.data["dripping"]:
                            self._drip(selector, key)
        finally:
            for key in list(selector.get_map().values()):
                key.fileobj.close()
            selector.close()

    def _drip(self, selector: selectors.BaseSelector, key: selectors.SelectorKey) -> None:
        state = key.data
        try:
            key.fileobj.send(state["text"][state["sent"]:state["sent"] + 1])
            state["sent"] += 1
        except OSError:
            self._closed(selector, key)

    def _closed(self, selector: selectors.BaseSelector, key: selectors.SelectorKey) -> None:
        with contextlib.suppress(OSError):
            if key.fileobj.recv(4096):
                return  # an answer (none is expected): the server closes next
        selector.unregister(key.fileobj)
        key.fileobj.close()
        self.lifetimes.append(time.monotonic() - key.data["opened"])
        self._open(selector, key.data["dripping"])


def _lookups(server: Server, seconds: float) -> list[tuple[int, float]]:
    """Lookups, one after another for `seconds`, each on a connection of its own: (status, seconds)."""
    timings = []
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        started = time.monotonic()
        with httpx.Client(timeout=30) as client:
            status = client.get(server.endpoint, params={"query": SIMPLE}).status_code
        timings.append((status, time.monotonic() - started))
    return timings


@pytest.fixture(scope="module")
def guarded(tmp_path_factory, served_store: StoreDirectory) -> Server:
    """`kg serve` with short header and body deadlines, so that the tests see them hit."""
    with running_server(served_store.path, tmp_path_factory.mktemp("slowloris"), "--workers", "2",
                        env={"KG_HEADER_TIMEOUT": str(HEADER_TIMEOUT), "KG_BODY_TIMEOUT": str(BODY_TIMEOUT),
                             "KG_THREADS": "4"}) as server:
        yield server


def test_idle_and_dripping_connections_hold_no_worker(guarded: Server) -> None:
    with Slowloris(guarded.url, idle=200, drips=20) as attack:
        time.sleep(0.5)  # all connections open
        timings = _lookups(guarded, 3 * HEADER_TIMEOUT)
    assert len(timings) > 10
    assert all(status == 200 for status, _ in timings), timings
    slowest = max(seconds for _, seconds in timings)
    assert slowest < LOOKUP_TARGET, timings
    # the server closed idle and dripping connections at the header deadline, not before or long after
    assert len(attack.lifetimes) >= 200
    assert all(HEADER_TIMEOUT - 0.5 < lived < HEADER_TIMEOUT + 1.5 for lived in attack.lifetimes), attack.lifetimes


def test_a_body_sent_a_byte_at_a_time_gets_408_at_the_body_deadline(guarded: Server) -> None:
    host, port = guarded.url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                           b"Accept: application/json\r\nContent-Length: 100\r\n\r\nASK {")
        started = time.monotonic()
        connection.settimeout(0.5)
        answer = b""
        while time.monotonic() - started < BODY_TIMEOUT + 5:
            if time.monotonic() - started < BODY_TIMEOUT - 0.3:  # a byte in time would restart a read timeout
                connection.send(b" ")
            try:
                data = connection.recv(65536)
            except TimeoutError:
                continue
            if not data:
                break  # closed after the answer
            answer += data
        waited = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    assert b"body_timeout" in answer and b"nothing was done" in answer
    assert b"connection: close" in answer.lower()
    assert BODY_TIMEOUT - 0.5 < waited < BODY_TIMEOUT + 2


def test_many_slow_bodies_hold_no_worker(guarded: Server) -> None:
    def send_slowly(results: list[bytes]) -> None:
        host, port = guarded.url.removeprefix("http://").rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=30) as connection:
            connection.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               b"Content-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\nA")
            results.append(connection.recv(65536))

    results: list[bytes] = []
    slow = [threading.Thread(target=send_slowly, args=(results,)) for _ in range(40)]
    for thread in slow:
        thread.start()
    timings = _lookups(guarded, BODY_TIMEOUT)
    for thread in slow:
        thread.join(30)
    assert all(status == 200 for status, _ in timings) and max(s for _, s in timings) < LOOKUP_TARGET, timings
    assert len(results) == 40 and all(answer.startswith(b"HTTP/1.1 408 ") for answer in results)


def test_a_body_over_the_cap_is_refused_and_its_connection_closed(guarded: Server) -> None:
    host, port = guarded.url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                           b"Content-Length: 5000000\r\n\r\nASK {}")
        answer = b""
        while data := connection.recv(65536):
            answer += data
    assert answer.startswith(b"HTTP/1.1 413 "), answer
    assert b"connection: close" in answer.lower()


def test_a_body_in_time_is_answered_on_a_kept_alive_connection(guarded: Server) -> None:
    with httpx.Client(base_url=guarded.url, timeout=30) as client:
        for _ in range(3):
            response = client.post("/sparql", content=SIMPLE.encode(),
                                   headers={"Content-Type": "application/sparql-query"})
            assert response.status_code == 200 and response.json()["boolean"] is True
