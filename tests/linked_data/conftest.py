"""Fixtures: the app over the sample store (with its dumps), and over a corpus of hostile records."""

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
