"""The evalkg web application: SPARQL endpoint, graph store, linked-data pages, dumps, UI."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from urllib.parse import unquote_to_bytes, urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import kg
from kg.settings import Settings
from server import errors, pool, security, store
from server.protocol import CappedRequest
from server import settings as app_settings
from server.accesslog import AccessLog
from server.answers import Answer, ReusedAnswers
from server.slots import JobSlots


def create_app(settings: Settings | None = None, slots: JobSlots | None = None,
               runner: Callable[[Callable], Callable] | None = None) -> Flask:
    """Build the app from one settings object; every blueprint owns one URL space.

    The store is opened lazily, once per process (and again when a build publishes a new
    generation), so the app can be created before a server forks its workers. `slots` limits
    the store jobs of all of a server's workers together; without it, this app has its own.
    `runner` wraps the Flask app alone (gunicorn runs it in threads), so that the middleware
    around it, and answers reused from the cache (`server.answers`), need no thread.
    """
    settings = settings or Settings()
    slots = slots or JobSlots(settings.query_slots)
    app = Flask(__name__)
    app.request_class = CappedRequest
    app_settings.init_app(app, settings)
    store.init_app(app, settings.store)
    pool.init_app(app, settings.store, settings.query_processes, slots, settings.query_memory_mb)
    errors.init_app(app)
    security.init_app(app)

    from server.dumps import blueprint as dumps
    from server.graph_store import blueprint as graph_store
    from server.health import blueprint as health
    from server.ld import blueprint as linked_data
    from server.search import blueprint as search
    from server.sparql import blueprint as sparql
    from server.void import blueprint as void

    for blueprint in (health, sparql, graph_store, linked_data, search, void, dumps):
        app.register_blueprint(blueprint)
    wsgi_app = runner(app.wsgi_app) if runner else app.wsgi_app
    wsgi_app = reused = ReusedAnswers(wsgi_app, settings.store, int(settings.answer_cache_mb * 2**20),
                                      _fingerprint(settings))
    if settings.public_url or not settings.trusted_proxies:
        wsgi_app = PublicAddress(wsgi_app, settings)
    if not settings.trusted_proxies:  # else the URL or the client's address may come from forwarded headers
        app.extensions[KEPT_ANSWERS] = KeptAnswers(reused, wsgi_app)
    wsgi_app = AccessLog(wsgi_app)
    if settings.trusted_proxies:  # their X-Forwarded-For names the client; the rest, the URL, unless public_url does
        hops = settings.trusted_proxies
        url_hops = 0 if settings.public_url else hops
        wsgi_app = ProxyFix(wsgi_app, x_for=hops, x_proto=url_hops, x_host=url_hops, x_port=url_hops,
                            x_prefix=url_hops)
    app.wsgi_app = wsgi_app  # type: ignore[method-assign]
    return app


KEPT_ANSWERS = "evalkg.kept-answers"


class KeptAnswers:
    """The answers kept for reuse, found as the middleware in front of the app finds them: for a server
    that answers them before any WSGI call (`server.serving.ConnectionWorker`)."""

    def __init__(self, answers: ReusedAnswers, address: PublicAddress) -> None:
        self.answers, self.address = answers, address

    def find(self, environ: dict) -> Answer | None:
        """The kept answer to a GET, its environ as gunicorn makes it (rewritten here as `PublicAddress` does)."""
        self.address.rewrite(environ)
        return self.answers.kept(environ)


def kept_answers(app: Flask) -> KeptAnswers | None:
    """The app's kept answers, unless its requests' URLs or clients may come from forwarded headers."""
    return app.extensions.get(KEPT_ANSWERS)


def _fingerprint(settings: Settings) -> str:
    """What answers depend on besides the data and the request: the settings and the code's version."""
    return hashlib.sha256(repr((kg.__version__, settings)).encode()).hexdigest()


class PublicAddress:
    """WSGI middleware: every request is taken as addressed to the server's public base URL.

    Its scheme, host and path prefix (SCRIPT_NAME) are set from `public_url` (default: the address
    `kg serve` listens on), so no URL the server publishes comes from a request's Host header or
    from forwarded headers the WSGI server believed (gunicorn trusts X-Forwarded-Proto and
    SCRIPT_NAME from 127.0.0.1). A path arriving with the prefix (or without: a proxy may strip it)
    is served the same.
    """

    def __init__(self, app: Callable, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        parts = urlsplit(app_settings.public_base(settings))
        self.scheme, self.prefix = parts.scheme, _wsgi_path(parts.path.rstrip("/"))

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        self.rewrite(environ)
        return self.app(environ, start_response)

    def rewrite(self, environ: dict) -> None:
        """Set the request's scheme, host, port and prefix to the public base URL's."""
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        if self.prefix and (path == self.prefix or path.startswith(self.prefix + "/")):
            path = path[len(self.prefix):]
        environ.update(self._address(environ.get("SERVER_PORT")))
        environ["PATH_INFO"] = path

    @functools.lru_cache(maxsize=16)  # noqa: B019 (one instance per app, a port or two)
    def _address(self, port: str | None) -> dict[str, str]:
        parts = urlsplit(app_settings.public_base(self.settings, _number(port)))
        return {
            "wsgi.url_scheme": self.scheme,
            "HTTP_HOST": parts.netloc,
            "SERVER_NAME": parts.hostname or "",
            "SERVER_PORT": str(parts.port or (443 if self.scheme == "https" else 80)),
            "SCRIPT_NAME": self.prefix,
        }


def _wsgi_path(path: str) -> str:
    """A URL's path as WSGI holds paths: percent-decoded bytes, as latin-1 text."""
    return unquote_to_bytes(path).decode("latin-1")


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None
