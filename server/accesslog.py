"""One access-log line per request: client, request line, status, bytes sent and duration."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator

log = logging.getLogger("evalkg.access")
MAX_TARGET = 300  # characters of path and query string kept in the log


class AccessLog:
    """WSGI middleware: logs each request when its response has been sent."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()
        status = ["-"]

        def recording(status_line: str, headers: list, exc_info: object = None) -> Callable:
            status[0] = status_line.split(" ", 1)[0]
            return start_response(status_line, headers, exc_info)

        return _Logged(self.app(environ, recording), environ, status, started)


class _Logged:
    def __init__(self, body: Iterable[bytes], environ: dict, status: list[str], started: float) -> None:
        self.body, self.environ, self.status, self.started = body, environ, status, started
        self.size = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.size += len(chunk)
            yield chunk

    def close(self) -> None:
        if hasattr(self.body, "close"):
            self.body.close()
        log_request(self.environ, self.status[0], self.size, self.started)


def log_request(environ: dict, status: str, size: int, started: float) -> None:
    """The line of a request (as a WSGI environ) whose response of `size` bytes was sent; `started` by perf_counter."""
    if not log.isEnabledFor(logging.INFO):
        return
    target = environ.get("PATH_INFO", "") + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
    if len(target) > MAX_TARGET:
        target = target[:MAX_TARGET] + "..."
    log.info('%s "%s %s %s" %s %d bytes %.1f ms', environ.get("REMOTE_ADDR", "-"), environ.get("REQUEST_METHOD"),
             target, environ.get("SERVER_PROTOCOL", "-"), status, size, (time.perf_counter() - started) * 1000)
