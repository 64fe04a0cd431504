"""SPARQL results written in the four W3C formats: JSON, XML, CSV and TSV.

The server writes them itself, rather than with pyoxigraph's serializer, so that it can stop at
the row cap: pyoxigraph serializes a whole result set or nothing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolution, Triple

Term = NamedNode | BlankNode | Literal | Triple
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Row = Sequence[Term | None]


def write_solutions(variables: Sequence[str], rows: Iterable[Row], format_name: str) -> bytes:
    """SELECT results (`rows` aligned with `variables`) in `json`, `xml`, `csv` or `tsv`."""
    return _SOLUTION_WRITERS[format_name](variables, rows)


def write_boolean(value: bool, format_name: str) -> bytes:
    """An ASK result in `json` or `xml`."""
    if format_name == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
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


def _write_json(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    out = io.StringIO()
    out.write(json.dumps({"vars": list(variables)}).join(['{"head":', ',"results":{"bindings":[']))
    for number, row in enumerate(rows):
        binding = {name: _json_term(term) for name, term in zip(variables, row, strict=True) if term is not None}
        out.write(("," if number else "") + json.dumps(binding, ensure_ascii=False))
    out.write("]}}\n")
    return out.getvalue().encode("utf-8")


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


def _write_xml(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    out = io.StringIO()
    out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>')
    out.write("".join(f"<variable name={quoteattr(name)}/>" for name in variables))
    out.write("</head><results>")
    for row in rows:
        out.write("<result>")
        for name, term in zip(variables, row, strict=True):
            if term is not None:
                out.write(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        out.write("</result>")
    out.write("</results></sparql>\n")
    return out.getvalue().encode("utf-8")


def _csv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Triple):
        return f"{_csv_term(term.subject)} {_csv_term(term.predicate)} {_csv_term(term.object)}"
    return term.value


def _write_csv(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_term(term) for term in row])
    return out.getvalue().encode("utf-8")


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Triple):
        return f"<<( {_tsv_term(term.subject)} {_tsv_term(term.predicate)} {_tsv_term(term.object)} )>>"
    return str(term)


def _write_tsv(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    out = io.StringIO()
    out.write("\t".join(f"?{name}" for name in variables) + "\n")
    for row in rows:
        out.write("\t".join(_tsv_term(term) for term in row) + "\n")
    return out.getvalue().encode("utf-8")


_SOLUTION_WRITERS = {"json": _write_json, "xml": _write_xml, "csv": _write_csv, "tsv": _write_tsv}
