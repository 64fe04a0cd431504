"""The safety features against a running server: the hard time limit, and SERVICE/LOAD refused
unless their host is on the allow-list (a loopback port that records hits proves no request left)."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tests.server.conftest import QUERY_TIMEOUT, TOKEN, store_state

pytestmark = pytest.mark.slow

# Over the sample store (~10^4 triples) this needs ~10^12 steps, inside one pyoxigraph call.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SIMPLE = "ASK { ?e a ek:Evaluation }"


def test_a_runaway_query_is_cut_at_the_limit_while_others_are_answered(server) -> None:
    outcome: dict[str, object] = {}

    def run_away() -> None:
        started = time.monotonic()
        with httpx.Client(timeout=60) as other:
            outcome["response"] = other.post(server.endpoint, data={"query": RUNAWAY})
        outcome["seconds"] = time.monotonic() - started

    runaway = threading.Thread(target=run_away)
    runaway.start()
    time.sleep(0.5)
    with httpx.Client(timeout=60) as client:
        for _ in range(3):
            started = time.monotonic()
            answer = client.get(server.endpoint, params={"query": SIMPLE})
            assert answer.status_code == 200 and answer.json()["boolean"] is True
            assert time.monotonic() - started < QUERY_TIMEOUT / 2
        assert "response" not in outcome  # the runaway was still running meanwhile
    runaway.join(timeout=30)
    response = outcome["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503
    assert f"time limit of {QUERY_TIMEOUT:g} s" in response.text
    assert QUERY_TIMEOUT <= outcome["seconds"] < QUERY_TIMEOUT + 5
    with httpx.Client(timeout=60) as client:  # the killed query process was replaced
        for _ in range(6):
            assert client.get(server.endpoint, params={"query": SIMPLE}).status_code == 200


def _queries_naming(url: str) -> list[str]:
    host_port = url.removeprefix("http://")
    escaped = "".join(f"\\u{ord(c):04X}" for c in url)
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"PREFIX remote: <{url}/> SELECT * WHERE {{ SERVICE remote:sparql {{ ?s ?p ?o }} }}",
        f"PREFIX : <{url}/> SELECT * WHERE {{ SERVICE:sparql {{ ?s ?p ?o }} }}",
        f"PREFIX s: <{url}/> SELECT * WHERE {{ services:parql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICESILENT<{url}/sparql> {{ ?s ?p ?o }} }}",
        f"BASE <{url}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <//{host_port}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{escaped}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?x {{ <{url}/sparql> }} SERVICE ?x {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o = 'x') SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o . FILTER(true)SERVICE<{url}/sparql>{{}} }}",
    ]


def test_service_to_a_host_off_the_allow_list_is_refused_and_never_contacted(client, forbidden_host) -> None:
    for query in _queries_naming(forbidden_host.url):
        for response in (client.get("/sparql", params={"query": query}),
                         client.post("/sparql", data={"query": query})):
            assert response.status_code == 403, (query, response.text)
            assert "refused" in response.text
    time.sleep(0.2)
    assert forbidden_host.hits == []


def test_load_and_service_in_updates_are_refused_too(client, served_store, forbidden_host) -> None:
    url = forbidden_host.url
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    before = store_state(served_store)
    for update in [
        f"LOAD <{url}/data.ttl> INTO GRAPH <http://example.org/g>",
        f"LOAD SILENT <{url}/data.ttl> INTO GRAPH <http://example.org/g>",
        f"CLEAR SILENT GRAPH <http://example.org/g> ; LOAD<{url}/data.ttl> INTO GRAPH <http://example.org/g>",
        f"PREFIX : <{url}/> LOAD:data.ttl INTO GRAPH <http://example.org/g>",
        f"INSERT {{ GRAPH <http://example.org/g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    ]:
        response = client.post("/sparql", content=update, headers=auth)
        assert response.status_code == 403, (update, response.text)
    time.sleep(0.2)
    assert forbidden_host.hits == []
    assert store_state(served_store) == before


def test_service_and_load_words_in_strings_and_comments_are_not_refused(client, forbidden_host) -> None:
    url = forbidden_host.url
    for query in [
        f'SELECT * WHERE {{ ?s ?p ?o FILTER(?o = "SERVICE <{url}/sparql> {{}}") }} LIMIT 1',
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o = '''LOAD <{url}/x>''') }} LIMIT 1",
        f"# SERVICE <{url}/sparql> {{ }}\nSELECT * WHERE {{ ?s ?p ?o }} LIMIT 1",
        f"SELECT ?service ?load WHERE {{ BIND(<{url}/service> AS ?service) BIND(1 AS ?load) }}",
        "SELECT * WHERE { ?s schema:serviceType ?o } LIMIT 1",
    ]:
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 200, (query, response.text)
    assert forbidden_host.hits == []


def test_service_to_an_allowed_host_is_made(client, allowed_host) -> None:
    hits = len(allowed_host.hits)
    query = f"SELECT * WHERE {{ SERVICE <{allowed_host.url}/sparql> {{ }} }}"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    assert len(allowed_host.hits) == hits + 1
