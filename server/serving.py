"""Running the app for real: gunicorn with several worker processes, or Flask's server for debugging."""

from __future__ import annotations

import io
import logging
import resource
import socket
from collections.abc import Callable, Iterable, Iterator

import gevent
from gevent import socket as gevent_socket
from gevent.threadpool import ThreadPool
from gunicorn.app.base import BaseApplication
from gunicorn.http.body import LengthReader
from gunicorn.workers.ggevent import GeventWorker
from werkzeug.exceptions import RequestTimeout
from werkzeug.serving import make_server

from kg.errors import StoreError
from kg.settings import Settings
from kg.store import StoreDirectory
from server.app import create_app
from server.pool import get_pool
from server.slots import JobSlots

log = logging.getLogger(__name__)

LOG_FORMAT = "%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"


def url_of(host: str, port: int) -> str:
    """The http URL of an address, with brackets for an IPv6 host."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve(settings: Settings, *, debug: bool = False, on_ready: Callable[[str], None] = lambda url: None) -> None:
    """Serve until stopped; `on_ready` gets the base URL once the server listens."""
    # Fail now, with the fix, if there is no store, but without opening it: RocksDB state in this
    # process would not survive gunicorn's fork into workers (they crash on exit).
    if StoreDirectory(settings.store).current_generation() is None:
        raise StoreError(f"{settings.store}: no evalkg store here; create it with `kg build --store {settings.store}`")
    _allow_open_files()
    logging.basicConfig(level=logging.DEBUG if debug else logging.INFO, format=LOG_FORMAT)
    if debug:
        serve_for_debugging(settings, on_ready)
    else:
        GunicornServer(settings, on_ready).run()


def serve_for_debugging(settings: Settings, on_ready: Callable[[str], None]) -> None:
    """Flask's development server (Werkzeug): one process, debug logging, no reloader, no debugger."""
    app = create_app(settings)
    app.debug = True
    server = make_server(settings.host, settings.port, app, threaded=True)
    on_ready(url_of(settings.host, server.server_port))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        get_pool(app).close()


def _allow_open_files() -> None:
    """Raise the soft limit of open files to the hard one: each connection a worker holds open is a
    file, besides the store's, and a soft limit of 1,024 would refuse connections long before
    max_connections."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and (hard == resource.RLIM_INFINITY or soft < hard):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class GunicornServer(BaseApplication):
    """The app under gunicorn: `workers` processes (`ConnectionWorker`), each answering in `threads`
    threads and opening the store read-only.

    The workers share one set of job slots (`server.slots`), made here before they are forked;
    the slots of a worker that exits are given back.
    """

    def __init__(self, settings: Settings, on_ready: Callable[[str], None]) -> None:
        self.settings = settings
        self.on_ready = on_ready
        self.slots = JobSlots(settings.query_slots, settings.short_query_slots, settings.short_query_timeout)
        self._slot_holders: dict[int, int | None] = {}  # worker age -> its entry in the slots
        super().__init__()

    def load_config(self) -> None:
        settings = self.settings
        host = f"[{settings.host}]" if ":" in settings.host else settings.host
        options = {
            "bind": f"{host}:{settings.port}",
            "workers": settings.workers,
            "worker_class": ConnectionWorker,
            "worker_connections": settings.max_connections,
            # gunicorn's own watchdog must outlast the longest job a worker waits for
            "timeout": int(max(settings.query_timeout, settings.update_timeout)) + 30,
            "graceful_timeout": 10,
            "accesslog": None,  # server.accesslog writes one line per request
            "errorlog": "-",
            "loglevel": "info",
            "control_socket_disable": True,
            "proc_name": "evalkg",
            "when_ready": self._when_ready,
            "pre_fork": self._before_fork,
            "post_fork": self._after_fork,
            "child_exit": self._after_exit,
            "post_worker_init": _start_query_processes,
        }
        for name, value in options.items():
            self.cfg.set(name, value)

    def load(self):  # type: ignore[no-untyped-def]
        return create_app(self.settings, self.slots, lambda app: AppInThreads(app, self.settings.threads))

    def _when_ready(self, arbiter) -> None:  # type: ignore[no-untyped-def]
        host, port = arbiter.LISTENERS[0].sock.getsockname()[:2]
        self.on_ready(url_of(host, port))

    def _before_fork(self, arbiter, worker) -> None:  # type: ignore[no-untyped-def]
        self._slot_holders[worker.age] = self.slots.free_holder(self._slot_holders.values())

    def _after_fork(self, arbiter, worker) -> None:  # type: ignore[no-untyped-def]
        self.slots.hold_as(self._slot_holders[worker.age])

    def _after_exit(self, arbiter, worker) -> None:  # type: ignore[no-untyped-def]
        if given_back := self.slots.give_back(self._slot_holders.pop(worker.age, None)):
            log.warning("worker %d exited holding %d query slot(s); given back", worker.pid, given_back)


def _start_query_processes(worker) -> None:  # type: ignore[no-untyped-def]
    """Start a worker's query processes before its first request, so that one does not wait for them."""
    get_pool(worker.wsgi).start()


class ConnectionWorker(GeventWorker):
    """gunicorn's gevent worker without monkey-patching: each connection is a greenlet, the app runs in threads.

    Waiting on a client (for its request line and headers, within header_timeout; for its body,
    within body_timeout; for it to take the response) costs a greenlet, not a thread, so idle or
    slow clients cannot hold the `threads` threads that answer requests (`AppInThreads`); under
    gunicorn's threaded worker eight idle connections stalled every request. Nothing is patched,
    so the app keeps the blocking threads, semaphores and processes it was written for.
    """

    def patch(self) -> None:
        self.sockets = [gevent_socket.socket(s.FAMILY, socket.SOCK_STREAM, fileno=s.sock.detach())
                        for s in self.sockets]

    def timeout_ctx(self) -> gevent.Timeout:
        """The deadline of a request line and headers, from the connection's opening or its previous response."""
        return gevent.Timeout(self.app.settings.header_timeout, False)

    def handle_request(self, listener_name, req, sock, addr):  # type: ignore[no-untyped-def]
        """Read the body before the app runs, so that no thread waits for it; a body that is not read
        to its end (too big, too slow) closes the connection after the response."""
        settings = self.app.settings
        declared = _declared_length(req.headers)
        if declared or not isinstance(req.body.reader, LengthReader):  # a body to read (else it is empty)
            req.body, complete = read_body(req.body, settings.max_body_kb * 1024, settings.body_timeout, declared)
            if not complete:
                req.must_close = True
        return super().handle_request(listener_name, req, sock, addr)


def _declared_length(headers: list[tuple[str, str]]) -> int | None:
    for name, value in headers:
        if name == "CONTENT-LENGTH" and value.isdigit():
            return int(value)
    return None


def read_body(body: io.RawIOBase, cap: int, seconds: float, declared: int | None) -> tuple[io.RawIOBase, bool]:
    """The request body read into memory, up to one byte past `cap` (the app answers 413 then) and
    within `seconds`, and whether it was read to its end.

    A body declared longer than `cap` is not read at all: its Content-Length alone gets 413. One that
    has not arrived in time is a stream whose reading is 408.
    """
    if declared is not None and declared > cap:
        return io.BytesIO(), False
    try:
        with gevent.Timeout(seconds):
            data = body.read(cap + 1)
    except gevent.Timeout:
        return _LateBody(seconds), False
    return io.BytesIO(data), len(data) <= cap


class _LateBody(io.RawIOBase):
    """The body of a client that did not send it within body_timeout: reading it is 408."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
        raise RequestTimeout(f"the request body did not arrive within {self.seconds:g} s (the server's body_timeout "
                             "setting); nothing was done; send it again, faster")


class AppInThreads:
    """A WSGI app called, and its response iterated, in a pool of `threads` threads, made in the worker
    process on first use; the greenlet of the connection waits for it and writes the response.

    A body of one chunk (most answers) is read and closed in the same trip to a thread as the call;
    each further chunk of a longer one takes a trip of its own.
    """

    def __init__(self, app: Callable, threads: int) -> None:
        self.app = app
        self.threads = max(1, threads)
        self._pool: ThreadPool | None = None

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if self._pool is None:
            self._pool = ThreadPool(self.threads)
        return self._pool.apply(self._begin, (self._pool, environ, start_response))

    def _begin(self, pool: ThreadPool, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """In a thread: call the app and read its body's first two chunks; all of it when that is all."""
        body = self.app(environ, start_response)
        chunks = iter(body)
        try:
            read = [chunk for _, chunk in zip(range(2), chunks)]
        except BaseException:
            _close(body)
            raise
        if len(read) < 2:
            _close(body)
            return read
        return self._in_threads(pool, read, chunks, body)

    @staticmethod
    def _in_threads(pool: ThreadPool, read: list[bytes], chunks: Iterator[bytes], body: Iterable[bytes]) -> Iterator[bytes]:
        try:
            yield from read
            while (chunk := pool.apply(next, (chunks, None))) is not None:
                yield chunk
        finally:
            pool.apply(_close, (body,))


def _close(body: Iterable[bytes]) -> None:
    if hasattr(body, "close"):
        body.close()
