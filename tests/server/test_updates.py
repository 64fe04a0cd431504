"""SPARQL Update and the Graph Store Protocol: writes only with the token, each one transaction."""

from __future__ import annotations

import shutil
import time

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse

from kg.settings import Settings
from kg.store import StoreDirectory
from server.app import create_app
from server.pool import get_pool
from tests.server.conftest import TOKEN, read_count, store_state

pytestmark = pytest.mark.slow

AUTH = {"Authorization": f"Bearer {TOKEN}"}
UPDATE = {"Content-Type": "application/sparql-update"}
GRAPH = "http://example.org/test/updates"
INSERT = f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://example.org/s> <http://example.org/p> "written" }} }}'


@pytest.fixture
def scratch_graph(client):
    """The test graph, removed again after the test."""
    yield GRAPH
    client.delete("/graph-store", params={"graph": GRAPH}, headers=AUTH)


@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401),
    ({"Authorization": "Bearer not-the-token"}, 401),
    ({"Authorization": f"Basic {TOKEN}"}, 401),
    ({"Authorization": "Bearer"}, 401),
    ({"Authorization": f"Bearer {TOKEN}x"}, 401),
])
def test_updates_without_the_token_are_refused_and_change_nothing(client, served_store, headers, status) -> None:
    before = store_state(served_store)
    direct = client.post("/sparql", content=INSERT, headers={**UPDATE, **headers})
    form = client.post("/sparql", data={"update": "CLEAR ALL"}, headers=headers)
    put = client.put("/graph-store", params={"graph": GRAPH}, content=b"<http://a> <http://b> <http://c> .",
                     headers={"Content-Type": "application/n-triples", **headers})
    delete = client.delete("/graph-store", params={"default": ""}, headers=headers)
    for response in (direct, form, put, delete):
        assert response.status_code == status, response.text
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert "token" in direct.text
    assert store_state(served_store) == before


def test_an_update_with_the_token_commits_a_new_generation(client, served_store, scratch_graph) -> None:
    generation_before, _ = store_state(served_store)
    response = client.post("/sparql", content=INSERT, headers={**UPDATE, **AUTH})
    assert response.status_code == 204, response.text
    assert store_state(served_store)[0] != generation_before
    found = client.get("/sparql", params={"query": 'ASK { <http://example.org/s> ?p "written" }'})
    assert found.json()["boolean"] is True  # the default graph, the merge of all graphs, follows at once
    client.post("/sparql", content=f"CLEAR GRAPH <{GRAPH}>", headers={**UPDATE, **AUTH})
    gone = client.get("/sparql", params={"query": 'ASK { <http://example.org/s> ?p "written" }'})
    assert gone.json()["boolean"] is False


@pytest.mark.parametrize("update", [
    'INSERT DATA { <http://example.org/s> <http://example.org/p> "straight into the default graph" }',
    f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://example.org/s> <http://example.org/p> 1 }} '
    '<http://example.org/s> <http://example.org/p> 2 }',
    "CLEAR DEFAULT",
    "DROP SILENT DEFAULT",
    "DELETE WHERE { ?e a ek:Evaluation }",
    "DELETE { ?e a ek:Evaluation } WHERE { ?e a ek:Evaluation }",
    f"INSERT {{ GRAPH <{GRAPH}> {{ ?e a ek:Thing }} ?e a ek:Thing }} WHERE {{ ?e a ek:Evaluation }}",
    f"ADD GRAPH <{GRAPH}> TO DEFAULT",
    f"MOVE DEFAULT TO <{GRAPH}>",
    "LOAD <{allowed}/data.ttl>",
])
def test_updates_of_the_default_graph_itself_are_refused(client, served_store, allowed_host, update: str) -> None:
    before = store_state(served_store)
    update = update.replace("{allowed}", allowed_host.url)
    response = client.post("/sparql", content=update, headers={**UPDATE, **AUTH})
    assert response.status_code == 400, response.text
    assert "merge of its named" in response.text and "write into a named graph" in response.text
    assert store_state(served_store) == before


def test_graph_store_writes_of_the_default_graph_are_405(client, served_store) -> None:
    before = store_state(served_store)
    for method in ("PUT", "POST", "DELETE"):
        response = client.request(method, "/graph-store", params={"default": ""}, content=b"",
                                  headers={"Content-Type": "text/turtle", **AUTH})
        assert response.status_code == 405
        assert response.headers["allow"] == "GET, HEAD"
    assert store_state(served_store) == before
    default = client.get("/graph-store", params={"default": ""}, headers={"Accept": "application/n-triples"})
    assert default.status_code == 200 and default.text


def test_a_failing_update_changes_nothing(client, served_store) -> None:
    before = store_state(served_store)
    response = client.post("/sparql", content=INSERT + " ; INSERT DATA { <broken", headers={**UPDATE, **AUTH})
    assert response.status_code == 400
    assert "update syntax error" in response.text
    assert store_state(served_store) == before


def test_update_relative_iris_resolve_against_the_dataset_base(client, served_store, scratch_graph) -> None:
    update = f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <evaluation/999999> <http://example.org/p> "x" }} }}'
    assert client.post("/sparql", content=update, headers={**UPDATE, **AUTH}).status_code == 204
    base = Settings().base_iri
    assert read_count(served_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ <{base}evaluation/999999> ?p ?o }}") == 1


def test_using_graph_uri_sets_the_update_dataset(client, served_store, scratch_graph) -> None:
    some_graph = next(iter(served_store.open_read_only().named_graphs())).value
    update = (f"INSERT {{ GRAPH <{GRAPH}> {{ ?e a <http://example.org/Seen> }} }} "
              "WHERE { ?e a ek:Evaluation }")
    response = client.post("/sparql", params={"using-graph-uri": some_graph}, content=update,
                           headers={**UPDATE, **AUTH})
    assert response.status_code == 204, response.text
    expected = read_count(served_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{some_graph}> "
                                        "{ ?e a ek:Evaluation } }")
    seen = read_count(served_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> "
                                    "{ ?e a <http://example.org/Seen> } }")
    assert seen == expected


def test_graph_store_reading_is_open(client, served_store) -> None:
    graph = next(iter(served_store.open_read_only().named_graphs())).value
    response = client.get("/graph-store", params={"graph": graph}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    stored = len(list(served_store.open_read_only().quads_for_pattern(None, None, None, NamedNode(graph))))
    assert len(list(parse(response.content, format=RdfFormat.N_TRIPLES))) == stored
    turtle = client.get("/graph-store", params={"graph": graph})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert client.head("/graph-store", params={"graph": graph}).status_code == 200
    missing = client.get("/graph-store", params={"graph": "http://example.org/none"})
    assert missing.status_code == 404


def test_graph_store_put_post_get_delete(client, scratch_graph) -> None:
    params = {"graph": GRAPH}
    turtle = {"Content-Type": "text/turtle", **AUTH}
    created = client.put("/graph-store", params=params, headers=turtle,
                         content=b"@prefix ex: <http://example.org/> . ex:a ex:p 1 . ex:a ex:p 2 .")
    assert created.status_code == 201, created.text
    replaced = client.put("/graph-store", params=params, headers=turtle,
                          content=b"<http://example.org/a> <http://example.org/p> 3 .")
    assert replaced.status_code == 204
    added = client.post("/graph-store", params=params, headers={"Content-Type": "application/n-triples", **AUTH},
                        content=b"<http://example.org/a> <http://example.org/p> \"4\" .")
    assert added.status_code == 204
    read = client.get("/graph-store", params=params, headers={"Accept": "application/n-triples"})
    assert sorted(t.object.value for t in parse(read.content, format=RdfFormat.N_TRIPLES)) == ["3", "4"]
    relative = client.post("/graph-store", params=params, headers=turtle, content=b"<a> <b> <c> .")
    assert relative.status_code == 204
    assert client.get("/sparql", params={"query": f"ASK {{ <{GRAPH.rpartition('/')[0]}/a> ?p ?o }}"}).json()["boolean"]
    assert client.delete("/graph-store", params=params, headers=AUTH).status_code == 204
    assert client.get("/graph-store", params=params).status_code == 404
    assert client.delete("/graph-store", params=params, headers=AUTH).status_code == 404


def test_graph_store_rejects_bad_uploads(client, served_store) -> None:
    before = store_state(served_store)
    params = {"graph": GRAPH}
    wrong_type = client.put("/graph-store", params=params, content=b"{}",
                            headers={"Content-Type": "text/plain", **AUTH})
    assert wrong_type.status_code == 415
    broken = client.put("/graph-store", params=params, content=b"<http://a> <http://b> .",
                        headers={"Content-Type": "application/n-triples", **AUTH})
    assert broken.status_code == 400
    assert "does not parse" in broken.text
    relative_graph = client.put("/graph-store", params={"graph": "relative/graph"}, content=b"",
                                headers={"Content-Type": "text/turtle", **AUTH})
    assert relative_graph.status_code == 400
    both = client.get("/graph-store", params={"graph": GRAPH, "default": ""})
    assert both.status_code == 400
    assert store_state(served_store) == before


def test_updates_are_disabled_without_a_configured_token(served_store) -> None:
    app = create_app(Settings(store=str(served_store.path), update_token=""))
    try:
        client = app.test_client()
        before = store_state(served_store)
        for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer anything"}):
            response = client.post("/sparql", data=INSERT, headers={**UPDATE, **headers})
            assert response.status_code == 403
            assert "updates are disabled" in response.get_data(as_text=True)
        put = client.put(f"/graph-store?graph={GRAPH}", data=b"", headers={"Content-Type": "text/turtle", **AUTH})
        assert put.status_code == 403
        assert store_state(served_store) == before
        assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    finally:
        get_pool(app).close()


def test_an_update_past_its_time_limit_is_stopped_and_rolled_back(tmp_path, served_store) -> None:
    store = tmp_path / "store"
    shutil.copytree(served_store.path, store, ignore=shutil.ignore_patterns("LOCK"))
    directory = StoreDirectory(store)
    app = create_app(Settings(store=str(store), update_token=TOKEN, update_timeout=2.0))
    try:
        client = app.test_client()
        before = store_state(directory)
        runaway = (f"INSERT {{ GRAPH <{GRAPH}> {{ ?a ?b ?c }} }} "
                   "WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(?c = ?f && ?f = ?i && ?a != ?d) }")
        started = time.monotonic()
        response = client.post("/sparql", data=runaway, headers={**UPDATE, **AUTH})
        assert response.status_code == 503
        assert "time limit of 2 s" in response.get_data(as_text=True)
        assert time.monotonic() - started < 6
        assert store_state(directory) == before
        again = client.post("/sparql", data=INSERT, headers={**UPDATE, **AUTH})  # the lock was released
        assert again.status_code == 204
        assert not list(store.glob("*.staging"))
    finally:
        get_pool(app).close()
