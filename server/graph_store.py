"""`/graph-store`: the SPARQL 1.1 Graph Store HTTP Protocol, with indirect graph identification.

`?graph=IRI` names a graph, `?default` the default graph, which the store keeps as the merge of
all named graphs: it can be read, and it changes when they do. Reading is open; PUT, POST and
DELETE of named graphs need the update token and each commit as one new store generation.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from werkzeug.datastructures import MultiDict

from server import formats
from server.auth import require_update_token
from server.engine import ReadGraph, WriteGraph
from server.errors import BadRequest, HTTPError, NotAcceptable, UnsupportedMediaType
from server.pool import get_pool, response_for
from server.protocol import graph_iri, parse_parameters
from server.settings import get_settings

blueprint = Blueprint("graph_store", __name__)


@blueprint.route("/graph-store", methods=["GET", "PUT", "POST", "DELETE"])
def graph_store() -> Response:
    """Read a graph (open), or replace, add to or delete a named graph (with the update token)."""
    parameters = parse_parameters(request.query_string, "query string")
    graph = _target(parameters)
    config = get_settings()
    if request.method in ("GET", "HEAD"):
        format_values = parameters.getlist("format")
        media_type = formats.negotiate(request.headers.get("Accept"), format_values, (formats.GRAPH,))[formats.GRAPH]
        if media_type is None:
            raise NotAcceptable(formats.unmet(formats.GRAPH, request.headers.get("Accept"),
                                              ", ".join(format_values) or None))
        job = ReadGraph(graph, media_type, int(config.max_response_mb * 1024 * 1024))
        return response_for(get_pool().run(job, config.query_timeout, "read"))
    require_update_token(config.update_token, request.headers.get("Authorization"))
    if graph is None:
        raise HTTPError("the default graph is the merge of the named graphs and changes with them; "
                        "write a named graph (?graph=IRI) instead", status=405, headers={"Allow": "GET, HEAD"})
    if request.method == "DELETE":
        job = WriteGraph("DELETE", graph)
    else:
        if request.mimetype not in formats.UPLOAD_FORMATS:
            given = request.mimetype or "no Content-Type"
            raise UnsupportedMediaType(f"the Graph Store takes {', '.join(formats.UPLOAD_FORMATS)}, not {given}")
        charset = request.mimetype_params.get("charset")
        if charset and charset.lower().replace("-", "") != "utf8":
            raise BadRequest(f"the body must be UTF-8, not {charset}")
        job = WriteGraph(request.method, graph, request.get_data(), request.mimetype, base_iri=graph)
    return response_for(get_pool().run(job, config.update_timeout, "write"))


def _target(parameters: MultiDict) -> str | None:
    """The graph a request names: an IRI for `?graph=`, None for `?default`."""
    if ("graph" in parameters) == ("default" in parameters):
        raise BadRequest("name one graph: ?graph=IRI for a named graph, or ?default for the default graph "
                         "(the whole dataset is at /dumps/)")
    if "default" in parameters:
        return None
    values = parameters.getlist("graph")
    if len(values) != 1:
        raise BadRequest(f"name one graph, not {len(values)}")
    return graph_iri(values[0], "graph")
