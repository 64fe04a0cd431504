"""`/sparql`: the SPARQL 1.1 Protocol endpoint (query; update with the token), its service
description, and the query UI for browsers."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, render_template, request, url_for

from server import formats
from server.auth import require_update_token
from server.engine import RunQuery, RunUpdate, write_graph
from server.examples import default_query, examples
from server.negotiation import choose
from server.pool import get_pool, response_for
from server.protocol import Operation, parse_parameters, read_operation
from server.service_description import SD_PREFIXES, service_description
from server.settings import get_settings

blueprint = Blueprint("sparql", __name__)

HTML = "text/html"


@blueprint.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    """The SPARQL 1.1 Protocol: a query, an update, or (GET without either) the UI or description."""
    operation = read_operation(request)
    if operation is None:
        return describe()
    if operation.kind == "query":
        return query(operation)
    return update(operation)


def query(operation: Operation) -> Response:
    """Run a query in a query process, under the time limit; relative IRIs resolve against the endpoint.

    Everything that reads the query text (the SERVICE check included) happens in the query
    process, so no query holds a web worker past its time limit.
    """
    config = get_settings()
    format_values = _format_parameters()
    choice = formats.negotiate(request.headers.get("Accept"), format_values)
    job = RunQuery(
        text=operation.text,
        base_iri=request.base_url,
        dataset=operation.dataset or None,
        media=dict(choice),
        accept=request.headers.get("Accept"),
        format_name=", ".join(format_values) or None,
        max_rows=config.max_rows,
        max_bytes=int(config.max_response_mb * 1024 * 1024),
        allowlist=config.service_allowlist,
        max_nesting=config.max_nesting,
    )
    return response_for(get_pool().run(job, config.query_timeout))


def update(operation: Operation) -> Response:
    """Apply an update: only with the token; relative IRIs resolve against the dataset base IRI.

    Its text is read (dataset, LOAD and SERVICE checks) in the query process, under the time limit.
    """
    config = get_settings()
    require_update_token(config.update_token, request.headers.get("Authorization"))
    job = RunUpdate(operation.text, config.base_iri, operation.dataset or None, config.service_allowlist,
                    config.max_nesting)
    return response_for(get_pool().run(job, config.update_timeout, "update"))


def describe() -> Response:
    """GET without a query: the query UI for a browser, the service description for anyone else."""
    format_values = _format_parameters()
    offers = formats.OFFERS[formats.GRAPH]
    if not format_values and choose(request.headers.get("Accept"), (*offers, HTML)) == HTML:
        return ui()
    media_type = formats.negotiate(request.headers.get("Accept"), format_values, (formats.GRAPH,))[formats.GRAPH]
    media_type = media_type or formats.TURTLE
    triples = service_description(request.base_url, get_settings())
    body = write_graph(triples, formats.RDF_WRITERS[media_type], SD_PREFIXES)
    response = Response(body, content_type=formats.content_type(media_type))
    response.vary.add("Accept")
    return response


def ui() -> Response:
    """The YASGUI page, set up for this endpoint with the evalkg prefixes and the example queries."""
    config = get_settings()
    response = Response(render_template(
        "sparql.html",
        examples=examples(),
        limits={"timeout": f"{config.query_timeout:g}", "max_rows": config.max_rows},
        config={"endpoint": url_for("sparql.endpoint"), "query": default_query(),
                "examples": [asdict(example) for example in examples()]},
    ))
    response.headers["Link"] = f'<{url_for("sparql.endpoint")}?format=turtle>; rel="alternate"; type="text/turtle"'
    response.vary.update(("Accept", "Accept-Language"))
    return response


def _format_parameters() -> list[str]:
    """Every `format=` of the URL and of a form body, in order."""
    values = parse_parameters(request.query_string, "query string").getlist("format")
    if request.mimetype == "application/x-www-form-urlencoded":
        values += parse_parameters(request.get_data(cache=True), "form body").getlist("format")
    return values

