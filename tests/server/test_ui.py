"""The query UI in headless Chromium (Debian's `chromium`, driven by Playwright): the page loads
from this server alone, an example query runs, and the result table shows the expected rows;
dataset IRIs link to their pages here, literals read as values, aggregates can be seen as a bar
chart, and the site's navigation surrounds the UI.

The server serves the bundled sample (the real i-eval export sample and the seed page), the data
the example queries are written for: the test corpus has no lessons learned or good practices."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from playwright.sync_api import Page

from kg.sources import sample_sources
from server.examples import examples
from tests.server.running import Server, running_server

pytestmark = pytest.mark.slow


@pytest.fixture
def server(bundled_server: Server) -> Server:
    return bundled_server


def test_an_example_query_runs_in_yasgui(browser, server) -> None:
    example = next(e for e in examples() if e.title == "Recommendations by country")
    expected = len(httpx.post(server.endpoint, data={"query": example.query}).json()["results"]["bindings"])
    assert expected > 0

    page = browser.new_page()
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(server.endpoint)
    page.wait_for_selector(".yasqe .CodeMirror", timeout=20_000)
    assert "PREFIX ek: <https://w3id.org/evalkg/ontology#>" in page.evaluate(
        "window.evalkgYasgui.getTab().getQuery()")

    page.get_by_role("button", name=example.title).click()
    page.wait_for_selector(".yasr table tbody tr", timeout=20_000)
    summary = page.locator(".yasr_response_chip").inner_text()
    assert re.match(rf"{expected} results? in ", summary), summary
    assert page.locator(".yasr table tbody tr").count() == min(expected, 50)  # YASR pages 50 rows at a time
    assert "Ecuador" in page.locator(".yasr table").inner_text()

    assert requests and all(url.startswith(server.url) for url in requests), requests  # no CDN, no one else
    assert problems == []  # neither script errors nor Content-Security-Policy violations
    page.close()


def test_every_example_gives_rows_in_the_ui(browser, server) -> None:
    page = browser.new_page()
    page.goto(server.endpoint)
    page.wait_for_selector(".yasqe .CodeMirror", timeout=20_000)
    for example in examples():
        expected = len(httpx.post(server.endpoint, data={"query": example.query}).json()["results"]["bindings"])
        page.get_by_role("button", name=example.title).click()
        page.wait_for_function(
            "expected => (document.querySelector('.yasr_response_chip') || {}).innerText"
            "?.startsWith(expected + ' result')", arg=expected, timeout=20_000)
        assert expected > 0, example.title
    page.close()


@contextmanager
def watched_page(browser, server: Server) -> Iterator[Page]:
    """A page on the query UI that must load nothing from elsewhere and log no error."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    elsewhere: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(server.url) else elsewhere.append(request.url))
    page.on("response", lambda response: problems.append(f"{response.status}: {response.url}")
            if response.status >= 400 else None)
    page.on("requestfailed", lambda request: None if request.failure == "net::ERR_ABORTED"  # left by navigating
            else problems.append(f"{request.failure}: {request.url}"))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(server.endpoint)
    page.wait_for_selector(".yasqe .CodeMirror", timeout=20_000)
    yield page
    assert elsewhere == []
    assert problems == []
    page.close()


def run(page: Page, query: str) -> None:
    """Run a query in the UI's tab and wait for YASR to show its results."""
    page.evaluate("""query => new Promise(drawn => {
        const tab = window.evalkgYasgui.getTab();
        tab.getYasr().once("drawn", () => drawn());
        tab.setQuery(query);
        tab.getYasqe().query();
    })""", query)


def run_example(page: Page, title: str) -> None:
    run(page, next(e for e in examples() if e.title == title).query)


def column_texts(page: Page, column: int) -> list[str]:
    """The texts of one column of the result table's shown page (column 1 is the first variable)."""
    return page.locator(f".yasr table tbody tr td:nth-child({column + 1})").all_inner_texts()


def test_dataset_iris_open_their_pages_here(browser, server) -> None:
    with watched_page(browser, server) as page:
        run_example(page, "Recommendations by country")
        link = page.locator(".yasr table tbody tr").first.locator("td:nth-child(2) a")
        href = link.get_attribute("href")
        assert re.fullmatch(r"/id/country/[A-Z]{3}", href), href
        assert link.get_attribute("target") in (None, "_self")
        name = page.locator(".yasr table tbody tr").first.locator("td:nth-child(3) span[lang]").inner_text()

        link.click()
        page.wait_for_url(re.compile(re.escape(server.url + href) + r"(\.html)?$"))
        assert page.locator("h1").inner_text() == name

        page.go_back()
        page.wait_for_selector(".yasqe .CodeMirror", timeout=20_000)
        run(page, "SELECT ?other WHERE { VALUES ?other { <https://example.org/thing> } }")
        other = page.locator(".yasr table tbody td:nth-child(2) a")
        assert other.get_attribute("href") == "https://example.org/thing"
        assert other.get_attribute("target") == "_blank"


def test_iris_under_a_configured_base_open_their_pages_here(browser, tmp_path, builder_factory) -> None:
    base = "https://data.example.org/kg/"
    report = builder_factory(tmp_path / "store", base=base).build(sample_sources())
    assert report.errors == [], report.errors
    with running_server(tmp_path / "store", tmp_path, env={"KG_BASE_IRI": base}) as other:
        with watched_page(browser, other) as page:
            run_example(page, "Recommendations by country")
            link = page.locator(".yasr table tbody tr").first.locator("td:nth-child(2) a")
            assert link.inner_text().startswith(f"<{base}country/")
            href = link.get_attribute("href")
            assert re.fullmatch(r"/id/country/[A-Z]{3}", href), href
            link.click()
            page.wait_for_url(re.compile(re.escape(other.url + href) + r"(\.html)?$"))
            assert base + href.removeprefix("/id/") in page.locator("p.iri").inner_text()


def test_literals_read_as_values(browser, server) -> None:
    with watched_page(browser, server) as page:
        run_example(page, "Recommendations by country")
        counts = column_texts(page, 3)
        assert counts and all(re.fullmatch(r"\d+", count) for count in counts), counts
        assert "^^" not in page.locator(".yasr table").inner_text()
        assert page.locator(".yasr table tbody tr").first.locator("td:nth-child(3) small.lang").inner_text() == "en"

        run(page, 'PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n'
                  'SELECT ?count ?day ?text ?size ?plain WHERE { VALUES (?count ?day ?text ?size ?plain) '
                  '{ (4 "2021-03-05"^^xsd:date "informe"@es "7"^^<https://example.org/metres> "<b>bold</b>") } }')
        cells = page.locator(".yasr table tbody tr").first.locator("td")
        assert cells.nth(1).inner_text() == "4"
        assert cells.nth(2).inner_text() == "2021-03-05"
        assert cells.nth(3).locator("span[lang=es]").inner_text() == "informe"
        assert cells.nth(3).locator("small.lang").inner_text() == "es"
        assert cells.nth(4).locator("span").first.inner_text() == "7"
        assert cells.nth(4).locator("small.datatype").get_attribute("title") == "https://example.org/metres"
        assert cells.nth(5).inner_text() == "<b>bold</b>"  # text, not markup


def chart_of(page: Page) -> dict:
    """What Chart.js drew on the chart view's canvas: its labels, series and drawn bars."""
    return page.evaluate("""() => {
        const chart = Chart.getChart(document.querySelector('.yasr .evalkg-chart canvas'));
        return {labels: chart.data.labels,
                series: chart.data.datasets.map(d => ({name: d.label, values: d.data})),
                bars: chart.data.datasets.map((d, i) => chart.getDatasetMeta(i).data.length)};
    }""")


def test_aggregates_can_be_seen_as_a_bar_chart(browser, server) -> None:
    example = next(e for e in examples() if e.title == "Recommendations by country")
    rows = httpx.post(server.endpoint, data={"query": example.query}).json()["results"]["bindings"]
    with watched_page(browser, server) as page:
        run_example(page, example.title)
        assert page.locator(".yasr table tbody tr").count() > 0  # the table first
        page.locator(".yasr .select_chart").click()
        page.wait_for_selector(".yasr .evalkg-chart canvas", timeout=10_000)
        assert page.locator(".yasr table").count() == 0
        chart = chart_of(page)
        assert chart["labels"] == [row["name"]["value"] for row in rows]
        assert chart["series"] == [{"name": "recommendations",
                                    "values": [int(row["recommendations"]["value"]) for row in rows]}]
        assert chart["bars"] == [len(rows)]

        run_example(page, "Recommendations per management response and year")  # the chart stays chosen
        page.wait_for_selector(".yasr .evalkg-chart canvas", timeout=10_000)
        chart = chart_of(page)
        assert [series["name"] for series in chart["series"]] == ["recommendations", "percentOfYear"]
        assert all(re.fullmatch(r".+ · \d{4}", label) for label in chart["labels"]), chart["labels"]
        assert chart["bars"] == [len(chart["labels"])] * 2

        page.locator(".yasr .select_table").click()
        page.wait_for_selector(".yasr table tbody tr", timeout=10_000)
        assert page.locator(".yasr .evalkg-chart").count() == 0
        page.locator(".yasr .select_chart").click()
        page.wait_for_selector(".yasr .evalkg-chart canvas", timeout=10_000)

        run_example(page, "UNHCR in the Americas")  # no numbers: a table, and no chart to choose
        page.wait_for_selector(".yasr table tbody tr", timeout=10_000)
        assert page.locator(".yasr .evalkg-chart").count() == 0
        assert not page.locator(".yasr .select_chart").is_visible()
        assert "Could not render" not in page.locator(".yasr").inner_text()

        run(page, "ASK {}")  # a boolean: neither table nor chart
        assert page.locator(".yasr .booleanResult").inner_text() == "True"
        assert not page.locator(".yasr .select_chart").is_visible()


def test_the_query_ui_has_the_site_navigation(browser, server) -> None:
    with watched_page(browser, server) as page:
        header = page.locator("header.site")
        assert header.locator("nav.main a").all_inner_texts() == [
            "Browse", "SPARQL query", "Downloads", "Dataset description"]
        assert page.locator("footer.site").is_visible()
        editor = page.locator(".yasqe .CodeMirror").bounding_box()
        assert editor["width"] > 1000  # the UI keeps the page's width, not a reading column's

        targets = header.locator("a").evaluate_all("links => links.map(link => link.href)")
        for target in targets:
            assert page.request.get(target).status == 200, target

        header.get_by_role("link", name="Browse").click()
        page.wait_for_url(re.compile(re.escape(server.url) + "/browse/?$"))
        assert page.locator("header.site nav.main a").count() == 4
        page.locator("header.site").get_by_role("link", name="SPARQL query").click()
        page.wait_for_selector(".yasqe .CodeMirror", timeout=20_000)

        page.locator("header.site").get_by_role("link", name="Español").click()
        page.wait_for_selector(".yasqe .CodeMirror", timeout=20_000)
        assert page.locator("h1").inner_text() == "Punto de acceso SPARQL"
        run_example(page, "Recommendations by country")
        page.locator(".yasr .select_chart").click()
        page.wait_for_selector(".yasr .evalkg-chart canvas", timeout=10_000)
        assert page.locator(".yasr .select_chart").inner_text() == "Gráfico"
