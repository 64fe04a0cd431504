"""The query UI's example queries give rows on the real data, and the values checked by hand in
the workbook (the real export sample)."""

from __future__ import annotations

import pytest

from kg.query import run_query
from kg.search.functions import SearchFunctions
from kg.sources import sample_sources
from kg.store import StoreDirectory
from server.examples import examples

# The examples about the seed page (recommendation 16089, the one that names UNHCR in the
# Americas): no record of the export sample names UNHCR, so they give rows on the bundled sample
# (export and seed, what `kg build` with no sources ingests) but not on the export alone.
SEED_EXAMPLES = {"5-unhcr-in-the-americas"}


@pytest.fixture(scope="module")
def bundled_store(tmp_path_factory, builder_factory) -> StoreDirectory:
    path = tmp_path_factory.mktemp("bundled")
    report = builder_factory(path).build(sample_sources())
    assert report.errors == [], report.errors
    return StoreDirectory(path)


def _rows(store: StoreDirectory, name: str) -> list[dict[str, str]]:
    example = next(e for e in examples() if e.name == name)
    results = run_query(store.open_read_only(), example.query,
                        search=SearchFunctions.of_generation(store.live_generation()))
    names = [v.value for v in results.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in results]


def test_the_asked_for_examples_are_there():
    titles = {e.title for e in examples()}
    assert {"Lessons learned that name UNICEF, by region", "Good practices in social protection by funder",
            "Recommendations per management response and year"} <= titles


@pytest.mark.parametrize("name", [e.name for e in examples()])
def test_every_example_gives_rows_on_the_real_data(real_store, bundled_store, name):
    assert _rows(bundled_store, name), name
    if name not in SEED_EXAMPLES:
        assert _rows(real_store, name), name


def test_lessons_naming_unicef_by_region(real_store):
    # In the workbook, lesson 211665 ("...the remaining period of the ILO–UNICEF project...") is
    # the only lesson whose description names UNICEF; its evaluation 2693 covers Arab States.
    assert _rows(real_store, "6-lessons-naming-unicef-by-region") == [{
        "region": "https://w3id.org/evalkg/id/region/arab-states", "name": "Arab States", "lessons": "1",
        "numbers": "211665"}]


def test_good_practices_in_social_protection_by_funder(real_store):
    # Checked in the workbook: the good practices whose theme, or whose evaluation's theme, is
    # Social protection, grouped by the evaluation's `Funding source(s)`.
    rows = _rows(real_store, "7-social-protection-good-practices-by-funder")
    found = {row["name"]: (int(row["practices"]), set(row["numbers"].split(", "))) for row in rows}
    assert found == {
        "Canadian International Development Agency": (4, {"192708", "192712", "192716", "192720"}),
        "Spain, Agencia Española de Cooperación Internacional": (3, {"217656", "217660", "217664"}),
        "European Commission, DG for International Cooperation, European Development Fund":
            (2, {"1148425", "1148429"}),
        "ILO Internal Customer": (2, {"231381", "231385"}),
        "Japan, Ministry of Foreign Affairs": (2, {"210567", "210571"}),
        "Luxembourg, Ministère de la Coopération internationale": (2, {"226166", "226170"}),
    }
    assert rows[0]["funder"] == "https://w3id.org/evalkg/id/organization/cida"


def test_recommendations_per_management_response_and_year(real_store, export_sheets):
    rows = _rows(real_store, "8-recommendations-per-response-and-year")
    by_key = {(row["response"], row["year"]): (int(row["recommendations"]), int(row["percentOfYear"]))
              for row in rows}
    # Checked in the workbook: of the 40 recommendations dated 2022, 13 are Completed (32.5 %).
    assert by_key[("Completed", "2022")] == (13, 33)
    recommendations = {row["Recommendation ID"]: (row["Management response"], row["Recommendation date"][:4])
                       for row in export_sheets["Recommendation ID"]}
    expected: dict[tuple[str, str], int] = {}
    for response, year in recommendations.values():
        expected[(response, year)] = expected.get((response, year), 0) + 1
    assert {key: count for key, (count, _) in by_key.items()} == expected
    assert [(row["response"], row["year"]) for row in rows] == sorted(by_key)


def test_lessons_on_social_protection_in_africa_ranked(real_store):
    # ek:score joined with the graph: the lessons of evaluations covering Africa whose texts speak
    # of social protection (223465 names it three times; 239420 "social security/social
    # protection"; 158895 "child protection ... social work"), best first.
    rows = _rows(real_store, "9-social-protection-lessons-in-africa")
    assert sorted(row["lesson"].rsplit("/", 1)[-1] for row in rows) == ["158895", "223465", "239420"]
    assert rows[0]["lesson"].endswith("/223465")
    scores = [float(row["score"]) for row in rows]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0
