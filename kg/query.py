"""SPARQL over the store for the command line: run a query, render its results in a format."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import BinaryIO

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
from kg.rdfxml import unwritable_property
from kg.search.functions import SearchFunctions
from kg.settings import Settings
from kg.syntax import explain

RESULT_FORMATS = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "nquads": RdfFormat.N_QUADS,
    "jsonld": RdfFormat.JSON_LD,
    "rdfxml": RdfFormat.RDF_XML,
}
FORMATS = ("table", *RESULT_FORMATS, *GRAPH_FORMATS)

Results = QuerySolutions | QueryBoolean | QueryTriples
_LOCAL_NAME = re.compile(r"[A-Za-z_][\w.-]*")

# What makes Oxigraph's parse tree deeper: brackets and braces, and operators chained inside one
# (`a || b || ...`, UNION, OPTIONAL, MINUS, a path's `/`); strings, comments, IRIs, names and
# datatypes are skipped whole.
_NESTING = re.compile(
    "|".join([
        r"'''(?:[^'\\]|\\.|'(?!''))*'''", r'"""(?:[^"\\]|\\.|"(?!""))*"""',
        r"'(?:[^'\\\n\r]|\\.)*'", r'"(?:[^"\\\n\r]|\\.)*"',
        r"#[^\r\n]*",
        r"<[^<>\"{}|^`\\\x00-\x20]*>",
        r"(?P<open>[{(\[])", r"(?P<close>[})\]])",
        r"\^\^",  # a datatype, not an inverse path
        r"(?P<chain>\b(?:UNION|OPTIONAL|MINUS)\b)",
        r"-?[\w?$:.%\\][\w?$:.%\\-]*",  # names, variables, (signed) numbers, keywords
        r"(?P<operator>\|\||&&|!=|<=|>=|[=<>+\-*/!|^])",
    ]),
    re.IGNORECASE | re.DOTALL,
)


def nesting_depth(text: str, limit: int | None = None) -> int:
    """How deep a SPARQL text nests, in one linear scan: a bracket or brace opens a level, and each
    operator chained inside one adds a level, as the parser's tree grows (stops once past `limit`)."""
    outer: list[int] = []
    depth = deepest = 0
    for match in _NESTING.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            outer.append(depth)
            depth += 1
        elif kind == "close":
            depth = outer.pop() if outer else 0
        elif kind in ("chain", "operator"):
            depth += 1
        if depth > deepest:
            deepest = depth
            if limit is not None and deepest > limit:
                break
    return deepest


def check_nesting(text: str, limit: int) -> None:
    """Refuse (SyntaxError) a text nested deeper than `limit` (0: any), before Oxigraph's recursive
    parser and evaluator run out of stack on it: they crash the process at a few thousand levels."""
    if limit > 0 and nesting_depth(text, limit) > limit:
        raise SyntaxError(f"the text nests more than {limit} levels deep (brackets, braces and chained operators "
                          "such as ||, + or UNION), past the max_nesting setting; flatten it (VALUES or IN "
                          "instead of long chains)")


def run_query(store: Store, query: str, max_nesting: int = Settings.max_nesting,
              search: SearchFunctions | None = None) -> Results:
    """Evaluate a query with the usual prefixes predeclared and all graphs as the default graph,
    and the text index's functions (`kg.search.functions`) given `search`; a syntax error says in
    words what is wrong and where (`kg.syntax`); a query nested deeper than `max_nesting` is
    refused before it is parsed."""
    check_nesting(query, max_nesting)
    try:
        return store.query(query, prefixes=PREFIXES,
                           custom_functions=search.as_custom_functions() if search else None)
    except SyntaxError as error:
        raise SyntaxError(explain(query, str(error), PREFIXES)) from None


def compact(iri: str) -> str:
    """An IRI as a prefixed name when one of the predeclared prefixes fits (`ek:Evaluation`)."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and _LOCAL_NAME.fullmatch(iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def render_term(term: NamedNode | BlankNode | Literal | None) -> str:
    """A term as people read it: IRIs whole or as prefixed names, literals as their text with a
    language tag."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return compact(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return f"{term.value}@{term.language}" if term.language else term.value


def write_results(results: Results, format_name: str, out: BinaryIO) -> None:
    """Stream results in a machine format to `out`, ending with a line break; a format that
    does not fit the query form is a ValueError."""
    if isinstance(results, QueryTriples):
        if format_name not in GRAPH_FORMATS:
            raise ValueError(f"a CONSTRUCT or DESCRIBE result is printed as {', '.join(GRAPH_FORMATS)} or table")
        prefixes = PREFIXES if format_name in ("turtle", "rdfxml") else None
        writer = _LastByte(out)
        if format_name == "rdfxml":  # checked whole: RDF/XML cannot name every property
            triples = list(results)
            if (unwritable := unwritable_property(triples)) is not None:
                raise ValueError(f"RDF/XML cannot write the property <{unwritable}>; choose turtle, ntriples or jsonld")
            pyoxigraph.serialize(triples, writer, format=RdfFormat.RDF_XML, prefixes=prefixes)
        else:
            pyoxigraph.serialize(results, writer, format=GRAPH_FORMATS[format_name], prefixes=prefixes)
    elif format_name not in RESULT_FORMATS:
        raise ValueError(f"a SELECT or ASK result is printed as {', '.join(RESULT_FORMATS)} or table")
    else:
        writer = _LastByte(out)
        results.serialize(writer, format=RESULT_FORMATS[format_name])
    if writer.last not in (b"", b"\n"):
        out.write(b"\n")


class _LastByte:
    """A binary output that remembers the last byte written to it."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self.last = b""

    def write(self, data: bytes) -> int:
        if data:
            self.last = data[-1:]
        return self._out.write(data)

    def flush(self) -> None:
        self._out.flush()


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
