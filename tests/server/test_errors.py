"""One error body shape for the whole server, pinned: JSON for clients that ask for it, else one text line."""

from __future__ import annotations

import pytest

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
    assert error["message"].startswith("query syntax error: error at 1:")
    assert set(response.json()) == {"error"} and set(error) == {"status", "title", "message"}


def test_too_large_body_has_the_same_shape(client) -> None:
    response = client.post("/sparql", content=b"#" * (2 * 1024 * 1024),
                           headers={"Content-Type": "application/sparql-query", **JSON})
    assert response.status_code == 413
    assert response.json()["error"]["title"] == "Request Entity Too Large"
