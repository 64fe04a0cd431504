"""Running the app for real: gunicorn with several worker processes, or Flask's server for debugging."""

from __future__ import annotations

import errno
import functools
import io
import logging
import os
import re
import resource
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from email.utils import formatdate
from typing import NamedTuple

import gevent
from gevent import socket as gevent_socket
from gevent.threadpool import ThreadPool
from gunicorn import SERVER, http
from gunicorn.app.base import BaseApplication
from gunicorn.http.body import LengthReader
from gunicorn.http.errors import NoMoreData
from gunicorn.http.unreader import Unreader
from gunicorn.http2 import negotiation
from gunicorn.util import close as close_socket
from gunicorn.util import is_hoppish, unquote_to_wsgi_str
from gunicorn.workers.ggevent import GeventWorker
from werkzeug.exceptions import RequestTimeout
from werkzeug.serving import make_server

from kg.errors import StoreError
from kg.settings import Settings
from kg.store import StoreDirectory
from server.accesslog import log_request
from server.answers import Answer
from server.app import KeptAnswers, create_app, kept_answers
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

    def handle(self, listener, client, addr):  # type: ignore[no-untyped-def]
        """Serve a connection's requests; a GET whose answer is kept (`server.answers`) is answered here, in
        the connection's greenlet, from its bytes, without gunicorn's parser, a WSGI call or a thread.

        Every other request, and any whose head is not of the plainest form (`simple_get`), is left to
        gunicorn, as are connections over TLS or HTTP/2 and those of a server whose requests' URLs or
        clients may come from forwarded headers (trusted_proxies).
        """
        kept = kept_answers(self.wsgi)
        cfg = self.cfg
        if (kept is None or not cfg.keepalive or cfg.is_ssl or cfg.proxy_protocol not in ("off", None, False)
                or os.environ.get("SCRIPT_NAME") or negotiation.prior_knowledge_allowed(cfg, addr)
                or negotiation.upgrade_allowed(cfg, addr)):
            return super().handle(listener, client, addr)
        client.setblocking(1)
        req = None
        try:
            parser = http.get_parser(self.cfg, client, addr)
            listener_name = listener.getsockname()
            while True:
                req = answered = None
                with self.timeout_ctx():  # header_timeout, for the head of the request, kept or not
                    head = read_head(parser.unreader)
                    if head and self.alive:
                        answered = self._answer_kept(head, kept, listener_name, addr, parser.unreader)
                    if head and answered is None:
                        req = next(parser)
                if answered is not None:
                    response, environ, status, size, started = answered
                    client.sendall(response)
                    log_request(environ, status, size, started)
                    continue
                if not req:  # closed by the client, or no request in time
                    break
                self.handle_request(listener_name, req, client, addr)
        except NoMoreData as error:
            self.log.debug("Ignored premature client disconnection. %s", error)
        except StopIteration as error:
            self.log.debug("Closing connection. %s", error)
        except OSError as error:
            if error.errno not in (errno.EPIPE, errno.ECONNRESET, errno.ENOTCONN):
                self.log.exception("Socket error processing request.")
        except BaseException as error:  # noqa: BLE001 (as gunicorn's worker: an error response if one can be sent)
            self.handle_error(req, client, addr, error)
        finally:
            close_socket(client)

    @functools.cached_property
    def head_limits(self) -> HeadLimits:
        cfg = self.cfg
        return HeadLimits(cfg.limit_request_line, cfg.limit_request_fields, cfg.limit_request_field_size)

    def _answer_kept(self, head: bytes, kept: KeptAnswers, listener_name, addr,  # type: ignore[no-untyped-def]
                     unreader: Unreader) -> tuple[bytes, dict, str, int, float] | None:
        """The response to a kept answer's request (its bytes, then for the access log its environ, status,
        body size and start), taken from the unreader; None, the head left there, for gunicorn to read."""
        started = time.perf_counter()
        request = simple_get(head, self.head_limits)
        if request is None:
            return None
        environ, length = request
        environ.update(REMOTE_ADDR=addr[0], SERVER_NAME=str(listener_name[0]), SERVER_PORT=str(listener_name[1]))
        answer = kept.find(environ)
        if answer is None:
            return None
        unreader.read(length)
        self.nr += 1
        if self.nr >= self.max_requests and self.alive:
            self.log.info("Autorestarting worker after current request.")
            self.alive = False
        if answer.matches(environ):
            return wire_head(answer, True), environ, "304", 0, started
        return wire_head(answer, False) + answer.body, environ, answer.status[:3], len(answer.body), started

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


MAX_SIMPLE_HEAD = 16_384  # bytes of a request head looked at before leaving it to gunicorn's parser
_TARGET = re.compile(r"/[\x21-\x7e]*")  # origin form, printable ASCII (RFC 9112 3.2)
_TOKEN = re.compile(r"[!#$%&'*+\-.^`|~0-9a-zA-Z]+")  # a header name (RFC 9110 5.6.2), without "_"
_BLANKS = " \t"
_BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# Headers that make a request gunicorn's to read: a body, an expectation, an upgrade, a connection
# option, forwarded addresses (gunicorn reads some from trusted peers).
_NOT_SIMPLE = frozenset(("HTTP_CONTENT_LENGTH", "HTTP_TRANSFER_ENCODING", "HTTP_EXPECT", "HTTP_UPGRADE",
                         "HTTP_HTTP2_SETTINGS", "HTTP_TE", "HTTP_TRAILER", "HTTP_FORWARDED", "HTTP_X_FORWARDED_FOR",
                         "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_PROTOCOL", "HTTP_X_FORWARDED_SSL",
                         "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PREFIX",
                         "HTTP_PROXY_CONNECTION", "HTTP_KEEP_ALIVE"))


def read_head(unreader: Unreader) -> bytes:
    """What the client sent up to the end of a request head (or `MAX_SIMPLE_HEAD` bytes, or the end of
    the stream), left in `unreader` to be read again; empty once the client has closed."""
    data = unreader.read()
    while data and b"\r\n\r\n" not in data and len(data) <= MAX_SIMPLE_HEAD:
        more = unreader.read()
        if not more:
            break
        data += more
    if data:
        unreader.unread(data)
    return data


class HeadLimits(NamedTuple):
    """gunicorn's limits of a request head (its settings of the same names; 0: none)."""

    limit_request_line: int
    limit_request_fields: int
    limit_request_field_size: int


def simple_get(data: bytes, cfg: HeadLimits) -> tuple[dict, int] | None:
    """The WSGI environ (as gunicorn makes it, but the addresses) of an HTTP/1.1 GET without body at the
    start of `data`, and its head's length; None for any other request, or one gunicorn would refuse or
    read otherwise (its limits, an odd target or header, a repeated header, a header in `_NOT_SIMPLE`)."""
    end = data.find(b"\r\n\r\n", 0, MAX_SIMPLE_HEAD)
    if end < 0 or not data.startswith(b"GET /"):
        return None
    lines = data[:end].decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if (len(parts) != 3 or parts[2] != "HTTP/1.1" or 0 < cfg.limit_request_line < len(lines[0])
            or not _TARGET.fullmatch(parts[1]) or parts[1].startswith("//") or "#" in parts[1]
            or 0 <= cfg.limit_request_fields < len(lines) - 1):
        return None
    path, _, query = parts[1].partition("?")
    environ = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if (not colon or not _TOKEN.fullmatch(name) or 0 < cfg.limit_request_field_size < len(line) + 2
                or _BAD_VALUE.search(value)):
            return None
        key = "HTTP_" + name.upper().replace("-", "_")
        if key in environ:
            return None
        environ[key] = value.strip(_BLANKS)
    if not _NOT_SIMPLE.isdisjoint(environ) or environ.get("HTTP_CONNECTION", "keep-alive").lower() != "keep-alive":
        return None
    environ.update({"REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": unquote_to_wsgi_str(path),
                    "QUERY_STRING": query, "SERVER_PROTOCOL": "HTTP/1.1", "RAW_URI": parts[1],
                    "wsgi.url_scheme": "http"})
    return environ, end + 4


def wire_head(answer: Answer, not_modified: bool) -> bytes:
    """The status line and headers of a kept answer (or of its 304) as gunicorn would send them."""
    form = answer.wire.get(not_modified)
    if form is None:
        status, headers = ("304 Not Modified", answer.not_modified()) if not_modified else (answer.status, [
            (n, str(len(answer.body)) if n.lower() == "content-length" else v) for n, v in answer.headers])
        if not not_modified and not any(n.lower() == "content-length" for n, _ in headers):
            headers.append(("Content-Length", str(len(answer.body))))  # gunicorn would have sent it chunked
        form = answer.wire[not_modified] = (
            f"HTTP/1.1 {status}\r\nServer: {SERVER}\r\n".encode("latin-1"),  # then the Date
            "".join(_header_line(n, v) for n, v in headers if not is_hoppish(n)).encode("latin-1") + b"\r\n")
    return b"".join((form[0], _date_line(), b"Connection: keep-alive\r\n", form[1]))


def _header_line(name: str, value: str) -> str:
    return f"{name}: {value.strip(_BLANKS)}\r\n"


_date: list = [0, b""]


def _date_line() -> bytes:
    """`Date: ...\r\n`, made once a second."""
    now = int(time.time())
    if _date[0] != now:
        _date[:] = now, f"Date: {formatdate(now, usegmt=True)}\r\n".encode("latin-1")
    return _date[1]


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
