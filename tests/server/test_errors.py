"""One error body shape for the whole server, pinned: JSON for clients that ask for it, else one text line."""

from __future__ import annotations

import pytest

from tests.server.conftest import TOKEN

pytestmark = pytest.mark.slow

JSON = {"Accept": "application/json"}


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "title", "message"), [
    ("GET", "/sparql", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "Bad Request",
     "a request carries one query, not 2"),
    ("POST", "/sparql", {"content": "ASK {}", "headers": {"Content-Type": "text/plain"}}, 415,
     "Unsupported Media Type",
     "a POST to the endpoint needs Content-Type application/x-www-form-urlencoded, application/sparql-query or "
     "application/sparql-update; this one has Content-Type text/plain"),
    ("DELETE", "/sparql", {}, 405, "Method Not Allowed",
     "DELETE is not allowed on /sparql; use GET, HEAD, OPTIONS, POST"),
    ("GET", "/no/such/page", {}, 404, "Not Found", "nothing at /no/such/page"),
    ("GET", "/graph-store", {}, 400, "Bad Request",
     "name one graph: ?graph=IRI for a named graph, or ?default for the default graph (the whole dataset is at "
     "/dumps/)"),
])
def test_error_body_shape(client, method, path, kwargs, status, title, message) -> None:
    headers = kwargs.pop("headers", {})
    as_json = client.request(method, path, headers={**headers, **JSON}, **kwargs)
    assert as_json.status_code == status
    assert as_json.headers["content-type"] == "application/json; charset=utf-8"
    assert as_json.json() == {"error": {"status": status, "title": title, "message": message}}
    as_text = client.request(method, path, headers=headers, **kwargs)
    assert as_text.status_code == status
    assert as_text.headers["content-type"] == "text/plain; charset=utf-8"
    assert as_text.text == f"{status} {title}: {message}\n"


def test_errors_from_the_query_process_have_the_same_shape(client) -> None:
    response = client.get("/sparql", params={"query": "ASK {"}, headers=JSON)
    error = response.json()["error"]
    assert (error["status"], error["title"]) == (400, "Bad Request")
    assert error["message"].startswith("query syntax error: the query ends too early, at line 1, column 6; "
                                       "'{' at line 1, column 5 is not closed: expected ")
    assert set(response.json()) == {"error"} and set(error) == {"status", "title", "message"}


@pytest.mark.parametrize(("query", "message"), [
    ("SELEC *", "query syntax error: unknown keyword SELEC at line 1, column 1"),
    ("SELECT * WHERE {\n  ?s foo:bar ?o }", "query syntax error: unknown prefix foo: in foo:bar at line 2, column 6; "
     "declare it with PREFIX foo: <...> (predeclared: dcat, dcterms, ek, org, owl, prov, rdf, rdfs, schema, skos, "
     "void, xsd)"),
    ("SELECT ?s WHERE { ?s a ek:Evaluation } LIMT 1",
     "query syntax error: unknown keyword LIMT at line 1, column 40"),
])
@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/json",
                                    "application/sparql-results+json, application/json, text/javascript"])
def test_a_syntax_error_says_where_and_what_in_words_in_json_for_json_clients(client, query, message, accept) -> None:
    """SPARQLWrapper and rdflib ask for application/sparql-results+json: they get the JSON error body."""
    response = client.post("/sparql", data={"query": query}, headers={"Accept": accept})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == {"error": {"status": 400, "title": "Bad Request", "message": message}}
    assert "Accept" in response.headers["vary"]


def test_an_update_syntax_error_says_where_in_words(client) -> None:
    response = client.post("/sparql", data={"update": "INSRT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }"},
                           headers={"Authorization": f"Bearer {TOKEN}", **JSON})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "update syntax error: unknown keyword INSRT at line 1, column 1"


def test_too_large_body_has_the_same_shape(client) -> None:
    response = client.post("/sparql", content=b"#" * (2 * 1024 * 1024),
                           headers={"Content-Type": "application/sparql-query", **JSON})
    assert response.status_code == 413
    assert response.json()["error"]["title"] == "Request Entity Too Large"
