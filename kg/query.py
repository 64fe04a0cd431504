"""SPARQL over the store for the command line: run a query, render its results in a format."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
)

from kg.namespaces import PREFIXES

RESULT_FORMATS = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {"turtle": RdfFormat.TURTLE, "ntriples": RdfFormat.N_TRIPLES}
FORMATS = ("table", *RESULT_FORMATS, *GRAPH_FORMATS)

Results = QuerySolutions | QueryBoolean | QueryTriples


def run_query(store: Store, query: str) -> Results:
    """Evaluate a query with the usual prefixes predeclared and all graphs as the default graph."""
    return store.query(query, prefixes=PREFIXES)


def render_term(term: NamedNode | BlankNode | Literal | None) -> str:
    """A term as people read it: IRIs bare, literals as their text with a language tag."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return f"{term.value}@{term.language}" if term.language else term.value


def serialize(results: Results, format_name: str) -> bytes:
    """Results in a machine format; a format that does not fit the query form is a ValueError."""
    if isinstance(results, QueryTriples):
        if format_name not in GRAPH_FORMATS:
            raise ValueError(f"a CONSTRUCT or DESCRIBE result is printed as {' or '.join(GRAPH_FORMATS)} or table")
        return pyoxigraph.serialize(results, format=GRAPH_FORMATS[format_name], prefixes=PREFIXES) or b""
    if format_name not in RESULT_FORMATS:
        raise ValueError(f"a SELECT or ASK result is printed as {', '.join(RESULT_FORMATS)} or table")
    return results.serialize(format=RESULT_FORMATS[format_name]) or b""


def table_rows(results: Results) -> tuple[list[str], Iterable[list[str]]]:
    """Column names and rows of text for a table, whatever the query form."""
    if isinstance(results, QueryBoolean):
        return ["result"], [[str(bool(results)).lower()]]
    if isinstance(results, QueryTriples):
        return ["subject", "predicate", "object"], (
            [render_term(t.subject), render_term(t.predicate), render_term(t.object)] for t in results
        )
    names = [v.value for v in results.variables]
    return names, ([render_term(solution[name]) for name in names] for solution in results)
