"""The evalkg web application: SPARQL endpoint, graph store, linked-data pages, dumps, UI."""

from __future__ import annotations

from flask import Flask

from kg.settings import Settings
from server import store


def create_app(settings: Settings | None = None) -> Flask:
    """Build the app from one settings object; every blueprint owns one URL space."""
    settings = settings or Settings()
    app = Flask(__name__)
    app.config["EVALKG"] = settings
    store.init_app(app, settings.store)
    from server.health import blueprint as health

    app.register_blueprint(health)
    return app
