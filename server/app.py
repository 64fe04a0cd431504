"""The evalkg web application: SPARQL endpoint, graph store, linked-data pages, dumps, UI."""

from __future__ import annotations

from flask import Flask

from kg.settings import Settings
from server import errors, pool, security, store
from server.protocol import CappedRequest
from server import settings as app_settings
from server.accesslog import AccessLog
from server.slots import JobSlots


def create_app(settings: Settings | None = None, slots: JobSlots | None = None) -> Flask:
    """Build the app from one settings object; every blueprint owns one URL space.

    The store is opened lazily, once per process (and again when a build publishes a new
    generation), so the app can be created before a server forks its workers. `slots` limits
    the store jobs of all of a server's workers together; without it, this app has its own.
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
    from server.sparql import blueprint as sparql
    from server.void import blueprint as void

    for blueprint in (health, sparql, graph_store, linked_data, void, dumps):
        app.register_blueprint(blueprint)
    app.wsgi_app = AccessLog(app.wsgi_app)  # type: ignore[method-assign]
    return app
