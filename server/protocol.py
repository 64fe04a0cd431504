"""Reading a SPARQL 1.1 Protocol request: which operation, its text, its dataset, its version.

The three ways in (GET with `query=`, POST of a form, POST of the text itself) and their errors
follow the SPARQL 1.1 Protocol and the SPARQL 1.2 `version` parameter: one query or update per
request, parameters in UTF-8, no body on GET, a Content-Type that says what the body is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO
from urllib.parse import unquote_plus, urlsplit

from flask import Request as FlaskRequest
from pyoxigraph import NamedNode
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import cached_property
from werkzeug.wrappers import Request
from werkzeug.wsgi import LimitedStream, get_input_stream

from server.dataset import Dataset
from server.errors import BadRequest, UnsupportedMediaType

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
VERSIONS = ("1.1", "1.2")
# rdflib's Dataset names its default graph so and sends it as default-graph-uri when it queries
# a SPARQLStore: it means the endpoint's own default graph, not a graph of that name.
RDFLIB_DEFAULT_GRAPH = "urn:x-rdflib:default"
_DATASET_PARAMETERS = {
    "query": ("default-graph-uri", "named-graph-uri"),
    "update": ("using-graph-uri", "using-named-graph-uri"),
}


@dataclass(frozen=True)
class Operation:
    """A query or an update as the request gave it."""

    kind: str  # "query" or "update"
    text: str
    dataset: Dataset
    version: str | None = None


class CappedBody(LimitedStream):
    """A request body read up to `cap` bytes: one byte more is 413, never a silently cut body.

    Werkzeug stops reading a body without Content-Length (`Transfer-Encoding: chunked`) at the
    limit and returns what it read as if it were all, so a write would apply half its data.
    """

    def __init__(self, stream: IO[bytes], cap: int) -> None:
        super().__init__(stream, cap + 1, is_max=True)
        self.cap = cap

    def readinto(self, b: bytearray) -> int | None:  # type: ignore[override]
        count = super().readinto(b)
        if self.tell() > self.cap:
            raise RequestEntityTooLarge()
        return count


class CappedRequest(FlaskRequest):
    """Flask's request, its body capped at `max_content_length` (max_body_kb) whatever its framing."""

    @cached_property
    def stream(self) -> IO[bytes]:
        stream = get_input_stream(self.environ, max_content_length=self.max_content_length)  # Content-Length
        if self.max_content_length is not None and "wsgi.input_terminated" in self.environ:
            return CappedBody(self.environ["wsgi.input"], self.max_content_length)  # type: ignore[return-value]
        return stream


def parse_parameters(raw: bytes, where: str) -> MultiDict:
    """`a=1&b=2` (a URL's query string or a form body) as a MultiDict; 400 unless it is UTF-8."""
    try:
        text = raw.decode("utf-8")
        pairs = [part.partition("=") for part in text.split("&") if part]
        return MultiDict([(unquote_plus(k, errors="strict"), unquote_plus(v, errors="strict"))
                          for k, _, v in pairs])
    except UnicodeDecodeError as error:
        raise BadRequest(f"the {where} is not UTF-8: {error}") from error


def has_body(request: Request) -> bool:
    return bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "").lower()


def read_operation(request: Request) -> Operation | None:
    """The operation a request to the endpoint carries; None for a GET without a query."""
    url = parse_parameters(request.query_string, "query string")
    if request.method in ("GET", "HEAD"):
        if has_body(request):
            raise BadRequest("a GET request carries its query in the URL; send a body with POST instead")
        if "update" in url:
            raise BadRequest("an update must be sent with POST (a form with update=, or application/sparql-update)")
        if "query" not in url:
            return None
        return _operation("query", _single(url, "query"), url)
    media_type = request.mimetype
    charset = request.mimetype_params.get("charset")
    if media_type not in (FORM, QUERY, UPDATE):
        given = f"Content-Type {media_type}" if media_type else "no Content-Type"
        raise UnsupportedMediaType(f"a POST to the endpoint needs Content-Type {FORM}, {QUERY} or {UPDATE}; "
                                   f"this one has {given}")
    if charset and charset.lower().replace("-", "") != "utf8":
        raise BadRequest(f"the body must be UTF-8, not {charset}")
    for name in ("query", "update"):
        if name in url:
            raise BadRequest(f"with POST, {name}= goes in the body, not in the URL")
    body = request.get_data(cache=True)
    if media_type == FORM:
        form = parse_parameters(body, "form body")
        kinds = [kind for kind in ("query", "update") if kind in form]
        if len(kinds) != 1:
            raise BadRequest("a form POST must carry exactly one of query= or update= in its body")
        for name, value in form.items(multi=True):
            url.add(name, value)
        return _operation(kinds[0], _single(form, kinds[0]), url)
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadRequest(f"the body is not UTF-8: {error}") from error
    if "version" in request.mimetype_params:
        url.add("version", request.mimetype_params["version"])
    return _operation("query" if media_type == QUERY else "update", text, url)


def _single(parameters: MultiDict, name: str) -> str:
    values = parameters.getlist(name)
    if len(values) != 1:
        raise BadRequest(f"a request carries one {name}, not {len(values)}")
    return values[0]


def _operation(kind: str, text: str, parameters: MultiDict) -> Operation:
    versions = parameters.getlist("version")
    if len(versions) > 1:
        raise BadRequest(f"a request names at most one SPARQL version, not {len(versions)}")
    if versions and versions[0] not in VERSIONS:
        raise BadRequest(f"SPARQL version {versions[0]!r} is not supported; use {' or '.join(VERSIONS)}")
    other = "update" if kind == "query" else "query"
    for name in _DATASET_PARAMETERS[other]:
        if name in parameters:
            raise BadRequest(f"{name} applies to a {other}, not to a {kind}; use "
                             f"{' or '.join(_DATASET_PARAMETERS[kind])}")
    default, named = (tuple(graph_iri(v, name) for v in parameters.getlist(name)) for name in _DATASET_PARAMETERS[kind])
    if default == (RDFLIB_DEFAULT_GRAPH,) and not named:
        default = ()
    return Operation(kind, text, Dataset(default, named), versions[0] if versions else None)


def graph_iri(value: str, parameter: str) -> str:
    """A graph IRI from a request parameter; 400 unless it is an absolute IRI."""
    try:
        NamedNode(value)
    except ValueError as error:
        raise BadRequest(f"{parameter}={value!r} is not an IRI: {error}") from error
    if not urlsplit(value).scheme or any(c in value for c in '<>"{}|^`\\ '):
        raise BadRequest(f"{parameter}={value!r} is not an absolute IRI")
    return value
