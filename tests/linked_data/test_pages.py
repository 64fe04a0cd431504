"""The HTML pages: resource pages with their links, languages, browse pages with paging, escaping."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from kg.namespaces import EK
from kg.settings import Settings
from server.app import create_app
from server.ld import description

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _page(client, path: str, **headers: str) -> BeautifulSoup:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.data, "html.parser")


def _hrefs(page: BeautifulSoup) -> set[str]:
    return {a["href"] for a in page.find_all("a", href=True)}


def test_an_evaluation_links_to_its_recommendations_projects_and_places(client):
    page = _page(client, "/id/evaluation/3471.html")
    assert page.h1.get_text(strip=True).startswith("Evaluación agrupada final")
    assert page.h1["lang"] == "es"
    links = _hrefs(page)
    assert {"/id/recommendation/16089", "/id/recommendation/16090", "/id/project/RLA-19-03-USA",
            "/id/country/PER", "/id/country/ECU", "/id/region/americas"} <= links
    assert "https://webapps.ilo.org/ievaldiscovery/eval/3471" in links
    assert "/browse/evaluations" in links  # its type
    assert {"/id/evaluation/3471.ttl", "/id/evaluation/3471.jsonld", "/id/evaluation/3471.nt",
            "/id/evaluation/3471.rdf"} <= links
    alternates = {link["type"]: link["href"] for link in page.find_all("link", rel="alternate")}
    assert alternates["text/turtle"] == "/id/evaluation/3471.ttl"


def test_a_recommendation_links_to_its_evaluation_agencies_project_and_unit(client):
    page = _page(client, "/id/recommendation/16089.html")
    links = _hrefs(page)
    assert {"/id/evaluation/3471", "/id/project/RLA-19-03-USA", "/id/unit/dwt-co-lima",
            "/id/organization/unhcr", "/id/organization/iom", "/id/response-status/completed"} <= links
    text = page.get_text(" ", strip=True)
    assert "Vinculado a Conclusión 7, 10 y 11" in text
    sections = [h2.get_text(strip=True) for h2 in page.find_all("h2")]
    assert sections.index("Identification") < sections.index("Content") < sections.index("Related")


def test_an_agency_lists_every_recommendation_naming_it(client, sample_store):
    page = _page(client, "/id/organization/unhcr.html")
    incoming = page.find("section", class_="incoming")
    naming = {a["href"] for a in incoming.find_all("a", href=True)}
    expected = {row["r"].value for row in sample_store.open_read_only().query(
        f"SELECT ?r WHERE {{ ?r <{EK.mentions.value}> <https://w3id.org/evalkg/id/organization/unhcr> }}")}
    assert {"/id/" + iri.split("/id/", 1)[1] for iri in expected} == naming
    assert len(naming) > 1


def test_a_large_fan_in_links_to_the_full_list(sample_store, sample_dumps, monkeypatch):
    # An app of its own, without reused answers: the shared app may hold this page as it was
    # with the limit unchanged, and rightly so within a generation.
    settings = Settings(store=str(sample_store.path), dumps=str(sample_dumps), answer_cache_mb=0)
    client = create_app(settings).test_client()
    monkeypatch.setattr(description, "INCOMING_LIMIT", 2)
    page = _page(client, "/id/organization/unhcr.html")
    more = page.find("a", class_="more")
    assert more is not None
    listing = _page(client, more["href"])
    items = listing.select("ol.members li a")
    assert len(items) > 2 and "/id/recommendation/16089" in {a["href"] for a in items}
    turtle = client.get("/id/organization/unhcr.ttl").get_data(as_text=True)
    assert "ek:mentions" not in turtle  # too many to include in the RDF description


@pytest.mark.parametrize("headers, query, language, title", [
    ({}, "", "en", "Office of the United Nations High Commissioner for Refugees"),
    ({"Accept-Language": "es-PE,es;q=0.9,en;q=0.5"}, "", "es", "Oficina del Alto Comisionado"),
    ({"Accept-Language": "fr-CH, fr;q=0.9"}, "", "fr", "Haut-Commissariat des Nations Unies"),
    ({"Accept-Language": "es"}, "?lang=fr", "fr", "Haut-Commissariat des Nations Unies"),
    ({"Accept-Language": "de, en;q=0.1"}, "", "en", "Office of the United Nations High Commissioner"),
    ({"Accept-Language": "es;q=0, fr;q=0.5"}, "", "fr", "Haut-Commissariat"),
])
def test_labels_follow_the_readers_language(client, headers, query, language, title):
    page = _page(client, "/id/organization/unhcr.html" + query, **headers)
    assert page.html["lang"] == language
    assert page.h1.get_text(strip=True).startswith(title)


def test_a_chosen_language_sticks_to_links(client):
    page = _page(client, "/id/recommendation/16089.html?lang=es")
    assert "/id/evaluation/3471?lang=es" in _hrefs(page)
    assert page.find("dt", title=EK.ofEvaluation.value).get_text(strip=True) == "de la evaluación"


def test_the_home_page_gives_figures_and_entry_points(client, sample_store):
    page = _page(client, "/")
    links = _hrefs(page)
    assert {"/browse/evaluations", "/browse/recommendations", "/browse/organizations", "/sparql", "/dumps/",
            "/void"} <= links
    evaluations = sample_store.open_read_only().query(
        f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a <{EK.Evaluation.value}> }}")
    count = next(iter(evaluations))["n"].value
    figure = page.find("a", href="/browse/evaluations").find("strong").get_text()
    assert figure == count


@pytest.mark.parametrize("kind", ["evaluations", "recommendations", "countries", "regions", "projects",
                                  "organizations", "units", "themes", "categories", "response-statuses",
                                  "progress-statuses"])
def test_every_kind_has_a_browse_page(client, kind):
    page = _page(client, f"/browse/{kind}")
    assert page.select("ol.members li a")


def test_browse_pages_are_paged_and_counted(client, sample_store):
    """However large the gazetteer grows, the pages together list every organization once, by name."""
    total = int(next(iter(sample_store.open_read_only().query(
        f"SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ ?o a <{EK.Organization.value}> }}")))["n"].value)
    assert total > 50, "the sample gazetteer should need two pages"
    last = -(-total // 50)
    names: list[str] = []
    path = "/browse/organizations"
    for number in range(1, last + 1):
        page = _page(client, path)
        shown = [a.get_text() for a in page.select("ol.members li a")]
        first = (number - 1) * 50 + 1
        assert page.find("p", class_="showing").get_text(strip=True) == f"{first}–{first + len(shown) - 1} of {total}"
        assert page.find("ol", class_="members")["start"] == str(first)
        assert len(shown) == (50 if number < last else total - 50 * (last - 1))
        assert shown == sorted(shown, key=str.casefold)
        names += shown
        following = page.find("a", rel="next")
        if number < last:
            path = following["href"]
            assert path == f"/browse/organizations?page={number + 1}"
        else:
            assert following is None
    assert len(names) == len(set(names)) == total
    for bad in (str(last + 1), "0", "x"):
        assert client.get(f"/browse/organizations?page={bad}").status_code == 404
    assert client.get("/browse/no-such-kind").status_code == 404


@pytest.mark.parametrize("query", [
    "p=http://x/a>%20}%20?s%20?p%20?o%20{&o=http://x/b",
    "p=https://w3id.org/evalkg/ontology%23mentions&o=%22%20.%20}",
    "page=-1", "page=99999999999999999999",
])
def test_hostile_browse_parameters_change_no_query(client, query):
    assert client.get(f"/browse/?{query}").status_code in (200, 404)
    assert client.get(f"/browse/organizations?{query}").status_code in (200, 404)


def test_evaluations_are_listed_by_number_with_their_recommendation_counts(client):
    page = _page(client, "/browse/evaluations")
    hrefs = [a["href"] for a in page.select("ol.members li a")]
    numbers = [int(h.rsplit("/", 1)[1]) for h in hrefs]
    assert numbers == sorted(numbers)
    item = page.find("a", href="/id/evaluation/3471").parent
    assert "Recommendations: 2" in item.get_text(" ", strip=True)


def test_injected_markup_is_shown_as_text(injection_client):
    response = injection_client.get("/id/evaluation/9001.html")
    body = response.get_data(as_text=True)
    page = BeautifulSoup(body, "html.parser")
    assert page.find_all("script") == []
    assert page.find_all("img") == [] and page.find_all("b") == [] and page.find_all("i") == []
    for tag in page.find_all(True):
        assert not any(attribute.lower().startswith("on") for attribute in tag.attrs), tag
        for attribute in ("href", "src", "action"):
            value = tag.get(attribute)
            assert value is None or value.startswith(("/", "http://", "https://")), tag
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in body
    assert page.h1.get_text() == "<script>alert('title')</script> Final evaluation </title><b>bold</b>"
    assert "javascript:alert(document.cookie)" in page.get_text()  # shown, not linked


def test_injected_markup_in_a_recommendation_and_its_links(injection_client):
    for path in ("/id/recommendation/99001.html", "/id/unit/script-alert-unit-script.html",
                 "/browse/units", "/browse/recommendations"):
        response = injection_client.get(path)
        assert response.status_code == 200, path
        page = BeautifulSoup(response.data, "html.parser")
        assert page.find_all("script") == [] and page.find_all("img") == [], path
        hrefs = [a["href"] for a in page.find_all("a", href=True)]
        assert not [h for h in hrefs if h.lower().lstrip().startswith("javascript")], path
    text = BeautifulSoup(injection_client.get("/id/recommendation/99001.html").data, "html.parser").get_text()
    assert "<img src=x onerror=alert('img')>" in text
    assert "<a href=\"javascript:alert('plan')\">click</a>" in text


def test_pages_carry_the_security_headers(client):
    response = client.get("/id/evaluation/3471.html")
    assert "default-src 'self'" in response.headers.get("Content-Security-Policy", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
