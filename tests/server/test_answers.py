"""Answers reused within a store generation (server.answers), against a real `kg serve`: ETag, 304,
Cache-Control, Vary, a new answer at once after a write, the cache's bound, and the limits kept."""

from __future__ import annotations

import pytest

from server.answers import CACHE_CONTROL, SHARE_OF_BOUND, Answer, AnswerCache
from tests.server.conftest import MAX_ROWS, QUERY_TIMEOUT, TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {"Accept": "application/sparql-results+json"}
GRAPH = "http://example.org/test/answers"
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"


def _count(response) -> int:  # type: ignore[no-untyped-def]
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.slow
def test_a_query_answer_has_an_etag_and_revalidates_with_304(client) -> None:
    first = client.get("/sparql", params={"query": "ASK { ?s a ek:Evaluation }"}, headers=JSON)
    assert first.status_code == 200 and first.headers["Cache-Control"] == CACHE_CONTROL
    assert first.headers["ETag"].startswith('W/"') and "Accept" in first.headers["Vary"]
    again = client.get("/sparql", params={"query": "ASK { ?s a ek:Evaluation }"},
                       headers={**JSON, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == first.headers["ETag"] and again.headers["Cache-Control"] == CACHE_CONTROL
    assert "Accept" in again.headers["Vary"]
    csv = client.get("/sparql", params={"query": "ASK { ?s a ek:Evaluation }"}, headers={"Accept": "text/csv"})
    assert csv.headers["ETag"] != first.headers["ETag"]  # another representation, another tag


@pytest.mark.slow
def test_pages_revalidate_and_vary_on_the_reader_s_language(client) -> None:
    english = client.get("/id/country/PER.html", headers={"Accept-Language": "en"})
    spanish = client.get("/id/country/PER.html", headers={"Accept-Language": "es"})
    assert english.status_code == spanish.status_code == 200
    assert english.headers["ETag"] != spanish.headers["ETag"] and english.text != spanish.text
    assert "Accept-Language" in english.headers["Vary"] and english.headers["Cache-Control"] == CACHE_CONTROL
    again = client.get("/id/country/PER.html", headers={"Accept-Language": "es", "If-None-Match": spanish.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.slow
def test_a_write_gives_the_new_answer_and_a_new_etag_at_once(client) -> None:
    before = client.get("/sparql", params={"query": COUNT}, headers=JSON)
    assert _count(before) == 0
    try:
        put = client.put("/graph-store", params={"graph": GRAPH}, content=b"<http://a> <http://b> <http://c> .",
                         headers={"Content-Type": "application/n-triples", **AUTH})
        assert put.status_code == 201 and "ETag" not in put.headers
        after = client.get("/sparql", params={"query": COUNT}, headers={**JSON, "If-None-Match": before.headers["ETag"]})
        assert after.status_code == 200 and _count(after) == 1 and after.headers["ETag"] != before.headers["ETag"]
    finally:
        client.delete("/graph-store", params={"graph": GRAPH}, headers=AUTH)
    assert _count(client.get("/sparql", params={"query": COUNT}, headers=JSON)) == 0


@pytest.mark.slow
def test_a_search_revalidates_and_finds_a_write_at_once(client) -> None:
    search = {"q": "zanzibarian", "format": "json"}
    before = client.get("/search", params=search)
    assert before.status_code == 200 and before.json()["total"] == 0
    assert before.headers["Cache-Control"] == CACHE_CONTROL
    assert client.get("/search", params=search, headers={"If-None-Match": before.headers["ETag"]}).status_code == 304
    lesson = "https://w3id.org/evalkg/id/lesson/990001"
    turtle = (f'<{lesson}> a <https://w3id.org/evalkg/ontology#LessonLearned> ;'
              ' <https://w3id.org/evalkg/ontology#text> "Zanzibarian cooperatives kept their records"@en .')
    try:
        put = client.put("/graph-store", params={"graph": GRAPH}, content=turtle.encode(),
                         headers={"Content-Type": "text/turtle", **AUTH})
        assert put.status_code == 201
        after = client.get("/search", params=search, headers={"If-None-Match": before.headers["ETag"]})
        assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
        assert [hit["iri"] for hit in after.json()["results"]] == [lesson]
    finally:
        client.delete("/graph-store", params={"graph": GRAPH}, headers=AUTH)
    assert client.get("/search", params=search).json()["total"] == 0


@pytest.mark.slow
def test_writes_posts_errors_and_volatile_queries_are_never_reused(client) -> None:
    posted = client.post("/sparql", data={"query": "ASK {}"}, headers=JSON)
    assert posted.status_code == 200 and "ETag" not in posted.headers
    refused = client.post("/sparql", content="CLEAR SILENT GRAPH <http://example.org/none>",
                          headers={"Content-Type": "application/sparql-update"})
    assert refused.status_code == 401 and "ETag" not in refused.headers
    broken = client.get("/sparql", params={"query": "SELEC *"}, headers=JSON)
    assert broken.status_code == 400 and "ETag" not in broken.headers
    now = [client.get("/sparql", params={"query": "SELECT (STRUUID() AS ?u) {}"}, headers=JSON) for _ in range(2)]
    assert "ETag" not in now[0].headers and now[0].json() != now[1].json()


@pytest.mark.slow
def test_limits_hold_for_reused_answers(client) -> None:
    """A cut answer is cut again, with its header; a runaway is stopped each time, never kept."""
    everything = "SELECT * WHERE { ?s ?p ?o }"
    for _ in range(2):
        cut = client.get("/sparql", params={"query": everything}, headers=JSON)
        assert cut.status_code == 200 and cut.headers["X-Evalkg-Truncated"] == "true"
        assert len(cut.json()["results"]["bindings"]) == MAX_ROWS
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    for _ in range(2):
        stopped = client.get("/sparql", params={"query": runaway}, headers=JSON)
        assert stopped.status_code == 503 and f"{QUERY_TIMEOUT:g} s" in stopped.text
        assert "ETag" not in stopped.headers


def test_the_cache_keeps_within_its_bound_and_drops_the_least_recently_used() -> None:
    cache = AnswerCache(64 * 1024)
    answers = {("key", i): Answer("200 OK", [("Content-Type", "text/plain")], b"x" * 2000) for i in range(100)}
    for key, answer in answers.items():
        cache.put(key, answer)
        assert cache.size <= cache.max_bytes
        cache.get(("key", 0))  # kept in use: never the one dropped
    assert ("key", 0) in cache._entries and cache.get(("key", 1)) is None and cache.get(("key", 99)) is not None
    assert cache.size == sum(size for _, size in cache._entries.values())
    cache.put(("big",), Answer("200 OK", [], b"x" * (cache.max_bytes // SHARE_OF_BOUND)))
    assert cache.get(("big",)) is None  # larger than its share of the bound: not kept
    cache.clear()
    assert cache.size == 0 and len(cache) == 0


def test_a_cache_of_no_memory_keeps_nothing() -> None:
    cache = AnswerCache(0)
    cache.put(("key",), Answer("200 OK", [], b""))
    assert len(cache) == 0 and cache.size == 0
