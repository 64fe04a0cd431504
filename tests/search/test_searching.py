"""Searches of texts written for the tests: exact hits for stemming, accents, phrases, NOT, OR,
prefixes, each language; facets and their counts; snippets."""

from __future__ import annotations

import pytest

from kg.search.expression import SearchSyntaxError
from kg.search.searching import SearchIndex, SearchRequest
from tests.search.conftest import AFRICA, COMPLETED, E1, E2, G1, L1, L2, R1, SENEGAL, THEME, UNHCR


def found(index: SearchIndex, text: str, **options) -> set[str]:
    return {hit.iri for hit in index.search(SearchRequest(text, **options), facet_values=50).hits}


@pytest.mark.parametrize(("text", "expected"), [
    ("protections", {E1}),  # English stemming: protections → protect
    ("migraciones", {R1}),  # Spanish stemming, across the accent: migraciones → migración
    ("migracion", {R1}),  # accent left out
    ("MIGRACIÓN", {R1}),  # case
    ("laborales", {R1}),  # a Spanish plural: laboral
    ("dialogues", {E2, L1, G1}),  # French and English texts alike
    ("promotions", {E1, E2}),  # promoting (en) and promotion (fr)
    ('"dialogue social"', {E2, L1}),  # a phrase keeps its order
    ('"social dialogue"', {G1}),
    ("social -dialogue", {E1, R1}),  # NOT
    ("social NOT dialogue", {E1, R1}),
    ("cocoa OR committees", {L2, G1}),
    ("(cocoa OR committees) farms", {L2}),  # farming: farm
    ("migr*", {R1}),  # prefix, on the words as written (folded)
    ("promot*", {E1, E2}),  # promoting (en) and promotion (fr)
    ("protections*", {E1}),  # a prefix is also taken as stemmed: protect*
    ("acnur", {R1}),
    ("floors africa", {E1}),  # every word is required
    ("floors cocoa", set()),
])
def test_exact_hits(index, text, expected):
    assert found(index, text) == expected


def test_languages_and_kinds_narrow_the_search(index):
    assert found(index, "social", languages=("fr",)) == {E2, L1}
    assert found(index, "social", languages=("es",)) == {R1}
    assert found(index, "social", kinds=("lesson", "good-practice")) == {L1, G1}


def test_facets_count_hits_and_narrow_them(index):
    result = index.search(SearchRequest("social"), facet_values=50)
    assert result.total == 5
    counts = {facet: {v.value: v.count for v in values} for facet, values in result.facets.items()}
    assert counts["kind"] == {"evaluation": 2, "recommendation": 1, "lesson": 1, "good-practice": 1}
    # a region: the evaluation's own, or its countries'; items have their evaluation's
    assert counts["region"] == {AFRICA: 5}
    assert counts["country"] == {SENEGAL: 3}
    assert counts["year"] == {"2020": 1, "2021": 1, "2019": 3}  # an item's own date before its evaluation's
    assert counts["theme"] == {THEME: 1}
    assert counts["agency"] == {UNHCR: 1}
    assert counts["response"] == {COMPLETED: 1}
    africa = next(v for v in result.facets["region"] if v.value == AFRICA)
    assert (africa.label("es"), africa.label("fr")) == ("África", "Africa")
    assert found(index, "social", filters={"country": (SENEGAL,)}) == {E2, L1, G1}


def test_a_chosen_facet_is_counted_among_the_hits_of_the_other_choices(index):
    result = index.search(SearchRequest("social", kinds=("lesson", "evaluation"), filters={"year": ("2019",)}))
    assert {hit.iri for hit in result.hits} == {E2, L1}
    counts = {facet: {v.value: v.count for v in values} for facet, values in result.facets.items()}
    assert counts["year"] == {"2019": 2, "2020": 1}  # lessons and evaluations of any year: E1 is of 2020
    assert counts["kind"] == {"evaluation": 1, "lesson": 1, "good-practice": 1}  # of 2019, any kind
    assert counts["country"] == {SENEGAL: 2}  # the hits themselves
    assert found(index, "social", filters={"year": ("2019", "2021")}) == {E2, L1, G1, R1}
    assert found(index, "social", filters={"year": ("2019",), "kind": ("lesson",)}) == {L1}


def test_ranking_pages_and_scores(index):
    result = index.search(SearchRequest("social dialogue"))
    scores = [hit.score for hit in result.hits]
    assert scores == sorted(scores, reverse=True) and all(score > 0 for score in scores)
    first_two = index.search(SearchRequest("social dialogue", limit=2))
    rest = index.search(SearchRequest("social dialogue", limit=2, offset=2))
    assert [h.iri for h in first_two.hits + rest.hits] == [h.iri for h in result.hits]
    assert first_two.total == rest.total == 3


def test_snippets_mark_the_matched_words_in_the_text_as_written(index):
    (hit,) = index.search(SearchRequest("migracion proteccion")).hits
    assert (hit.language, hit.field) == ("es", "text")
    assert hit.snippet == ("Fortalecer la <mark>migración</mark> laboral y la <mark>protección</mark> social con ACNUR")
    (hit,) = index.search(SearchRequest('"dialogue social"', kinds=("lesson",))).hits
    assert hit.snippet == "Le <mark>dialogue</mark> <mark>social</mark> n'est pas une fin en soi"


def test_a_long_text_is_cut_around_its_first_match(tmp_path):
    from kg.search.index import update_index
    from kg.namespaces import EK, RDF
    from pyoxigraph import Literal
    from tests.search.conftest import make_store

    words = [f"word{i}" for i in range(100)]
    words[60] = "cocoa"
    store = make_store([(L1, RDF.type, EK.LessonLearned), (L1, EK.text, Literal(" ".join(words), language="en"))])
    update_index(store, tmp_path / "i.sqlite", None)
    (hit,) = SearchIndex(tmp_path / "i.sqlite").search(SearchRequest("cocoa")).hits
    assert hit.snippet == "…" + " ".join(words[52:60]) + " <mark>cocoa</mark> " + " ".join(words[61:92]) + "…"


@pytest.mark.parametrize(("text", "message"), [
    ("", "no word"),
    ("(social", "not closed"),
    ("social)", "closes no"),
    ("-social", "cannot only exclude"),
    ("NOT social", "cannot only exclude"),
    (" ".join(["w"] * 65), "more than 64 words"),
])
def test_searches_that_cannot_run_say_why(index, text, message):
    with pytest.raises(SearchSyntaxError, match=message):
        index.search(SearchRequest(text))
