"""The server's limits, each hit on purpose against a `kg serve` started with small ones: what a
client sees (the status, the message naming the setting, the truncation header), and that the
server keeps answering afterwards."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

from kg.settings import Settings
from tests.server.running import Server, running_server

pytestmark = pytest.mark.slow

MAX_RESPONSE_MB = 0.05
QUERY_MEMORY_MB = 400  # an idle query process uses about 100 MB of data
CAP = int(MAX_RESPONSE_MB * 1024 * 1024)
LOOKUP = "ASK { ?e a ek:Evaluation }"
EVERYTHING = "SELECT * WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def limited(tmp_path_factory, served_store) -> Server:
    """`kg serve` with small limits, and no row cap to speak of."""
    workdir = tmp_path_factory.mktemp("limited")
    env = {"KG_MAX_ROWS": "1000000", "KG_MAX_RESPONSE_MB": str(MAX_RESPONSE_MB),
           "KG_QUERY_MEMORY_MB": str(QUERY_MEMORY_MB)}
    with running_server(served_store.path, workdir, "--workers", "1", "--query-timeout", "10", env=env) as running:
        yield running


@pytest.fixture
def http(limited: Server) -> httpx.Client:
    with httpx.Client(base_url=limited.url, timeout=60) as client:
        yield client


@pytest.mark.parametrize(("accept", "results_format"), [
    ("application/sparql-results+json", QueryResultsFormat.JSON),
    ("application/sparql-results+xml", QueryResultsFormat.XML),
    ("text/tab-separated-values", QueryResultsFormat.TSV),
    ("text/csv", None),
])
def test_a_select_is_cut_at_max_response_mb_and_says_so(http, accept, results_format) -> None:
    response = http.get("/sparql", params={"query": EVERYTHING}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["X-Evalkg-Truncated"] == "true"
    assert CAP * 0.9 < len(response.content) <= CAP
    if results_format is not None:  # what was sent is a whole document, cut between two rows
        assert len(list(parse_query_results(response.content, format=results_format))) > 10


@pytest.mark.parametrize(("accept", "rdf_format"), [
    ("text/turtle", RdfFormat.TURTLE), ("application/n-triples", RdfFormat.N_TRIPLES),
    ("application/rdf+xml", RdfFormat.RDF_XML), ("application/ld+json", RdfFormat.JSON_LD),
])
def test_a_construct_and_a_graph_store_read_are_cut_too(http, accept, rdf_format) -> None:
    for response in (http.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": accept}),
                     http.get("/graph-store", params={"default": ""}, headers={"Accept": accept})):
        assert response.status_code == 200, response.text
        assert response.headers["X-Evalkg-Truncated"] == "true"
        assert len(response.content) <= CAP
        assert len(list(parse(response.content, format=rdf_format))) > 10


def test_one_row_bigger_than_the_cap_leaves_an_empty_truncated_result(http) -> None:
    """The issue's case: a GROUP_CONCAT gave one value of 805 MB."""
    query = "SELECT (GROUP_CONCAT(STR(?o)) AS ?all) WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }"
    response = http.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    assert response.headers["X-Evalkg-Truncated"] == "true"
    assert response.json()["results"]["bindings"] == []


def test_a_response_under_the_cap_is_whole(http) -> None:
    response = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
    assert response.status_code == 200 and "X-Evalkg-Truncated" not in response.headers
    assert len(response.json()["results"]["bindings"]) == 5


def test_a_query_past_query_memory_mb_is_stopped_and_the_server_keeps_serving(http) -> None:
    """The issue's query grew one query process by 350 MB/s, to 7.7 GB in 22 s."""
    hungry = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 5"
    for _ in range(2):  # the process that ran out is replaced, and its replacement is capped too
        response = http.get("/sparql", params={"query": hungry}, headers={"Accept": "application/json"})
        assert response.status_code == 503, response.text
        assert f"query_memory_mb = {QUERY_MEMORY_MB} MB" in response.json()["error"]["message"]
        lookup = http.get("/sparql", params={"query": LOOKUP})
        assert lookup.status_code == 200 and lookup.json()["boolean"] is True


# Each limit and how docs/limits.md gives its default.
LIMITS = {"max_body_kb": "1024", "max_rows": "10000", "max_response_mb": "50", "query_timeout": "30",
          "update_timeout": "120", "max_nesting": "1000", "query_memory_mb": "half the machine's memory"}


@pytest.mark.parametrize(("name", "default"), LIMITS.items())
def test_every_limit_is_documented_with_its_default(name: str, default: str) -> None:
    docs = (Path(__file__).parents[2] / "docs" / "limits.md").read_text("utf-8")
    readme = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
    row = next((line for line in docs.splitlines()  # the row whose setting column names it
                if line.startswith("|") and line.split("|")[2].strip() == f"`{name}`"), "")
    assert default in row.replace(",", ""), f"docs/limits.md has no row for {name} with its default {default}"
    if default[0].isdigit():
        assert f"{getattr(Settings(), name):g}" == default
    assert f"KG_{name.upper()}" in readme
