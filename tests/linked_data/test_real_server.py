"""Against a real `kg serve` (gunicorn): rdflib and curl-like clients dereference IRIs, and a
headless Chromium walks the site as a new user would (over the test corpus and over the real
export sample, to its lessons learned and good practices), and meets an injection record unharmed."""

from __future__ import annotations

import json
import shutil

import httpx
import pytest
import rdflib
from rdflib import Namespace

from kg.dump import write_dumps
from kg.iris import Iris
from kg.sources import Source
from kg.store import StoreDirectory
from tests.conftest import corpus_sources
from tests.linked_data.conftest import BASE, INJECTION, INJECTION_KEY
from tests.server.running import running_server

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]
EK = Namespace("https://w3id.org/evalkg/ontology#")
ID = Namespace(BASE)


@pytest.fixture(scope="module")
def real_server(tmp_path_factory, real_store):
    """`kg serve` over a copy of the store of the real export sample."""
    folder = tmp_path_factory.mktemp("served-real")
    shutil.copytree(real_store.path, folder / "store", ignore=shutil.ignore_patterns("LOCK"))
    with running_server(folder / "store", folder) as running:
        yield running


@pytest.fixture(scope="module")
def server(tmp_path_factory, builder_factory):
    """The sample corpus and the injection record, dumped and served by `kg serve`."""
    folder = tmp_path_factory.mktemp("served")
    record = folder / "injection.json"
    record.write_text(json.dumps(INJECTION), encoding="utf-8")
    store = StoreDirectory(folder / "store")
    builder_factory(store.path).build([*corpus_sources(), Source(INJECTION_KEY, record, "json")])
    write_dumps(store.live_generation(), folder / "dumps", Iris())
    with running_server(store.path, folder, "--workers", "2", env={"KG_DUMPS": str(folder / "dumps")}) as running:
        yield running


def test_rdflib_dereferences_a_resource(server):
    graph = rdflib.Graph().parse(server.url + "/id/evaluation/3471")
    assert (ID["evaluation/3471"], EK.hasRecommendation, ID["recommendation/16089"]) in graph


def test_curl_gets_turtle_and_the_dumps(server):
    response = httpx.get(server.url + "/id/organization/unhcr", headers={"Accept": "text/turtle"},
                         follow_redirects=True)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    assert str(response.url).endswith("/id/organization/unhcr.ttl")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    assert (ID["recommendation/16089"], EK.mentions, ID["organization/unhcr"]) in graph
    dump = httpx.get(server.url + "/dumps/evalkg.ttl.gz", headers={"Range": "bytes=0-1"})
    assert dump.status_code == 206 and dump.content == b"\x1f\x8b"


def test_percent_encoded_iris_resolve_behind_gunicorn(server):
    rest = Iris().source_graph(INJECTION_KEY).value[len(BASE):]
    response = httpx.get(f"{server.url}/id/{rest}", headers={"Accept": "application/n-triples"})
    assert response.status_code == 303
    assert httpx.get(server.url + response.headers["location"]).status_code == 200


def _watched_page(browser):
    page = browser.new_page()
    page.problems = []
    page.on("dialog", lambda dialog: (page.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("console", lambda message: message.type == "error" and page.problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on("response", lambda response: response.status >= 400 and page.problems.append(
        f"{response.status} for {response.url}"))
    return page


def test_a_new_user_walks_from_home_to_every_recommendation_naming_an_agency(server, browser):
    page = _watched_page(browser)
    page.goto(server.url + "/")
    page.click("a[href='/browse/evaluations']")
    page.click("a[href='/id/evaluation/3471']")
    assert page.url.endswith("/id/evaluation/3471.html")
    assert page.locator("h1").inner_text().startswith("Evaluación agrupada final")
    assert page.locator("a[href='/id/project/RLA-19-03-USA']").count() >= 1
    page.click("a[href='/id/recommendation/16089']")
    assert page.url.endswith("/id/recommendation/16089.html")
    assert page.locator("a[href='/id/evaluation/3471']").count() == 1
    page.click("section.links a[href='/id/project/RLA-19-03-USA']")
    assert page.url.endswith("/id/project/RLA-19-03-USA.html")
    page.go_back()
    page.click("a[href='/id/organization/unhcr']")
    assert page.url.endswith("/id/organization/unhcr.html")
    naming = page.locator("section.incoming a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "/id/recommendation/16089" in naming and len(naming) > 1
    for href in naming:
        page.goto(server.url + href)
        assert page.locator("a[href='/id/organization/unhcr']").count() >= 1, href
    page.click("a[type='text/turtle']")
    assert "ek:mentions" in page.content() or "mentions" in page.content()
    assert page.problems == []


def test_the_injection_record_shows_literal_text_and_runs_nothing(server, browser):
    page = _watched_page(browser)
    for path in ("/id/evaluation/9001", "/id/recommendation/99001", "/browse/units", "/browse/recommendations"):
        page.goto(server.url + path)
        assert page.locator("script").count() == 0, path
    page.goto(server.url + "/id/evaluation/9001")
    assert page.locator("h1").inner_text() == "<script>alert('title')</script> Final evaluation </title><b>bold</b>"
    assert page.get_by_text("javascript:alert(document.cookie)").count() == 1
    assert page.locator("a[href^='javascript']").count() == 0
    page.goto(server.url + "/id/recommendation/99001")
    assert "<img src=x onerror=alert('img')>" in page.locator("body").inner_text()
    assert page.evaluate("document.images.length") == 0
    assert page.problems == []


def test_a_new_user_walks_from_home_to_a_lesson_and_a_good_practice(real_server, browser):
    page = _watched_page(browser)
    page.goto(real_server.url + "/")
    assert page.locator("section.figures a[href='/browse/lessons'] strong").inner_text() == "250"
    page.click("section.figures a[href='/browse/lessons']")
    assert page.url.endswith("/browse/lessons")
    assert page.locator("p.showing").inner_text() == "1–50 of 250"
    page.click("a[href='/id/lesson/151079']")
    assert page.url.endswith("/id/lesson/151079.html")
    assert page.locator("h1").inner_text().startswith("The cooperatives' group members are highly motivated")
    assert page.locator("p.types").text_content().strip() == "Lesson learned"
    assert page.locator("section.links a[href='/id/theme/cooperative']").count() == 0
    assert page.locator("section.classification a[href='/id/theme/cooperative']").count() == 1
    page.click("section.links a[href='/id/evaluation/648']")
    assert page.url.endswith("/id/evaluation/648.html")
    lessons = page.locator("section.items a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert sorted(lessons) == [f"/id/lesson/{n}" for n in (151079, 151084, 151089, 151094, 151099)]
    page.click("section.responsibility a[href='/id/organization/netherlands-ministry-of-foreign-affairs']")
    assert page.locator("h1").inner_text() == "Netherlands, Ministry of Foreign Affairs"
    assert page.locator("section.incoming a[href='/id/evaluation/648']").count() == 1

    page.click("header.site a.brand")
    page.click("section.figures a[href='/browse/good-practices']")
    assert page.locator("p.showing").inner_text() == "1–50 of 135"
    page.click("a[href='/id/good-practice/162923']")
    assert page.url.endswith("/id/good-practice/162923.html")
    assert page.locator("p.types").text_content().strip() == "Good practice"
    page.click("nav.languages a[hreflang='es']")
    assert page.url.endswith("/id/good-practice/162923.html?lang=es")
    assert page.locator("p.types").text_content().strip() == "Buena práctica"
    page.click("section.links a[href='/id/evaluation/983?lang=es']")
    assert page.url.endswith("/id/evaluation/983.html?lang=es")
    heading = page.locator("section.items h2").text_content().strip()
    assert heading == "Recomendaciones, lecciones aprendidas y buenas prácticas"
    assert page.locator("section.items a[href='/id/good-practice/162923?lang=es']").count() == 1
    assert page.problems == []
