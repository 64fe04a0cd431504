"""The query UI in headless Chromium (Debian's `chromium`, driven by Playwright): the page loads
from this server alone, an example query runs, and the result table shows the expected rows.

The server serves the bundled sample (the real i-eval export sample and the seed page), the data
the example queries are written for: the test corpus has no lessons learned or good practices."""

from __future__ import annotations

import re

import httpx
import pytest

from kg.sources import sample_sources
from server.examples import examples
from tests.server.running import Server, running_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory, builder_factory) -> Server:
    """`kg serve` over a store of the bundled sample, as `kg build` with no sources makes it."""
    folder = tmp_path_factory.mktemp("bundled-ui")
    report = builder_factory(folder / "store").build(sample_sources())
    assert report.errors == [], report.errors
    with running_server(folder / "store", folder) as running:
        yield running


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
