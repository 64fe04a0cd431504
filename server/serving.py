"""Running the app for real: gunicorn with several worker processes, or Flask's server for debugging."""

from __future__ import annotations

import logging
from collections.abc import Callable

from gunicorn.app.base import BaseApplication
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


class GunicornServer(BaseApplication):
    """The app under gunicorn: `workers` processes of `threads` threads, each opening the store read-only.

    The workers share one set of job slots (`server.slots`), made here before they are forked;
    the slots of a worker that exits are given back.
    """

    def __init__(self, settings: Settings, on_ready: Callable[[str], None]) -> None:
        self.settings = settings
        self.on_ready = on_ready
        self.slots = JobSlots(settings.query_slots)
        self._slot_holders: dict[int, int | None] = {}  # worker age -> its entry in the slots
        super().__init__()

    def load_config(self) -> None:
        settings = self.settings
        host = f"[{settings.host}]" if ":" in settings.host else settings.host
        options = {
            "bind": f"{host}:{settings.port}",
            "workers": settings.workers,
            "worker_class": "gthread",
            "threads": settings.threads,
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
        return create_app(self.settings, self.slots)

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
