"""Fixtures: the app over the sample store (with its dumps), over the real export sample, over a
record whose lesson and good practice have every text, and over a corpus of hostile records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.dump import write_dumps
from kg.iris import Iris
from kg.settings import Settings
from kg.sources import Source
from kg.store import StoreDirectory
from server.app import create_app
from tests.conftest import REAL_EXPORT

BASE = Iris().base

# A record whose every text field tries to inject markup or script, and whose URL is javascript:.
INJECTION = {
    "eval_number": 9001,
    "eval_title": "<script>alert('title')</script> Final evaluation </title><b>bold</b>",
    "eval_url": "javascript:alert(document.cookie)",
    "location": [{"country": "Peru", "region": "Americas"}],
    "recommendations": [{
        "url": "https://webapps.ilo.org/ievaldiscovery/recommendations/99001",
        "title": "1. Work with UNHCR <img src=x onerror=alert('img')> and see javascript:alert('text') "
                 "\"><script>alert('quoted')</script>",
        "action_plan": "<a href=\"javascript:alert('plan')\">click</a> with IOM",
        "admin_units": "<script>alert('unit')</script>",
        "project_symbols": "PER/20/01/CAN",
        "management_response": "<i>Completed</i>",
        "date": "2024-02-03",
    }],
}
# Its source key is a URL, so its graph IRI carries percent-encoding (`http%3A//...`).
INJECTION_KEY = "http://127.0.0.1:9/ievaldiscovery/eval/9001?lang=en"


@pytest.fixture(scope="session")
def sample_dumps(sample_store: StoreDirectory, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample-dumps")
    write_dumps(sample_store.live_generation(), out, Iris())
    return out


@pytest.fixture(scope="session")
def app(sample_store: StoreDirectory, sample_dumps: Path):
    return create_app(Settings(store=str(sample_store.path), dumps=str(sample_dumps)))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def injection_store(tmp_path_factory, builder_factory) -> StoreDirectory:
    folder = tmp_path_factory.mktemp("injection")
    record = folder / "injection.json"
    record.write_text(json.dumps(INJECTION), encoding="utf-8")
    store = StoreDirectory(folder / "store")
    report = builder_factory(store.path).build([Source(INJECTION_KEY, record, "json")])
    assert report.ingested == 1, report.errors
    return store


@pytest.fixture
def injection_client(injection_store: StoreDirectory, tmp_path):
    return create_app(Settings(store=str(injection_store.path), dumps=str(tmp_path / "none"))).test_client()


@pytest.fixture(scope="session")
def real_app(real_store: StoreDirectory, tmp_path_factory):
    """The app over the real export sample (no dumps published)."""
    return create_app(Settings(store=str(real_store.path), dumps=str(tmp_path_factory.mktemp("no-dumps"))))


@pytest.fixture
def real_client(real_app):
    return real_app.test_client()


@pytest.fixture(scope="session")
def export_sheets() -> dict[str, list[dict[str, str]]]:
    """The rows of the real export sample by sheet, told apart by their id column, as the
    expectations of the tests on `real_store` are read from the workbook itself."""
    import openpyxl

    workbook = openpyxl.load_workbook(REAL_EXPORT, read_only=True)
    sheets: dict[str, list[dict[str, str]]] = {}
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = next(rows)
        kind = next((column for column in ("Recommendation ID", "Good practices ID", "Lessons learned ID")
                     if column in header), "Completion date" if "Completion date" in header else "Planned")
        sheets.setdefault(kind, []).extend(
            {str(k): "" if v is None else str(v) for k, v in zip(header, row)} for row in rows)
    workbook.close()
    return sheets


# A record we wrote (not ILO data) whose lesson learned and good practice fill every text field,
# which the real export sample leaves empty (its good practices have no context, indicators...).
ITEM_TEXTS = {
    "eval_number": 9100,
    "eval_title": "Final evaluation of a test project on social protection",
    "location": [{"country": "Peru", "region": "Americas"}],
    "lessons_learned": [{
        "url": "https://webapps.ilo.org/ievaldiscovery/lessons/9101",
        "description": "Working with UNICEF from the start made the referral system last.",
        "themes": [{"theme": "Social protection"}],
        "context": "A pilot in two provinces with the ministry of labour.",
        "challenges": "Staff turnover in the ministry slowed the pilot.",
        "success": "A joint steering committee met every month.",
        "administrative_issues": "Contracts took four months to sign.",
        "comments": "Reported again in the final evaluation.",
    }],
    "good_practices": [{
        "url": "https://webapps.ilo.org/ievaldiscovery/good-practices/9102",
        "description": "A single registry shared by the ministry and UNHCR.",
        "themes": [{"theme": "Social protection"}],
        "context": "Refugees and host communities used separate registries.",
        "cause_effect": "One registry halved the time to enrol a household.",
        "indicators": "Households enrolled within a week of applying.",
        "replication": "Any country with a national social registry can adopt it.",
        "links": "https://www.ilo.org/",
    }],
}


@pytest.fixture(scope="session")
def item_texts_client(tmp_path_factory, builder_factory):
    folder = tmp_path_factory.mktemp("item-texts")
    record = folder / "items.json"
    record.write_text(json.dumps(ITEM_TEXTS), encoding="utf-8")
    store = StoreDirectory(folder / "store")
    report = builder_factory(store.path).build([Source("tests/items.json", record, "json")])
    assert report.errors == [], report.errors
    return create_app(Settings(store=str(store.path), dumps=str(folder / "none"))).test_client()
