"""Finding SERVICE and LOAD targets in query text, and the allow-list, without a server."""

from __future__ import annotations

import pytest

from kg.namespaces import PREFIXES
from server.errors import Forbidden
from server.outbound import check_outbound, host_allowed, outbound_calls

BASE = "http://127.0.0.1:8000/sparql"


def targets(text: str) -> list[str | None]:
    return [call.iri for call in outbound_calls(text, BASE, PREFIXES)]


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT * { ?s ?p ?o }", []),
    ("SELECT * { SERVICE <http://a.example/sparql> { ?s ?p ?o } }", ["http://a.example/sparql"]),
    ("SELECT * { SERVICE SILENT <http://a.example/x> {} SERVICE <http://b.example/y> {} }",
     ["http://a.example/x", "http://b.example/y"]),
    ("PREFIX ex: <http://a.example/> SELECT * { SERVICE ex:sparql {} }", ["http://a.example/sparql"]),
    ("PREFIX ex: <http://a.example/> PREFIX ex: <http://b.example/> SELECT * { SERVICE ex:q {} }",
     ["http://b.example/q"]),
    ("BASE <http://a.example/dir/> SELECT * { SERVICE <../q> {} }", ["http://a.example/q"]),
    ("SELECT * { SERVICE <q> {} }", ["http://127.0.0.1:8000/q"]),
    ("SELECT * { SERVICE <//b.example/q> {} }", ["http://b.example/q"]),
    ("SELECT * { SERVICE <http:////b.example/q> {} }", ["http:////b.example/q"]),  # kept as written, as Oxigraph does
    ("SELECT * { SERVICE <http://\\u0061.example/q> {} }", ["http://a.example/q"]),
    ("PREFIX ex: <http://a.example/> SELECT * { SERVICE ex:a\\/b {} }", ["http://a.example/a/b"]),
    ("LOAD <http://a.example/d.ttl> INTO GRAPH <http://g>", ["http://a.example/d.ttl"]),
    ('SELECT * { ?s ?p "SERVICE <http://a.example/>" }', []),
    ("SELECT * { ?s ?p '''\nLOAD <http://a.example/>\n''' }", []),
    ("# SERVICE <http://a.example/>\nSELECT * {}", []),
    ("SELECT * { ?s <http://a.example/SERVICE> ?service ; schema:serviceType ?load }", []),
    ("SELECT * { ?s ex:p\\'x SERVICE <http://a.example/> {} }", ["http://a.example/"]),
])
def test_targets_are_found_in_code_only(text: str, expected: list[str]) -> None:
    assert targets(text) == expected


@pytest.mark.parametrize("text", [
    "SELECT * { VALUES ?x { <http://a.example/> } SERVICE ?x {} }",
    "SELECT * { SERVICESILENT<http://a.example/> {} }",  # pyoxigraph reads SERVICE SILENT
    "PREFIX : <http://a.example/> SELECT * { SERVICE:x {} }",  # read as SERVICE :x
    "PREFIX s: <http://a.example/> SELECT * { services:x {} }",  # read as SERVICE s:x
    "PREFIX : <http://a.example/> SELECT * { SERVICE SILENT:x {} }",
    "SELECT * { ?s ?p trueSERVICE <http://a.example/> {} }",
    "SELECT * { SERVICE undeclared:x {} }",
    "PREFIX ex: <http://ok.example/> PREFIXex:<http://a.example/> SELECT * { SERVICE ex:x {} }",
    "SELECT * { SERVICE {} }",
    "SELECT * { SERVICE <http://a.example/> {} } \\ ",  # not SPARQL at all: cannot be checked
])
def test_what_cannot_be_checked_is_refused(text: str) -> None:
    calls = outbound_calls(text, BASE, PREFIXES)
    assert calls and any(call.iri is None for call in calls)
    with pytest.raises(Forbidden):
        check_outbound(text, ("ok.example", "a.example"), BASE, PREFIXES)


@pytest.mark.parametrize(("iri", "allowlist", "allowed"), [
    ("http://a.example/sparql", ("a.example",), True),
    ("https://A.Example./sparql", ("a.example",), True),
    ("http://a.example:8080/sparql", ("a.example",), True),
    ("http://a.example:8080/sparql", ("a.example:8080",), True),
    ("http://a.example:8081/sparql", ("a.example:8080",), False),
    ("http://a.example/sparql", ("a.example:443",), False),
    ("https://a.example/sparql", ("a.example:443",), True),
    ("http://b.example/sparql", ("a.example",), False),
    ("http://a.example.evil/sparql", ("a.example",), False),
    ("http://a.example@evil.example/sparql", ("a.example",), False),
    ("http://evil.example#@a.example/", ("a.example",), False),
    ("ftp://a.example/x", ("a.example",), False),
    ("http://[::1]:8000/x", ("[::1]:8000",), True),
    ("http://127.0.0.1/x", (), False),
    ("http:////a.example/x", ("a.example",), False),  # no host as written, though a URL parser may find one
    ("http://[127.0.0.1:80]:80/x", ("127.0.0.1",), False),
])
def test_host_allowed(iri: str, allowlist: tuple[str, ...], allowed: bool) -> None:
    assert host_allowed(iri, allowlist) is allowed


def test_check_outbound_messages_name_the_fix() -> None:
    with pytest.raises(Forbidden, match="--allow-service"):
        check_outbound("SELECT * { SERVICE <http://a.example/> {} }", (), BASE, PREFIXES)
    with pytest.raises(Forbidden, match=r"not on the allow-list \(b.example\)"):
        check_outbound("SELECT * { SERVICE <http://a.example/> {} }", ("b.example",), BASE, PREFIXES)
    check_outbound("SELECT * { SERVICE <http://b.example/> {} }", ("b.example",), BASE, PREFIXES)
