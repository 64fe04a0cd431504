"""`/search` over the real export sample: the page (form, ranked results, snippets, facets that
narrow, in English, Spanish and French), the JSON and CSV API with the shapes of `kg search`,
pagination, errors, and the search box on every page.

Expected hits were checked in the workbook: the texts that hold a form of "migración" are the
titles of evaluations 1762, 1941, 2020 and 2108 and the descriptions of good practices 166499,
166511, 166515 and 166519; the lessons learned whose description has the phrase "social
protection" are 223465, 239420, 1148409, 1148414 and 1148419.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from kg.search.index import FACETS, index_path
from kg.search.output import CSV_COLUMNS, as_json
from kg.search.searching import SearchIndex, SearchRequest
from kg.settings import Settings
from kg.store import StoreDirectory
from server.app import create_app
from tests.linked_data.conftest import BASE

JSON = {"Accept": "application/json"}
HTML = {"Accept": "text/html"}
MIGRATION = {f"{BASE}evaluation/{n}" for n in (1762, 1941, 2020, 2108)} | {
    f"{BASE}good-practice/{n}" for n in (166499, 166511, 166515, 166519)}
SOCIAL_PROTECTION_LESSONS = {f"{BASE}lesson/{n}" for n in (223465, 239420, 1148409, 1148414, 1148419)}
AFRICA = f"{BASE}region/africa"


def found(client, **params) -> dict:
    response = client.get("/search", query_string=params, headers=JSON)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def iris(document: dict) -> list[str]:
    return [hit["iri"] for hit in document["results"]]


def test_accents_and_case_do_not_matter(real_client) -> None:
    for text in ("migracion", "MIGRACIÓN", "Migración"):
        document = found(real_client, q=text)
        assert set(iris(document)) == MIGRATION and document["total"] == 8, text
        scores = [hit["score"] for hit in document["results"]]
        assert scores == sorted(scores, reverse=True) and scores[-1] > 0


def test_the_json_is_kg_searchs_with_the_neighbouring_pages(real_client, real_store) -> None:
    response = real_client.get("/search?q=migracion&per_page=3", headers=JSON)
    assert response.headers["Content-Type"] == "application/json"
    document = response.get_json()
    request = SearchRequest("migracion", limit=3)
    expected = as_json(request, SearchIndex(index_path(real_store.live_generation())).search(request))
    assert {k: v for k, v in document.items() if k not in ("next", "prev")} == expected
    assert set(document) == {"query", "total", "offset", "limit", "results", "facets", "next", "prev"}
    assert set(document["results"][0]) == {"iri", "kind", "score", "label", "snippet", "language", "field"}
    assert set(document["facets"]) == set(FACETS)
    assert "<mark>" in document["results"][0]["snippet"]
    assert document["prev"] is None
    assert document["next"] == "http://127.0.0.1:8000/search?q=migracion&page=2&per_page=3"


def test_csv_has_a_header_and_a_row_per_hit(real_client) -> None:
    response = real_client.get("/search?q=migracion&format=csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, 9)]
    assert {row[1] for row in rows[1:]} == MIGRATION
    assert [row[1] for row in rows[1:]] == iris(found(real_client, q="migracion"))
    assert all("<mark>" not in row[7] and re.search("migraci[oó]n", row[7], re.I) for row in rows[1:])
    by_accept = real_client.get("/search?q=migracion", headers={"Accept": "text/csv"})
    assert by_accept.data == response.data


def test_facets_narrow_the_results_to_their_counts(real_client) -> None:
    everything = found(real_client, q='"social protection"', per_page=100)
    assert everything["total"] == 30
    for facet in ("kind", "region", "theme", "year", "response"):
        value = everything["facets"][facet][0]
        narrowed = found(real_client, q='"social protection"', per_page=100, **{facet: value["value"]})
        assert narrowed["total"] == value["count"], (facet, value)
        assert set(iris(narrowed)) < set(iris(everything))
        assert next(v for v in narrowed["facets"][facet] if v["value"] == value["value"])["count"] == value["count"]

    lessons = found(real_client, q='"social protection"', kind="lesson")
    assert set(iris(lessons)) == SOCIAL_PROTECTION_LESSONS
    # a chosen facet is counted among the hits of the other choices: every kind, as without one
    assert lessons["facets"]["kind"] == everything["facets"]["kind"]
    assert {"value": "lesson", "count": 5, "label": "lesson"} in lessons["facets"]["kind"]


def test_values_of_a_facet_are_ored_and_facets_anded(real_client) -> None:
    search = '"social protection"'
    africa, arab = (set(iris(found(real_client, q=search, region=f"{BASE}region/{r}", per_page=100)))
                    for r in ("africa", "arab-states"))
    both = found(real_client, q=search, region=[AFRICA, f"{BASE}region/arab-states"], per_page=100)
    assert set(iris(both)) == africa | arab and africa and arab
    lessons_in_africa = found(real_client, q=search, region=AFRICA, kind="lesson")
    assert set(iris(lessons_in_africa)) == africa & SOCIAL_PROTECTION_LESSONS == {f"{BASE}lesson/223465",
                                                                                 f"{BASE}lesson/239420"}


def test_pages_follow_one_another(real_client) -> None:
    whole = iris(found(real_client, q='"social protection"', per_page=30))
    pages, url = [], "/search?q=%22social+protection%22&per_page=7"
    while url:
        document = real_client.get(url, headers=JSON).get_json()
        pages.append(iris(document))
        url = document["next"]
    assert [len(page) for page in pages] == [7, 7, 7, 7, 2]
    assert sum(pages, []) == whole
    last = found(real_client, q='"social protection"', per_page=7, page=5)
    assert parse_qs(urlsplit(last["prev"]).query) == {"q": ['"social protection"'], "page": ["4"], "per_page": ["7"]}
    beyond = found(real_client, q='"social protection"', per_page=7, page=9)
    assert beyond["results"] == [] and beyond["next"] is None and "page=5" in beyond["prev"]


@pytest.mark.parametrize("query, accept, status, message", [
    ("q=(social", JSON, 400, "search syntax error: a '(' is not closed"),
    ("q=-social", JSON, 400, "search syntax error: a search cannot only exclude"),
    ("", JSON, 400, "give the search in q="),
    ("format=csv", {}, 400, "give the search in q="),
    ("q=social&per_page=101", JSON, 400, "between 1 and 100 (the search_max_per_page setting)"),
    ("q=social&page=0", JSON, 400, "page='0'"),
    ("q=social&kind=person", JSON, 400, "kind='person' is no kind"),
    ("q=social&format=xml", JSON, 400, "format='xml' is not offered here"),
    ("q=social", {"Accept": "image/png"}, 406, "/search is available as application/json, text/html, text/csv"),
])
def test_errors_have_the_servers_one_shape(real_client, query, accept, status, message) -> None:
    response = real_client.get(f"/search?{query}", headers=accept)
    assert response.status_code == status
    if accept == JSON:
        error = response.get_json()["error"]
        assert error["status"] == status and message in error["message"], error
    else:
        assert response.get_data(as_text=True).startswith(f"{status} ") and message in response.get_data(as_text=True)


def test_the_page_without_a_search_is_the_form(real_client) -> None:
    response = real_client.get("/search", headers=HTML)
    assert response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    form = page.select_one("main form[role=search]")
    assert form["action"] == "/search" and form.select_one("input[name=q]")["value"] == ""
    assert page.select("ol.hits") == [] and page.select("aside.facets") == []


def test_a_search_that_does_not_parse_shows_why_on_the_page(real_client) -> None:
    response = real_client.get("/search?q=(social", headers=HTML)
    assert response.status_code == 400
    page = BeautifulSoup(response.data, "html.parser")
    assert "is not closed" in page.select_one(".search-error").get_text()
    assert page.select_one("main input[name=q]")["value"] == "(social"


def test_the_page_ranks_links_and_highlights(real_client) -> None:
    response = real_client.get("/search?q=migracion", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Link"] == (
        '</search?q=migracion&format=json>; rel="alternate"; type="application/json", '
        '</search?q=migracion&format=csv>; rel="alternate"; type="text/csv"')
    assert {"Accept", "Accept-Language"} <= set(response.vary)
    page = BeautifulSoup(response.data, "html.parser")
    hits = page.select("ol.hits li.hit")
    api = found(real_client, q="migracion")["results"]
    assert [hit.select_one(".hit-title a")["href"] for hit in hits] == [
        "/id/" + result["iri"].removeprefix(BASE) for result in api]
    assert [hit.select_one(".score").get_text() for hit in hits] == [f"{r['score']:.2f}" for r in api]
    assert {hit.select_one(".kind").get_text() for hit in hits} == {"Evaluation", "Good practice"}
    snippet = hits[0].select_one("p.snippet")
    assert [mark.get_text().lower() for mark in snippet.select("mark")][:1] == ["migración"]
    assert [child.name for child in snippet.find_all(True)] == ["mark"] * len(snippet.select("mark"))


def test_facet_links_narrow_and_chosen_values_can_be_removed(real_client) -> None:
    page = BeautifulSoup(real_client.get("/search?q=%22social+protection%22", headers=HTML).data, "html.parser")
    africa = next(a for a in page.select("section.facet[data-facet=region] a") if a.get_text() == "Africa")
    assert africa.find_next_sibling("small").get_text() == "3"
    narrowed = BeautifulSoup(real_client.get(africa["href"], headers=HTML).data, "html.parser")
    assert len(narrowed.select("ol.hits li.hit")) == 3
    chosen = narrowed.select_one("section.facet[data-facet=region] li.selected a")
    assert chosen.get_text() == "Africa" and chosen["aria-current"] == "true"
    assert narrowed.select_one("ul.selected li").get_text(" ", strip=True).startswith("Region: Africa")
    assert [(i["name"], i["value"]) for i in narrowed.select("main form input[type=hidden]")] == [("region", AFRICA)]
    removed = narrowed.select_one("ul.selected a.remove")["href"]
    assert parse_qs(urlsplit(removed).query) == {"q": ['"social protection"']}
    assert parse_qs(urlsplit(chosen["href"]).query) == {"q": ['"social protection"']}


@pytest.mark.parametrize("lang, words", [
    ("es", {"h1": "Buscar", "region": "Región", "kind": "Tipo", "evaluation": "Evaluación",
            "good-practice": "Buena práctica", "americas": "Américas", "language": "Idioma del texto"}),
    ("fr", {"h1": "Rechercher", "region": "Région", "kind": "Type", "evaluation": "Évaluation",
            "good-practice": "Bonne pratique", "americas": "Amériques", "language": "Langue du texte"}),
])
def test_the_page_speaks_spanish_and_french(real_client, lang, words) -> None:
    for headers, query in (({"Accept": "text/html", "Accept-Language": lang}, ""), (HTML, f"&lang={lang}")):
        page = BeautifulSoup(real_client.get(f"/search?q=migracion{query}", headers=headers).data, "html.parser")
        assert page.html["lang"] == lang
        assert page.select_one("h1").get_text() == words["h1"]
        headings = {s["data-facet"]: s.select_one("h3").get_text() for s in page.select("section.facet")}
        assert headings["region"] == words["region"] and headings["kind"] == words["kind"]
        assert headings["language"] == words["language"]
        kinds = [a.get_text() for a in page.select("section.facet[data-facet=kind] a")]
        assert kinds == [words["evaluation"], words["good-practice"]]
        assert [a.get_text() for a in page.select("section.facet[data-facet=region] a")] == [words["americas"]]
        links = [a["href"] for a in page.select(".hit-title a")]
        assert all(link.endswith(f"?lang={lang}") for link in links) == bool(query), links


def test_the_json_names_facet_values_in_the_readers_language(real_client) -> None:
    document = real_client.get("/search?q=migracion", headers={**JSON, "Accept-Language": "fr"}).get_json()
    assert document["facets"]["region"] == [{"value": f"{BASE}region/americas", "count": 8, "label": "Amériques"}]


def test_text_language_keeps_texts_in_that_language(real_client) -> None:
    english = found(real_client, q='"social protection"', language="en", per_page=100)
    assert english["total"] == 30 and {hit["language"] for hit in english["results"]} == {"en"}
    assert found(real_client, q='"social protection"', language="es")["total"] == 0
    spanish = found(real_client, q="migracion", language="es")
    assert set(iris(spanish)) == MIGRATION and {hit["language"] for hit in spanish["results"]} == {"es"}


def test_every_page_has_the_search_box(real_client) -> None:
    for path in ("/", "/id/evaluation/1762.html", "/browse/lessons", "/void.html", "/search?q=x"):
        page = BeautifulSoup(real_client.get(path, headers={"Accept": "text/html", "Accept-Language": "es"}).data,
                             "html.parser")
        box = page.select_one("header.site form.search-box[role=search]")
        assert box["action"] == "/search" and box["method"] == "get", path
        assert box.select_one("input[name=q]")["type"] == "search"
        assert box.select_one("button").get_text() == "Buscar"
    page = BeautifulSoup(real_client.get("/id/evaluation/1762.html?lang=fr").data, "html.parser")
    box = page.select_one("header.site form.search-box")
    assert [(i["name"], i["value"]) for i in box.select("input[type=hidden]")] == [("lang", "fr")]


def test_snippets_keep_the_texts_markup_as_text(injection_client) -> None:
    document = injection_client.get("/search?q=UNHCR", headers=JSON).get_json()
    snippet = document["results"][0]["snippet"]
    assert "&lt;img src=x onerror=alert('img')&gt;" in snippet and "<img" not in snippet
    page = injection_client.get("/search?q=UNHCR", headers=HTML).get_data(as_text=True)
    assert "<img" not in page and "<script>alert" not in page and "<mark>UNHCR</mark>" in page


def test_published_page_urls_start_with_public_url(real_store, tmp_path) -> None:
    app = create_app(Settings(store=str(real_store.path), dumps=str(tmp_path), public_url="https://kg.example.org/evalkg/"))
    document = app.test_client().get("/search?q=migracion&per_page=5", headers=JSON).get_json()
    assert document["next"] == "https://kg.example.org/evalkg/search?q=migracion&page=2&per_page=5"


def test_a_store_without_a_text_index_says_how_to_get_one(real_store, tmp_path) -> None:
    copy = tmp_path / "store"
    shutil.copytree(real_store.path, copy, ignore=shutil.ignore_patterns("LOCK"))
    index_path(StoreDirectory(copy).live_generation()).unlink()
    client = create_app(Settings(store=str(copy), dumps=str(tmp_path / "none"))).test_client()
    response = client.get("/search?q=migracion", headers=JSON)
    assert response.status_code == 503
    assert "has no text index; rebuild it with `kg build`" in response.get_json()["error"]["message"]
