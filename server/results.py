"""SPARQL results written in the four W3C formats: JSON, XML, CSV and TSV.

The server writes them itself, rather than with pyoxigraph's serializer, so that it can stop at
the row cap and at the byte cap: pyoxigraph serializes a whole result set or nothing. Each format
is a head, one piece per row and a tail, so a body cut between two rows is still well-formed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolution, Triple

Term = NamedNode | BlankNode | Literal | Triple
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Row = Sequence[Term | None]
Pieces = tuple[str, Iterator[str], str]  # a results document: head, one piece per row, tail


def write_solutions(variables: Sequence[str], rows: Iterable[Row], format_name: str) -> bytes:
    """SELECT results (`rows` aligned with `variables`) in `json`, `xml`, `csv` or `tsv`."""
    return write_solutions_within(variables, rows, format_name, None)[0]


def write_solutions_within(variables: Sequence[str], rows: Iterable[Row], format_name: str,
                           max_bytes: int | None) -> tuple[bytes, bool]:
    """SELECT results in at most `max_bytes` bytes (None: any): the body, and whether rows were left out.

    Rows are written one at a time and the body stops before the first row that would pass the
    cap, so memory stays within the cap whatever the query asked for.
    """
    head, pieces, tail = _SOLUTION_WRITERS[format_name](variables, rows)
    body = bytearray(head.encode("utf-8"))
    closing = tail.encode("utf-8")
    for piece in pieces:
        encoded = piece.encode("utf-8")
        if max_bytes is not None and len(body) + len(encoded) + len(closing) > max_bytes:
            return bytes(body + closing), True
        body += encoded
    return bytes(body + closing), False


def write_boolean(value: bool, format_name: str) -> bytes:
    """An ASK result in `json`, `xml`, or in `csv` and `tsv` as Oxigraph (and `kg query`) writes it: the
    one word `true` or `false` on a line (the W3C formats define no ASK result)."""
    if format_name == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if format_name in ("csv", "tsv"):
        return str(value).lower().encode() + (b"\r\n" if format_name == "csv" else b"\n")
    return (
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n"
    ).encode()


def row_of(solution: QuerySolution, variables: Sequence[str]) -> Row:
    return [solution[name] for name in variables]


def _json_term(term: Term) -> dict:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    value: dict = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
        if term.direction is not None:
            value["its:dir"] = term.direction.value
    elif term.datatype.value != XSD_STRING:
        value["datatype"] = term.datatype.value
    return value


_json_string = json.encoder.encode_basestring  # as json.dumps(..., ensure_ascii=False) writes a string


def _json_term_text(term: Term) -> str:
    """`json.dumps(_json_term(term), ensure_ascii=False)`, written directly (a result's rows are most of its time)."""
    if isinstance(term, NamedNode):
        return '{"type": "uri", "value": ' + _json_string(term.value) + "}"
    if isinstance(term, Literal):
        value = '{"type": "literal", "value": ' + _json_string(term.value)
        if term.language:
            value += ', "xml:lang": ' + _json_string(term.language)
            if term.direction is not None:
                value += ', "its:dir": ' + _json_string(term.direction.value)
        elif (datatype := term.datatype.value) != XSD_STRING:
            value += ', "datatype": ' + _json_string(datatype)
        return value + "}"
    return json.dumps(_json_term(term), ensure_ascii=False)


def _write_json(variables: Sequence[str], rows: Iterable[Row]) -> Pieces:
    names = [_json_string(name) + ": " for name in variables]

    def pieces() -> Iterator[str]:
        for number, row in enumerate(rows):
            binding = ", ".join(name + _json_term_text(term) for name, term in zip(names, row, strict=True)
                                if term is not None)
            yield ("," if number else "") + "{" + binding + "}"

    head = json.dumps({"vars": list(variables)}).join(['{"head":', ',"results":{"bindings":['])
    return head, pieces(), "]}}\n"


def _xml_term(term: Term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _write_xml(variables: Sequence[str], rows: Iterable[Row]) -> Pieces:
    def pieces() -> Iterator[str]:
        for row in rows:
            yield "<result>" + "".join(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
                                       for name, term in zip(variables, row, strict=True) if term is not None) + "</result>"

    head = ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
            + "".join(f"<variable name={quoteattr(name)}/>" for name in variables) + "</head><results>")
    return head, pieces(), "</results></sparql>\n"


def _csv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Triple):
        return f"{_csv_term(term.subject)} {_csv_term(term.predicate)} {_csv_term(term.object)}"
    return term.value


def _write_csv(variables: Sequence[str], rows: Iterable[Row]) -> Pieces:
    def line(values: Iterable[str]) -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerow(values)
        return out.getvalue()

    return line(variables), (line([_csv_term(term) for term in row]) for row in rows), ""


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Triple):
        return f"<<( {_tsv_term(term.subject)} {_tsv_term(term.predicate)} {_tsv_term(term.object)} )>>"
    return str(term)


def _write_tsv(variables: Sequence[str], rows: Iterable[Row]) -> Pieces:
    head = "\t".join(f"?{name}" for name in variables) + "\n"
    return head, ("\t".join(_tsv_term(term) for term in row) + "\n" for row in rows), ""


_SOLUTION_WRITERS: dict[str, Callable[[Sequence[str], Iterable[Row]], Pieces]] = {"json": _write_json, "xml": _write_xml, "csv": _write_csv, "tsv": _write_tsv}
