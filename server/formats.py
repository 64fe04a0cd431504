"""The media types the server speaks, per kind of result, and how a request picks one.

A request picks by its Accept header (with q-values) or, overriding it, by a `format` parameter
that names a format (`json`, `turtle`, ...) or a media type. Clients such as SPARQLWrapper repeat
`format` and put several values in one (`format=json-ld&format=application/ld+json,application/x-json+ld`):
the first value that fits the result wins, values the server does not know are passed over, and a
result that none fits is negotiated by Accept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pyoxigraph import RdfFormat

from server.errors import BadRequest
from server.negotiation import choose

SOLUTIONS = "solutions"
BOOLEAN = "boolean"
GRAPH = "graph"
KINDS = (SOLUTIONS, BOOLEAN, GRAPH)
KIND_NAMES = {SOLUTIONS: "SELECT", BOOLEAN: "ASK", GRAPH: "CONSTRUCT or DESCRIBE"}

JSON_RESULTS = "application/sparql-results+json"
XML_RESULTS = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"
RDF_XML = "application/rdf+xml"
JSON_LD = "application/ld+json"

# Offers in the server's order of preference: the first wins a tie and answers `*/*`. The
# generic types at the end (application/json, ...) serve clients that ask only for those.
OFFERS: dict[str, tuple[str, ...]] = {
    SOLUTIONS: (JSON_RESULTS, XML_RESULTS, CSV, TSV, "application/json", "application/xml", "text/xml"),
    BOOLEAN: (JSON_RESULTS, XML_RESULTS, CSV, TSV, "application/json", "application/xml", "text/xml"),
    GRAPH: (TURTLE, N_TRIPLES, RDF_XML, JSON_LD, N_QUADS, "application/json", "application/xml", "text/xml",
            "text/plain"),
}

# What each offered media type is written as: a results format name, or an RDF format.
RESULT_WRITERS = {
    JSON_RESULTS: "json", "application/json": "json",
    XML_RESULTS: "xml", "application/xml": "xml", "text/xml": "xml",
    CSV: "csv", TSV: "tsv",
}
RDF_WRITERS = {
    TURTLE: RdfFormat.TURTLE, N_TRIPLES: RdfFormat.N_TRIPLES, "text/plain": RdfFormat.N_TRIPLES,
    RDF_XML: RdfFormat.RDF_XML, "application/xml": RdfFormat.RDF_XML, "text/xml": RdfFormat.RDF_XML,
    JSON_LD: RdfFormat.JSON_LD, "application/json": RdfFormat.JSON_LD, N_QUADS: RdfFormat.N_QUADS,
}

# `format=` names, per kind of result.
FORMAT_NAMES: dict[str, dict[str, str]] = {
    SOLUTIONS: {"json": JSON_RESULTS, "xml": XML_RESULTS, "csv": CSV, "tsv": TSV},
    BOOLEAN: {"json": JSON_RESULTS, "xml": XML_RESULTS, "csv": CSV, "tsv": TSV},
    GRAPH: {"turtle": TURTLE, "ttl": TURTLE, "n3": TURTLE, "ntriples": N_TRIPLES, "n-triples": N_TRIPLES,
            "nt": N_TRIPLES, "nquads": N_QUADS, "n-quads": N_QUADS, "nq": N_QUADS, "rdfxml": RDF_XML,
            "rdf+xml": RDF_XML, "rdf": RDF_XML, "xml": RDF_XML, "jsonld": JSON_LD, "json-ld": JSON_LD,
            "json": JSON_LD},
}  # n3: Turtle is N3, and what SPARQLWrapper's N3 asks for

# What a client may upload to the Graph Store (graph formats only).
UPLOAD_FORMATS = {
    TURTLE: RdfFormat.TURTLE, N_TRIPLES: RdfFormat.N_TRIPLES, RDF_XML: RdfFormat.RDF_XML,
    JSON_LD: RdfFormat.JSON_LD, "text/n3": RdfFormat.N3, "application/xml": RdfFormat.RDF_XML,
}

Choice = Mapping[str, str | None]


def negotiate(accept: str | None, format_values: Sequence[str] = (), kinds: tuple[str, ...] = KINDS) -> Choice:
    """The media type to answer with for each kind of result (None where none fits the request).

    `format_values` are the request's `format` parameters in order; 400 if it has some and the
    server knows none of them.
    """
    wanted = format_choices(format_values)
    if wanted and not any(_offer(kind, value) for kind in kinds for value in wanted):
        names = sorted({name for kind in kinds for name in FORMAT_NAMES[kind]})
        raise BadRequest(f"unknown format {', '.join(format_values)!r}; use one of {', '.join(names)} "
                         "or a media type")
    return {kind: next((offer for value in wanted if (offer := _offer(kind, value))), None)
            or choose(accept, OFFERS[kind]) for kind in kinds}


def format_choices(format_values: Sequence[str]) -> list[str]:
    """The formats `format` parameters name, in order: each may hold several, comma-separated."""
    return [value.partition(";")[0].strip().lower() for given in format_values for value in given.split(",")
            if value.strip()]


def _offer(kind: str, value: str) -> str | None:
    """The media type a format name or media type stands for in results of `kind`, if one is offered."""
    return FORMAT_NAMES[kind].get(value) or (value if value in OFFERS[kind] else None)


def content_type(media_type: str) -> str:
    """The Content-Type header for a media type: text types say their charset."""
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


def unmet(kind: str, accept: str | None, format_name: str | None) -> str:
    """The 406 message for a result of `kind` that the request's Accept and format rule out."""
    asked = f"format={format_name} and Accept: {accept}" if format_name else f"Accept: {accept}"
    return (f"{asked} cannot be met for a {KIND_NAMES[kind]} result; this endpoint gives "
            f"{', '.join(OFFERS[kind])}")
