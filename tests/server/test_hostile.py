"""A hostile or careless client against a running server (issue 17): no request may starve the
server, no limit may be passed by changing the framing, and no write is ever cut short."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

import httpx
import pytest

from tests.server.conftest import TOKEN, read_count, store_state

pytestmark = pytest.mark.slow

LOOKUP = "ASK { ?e a ek:Evaluation }"
QUERY_TYPE = {"Content-Type": "application/sparql-query"}
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CAP = 1024 * 1024  # the server's max_body_kb (1024) in bytes
GRAPH = "http://example.org/test/hostile"


def _timed(client: httpx.Client, *args, **kwargs) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = client.request(*args, **kwargs)
    return response, time.monotonic() - started


def test_a_long_query_mentioning_load_is_read_in_linear_time(client) -> None:
    """The SERVICE/LOAD check tokenized `a.a.a...` in quadratic time, in the web worker: 57 s for this."""
    body = "#load\nASK { " + "a." * 56_000
    response, seconds = _timed(client, "POST", "/sparql", content=body, headers=QUERY_TYPE)
    assert response.status_code == 400, response.text
    assert seconds < 5


def test_many_such_queries_at_once_leave_a_lookup_answered(server) -> None:
    body = "#service\nASK { " + "a." * 20_000
    with httpx.Client(base_url=server.url, timeout=60) as client, ThreadPoolExecutor(8) as pool:
        attacks = [pool.submit(client.post, "/sparql", content=body, headers=QUERY_TYPE) for _ in range(8)]
        time.sleep(0.2)
        response, seconds = _timed(client, "GET", "/sparql", params={"query": LOOKUP})
        assert response.status_code == 200 and response.json()["boolean"] is True
        assert seconds < 5
        assert all(attack.result().status_code == 400 for attack in attacks)


def _chunks(body: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start:start + size]


def chunked(server, method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """Send `body` with `Transfer-Encoding: chunked` (no Content-Length); the status and body of the answer.

    A server may answer 413 and close before reading the whole body: a broken pipe while
    sending is then expected, and the answer is read all the same.
    """
    address = urlsplit(server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        try:
            connection.request(method, path, body=_chunks(body), headers=headers, encode_chunked=True)
        except (BrokenPipeError, ConnectionResetError):
            pass
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


def _ntriples(lines: int) -> bytes:
    return b"".join(b"<http://example.org/s%d> <http://example.org/p> \"line %d of the upload\" .\n" % (n, n)
                    for n in range(lines))


def test_a_chunked_query_over_the_cap_is_413_not_cut(server) -> None:
    body = ("ASK {}\n" + ("# " + "x" * 1021 + "\n") * 2048).encode()  # 2 MiB
    status, text = chunked(server, "POST", "/sparql", body, QUERY_TYPE)
    assert status == 413, text
    assert "max_body_kb" in text
    assert chunked(server, "POST", "/sparql", b"ASK {}", QUERY_TYPE)[0] == 200  # chunked itself is fine


def test_a_chunked_graph_store_put_over_the_cap_stores_nothing(server, served_store) -> None:
    lines = 32_768
    body = _ntriples(lines)
    assert len(body) > CAP
    before = store_state(served_store)
    status, text = chunked(server, "PUT", f"/graph-store?{urlencode({'graph': GRAPH})}", body,
                           {"Content-Type": "application/n-triples", **AUTH})
    assert status == 413, text
    assert store_state(served_store) == before


def test_a_chunked_graph_store_put_under_the_cap_stores_every_line(server, served_store) -> None:
    lines = 8_000
    body = _ntriples(lines)
    assert CAP / 2 < len(body) < CAP
    try:
        status, text = chunked(server, "PUT", f"/graph-store?{urlencode({'graph': GRAPH})}", body,
                               {"Content-Type": "application/n-triples", **AUTH})
        assert status == 201, text
        assert read_count(served_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}") == lines
    finally:
        httpx.delete(server.url + "/graph-store", params={"graph": GRAPH}, headers=AUTH)


def test_a_chunked_update_over_the_cap_applies_nothing(server, served_store) -> None:
    operations = 16_385
    body = " ;\n".join(f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://example.org/s{n}> <http://example.org/p> '
                       f'"operation {n}" }} }}' for n in range(operations)).encode()
    assert len(body) > CAP
    before = store_state(served_store)
    status, text = chunked(server, "POST", "/sparql", body, {"Content-Type": "application/sparql-update", **AUTH})
    assert status == 413, text
    assert store_state(served_store) == before


def test_a_chunked_form_over_the_cap_is_413(server, served_store) -> None:
    update = " ; ".join(f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://example.org/s{n}> <http://example.org/p> {n} }} }}'
                        for n in range(20_000))
    body = urlencode({"update": update}).encode()
    assert len(body) > CAP
    before = store_state(served_store)
    status, text = chunked(server, "POST", "/sparql", body,
                           {"Content-Type": "application/x-www-form-urlencoded", **AUTH})
    assert status == 413, text
    assert store_state(served_store) == before


@pytest.mark.parametrize("text", [
    "ASK " + "{" * 4000 + "}" * 4000,
    "ASK { FILTER(" + "(" * 2000 + "true" + ")" * 2000 + ") }",
    "ASK { FILTER(" + " || ".join(["true"] * 12_000) + ") }",
    "ASK { " + " UNION ".join(["{}"] * 12_000) + " }",
])
def test_deep_nesting_is_refused_before_the_engine_sees_it(client, server, text) -> None:
    """These crashed the query process (2,000-4,000 levels): a 500, a respawn, every query slowed."""
    replaced = server.log_text().count("stopped and replaced")
    response = client.post("/sparql", content=text, headers=QUERY_TYPE)
    assert response.status_code == 400, response.text
    assert "max_nesting" in response.text
    update = client.post("/sparql", content=f"INSERT {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ {text[4:]} }}",
                         headers={"Content-Type": "application/sparql-update", **AUTH})
    assert update.status_code == 400 and "max_nesting" in update.text
    assert server.log_text().count("stopped and replaced") == replaced  # no query process crashed


def test_nesting_within_the_limit_is_answered(client) -> None:
    for text in ("ASK " + "{" * 900 + "}" * 900, "ASK { FILTER(" + " || ".join(["false"] * 400) + ") }"):
        response = client.post("/sparql", content=text, headers=QUERY_TYPE)
        assert response.status_code == 200, response.text


def test_kg_query_refuses_deep_nesting_instead_of_crashing(served_store, tmp_path) -> None:
    """`kg query` at 10,000 levels exited 139 (a segmentation fault)."""
    query = tmp_path / "deep.rq"
    query.write_text("ASK " + "{" * 10_000 + "}" * 10_000)
    completed = subprocess.run([sys.executable, "-m", "kg.cli", "query", "--store", str(served_store.path),
                                f"@{query}"], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 1, completed
    assert "max_nesting" in completed.stderr


def test_an_error_message_quotes_at_most_a_few_hundred_characters(client) -> None:
    """A 400 echoed 1 MB of the body it refused."""
    form = {"query": "ASK {}", "default-graph-uri": "not an IRI " * 90_000}
    for headers in ({}, {"Accept": "application/json"}):
        response = client.post("/sparql", data=form, headers=headers)
        assert response.status_code == 400
        assert len(response.content) < 1000 and "more characters)" in response.text


def test_service_iris_are_judged_as_the_engine_reads_them(client, forbidden_host, allowed_host) -> None:
    """A bracketed host gave a 500 with a traceback; `http:////host/` was resolved against the request's host."""
    port = allowed_host.url.rsplit(":", 1)[1]
    bracketed = client.get("/sparql", params={"query": f"SELECT * {{ SERVICE <http://[127.0.0.1:{port}]:{port}/> {{}} }}"})
    assert bracketed.status_code == 400 and "is not a URL" in bracketed.text
    host_port = forbidden_host.url.removeprefix("http://")
    for iri in (f"http:////{host_port}/sparql", f"http:///{host_port}/sparql", f"http:{host_port}/sparql"):
        response = client.get("/sparql", params={"query": f"SELECT * {{ SERVICE <{iri}> {{}} }}"})
        assert response.status_code == 403, (iri, response.text)
    time.sleep(0.2)
    assert forbidden_host.hits == []
