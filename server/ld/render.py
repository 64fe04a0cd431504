"""Renderers: a description in an RDF syntax or as a page, and a 404 or 406 in the asked format.

Views fetch data once and hand it here, so adding a format never touches a view.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask import Response, render_template, request
from pyoxigraph import NamedNode, Triple, serialize

from kg.namespaces import PREFIXES
from kg.rdfxml import unwritable_property
from kg.turtle import turtle_bytes
from kg.void import VOID_PREFIXES
from server.errors import error_body
from server.ld.formats import FORMATS, HTML, JSON_LD, RDF_XML, TURTLE, Format

_RDF_PREFIXES = VOID_PREFIXES


def allow_any_origin(response: Response) -> Response:
    """Public data: scripts on other sites may read it (no credentials are involved)."""
    response.headers.setdefault("Access-Control-Allow-Origin", "*")
    return response


def alternates_header(alternates: Sequence[tuple[Format, str]]) -> str:
    """`Link` header value advertising the other forms of a document."""
    return ", ".join(f'<{url}>; rel="alternate"; type="{fmt.media_type}"' for fmt, url in alternates)


def rdf_response(triples: Iterable[Triple], fmt: Format, alternates: Sequence[tuple[Format, str]] = (),
                 subject: NamedNode | None = None) -> Response:
    """A graph in an RDF syntax, in a stable order: the statements of `subject` first."""
    if fmt == TURTLE:
        body = turtle_bytes(triples, _RDF_PREFIXES, first=str(subject) if subject else None)
    else:
        ordered = sorted(set(triples), key=lambda t: (t.subject != subject, str(t)))
        if fmt == RDF_XML and (unwritable := unwritable_property(ordered)) is not None:
            return error_document(fmt, 406, f"RDF/XML cannot write the property <{unwritable}> (its IRI does not end "
                                  "in an XML name); ask for Turtle, JSON-LD or N-Triples")
        body = serialize(ordered, format=fmt.rdf, prefixes=_RDF_PREFIXES) or b""
    return _finish(Response(body, content_type=fmt.content_type), alternates)


def html_response(template: str, alternates: Sequence[tuple[Format, str]] = (), status: int = 200,
                  **context: object) -> Response:
    response = Response(render_template(template, alternates=alternates, **context), status=status,
                        content_type=HTML.content_type)
    response.vary.add("Accept-Language")
    return _finish(response, alternates)


def _finish(response: Response, alternates: Sequence[tuple[Format, str]]) -> Response:
    if alternates:
        response.headers["Link"] = alternates_header(alternates)
    if response.status_code == 200:
        response.add_etag()
        response.make_conditional(request)
    return response


def error_document(fmt: Format, status: int, message: str, **context: object) -> Response:
    """An error in the asked format: a page, a JSON-LD document holding the server's one error
    body, or that body's text as a comment of an (empty) Turtle, N-Triples or RDF/XML document."""
    if fmt == HTML:
        return html_response("error.html", status=status, status_code=status, message=message, **context)
    if fmt == JSON_LD:
        body = error_body(status, message, "application/json")
    else:
        text = error_body(status, message, "text/plain").decode().strip().replace("--", "- -")
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<!-- {text} -->\n'
                f'<rdf:RDF xmlns:rdf="{PREFIXES["rdf"]}"/>\n' if fmt == RDF_XML else f"# {text}\n").encode()
    return Response(body, status=status, content_type=fmt.content_type)


def not_acceptable(alternates: Sequence[tuple[Format, str]]) -> Response:
    """406, listing the forms on offer (text/plain, the server's error shape)."""
    offered = ", ".join(fmt.media_type for fmt in FORMATS)
    message = f"this resource is available as {offered}"
    response = Response(error_body(406, message, "text/plain"), status=406, content_type="text/plain; charset=utf-8")
    if alternates:
        response.headers["Link"] = alternates_header(alternates)
    return response
