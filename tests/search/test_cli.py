"""`kg search` and the search functions of `kg query`, on the real export sample."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.search.output import CSV_COLUMNS

ID = "https://w3id.org/evalkg/id/"


def _kg(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, env={"COLUMNS": "250"})
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture(scope="module")
def store(real_store) -> str:
    return str(real_store.path)


def _search(store: str, *args: str) -> dict:
    return json.loads(_kg("search", *args, "--store", store, "--format", "json"))


def test_json_holds_results_with_iri_kind_score_and_snippet(store):
    found = _search(store, "emploi des jeunes")
    assert found["total"] == 1
    (hit,) = found["results"]
    assert (hit["iri"], hit["kind"], hit["language"], hit["field"]) == (ID + "evaluation/1920", "evaluation", "fr",
                                                                        "title")
    assert hit["score"] > 0
    assert "<mark>emploi</mark> <mark>des</mark> <mark>jeunes</mark>" in hit["snippet"]
    assert found["facets"]["kind"] == [{"value": "evaluation", "count": 1, "label": "evaluation"}]


def test_kinds_languages_and_facets_narrow_real_searches(store):
    evaluations = _search(store, '"trabajo infantil"', "--kind", "evaluation")
    assert {hit["iri"] for hit in evaluations["results"]} == {ID + "evaluation/1359", ID + "evaluation/1055"}
    french = _search(store, "social", "--lang", "fr", "--limit", "100")
    assert french["results"] and {hit["language"] for hit in french["results"]} == {"fr"}
    every = _search(store, "social", "--limit", "1000")
    for facet in ("country", "region", "theme", "year", "funder"):
        top = every["facets"][facet][0]
        narrowed = _search(store, "social", "--filter", f"{facet}={top['value']}", "--limit", "1000")
        assert narrowed["total"] == top["count"] == len(narrowed["results"]) > 0
        assert {hit["iri"] for hit in narrowed["results"]} < {hit["iri"] for hit in every["results"]}


def test_the_sparql_functions_join_the_index_with_the_graph(store):
    peru = ID + "country/PER"
    query = ("SELECT ?r ?score WHERE { ?r ek:ofEvaluation/ek:coversCountry <" + peru + "> ."
             ' BIND(ek:score(?r, "social") AS ?score) FILTER(BOUND(?score)) } ORDER BY DESC(?score)')
    rows = list(csv.DictReader(io.StringIO(_kg("query", "--store", store, "--format", "csv", query))))
    items = _search(store, "social", "--filter", f"country={peru}", "--kind", "recommendation", "--kind", "lesson",
                    "--kind", "good-practice", "--limit", "1000")
    assert [row["r"] for row in rows] == [hit["iri"] for hit in items["results"]]
    assert [float(row["score"]) for row in rows] == [hit["score"] for hit in items["results"]]
    matched = _kg("query", "--store", store, "--format", "csv",
                  'SELECT ?e (ek:snippet(?e, "emploi des jeunes") AS ?s) WHERE { ?e a ek:Evaluation'
                  ' FILTER(ek:matches(?e, "emploi des jeunes", "fr")) }')
    assert matched.splitlines()[1].startswith(ID + "evaluation/1920,")
    assert "<mark>jeunes</mark>" in matched


def test_a_search_that_cannot_run_fails_the_query_and_says_why(store):
    output = _kg("query", "--store", store, 'SELECT ?e WHERE { ?e a ek:Evaluation FILTER(ek:matches(?e, "(x")) }',
                 code=1)
    assert "a search in the query failed: a '(' is not closed" in output
    assert "the search has no word" in _kg("search", "--store", store, "  ", code=1)


def test_csv_and_table_list_the_same_results(store):
    rows = list(csv.reader(io.StringIO(_kg("search", "cocoa", "--store", store, "--format", "csv"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, len(rows))]
    assert "<mark>" not in "".join(row[7] for row in rows[1:])
    table = _kg("search", "cocoa", "--store", store)
    assert all(row[1] in table for row in rows[1:])
    assert f"{len(rows) - 1} found" in table


def test_a_store_without_an_index_says_how_to_make_one(tmp_path, store):
    import shutil

    from kg.search.index import index_path
    from kg.store import StoreDirectory

    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    index_path(StoreDirectory(copy).live_generation()).unlink()
    assert "has no text index; rebuild it with `kg build`" in _kg("search", "x", "--store", str(copy), code=1)
