"""One error body shape for the whole server, in JSON or plain text as the client prefers.

Every error response, whether raised on purpose (`HTTPError`) or by Flask itself (404, 405, 413),
carries the same body:

    {"error": {"status": 400, "title": "Bad Request", "message": "..."}}

or, for clients that do not ask for JSON, the text `400 Bad Request: ...` on one line. A client
that asks for a JSON format (`application/sparql-results+json`, `application/ld+json`, ...) gets
the JSON body: it reads JSON, and no results format can carry an error.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from http import HTTPStatus

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from kg.errors import EvalKGError
from server.negotiation import choose

log = logging.getLogger(__name__)

ERROR_TYPES = ("text/plain", "application/json")
_JSON_FORMAT = re.compile(r"[\w.+*-]+/[\w.-]+\+json\b", re.ASCII)  # a media range of a JSON-based format
MAX_MESSAGE = 500  # characters of a message, which may quote the request (a parser's message quotes the query)


class HTTPError(EvalKGError):
    """An error the client caused or must hear about, with its HTTP status and a message naming the fix."""

    status = 500

    def __init__(self, message: str, *, status: int | None = None, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.headers = dict(headers or {})


class BadRequest(HTTPError):
    status = 400


class Unauthorized(HTTPError):
    status = 401


class Forbidden(HTTPError):
    status = 403


class NotFound(HTTPError):
    status = 404


class NotAcceptable(HTTPError):
    status = 406


class UnsupportedMediaType(HTTPError):
    status = 415


class ServiceUnavailable(HTTPError):
    status = 503


def error_body(status: int, message: str, media_type: str) -> bytes:
    """The error body every response of the server uses, in JSON or text."""
    title = HTTPStatus(status).phrase
    message = shorten(message)
    if media_type == "application/json":
        document = {"error": {"status": status, "title": title, "message": message}}
        return json.dumps(document, ensure_ascii=False).encode("utf-8") + b"\n"
    return f"{status} {title}: {message}\n".encode()


def shorten(message: str, limit: int = MAX_MESSAGE) -> str:
    """A message cut to `limit` characters, with an ellipsis saying how much was left out."""
    if len(message) <= limit:
        return message
    return f"{message[:limit]}… ({len(message) - limit} more characters)"


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """An error response for the current request, its body in the format the client prefers."""
    media_type = error_media_type(request.headers.get("Accept"))
    response = Response(error_body(status, message, media_type), status=status,
                        content_type=f"{media_type}; charset=utf-8")
    response.headers.update(headers or {})
    response.vary.add("Accept")
    return response


def error_media_type(accept: str | None) -> str:
    """JSON for a client whose Accept prefers JSON or a JSON-based format, else text."""
    return choose(_JSON_FORMAT.sub("application/json", accept or ""), ERROR_TYPES) or "text/plain"


def init_app(app: Flask) -> None:
    """Render every error, ours and Flask's, with the one body shape."""

    @app.errorhandler(HTTPError)
    def _http_error(error: HTTPError) -> Response:
        return error_response(error.status, error.message, error.headers)

    @app.errorhandler(HTTPException)
    def _werkzeug_error(error: HTTPException) -> Response:
        headers = {k: v for k, v in error.get_headers() if k.lower() not in ("content-type", "content-length")}
        return error_response(error.code or 500, _describe(error), headers)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal server error; the server log has the details")


def _describe(error: HTTPException) -> str:
    if error.code == 405:
        allowed = ", ".join(sorted(getattr(error, "valid_methods", None) or ()))
        return f"{request.method} is not allowed on {request.path}" + (f"; use {allowed}" if allowed else "")
    if error.code == 413:
        limit = request.max_content_length or 0
        return (f"the request body is larger than this server accepts: {limit // 1024} KB (its max_body_kb setting), "
                "whether sent with Content-Length or chunked; nothing was done")
    if error.code == 404:
        return f"nothing at {request.path}"
    return error.description or HTTPStatus(error.code or 500).phrase
