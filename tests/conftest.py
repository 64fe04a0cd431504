"""Shared fixtures: the seed record, the test corpus, the real export sample, and real stores
built from them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.build import Builder
from kg.iris import Iris
from kg.resources import sample_dir
from kg.sources import Source, folder_sources
from kg.store import StoreDirectory

DATA = Path(__file__).parent / "data"
SEED = sample_dir() / "ilo-recommendation-16089.txt"
CORPUS = DATA / "corpus"  # records written for the tests (and the real seed): see its README
REAL_EXPORT = sample_dir() / "ieval-export-sample.xlsx"  # the real export sample, as published
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def sample_expectations() -> dict:
    return json.loads((DATA / "sample_expectations.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def builder_factory():
    """Builders share one loaded set of gazetteers per base IRI (loading them takes a moment)."""
    cache: dict[str, Builder] = {}

    def make(path: Path, base: str = Iris().base) -> Builder:
        if base not in cache:
            cache[base] = Builder(StoreDirectory(path), Iris(base))
        template = cache[base]
        builder = Builder.__new__(Builder)
        builder.__dict__.update(template.__dict__, store=StoreDirectory(path))
        return builder

    return make


def corpus_sources() -> list[Source]:
    """The test corpus, keyed `corpus/NAME` wherever the checkout lies."""
    return folder_sources(CORPUS, "corpus/")


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory, builder_factory) -> StoreDirectory:
    """A store built once from the test corpus (read-only for tests)."""
    path = tmp_path_factory.mktemp("sample-store")
    report = builder_factory(path).build(corpus_sources())
    assert report.errors == [], report.errors
    return StoreDirectory(path)


@pytest.fixture(scope="session")
def real_store(tmp_path_factory, builder_factory) -> StoreDirectory:
    """A store built once from the bundled real export sample (read-only for tests)."""
    path = tmp_path_factory.mktemp("real-store")
    report = builder_factory(path).build([Source("sample/ieval-export-sample.xlsx", REAL_EXPORT, "xlsx")])
    assert report.errors == [], report.errors
    return StoreDirectory(path)


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's `chromium`, which `.ci/run` installs), driven by Playwright."""
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        pytest.fail("chromium is not installed (apt-get install chromium; .ci/run does it)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
