"""Full-text search through a real `kg serve` over the bundled sample (the export sample and the
seed page): `/search` answered by gunicorn's workers and their query processes, the index inside
SPARQL queries (through `/sparql` and SPARQLWrapper), and the search page driven in headless
Chromium: type in the header's box, narrow by a facet, follow a result.

Expected hits were checked in the workbook and the seed page: the texts that hold a form of
"migración" are the titles of evaluations 1762, 1941, 2020, 2108 and 3471 (the seed's), the
descriptions of good practices 166499, 166511, 166515 and 166519, and recommendation 16089's
text; of those evaluations, 1762 and 3471 cover Peru.
"""

from __future__ import annotations

import re

import httpx
import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import JSON, SPARQLWrapper

from tests.server.running import Server

pytestmark = pytest.mark.slow

ID = "https://w3id.org/evalkg/id/"
RESULTS_JSON = {"Accept": "application/sparql-results+json"}
MIGRATION = ({f"{ID}evaluation/{n}" for n in (1762, 1941, 2020, 2108, 3471)}
             | {f"{ID}good-practice/{n}" for n in (166499, 166511, 166515, 166519)} | {f"{ID}recommendation/16089"})
IN_PERU = f"""SELECT ?evaluation ?score ?snippet WHERE {{
  ?evaluation ek:coversCountry <{ID}country/PER> .
  BIND(ek:score(?evaluation, "migracion") AS ?score)
  FILTER(BOUND(?score))
  BIND(ek:snippet(?evaluation, "migracion") AS ?snippet)
}} ORDER BY DESC(?score)"""


@pytest.fixture
def server(bundled_server: Server) -> Server:
    return bundled_server


def test_search_api_through_the_server(server) -> None:
    response = httpx.get(server.url + "/search", params={"q": "migracion", "per_page": 4})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    first = response.json()
    assert first["total"] == 10
    rest = httpx.get(first["next"]).json()
    last = httpx.get(rest["next"]).json()
    assert last["next"] is None
    assert {hit["iri"] for page in (first, rest, last) for hit in page["results"]} == MIGRATION
    csv = httpx.get(server.url + "/search", params={"q": "migracion"}, headers={"Accept": "text/csv"})
    assert csv.text.splitlines()[0] == "rank,iri,kind,score,label,language,field,snippet"
    assert len(csv.text.splitlines()) == 11
    error = httpx.get(server.url + "/search", params={"q": "social)"}, headers={"Accept": "application/json"})
    assert error.status_code == 400 and error.json()["error"]["message"].startswith("search syntax error: ")


def _rows(bindings: list[dict]) -> list[tuple[str, str]]:
    return [(row["evaluation"]["value"], row["snippet"]["value"]) for row in bindings]


def test_sparql_joins_the_index_with_the_graph(server) -> None:
    response = httpx.post(server.endpoint, data={"query": IN_PERU}, headers=RESULTS_JSON)
    assert response.status_code == 200, response.text
    bindings = response.json()["results"]["bindings"]
    assert {row["evaluation"]["value"] for row in bindings} == {f"{ID}evaluation/1762", f"{ID}evaluation/3471"}
    scores = [float(row["score"]["value"]) for row in bindings]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0
    assert all(row["score"]["datatype"] == "http://www.w3.org/2001/XMLSchema#double" for row in bindings)
    assert all(re.search(r"<mark>migraci[oó]n</mark>", snippet, re.I) for _, snippet in _rows(bindings))

    client = SPARQLWrapper(server.endpoint)
    client.setQuery(IN_PERU)
    client.setReturnFormat(JSON)
    assert _rows(client.query().convert()["results"]["bindings"]) == _rows(bindings)


def test_a_search_that_does_not_parse_fails_the_query(server) -> None:
    query = 'SELECT ?e WHERE { ?e a ek:Evaluation FILTER(ek:matches(?e, "(migracion")) }'
    response = httpx.get(server.endpoint, params={"query": query}, headers=RESULTS_JSON)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "a search in the query failed: a '(' is not closed: add the ')'"


def test_the_service_description_lists_the_search_functions(server) -> None:
    graph = Graph().parse(data=httpx.get(server.endpoint, headers={"Accept": "text/turtle"}).text, format="turtle")
    functions = set(graph.objects(URIRef(server.endpoint),
                                  URIRef("http://www.w3.org/ns/sparql-service-description#extensionFunction")))
    assert functions == {URIRef(f"https://w3id.org/evalkg/ontology#{name}") for name in ("score", "matches", "snippet")}


def test_search_narrow_and_follow_in_a_browser(browser, server) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    elsewhere: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(server.url) else elsewhere.append(request.url))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    page.goto(server.url + "/")
    box = page.locator("header.site form.search-box input[name=q]")
    box.fill("social protection")
    box.press("Enter")
    page.wait_for_url(re.compile(re.escape(server.url) + r"/search\?q=social\+protection$"))
    expected = httpx.get(server.url + "/search", params={"q": "social protection", "per_page": 100}).json()
    assert page.locator("main input[name=q]").input_value() == "social protection"
    hits = page.locator("ol.hits li.hit")
    assert hits.count() == min(expected["total"], 20) > 0
    assert page.locator("ol.hits li.hit mark").count() > 0

    lessons = next(v for v in expected["facets"]["kind"] if v["value"] == "lesson")
    facet = page.locator("section.facet[data-facet=kind] li", has_text="Lesson learned")
    assert facet.locator("small.count").inner_text() == str(lessons["count"])
    facet.locator("a").click()
    page.wait_for_url(re.compile(r"kind=lesson"))
    assert hits.count() == lessons["count"]
    assert set(hits.locator(".kind").all_text_contents()) == {"Lesson learned"}
    assert page.locator("ul.selected li").inner_text().startswith("Kind: Lesson learned")

    first = hits.first.locator(".hit-title a")
    href, label = first.get_attribute("href"), first.inner_text()
    assert re.fullmatch(r"/id/lesson/\d+", href), href
    first.click()
    page.wait_for_url(re.compile(re.escape(server.url + href) + r"(\.html)?$"))
    assert page.locator("main").inner_text().replace("\n", " ").find(label.rstrip("…")[:40]) >= 0
    assert page.locator("header.site form.search-box").count() == 1

    assert elsewhere == [] and problems == []
    page.close()
