"""`/healthz`: 200 while the store is readable, 503 otherwise."""

from __future__ import annotations

from flask import Blueprint, jsonify

from kg.errors import StoreError
from server.store import get_store

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    try:
        healthy = bool(get_store().query("ASK { }"))
    except (StoreError, OSError) as error:
        return jsonify(status="unavailable", reason=str(error)), 503
    return jsonify(status="ok" if healthy else "unavailable"), 200 if healthy else 503
